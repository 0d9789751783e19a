"""Pages generated from the garden at build time: tag pages, the tag index, section and
journal indexes, the changelog page, the graph page, a page per source and the sources
index, a page per trail and the trails index, and the glossary.

A page is a short Markdown text (title and introduction) plus HTML the adapter places after
the rendered content: the lists, drawn from views by templates. MkDocs thus neither parses
thousands of list items as Markdown nor resolves again links the model already resolved,
and the search index never sees them: a tag page is found by its name and description,
not by repeating every summary it lists.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import yaml

from garden.config import GardenConfig
from garden.conventions import (
    CHANGELOG_PAGE,
    FEED_FILE,
    GLOSSARY_PAGE,
    GRAPH_PAGE,
    JOURNAL_SECTION,
    SOURCE_INDEX,
    TAG_INDEX,
    TAGS_DIR,
    TRAIL_INDEX,
    section_index_path,
    source_page_path,
    tag_feed_file,
    tag_page_path,
    trail_page_path,
)
from garden.graph import graph_page as graph_view
from garden.model import Garden, Note
from garden.rendering import Renderer
from garden.text import Href, markdown_text, relative_link
from garden.views import (
    changelog_months,
    glossary_entries,
    journal_gaps,
    journal_years,
    listed_notes,
    source_page,
    source_summaries,
    tag_summaries,
    trail_steps,
    trail_summaries,
)

T = TypeVar("T")

@dataclass(frozen=True)
class GeneratedPage:
    """A page the garden adds to the site."""

    path: str
    """Source path relative to `docs/`, as if the file existed there."""
    title: str
    markdown: str
    html_after: str = ""
    """HTML placed after the page's rendered Markdown."""


def tag_of_page(path: str) -> str | None:
    """The tag whose page `path` is, if it is one."""
    folder, _, name = path.rpartition("/")
    return name.removesuffix(".md") if folder == TAGS_DIR and name != "index.md" else None


def _page(path: str, title: str, introduction: str, html_after: str) -> GeneratedPage:
    """A generated page: Markdown `introduction` under `title`, then `html_after`."""
    front_matter = yaml.safe_dump({"title": title}, allow_unicode=True, sort_keys=False)
    return GeneratedPage(path, title, f"---\n{front_matter}---\n\n{introduction}\n", html_after)


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


@dataclass(frozen=True)
class PagePlan:
    """Generated pages and what they show. `make serve` makes them again (`make()`) only when
    `inputs` differ from the previous build's: an edit remakes the pages that list what it
    changed, not every list of the garden."""

    key: str
    inputs: object
    make: Callable[[], list[GeneratedPage]]


def page_plans(garden: Garden, href: Href, options: GardenConfig, renderer: Renderer) -> list[PagePlan]:
    """Every page the garden adds: one small function per kind, all reading the same model."""
    metas = tuple((path, note.meta) for path, note in garden.notes.items())
    tagged = garden.tags_in_use()
    def one_tag(tag: str, notes: list[Note]) -> list[GeneratedPage]:
        return [tag_page(tag, notes, garden, href, renderer)]

    links = tuple((path, tuple(link.target.path for link in links)) for path, links in garden.links.items())
    changes = tuple((e.note.path, e.kind, e.date, e.what, e.note.meta) for e in garden.changes())
    plans = [PagePlan(f"tag:{tag}", (garden.vocabulary.get(tag), _shown(notes)),
                      functools.partial(one_tag, tag, notes)) for tag, notes in tagged.items()]
    plans += [
        PagePlan("tags", (garden.vocabulary, tuple((tag, len(notes)) for tag, notes in tagged.items())),
                 lambda: [tag_index(garden, href, renderer)]),
        PagePlan("sections", (tuple((section, _shown(notes)) for section, notes in garden.sections().items()),
                              garden.sources), lambda: section_indexes(garden, href, options, renderer)),
        PagePlan("changelog", changes, lambda: [changelog_page(garden, href, renderer)]),
        PagePlan("sources", (garden.sources, metas), lambda: source_pages(garden, href, renderer)),
        PagePlan("trails", (garden.trail_outlines(), metas), lambda: trail_pages(garden, href, renderer)),
        PagePlan("glossary", (garden.glossary, tuple(garden.terms_by_note.items()), metas),
                 lambda: glossary_page(garden, href, renderer)),
        PagePlan("graph", (metas, links), lambda: [graph_page(garden, href, options, renderer)]),
    ]
    return plans


