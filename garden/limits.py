"""Limits on the work a note's body causes, checked before Python-Markdown ever sees it.

Anyone can open a pull request, and a size limit alone does not bound the work: Python-Markdown
reads from each `[`, `](` or start tag to its closing `]`, `)` or `>` — to the end of the
paragraph (or of the page) when there is none — so 20,000 `[` in 80 KB cost minutes; it
recurses once per level of nested lists, quotes, HTML blocks and emphasis, so a few hundred
levels are a RecursionError; and lxml refuses the control characters and Unicode
non-characters that the feeds would carry. Each check here is linear in the body's length (a
few sorts aside), shared by `check` and the build through `build.read_note`, and a note that
fails one is never rendered: its problems say which line to fix.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from garden.markdown_scan import ScannedBody, code_blanked
from garden.problems import NONCHARACTERS, Problem, code_point

MAX_LINKS = 200
"""Links (wikilinks and Markdown links) in one note: each link to a note carries the target's
title and summary (up to 450 characters) into the page; six times the garden's most."""
MAX_NESTING = 20
"""Levels of lists, quotes and HTML elements inside each other: Python-Markdown recurses once
per level and fails at a few hundred; prose needs three or four."""
MAX_EMPHASIS = 500
"""Emphasis markers (runs of `*`, `_`, `~`) in one paragraph: nested emphasis recurses once per
level, and 500 runs make at most 250 levels, well inside Python's recursion limit."""
MAX_INLINE_COST = 1_000_000_000
"""Pieces of inline markup (escapes, emphasis runs, code spans, entities, tags, brackets) in one
paragraph times its length: Python-Markdown rewrites the whole paragraph for every piece it
finds, so this is about the characters it copies (a second's work). A paragraph of prose
costs a few hundred thousand; 20,000 escapes in one 40 KB paragraph still pass."""
MAX_FENCE_LINES = 400
"""Lines opening or closing a fenced code block (200 blocks): each block is highlighted on its
own (about a millisecond) and superfences reassembles the text once per block."""
MAX_SCAN_STEPS = 1_000_000
"""Characters Python-Markdown may read while looking for closing brackets, parentheses and `>`
(about a third of a second): a page of ordinary prose needs a few thousand."""

_BODY_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{NONCHARACTERS}]")
"""C0 control characters but tab and line breaks, and the Unicode non-characters: XML (the
feeds) cannot hold them, and a reader sees nothing where they are."""
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ESCAPED = re.compile(r"\\[^\n]")
_EMPHASIS_RUN = re.compile(r"[*_~]+")
_INLINE_MARKUP = re.compile(r"\\[^\n]|[*_~]+|`+|&#?\w+;|</?[A-Za-z!]|!?\[")
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.M)
_LINK_OPENING = re.compile(r"\]\(|\]\[")
_START_TAG = re.compile(r"<[A-Za-z]")
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^<>]*?(/?)>")
_VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                            "source", "track", "wbr"})


