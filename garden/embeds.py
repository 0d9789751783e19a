"""Embeds, Obsidian's `![[…]]`: a local image (`![[diagram.png|what it shows 300]]`), or another
note's text shown in place (`![[note]]`, `![[note#Heading]]`, `![[note#^block]]`).

An embedded text is drawn in a frame (a `quote` admonition) whose title links to where the
text comes from, so a reader always knows whose words they read. It becomes part of the
page's Markdown, so the one HTML policy holds it, in `check` and in the build alike. An embed
is a link too: the embedded note lists the embedding one under "Linked from", and the graphs
draw the line.

What embeds can cost is bounded, whatever a pull request writes: a note writes at most
`MAX_EMBEDS` embeds, frames nest at most `MAX_EMBED_DEPTH` deep, one page shows at most
`MAX_EMBEDS` embedded texts and `MAX_EMBEDDED_CHARS` characters of them, and a chain of
embeds that comes back to a text already shown is refused, naming the chain.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from garden.markdown_scan import WikiLink, code_regions
from garden.model import Garden, Note
from garden.obsidian import with_block_ids
from garden.problems import Problem, did_you_mean
from garden.text import markdown_text, relative_link
from garden.wikilinks import link_title, resolved_text

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
"""What `![[file]]` shows as an image; any other name is a note."""
MAX_EMBEDS = 50
"""Embeds one note may write, and embedded texts one page may show (nested ones included)."""
MAX_EMBED_DEPTH = 3
"""Frames within frames: a page showing a note that shows a note that shows a note."""
MAX_EMBEDDED_CHARS = 100_000
"""Characters of embedded text one page may show: a few long notes' worth."""

_SIZE = re.compile(r"(?:^|[ \t|])(\d{1,5})(?:x(\d{1,5}))?[ \t]*$")
"""`300` or `300x200` at the end of an image embed's label: Obsidian's width and height."""
_ALONE_BEFORE = re.compile(r"[ \t>]*")
"""What may precede an embedded note on its line: indentation and quote markers (a callout)."""
_DESTINATION = re.compile(r"(\]\([ \t]*<?)([^()\s<>]*)")
"""The URL of an inline link or image, after `](`."""
_HEADING_LINE = re.compile(r"[ \t>]*(#{1,6})[ \t]")
_NEWLINE = re.compile("\n")


def is_image(link: WikiLink) -> bool:
    """Whether an embed shows an image (by its file name), not a note's text."""
    return link.embed and link.target.lower().endswith(IMAGE_SUFFIXES)


def _alone(body: str, link: WikiLink) -> bool:
    """Whether an embed stands on a line of its own (after indentation or a callout's `>`)."""
    line_start = body.rfind("\n", 0, link.start) + 1
    line_end = body.find("\n", link.end) % (len(body) + 1)
    return bool(_ALONE_BEFORE.fullmatch(body, line_start, link.start)) and not body[link.end:line_end].strip()


def _is_local(target: str) -> bool:
    """Whether an image embed names a file (of `docs/`, the resolver then says), not a URL."""
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc or target.startswith(("/", "\\")))


def image_parts(label: str | None) -> tuple[str, int | None, int | None]:
    """Alt text, width and height from an image embed's label: `alt`, `alt 300`, `alt|300x200`, `300`."""
    label = (label or "").strip()
    size = _SIZE.search(label)
    if size is None:
        return label, None, None
    return (label[:size.start()].strip(" \t|"), int(size.group(1)),
            int(size.group(2)) if size.group(2) else None)


def written_problems(body: str, wikilinks: Iterable[WikiLink]) -> list[tuple[int, str, str]]:
    """(line, message, hint) for embeds that cannot be shown whatever the other notes say."""
    embeds = [link for link in wikilinks if link.embed]
    if len(embeds) > MAX_EMBEDS:
        return [(embeds[MAX_EMBEDS].line, f"the note has {len(embeds):,} embeds, over the limit of "
                 f"{MAX_EMBEDS}", "link to the rest instead: [[note]] without the !")]
    problems: list[tuple[int, str, str]] = []
    for link in embeds:
        written = body[link.start:link.end]
        if is_image(link):
            if not _is_local(link.target):
                problems.append((link.line, f"{written}: an embedded image must be a file of the garden",
                                 "put the image under docs/ and name it by its path from this note"))
            elif not image_parts(link.label)[0]:
                problems.append((link.line, f"{written} has no alt text",
                                 f"say what it shows after a |: ![[{link.target}|what the image shows]]"))
            continue
        if not _alone(body, link):
            problems.append((link.line, f"{written}: an embedded note is shown as a block of its own",
                             "put the embed on a line of its own, or link to the note: [[…]] without the !"))
    return problems