def _shown(notes: list[Note]) -> tuple[tuple[str, object], ...]:
    """What a list of notes shows, in its order: each note's front matter."""
    return tuple((note.path, note.meta) for note in notes)


def tag_page(tag: str, notes: list[Note], garden: Garden, href: Href, renderer: Renderer) -> GeneratedPage:
    """A tag's page: its description, a subscribe link and its notes, newest first."""
    path = tag_page_path(tag)
    description = markdown_text(garden.vocabulary.get(tag, ""))
    subscribe = (f"[Subscribe to notes tagged {markdown_text(tag)} (RSS)]"
                 f"({relative_link(path, tag_feed_file(tag))}){{: .garden-subscribe }}")
    introduction = f"{description}\n\n{subscribe}\n\n{_count(len(notes), 'note')}, newest first:"
    return _page(path, f"Tag: {tag}", introduction,
                 renderer.render("note_list.html", notes=listed_notes(path, notes, href)))


def tag_index(garden: Garden, href: Href, renderer: Renderer) -> GeneratedPage:
    """Every tag, with how many notes carry it."""
    return _page(TAG_INDEX, "Tags", "Every tag in the garden, with how many notes carry it.",
                 renderer.render("tag_index.html", tags=tag_summaries(TAG_INDEX, garden, href)))


def section_indexes(garden: Garden, href: Href, options: GardenConfig,
                    renderer: Renderer) -> list[GeneratedPage]:
    """An index page per section; the journal goes by year, newest first."""
    pages = []
    for section, notes in garden.sections().items():
        if not section:
            continue
        path = section_index_path(section)
        title = options.section_title(section)
        if section == JOURNAL_SECTION:
            entries = sorted(notes, key=lambda n: (n.meta.created, n.path), reverse=True)
            years = journal_years(path, entries, href)
            gaps = journal_gaps(path, garden, href)
            pages.append(_page(path, title, f"{_count(len(entries), 'entry', 'entries')}, newest first.",
                               renderer.render("journal_index.html", years=years, gaps=gaps)))
        else:
            listed = listed_notes(path, notes, href, dated=False)
            pages.append(_page(path, title, f"{_count(len(notes), 'note')} in this section, by title.",
                               renderer.render("note_list.html", notes=listed)))
    return pages


def changelog_page(garden: Garden, href: Href, renderer: Renderer) -> GeneratedPage:
    """Every change, newest first, under a heading per month."""
    introduction = ("What changed in the garden, newest first: new notes, and changes worth knowing about. "
                    f"[Subscribe to the changelog (RSS)]({relative_link(CHANGELOG_PAGE, FEED_FILE)}).")
    months = changelog_months(CHANGELOG_PAGE, garden.changes(), href)
    drawn = renderer.render_pieces("changelog_month.html",
                                   ((month, tuple(items)) for month, items in months.items()))
    return _page(CHANGELOG_PAGE, "Changelog", introduction, renderer.render("changelog.html", months=drawn))


