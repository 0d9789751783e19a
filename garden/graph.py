"""A picture of the garden, laid out at build time: the whole graph on its own page, and a
local graph (a note and its neighbours) under each note.

No third-party library, and everything is placed here, in Python, so the pictures need no
script to be read: the graph page's script (`assets/graph.js`) only adds zoom, pan and the
highlighting of a note's neighbours. The dots and labels readers click are ordinary HTML links
placed over an SVG in percentages, never SVG anchors, which Material's instant navigation
cannot follow (their `href` is read-only). Layouts are deterministic and linear in the number
of notes. This module computes the views; `templates/graph_*.html` draw them.

The whole graph: each section is a cluster on a large circle, its notes on a sunflower spiral
inside it. Every dot is a focusable link named by its note's title, which it shows on hover
and focus, and knows its neighbours (`data-neighbours`) for the highlighting.

The local graph is read on a 320 px phone as well as on a desktop, so its labels are laid out
at a fixed size in viewBox units (the picture scales with the width, up to a maximum set in
`garden.css`): the note on the left, its neighbours in a column on the right, each label
wrapped to at most two lines and cut to fit with a conservative estimate of the text's width.
No label can overlap another or leave the picture, whatever the font. The links over the
labels name the full title and whether the neighbour links here or is linked from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import cycle
from typing import NamedTuple

from garden.config import GardenConfig
from garden.model import Garden, Note
from garden.text import Href
from garden.views import NoteLink, note_link

SECTION_PALETTE = ("#0099ee", "#00a679", "#1673a7", "#c972a2", "#b24e00", "#c48700", "#6d6d6d")
"""Okabe and Ito's colour-blind-safe hues (blue, bluish green, sky blue, reddish purple,
vermillion, orange) and a grey, each brought to a luminance with at least 3:1 against white
and against Material's dark background, and kept apart with and without protanopia or
deuteranopia (tests/test_graphs.py checks both). The closest pairs (the two blues; vermillion
and orange) go to sections the real garden has few notes in. Colour is never the only cue:
section names are in the legend and in every dot's label."""
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_NODE_SPACING = 14.0

LOCAL_LIMIT = 12
"""Neighbours drawn in a local graph; the rest are counted ("and 3 more")."""


@dataclass(frozen=True)
class LocalGeometry:
    """The local graph's fixed measures, in viewBox units. Its width is about a 320 px phone's
    content width, so one unit is then about one pixel and `font` is the smallest size a label
    is ever shown at; wider, the picture scales up to the maximum width `garden.css` sets."""

    width: float = 320.0
    font: float = 12.0
    line_height: float = 15.0
    row_gap: float = 8.0
    margin: float = 6.0
    centre_x: float = 14.0
    centre_radius: float = 7.0
    dot_x: float = 70.0
    dot_radius: float = 5.5
    label_gap: float = 5.0
    label_lines: int = 2

    @property
    def label_x(self) -> float:
        return self.dot_x + self.dot_radius + self.label_gap

    @property
    def label_width(self) -> float:
        return self.width - self.label_x - self.margin


LOCAL = LocalGeometry()
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    def contains(self, other: Box) -> bool:
        return (self.left <= other.left and self.top <= other.top
                and other.left + other.width <= self.left + self.width
                and other.top + other.height <= self.top + self.height)

    def intersects(self, other: Box) -> bool:
        return (self.left < other.left + other.width and other.left < self.left + self.width
                and self.top < other.top + other.height and other.top < self.top + self.height)


class Line(NamedTuple):
    """A line of the graph page between the notes numbered `a` and `b` (for highlighting).

    Lines, dots and list entries are named tuples, not dataclasses: the graph page has one per
    link and two per note, made on every save that changes a link under `make serve` and
    compared as pieces of the page (`Renderer.render_pieces`), where a tuple is made and
    hashed several times faster."""

    x1: float
    y1: float
    x2: float
    y2: float
    a: int
    b: int


class Dot(NamedTuple):
    """A note on the graph page: where (in % of the box), how big, which colour, where it leads."""

    id: int
    left: float
    top: float
    size: float
    colour: str
    url: str
    title: str
    section: str
    neighbours: str
    """The `id`s of the notes it is connected to, space-separated, for `data-neighbours`."""


@dataclass(frozen=True)
class Picture:
    box: Box
    lines: tuple[Line, ...]
    captions: tuple[tuple[float, float, str], ...]
    """Section names over their clusters, placed like the dots (in % of the box) so that they
    keep a readable size however wide the picture is drawn."""
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    title: str
    count: int


class GraphEntry(NamedTuple):
    """A note and the titles of the notes it is connected to: the picture as text."""

    id: int
    """Its dot's."""
    link: NoteLink
    neighbours: tuple[str, ...]


