"""The pipeline that turns a folder of Markdown files into a `Garden`: read → validate → link.

Each note is read and parsed exactly once here. Problems are collected, never raised, so
one run reports every mistake in every note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import operator
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown.extensions.toc import slugify
from markdown.util import AMP_SUBSTITUTE

from garden.charts import Chart, load_charts
from garden.config import GardenConfig, Project
from garden.conventions import CHARTS_DIR, JOURNAL_SECTION, generated_paths, section_index_path
from garden.discovery import MAX_NOTE_BYTES, DocsFiles, discover
from garden.embeds import Expander, NoteEmbed, images_by_name, resolve_embeds
from garden.embeds import written_problems as embed_problems
from garden.glossary import Term, load_glossary, own_abbreviations, term_pattern
from garden.html_policy import inspect_html, policy_problems
from garden.limits import body_problems
from garden.links import LinkParser, headings_with_lines
from garden.markdown_scan import MarkdownLink, ScannedBody, WikiLink, code_blanked, prose, scan_body
from garden.memo import Memo
from garden.metadata import MAX_TAGS, PageFrontMatter, split_note, split_page
from garden.model import BrokenNote, Garden, Note, ResolvedLink, Trail
from garden.obsidian import read_obsidian, remove_comments, with_block_ids, with_callouts
from garden.outputs import (
    Claim,
    Namespace,
    chart_claim,
    collision_message,
    folded,
    section_claim,
    site_namespace,
)
from garden.problems import Problem, did_you_mean
from garden.project_pages import publish_pages
from garden.redirects import redirect_problems
from garden.render_cache import CachedLinkParser, cache_root
from garden.sources import Source, load_sources
from garden.trails import TrailSpec, load_trails
from garden.vocabulary import load_vocabulary
from garden.wikilinks import note_markdown, with_links_resolved


@dataclass(frozen=True)
class Settings:
    """What the garden needs to know about the project around the notes."""

    docs_dir: Path
    tags_file: Path
    pages: frozenset[str] = frozenset()
    """Markdown files under `docs/` that are project pages, not notes (e.g. `index.md`)."""
    tags_file_shown_as: str = "tags.yml"
    charts_dir: Path | None = None
    """Folder of chart data files (`charts/*.yml`), drawn as SVG at build time."""
    sources_file: Path | None = None
    """The source vocabulary (`sources.yml`); None or a missing file: no source may be cited."""
    trails_file: Path | None = None
    glossary_file: Path | None = None
    project_dir: Path | None = None
    """Where project files are named from in problems (`sources.yml:4: …`)."""
    options: GardenConfig = field(default_factory=GardenConfig)
    """The options themselves, for what they name besides paths (section titles)."""
    use_directory_urls: bool = True
    """Where MkDocs writes pages (garden/outputs.py): what addresses may collide."""
    markdown_extensions: tuple[Any, ...] = field(default=(), hash=False)
    """`markdown_extensions` as mkdocs.yml writes them: notes are parsed for their links and
    anchors exactly as the site renders them (garden/links.py)."""
    cache_dir: Path | None = None
    """The garden's cache on disk (garden/render_cache.py), where parses are kept; None: none."""

    @classmethod
    def from_config(cls, project_dir: Path, docs_dir: Path | str, options: GardenConfig,
                    use_directory_urls: bool = True,
                    markdown_extensions: list[Any] | None = None) -> Settings:
        """The one place that turns the garden's options into paths (hook and commands)."""
        return cls(docs_dir=project_dir / docs_dir, tags_file=project_dir / options.tags_file,
                   pages=frozenset(options.pages), tags_file_shown_as=options.tags_file,
                   charts_dir=project_dir / CHARTS_DIR, sources_file=project_dir / options.sources_file,
                   trails_file=project_dir / options.trails_file,
                   glossary_file=project_dir / options.glossary_file, project_dir=project_dir,
                   options=options, use_directory_urls=use_directory_urls,
                   markdown_extensions=tuple(markdown_extensions or ()), cache_dir=cache_root(project_dir))

    def shown_as(self, file: Path) -> str:
        """How problems name a project file: relative to the project when it is inside it."""
        if self.project_dir is not None and file.is_relative_to(self.project_dir):
            return file.relative_to(self.project_dir).as_posix()
        return file.name

    @classmethod
    def for_project(cls, project: Project) -> Settings:
        return cls.from_config(project.config_file.parent, project.docs_dir, project.garden,
                               project.use_directory_urls, project.markdown_extensions)


MarkdownToHtml = Callable[[str], str]
"""Markdown → HTML as the site renders it (garden/site_markdown.py), for checks that need the
HTML. (Not garden/rendering.py's `Renderer`, which draws the garden's templates.)"""


