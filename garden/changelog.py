"""The changelog's RSS 2.0 feeds: all notes, and one per tag (the page is in garden/pages.py).

An entry is a change, not a page: a note was added (`created`) or a `changes:` item says
what changed for readers. Dates come only from front matter, never from the build clock,
so a rebuild in CI never makes a reader's client show an entry again. The XML is built by
feedgen, which escapes every value exactly once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from garden.html_policy import sanitize
from garden.model import ChangeEntry, Note


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    title: str
    description: str
    site_url: str
    """Absolute URL of the site root, ending in '/'."""
    feed_path: str
    """Where the feed lives, relative to the site root."""
    page_url: str | None = None
    """Absolute URL of the page the feed follows (a tag's page); the site root when None."""


def guids(entries: Iterable[ChangeEntry], absolute_url: Callable[[str], str]) -> dict[int, str]:
    """A GUID per entry that stays the same across builds: the note's URL, the kind and
    the date, numbered when one note has several changes on one day."""
    seen: dict[str, int] = {}
    result: dict[int, str] = {}
    for entry in entries:
        base = f"{absolute_url(entry.note.path)}#{entry.kind}-{entry.date.isoformat()}"
        seen[base] = seen.get(base, 0) + 1
        result[id(entry)] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return result


def rss_feed(entries: list[ChangeEntry], info: FeedInfo, absolute_url: Callable[[str], str],
             limit: int, content: Callable[[Note], str | None] | None = None) -> bytes:
    """An RSS 2.0 document of the newest `limit` entries (entries are newest first). A new
    note's item carries `content(note)`, its text as HTML, when there is one (content:encoded)."""
    ids = guids(reversed(entries), absolute_url)  # numbered oldest first: stable as changes are added
    feed = FeedGenerator()
    feed.title(info.title)
    feed.link(href=info.site_url + info.feed_path, rel="self")
    # After "self": feedgen's RSS <link> is the last one.
    feed.link(href=info.page_url or info.site_url, rel="alternate")
    feed.description(info.description)
    feed.language("en")
    feed.generator("Career & Leadership Garden")
    newest = entries[0].date if entries else dt.date(1970, 1, 1)
    feed.lastBuildDate(_midnight_utc(newest))  # never the clock: see the module docstring
    for entry in entries[:limit]:
        item = feed.add_entry(order="append")
        item.title(f"{entry.label}: {entry.note.title}")
        item.link(href=absolute_url(entry.note.path))
        summary = entry.note.meta.summary
        description = summary if entry.kind == "new" else f"{entry.gain} — {summary}"
        item.description(description)
        if content is not None and entry.kind == "new" and (html := content(entry.note)) is not None:
            item.content(html)
        item.pubDate(_midnight_utc(entry.date))
        item.guid(ids[id(entry)], permalink=False)
        for tag in entry.note.meta.tags:
            item.category(term=tag)
    document: bytes = feed.rss_str(pretty=True)
    return document


_PERMALINK = re.compile(r'<a class="headerlink" href="#[^"<>]*" title="Permanent link">¶</a>')
"""A heading's permalink as the site publishes it (the `toc` extension's, after sanitising):
a feed reader shows it as a stray "¶", so feed items leave it out."""


@functools.lru_cache(maxsize=512)
def feed_item_html(page_html: str, page_url: str) -> str:
    """A note's text as a feed reader shows it: the HTML its page publishes (already rendered
    and sanitised by the build; rendering the note a second time cost a tenth of a build),
    without heading permalinks, and with every relative URL made absolute against the page's
    address, since a feed item has no base URL. Sanitised again on the way, by the same policy.
    Cached (a pure function): under `make serve` a save remakes whole feeds, whose items are
    mostly the same notes' unchanged text."""
    return sanitize(_PERMALINK.sub("", page_html), resolve=lambda url: urljoin(page_url, url))


def _midnight_utc(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
