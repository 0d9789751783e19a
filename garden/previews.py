"""Link previews: what a popover shows of the note, or the section of a note, a link leads to.

A reader hovering a link wants enough of the target to decide whether to follow it: its
title, its summary and how it opens, formatted as the page is (Quartz and Obsidian Publish
show the same), and for a link to a heading, that section. All of it is known at build time,
so the site publishes it as JSON the browser fetches when a reader first reaches for a link
(`docs/assets/previews.js`), rather than fetching a page on every hover.

The opening and each section are HTML cut from the note's page as the build published it
(rendered once, by the engine, and held to the HTML policy: garden/html_policy.py `enforce`),
so a preview costs no Markdown of its own: the body, without the summary lead the page opens
with (the popover shows the summary apart), held to a tighter policy: a popover is no page,
so no link (its text stays), no image, no id (it would repeat one of the page the popover
opens on) and no glossary abbreviation (its text stays; the definition is the page's to show).
A note short enough is previewed whole; a link to one of its headings then scrolls the
popover there (`at`).

The previews are sharded by a stable hash of each note's URL (`shard_of`: FNV-1a, which the
script computes the same way) into `previews/<3 hex digits>.json`: a reader's first hover
downloads one shard, a note or a few at any garden size, and a save under `make serve`
rewrites only the shards of the notes it changed (garden/site.py keeps each note's JSON).
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3

from garden.chrome import LEAD_START
from garden.conventions import PREVIEWS_DIR
from garden.html_policy import (
    ALLOWED_TAGS,
    ATTRIBUTES,
    CONTENT_DROPPED,
    GLOBAL_ATTRIBUTES,
    URL_ATTRIBUTES,
)
from garden.model import Garden, Note

EXCERPT_LENGTH = 300
"""Characters of text a block too long to show whole is cut to."""
OPENING_LENGTH = 1_200
"""Characters of HTML an opening or a section shows, in whole blocks (the first one always, cut
to `EXCERPT_LENGTH` characters of text if it is longer than twice this): a few lines of a popover."""
WHOLE_NOTE_LENGTH = 3_000
"""A note whose preview HTML is no longer than this is previewed whole."""
NOTE_LENGTH = 24_000
"""Characters of HTML one note's sections may take together; later sections show the summary.
This bounds a shard whatever a note holds (a note of 500 headings)."""
SHARD_BITS = 12
"""4,096 shards: at 1,000 notes most hold one note, and at 100,000 some 25 (about 50 KB)."""

_PREVIEW_TAGS = frozenset(ALLOWED_TAGS - {"a", "img", "abbr"})
_PREVIEW_ATTRIBUTES = {"*": set(GLOBAL_ATTRIBUTES - {"id"}),
                       **{tag: set(names - URL_ATTRIBUTES) for tag, names in ATTRIBUTES.items()
                          if tag in _PREVIEW_TAGS}}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"br", "col", "hr", "img", "wbr"})
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
"""toc's permalink (`¶`) after a heading's text, as the sanitizer writes it back: without its
link, a preview would show the sign."""
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
"""The characters of markup, as JSON escapes."""


@dataclass(frozen=True)
class SectionPreview:
    """What a link to one heading (or block id) of a note previews: the heading and the section
    as HTML, or, when the note is previewed whole, which heading of it (`at`) to scroll to."""

    heading: str
    html: str = ""
    at: int | None = None


@dataclass(frozen=True)
class NotePreview:
    """What a link to a note previews, and, by anchor, what a link to each of its headings does."""

    title: str
    summary: str
    html: str
    """The note's opening (the summary is not part of the body), or the whole note if `whole`."""
    whole: bool
    sections: dict[str, SectionPreview]


def note_preview(note: Note, page_html: str) -> NotePreview:
    """The preview of one note, from the HTML its page published (`page_html`): its opening
    (the blocks before its first heading), each heading's section (the blocks up to the next
    heading of any level), each block with an id (`^id`) as itself; or the whole note, when
    it is short."""
    page = _body(page_html)
    found = _Elements.of(page)
    headings = [(anchor, start) for anchor, (tag, start, _) in found.ids.items() if tag in _HEADINGS]
    heading_text = {heading.anchor: heading.text for heading in note.headings}
    whole_html = _for_preview(page)
    whole = len(whole_html) <= WHOLE_NOTE_LENGTH
    sections: dict[str, SectionPreview] = {}
    budget = NOTE_LENGTH
    for anchor, (tag, start, end) in found.ids.items():
        if tag in _HEADINGS:
            text = heading_text.get(anchor) or _text(page[start:end])
            if whole:
                before = sum(1 for heading in found.headings if heading < start)
                sections[anchor] = SectionPreview(text, at=before)
                continue
            following = [block for block in found.blocks if block.start > start]
            ends = [block.start for block in following if block.tag in _HEADINGS]
            shown = _opening(page, [block for block in following if not ends or block.start < ends[0]])
        elif anchor.startswith("^"):
            text, shown = "", _for_preview(f"<ul>{page[start:end]}</ul>" if tag == "li" else page[start:end])
        else:
            continue
        shown = shown if len(shown) <= budget else ""
        budget -= len(shown)
        sections[anchor] = SectionPreview(text, shown)
    first_heading = min((start for _, start in headings), default=len(page))
    opening = whole_html if whole else _opening(page, [b for b in found.blocks if b.start < first_heading
                                                     and b.tag not in _HEADINGS])
    return NotePreview(note.title, note.meta.summary, opening, whole, sections)


