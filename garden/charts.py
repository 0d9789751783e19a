"""Charts drawn at build time from data files in `charts/`, as self-contained SVG.

A note embeds `![alt](../charts/<name>.svg)`; the SVG is generated from `charts/<name>.yml`,
so the figures live once, in the repository, and no chart library or CDN is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from garden.problems import Problem
from garden.safe_yaml import read_yaml_file
from garden.text import html_text

CHARTS_DIR = "charts"
SCHEMA_HINT = ("a chart needs title, description, unit, categories (a list), and series "
               "(a list of {name, values} with one number per category)")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: for each category, one bar per series."""

    name: str
    title: str
    description: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    source: str = ""


def load_charts(charts_dir: Path, shown_as: str = CHARTS_DIR) -> tuple[dict[str, Chart], list[Problem]]:
    charts: dict[str, Chart] = {}
    problems: list[Problem] = []
    for file in sorted(charts_dir.glob("*.yml")) if charts_dir.is_dir() else []:
        path = f"{shown_as}/{file.name}"
        data, _, yaml_problems = read_yaml_file(file, path, "the chart data", SCHEMA_HINT)
        if yaml_problems:
            problems += yaml_problems
            continue
        try:
            chart = _chart(file.stem, data)
        except (KeyError, TypeError, ValueError) as error:
            problems.append(Problem(path, None, f"the chart data is not usable ({error})", SCHEMA_HINT, in_docs=False))
            continue
        charts[chart.name] = chart
    return charts, problems


def _chart(name: str, data: dict) -> Chart:
    categories = tuple(str(c) for c in data["categories"])
    series = tuple(Series(str(s["name"]), tuple(float(v) for v in s["values"])) for s in data["series"])
    if not categories or not series or any(len(s.values) != len(categories) for s in series):
        raise ValueError("every series needs one value per category")
    return Chart(name=name, title=str(data["title"]), description=str(data["description"]),
                 unit=str(data.get("unit", "")), categories=categories, series=series,
                 source=str(data.get("source", "")))


# Colours chosen for contrast ≥ 4.5:1 against the white card, in light and dark themes alike.
_COLOURS = ("#00695c", "#ad1457", "#1565c0", "#6a1b9a")
_WIDTH, _LABEL_HEIGHT, _BAR, _GAP, _LEFT, _RIGHT = 640, 22, 20, 18, 16, 72


def chart_svg(chart: Chart) -> str:
    """A horizontal grouped bar chart: category label above its bars, value at each bar's end."""
    top = 56
    group_height = _LABEL_HEIGHT + _BAR * len(chart.series) + _GAP
    height = top + group_height * len(chart.categories) + 16
    largest = max(v for s in chart.series for v in s.values) or 1.0
    scale = (_WIDTH - _LEFT - _RIGHT) / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="title desc" font-family="system-ui, sans-serif" font-size="14">',
        f'<title id="title">{html_text(chart.title)}</title>',
        f'<desc id="desc">{html_text(chart.description)}</desc>',
        f'<rect width="{_WIDTH}" height="{height}" rx="8" fill="#ffffff"/>',
    ]
    legend_x = _LEFT
    for index, series in enumerate(chart.series):
        colour = _COLOURS[index % len(_COLOURS)]
        parts.append(f'<rect x="{legend_x}" y="16" width="14" height="14" fill="{colour}"/>'
                     f'<text x="{legend_x + 20}" y="28" fill="#212121">{html_text(series.name)}</text>')
        legend_x += 28 + 9 * len(series.name) + 24
    for row, category in enumerate(chart.categories):
        y = top + row * group_height
        parts.append(f'<text x="{_LEFT}" y="{y + 15}" fill="#212121" font-weight="600">{html_text(category)}</text>')
        for index, series in enumerate(chart.series):
            value = series.values[row]
            bar_y = y + _LABEL_HEIGHT + index * _BAR
            width = max(value * scale, 1)
            parts.append(f'<rect x="{_LEFT}" y="{bar_y}" width="{width:.1f}" height="{_BAR - 4}" '
                         f'fill="{_COLOURS[index % len(_COLOURS)]}"><title>{html_text(series.name)}: '
                         f'{value:g}{html_text(chart.unit)}</title></rect>'
                         f'<text x="{_LEFT + width + 6:.1f}" y="{bar_y + 12}" fill="#212121">'
                         f'{value:g}{html_text(chart.unit)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
