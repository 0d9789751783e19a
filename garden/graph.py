"""A picture of the garden, drawn at build time as SVG: the whole graph on its own page, and
a small local graph (a note and its neighbours) under each note.

No JavaScript and no third-party library. The lines are an SVG; the dots are ordinary HTML
links placed over it in percentages, so the picture is clickable as it is, crawlable, and
safe with Material's instant navigation (which fails on SVG anchors, whose `href` is
read-only). Layout is deterministic and linear in the number of notes: each section is a
cluster on a large circle, its notes on a sunflower spiral inside it. The picture is
decorative for assistive technology (`aria-hidden`); the same links are given as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from garden.conventions import GRAPH_PAGE
from garden.model import Garden, Note
from garden.pages import GeneratedPage, page_with_html, section_title
from garden.text import Href, html_text

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_NODE_SPACING = 14.0


@dataclass(frozen=True)
class _Dot:
    x: float
    y: float
    size: float
    colour: str
    url: str
    title: str
    label: str = ""
    """Text shown under the dot (local graphs); the graph page shows titles on hover only."""


def _picture(dots: list[_Dot], lines: list[tuple[float, float, float, float]],
             captions: list[tuple[float, float, str]], box: tuple[float, float, float, float]) -> str:
    """Lines and captions as SVG; dots as links positioned over it, in % of the box."""
    left, top, width, height = box
    svg_lines = "".join(f'<line x1="{a:.0f}" y1="{b:.0f}" x2="{c:.0f}" y2="{d:.0f}"/>' for a, b, c, d in lines)
    svg_text = "".join(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{html_text(text)}</text>'
                       for x, y, text in captions)
    # A labelled dot needs no title: its name is shown. Few bytes per dot: a page per note has one.
    links = "".join(
        f'<a class="garden-dot" href="{html_text(dot.url)}"'
        + ("" if dot.label else f' title="{html_text(dot.title)}"')
        + f' tabindex="-1" style="left:{(dot.x - left) / width * 100:.1f}%;top:{(dot.y - top) / height * 100:.1f}%;'
        f'--size:{dot.size:.0f}px;--colour:{dot.colour}">'
        + (f'<span class="garden-dot__label">{html_text(dot.label)}</span>' if dot.label else "") + "</a>"
        for dot in dots)
    return (f'<div class="garden-graph" style="aspect-ratio:{width:.0f}/{height:.0f}" aria-hidden="true">'
            f'<svg viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" focusable="false">'
            f'<g class="garden-graph__lines">{svg_lines}</g>{svg_text}</svg>{links}</div>')


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
            positions[note.path] = (cx + r * math.cos(index * _GOLDEN_ANGLE), cy + r * math.sin(index * _GOLDEN_ANGLE))
    return positions, clusters


def graph_page(garden: Garden, href: Href, section_names: dict[str, str]) -> GeneratedPage:
    """The whole garden as one picture, with the same graph as a list for every reader."""
    positions, clusters = _layout(garden)
    colours = garden.section_colours
    adjacent = _neighbours(garden)
    margin = 40.0  # room for the section captions above the clusters
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    left, top = min(xs) - margin, min(ys) - margin
    box = (left, top, max(xs) - left + margin, max(ys) - top + margin)
    lines = [(*positions[a], *positions[b]) for a in sorted(adjacent) for b in sorted(adjacent[a]) if a < b]
    dots = [_Dot(*positions[note.path], 8 + min(len(adjacent[note.path]), 12) * 0.6, colours[note.section],
                 href(GRAPH_PAGE, note.path), note.title) for note in garden.notes.values()]
    captions = [(cx, cy - radius - 6, section_title(section, section_names))
                for section, (cx, cy, radius) in clusters.items() if section]
    legend = "".join(f'<li><span class="garden-swatch" style="background:{colours[section]}"></span>'
                     f"{html_text(section_title(section, section_names))} ({len(notes)})</li>"
                     for section, notes in garden.sections().items())
    listing = "".join(
        f'<li><a href="{html_text(href(GRAPH_PAGE, note.path))}">{html_text(note.title)}</a>'
        + (" → " + ", ".join(html_text(garden.notes[p].title) for p in sorted(adjacent[note.path]))
           if adjacent[note.path] else "")
        + "</li>" for note in garden.notes.values())
    html = (f'<ul class="garden-legend" aria-label="Sections">{legend}</ul>{_picture(dots, lines, captions, box)}'
            f'<details class="garden-graph-list"><summary>Every note and the notes it is connected to</summary>'
            f"<ul>{listing}</ul></details>")
    introduction = ("Every note is a dot, coloured by section; a line joins two notes when one links to the "
                    "other. Click a dot to open the note. The same graph as a list is below the picture.")
    return page_with_html(GRAPH_PAGE, "Graph", introduction, html)


def local_graph(note: Note, garden: Garden, href: Href, limit: int = 16) -> str:
    """A note in the middle and the notes it links to or is linked from around it."""
    outgoing = {link.target.path for link in garden.links.get(note.path, []) if link.target.path != note.path}
    incoming = {source.path for source in garden.backlinks_of(note)}
    neighbours = sorted(outgoing | incoming)[:limit]
    if not neighbours:
        return ""
    colours = garden.section_colours
    width, height, radius = 600.0, 260.0, 95.0
    cx, cy = width / 2, height / 2
    dots = [_Dot(cx, cy, 16, colours[note.section], href(note.path, note.path), note.title, _short(note.title, 40))]
    lines = []
    for index, path in enumerate(neighbours):
        angle = 2 * math.pi * index / len(neighbours) - math.pi / 2
        x, y = cx + 2.4 * radius * math.cos(angle), cy + radius * math.sin(angle)
        other = garden.notes[path]
        lines.append((cx, cy, x, y))
        dots.append(_Dot(x, y, 11, colours[other.section], href(note.path, path), other.title, _short(other.title, 28)))
    return (f'<section class="garden-local-graph"><h2 id="local-graph-title">Neighbourhood</h2>'
            f"{_picture(dots, lines, [], (0.0, 0.0, width, height))}</section>")


def _short(title: str, length: int) -> str:
    return title if len(title) <= length else title[:length - 1] + "…"
