"""The sentence around a link, as plain text: what a backlink shows of the linking note.

Quartz and Obsidian Publish readers want to see *why* a note links here, not just that it
does. The sentence is cut from the source body around the link's offsets and stripped of
Markdown, with the link's own text kept apart so the adapter can mark it. Links inside the
sentence are the ones `markdown_scan` found when the note was read: one tokenizer, so a
`[[target | label]]` is one link here too, never a sentence break.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from garden.markdown_scan import MarkdownLink, WikiLink
from garden.model import Note, ResolvedLink

# Ends of a sentence, of a paragraph or list item, or a table cell's " | ".
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n|\n\s*[-*+]\s|\n\s*\d+\.\s|\n#+\s|\s\|\s|^\||\|$", re.M)
# Markup, and Obsidian's: a callout's `[!type]`, a block id `^id` at a line's end, a highlight's `==`.
_MARKUP = re.compile(r"[*_`]+|==|^\s*(?:[-*+]|\d+\.|#+|>)\s+|\[![\w-]*\][+-]?"
                     r"|[ \t]\^[A-Za-z0-9-]{1,64}[ \t]*$", re.M)
MAX_SIDE = 160
"""Characters kept on each side of the link: a long sentence is cut with an ellipsis."""


@dataclass(frozen=True)
class LinkContext:
    before: str
    linked: str
    after: str


def link_context(link: ResolvedLink) -> LinkContext:
    """The sentence of `link.source` that contains the link, split around the link text."""
    note, body = link.source, link.source.body
    tokens = note.link_tokens
    window_start = max(0, link.start - 4 * MAX_SIDE)  # a sentence longer than this is cut anyway
    window_end = min(len(body), link.end + 4 * MAX_SIDE)
    starts = [m.end() for m in _SENTENCE_END.finditer(body, window_start, link.start)
              if not _inside(m.start(), tokens)]
    start = starts[-1] if starts else window_start
    end = window_end
    for match in _SENTENCE_END.finditer(body, link.end, window_end):
        if not _inside(match.start(), tokens):
            end = match.end() if body[match.start()] in ".!?" else match.start()
            break
    before = _plain(note, start, link.start, tokens).lstrip()
    after = _plain(note, link.end, end, tokens).rstrip()
    if len(before) > MAX_SIDE:
        before = "…" + before[-MAX_SIDE:].split(" ", 1)[-1]
    if len(after) > MAX_SIDE:
        after = after[:MAX_SIDE].rsplit(" ", 1)[0] + "…"
    return LinkContext(before, link.label, after)


def _inside(offset: int, tokens: Sequence[WikiLink | MarkdownLink]) -> bool:
    """Whether `offset` falls inside a link (tokens are sorted and never overlap)."""
    index = bisect.bisect_left(tokens, offset, key=lambda token: token.start) - 1
    return index >= 0 and tokens[index].start < offset < tokens[index].end


def _plain(note: Note, start: int, end: int, tokens: Sequence[WikiLink | MarkdownLink]) -> str:
    """`note.body[start:end]` as plain text: each link as the text a reader sees, markup dropped."""
    pieces, position = [], start
    first = bisect.bisect_left(tokens, start, key=lambda token: token.start)
    for token in tokens[first:bisect.bisect_left(tokens, end, key=lambda token: token.start)]:
        if token.end > end:
            continue
        pieces += [note.body[position:token.start], _shown(token)]
        position = token.end
    pieces.append(note.body[position:end])
    return re.sub(r"\s+", " ", _MARKUP.sub("", "".join(pieces)))


def _shown(token: WikiLink | MarkdownLink) -> str:
    if isinstance(token, MarkdownLink):
        return token.text
    return token.label or token.target or token.heading or ""
