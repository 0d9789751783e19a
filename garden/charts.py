"""Chart data from files in `charts/`, read and validated like notes; drawn by `views.chart_view`
and `templates/chart.svg` as a self-contained SVG.

A note embeds `![alt](../charts/<name>.svg)`; the SVG is generated from `charts/<name>.yml`,
so the figures live once, in the repository, and no chart library or CDN is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garden.conventions import CHARTS_DIR
from garden.problems import Problem
from garden.safe_yaml import read_yaml_file

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
            problems.append(Problem(path, None, f"the chart data is not usable ({error})", SCHEMA_HINT,
                                    in_docs=False))
            continue
        charts[chart.name] = chart
    return charts, problems


def _chart(name: str, data: dict[str, Any]) -> Chart:
    categories = tuple(str(c) for c in data["categories"])
    series = tuple(Series(str(s["name"]), tuple(float(v) for v in s["values"])) for s in data["series"])
    if not categories or not series or any(len(s.values) != len(categories) for s in series):
        raise ValueError("every series needs one value per category")
    return Chart(name=name, title=str(data["title"]), description=str(data["description"]),
                 unit=str(data.get("unit", "")), categories=categories, series=series,
                 source=str(data.get("source", "")))
