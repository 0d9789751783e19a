"""Obsidian-flavoured Markdown at the source: what must change before anything reads a note.

Most gardeners write in Obsidian, whose syntax Python-Markdown does not know. What can be
decided on the text alone is decided here, once, when a note is read:

- `%%comments%%` are cut out of the body the model keeps, so no output (page, search,
  feeds, previews, backlink quotes, the PR summary) can ever show one: they all read the
  model's body, never the file.

Each construct is recognised outside code only (fenced blocks, inline code spans, HTML
comments: the regions `markdown_scan` skips), so a `%%` in a code sample stays text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from garden.markdown_scan import _code_regions  # the one notion of "inside code" the scanner has


@dataclass(frozen=True)
class Uncommented:
    """A body with its `%%comments%%` removed, and where a comment was left open."""

    body: str
    unclosed_at: int | None
    """The offset (in the original body) of a `%%` that no second `%%` closes."""


def remove_comments(body: str) -> Uncommented:
    """`body` without its `%%…%%` comments (inline or spanning lines), outside code.

    A comment's own line breaks are kept, so every later line keeps its number in problems;
    the rest of it goes, so neither its words nor trailing spaces (a Markdown line break)
    remain. A `%%` left open hides everything after it, as in Obsidian: an unfinished comment
    is never published, and the caller reports it.
    """
    if "%%" not in body:
        return Uncommented(body, None)
    code = _code_regions(body)
    starts = [start for start, _ in code]
    pieces: list[str] = []
    position = 0
    opening = _next_marker(body, 0, code, starts)
    while opening != -1:
        closing = _next_marker(body, opening + 2, code, starts)
        end = len(body) if closing == -1 else closing + 2
        before = body[position:opening]
        if "\n" in body[opening:end] or end == len(body) or body[end] == "\n":
            before = before.rstrip(" \t")  # no trailing spaces left to make a line break
        pieces += [before, "\n" * body.count("\n", opening, end)]
        if closing == -1:
            return Uncommented("".join(pieces), opening)
        position = end
        opening = _next_marker(body, position, code, starts)
    pieces.append(body[position:])
    return Uncommented("".join(pieces), None)


def _next_marker(body: str, start: int, code: list[tuple[int, int]], starts: list[int]) -> int:
    """The offset of the next `%%` at or after `start` that is not inside code, or -1."""
    while (found := body.find("%%", start)) != -1:
        index = bisect.bisect_right(starts, found) - 1
        if index < 0 or found >= code[index][1]:
            return found
        start = code[index][1]
    return -1
