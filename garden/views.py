"""Views: the model turned into the plain values each template shows, and nothing more.

A view holds URLs, texts and dates, already chosen and ordered: templates only place them
(with autoescape), and tests can check what a reader will see without building a site.
Every URL comes from `href`, which the MkDocs adapter provides.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from garden.charts import Chart
from garden.context import link_context
from garden.conventions import tag_page_path
from garden.model import ChangeEntry, Garden, Note
from garden.text import Href

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NoteLink:
    """A link to a note, with the preview a reader gets on hover or focus."""

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

    sources: tuple[str, ...]
    related: tuple[NoteLink, ...]
    backlinks: tuple[Backlink, ...]


@dataclass(frozen=True)
class ListedNote:
    """A note in a generated list: link, date when the list is by date, summary."""

    link: NoteLink
    date: dt.date | None
    summary: str


@dataclass(frozen=True)
class TagSummary:
    """A tag on the tag index."""

    name: str
    url: str
    count: int
    description: str


@dataclass(frozen=True)
class ChangeItem:
    """One line of the changelog page."""

    date: dt.date
    kind: str
    label: str
    link: NoteLink
    what: str


KIND_LABEL = {"new": "New", "updated": "Updated"}


def preview_text(note: Note) -> str:
    """What a link preview shows of its target."""
    return f"{note.title} — {note.meta.summary}"


def note_link(from_path: str, target: Note, href: Href) -> NoteLink:
    return NoteLink(href(from_path, target.path), target.title, preview_text(target))


def reading_minutes(note: Note) -> int:
    return max(1, math.ceil(len(_WORD.findall(note.body)) / WORDS_PER_MINUTE))


def note_header(note: Note, href: Href) -> NoteHeader:
    changed = note.last_changed
    return NoteHeader(tags=tuple(TagChip(tag, href(note.path, tag_page_path(tag))) for tag in note.meta.tags),
                      created=note.meta.created, updated=changed if changed != note.meta.created else None,
                      minutes=reading_minutes(note))


def note_footer(note: Note, garden: Garden, href: Href) -> NoteFooter:
    backlinks = []
    for link in garden.backlink_links(note):
        context = link_context(link)
        backlinks.append(Backlink(note_link(note.path, link.source, href), context.before, context.linked,
                                  context.after))
    return NoteFooter(sources=note.meta.sources,
                      related=tuple(note_link(note.path, other, href) for other in garden.related_to(note)),
                      backlinks=tuple(backlinks))


def listed_notes(from_path: str, notes: list[Note], href: Href, dated: bool = True) -> list[ListedNote]:
    return [ListedNote(note_link(from_path, note, href), note.meta.created if dated else None,
                       note.meta.summary) for note in notes]


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
            ChangeItem(entry.date, entry.kind, KIND_LABEL[entry.kind], link, entry.what))
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


def chart_view(chart: Chart, width: int = 640, left: int = 16, right: int = 72, bar: int = 20) -> ChartView:
    """Category label above its bars, each bar's value at its end, the source at the foot."""
    label_height, gap, top = 22, 18, 56
    group_height = label_height + bar * len(chart.series) + gap
    height = top + group_height * len(chart.categories) + 16 + (20 if chart.source else 0)
    scale = (width - left - right) / (max(v for s in chart.series for v in s.values) or 1.0)
    legend, x = [], left
    for index, series in enumerate(chart.series):
        legend.append(ChartLegendItem(x, CHART_COLOURS[index % len(CHART_COLOURS)], series.name))
        x += 28 + 9 * len(series.name) + 24
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
