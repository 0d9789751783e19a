"""Views: the model turned into the plain values each template shows, and nothing more.

A view holds URLs, texts and dates, already chosen and ordered: templates only place them
(with autoescape), and tests can check what a reader will see without building a site.
Every URL comes from `href`, which the MkDocs adapter provides.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from garden.charts import Chart
from garden.context import link_context
from garden.conventions import GLOSSARY_PAGE, source_page_path, tag_page_path, trail_page_path
from garden.glossary import Term
from garden.model import ChangeEntry, Garden, Note, Trail
from garden.sources import Source, split_citation
from garden.text import Href

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+")


class NoteLink(NamedTuple):
    """A link to a note, with the preview a reader gets on hover or focus. A named tuple, as
    the changelog's and the graph page's thousands are made, and hashed as page pieces, on
    every save of `make serve`."""

    url: str
    title: str
    preview: str


@dataclass(frozen=True)
class TagChip:
    name: str
    url: str


@dataclass(frozen=True)
class NoteHeader:
    """What sits between a note's title and its text."""

    tags: tuple[TagChip, ...]
    created: dt.date
    updated: dt.date | None
    """The last change, when the note changed after it was created."""
    minutes: int
    stage: str | None = None
    """seedling, budding or evergreen, when the note says."""
    trails: tuple[TrailNav, ...] = ()
    """The trails the note is on: a bar under the title says where on each the reader is."""


@dataclass(frozen=True)
class SourceLink:
    """A cited source as a note's footer names it: the essay when the note cites one, within its feed."""

    url: str
    title: str
    titled: bool
    """False when the document has no title of its own: the name is ours, so it is not shown as a title."""
    within: str | None = None
    """The feed or collection the essay belongs to."""
    within_titled: bool = True


@dataclass(frozen=True)
class TrailLink:
    """A trail as a link: its page and title."""

    url: str
    title: str


@dataclass(frozen=True)
class TrailNav:
    """A note's place on one trail: previous and next steps, and the way to the whole trail."""

    title: str
    url: str
    position: int
    """1-based."""
    count: int
    previous: NoteLink | None
    next: NoteLink | None
    next_trail: TrailLink | None = None
    """At the trail's last step, the trail after it in trails.yml (the first after the last):
    a reader at the end has somewhere to go on to."""


@dataclass(frozen=True)
class Backlink:
    """A note linking here, and the sentence it does it in, split around the link text."""

    link: NoteLink
    before: str
    linked: str
    after: str


@dataclass(frozen=True)
class NoteFooter:
    """What follows a note's text."""

    sources: tuple[SourceLink, ...]
    related: tuple[NoteLink, ...]
    backlinks: tuple[Backlink, ...]
    trails: tuple[TrailNav, ...] = ()


@dataclass(frozen=True)
class ListedNote:
    """A note in a generated list: link, date when the list is by date, summary."""

    link: NoteLink
    date: dt.date | None
    summary: str
    stage: str | None = None


@dataclass(frozen=True)
class TagSummary:
    """A tag on the tag index."""

    name: str
    url: str
    count: int
    description: str


class ChangeItem(NamedTuple):
    """One line of the changelog page (a named tuple, like `NoteLink`)."""

    date: dt.date
    kind: str
    label: str
    link: NoteLink
    what: str


def preview_text(note: Note) -> str:
    """What a link preview shows of its target."""
    return f"{note.title} — {note.meta.summary}"


def note_link(from_path: str, target: Note, href: Href) -> NoteLink:
    return NoteLink(href(from_path, target.path), target.title, preview_text(target))


def reading_minutes(note: Note) -> int:
    return max(1, math.ceil(len(_WORD.findall(note.body)) / WORDS_PER_MINUTE))


def note_header(note: Note, href: Href, trails: tuple[TrailNav, ...] = ()) -> NoteHeader:
    changed = note.last_changed
    return NoteHeader(tags=tuple(TagChip(tag, href(note.path, tag_page_path(tag))) for tag in note.meta.tags),
                      created=note.meta.created, updated=changed if changed != note.meta.created else None,
                      minutes=reading_minutes(note), stage=note.meta.stage, trails=trails)