@dataclass(frozen=True)
class NoteEmbed:
    """An embed of a published note's text (whole, a section or a block), as resolved."""

    source: Note
    link: WikiLink
    target: Note
    anchor: str | None
    """The heading's anchor or the block's `^id` the embed shows; None for the whole note."""
    span: tuple[int, int]
    """What of the target's body is shown: [start, end) offsets."""
    label: str


def section_span(note: Note, anchor: str) -> tuple[int, int]:
    """The offsets of the section under the heading `anchor`: its heading line, up to the next
    heading of the same or a higher level."""
    lines = _line_offsets(note.body)
    headings = [(heading, lines[heading.line - note.body_line]) for heading in note.headings]
    level_of = {heading.anchor: _level(note.body, offset) for heading, offset in headings}
    index = next(i for i, (heading, _) in enumerate(headings) if heading.anchor == anchor)
    start, level = headings[index][1], level_of[anchor]
    end = next((offset for heading, offset in headings[index + 1:] if level_of[heading.anchor] <= level),
               len(note.body))
    return start, end


def _level(body: str, offset: int) -> int:
    match = _HEADING_LINE.match(body, offset)
    return len(match.group(1)) if match else 6


def _line_offsets(text: str) -> list[int]:
    """Where each line of `text` starts."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


def image_markdown(note: Note, link: WikiLink, assets: frozenset[str], by_name: dict[str, list[str]]
                   ) -> tuple[str | None, Problem | None]:
    """The Markdown image an image embed stands for, found as Obsidian finds it: beside the
    note, else by its path from `docs/`, else by its file name when one file has it."""
    wanted = link.target.strip()
    candidates = [path for path in (posixpath.normpath(posixpath.join(posixpath.dirname(note.path), wanted)),
                                    posixpath.normpath(wanted)) if path in assets]
    found = candidates[:1] or by_name.get(wanted.rsplit("/", 1)[-1], [])
    written = note.body[link.start:link.end]
    if not found:
        hint = did_you_mean(wanted, [path for path in assets if path.lower().endswith(IMAGE_SUFFIXES)])
        return None, Problem(note.path, link.line, f"{written}: there is no image '{wanted}' under docs/",
                             hint or "add the file under docs/, or fix its name")
    if len(found) > 1:
        return None, Problem(note.path, link.line, f"{written}: several images are named '{wanted}': "
                             f"{', '.join(sorted(found))}",
                             f"name it by its path, e.g. ![[{sorted(found)[0]}]]")
    alt, width, height = image_parts(link.label)
    size = "".join(f' {name}="{value}"' for name, value in (("width", width), ("height", height)) if value)
    attributes = f"{{:{size} }}" if size else ""
    return f"![{markdown_text(alt)}]({relative_link(note.path, found[0])}){attributes}", None


def images_by_name(assets: Iterable[str]) -> dict[str, list[str]]:
    """Every image of `docs/` by file name, for embeds that name an image by its name alone."""
    by_name: dict[str, list[str]] = {}
    for path in sorted(assets):
        if path.lower().endswith(IMAGE_SUFFIXES):
            by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    return by_name


@dataclass(frozen=True)
class _Shown:
    """An embedded text ready to be placed: its Markdown (links relative to the note it comes
    from), how many embedded texts it shows itself, and, when it would nest frames deeper than
    it may, the chain that does (the page that embeds it reports it)."""

    markdown: str
    count: int
    too_deep: tuple[str, ...] = ()


_Placed = dict[int, tuple[int, str]]


class Expander:
    """Every embed of the garden made Markdown: each text shown (a note, a section, a block) is
    expanded once for each depth it may still nest (so the work is bounded by the number of
    texts), and placed wherever it is embedded; a chain coming back to a text being expanded
    is a cycle, reported where it closes."""

    def __init__(self, garden: Garden, embeds: dict[str, list[NoteEmbed]],
                 images: dict[str, _Placed], problems: list[Problem]) -> None:
        self._garden = garden
        self._embeds = embeds
        self._images = images
        self._problems = problems
        self._reported: set[tuple[str, int, str]] = set()
        self._done: dict[tuple[str, int, int, int], tuple[_Shown, _Placed]] = {}
        self._open: list[tuple[str, int, int]] = []
        self._titles: list[str] = []

    def embedded(self) -> dict[str, _Placed]:
        """What every embed of every published note shows, by note and the embed's start."""
        result: dict[str, _Placed] = {}
        for path, note in self._garden.notes.items():
            if path in self._embeds or path in self._images:
                _, placed = self._expand(note, 0, len(note.body), note.title, MAX_EMBED_DEPTH)
                if placed:
                    result[path] = placed
        return result

    def _expand(self, note: Note, start: int, end: int, title: str, depth_left: int
                ) -> tuple[_Shown, _Placed]:
        """`note.body[start:end]` as shown embedded with at most `depth_left` frames inside it,
        and what each embed in it shows."""
        key = (note.path, start, end, depth_left)
        if key in self._done:
            return self._done[key]
        self._open.append(key[:3])
        self._titles.append(title)
        placed = {at: image for at, image in self._images.get(note.path, {}).items() if start <= at < end}
        count, size = 0, 0
        too_deep: tuple[str, ...] = ()
        for embed in self._embeds.get(note.path, []):
            if not start <= embed.link.start < end:
                continue
            inner = (embed.target.path, *embed.span)
            if inner in self._open:
                self._report(embed, "the embed would show itself again: "
                             f"{' → '.join([*self._titles[self._open.index(inner):], embed.label])}",
                             "embed the text in one direction only, or link to it")
                continue
            if depth_left == 0:
                too_deep = (title, embed.label)
                continue
            if count >= MAX_EMBEDS:
                self._report(embed, f"the page would show over {MAX_EMBEDS} embedded texts",
                             "link to some of the notes instead")
                continue
            shown = self._expand(embed.target, *embed.span, embed.label, depth_left - 1)[0]
            if shown.too_deep and len(self._open) > 1:
                too_deep = (title, *shown.too_deep)  # the page reports the whole chain
            elif shown.too_deep:
                chain = " → ".join((title, *shown.too_deep))
                self._report(embed, f"embeds nest over {MAX_EMBED_DEPTH} deep: {chain}",
                             "link to the deepest note instead of embedding it")
            elif count + shown.count + 1 > MAX_EMBEDS:
                self._report(embed, f"the page would show over {MAX_EMBEDS} embedded texts",
                             "link to some of the notes instead")
            elif size + len(shown.markdown) > MAX_EMBEDDED_CHARS:
                self._report(embed, f"the embedded texts would add over {MAX_EMBEDDED_CHARS:,} characters "
                             "to the page", "embed a section or a block rather than the whole note")
            else:
                placed[embed.link.start] = (embed.link.end, self._frame(embed, shown.markdown))
                count, size = count + shown.count + 1, size + len(shown.markdown)
        self._open.pop()
        self._titles.pop()
        text = _demoted(note, start, end, resolved_text(note, self._garden, start, end, placed))
        result = (_Shown(with_block_ids(text, anchored=False), count, too_deep), placed)
        self._done[key] = result
        return result

    def _frame(self, embed: NoteEmbed, markdown: str) -> str:
        """The embedded text in its frame, its links made relative to the embedding note, each
        line led by what led the embed's own (a callout's `>`)."""
        source, target = embed.source, embed.target
        line_start = source.body.rfind("\n", 0, embed.link.start) + 1
        lead = source.body[line_start:embed.link.start]
        url = relative_link(source.path, target.path) + (f"#{embed.anchor}" if embed.anchor else "")
        title = f'[{markdown_text(embed.label)}]({url} "{link_title(target)}")'
        body = _rebased(markdown, source.path, target.path)
        lines = [f'!!! quote garden-embed "{title}"', "",
                 *(f"    {line}" if line.strip() else "" for line in body.split("\n")), ""]
        return "\n".join(["", *(f"{lead}{line}".rstrip() for line in lines)])

    def _report(self, embed: NoteEmbed, message: str, hint: str) -> None:
        written = embed.source.body[embed.link.start:embed.link.end]
        key = (embed.source.path, embed.link.start, message)
        if key not in self._reported:
            self._reported.add(key)
            self._problems.append(Problem(embed.source.path, embed.link.line, f"{written}: {message}", hint))


