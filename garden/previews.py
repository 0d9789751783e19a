"""Link previews: what a popover shows of the note, or the section of a note, a link leads to.

A reader hovering a link wants enough of the target to decide whether to follow it: its
title, its summary and how it opens (Quartz and Obsidian Publish show the same), and for a
link to a heading, what that section opens with. All of it is known at build time, so the
site publishes it once, as one JSON file the browser fetches on the first hover or focus
(`docs/assets/previews.js`), rather than fetching a page on every hover.

The values are plain text, never HTML: the script puts them in place with `textContent`, so
whatever a note's text holds is shown as text. The text is read from the note's body with
the links `markdown_scan` found when the note was read (one tokenizer: a link shows the
label the page shows) and the headings and anchors it found (the anchors the page has).
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import nh3

from garden.html_policy import CONTENT_DROPPED
from garden.markdown_scan import MarkdownLink, WikiLink
from garden.model import Garden, Note, ResolvedLink

EXCERPT_LENGTH = 300
"""Characters of a paragraph a preview shows: a few lines of a popover, enough to judge a note by."""

_FENCES = ("```", "~~~")
# Where a block starts that is not a paragraph a reader would take for the opening: a list
# item, a table, a quote, raw HTML or a comment, an admonition, an image, a definition
# (abbreviation, footnote or link reference), an attribute list, a rule.
_NOT_A_PARAGRAPH = re.compile(r"(?:[-*+]|\d+[.)])(?:[ \t]|$)|[|><]|!!!|\?\?\?|!\[|\*\[|\[[^\[\]\n]*\]:"
                              r"|\{:|(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
# A Markdown link or image the scanner does not count as a link (an absolute URL, one with
# parentheses): the page shows a link's text and no image. One level of parentheses in the URL.
_INLINE_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
# Markup a reader never sees in the text: emphasis and code markers (an underscore only at a
# word's edge, as in Markdown), strikethrough, highlights, footnote references, attribute lists.
# Each alternative stops at a bracket or brace of its own kind: linear on hostile lines. The
# lookahead lets the engine skip plain text fast (a build reads every note's paragraphs).
_MARKUP = re.compile(r"(?=[*`~_\[{=])(?:[*`]+|~~|==|(?<!\w)_+|_+(?!\w)|\[\^[^\[\]\n]*\]|\{:[^{}\n]*\})")
_BLOCK_LEAD = re.compile(r"[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)?")
"""What opens a block's first line before its text: indentation, quote markers, a list marker."""
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A backslash-escaped punctuation character: shown as the character, never taken for markup."""
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
"""The characters of markup, as JSON escapes."""


@dataclass(frozen=True)
class SectionPreview:
    """What a link to one heading of a note previews: the heading and how its section opens."""

    heading: str
    excerpt: str


@dataclass(frozen=True)
class NotePreview:
    """What a link to a note previews, and, by anchor, what a link to each of its headings does."""

    title: str
    summary: str
    excerpt: str
    """The note's opening paragraph (the first of its body: the summary is not part of the body)."""
    sections: dict[str, SectionPreview]


def previews_json(garden: Garden, url: Callable[[str], str],
                  encoded_preview: Callable[[Note], str] | None = None) -> str:
    """The previews of every published note as the one JSON file the site publishes, keyed by
    each note's URL relative to the site root (`url(path)`, as the adapter knows MkDocs makes
    it): the script looks a link up by the path it leads to. Compact and UTF-8, since every
    reader who hovers a link downloads all of it. The file is written a note at a time
    (`preview_json`), so that `encoded_preview` may keep each note's between builds (`make
    serve`); by default each is made."""
    encode = encoded_preview or (lambda note: preview_json(note_preview(note, garden)))
    entries = (f"{_json_url(url(path))}:{encode(note)}" for path, note in garden.notes.items())
    return "{" + ",".join(entries) + "}"


def preview_json(preview: NotePreview) -> str:
    """One note's preview as JSON. `<`, `>` and `&` are written as JSON escapes (they occur only
    inside strings): a title such as `<img onerror=…>` is the same text once parsed, and no tag
    appears in the file for a browser sniffing it, or a page inlining it, to run."""
    return _json(preview)


@functools.lru_cache(maxsize=1 << 16)
def _json_url(url: str) -> str:
    """A note's URL as a JSON key, cached: `make serve` writes every note's on each save."""
    return _json(url)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=vars).translate(_HTML_SAFE)


def note_preview(note: Note, garden: Garden) -> NotePreview:
    """The preview of one note: its first paragraph, the first paragraph under each heading
    (before the next heading of any level, so a section that opens with a subsection has none),
    and each block with an id (`^id`), under the anchor `^id`."""
    text = _Text.of(note, garden, [block.end for block in note.blocks])
    paragraphs = list(_paragraphs(note))
    paragraph_lines = [paragraph.line for paragraph in paragraphs]
    heading_lines = [heading.line - note.body_line for heading in note.headings]
    sections: dict[str, SectionPreview] = {}
    bounds = itertools.pairwise([*heading_lines, math.inf])  # each heading's line, and the next one's
    for heading, (start, end) in zip(note.headings, bounds, strict=True):
        index = bisect.bisect_right(paragraph_lines, start)
        opening = paragraphs[index] if index < len(paragraphs) and paragraph_lines[index] < end else None
        sections[heading.anchor] = SectionPreview(heading.text, text.excerpt(opening))
    for block in note.blocks:  # `[[note#^id]]` previews the paragraph or list item itself
        start = _BLOCK_LEAD.match(note.body, block.start).end()  # type: ignore[union-attr]  # `*` matches
        sections[f"^{block.id}"] = SectionPreview("", _trimmed(text.plain(start, block.end)))
    return NotePreview(note.title, note.meta.summary,
                       text.excerpt(paragraphs[0] if paragraphs else None), sections)