def _body(page_html: str) -> str:
    """A note page's HTML without the summary lead it opens with (garden/wikilinks.py
    `summary_lead`): the summary is escaped Markdown text, so its paragraph's end is the first."""
    if not page_html.startswith(LEAD_START):
        return page_html
    return page_html[page_html.index("</p>") + len("</p>"):].lstrip("\n")


def _opening(page: str, blocks: Iterable[_Block]) -> str:
    """The first blocks, whole, up to `OPENING_LENGTH` characters; the first always, as text
    cut to `EXCERPT_LENGTH` when it is very long."""
    shown: list[str] = []
    length = 0
    for block in blocks:
        fragment = _for_preview(page[block.start:block.end])
        if not _text(fragment):
            continue
        if not shown and len(fragment) > 2 * OPENING_LENGTH:
            return f"<p>{html.escape(_trimmed(_text(fragment)))}</p>"
        if shown and length + len(fragment) > OPENING_LENGTH:
            break
        shown.append(fragment)
        length += len(fragment)
    return "".join(shown)


def _for_preview(page_html: str) -> str:
    """HTML the policy allows, held to the popover's: links become their text, images and ids go."""
    return nh3.clean(_PERMALINK.sub("", page_html), tags=set(_PREVIEW_TAGS),
                     clean_content_tags=set(CONTENT_DROPPED), attributes=_PREVIEW_ATTRIBUTES,
                     link_rel=None, strip_comments=True).strip()


def _text(fragment: str) -> str:
    text = nh3.clean(fragment, tags=set(), clean_content_tags=set(CONTENT_DROPPED))
    return " ".join(html.unescape(text).split())


@dataclass(frozen=True)
class _Block:
    tag: str
    start: int
    end: int
    """Offsets in the HTML: `page[start:end]` is the element, tags included."""


class _Elements(HTMLParser):
    """Where the top-level elements of sanitized HTML are, where each element with an id is, and
    where each heading starts. The sanitizer writes well-formed HTML (every element closed as
    `</tag>`), so offsets are exact."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", page))]
        self._open: list[tuple[str, str | None, int]] = []
        self.blocks: list[_Block] = []
        self.ids: dict[str, tuple[str, int, int]] = {}
        self.headings: list[int] = []

    @classmethod
    def of(cls, page: str) -> _Elements:
        elements = cls(page)
        elements.feed(page)
        elements.close()
        return elements

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        if tag in _HEADINGS:
            self.headings.append(start)
        if tag in _VOID:
            if not self._open:
                self.blocks.append(_Block(tag, start, start + len(self.get_starttag_text() or "")))
            return
        self._open.append((tag, dict(attrs).get("id"), start))

    def handle_endtag(self, tag: str) -> None:
        end = self._offset() + len(f"</{tag}>")
        while self._open:
            opened, anchor, start = self._open.pop()
            if anchor and anchor not in self.ids:
                self.ids[anchor] = (opened, start, end)
            if not self._open:
                self.blocks.append(_Block(opened, start, end))
            if opened == tag:
                break


def _trimmed(text: str) -> str:
    """At most about `EXCERPT_LENGTH` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= EXCERPT_LENGTH:
        return text
    cut = text[:EXCERPT_LENGTH + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[:EXCERPT_LENGTH]
    return cut.rstrip(" ,;:.—–-") + "…"


@functools.lru_cache(maxsize=1 << 16)
def shard_of(url: str) -> str:
    """The shard file of a note's URL: the top `SHARD_BITS` of FNV-1a (32 bits) of the URL as
    the browser reads it (percent-decoded, UTF-8), in hexadecimal. Stable: adding a note
    never moves another, so a save rewrites only the shards of the notes it changed. Cached:
    a build asks for each note's shard as it lists the files and as it fills them, and a save
    of `make serve` for every note again."""
    hashed = 0x811C9DC5
    for byte in unquote(url).encode():
        hashed = ((hashed ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{PREVIEWS_DIR}/{hashed >> (32 - SHARD_BITS):03x}.json"


def preview_shard_paths(garden: Garden, url: Callable[[str], str]) -> set[str]:
    """The shard files the previews of every published note fill: known before any page is
    rendered, when the engine lists the site's files (`url(path)`: a note's URL relative to
    the site root, as the adapter knows the engine makes it)."""
    return {shard_of(url(path)) for path in garden.notes}


def preview_shards(previews: Iterable[tuple[str, str]]) -> dict[str, bytes]:
    """The previews, as the shard files the site publishes, by path: each a JSON object of its
    notes' previews keyed by each note's URL relative to the site root, in the order given.
    `previews`: each note's URL and its preview as JSON (`preview_json`), so that `make serve`
    may keep each. Each shard's entries are let go of once it is written out."""
    shards: dict[str, list[tuple[str, str]]] = {}
    for address, encoded in previews:
        shards.setdefault(shard_of(address), []).append((address, encoded))
    return {shard: ("{" + ",".join(f"{_json(address)}:{encoded}" for address, encoded in shards.pop(shard))
                    + "}").encode() for shard in sorted(shards)}


def preview_json(preview: NotePreview) -> str:
    """One note's preview as JSON, without the fields it does not need. `<`, `>` and `&` are
    written as JSON escapes (they occur only inside strings): the HTML is the same once parsed,
    and no tag appears in the file for a browser sniffing it, or a page inlining it, to run."""
    sections = {anchor: {"heading": section.heading, **({"at": section.at} if section.at is not None
                                                         else {"html": section.html})}
                for anchor, section in preview.sections.items()}
    return _json({"title": preview.title, "summary": preview.summary, "html": preview.html,
                  **({"whole": True} if preview.whole else {}), "sections": sections})


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_HTML_SAFE)
