"""A picture of the garden, laid out at build time: the whole graph on its own page, and a
small local graph (a note and its neighbours) under each note.

No JavaScript and no third-party library. The lines are an SVG; the dots are ordinary HTML
links placed over it in percentages, so the picture is clickable as it is, crawlable, and
safe with Material's instant navigation (which fails on SVG anchors, whose `href` is
read-only). Layout is deterministic and linear in the number of notes: each section is a
cluster on a large circle, its notes on a sunflower spiral inside it. The picture is
decorative for assistive technology (`aria-hidden`); the same links are given as text.
This module computes the views; `templates/graph_*.html` draw them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import cycle

from garden.config import GardenConfig
from garden.model import Garden, Note
from garden.text import Href
from garden.views import NoteLink, note_link

SECTION_PALETTE = ("#00897b", "#3f51b5", "#e65100", "#c2185b", "#2e7d32", "#8e24aa", "#795548",
                   "#0277bd", "#9e9d24", "#546e7a")
"""Distinct hues, each at least 3:1 against white and against Material's dark background."""
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_NODE_SPACING = 14.0


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Dot:
    """A note on the picture: where (in % of the box), how big, which colour, where it leads."""

    left: float
    top: float
    size: float
    colour: str
    url: str
    title: str
    label: str = ""
    """Text shown under the dot (local graphs); the graph page shows titles on hover only."""


@dataclass(frozen=True)
class Picture:
    box: Box
    lines: tuple[tuple[float, float, float, float], ...]
    captions: tuple[tuple[float, float, str], ...]
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    title: str
    count: int


@dataclass(frozen=True)
class GraphEntry:
    """A note and the titles of the notes it is connected to: the picture as text."""

    link: NoteLink
    neighbours: tuple[str, ...]


@dataclass(frozen=True)
class GraphPage:
    legend: tuple[LegendEntry, ...]
    picture: Picture
    listing: tuple[GraphEntry, ...]


def section_colours(garden: Garden) -> dict[str, str]:
    """A colour per section, in section order."""
    return dict(zip(garden.sections(), cycle(SECTION_PALETTE), strict=False))


def _picture(points: list[tuple[float, float, float, str, str, str, str]],
             lines: list[tuple[float, float, float, float]], captions: list[tuple[float, float, str]],
             box: Box) -> Picture:
    """Points are (x, y, size, colour, url, title, label) in the box's coordinates."""
    dots = tuple(Dot((x - box.left) / box.width * 100, (y - box.top) / box.height * 100,
                     size, colour, url, title, label) for x, y, size, colour, url, title, label in points)
    return Picture(box, tuple(lines), tuple(captions), dots)


def _neighbours(garden: Garden) -> dict[str, set[str]]:
    """Undirected adjacency between published notes, without self-links."""
    adjacent: dict[str, set[str]] = {path: set() for path in garden.notes}
    for source, links in garden.links.items():
        for link in links:
            if link.target.path != source:
                adjacent[source].add(link.target.path)
                adjacent[link.target.path].add(source)
    return adjacent


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
    adjacent = _neighbours(garden)
    margin = 40.0  # room for the section captions above the clusters
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    left, top = min(xs) - margin, min(ys) - margin
    box = Box(left, top, max(xs) - left + margin, max(ys) - top + margin)
    lines = [(*positions[a], *positions[b]) for a in sorted(adjacent) for b in sorted(adjacent[a]) if a < b]
    points = [(*positions[note.path], 8 + min(len(adjacent[note.path]), 12) * 0.6, colours[note.section],
               href(from_path, note.path), note.title, "") for note in garden.notes.values()]
    captions = [(cx, cy - radius - 6, options.section_title(section))
                for section, (cx, cy, radius) in clusters.items() if section]
    legend = tuple(LegendEntry(colours[section], options.section_title(section), len(notes))
                   for section, notes in garden.sections().items())
    listing = tuple(GraphEntry(note_link(from_path, note, href),
                               tuple(garden.notes[path].title for path in sorted(adjacent[note.path])))
                    for note in garden.notes.values())
    return GraphPage(legend, _picture(points, lines, captions, box), listing)


def local_graph(note: Note, garden: Garden, href: Href, colours: dict[str, str],
                limit: int = 16) -> Picture | None:
    """A note in the middle and the notes it links to or is linked from around it."""
    outgoing = {link.target.path for link in garden.links.get(note.path, []) if link.target.path != note.path}
    incoming = {source.path for source in garden.backlinks_of(note)}
    neighbours = sorted(outgoing | incoming)[:limit]
    if not neighbours:
        return None
    width, height, radius = 600.0, 260.0, 95.0
    cx, cy = width / 2, height / 2
    points = [(cx, cy, 16.0, colours[note.section], href(note.path, note.path), note.title,
               _short(note.title, 40))]
    lines = []
    for index, path in enumerate(neighbours):
        angle = 2 * math.pi * index / len(neighbours) - math.pi / 2
        x, y = cx + 2.4 * radius * math.cos(angle), cy + radius * math.sin(angle)
        other = garden.notes[path]
        lines.append((cx, cy, x, y))
        points.append((x, y, 11.0, colours[other.section], href(note.path, path), other.title,
                       _short(other.title, 28)))
    return _picture(points, lines, [], Box(0.0, 0.0, width, height))


def _short(title: str, length: int) -> str:
    return title if len(title) <= length else title[:length - 1] + "…"