@dataclass(frozen=True)
class _Paragraph:
    line: int
    """The paragraph's first line, counted from the body's first (0)."""
    start: int
    end: int
    """Offsets in the body: `body[start:end]` is the paragraph."""


def _paragraphs(note: Note) -> Iterator[_Paragraph]:
    """The body's paragraphs, in order: blocks separated by blank lines and by heading lines
    (the scanner knows which `#` lines are headings), that open as prose does. Fenced code is
    skipped whole, blank lines in it included; a block indented by four spaces is code, or
    the text of a list item."""
    heading_lines = {heading.line - note.body_line for heading in note.headings}
    opened: tuple[int, int] | None = None  # where the paragraph being read began: line, offset
    in_block = False
    fence = ""
    offset = 0
    for index, line in enumerate([*note.body.split("\n"), ""]):  # a last blank line ends the last block
        stripped = line.lstrip(" ")
        indented = len(line) - len(stripped) >= 4
        opens_fence = not indented and stripped.startswith(_FENCES)
        if fence:  # closed by a run of the same character, at least as long, and nothing else
            if not indented and stripped.startswith(fence) and not stripped.strip().strip(fence[0]):
                fence = ""
        elif opens_fence or index in heading_lines or not stripped.strip():
            if opened is not None:
                yield _Paragraph(*opened, end=offset - 1)
            opened, in_block = None, False
            if opens_fence:
                fence = stripped[:len(stripped) - len(stripped.lstrip(stripped[0]))]
        elif not in_block:
            in_block = True
            if not indented and not _NOT_A_PARAGRAPH.match(stripped):
                opened = (index, offset)
        offset += len(line) + 1


@dataclass(frozen=True)
class _Text:
    """A note's body read as the page shows it: its links sorted by where they start (once per
    note), and the labels its wikilinks resolved to."""

    note: Note
    links: list[WikiLink | MarkdownLink]
    resolved: dict[int, ResolvedLink]
    block_ends: list[int]
    """Where each block with an id ends, before its ` ^id`, in order."""

    @classmethod
    def of(cls, note: Note, garden: Garden, block_ends: list[int]) -> _Text:
        return cls(note, sorted([*note.wikilinks, *note.markdown_links], key=_start),
                   garden.wikilink_targets.get(note.path, {}), block_ends)

    def excerpt(self, paragraph: _Paragraph | None) -> str:
        """A paragraph as plain text, trimmed, without a closing block id; "" when there is none."""
        if paragraph is None:
            return ""
        index = bisect.bisect_left(self.block_ends, paragraph.start)
        ends_in_id = index < len(self.block_ends) and self.block_ends[index] <= paragraph.end
        return _trimmed(self.plain(paragraph.start, self.block_ends[index] if ends_in_id else paragraph.end))

    def plain(self, start: int, end: int) -> str:
        """`body[start:end]` as the page shows it: each link as its label (a wikilink as resolved,
        `[[slug]]` showing the target's title), markup dropped, raw HTML as the published page
        has it (garden/html_policy.py's sanitizer: no tag, nor a `<script>`'s content, is left),
        entities decoded, white space collapsed."""
        body, links = self.note.body, self.links
        first, last = (bisect.bisect_left(links, offset, key=_start) for offset in (start, end))
        pieces: list[str] = []
        position = start
        for link in links[first:last]:
            if link.start < position or link.end > end:  # links never overlap; a hostile body gets no say
                continue
            pieces.append(_unmarked(body[position:link.start]))
            if isinstance(link, MarkdownLink):
                pieces.append("" if link.image else _unmarked(link.text))
            else:  # a wikilink's label is shown literally (garden/wikilinks.py escapes it as Markdown)
                target = self.resolved.get(link.start)
                label = target.label if target else link.label or link.target or link.heading or ""
                pieces.append(html.escape(label))
            position = link.end
        pieces.append(_unmarked(body[position:end]))
        shown = "".join(pieces)
        if "<" in shown or "&" in shown:  # HTML or an entity (most paragraphs have neither)
            shown = html.unescape(nh3.clean(shown, tags=set(), clean_content_tags=set(CONTENT_DROPPED)))
        return " ".join(shown.split())


def _start(link: WikiLink | MarkdownLink) -> int:
    return link.start


def _unmarked(markdown: str) -> str:
    """Inline Markdown with its markup removed, an escaped character kept as that character:
    what is left is HTML (the raw HTML a note may hold, and text), for the sanitizer to read."""
    parts = _ESCAPED.split(markdown)  # text, escaped character, text, …
    return "".join(html.escape(part) if index % 2 else _MARKUP.sub("", _INLINE_LINK.sub(_label, part))
                   for index, part in enumerate(parts))


def _label(link: re.Match[str]) -> str:
    return "" if link.group(1) else link.group(2)


def _trimmed(text: str) -> str:
    """At most about `EXCERPT_LENGTH` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= EXCERPT_LENGTH:
        return text
    cut = text[:EXCERPT_LENGTH + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[:EXCERPT_LENGTH]
    return cut.rstrip(" ,;:.—–-") + "…"
