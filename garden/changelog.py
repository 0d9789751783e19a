"""The changelog: a page grouped by month, and RSS 2.0 feeds (all notes, and one per tag).

An entry is a change, not a page: a note was added (`created`) or a `changes:` item says
what changed for readers. Dates come only from front matter, never from the build clock,
so a rebuild in CI never makes a reader's client show an entry again. The XML is built by
feedgen, which escapes every value exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from garden.conventions import CHANGELOG_PAGE, FEED_FILE
from garden.model import ChangeEntry
from garden.pages import GeneratedPage, page_with_html
from garden.text import Href, html_text

KIND_LABEL = {"new": "New", "updated": "Updated"}


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    title: str
    description: str
    site_url: str
    """Absolute URL of the site root, ending in '/'."""
    feed_path: str
    """Where the feed lives, relative to the site root."""


def changelog_page(entries: list[ChangeEntry], href: Href) -> GeneratedPage:
    """Every change, newest first, under a heading per month."""
    months: dict[str, list[str]] = {}
    for entry in entries:
        date = entry.date.isoformat()
        months.setdefault(entry.date.strftime("%B %Y"), []).append(
            f'<li><time datetime="{date}">{date}</time> '
            f'<span class="garden-change garden-change--{entry.kind}">{KIND_LABEL[entry.kind]}</span> '
            f'<a href="{html_text(href(CHANGELOG_PAGE, entry.note.path))}">{html_text(entry.note.title)}</a>'
            f" — {html_text(entry.what)}</li>")
    html = "".join(f"<h2>{month}</h2><ul class=\"garden-changelog\">{''.join(items)}</ul>"
                   for month, items in months.items())
    introduction = (f"What changed in the garden, newest first: new notes, and changes worth "
                    f"knowing about. [Subscribe to the changelog (RSS)](../{FEED_FILE}).")
    return page_with_html(CHANGELOG_PAGE, "Changelog", introduction, html)


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
             limit: int) -> bytes:
    """An RSS 2.0 document of the newest `limit` entries (entries are newest first)."""
    ids = guids(reversed(entries), absolute_url)  # numbered oldest first: stable as changes are added
    feed = FeedGenerator()
    feed.title(info.title)
    feed.link(href=info.site_url + info.feed_path, rel="self")
    feed.link(href=info.site_url, rel="alternate")  # after "self": feedgen's RSS <link> is the last one
    feed.description(info.description)
    feed.language("en")
    feed.generator("Career & Leadership Garden")
    newest = entries[0].date if entries else dt.date(1970, 1, 1)
    feed.lastBuildDate(_midnight_utc(newest))  # never the clock: see the module docstring
    for entry in entries[:limit]:
        item = feed.add_entry(order="append")
        item.title(f"{KIND_LABEL[entry.kind]}: {entry.note.title}")
        item.link(href=absolute_url(entry.note.path))
        description = entry.note.meta.summary if entry.kind == "new" else f"{entry.what} — {entry.note.meta.summary}"
        item.description(description)
        item.pubDate(_midnight_utc(entry.date))
        item.guid(ids[id(entry)], permalink=False)
        for tag in entry.note.meta.tags:
            item.category(term=tag)
    return feed.rss_str(pretty=True)


def _midnight_utc(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
