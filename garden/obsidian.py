"""Obsidian-flavoured Markdown at the source: what must change before anything reads a note.

Most gardeners write in Obsidian, whose syntax Python-Markdown does not know. What can be
decided on the text alone is decided here:

- when a note is read, `%%comments%%` are cut out of the body the model keeps, so no output
  (page, search, feeds, previews, backlink quotes, the PR summary) can ever show one: they
  all read the model's body, never the file. Its block ids (`^id`) and `#tags` are found, and
  what the garden refuses (unknown callout types, Mermaid fences) is reported;
- when a note's Markdown is made for MkDocs (and for `check`, which renders the same text),
  block ids become attr_list anchors and callouts become the admonitions and `details` of
  the extensions mkdocs.yml already lists, so check and build parse one text alike.

Each construct is recognised outside code only (fenced blocks, inline code spans, HTML
comments: the regions `markdown_scan` skips), so a `%%` in a code sample stays text.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from garden.markdown_scan import code_regions  # the one notion of "inside code" the scanner has
from garden.problems import did_you_mean
from garden.vocabulary import TAG_SLUG


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
    code = code_regions(body)
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
        if not _inside(found, code, starts):
            return found
        start = code[bisect.bisect_right(starts, found) - 1][1]
    return -1


CALLOUT_TYPES: dict[str, tuple[str, ...]] = {
    "note": (), "abstract": ("summary", "tldr"), "info": (), "todo": (), "tip": ("hint", "important"),
    "success": ("check", "done"), "question": ("help", "faq"), "warning": ("caution", "attention"),
    "failure": ("fail", "missing"), "danger": ("error",), "bug": (), "example": (), "quote": ("cite",),
}
"""Obsidian's callout types and their aliases: every one is also a type of Material's admonitions,
whose styles the site has, except `todo`, drawn as `info` (Obsidian draws both blue)."""
_CALLOUT_CLASS = {name: ("info" if kind == "todo" else kind)
                  for kind, aliases in CALLOUT_TYPES.items() for name in (kind, *aliases)}
_CALLOUT = re.compile(r"^(?P<indent>[ \t]*)>[ \t]?\[!(?P<type>[^\]\n]*)\](?P<fold>[+-]?)"
                      r"[ \t]*(?P<title>.*?)[ \t]*$")
_CALLOUT_ANYWHERE = re.compile(r"^[ \t]*((?:>[ \t]?)+)\[!([^\]\n]*)\][+-]?", re.M)
"""A callout's first line, at any depth of quoting: what the check looks at."""


SourceProblem = tuple[int, str, str]
"""(offset in the body, message, hint): a problem the caller places on its line."""


MAX_PROBLEMS_OF_A_KIND = 20
"""Problems of one kind reported per note; the rest are counted in one more (a note of 40,000
unknown callouts or tags is one mistake repeated, and the output must stay readable)."""


@dataclass(frozen=True)
class ObsidianReading:
    """What a note's Obsidian syntax adds to the model, and what in it the garden refuses."""

    blocks: tuple[Block, ...]
    tags: tuple[BodyTag, ...]
    """The `#tags` of the text that name tags of the vocabulary."""
    problems: list[SourceProblem]


def read_obsidian(body: str, vocabulary: Mapping[str, str] | None) -> ObsidianReading:
    """Block ids and `#tags` of a note's text, and its problems: callouts of unknown types or
    nested too deep, Mermaid diagrams, unknown `#tags` (any slug counts while the vocabulary is
    unusable: its own problem says why), block ids used twice. Outside code, always."""
    code = code_regions(body)
    starts = [start for start, _ in code]
    found_blocks = tuple(blocks(body, code))
    known: list[BodyTag] = []
    unknown: list[BodyTag] = []
    for found in body_tags(body, code):
        is_tag = found.tag in vocabulary if vocabulary is not None else bool(TAG_SLUG.fullmatch(found.tag))
        (known if is_tag else unknown).append(found)
    problems: list[SourceProblem] = []
    for kind in (_callout_problems(body, code, starts), _mermaid_problems(body, code, starts),
                 [_unknown_tag(found, vocabulary) for found in unknown], _repeated_ids(found_blocks)):
        problems += kind[:MAX_PROBLEMS_OF_A_KIND]
        if len(kind) > MAX_PROBLEMS_OF_A_KIND:
            problems.append((kind[MAX_PROBLEMS_OF_A_KIND][0], f"… and {len(kind) - MAX_PROBLEMS_OF_A_KIND:,} "
                             f"more like this: {kind[0][1]}", "fix them as the ones above"))
    return ObsidianReading(found_blocks, tuple(known), problems)


