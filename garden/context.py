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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from garden.markdown_scan import MarkdownLink, WikiLink
from garden.model import Garden, Note, ResolvedLink

# Ends of a sentence, of a paragraph or list item, or a table cell's " | "; an admonition's
# opening line (`!!! note "Our view"`) and a footnote's definition start a new one.
_SENTENCE_END = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[^\n]*\n|^[ \t]*\[\^[^\]\n]+\]:"
                           r"|[.!?](?=\s)|\n\s*\n|\n\s*[-*+]\s|\n\s*\d+\.\s|\n#+\s|\s\|\s|^\||\|$", re.M)
_MARKUP = re.compile(
    r"\[\^[^\]\n]+\]"  # a footnote reference
    r"|<[^<>\n]+>"  # an HTML tag (its text stays)
    r"|\{\s*[:#.][^{}\n]*\}"  # an attribute list
    r"|\\(?=[^\w\s])"  # the backslash of an escaped character
    r"|\[![\w-]*\][+-]?|[ \t]\^[A-Za-z0-9-]{1,64}[ \t]*$"  # Obsidian's callout type, block id
    r"|[*_`]+|==|^\s*(?:[-*+]|\d+\.|#+|>)\s+", re.M)  # emphasis, code, a highlight, a block's marker
_MARKUP_CHARACTER = re.compile(r"[\[<{\\^*_`=\n]")
_BLOCK_MARKER = re.compile(r"\s*(?:[-*+]|\d+\.|#+|>)\s")
"""Every match of `_MARKUP` and `_LEFT_LINK` holds a `_MARKUP_CHARACTER` but a block's marker,
which, in one line, can only open it: a text with neither has nothing to drop. Most sentences
are plain prose, and these tests take a fraction of the time of `_MARKUP`'s."""
_SPACES = re.compile(r"\s+")
_NOT_ONE_SPACE = re.compile(r"[^\S ]|  ")
"""Whitespace `_SPACES` would change: a text without it is left as it is."""
_LEFT_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)|\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
"""A link markdown_scan keeps no token for (to another site, an image): shown as its text."""
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
MAX_SIDE = 160
"""Characters kept on each side of the link: a long sentence is cut with an ellipsis."""


@dataclass(frozen=True)
class LinkContext:
    before: str
    linked: str
    after: str


def link_context(link: ResolvedLink, garden: Garden) -> LinkContext:
    """The sentence of `link.source` that contains the link, split around the link text: every
    link in it as the text a reader sees (a bare `[[slug]]` as its note's title)."""
    note, body = link.source, link.source.body
    shown = {other.start: other.label for other in garden.links.get(note.path, ())}
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
    before = _plain(note, start, link.start, tokens, shown).lstrip()
    after = _plain(note, link.end, end, tokens, shown).rstrip()
    if len(before) > MAX_SIDE:
        before = "…" + before[-MAX_SIDE:].split(" ", 1)[-1]
    if len(after) > MAX_SIDE:
        after = after[:MAX_SIDE].rsplit(" ", 1)[0] + "…"
    return LinkContext(before, link.label, after)


def _inside(offset: int, tokens: Sequence[WikiLink | MarkdownLink]) -> bool:
    """Whether `offset` falls inside a link (tokens are sorted and never overlap)."""
    index = bisect.bisect_left(tokens, offset, key=lambda token: token.start) - 1
    return index >= 0 and tokens[index].start < offset < tokens[index].end


def _plain(note: Note, start: int, end: int, tokens: Sequence[WikiLink | MarkdownLink],
           shown: Mapping[int, str]) -> str:
    """`note.body[start:end]` as plain text: each link as the text a reader sees, markup dropped.
    Links stand as placeholders while markup is dropped, so their text is shown as it is."""
    pieces: list[str] = []
    texts: list[str] = []
    position = start
    first = bisect.bisect_left(tokens, start, key=lambda token: token.start)
    for token in tokens[first:bisect.bisect_left(tokens, end, key=lambda token: token.start)]:
        if token.end > end:
            continue
        pieces += [_unforged(note.body[position:token.start]), f"\ue000{len(texts)}\ue001"]
        texts.append(shown.get(token.start) or _written(token))
        position = token.end
    pieces.append(_unforged(note.body[position:end]))
    text = "".join(pieces)
    if _MARKUP_CHARACTER.search(text) or _BLOCK_MARKER.match(text):
        text = _LEFT_LINK.sub(lambda link: link[1] if link[1] is not None else link[3] or link[2], text)
        text = _MARKUP.sub("", text)
    if texts:
        text = _PLACEHOLDER.sub(lambda placeholder: texts[int(placeholder[1])], text)
    return _SPACES.sub(" ", text) if _NOT_ONE_SPACE.search(text) else text


def _unforged(text: str) -> str:
    """Text of the body without the character that opens a placeholder (U+E000, for private use,
    which no reader reads): a note that writes a placeholder can neither pass it off as one of
    its links nor stop the build with one that numbers no link."""
    return text.replace("\ue000", "") if "\ue000" in text else text


def _written(token: WikiLink | MarkdownLink) -> str:
    """A link's text when it leads to no published note (the build reports it)."""
    if isinstance(token, MarkdownLink):
        return "" if token.image else token.text
    return token.label or token.heading or token.target