def build_garden(settings: Settings, to_html: MarkdownToHtml | None = None,
                 memo: Memo | None = None) -> Garden:
    """Read every note under `settings.docs_dir` once, validate and link them.

    With `to_html` (the `check` command), every published page's HTML is also held to
    the raw-HTML policy and its links to the files of the site, as the build does with
    MkDocs' own rendering: so check and build give one verdict. With the `memo` of a serve
    session (`make serve`), a file whose size, inode, modification time and content are
    unchanged is not read again, and a note whose link targets are unchanged keeps its links.
    With `settings.cache_dir`, a body any earlier run parsed is not parsed again
    (garden/render_cache.py).

    Two stages, and the garden is never changed once made: the linked garden (notes, links,
    trails, and the maps made from them), then what is derived from it (embeds, glossary terms,
    project pages, the problems of all) in a garden sharing its maps.
    """
    vocabulary, problems = load_vocabulary(settings.tags_file, settings.tags_file_shown_as)
    sources: dict[str, Source] | None = {}
    if settings.sources_file is not None:
        sources, source_problems = load_sources(settings.sources_file,
                                                settings.shown_as(settings.sources_file))
        problems += source_problems
    trail_specs: list[TrailSpec] = []
    if settings.trails_file is not None:
        trail_specs, trail_problems = load_trails(settings.trails_file,
                                                  settings.shown_as(settings.trails_file))
        problems += trail_problems
    glossary: dict[str, Term] = {}
    if settings.glossary_file is not None:
        glossary, glossary_problems = load_glossary(settings.glossary_file,
                                                    settings.shown_as(settings.glossary_file), sources)
        problems += glossary_problems
    charts, chart_problems = load_charts(settings.charts_dir) if settings.charts_dir else ({}, [])
    problems += chart_problems
    files = discover(settings.docs_dir, settings.pages)
    problems += files.problems
    notes: dict[str, Note] = {}
    broken: dict[str, BrokenNote] = {}
    pages: dict[str, Page] = {}
    kept = memo if memo is not None else Memo()
    reads = kept.scope(_READS)  # checked against the vocabularies, parsed with the extensions:
    reads.sign((vocabulary, sources, settings.markdown_extensions))  # kept while those are the same
    parser = (CachedLinkParser(settings.markdown_extensions, settings.cache_dir) if settings.cache_dir
              else LinkParser(settings.markdown_extensions))
    for path in files.markdown:
        stamp = files.stamps[path]
        read = reads.last(path, _FileRead)
        if read is None or read.stamp != stamp or read.digest != _digest(settings.docs_dir / path):
            read = _read(settings.docs_dir / path, path, path in settings.pages, vocabulary, stamp, parser,
                         sources)
            reads.keep(path, read)
        problems += read.problems
        if isinstance(read.result, Page):
            pages[path] = read.result
        elif isinstance(read.result, Note):
            notes[path] = read.result
        elif read.result is not None:
            broken[path] = read.result
    if isinstance(parser, CachedLinkParser):
        parser.store.prune(len(files.markdown))
    outputs = _claim_outputs(settings, files, notes, broken, pages, charts, problems, sources=sources or {},
                             trails=[spec.id for spec in trail_specs], glossary=bool(glossary))
    published = {path: note for path, note in notes.items() if not note.meta.draft}
    drafts = {path: note for path, note in notes.items() if note.meta.draft}
    page_sources = {*files.markdown, *generated_paths(
        sections_of(published), {tag for note in published.values() for tag in note.meta.tags}, charts,
        sources=sources or {}, trails=[spec.id for spec in trail_specs], glossary=bool(glossary))}
    site_files = (files.other | page_sources) - files.refused
    resolver = _Resolver(published, drafts, broken, pages, problems, site_files)
    reads.sweep()
    links: dict[str, list[ResolvedLink]] = {}
    wikilink_targets: dict[str, dict[int, ResolvedLink]] = {}
    resolutions = kept.scope(_RESOLUTIONS)
    for note in notes.values():
        resolution = resolver.resolve(note, problems, resolutions.last(note.path, _Resolution))
        resolutions.keep(note.path, resolution)
        if not note.meta.draft:
            wikilink_targets[note.path] = resolution.wikilinks
            links[note.path] = [*resolution.wikilinks.values(), *resolution.markdown_links]
    resolutions.sweep()
    assets, by_name = frozenset(files.other), images_by_name(files.other)
    embeds: dict[str, list[NoteEmbed]] = {}
    images: dict[str, dict[int, tuple[int, str]]] = {}
    for note in published.values():
        if any(link.embed for link in note.wikilinks):
            note_embeds, images[note.path] = resolve_embeds(
                note, functools.partial(resolver.embed_target, problems=problems), assets, by_name, problems)
            embeds[note.path] = note_embeds
            links[note.path] += [ResolvedLink(note, embed.target, embed.anchor, embed.link.line,
                                              embed.link.start, embed.link.end, embed.label)
                                 for embed in note_embeds]
    for page in pages.values():
        resolver.markdown_links(page.path, page.markdown_links, False, problems)
    trails = {spec.id: trail for spec in trail_specs
              if (trail := resolver.trail(spec, settings.shown_as(settings.trails_file or Path()), problems))}
    if sources:
        problems += _journal_gap_problems(sources, published,
                                          settings.shown_as(settings.sources_file or Path()))
    linked = Garden(notes=published, drafts=drafts, broken=broken, vocabulary=vocabulary or {},
                    links=links, wikilink_targets=wikilink_targets, charts=charts,
                    pages=frozenset(pages), assets=frozenset(files.other), refused=frozenset(files.refused),
                    sources=sources or {}, trails=trails, glossary=glossary, code=files.code, outputs=outputs)
    embedded = Expander(linked, embeds, images, problems).embedded()
    project_pages, page_problems = publish_pages(
        linked, ((page.path, page.meta, page.body, page.body_line) for page in pages.values()),
        settings.options.section_title)
    problems += page_problems
    problems += redirect_problems(linked)  # aliases whose old address is taken
    terms = _terms_by_note(linked, embedded)
    if to_html is not None:  # `check`: each page as the site renders it, from the garden but its problems
        rendered = dataclasses.replace(linked, embedded=embedded, terms_by_note=terms,
                                       project_pages=project_pages)
        for path, body, body_line, markdown in _rendered_sources(rendered):
            problems += policy_problems(path, body, body_line, inspect_html(to_html(markdown)).violations)
    return dataclasses.replace(linked, embedded=embedded, terms_by_note=terms, project_pages=project_pages,
                               problems=sorted(problems))