def note_footer(note: Note, garden: Garden, href: Href, trails: tuple[TrailNav, ...] | None = None,
                related: Sequence[Note] | None = None) -> NoteFooter:
    """`trails`: the note's `trail_navigation`, when the caller has it already (its header shows it
    too); `related`: its related notes, when the caller keeps them (`make serve`: its session)."""
    backlinks = []
    for link in garden.backlink_links(note):
        context = link_context(link, garden)
        backlinks.append(Backlink(note_link(note.path, link.source, href), context.before, context.linked,
                                  context.after))
    return NoteFooter(sources=tuple(cited for citation in note.meta.sources
                                    if (cited := source_link(note.path, citation, garden, href))),
                      related=tuple(note_link(note.path, other, href)
                                    for other in (garden.related_to(note) if related is None else related)),
                      backlinks=tuple(backlinks),
                      trails=trail_navigation(note, garden, href) if trails is None else trails)


def source_link(from_path: str, citation: str, garden: Garden, href: Href) -> SourceLink | None:
    """Where a citation leads: the source's page, at the essay's entry when it names one."""
    source_id, essay_id = split_citation(citation)
    source = garden.sources.get(source_id)
    if source is None:  # only when the vocabulary is unusable, which is a problem of its own
        return None
    url = href(from_path, source_page_path(source.id))
    essay = source.essay(essay_id) if essay_id else None
    if essay is not None:
        return SourceLink(f"{url}#{essay.id}", essay.title, essay.titled, source.title, source.titled)
    return SourceLink(url, source.title, source.titled)


def trail_navigation(note: Note, garden: Garden, href: Href) -> tuple[TrailNav, ...]:
    """Previous and next on every trail the note is on; at a trail's last step, the next trail."""
    trails = list(garden.trails.values())
    return tuple(TrailNav(stop.trail.title, href(note.path, trail_page_path(stop.trail.id)), stop.index + 1,
                          len(stop.trail.notes),
                          note_link(note.path, stop.previous, href) if stop.previous else None,
                          note_link(note.path, stop.next, href) if stop.next else None,
                          _trail_after(stop.trail, trails, note.path, href) if stop.next is None else None)
                 for stop in garden.trail_stops(note))


def _trail_after(trail: Trail, trails: list[Trail], from_path: str, href: Href) -> TrailLink | None:
    """The trail after `trail` in trails.yml (the first after the last); none when it is the only one."""
    if len(trails) < 2:
        return None
    following = trails[(trails.index(trail) + 1) % len(trails)]
    return TrailLink(href(from_path, trail_page_path(following.id)), following.title)


def listed_notes(from_path: str, notes: list[Note], href: Href, dated: bool = True) -> list[ListedNote]:
    return [ListedNote(note_link(from_path, note, href), note.meta.created if dated else None,
                       note.meta.summary, note.meta.stage) for note in notes]


@dataclass(frozen=True)
class EssayEntry:
    """An essay of a source, with the notes that cite it."""

    id: str
    title: str
    titled: bool
    notes: tuple[ListedNote, ...]


@dataclass(frozen=True)
class SourcePageView:
    """What a source's page lists: the notes citing the whole source, then each essay's."""

    notes: tuple[ListedNote, ...]
    essays: tuple[EssayEntry, ...]
    url: str | None = None
    """The document itself, when sources.yml gives its address."""


def source_page(source: Source, garden: Garden, href: Href) -> SourcePageView:
    path = source_page_path(source.id)
    essays = tuple(EssayEntry(essay.id, essay.title, essay.titled, tuple(listed_notes(
        path, garden.notes_citing(f"{source.id}/{essay.id}"), href, dated=False))) for essay in source.essays)
    whole = listed_notes(path, garden.notes_citing(source.id), href, dated=False)
    return SourcePageView(tuple(whole), essays, source.url)


@dataclass(frozen=True)
class SourceSummary:
    """A source on the sources index."""

    url: str
    title: str
    titled: bool
    author: str | None
    date: dt.date | None
    count: int


def source_summaries(from_path: str, garden: Garden, href: Href) -> list[SourceSummary]:
    """Every source, by title."""
    return [SourceSummary(href(from_path, source_page_path(source.id)), source.title, source.titled,
                          source.author, source.date, garden.citation_count(source.id))
            for source in sorted(garden.sources.values(), key=lambda s: s.title.casefold())]


