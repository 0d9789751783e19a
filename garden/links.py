"""Where a note's links and anchors are found: Python-Markdown's own parse, as the site renders.

`check` and the build used to disagree because the check read links with its own regular
expression while MkDocs read them from Python-Markdown's parse: `[x](<a b.md>)`, a link with a
title in single quotes, reference-style links and URLs with parentheses were links to one and
text to the other, and anchors were guessed from heading lines. Here the one parse decides:
each page's Markdown is parsed with the extensions mkdocs.yml lists (configured as MkDocs
configures them, garden/site_markdown.py), and a treeprocessor collects what the renderer produced,
after every extension has run: each `<a href>` and `<img src>`, each element's `id` (toc ids
with toc's own slugify, attr_list ids, footnote ids; code holds only text, so nothing inside
code), and each heading. Raw HTML is held aside by Python-Markdown; its links and ids are read
from there with an HTML parser.

The parse has no source offsets, and the garden needs them (a backlink quotes the sentence
around the link; the build gives each link to a note its preview title). `locate` finds where
each link the parse produced is written, with Python-Markdown's own link grammar
(`getLink`, `evalId`) applied at each `[` of the source; a link it cannot place keeps its line
and is checked all the same.

What the links found here lead to is decided in one place too, `garden/build.py`'s `_Resolver`
(for `check`, the build and `make serve` alike). A new link syntax (an Obsidian embed or block
reference, say) belongs in these two: found here, as an element the parse makes or beside the
wikilinks of `markdown_scan`, and resolved there.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

from garden.markdown_scan import Heading, MarkdownLink, WikiLink, code_regions
from garden.site_markdown import markdown_renderer

MAX_DESTINATION = 2_048
"""Characters after a link's `](` searched for its end when placing it in the source (and never
past the next `](`, so that the searches of a line of `[a](` × n do not overlap): a longer
destination and title is still parsed and checked, only not placed (it keeps its line)."""


@dataclass(frozen=True)
class FoundLink:
    """A URL the rendered page links to (`<a href>`) or loads (`<img src>`), as Markdown gave it."""

    url: str
    image: bool = False
    raw_html: bool = False
    """Written as an HTML tag: MkDocs leaves such a URL as written, never turning `x.md` into a page's URL."""


@dataclass(frozen=True)
class ParsedHeading:
    level: int
    anchor: str
    """The id the page gives the heading (toc's, or attr_list's `{#id}`)."""
    text: str
    """The heading as plain text (toc's `name`)."""


@dataclass(frozen=True)
class ParsedBody:
    """What the parse of one page's Markdown found."""

    links: tuple[FoundLink, ...]
    anchors: frozenset[str]
    """Every id of the rendered page, and every `<a name>`: what `#fragment` may point at."""
    headings: tuple[ParsedHeading, ...]
    references: dict[str, str] = field(default_factory=dict, compare=False)
    """Reference definitions (`[id]: url`), by id as Python-Markdown keys them."""