_READS = "reads"
"""The memo's scope of files read, split and scanned, by path."""
_RESOLUTIONS = "resolutions"
"""The memo's scope of each note's links as the last build resolved them: a save resolves again
only the links of the notes it changed, or whose targets it changed."""


def _claim_outputs(settings: Settings, files: DocsFiles, notes: dict[str, Note],
                   broken: dict[str, BrokenNote], pages: dict[str, Page], charts: dict[str, Chart],
                   problems: list[Problem], *, sources: Iterable[str], trails: Iterable[str],
                   glossary: bool) -> Namespace:
    """Every address the site will write (garden/outputs.py), claimed before anything is: the
    theme's and the generated pages' first, then section indexes and charts, then the files
    of `docs/` — project pages, published notes, notes with problems, drafts, other files —
    each in path order. A file whose address is taken (up to case and Unicode normalisation,
    or a folder where a file goes) is refused, with a problem naming what holds it; so is an
    `index.html` (refused as a type already) at the address of a page."""
    tags = {tag for note in notes.values() if not note.meta.draft for tag in note.meta.tags}
    outputs = site_namespace(settings.use_directory_urls, tags=tags, sources=sources, trails=trails,
                             glossary=glossary)
    lost_sections: dict[str, str] = {}
    for section in sorted(sections_of(notes)):
        claim = section_claim(outputs, section)
        if holder := outputs.claim(claim):
            lost_sections[section] = collision_message(claim, holder,
                                                       f"its section's index ({section_index_path(section)})")
    for name in sorted(charts, key=_canonical_first):
        claim = chart_claim(name, f"{CHARTS_DIR}/{name}.yml")
        if holder := outputs.claim(claim):
            problems.append(Problem(f"{CHARTS_DIR}/{name}.yml", None,
                                    collision_message(claim, holder, "its drawing"), "rename the chart file",
                                    in_docs=False))
            del charts[name]
    drafts = {path for path, note in notes.items() if note.meta.draft}
    in_order = functools.partial(sorted, key=_canonical_first)
    order = [*in_order(pages), *in_order(notes.keys() - drafts), *in_order(broken), *in_order(drafts),
             *in_order(files.other)]
    for path in order:
        section = path.split("/", 1)[0] if "/" in path and path.endswith(".md") else ""
        claim = Claim(outputs.output_of(path), path, path)
        message = lost_sections.get(section) or (
            collision_message(claim, holder) if (holder := outputs.claim(claim)) else None)
        if message:
            problems.append(Problem(path, None, message, "rename or move the file"))
            files.refused.add(path)
            for held in (notes, broken, pages, files.code):
                held.pop(path, None)
            files.other.discard(path)
    for path in sorted(files.refused):  # refused as a type, and at a page's address besides
        if path.endswith((".html", ".htm")) and (holder := outputs.holder(path)):
            problems.append(Problem(path, None, collision_message(Claim(path, path, path), holder),
                                    "remove it: the build writes this address itself"))
    return outputs