def _unknown_tag(found: BodyTag, vocabulary: Mapping[str, str] | None) -> SourceProblem:
    """A `#word` of the text that is no tag of the vocabulary: a typo, a tag to add, or text
    that wants its `#` escaped."""
    hint = did_you_mean(found.tag, vocabulary or {}) or "add it to tags.yml with a one-line description"
    return (found.start, f"unknown tag '#{found.tag}' in the text",
            f"{hint} (write \\#{found.tag} if it is no tag)")


def _repeated_ids(found: tuple[Block, ...]) -> list[SourceProblem]:
    """A block id names one block of a note."""
    first: dict[str, Block] = {}
    problems: list[SourceProblem] = []
    for block in found:
        if block.id in first:
            problems.append((block.end, f"the block id ^{block.id} is already used "
                             f"{block.line - first[block.id].line} lines above",
                             "give each block its own id"))
        else:
            first[block.id] = block
    return problems


_MERMAID_FENCE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?mermaid\b", re.M)


def _mermaid_problems(body: str, code: list[tuple[int, int]], starts: list[int]) -> list[SourceProblem]:
    """A ```` ```mermaid ```` fence: Obsidian draws it, the garden cannot (a diagram script would
    have to be served by the site, pinned and vetted; none is), and shown as code it would
    silently be something else than the writer saw. A fence inside another fence is text."""
    problems: list[SourceProblem] = []
    for match in _MERMAID_FENCE.finditer(body):
        opening = match.start("fence")
        index = bisect.bisect_right(starts, opening) - 1
        inside_other = index >= 0 and opening < code[index][1] and code[index][0] < match.start()
        if not inside_other:
            problems.append((opening, "Mermaid diagrams are not drawn by the garden",
                             "draw it as an image (![[diagram.png|what it shows]]), describe it in a list, "
                             "or show its source as code with ```text"))
    return problems


def _callout_problems(body: str, code: list[tuple[int, int]], starts: list[int]) -> list[SourceProblem]:
    """Callouts of an unknown type (a quote with a literal `[!type]` in it), or nested too deep."""
    problems: list[SourceProblem] = []
    for match in _CALLOUT_ANYWHERE.finditer(body):
        if _inside(match.start(), code, starts):
            continue
        kind, depth = match.group(2).strip().lower(), match.group(1).count(">")
        if kind not in _CALLOUT_CLASS:
            problems.append((match.start(), f"'[!{match.group(2)}]' is no callout type",
                             did_you_mean(kind, _CALLOUT_CLASS) or f"use one of {', '.join(CALLOUT_TYPES)}"))
        elif depth > MAX_CALLOUT_DEPTH:
            problems.append((match.start(), f"a callout nested {depth} deep, over the limit of "
                             f"{MAX_CALLOUT_DEPTH}", "nest fewer callouts"))
    return problems


MAX_CALLOUT_DEPTH = 6
"""Callouts within callouts beyond this depth stay quotes (and are a problem): each level is
converted by a call of its own, and no reader follows more."""


def with_callouts(markdown: str, depth: int = 1) -> str:
    """Callouts (`> [!type]± title` and the quote's lines under it) as Material admonitions:
    `!!!`, or pymdownx.details' `???` (`-`: folded) and `???+` (`+`: open), the quote's text
    indented under it and converted again for nested callouts. A callout ends where its quote
    does, so two quotes in a row stay two callouts. A title is text: its HTML is escaped."""
    if "[!" not in markdown:
        return markdown
    code = code_regions(markdown)
    starts = [start for start, _ in code]
    lines = markdown.split("\n")
    out: list[str] = []
    offset, index = 0, 0
    while index < len(lines):
        line = lines[index]
        match = _CALLOUT.match(line) if "[!" in line and not _inside(offset, code, starts) else None
        kind = match.group("type").strip().lower() if match else ""
        if match is None or kind not in _CALLOUT_CLASS or depth > MAX_CALLOUT_DEPTH:
            out.append(line)
            offset += len(line) + 1
            index += 1
            continue
        indent = match.group("indent")
        quoted = indent + ">"
        end = index + 1
        while end < len(lines) and lines[end].startswith(quoted):
            end += 1
        inner = [_unquote(text[len(quoted):]) for text in lines[index + 1:end]]
        opener = {"": "!!!", "-": "???", "+": "???+"}[match.group("fold")]
        title = html.escape(match.group("title") or match.group("type").strip().capitalize(), quote=False)
        if title.startswith("#"):  # pymdownx.details would make the summary a heading
            title = "\\" + title
        if out and out[-1].strip():
            out.append("")
        out.append(f'{indent}{opener} {_CALLOUT_CLASS[kind]} "{title}"')
        content = with_callouts("\n".join(inner), depth + 1).split("\n")
        out += [f"{indent}    {text}" if text.strip() else "" for text in content]
        out.append("")
        offset += sum(len(text) + 1 for text in lines[index:end])
        index = end
    return "\n".join(out)


