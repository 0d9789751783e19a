"""Reading the parts of a note's Markdown body the garden cares about: links and headings.

Links inside code (fenced blocks, inline code spans) and HTML comments stay as written,
so the scanner first finds those regions and ignores everything inside them.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

# Anchors must be the ones MkDocs' `toc` extension gives headings, so use its own functions.
from markdown.extensions.toc import slugify, unique

_NEWLINE = re.compile("\n")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_INLINE_CODE = re.compile(r"(`+).+?(?<!`)\1(?!`)", re.S)  # `+ is greedy: a run opens whole
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_WIKILINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
_MD_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*$", re.M)
_CUSTOM_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_INLINE_MARKUP = re.compile(r"[*_`~]|\[([^\]]*)\]\([^)]*\)|<[^>]+>")


@dataclass(frozen=True)
class WikiLink:
    """A `[[target#heading|label]]` as written in a note."""

    start: int
    end: int
    line: int
    target: str
    heading: str | None
    label: str | None
    embed: bool


@dataclass(frozen=True)
class MarkdownLink:
    """A `[text](relative/path.md#anchor)` as written in a note."""

    start: int
    end: int
    line: int
    text: str
    url: str


@dataclass(frozen=True)
class Heading:
    text: str
    anchor: str
    line: int


@dataclass(frozen=True)
class ScannedBody:
    wikilinks: tuple[WikiLink, ...]
    markdown_links: tuple[MarkdownLink, ...]
    headings: tuple[Heading, ...]


def _code_regions(body: str) -> list[tuple[int, int]]:
    """Spans of fenced code, inline code and HTML comments, sorted by start."""
    regions: list[tuple[int, int]] = []
    position = 0 if ("```" in body or "~~~" in body) else len(body)
    while match := _FENCE_OPEN.search(body, position):
        fence = match.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        line_end = body.find("\n", match.end())
        end_match = closing.search(body, line_end + 1) if line_end != -1 else None
        end = end_match.end() if end_match else len(body)
        regions.append((match.start(), end))
        position = max(end, match.end() + 1)
    outside = _outside(body, regions)
    for pattern, marker in ((_INLINE_CODE, "`"), (_COMMENT, "<!--")):
        if marker not in body:
            continue
        for start, stop in outside:
            regions.extend(m.span() for m in pattern.finditer(body, start, stop))
    return sorted(regions)


def _outside(body: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans, position = [], 0
    for start, end in sorted(regions):
        spans.append((position, start))
        position = end
    spans.append((position, len(body)))
    return spans


def scan_body(body: str, first_line: int) -> ScannedBody:
    """Find links and headings outside code; lines are file lines (body starts at `first_line`)."""
    regions = _code_regions(body)
    starts = [start for start, _ in regions]
    newlines = [match.start() for match in _NEWLINE.finditer(body)]

    def in_code(offset: int) -> bool:
        index = bisect.bisect_right(starts, offset) - 1
        return index >= 0 and regions[index][0] <= offset < regions[index][1]

    def line_of(offset: int) -> int:
        return first_line + bisect.bisect_right(newlines, offset - 1)

    wikilinks = tuple(_wikilink(body, m, line_of(m.start())) for m in _WIKILINK.finditer(body)
                      if not in_code(m.start()))
    markdown_links = tuple(MarkdownLink(m.start(), m.end(), line_of(m.start()), m.group(1), m.group(2))
                           for m in (_MD_LINK.finditer(body) if "](" in body else ())
                           if not in_code(m.start()) and not _preceded_by(body, m.start(), "!\\"))
    headings: list[Heading] = []
    used: set[str] = set()
    for match in _HEADING.finditer(body):
        if in_code(match.start()):
            continue
        text = _CLOSING_HASHES.sub("", match.group(2))
        custom = _CUSTOM_ID.search(text)
        text = _CUSTOM_ID.sub("", text)
        plain = html.unescape(_INLINE_MARKUP.sub(lambda m: m.group(1) or "", text)).strip()
        anchor = custom.group(1) if custom else unique(slugify(plain, "-"), used)
        used.add(anchor)
        headings.append(Heading(plain, anchor, line_of(match.start())))
    return ScannedBody(wikilinks, markdown_links, tuple(headings))


def _preceded_by(body: str, offset: int, characters: str) -> bool:
    """Whether the character before `offset` is one of `characters` (an image `!`, an escape `\\`)."""
    return offset > 0 and body[offset - 1] in characters


def _wikilink(body: str, match: re.Match[str], line: int) -> WikiLink:
    inner = match.group(1)
    embed = _preceded_by(body, match.start(), "!")
    target, _, label = inner.partition("|")
    target = target.rstrip("\\")  # `[[a\|b]]` is how a wikilink is written inside a table
    name, hash_, heading = target.partition("#")
    return WikiLink(start=match.start() - int(embed), end=match.end(), line=line, target=name.strip(),
                    heading=heading.strip() if hash_ else None, label=label.strip() or None, embed=embed)