def _canonical_first(path: str) -> tuple[bool, str]:
    """Paths as `garden new` writes them (lower case, composed) before their look-alikes: of
    `career/growth.md` and a newer `career/Growth.md`, the second is the one refused."""
    return path != folded(path), path


def _terms_by_note(garden: Garden, embedded: Mapping[str, dict[int, tuple[int, str]]]
                   ) -> dict[str, tuple[Term, ...]]:
    """The glossary terms each note uses, found as `abbr` will find them: whole words of the
    note's rendered text (summary and body with links resolved, embeds as `embedded` shows
    them), outside code and URLs."""
    pattern = term_pattern(garden.glossary)
    if pattern is None:
        return {}
    term_of = {form: term for term in garden.glossary.values() for form in term.forms}
    used: dict[str, tuple[Term, ...]] = {}
    for note in garden.notes.values():
        found = {term_of[match.group()] for match in pattern.finditer(
            prose(f"{note.meta.summary}\n\n{with_links_resolved(note, garden, embedded)}"))}
        if found and (own := own_abbreviations(code_blanked(note.body))):
            found = {term for term in found if own.isdisjoint(term.forms)}
        if found:
            used[note.path] = tuple(term for term in garden.glossary.values() if term in found)
    return used


def _journal_gap_problems(sources: dict[str, Source], published: dict[str, Note], shown_as: str
                          ) -> list[Problem]:
    """A source may say the journal lacks an entry only while the journal indeed lacks it."""
    entries = {note.meta.created: note.path for note in published.values() if note.section == JOURNAL_SECTION}
    return [Problem(shown_as, source.line, f"source '{source.id}' lists {when} under 'mentions_entries', "
                    f"but the journal has that entry: {entries[when]}",
                    "remove the date from 'mentions_entries'", in_docs=False)
            for source in sources.values() for when in source.mentions_entries if when in entries]


def sections_of(notes: Iterable[str]) -> set[str]:
    """The top folders that hold notes: each gets a generated index page."""
    return {path.split("/", 1)[0] for path in notes if "/" in path}


@dataclass(frozen=True)
class _FileRead:
    """One file read, split and scanned: reusable while the file and the tag vocabulary stay."""

    stamp: tuple[int, int, int]
    problems: list[Problem]
    result: Note | BrokenNote | Page | None
    digest: bytes | None = None
    """The content's hash: a save of the same size within the file system's timestamp
    resolution leaves the stamp as it was, so an equal stamp is confirmed by the content."""


@dataclass(frozen=True)
class _Resolution:
    """A note's links as resolved, and the notes they resolved to (None when some link did not
    resolve to exactly one published note): while those are the same notes, so is the rest."""

    note: Note
    targets: tuple[Note, ...] | None
    wikilinks: dict[int, ResolvedLink]
    markdown_links: list[ResolvedLink]


def _read(file: Path, path: str, is_page: bool, vocabulary: Mapping[str, str] | None,
          stamp: tuple[int, int, int], parser: LinkParser,
          sources: dict[str, Source] | None = None) -> _FileRead:
    raw, problems = _read_bytes(file, path)
    digest = _hash(raw) if raw is not None else None
    text, decode_problems = _decode(raw, path) if raw is not None else (None, [])
    problems += decode_problems
    if text is None:
        return _FileRead(stamp, problems, None if is_page else BrokenNote(path, "", 1), digest)
    if is_page:
        meta, body, body_line, page_problems = split_page(path, text)
        body = _uncommented(path, body, body_line, page_problems)
        parsed = parser.parse(body)
        return _FileRead(stamp, problems + page_problems,
                         Page(path, meta, body, body_line, scan_body(body, body_line),
                              parser.locate(body, body_line, parsed), parsed.anchors), digest)
    note, note_problems = read_note(path, text, vocabulary, sources, parser)
    return _FileRead(stamp, problems + note_problems, note, digest)


def _digest(file: Path) -> bytes | None:
    """The hash of what `_read` would read of `file` now (None if it cannot be read)."""
    raw, _ = _read_bytes(file, "")
    return _hash(raw) if raw is not None else None