@dataclass(frozen=True)
class TrailSummary:
    """A trail in a list of trails: where it leads, what it is for, how long it is."""

    url: str
    title: str
    description: str
    steps: int
    first: NoteLink


def trail_summaries(from_path: str, garden: Garden, href: Href) -> list[TrailSummary]:
    """Every trail, in trails.yml's order."""
    return [TrailSummary(href(from_path, trail_page_path(trail.id)), trail.title, trail.description,
                         len(trail.notes), note_link(from_path, trail.notes[0], href))
            for trail in garden.trails.values()]


def trail_steps(trail: Trail, href: Href) -> list[ListedNote]:
    """A trail's notes in order, as its page lists them."""
    return listed_notes(trail_page_path(trail.id), list(trail.notes), href, dated=False)


@dataclass(frozen=True)
class GlossaryEntry:
    """A term on the glossary page: its definition, other written forms, and where it is used."""

    anchor: str
    term: str
    definition: str
    forms: tuple[str, ...]
    notes: tuple[NoteLink, ...]
    source: SourceLink | None = None
    """The document the term comes from, when the glossary names one."""
    ours: bool = False
    """The garden coined the term: no source uses it."""


def glossary_entries(garden: Garden, href: Href) -> list[GlossaryEntry]:
    """Every term, alphabetically (case ignored)."""
    terms: list[Term] = sorted(garden.glossary.values(), key=lambda term: term.term.casefold())
    users = garden.notes_using_terms()
    return [GlossaryEntry(term.anchor, term.term, term.definition, term.forms[1:],
                          tuple(note_link(GLOSSARY_PAGE, note, href) for note in users.get(term.term, [])),
                          source_link(GLOSSARY_PAGE, term.source, garden, href) if term.source else None,
                          term.ours)
            for term in terms]


@dataclass(frozen=True)
class JournalGap:
    """A journal entry a source names but does not contain."""

    date: dt.date
    source_url: str
    source_title: str
    titled: bool


def journal_gaps(from_path: str, garden: Garden, href: Href) -> list[JournalGap]:
    return [JournalGap(when, href(from_path, source_page_path(source.id)), source.title, source.titled)
            for when, source in garden.journal_gaps()]


def tag_summaries(from_path: str, garden: Garden, href: Href) -> list[TagSummary]:
    return [TagSummary(tag, href(from_path, tag_page_path(tag)), len(notes), garden.vocabulary.get(tag, ""))
            for tag, notes in garden.tags_in_use().items()]


def journal_years(from_path: str, entries: list[Note], href: Href) -> dict[int, list[ListedNote]]:
    """Journal entries by year, newest first, as they are given."""
    years: dict[int, list[ListedNote]] = {}
    for entry in entries:
        years.setdefault(entry.meta.created.year, []).extend(listed_notes(from_path, [entry], href))
    return years


def changelog_months(from_path: str, entries: list[ChangeEntry], href: Href) -> dict[str, list[ChangeItem]]:
    """Changelog entries under their month ("November 2026"), in the order given (newest first)."""
    months: dict[str, list[ChangeItem]] = {}
    for entry in entries:
        link = note_link(from_path, entry.note, href)
        months.setdefault(entry.date.strftime("%B %Y"), []).append(
            ChangeItem(entry.date, entry.kind, entry.label, link, entry.gain))
    return months


CHART_COLOURS = ("#00695c", "#ad1457", "#1565c0", "#6a1b9a")
"""Contrast ≥ 4.5:1 against the chart's white card, in light and dark themes alike."""


@dataclass(frozen=True)
class ChartBar:
    y: int
    width: float
    colour: str
    series: str
    value: str


@dataclass(frozen=True)
class ChartRow:
    y: int
    category: str
    bars: tuple[ChartBar, ...]


@dataclass(frozen=True)
class ChartLegendItem:
    x: int
    colour: str
    name: str


@dataclass(frozen=True)
class ChartView:
    """A horizontal grouped bar chart, measured: the template only draws."""

    title: str
    description: str
    source: str
    width: int
    height: int
    left: int
    bar: int
    legend: tuple[ChartLegendItem, ...]
    rows: tuple[ChartRow, ...]