def _demoted(note: Note, start: int, end: int, text: str) -> str:
    """An embedded text's headings as bold lines: headings of the page they are shown in would
    take anchors and "On this page" entries that belong to the note they come from."""
    if not note.headings:
        return text
    lines = text.split("\n")
    first = note.body.count("\n", 0, start)
    for heading in note.headings:
        index = heading.line - note.body_line - first
        if 0 <= index < len(lines) and (match := _HEADING_LINE.match(lines[index])):
            lines[index] = f"{lines[index][:match.start(1)]}**{markdown_text(heading.text)}**"
    return "\n".join(lines)


def _rebased(markdown: str, source: str, target: str) -> str:
    """`markdown`, written in `target`'s folder, with its relative link and image URLs made
    relative to `source`'s; a link within the page (`#anchor`) leads to `target`'s page."""
    if source.rsplit("/", 1)[0] == target.rsplit("/", 1)[0] and "](#" not in markdown:
        return markdown
    code = code_regions(markdown)
    starts = [start for start, _ in code]

    def rebase(match: re.Match[str]) -> str:
        url = match.group(2)
        index = bisect.bisect_right(starts, match.start()) - 1
        parts = urlsplit(url)
        in_code = index >= 0 and match.start() < code[index][1]
        if in_code or parts.scheme or parts.netloc or url.startswith("/"):
            return match.group()
        if not parts.path:
            return match.group(1) + relative_link(source, target) + url
        path = posixpath.normpath(posixpath.join(posixpath.dirname(target), unquote(parts.path)))
        return match.group(1) + relative_link(source, path) + url[len(parts.path):]

    return _DESTINATION.sub(rebase, markdown)