def _hash(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


@dataclass(frozen=True)
class Page:
    """A project page of `docs/` (the home page) as read: its own front-matter schema, links
    checked like a note's; rendered once the garden is built (garden/project_pages.py)."""

    path: str
    meta: PageFrontMatter | None
    """None when the front matter is unusable: the problems say why."""
    body: str
    body_line: int
    scanned: ScannedBody
    markdown_links: tuple[MarkdownLink, ...] = ()
    """Its links and images, as the parse found them (garden/links.py)."""
    anchors: frozenset[str] = frozenset()


def _rendered_sources(garden: Garden) -> Iterator[tuple[str, str, int, str]]:
    """(path, body, first line, Markdown as handed to MkDocs) of every page the site publishes
    from docs/ (a project page with problems is published as its problems alone)."""
    for note in garden.notes.values():
        yield note.path, note.body, note.body_line, note_markdown(note, garden)
    for page in garden.project_pages.values():
        if page.markdown is not None:
            yield page.path, page.body, page.body_line, page.markdown


def _read_bytes(file: Path, path: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, at most `MAX_NOTE_BYTES` read whatever its size claims."""
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_NOTE_BYTES + 1)
    except OSError as error:
        return None, [Problem(path, None, f"the file cannot be read ({error.strerror})",
                              "check its permissions")]
    if len(raw) > MAX_NOTE_BYTES:
        return None, [Problem(path, None, f"the note is over the limit of {MAX_NOTE_BYTES:,} bytes",
                              "split it into several notes that link to each other")]
    return raw, []


def _decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """A note's bytes as text: UTF-8, without a byte-order mark, with Unix line ends."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(path, line, f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x})",
                              "re-save the file with UTF-8 encoding")]


MAX_HEADINGS = 500
"""More headings than any note needs; Python-Markdown numbers repeated ones in quadratic time."""


def _uncommented(path: str, body: str, body_line: int, problems: list[Problem]) -> str:
    """A note's or project page's body without its `%%comments%%`: what everything reads, so
    a comment reaches no output. A comment left open is a problem on its line."""
    uncommented = remove_comments(body)
    if uncommented.unclosed_at is not None:
        problems.append(Problem(path, body_line + body.count("\n", 0, uncommented.unclosed_at),
                                "a %% comment is never closed: everything after it is left out",
                                "close it with a second %%, or write the text without %%"))
    return uncommented.body


def read_note(path: str, text: str, vocabulary: Mapping[str, str] | None,
              sources: dict[str, Source] | None = None, parser: LinkParser | None = None
              ) -> tuple[Note | BrokenNote, list[Problem]]:
    """Split, scan and parse one note's text; never raises for what the file contains. The
    parse (garden/links.py) is the note's one Markdown parse in the model: its links, ids and
    headings as the page will have them."""
    split, problems = split_note(path, text, vocabulary, sources)
    body = _uncommented(path, split.body, split.body_line, problems)
    if split.front_matter is None:
        return BrokenNote(path, body, split.body_line), problems
    problems += _journal_date_problems(path, split.front_matter.created)
    obsidian = read_obsidian(body, vocabulary)
    problems += [Problem(path, split.body_line + body.count("\n", 0, offset), message, hint)
                 for offset, message, hint in obsidian.problems]
    scanned = scan_body(body, split.body_line)
    problems += [Problem(path, line, message, hint)
                 for line, message, hint in embed_problems(body, scanned.wikilinks)]
    meta, tags_in_text = split.front_matter, obsidian.tags
    tags = tuple(dict.fromkeys([*meta.tags, *(found.tag for found in tags_in_text)]))
    if len(tags) > MAX_TAGS:
        problems.append(Problem(path, None, f"with the #tags of its text the note carries {len(tags)} tags; "
                                f"a note carries at most {MAX_TAGS}",
                                "keep the few that say what it is about"))
        tags_in_text = ()
    elif tags_in_text:
        meta = dataclasses.replace(meta, tags=tags)  # a #tag of the text is a tag of the note
    if len(scanned.headings) > MAX_HEADINGS:  # never rendered: Markdown's own ids cost n² for repeats
        return BrokenNote(path, body, split.body_line), [*problems, Problem(
            path, scanned.headings[MAX_HEADINGS].line,
            f"the note has {len(scanned.headings):,} headings, over the limit of {MAX_HEADINGS}",
            "split it into several notes")]
    if limit_problems := body_problems(path, body, split.body_line, scanned):  # never rendered
        return BrokenNote(path, body, split.body_line), [*problems, *limit_problems]
    for heading in scanned.headings:
        if heading.has_wikilink:
            problems.append(Problem(path, heading.line, "a heading cannot contain a [[wikilink]]",
                                    "put the link in the text under the heading"))
    parser = parser or _default_parser()
    # Callouts and block ids as the page renders them (a callout's title is text; `^id` an id);
    # the links are then placed in the body as written.
    parsed = parser.parse(with_callouts(with_block_ids(body)))
    return Note(path=path, meta=meta, body=body, body_line=split.body_line,
                headings=headings_with_lines(parsed.headings, scanned.headings, split.body_line),
                wikilinks=scanned.wikilinks,
                markdown_links=parser.locate(body, split.body_line, parsed, scanned.wikilinks),
                blocks=obsidian.blocks, body_tags=tags_in_text,
                anchors=parsed.anchors), problems