def chart_view(chart: Chart, width: int = 400, left: int = 16, right: int = 72, bar: int = 20) -> ChartView:
    """Category label above its bars, each bar's value at its end, the source at the foot. Drawn
    400 units wide with 15-unit text (chart.svg): shown 343 px wide on a 375 px phone, every
    label, value and the source line is 12.9 px or more."""
    label_height, gap, top = 22, 18, 56
    group_height = label_height + bar * len(chart.series) + gap
    height = top + group_height * len(chart.categories) + 16 + (20 if chart.source else 0)
    scale = (width - left - right) / (max(v for s in chart.series for v in s.values) or 1.0)
    legend, x = [], left
    for index, series in enumerate(chart.series):
        legend.append(ChartLegendItem(x, CHART_COLOURS[index % len(CHART_COLOURS)], series.name))
        x += 28 + 8 * len(series.name) + 24
    rows = []
    for row, category in enumerate(chart.categories):
        y = top + row * group_height
        rows.append(ChartRow(y, category, tuple(
            ChartBar(y + label_height + index * bar, max(series.values[row] * scale, 1),
                     CHART_COLOURS[index % len(CHART_COLOURS)], series.name,
                     f"{series.values[row]:g}{chart.unit}")
            for index, series in enumerate(chart.series))))
    return ChartView(chart.title, chart.description, chart.source, width, height, left, bar,
                     tuple(legend), tuple(rows))


@dataclass(frozen=True)
class SharingImage:
    """A page's share card (garden/cards.py), as Open Graph and Twitter describe an image."""

    url: str
    """Absolute, like the page's own."""
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class SharingView:
    """What a link to a page shows when it is shared (Open Graph and Twitter tags)."""

    title: str
    description: str
    url: str
    """Absolute: a shared link leaves the site."""
    site_name: str
    type: str
    """"article" for a note, "website" for every other page."""
    published: dt.date | None = None
    modified: dt.date | None = None
    image: SharingImage | None = None
    """The page's card; None for a page with problems, which has none."""


def sharing_view(title: str, description: str, url: str, site_name: str,
                 note: Note | None = None, image: SharingImage | None = None) -> SharingView:
    """A note is an article, dated from its front matter; any other page is the website's."""
    if note is None:
        return SharingView(title, description, url, site_name, "website", image=image)
    return SharingView(note.title, note.meta.summary, url, site_name, "article", note.meta.created,
                       note.last_changed, image)


def sharing_image(url: str, title: str, site_name: str, width: int, height: int) -> SharingImage:
    """A card's description for those who cannot see it: the page's title and the garden's name,
    which the card shows (its summary is the page's description, said beside it)."""
    alt = title if title == site_name else f"{title} — {site_name}"
    return SharingImage(url, width, height, alt)


class TocEntry(Protocol):
    """A heading of a rendered page as MkDocs lists it (`page.toc`), without importing MkDocs."""

    @property
    def title(self) -> str:
        """The heading's text as HTML (escaped text, tags stripped)."""

    @property
    def url(self) -> str:
        """`#anchor`."""

    @property
    def children(self) -> Sequence[TocEntry]: ...


@dataclass(frozen=True)
class ContentsEntry:
    """A heading in a note's "On this page" list, with the headings under it."""

    title: str
    """Plain text: the template escapes it."""
    url: str
    children: tuple[ContentsEntry, ...] = ()


MIN_CONTENTS = 2
"""A note with fewer headings has nothing to jump between: no contents list."""


def page_contents(toc: Iterable[TocEntry]) -> tuple[ContentsEntry, ...]:
    """A note's headings for the contents list phones show, where Material hides its table of
    contents and the drawer lists sections, not notes; empty below `MIN_CONTENTS` headings.
    MkDocs gives each title as HTML: it is unescaped here so that the template's autoescape
    escapes it exactly once."""

    def entries(items: Iterable[TocEntry]) -> tuple[ContentsEntry, ...]:
        return tuple(ContentsEntry(html.unescape(item.title), item.url, entries(item.children))
                     for item in items)

    def count(items: tuple[ContentsEntry, ...]) -> int:
        return sum(1 + count(item.children) for item in items)

    contents = entries(toc)
    return contents if count(contents) >= MIN_CONTENTS else ()
