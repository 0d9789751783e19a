"""A picture of the garden, drawn at build time as SVG: the whole graph on its own page, and
a small local graph (a note and its neighbours) under each note.

No JavaScript and no third-party library: nodes are links, so the picture is clickable as
it is. Layout is deterministic and linear in the number of notes: each section is a cluster
on a large circle, its notes on a sunflower spiral inside it. The SVG is decorative for
assistive technology (`aria-hidden`); the same links are given as a text list beside it.
SVG links use `xlink:href`: Material's instant navigation rewrites every `a[href]` and
fails on SVG anchors, whose `href` is read-only.
"""

from __future__ import annotations

import math
from garden.model import Garden, Note
from garden.pages import GeneratedPage, page_with_html, section_title
from garden.text import Href, html_text

GRAPH_PAGE = "graph/index.md"
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_NODE_SPACING = 14.0


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
    margin = 40.0  # room for the section labels above the clusters
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    left, top = min(xs) - margin, min(ys) - margin
    width, height = max(xs) - left + margin, max(ys) - top + margin
    edges = "".join(
        f'<line x1="{positions[a][0]:.1f}" y1="{positions[a][1]:.1f}" x2="{positions[b][0]:.1f}" y2="{positions[b][1]:.1f}"/>'
        for a in sorted(adjacent) for b in sorted(adjacent[a]) if a < b)
    nodes = "".join(
        f'<a xlink:href="{html_text(href(GRAPH_PAGE, note.path))}" tabindex="-1">'
        f'<circle cx="{positions[note.path][0]:.1f}" cy="{positions[note.path][1]:.1f}" '
        f'r="{4 + min(len(adjacent[note.path]), 12) / 3:.1f}" fill="{colours[note.section]}">'
        f"<title>{html_text(note.title)}</title></circle></a>"
        for note in garden.notes.values())
    labels = "".join(
        f'<text x="{cx:.1f}" y="{cy - radius - 6:.1f}" text-anchor="middle">'
        f"{html_text(section_title(section, section_names))}</text>"
        for section, (cx, cy, radius) in clusters.items() if section)
    svg = (f'<svg class="garden-graph" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
           f'aria-hidden="true" focusable="false"><g class="garden-graph__edges">{edges}</g>'
           f'<g class="garden-graph__labels">{labels}</g><g>{nodes}</g></svg>')
    legend = "".join(f'<li><span class="garden-swatch" style="background:{colours[section]}"></span>'
                     f"{html_text(section_title(section, section_names))} ({len(notes)})</li>"
                     for section, notes in garden.sections().items())
    listing = "".join(
        f'<li><a href="{html_text(href(GRAPH_PAGE, note.path))}">{html_text(note.title)}</a>'
        + (" → " + ", ".join(html_text(garden.notes[p].title) for p in sorted(adjacent[note.path])) if adjacent[note.path] else "")
        + "</li>" for note in garden.notes.values())
    html = (f'<ul class="garden-legend" aria-label="Sections">{legend}</ul>{svg}'
            f'<details class="garden-graph-list"><summary>Every note and the notes it is connected to</summary>'
            f"<ul>{listing}</ul></details>")
    introduction = (f"Every note is a dot, coloured by section; a line joins two notes when one links to the "
                    f"other. Click a dot to open the note. The same graph as a list is below the picture.")
    return page_with_html(GRAPH_PAGE, "Graph", introduction, html)


def local_graph_svg(note: Note, garden: Garden, href: Href, limit: int = 16) -> str:
    """A note in the middle and the notes it links to or is linked from around it."""
    outgoing = {link.target.path for link in garden.links.get(note.path, []) if link.target.path != note.path}
    incoming = {source.path for source in garden.backlinks_of(note)}
    neighbours = sorted(outgoing | incoming)[:limit]
    if not neighbours:
        return ""
    colours = garden.section_colours
    width, height, radius = 600, 260, 95
    cx, cy = width / 2, height / 2
    edges, nodes = [], []
    for index, path in enumerate(neighbours):
        angle = 2 * math.pi * index / len(neighbours) - math.pi / 2
        x, y = cx + 2.4 * radius * math.cos(angle), cy + radius * math.sin(angle)
        other = garden.notes[path]
        edges.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}"/>')
        nodes.append(f'<a xlink:href="{html_text(href(note.path, path))}" tabindex="-1">'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colours[other.section]}"/>'
                     f'<text x="{x:.1f}" y="{y + 18:.1f}" text-anchor="middle">{html_text(_short(other.title, 28))}</text></a>')
    centre = (f'<circle cx="{cx}" cy="{cy}" r="9" fill="{colours[note.section]}"/>'
              f'<text x="{cx}" y="{cy - 14}" text-anchor="middle" font-weight="bold">{html_text(_short(note.title, 40))}</text>')
    return (f'<section class="garden-local-graph"><h2 id="local-graph-title">Neighbourhood</h2>'
            f'<svg viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false" class="garden-graph">'
            f'<g class="garden-graph__edges">{"".join(edges)}</g>{"".join(nodes)}{centre}</svg></section>')


def _short(title: str, length: int) -> str:
    return title if len(title) <= length else title[:length - 1] + "…"
