"""The sentence around a link, as plain text: what a backlink shows of the linking note.

Quartz and Obsidian Publish readers want to see *why* a note links here, not just that it
does. The sentence is cut from the source body around the link's offsets and stripped of
Markdown, with the link's own text kept apart so the adapter can mark it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from garden.model import ResolvedLink

# Ends of a sentence, of a paragraph or list item, or a table cell's " | " (not the `|` of a
# `[[target|label]]`, which has no space before it).
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n|\n\s*[-*+]\s|\n\s*\d+\.\s|\n#+\s|\s\|\s|^\||\|$", re.M)
_WIKILINK = re.compile(r"\[\[([^\[\]\n|#]*)(?:#[^\[\]\n|]*)?(?:\|([^\[\]\n]*))?\]\]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]+|^\s*(?:[-*+]|\d+\.|#+|>)\s+", re.M)
MAX_SIDE = 160
"""Characters kept on each side of the link: a long sentence is cut with an ellipsis."""


@dataclass(frozen=True)
class LinkContext:
    before: str
    linked: str
    after: str


def link_context(link: ResolvedLink) -> LinkContext:
    """The sentence of `link.source` that contains the link, split around the link text."""
    body = link.source.body
    window = max(0, link.start - 4 * MAX_SIDE)  # a sentence longer than this is cut anyway
    starts = [m.end() for m in _SENTENCE_END.finditer(body, window, link.start)]
    start = starts[-1] if starts else window
    window_end = min(len(body), link.end + 4 * MAX_SIDE)
    end_match = _SENTENCE_END.search(body, link.end, window_end)
    end = end_match.end() if end_match and body[end_match.start()] in ".!?" else (
        end_match.start() if end_match else window_end)
    before, after = _plain(body[start:link.start]).lstrip(), _plain(body[link.end:end]).rstrip()
    if len(before) > MAX_SIDE:
        before = "…" + before[-MAX_SIDE:].split(" ", 1)[-1]
    if len(after) > MAX_SIDE:
        after = after[:MAX_SIDE].rsplit(" ", 1)[0] + "…"
    return LinkContext(before, link.label, after)


def _plain(markdown: str) -> str:
    text = _WIKILINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), markdown)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    return re.sub(r"\s+", " ", _MARKUP.sub("", text))
