"""Reading the parts of a note's Markdown body that Markdown itself does not parse: wikilinks,
and where headings are written (their lines; their ids are the parse's, garden/links.py).

Wikilinks inside code (fenced blocks, inline code spans) and HTML comments stay as written,
so the scanner first finds those regions and ignores everything inside them.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

# Anchors must be the ones MkDocs' `toc` extension gives headings, so use its own functions.
from markdown.extensions.toc import IDCOUNT_RE, slugify

_NEWLINE = re.compile("\n")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_BACKTICK_RUN = re.compile(r"`+")
_WIKILINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$", re.M)  # greedy to the line end: linear
_ID_IN_ATTRIBUTES = re.compile(r"(?:^|\s)#([\w-]+)")
# Bounded by brackets so a heading of `[` × n or `<` × n is not scanned to its end n times.
_INLINE_MARKUP = re.compile(r"[*_`~]|\[([^\[\]\n]*)\]\([^()\n]*\)|<[^<>\n]+>")


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
    """A link or image the parse of a note found (garden/links.py), and where it is written:
    `[text](path.md#anchor 'title')`, `[text][id]`, `<a href>`… A span of length 0 is a link
    whose place in the source is not known (raw HTML): only its line is."""

    start: int
    end: int
    line: int
    text: str
    url: str
    """As Python-Markdown gives it: brackets and escapes removed, a reference's definition."""
    image: bool = False
    reference: bool = False
    """`[text][id]`, `[text][]` or `[id]`: the URL is written in the definition, not here."""
    titled: bool = False
    """Written with a title (`[x](y.md "title")`): the author's, kept instead of the preview's."""
    raw_html: bool = False


@dataclass(frozen=True)
class Heading:
    text: str
    anchor: str
    line: int
    level: int = 0
    has_wikilink: bool = False
    """`## See [[x]]`: its anchor would depend on x's title, so such headings are refused."""


@dataclass(frozen=True)
class ScannedBody:
    wikilinks: tuple[WikiLink, ...]
    headings: tuple[Heading, ...]


def code_regions(body: str) -> list[tuple[int, int]]:
    """Spans of fenced code, inline code and HTML comments, sorted by start.

    Every step is linear in the length of the body: a hostile note of one long line of
    backticks, brackets or comment openers must not stall `check`, `build` or `serve`.
    """
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
    has_backticks, has_comments = "`" in body, "<!--" in body
    for start, stop in _outside(body, regions):
        if has_backticks:
            regions += _code_spans(body, start, stop)
        if has_comments:
            regions += _comments(body, start, stop)
    return sorted(regions)