def graph_page(garden: Garden, href: Href, options: GardenConfig, renderer: Renderer) -> GeneratedPage:
    """The whole garden as one picture, and the same graph as a list."""
    view = graph_view(GRAPH_PAGE, garden, href, options)
    introduction = ("Every note is a dot, coloured by section; a line joins two notes when one links to the "
                    "other. Point at a dot or reach it with the Tab key to see its title and its neighbours. "
                    "The same graph as a list is below the picture.")  # how to use it: graph_picture.html
    picture = view.picture
    lines = renderer.render_pieces("graph_lines.html", _runs(picture.lines, lambda line: line.a))
    dots = renderer.render_pieces("graph_dots.html", _runs(picture.dots, lambda dot: dot.id))
    listing = renderer.render_pieces("graph_listing.html", _runs(view.listing, lambda entry: entry.id))
    return _page(GRAPH_PAGE, "Graph", introduction, renderer.render(
        "graph_page.html", legend=view.legend, picture=picture, lines=lines, dots=dots, listing=listing))


_RUN = 64
"""Notes per run of the graph page: an edit draws again the runs of the notes it touched."""


def _runs(items: tuple[T, ...], note_id: Callable[[T], int]) -> list[tuple[T, ...]]:
    """`items` (in the order of their notes' ids) cut where the id passes a multiple of `_RUN`:
    a run stays equal while its notes' part of the graph does, whatever changes elsewhere."""
    return [tuple(run) for _, run in itertools.groupby(items, key=lambda item: note_id(item) // _RUN)]


def source_pages(garden: Garden, href: Href, renderer: Renderer) -> list[GeneratedPage]:
    """A page per source (what it is, who wrote it and when, where the source says, and the notes
    citing it, essay by essay), and the sources index."""
    if not garden.sources:
        return []
    pages = []
    for source in garden.sources.values():
        path = source_page_path(source.id)
        facts = [f"By {markdown_text(source.author)}." if source.author else "",
                 f"Dated {source.date.isoformat()}." if source.date else ""]
        untitled = "" if source.titled else "The document has no title of its own; the name above is ours. "
        count = garden.citation_count(source.id)
        introduction = (f"{markdown_text(source.description)}\n\n{' '.join(filter(None, facts))}\n\n"
                        f"{untitled}{_count(count, 'note')} of the garden cite it"
                        f"{', by essay' if source.essays else ''}. "
                        f"[Every source]({relative_link(path, SOURCE_INDEX)}).")
        pages.append(_page(path, f"Source: {source.title}", introduction,
                           renderer.render("source_page.html", page=source_page(source, garden, href))))
    introduction = ("Every document the notes draw on, with the notes that cite it. A name that is not in "
                    "italics is ours: that document has no title of its own.")
    pages.append(_page(SOURCE_INDEX, "Sources", introduction, renderer.render(
        "source_index.html", sources=source_summaries(SOURCE_INDEX, garden, href))))
    return pages


def trail_pages(garden: Garden, href: Href, renderer: Renderer) -> list[GeneratedPage]:
    """A page per trail (its notes in order) and the trails index."""
    if not garden.trails:
        return []
    pages = []
    for trail in garden.trails.values():
        path = trail_page_path(trail.id)
        introduction = (f"{markdown_text(trail.description)}\n\n{_count(len(trail.notes), 'note')}, to read "
                        "in this order; each note links to the previous and next on the trail. "
                        f"[Every trail]({relative_link(path, TRAIL_INDEX)}).")
        pages.append(_page(path, f"Trail: {trail.title}", introduction,
                           renderer.render("trail_page.html", steps=trail_steps(trail, href))))
    pages.append(_page(TRAIL_INDEX, "Trails", "Reading paths through the garden, each for a question a "
                       "reader might bring.", renderer.render(
                           "trail_list.html", trails=trail_summaries(TRAIL_INDEX, garden, href))))
    return pages


def glossary_page(garden: Garden, href: Href, renderer: Renderer) -> list[GeneratedPage]:
    """Every term with its definition and the notes that use it (where it shows on hover)."""
    if not garden.glossary:
        return []
    introduction = ("The sources' own terms that the notes use, each defined once with the source it comes "
                    "from; a term the garden coined says so. In a note, hover over (or focus) a term with a "
                    "dotted underline to read its definition.")
    return [_page(GLOSSARY_PAGE, "Glossary", introduction,
                  renderer.render("glossary.html", entries=glossary_entries(garden, href)))]