@dataclass(frozen=True)
class GraphPage:
    legend: tuple[LegendEntry, ...]
    picture: Picture
    listing: tuple[GraphEntry, ...]


@dataclass(frozen=True)
class Neighbour:
    """A neighbour in a local graph: its dot, its label's lines (the first line's baseline at
    `baseline`), the curve from the note to it, and the link laid over dot and label."""

    title: str
    url: str
    relation: str
    """"links here", "linked from here" or both, for the link's accessible name."""
    colour: str
    y: float
    baseline: float
    lines: tuple[str, ...]
    label: Box
    """Where the label is drawn, at most: its estimated width, its lines' height."""
    curve: str
    link: Box
    """The link over dot and label, in % of the picture."""


@dataclass(frozen=True)
class LocalGraph:
    geometry: LocalGeometry
    height: float
    centre_y: float
    colour: str
    neighbours: tuple[Neighbour, ...]
    more: int
    """Neighbours left out of the picture."""


def section_colours(garden: Garden) -> dict[str, str]:
    """A colour per section, in section order."""
    return dict(zip(garden.sections(), cycle(SECTION_PALETTE), strict=False))


def _layout(garden: Garden) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float, float]]]:
    """Node positions, and each section's centre and radius."""
    sections = garden.sections()
    radii = {s: _NODE_SPACING * math.sqrt(len(notes)) + 12 for s, notes in sections.items()}
    ring = max(sum(2 * r + 24 for r in radii.values()) / (2 * math.pi), max(radii.values(), default=0) + 24)
    positions: dict[str, tuple[float, float]] = {}
    clusters: dict[str, tuple[float, float, float]] = {}
    angle = 0.0
    for section, notes in sections.items():
        share = (2 * radii[section] + 24) / (ring * 2 * math.pi) * 2 * math.pi if len(sections) > 1 else 0
        centre_angle = angle + share / 2
        angle += share
        distance = ring if len(sections) > 1 else 0
        cx, cy = distance * math.cos(centre_angle), distance * math.sin(centre_angle)
        clusters[section] = (cx, cy, radii[section])
        for index, note in enumerate(notes):
            r = _NODE_SPACING * math.sqrt(index + 0.5)
            angle_of_note = index * _GOLDEN_ANGLE
            positions[note.path] = (cx + r * math.cos(angle_of_note), cy + r * math.sin(angle_of_note))
    return positions, clusters


def graph_page(from_path: str, garden: Garden, href: Href, options: GardenConfig) -> GraphPage:
    """The whole garden as one picture, with the same graph as a list for every reader."""
    positions, clusters = _layout(garden)
    colours = section_colours(garden)
    ids = {path: index for index, path in enumerate(garden.notes)}  # in path order, as the notes are
    margin = 60.0  # room for the section captions above the clusters, even on a phone
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    left, top = min(xs) - margin, min(ys) - margin
    box = Box(left, top, max(xs) - left + margin, max(ys) - top + margin)
    titles = {path: note.title for path, note in garden.notes.items()}
    # Each note's neighbours sorted once (by path, and so by id) for its lines, its dot and its entry.
    by_path = {path: sorted(garden.neighbours(path)) for path in garden.notes}
    by_id = {path: " ".join(str(ids[neighbour]) for neighbour in neighbours)
             for path, neighbours in by_path.items()}
    lines = tuple(Line(*positions[a], *positions[b], ids[a], ids[b])
                  for a, neighbours in by_path.items() for b in neighbours if a < b)
    dots = tuple(Dot(ids[note.path], (positions[note.path][0] - box.left) / box.width * 100,
                     (positions[note.path][1] - box.top) / box.height * 100,
                     10 + min(len(by_path[note.path]), 12) * 0.5, colours[note.section],
                     href(from_path, note.path), note.title, options.section_title(note.section),
                     by_id[note.path])
                 for note in garden.notes.values())
    captions = tuple(((cx - box.left) / box.width * 100, (cy - radius - 6 - box.top) / box.height * 100,
                      options.section_title(section))
                     for section, (cx, cy, radius) in clusters.items() if section)
    legend = tuple(LegendEntry(colours[section], options.section_title(section), len(notes))
                   for section, notes in garden.sections().items())
    listing = tuple(GraphEntry(ids[note.path], note_link(from_path, note, href),
                               tuple(map(titles.__getitem__, by_path[note.path])))
                    for note in garden.notes.values())
    return GraphPage(legend, Picture(box, lines, captions, dots), listing)


_RELATIONS = ("links here and is linked from here", "links here", "linked from here")
"""In the order the neighbours are listed: both ways first, then incoming, then outgoing."""