class _Collector(Treeprocessor):
    """Runs last (after toc, attr_list, footnotes, abbr): the tree is what will be serialized."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.links: list[FoundLink] = []
        self.anchors: set[str] = set()

    def run(self, root: Element) -> None:
        self.links, self.anchors = [], set()
        for element in root.iter():
            if anchor := element.get("id"):
                self.anchors.add(anchor)
            if element.tag == "a":
                if name := element.get("name"):
                    self.anchors.add(name)
                if (href := element.get("href")) is not None and element.get("class") != "headerlink":
                    self.links.append(FoundLink(href))
            elif element.tag == "img" and (src := element.get("src")) is not None:
                self.links.append(FoundLink(src, image=True))


class _RawHtml(HTMLParser):
    """Links and ids of the raw HTML a page holds (Python-Markdown stashes it, unparsed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[FoundLink] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        if tag == "a" and "href" in values:
            self.links.append(FoundLink(values["href"], raw_html=True))
        elif tag == "img" and "src" in values:
            self.links.append(FoundLink(values["src"], image=True, raw_html=True))


class LinkParser:
    """One Markdown instance configured like the site's, reused for every page of a build."""

    def __init__(self, extensions: Sequence[Any] = ()) -> None:
        md, self.problems = markdown_renderer(list(extensions))
        if md is None:  # reported once by whoever builds the garden; parse with MkDocs' builtins
            md, _ = markdown_renderer([])
        assert md is not None
        self._collector = _Collector(md)
        md.treeprocessors.register(self._collector, "garden_links", -100)  # last: after toc, footnotes…
        self._md = md
        self._locator = _SourceGrammar(LINK_RE, md)

    def parse(self, text: str) -> ParsedBody:
        """`text` parsed as the site renders it, with its links, ids and headings."""
        md, collector = self._md, self._collector
        md.reset()
        collector.links, collector.anchors = [], set()
        if text.strip():  # what `Markdown.convert` does up to serializing (the tree is all that is read)
            lines = text.split("\n")
            for preprocessor in md.preprocessors:
                lines = preprocessor.run(lines)
            root = md.parser.parseDocument(lines).getroot()
            assert root is not None  # the parser always makes the document's root
            for treeprocessor in md.treeprocessors:
                if (replaced := treeprocessor.run(root)) is not None:
                    root = replaced
        links, anchors = list(collector.links), set(collector.anchors)
        raw = [block for block in md.htmlStash.rawHtmlBlocks if isinstance(block, str)]
        if raw:
            reader = _RawHtml()
            for block in raw:
                reader.feed(block)
            reader.close()
            links += reader.links
            anchors |= reader.anchors
        references = {key: href for key, (href, _) in md.references.items()}
        return ParsedBody(tuple(links), frozenset(anchors), tuple(_headings(getattr(md, "toc_tokens", []))),
                          references)

    def locate(self, body: str, first_line: int, parsed: ParsedBody,
               wikilinks: Sequence[WikiLink] = ()) -> tuple[MarkdownLink, ...]:
        """Where each Markdown link or image of `parsed` is written in `body` (see the module's
        docstring), in the parse's order. A link written in raw HTML, or one the source scan
        cannot place, is a zero-length span at the first place its URL appears."""
        if not parsed.links:
            return ()
        written: dict[tuple[str, bool], deque[MarkdownLink]] = defaultdict(deque)
        for link in _written_links(body, first_line, parsed.references, self._locator, wikilinks):
            written[link.url, link.image].append(link)
        located: list[MarkdownLink] = []
        for found in parsed.links:
            queue = written.get((found.url, found.image)) if not found.raw_html else None
            if queue:
                located.append(queue.popleft())
                continue
            offset = max(body.find(found.url), 0) if found.url else 0
            located.append(MarkdownLink(offset, offset, first_line + body.count("\n", 0, offset),
                                        "", found.url, image=found.image, raw_html=found.raw_html))
        return tuple(located)


class _SourceGrammar(LinkInlineProcessor):
    """Python-Markdown's link grammar read on the source: there, unlike in the inline
    processor's text, no placeholder stands for an escaped character or a code span."""

    def unescape(self, text: str) -> str:
        return text


def _headings(tokens: Iterable[dict[str, Any]]) -> Iterable[ParsedHeading]:
    for token in tokens:
        yield ParsedHeading(int(token["level"]), str(token["id"]), str(token["name"]))
        yield from _headings(token.get("children", []))


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _written_links(body: str, first_line: int, references: dict[str, str], grammar: LinkInlineProcessor,
                   wikilinks: Sequence[WikiLink]) -> Iterable[MarkdownLink]:
    """Every `[text](url "title")`, `[text][id]`, `[text][]` and `[id]` of `body` (and its images)
    outside code, comments and wikilinks, with the URL Python-Markdown gives it. Linear: brackets
    are paired once per paragraph with a stack (what `getText` counts, without its walk to the
    end from every `[`), and each destination is read up to the next `](` at most."""
    skipped = sorted([*code_regions(body), *((link.start, link.end) for link in wikilinks)])
    skipped_starts = [start for start, _ in skipped]

    def skip(offset: int) -> bool:  # inside code, a comment or a wikilink
        index = bisect.bisect_right(skipped_starts, offset) - 1
        return index >= 0 and skipped[index][0] <= offset < skipped[index][1]

    line, position = first_line, 0
    for paragraph_end in [*(m.start() for m in _BLANK_LINE.finditer(body)), len(body)]:
        closing = _paired_brackets(body, position, paragraph_end, skip)
        resume = position
        for opening in sorted(closing):
            if opening < resume:
                continue
            link = _link_at(body, opening, closing[opening], paragraph_end, references, grammar)
            if link is not None:
                url, end, titled = link
                reference = titled is None
                image = opening > 0 and body[opening - 1] == "!" and not _escaped(body, opening - 1)
                start = opening - 1 if image else opening
                line += body.count("\n", position, start)
                position = start
                yield MarkdownLink(start, end, line, body[opening + 1:closing[opening]], url,
                                   image=image, reference=reference, titled=bool(titled))
                resume = end
        line += body.count("\n", position, paragraph_end)
        position = paragraph_end


def _paired_brackets(body: str, start: int, end: int, skip: Callable[[int], bool]) -> dict[int, int]:
    """Each `[` of body[start:end] (outside skipped spans, not escaped) and the `]` that balances it."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for match in _BRACKET.finditer(body, start, end):
        index = match.start()
        if skip(index) or _escaped(body, index):
            continue
        if match.group() == "[":
            stack.append(index)
        elif stack:
            pairs[stack.pop()] = index
    return pairs


_BRACKET = re.compile(r"[\[\]]")
_REFERENCE_ID = re.compile(r"\s?\[([^\]]*)\]")
"""The `[id]` after a reference link's text (Python-Markdown's `ReferenceInlineProcessor.RE_LINK`)."""


def _link_at(body: str, opening: int, close: int, paragraph_end: int, references: dict[str, str],
             grammar: LinkInlineProcessor) -> tuple[str, int, bool | None] | None:
    """(URL, end offset, whether it has a title; None: a reference) of a link whose text is
    body[opening:close + 1]."""
    after = close + 1
    if body.startswith("(", after):
        limit = min(paragraph_end, after + MAX_DESTINATION)
        next_link = body.find("](", after, limit)
        window = body[after:next_link + 1 if next_link != -1 else limit]
        href, title, index, handled = grammar.getLink(window, 0)
        return (href, after + index, title is not None) if handled else None
    text = body[opening + 1:close]
    match = _REFERENCE_ID.match(body, after, paragraph_end) if after < paragraph_end else None
    if match is not None:
        key, end = (match.group(1) or text), match.end()
    else:
        key, end = text, after
    key = re.sub(r"\s+", " ", key.lower())
    target = references.get(key)
    return (target, end, None) if target is not None else None


def _slug(text: str) -> str:
    return str(slugify(text, "-"))


def _escaped(body: str, offset: int) -> bool:
    """Whether the character at `offset` follows an odd run of backslashes."""
    count = 0
    while offset - count - 1 >= 0 and body[offset - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def headings_with_lines(parsed: Sequence[ParsedHeading], written: Sequence[Heading],
                        first_line: int) -> tuple[Heading, ...]:
    """The page's headings (the parse's: ids and text as rendered) with the line each is written
    on, taken from the scanner's heading lines in order: a `#` line the parse did not make a
    heading (inside an HTML block) is passed over; a heading the scanner does not see (setext
    `===`) takes the line of the heading before it."""
    headings: list[Heading] = []
    index, line = 0, first_line
    for heading in parsed:
        for candidate in range(index, len(written)):
            seen = written[candidate]
            if seen.level == heading.level and (heading.anchor in (seen.anchor, _slug(seen.text))
                                                or heading.text == seen.text):
                index, line = candidate + 1, seen.line
                break
        else:
            if index < len(written) and written[index].level == heading.level:
                index, line = index + 1, written[index].line
        headings.append(Heading(heading.text, heading.anchor, line, heading.level))
    return tuple(headings)