def _code_spans(body: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Inline code: a run of n backticks opens a span that the next run of exactly n closes
    (CommonMark). Runs are found once and matched through per-length queues: O(n log n),
    where a backtracking regex took cubic time on a line of backticks."""
    runs = [(m.start(), m.end()) for m in _BACKTICK_RUN.finditer(body, start, stop)]
    by_length: dict[int, list[int]] = {}
    for index, (run_start, run_end) in enumerate(runs):
        by_length.setdefault(run_end - run_start, []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        run_start, run_end = runs[index]
        same = by_length[run_end - run_start]
        closer = bisect.bisect_right(same, index)
        if closer == len(same):
            index += 1  # no closing run: the backticks are literal text
            continue
        spans.append((run_start, runs[same[closer]][1]))
        index = same[closer] + 1
    return spans


def _comments(body: str, start: int, stop: int) -> list[tuple[int, int]]:
    """HTML comments; one left open runs to the end of the region, as in CommonMark."""
    spans: list[tuple[int, int]] = []
    while (opening := body.find("<!--", start, stop)) != -1:
        closing = body.find("-->", opening + 4, stop)
        start = stop if closing == -1 else closing + 3
        spans.append((opening, start))
    return spans


def _outside(body: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans, position = [], 0
    for start, end in sorted(regions):
        spans.append((position, start))
        position = end
    spans.append((position, len(body)))
    return spans


_LINK_DESTINATION = re.compile(r'\]\((?:[^()\n"]|"[^"\n]*")*\)')
"""The `(url "title")` after a link's text: not prose a reader reads in the page's text."""


def prose(text: str) -> str:
    """`text` without code, comments and link destinations (each replaced by a space): the
    words the page shows as text, where `abbr` finds glossary terms."""
    pieces, position = [], 0
    for start, end in code_regions(text):
        pieces += [text[position:start], " "]
        position = max(position, end)
    pieces.append(text[position:])
    return _LINK_DESTINATION.sub("] ", "".join(pieces))


def code_blanked(text: str) -> str:
    """`text` with code and comments blanked out (NUL characters, newlines kept): offsets and lines
    stay those of `text`, nothing inside code counts as markup, and no blank reads as indentation."""
    pieces, position = [], 0
    for start, end in code_regions(text):
        start = max(start, position)
        pieces += [text[position:start], re.sub(r"[^\n]", "\0", text[start:end])]
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def scan_body(body: str, first_line: int) -> ScannedBody:
    """Find wikilinks and heading lines outside code; lines are file lines (body starts at `first_line`)."""
    regions = code_regions(body)
    starts = [start for start, _ in regions]
    newlines = [match.start() for match in _NEWLINE.finditer(body)]

    def in_code(offset: int) -> bool:
        index = bisect.bisect_right(starts, offset) - 1
        return index >= 0 and regions[index][0] <= offset < regions[index][1]

    def line_of(offset: int) -> int:
        return first_line + bisect.bisect_right(newlines, offset - 1)

    wikilinks = tuple(_wikilink(body, m, line_of(m.start())) for m in _WIKILINK.finditer(body)
                      if not in_code(m.start()))
    headings: list[Heading] = []
    used: set[str] = set()
    numbered: dict[str, int] = {}
    for match in _HEADING.finditer(body):
        if in_code(match.start()):
            continue
        text, custom_id = _heading_text(match.group(2))
        plain = html.unescape(_INLINE_MARKUP.sub(lambda m: m.group(1) or "", text)).strip()
        anchor = custom_id or _unique(slugify(plain, "-"), used, numbered)
        used.add(anchor)
        headings.append(Heading(plain, anchor, line_of(match.start()), len(match.group(1)), "[[" in text))
    return ScannedBody(wikilinks, tuple(headings))


def _unique(anchor: str, used: set[str], numbered: dict[str, int]) -> str:
    """The id the `toc` extension gives a heading (its `unique`: `x`, then `x_1`, `x_2`…), without
    its walk from `_1` on every repeat, which made a note of a thousand equal headings cost a
    million steps. `numbered` remembers, for ids that were plain (not `x_3` already), the last
    number given: every number below it was taken then, and ids are never given back."""
    if anchor and anchor not in used:
        return anchor
    counted = IDCOUNT_RE.match(anchor)
    base, number = (counted.group(1), int(counted.group(2))) if counted else (anchor, numbered.get(anchor, 0))
    while f"{base}_{number + 1}" in used:
        number += 1
    if not counted:
        numbered[anchor] = number + 1
    return f"{base}_{number + 1}"


def _heading_text(written: str) -> tuple[str, str | None]:
    """A heading's text without closing hashes and without an attr_list `{: #id .class}`,
    and the id given there. String operations only: regular expressions anchored at the
    line's end backtracked quadratically on long runs of spaces or `#`."""
    text = written.rstrip(" \t")
    custom_id = None
    if text.endswith("}") and (opening := text.rfind("{")) != -1:
        found = _ID_IN_ATTRIBUTES.search(text[opening + 1:-1].lstrip(":"))
        custom_id = found.group(1) if found else None
        text = text[:opening].rstrip(" \t")
    without_hashes = text.rstrip("#")
    if without_hashes != text and (not without_hashes or without_hashes[-1] in " \t"):
        text = without_hashes.rstrip(" \t")
    return text, custom_id


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