def _unquote(text: str) -> str:
    """A quote's line without its `>` (already cut) and the one space after it."""
    return text[1:] if text.startswith((" ", "\t")) else text


def _inside(offset: int, code: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and offset < code[index][1]


_BLOCK_ID = re.compile(r"[ \t]\^([A-Za-z0-9-]{1,64})[ \t]*$")
"""`text ^id` at a line's end: Obsidian's block id, which `[[note#^id]]` links to."""
_BLOCK_PREFIX = re.compile(r"[ \t>]*")
"""Indentation and quote markers before a line's text."""
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


@dataclass(frozen=True)
class Block:
    """A paragraph or list item ending in `^id`: where it is, for links, previews and embeds."""

    id: str
    line: int
    """0-based line of the body holding the `^id`."""
    start: int
    """Offset of the block's first line in the body."""
    end: int
    """Offset where the ` ^id` starts: the block's text ends there."""


def blocks(body: str, code: list[tuple[int, int]] | None = None) -> list[Block]:
    """The blocks of `body` that end in a block id, outside code (`code`: its regions, when
    known), in order. A `^id` counts at the end of a paragraph or list item only (the next
    line blank, the end, or another item), as in Obsidian; anywhere else it is text."""
    if "^" not in body:
        return []
    code = code_regions(body) if code is None else code
    starts = [start for start, _ in code]
    lines = body.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found: list[Block] = []
    for index, line in enumerate(lines):
        match = _BLOCK_ID.search(line) if "^" in line else None
        if match is None or _inside(offsets[index] + match.start(1), code, starts) \
                or not _ends_block(lines, index):
            continue
        first = index
        while (first > 0 and not _LIST_ITEM.match(_text_of(lines[first]))
               and _text_of(lines[first - 1]).strip() and not _CALLOUT.match(lines[first - 1])):
            first -= 1
        if _text_of(lines[first]).startswith("#"):
            continue  # a heading has its own anchor
        found.append(Block(match.group(1), index, offsets[first], offsets[index] + match.start()))
    return found


def _text_of(line: str) -> str:
    """A line without its indentation and quote markers."""
    return line[_BLOCK_PREFIX.match(line).end():]  # type: ignore[union-attr]  # `*` always matches


def _ends_block(lines: list[str], index: int) -> bool:
    if index + 1 == len(lines):
        return True
    following = _text_of(lines[index + 1])
    return not following.strip() or bool(_LIST_ITEM.match(following))


def with_block_ids(markdown: str, anchored: bool = True) -> str:
    """Each block id taken out of the text a reader sees; `anchored`: set as the block's id
    (attr_list's `{: #^id }` on a line after it, at the block's indentation), so `#^id` leads
    there. Embedded text is not anchored: its ids belong to the page it comes from."""
    found = blocks(markdown)
    if not found:
        return markdown
    lines = markdown.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for block in reversed(found):
        line = lines[block.line]
        lines[block.line] = line[:block.end - offsets[block.line]]
        if anchored:
            first = markdown[block.start:markdown.find("\n", block.start) % (len(markdown) + 1)]
            prefix = _BLOCK_PREFIX.match(first).group()  # type: ignore[union-attr]
            item = _LIST_ITEM.match(first[len(prefix):])
            indent = " " * (item.end() if item else 0)
            lines.insert(block.line + 1, f"{prefix}{indent}{{: #^{block.id} }}")
    return "\n".join(lines)


_BODY_TAG = re.compile(r"(?:^|(?<=[ \t\n]))#([A-Za-z0-9_/-]*[A-Za-z_/-][A-Za-z0-9_/-]*)")
"""`#tag` in the text, as Obsidian reads one: after a space or at a line's start, not only digits
(`#42` is a number), so never `# Heading` (a space follows), `C#` or a link's `page#anchor`."""


@dataclass(frozen=True)
class BodyTag:
    """A `#tag` written in a note's text: where, and the tag it names (lowercase)."""

    start: int
    end: int
    tag: str


def body_tags(body: str, code: list[tuple[int, int]] | None = None) -> list[BodyTag]:
    """The `#tags` of `body`, outside code (`code`: its regions, when known) and attribute
    lists (`{: #id }` names an id)."""
    if "#" not in body:
        return []
    code = code_regions(body) if code is None else code
    starts = [start for start, _ in code]
    found = []
    for match in _BODY_TAG.finditer(body):
        line_start = body.rfind("\n", 0, match.start()) + 1
        before = body[line_start:match.start()]
        if not _inside(match.start(), code, starts) and before.rfind("{") <= before.rfind("}"):
            found.append(BodyTag(match.start(), match.end(), match.group(1).lower()))
    return found