@functools.cache
def _default_parser() -> LinkParser:
    """MkDocs' builtin extensions only: for callers that read a note outside a project."""
    return LinkParser()


_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def _journal_date_problems(path: str, created: dt.date) -> list[Problem]:
    """A journal entry's `created` is the entry's date: it must match a date in its file name."""
    if not path.startswith(f"{JOURNAL_SECTION}/"):
        return []
    dated = _DATED_NAME.match(path.rsplit("/", 1)[-1])
    if dated and dated.group(1) != created.isoformat():
        return [Problem(path, None, f"the file name says {dated.group(1)} but 'created' is {created}",
                        "a journal entry's 'created' is the entry's date: make the two agree")]
    return []


def wikilink_label(link: WikiLink, target: Note) -> str:
    """What a wikilink shows: its label, else the name as typed (a title or alias), else the
    target's title when typed as a slug or path; `› heading` when it points into the note."""
    if link.label:
        return link.label
    typed_as_name = link.target and link.target.lower() not in (target.slug.lower(), target.path[:-3].lower())
    label = link.target if typed_as_name else target.title
    if link.heading:
        label = f"{label} › {link.heading}" if link.target else link.heading
    return label


@functools.lru_cache(maxsize=1 << 16)
def _key(name: str) -> str:
    """How names compare: Unicode NFC (an editor's `café` may arrive decomposed), spaces
    collapsed, case ignored. Cached: every build compares every note's names and links."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip().casefold()


_NAME_KINDS = ("path", "slug", "title", "alias")
"""How a wikilink may name a note, strongest first: a path never loses to an alias."""


class _Resolver:
    """Resolves wikilinks (by path, slug, title or alias, case-insensitively) and relative links.

    An alias that another note already answers to is reported on the note that claims it,
    not on every note that links to it; a link to
    a note with problems stays silent, since that note's own problems fail the run already.
    """

    def __init__(self, published: dict[str, Note], drafts: dict[str, Note], broken: dict[str, BrokenNote],
                 project_pages: dict[str, Page], problems: list[Problem], site_files: set[str]) -> None:
        self._published = published
        self._project_pages = project_pages
        self._drafts = drafts
        self._broken_names = {_key(name) for path in broken
                              for name in (path.removesuffix(".md"),
                                           path.rsplit("/", 1)[-1].removesuffix(".md"))}
        self._by_name: dict[str, dict[str, Note]] = {}
        claimed: dict[str, tuple[str, Note]] = {}
        for kind in _NAME_KINDS:
            for note in [*published.values(), *drafts.values()]:
                for name in _names(note, kind):
                    key = _key(name)
                    holder = claimed.get(key)
                    if holder is None or holder[1].path == note.path:
                        claimed[key] = (kind, note)
                        self._by_name.setdefault(key, {})[note.path] = note
                    elif kind == "alias":
                        problems.append(Problem(note.path, None,
                                                f"the alias '{name}' is already the {holder[0]} "
                                                f"of {holder[1].path}", "choose another alias, or remove it"))
                    elif kind == holder[0]:
                        # one file name or title, two notes: link by path
                        self._by_name[key][note.path] = note
        self._site_files = {path for path in site_files if path not in drafts}
        """What a link may point at: the pages the site publishes (notes, project and generated
        pages) and the files readers may be sent to (files of docs/, feeds, charts). Not the
        files only scripts read (the previews' shards, the search index), Material's own files or the
        alias redirect pages: MkDocs would let a link to some of these pass, the garden does not."""

    def trail(self, spec: TrailSpec, shown_as: str, problems: list[Problem]) -> Trail | None:
        """A trail with its steps resolved as wikilinks are: by path, slug, title or alias.
        A trail with a step that names no published note is left out; the problem says why."""
        notes: list[Note] = []
        for step in spec.steps:
            candidates = self._by_name.get(_key(step.name), {})
            target = next(iter(candidates.values())) if len(candidates) == 1 else None
            if not candidates:
                if _key(step.name) not in self._broken_names:  # a broken note reports itself
                    hint = did_you_mean(step.name, [n.slug for n in self._published.values()])
                    problems.append(Problem(shown_as, step.line, f"trail '{spec.id}': step '{step.name}' "
                                            "names no note", hint or "write the slug of a published note",
                                            in_docs=False))
            elif target is None:
                problems.append(Problem(shown_as, step.line, f"trail '{spec.id}': step '{step.name}' matches "
                                        f"several notes: {', '.join(sorted(candidates))}",
                                        "name the note by path instead, e.g. career/its-slug", in_docs=False))
            elif target.meta.draft:
                problems.append(Problem(shown_as, step.line, f"trail '{spec.id}': step '{step.name}' is a "
                                        f"draft ({target.path})", "publish it first, or leave it out",
                                        in_docs=False))
            elif target in notes:
                problems.append(Problem(shown_as, step.line, f"trail '{spec.id}': '{step.name}' is already "
                                        "a step of this trail", "a trail visits each note once",
                                        in_docs=False))
            else:
                notes.append(target)
                continue
            return None
        return Trail(spec.id, spec.title, spec.description, tuple(notes))

    def resolve(self, note: Note, problems: list[Problem], kept: _Resolution | None = None) -> _Resolution:
        """`note`'s wikilinks and Markdown links resolved; `kept` (the previous build's, under
        `make serve`) is taken as it is when it is of the same note, every link then resolved
        without a problem, and every link still names the same note: labels, anchors and
        problems depend on nothing else."""
        targets = self._targets(note)
        if (kept is not None and kept.note is note and kept.targets is not None and targets is not None
                and len(kept.targets) == len(targets) and all(map(operator.is_, kept.targets, targets))):
            return kept
        known = len(problems)
        wikilinks = self.wikilinks(note, problems)
        markdown_links = self.markdown_links(note.path, note.markdown_links, note.meta.draft, problems)
        return _Resolution(note, targets if len(problems) == known else None, wikilinks, markdown_links)

    def _targets(self, note: Note) -> tuple[Note, ...] | None:
        """The note each link names (a wikilink by name, a relative link by path), or None if
        some link names no published note, or several, or a file (whose existence is not kept)."""
        targets: list[Note] = []
        for link in note.wikilinks:
            if link.target and not link.embed:
                candidates = self._by_name.get(_key(link.target), {})
                if len(candidates) != 1:
                    return None
                targets += candidates.values()
        for markdown_link in note.markdown_links:
            parts = urlsplit(markdown_link.url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = _relative_note_path(note.path, markdown_link.url)
            target = self._published.get(path) if path and not markdown_link.image else None
            if target is None:
                return None
            targets.append(target)
        return tuple(targets)

    def wikilinks(self, note: Note, problems: list[Problem]) -> dict[int, ResolvedLink]:
        resolved: dict[int, ResolvedLink] = {}
        for link in note.wikilinks:
            if link.embed:
                continue
            target = self._wikilink_target(note, link, problems)
            if target is None:
                continue
            anchor = self._anchor(note, link, target, problems)
            if link.heading is None or anchor is not None:
                resolved[link.start] = ResolvedLink(note, target, anchor, link.line, link.start, link.end,
                                                    wikilink_label(link, target))
        return resolved

    def _wikilink_target(self, note: Note, link: WikiLink, problems: list[Problem]) -> Note | None:
        if not link.target:  # [[#heading]] links within the same note
            return note
        candidates = self._by_name.get(_key(link.target), {})
        if not candidates:
            if _key(link.target) not in self._broken_names:
                hint = did_you_mean(link.target, [n.slug for n in self._published.values()])
                problems.append(Problem(note.path, link.line, f"[[{link.target}]] links to no note",
                                        hint or "check the spelling, or create the note"))
            return None
        if len(candidates) > 1:
            paths = ", ".join(sorted(candidates))
            example = sorted(candidates)[0].removesuffix(".md")
            problems.append(Problem(note.path, link.line, f"[[{link.target}]] matches several notes: {paths}",
                                    "link by path instead, e.g. [[" + example + "]]"))
            return None
        target = next(iter(candidates.values()))
        if target.meta.draft and not note.meta.draft:
            problems.append(Problem(note.path, link.line,
                                    f"[[{link.target}]] links to a draft ({target.path})",
                                    "publish the draft first, or remove the link"))
            return None
        return target

    def embed_target(self, note: Note, link: WikiLink, problems: list[Problem]
                     ) -> tuple[Note, str | None] | None:
        """The note an embed shows and the heading anchor or block id it names, as a wikilink's."""
        target = self._wikilink_target(note, link, problems)
        if target is None:
            return None
        anchor = self._anchor(note, link, target, problems)
        return None if link.heading is not None and anchor is None else (target, anchor)

    @staticmethod
    def _anchor(note: Note, link: WikiLink, target: Note, problems: list[Problem]) -> str | None:
        if link.heading is None:
            return None
        if link.heading.startswith("^"):  # a block id
            wanted = link.heading[1:].strip()
            if any(block.id == wanted for block in target.blocks):
                return f"^{wanted}"
            hint = did_you_mean(wanted, [block.id for block in target.blocks])
            problems.append(Problem(note.path, link.line, f"[[{link.target}#{link.heading}]]: {target.path} "
                                    f"has no block ^{wanted}",
                                    hint or f"end a paragraph of it with ^{wanted}"))
            return None
        wanted = _key(link.heading)
        for heading in target.headings:
            if wanted in (_key(heading.text), heading.anchor) or slugify(link.heading, "-") == heading.anchor:
                return heading.anchor
        hint = did_you_mean(link.heading, [h.text for h in target.headings])
        problems.append(Problem(note.path, link.line,
                                f"[[{link.target}#{link.heading}]]: {target.path} "
                                f"has no heading '{link.heading}'",
                                hint or "link to one of its headings, or to the note itself"))
        return None

    def markdown_links(self, source: str, written: Iterable[MarkdownLink], from_draft: bool,
                       problems: list[Problem]) -> list[ResolvedLink]:
        """Every link and image the parse of `source` found, checked as MkDocs' validation
        checks it (`validation:` in mkdocs.yml) and more strictly where MkDocs lets a broken
        page through: a relative URL must name a page or a file of the site, a `#fragment` an id
        of the target page; an absolute path breaks under a `site_url` with a path. The links
        to published notes are returned: backlinks, graph edges, related notes, the diff."""
        resolved: list[ResolvedLink] = []
        source_note = self._published.get(source) or self._drafts.get(source)
        for link in written:
            target, problem = self._link_target(source, link, from_draft)
            if problem is not None:
                problems.append(Problem(source, link.line, *problem))
            elif target is not None and source_note is not None and not link.image:
                fragment = urlsplit(link.url).fragment
                resolved.append(ResolvedLink(source_note, target, fragment or None, link.line,
                                             link.start, link.end, link.text))
        return resolved

    def _link_target(self, source: str, link: MarkdownLink, from_draft: bool
                     ) -> tuple[Note | None, tuple[str, str] | None]:
        """The published note `link` leads to (if any), or what is wrong with it: (message, hint)."""
        url = link.url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or AMP_SUBSTITUTE in url:  # as MkDocs skips them
            return None, None  # another site (the HTML policy decides what may load from there)
        if url.startswith(("/", "\\")):
            return None, (f"the link to {url} is absolute",
                          "make it relative to this note's folder, e.g. ../career/note.md")
        fragment = parts.fragment
        if not parts.path:
            anchors = self._anchors_of(source)
            if fragment and anchors is not None and fragment not in anchors:
                return None, (f"the link to #{fragment}: this page has no heading or id '{fragment}'",
                              _hint(fragment, anchors) or "link to one of its headings")
            return None, None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path)))
        if link.raw_html and path.endswith(".md"):
            return None, (f"the HTML link to {url} is published as written, not as the page's address",
                          f"write it as a Markdown link: [text]({url})")
        if path in self._drafts and not from_draft:
            return None, (f"the link to {url} points at a draft",
                          "publish the draft first, or remove the link")
        if path not in self._site_files:
            if path.endswith(".md") and _key(path.removesuffix(".md")) in self._broken_names:
                return None, None  # the note with problems reports them itself
            if not posixpath.splitext(parts.path)[1]:
                return None, (f"the link to {url} names a folder, not a page",
                              "link to the page's .md file, e.g. career/index.md")
            return None, (f"the link to {url} points at no page or file of the site",
                          did_you_mean(path, self._site_files) or "check the path: it is relative to "
                          "this note's folder, and the file must be under docs/")
        anchors = self._anchors_of(path)
        if fragment and anchors is None and path.endswith(".md"):
            return None, (f"the link to {url}: the anchors of a generated page cannot be checked",
                          "link to the page itself, without '#…'")
        if fragment and anchors is not None and fragment not in anchors:
            return None, (f"the link to {url}: {path} has no heading or id '{fragment}'",
                          _hint(fragment, anchors) or "link to one of its headings")
        return self._published.get(path), None

    def _anchors_of(self, path: str) -> frozenset[str] | None:
        """The ids of a page of docs/ (a note or a project page); None for any other file."""
        note = self._published.get(path) or self._drafts.get(path)
        page = self._project_pages.get(path)
        return note.anchors if note is not None else page.anchors if page is not None else None


def _hint(fragment: str, anchors: Iterable[str]) -> str | None:
    return did_you_mean(fragment, [anchor for anchor in anchors if not anchor.startswith(("fn:", "fnref:"))])


def _relative_note_path(source: str, url: str) -> str | None:
    """The `.md` file (relative to `docs/`) a relative link of `source` leads to; None for any
    other link (to the web, to the site root, within the page, to a file that is no note)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("/", "#")) or not parts.path.endswith(".md"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path)))


def _names(note: Note, kind: str) -> tuple[str, ...]:
    if kind == "path":
        return (note.path.removesuffix(".md"),)
    if kind == "slug":
        return (note.slug,)
    if kind == "title":
        return (note.title,)
    return note.meta.aliases