Find = Callable[[Note, WikiLink], "tuple[Note, str | None] | None"]
"""The published note an embed names and the heading anchor or block id it points at; None
when it names none (the resolver has reported why)."""


def resolve_embeds(note: Note, find: Find, assets: frozenset[str], by_name: dict[str, list[str]],
                   problems: list[Problem]) -> tuple[list[NoteEmbed], dict[int, tuple[int, str]]]:
    """A published note's embeds: of notes, resolved; of images, made Markdown (by start).
    A note writing more than `MAX_EMBEDS` embeds has been told so: none is resolved."""
    written = [link for link in note.wikilinks if link.embed]
    if len(written) > MAX_EMBEDS:
        return [], {}
    embeds: list[NoteEmbed] = []
    images: dict[int, tuple[int, str]] = {}
    for link in written:
        if is_image(link):
            if not _is_local(link.target) or not image_parts(link.label)[0]:
                continue  # reported when the note was read
            markdown, problem = image_markdown(note, link, assets, by_name)
            if markdown is not None:
                images[link.start] = (link.end, markdown)
            if problem is not None:
                problems.append(problem)
            continue
        found = find(note, link) if _alone(note.body, link) else None
        if found is None:
            continue
        target, anchor = found
        if anchor is None:
            span = (0, len(target.body))
        elif anchor.startswith("^"):
            block = next(block for block in target.blocks if block.id == anchor[1:])
            span = (block.start, block.end)
        else:
            span = section_span(target, anchor)
        shows_section = anchor is not None and not anchor.startswith("^")
        label = link.label or target.title + (f" › {link.heading}" if shows_section else "")
        embeds.append(NoteEmbed(note, link, target, anchor, span, label))
    return embeds, images