def local_graph(note: Note, garden: Garden, href: Href, colours: dict[str, str],
                limit: int = LOCAL_LIMIT) -> LocalGraph | None:
    """A note on the left and the notes it links to or is linked from in a column on its right."""
    outgoing = {link.target.path for link in garden.links.get(note.path, []) if link.target.path != note.path}
    incoming = {source.path for source in garden.backlinks_of(note)} - {note.path}

    def relation(path: str) -> int:
        return 0 if path in incoming and path in outgoing else 1 if path in incoming else 2

    ranked = sorted(outgoing | incoming,
                    key=lambda path: (relation(path), garden.notes[path].title.casefold(), path))
    if not ranked:
        return None
    shown = ranked[:limit]
    rows = [label_lines(garden.notes[path].title) for path in shown]
    g = LOCAL
    height = round(max(sum(len(lines) * g.line_height for lines, _ in rows) + g.row_gap * (len(rows) - 1)
                       + 2 * g.margin, 2 * (g.centre_radius + g.margin)), 1)
    centre_y = round(height / 2, 1)
    bend = (g.centre_x + g.dot_x) / 2
    dot_left = g.dot_x - g.dot_radius
    link_left = dot_left - 3
    neighbours = []
    top = g.margin
    for path, (lines, width) in zip(shown, rows, strict=True):
        other = garden.notes[path]
        label = Box(g.label_x, top, width, len(lines) * g.line_height)
        y = round(top + label.height / 2, 1)
        link = _percent(Box(link_left, top - 3, label.left + label.width + 3 - link_left, label.height + 6),
                        height)
        curve = f"M{g.centre_x:g} {centre_y:g}C{bend:g} {centre_y:g} {bend:g} {y:g} {dot_left:g} {y:g}"
        neighbours.append(Neighbour(
            other.title, href(note.path, path), _RELATIONS[relation(path)], colours[other.section], y,
            round(top + g.line_height * 0.78, 1), lines, label, curve, link))
        top += label.height + g.row_gap
    return LocalGraph(g, height, centre_y, colours[note.section], tuple(neighbours), len(ranked) - len(shown))


def _percent(box: Box, height: float) -> Box:
    """`box` (viewBox units) in % of a local graph `height` units high, rounded for the markup."""
    return Box(round(box.left / LOCAL.width * 100, 2), round(box.top / height * 100, 2),
               round(box.width / LOCAL.width * 100, 2), round(box.height / height * 100, 2))


def _char_width(char: str) -> float:
    """A generous width of `char` in em: DejaVu Sans's, the widest of the fonts a system stack
    falls back to, rounded up. Anything not Latin counts as a full em (CJK is)."""
    if char in " ijlI.,:;'!|":
        return 0.34
    if char in "frt()-/\"’‘":
        return 0.44
    if char in "mwMW%@":
        return 1.0
    if char.isupper() or char.isdigit() or char in "&?":
        return 0.78
    return 0.66 if char.isascii() else 1.0


class _CharWidths(dict[str, float]):
    """`_char_width` of each character met, in viewBox units: the local graph of every note
    measures its neighbours' titles, so a character is looked up, not reclassified."""

    def __missing__(self, char: str) -> float:
        self[char] = width = _char_width(char) * LOCAL.font
        return width


_CHAR_WIDTHS = _CharWidths()


def text_width(text: str) -> float:
    """The width of `text` at the local graph's font size, in viewBox units, never less than drawn."""
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


@lru_cache(maxsize=8192)
def label_lines(title: str) -> tuple[tuple[str, ...], float]:
    """`title` wrapped at spaces into at most `LOCAL.label_lines` lines that each fit the label's
    width, the last cut with an ellipsis if the title is longer; and the widest line's width.
    Cached: a title is a label on every neighbour's page. Only the words that can show are
    measured, so the work is bounded by the label, not by the title's length."""
    lines: list[str] = []
    words = title.split() or [title]
    index = 0
    while index < len(words) and len(lines) < LOCAL.label_lines:
        line, index = words[index], index + 1
        while index < len(words) and text_width(f"{line} {words[index]}") <= LOCAL.label_width:
            line, index = f"{line} {words[index]}", index + 1
        if text_width(line) > LOCAL.label_width:  # one word wider than the label
            lines.append(_cut(line))
            break
        lines.append(line)
    else:
        if index < len(words):  # the next word did not fit: nothing after it can show
            lines[-1] = _cut(f"{lines[-1]} {words[index]}")
    return tuple(lines), max(map(text_width, lines))


def _cut(text: str) -> str:
    """The longest start of `text` that fits the label's width with an ellipsis after it, found
    in one pass from the start (cutting a character at a time from the end was quadratic)."""
    room = LOCAL.label_width - text_width(_ELLIPSIS)
    width, end = 0.0, 0
    for char in text:
        width += _CHAR_WIDTHS[char]
        if width > room:
            break
        end += 1
    return text[:end].rstrip() + _ELLIPSIS