def body_problems(path: str, body: str, body_line: int, scanned: ScannedBody) -> list[Problem]:
    """Everything in `body` (starting on file line `body_line`) over a limit, one problem each."""

    def line(offset: int) -> int:
        return body_line + body.count("\n", 0, offset)

    problems: list[Problem] = []
    if (forbidden := _BODY_FORBIDDEN.search(body)) is not None:
        kind = "control character" if forbidden.group() < " " else "Unicode non-character"
        problems.append(Problem(path, line(forbidden.start()), f"the text contains the {kind} "
                                f"{code_point(forbidden.group())}", "remove it: it is invisible, "
                                "and the feeds (XML) cannot hold it"))
    blanked = code_blanked(body)
    markup = _ESCAPED.sub("\0\0", blanked)  # an escaped `\[` is text, not a bracket
    # Counted before Markdown reads the note (which finds them exactly): each `](` or `][` outside
    # code opens an inline or reference link, so the count is linear and never under the truth.
    openings = [match.start() for match in _LINK_OPENING.finditer(markup)]
    if (count := len(scanned.wikilinks) + len(openings)) > MAX_LINKS:
        # The line of the first link over the limit: among the first MAX_LINKS + 1 of each kind.
        lines = sorted([link.line for link in scanned.wikilinks[:MAX_LINKS + 1]]
                       + [line(offset) for offset in openings[:MAX_LINKS + 1]])
        problems.append(Problem(path, lines[MAX_LINKS], f"the note has {count:,} links, over the "
                                f"limit of {MAX_LINKS}", "link to the few notes that matter here, "
                                "or split the note"))
    fences = [match.start() for match in _FENCE_LINE.finditer(body)]
    if len(fences) > MAX_FENCE_LINES:
        problems.append(Problem(path, line(fences[MAX_FENCE_LINES]), f"the note has {len(fences):,} code "
                                f"fence lines, over the limit of {MAX_FENCE_LINES}", "keep a few code "
                                "blocks per note, or split the note"))
    if (deep := _too_deep(markup)) is not None:
        offset, what = deep
        problems.append(Problem(path, line(offset), f"{what} nested more than {MAX_NESTING} levels deep",
                                "flatten it: a few levels are all a reader can follow"))
    steps, costliest = 0, (0, 0)
    for start, block in _blocks(markup):
        if (runs := len(_EMPHASIS_RUN.findall(block))) > MAX_EMPHASIS:
            problems.append(Problem(path, line(start), f"the paragraph has {runs:,} emphasis markers "
                                    f"('*', '_', '~'), over the limit of {MAX_EMPHASIS}",
                                    "escape literal ones as \\*, \\_ and \\~, or split the paragraph"))
        marks = len(_INLINE_MARKUP.findall(blanked, start, start + len(block)))
        if marks * len(block) > MAX_INLINE_COST:
            problems.append(Problem(path, line(start), f"the paragraph has {marks:,} pieces of inline "
                                    f"markup (escapes, emphasis, code, tags, brackets) in {len(block):,} "
                                    "characters: Markdown would copy it once per piece",
                                    "split the paragraph, or put literal text in a code block"))
        cost = _bracket_steps(block)
        steps += cost
        costliest = max(costliest, (cost, start))
    steps += _tag_steps(markup)
    if steps > MAX_SCAN_STEPS:
        problems.append(Problem(path, line(costliest[1]), f"brackets, parentheses or '<' that never close "
                                f"would make Markdown read {steps:,} characters, over the limit of "
                                f"{MAX_SCAN_STEPS:,} (the worst paragraph starts here)",
                                "close each '[' with ']', each '](' with ')' and each tag with '>', "
                                "or escape literal ones as \\[, \\( and &lt;"))
    return problems


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """The paragraphs (text between blank lines) of `text`, with their offsets: inline markup
    never spans one, so Python-Markdown's inline scans stop at their ends."""
    start = 0
    for blank in _BLANK_LINE.finditer(text):
        yield start, text[start:blank.start()]
        start = blank.end()
    yield start, text[start:]


def _bracket_steps(block: str) -> int:
    """What Python-Markdown reads to match the brackets of one paragraph: from each `[` to its
    closing `]` (nested ones counted, as its `getText` does), from each `](` to its closing
    `)` (`getLink`), and to the paragraph's end for those that never close."""
    steps = 0
    for opening, closing in (("[", "]"), ("(", ")")):
        stack: list[int] = []
        for match in re.finditer(rf"\{opening}|\{closing}", block):
            if match.group() == opening:
                stack.append(match.start())
            elif stack:
                steps += _counted(block, stack.pop(), opening, match.start())
        steps += sum(_counted(block, start, opening, len(block)) for start in stack)
    return steps


def _counted(block: str, start: int, opening: str, end: int) -> int:
    """Every `[` is read from; a `(` only when it opens a link's destination (`](`)."""
    return end - start if opening == "[" or block[start - 1:start] == "]" else 0


def _tag_steps(text: str) -> int:
    """What Python's HTML parser (md_in_html) reads from each start tag to its `>`, which
    without one is the end of the page."""
    closings = [match.start() for match in re.finditer(">", text)]
    steps = 0
    for match in _START_TAG.finditer(text):
        index = bisect.bisect_left(closings, match.start())
        steps += (closings[index] if index < len(closings) else len(text)) - match.start()
    return steps


def _too_deep(text: str) -> tuple[int, str] | None:
    """The offset and kind of the first place nested more than `MAX_NESTING` levels: quotes and
    indented lists by their line's prefix (four columns a level), HTML by its open elements."""
    offset = 0
    for text_line in text.split("\n"):
        prefix = re.match(r"[ \t>]*", text_line)
        assert prefix is not None  # `*` always matches
        columns = len(prefix.group().replace(">", "").expandtabs(4))
        if prefix.group().count(">") + columns // 4 > MAX_NESTING:
            return offset, "lists, quotes or indented blocks are"
        offset += len(text_line) + 1
    depth = 0
    for tag in _TAG.finditer(text):
        closing, name, self_closing = tag.groups()
        if closing:
            depth = max(depth - 1, 0)
        elif not self_closing and name.lower() not in _VOID_ELEMENTS:
            depth += 1
            if depth > MAX_NESTING:
                return tag.start(), "HTML elements are"
    return None
