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
from garden.problems import Problem, code_point, unsafe_character
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


CHART_SUFFIX = ".yml"


def load_charts(charts_dir: Path, shown_as: str = CHARTS_DIR) -> tuple[dict[str, Chart], list[Problem]]:
    """Every chart of `charts_dir`; any other file there is a problem, not silently left out
    (a `x.yaml` would never be drawn), and so is a symbolic link or a name that cannot be
    printed safely. Hidden files (`.gitkeep`) are left alone, as `docs/` leaves them."""
    charts: dict[str, Chart] = {}
    problems: list[Problem] = []
    for file in sorted(charts_dir.iterdir()) if charts_dir.is_dir() else []:
        path = f"{shown_as}/{file.name}"
        if file.name.startswith("."):
            continue
        if refused := _refused_because(file):
            problems.append(Problem(path, None, *refused, in_docs=False))
            continue
        data, lines, yaml_problems = read_yaml_file(file, path, "the chart data", SCHEMA_HINT,
                                                    nested_lines=True)
        if yaml_problems:
            problems += yaml_problems
            continue
        if (wrong := _unusable_value(data)) is not None:
            where, value = wrong
            problems.append(Problem(path, lines.of_path(*where), f"the chart value {str(value)[:40]!r} "
                                    f"is not a finite number within ±{MAX_VALUE:,.0f}",
                                    "write the figure as a plain number, e.g. 40.8", in_docs=False))
            continue
        try:
            chart = _chart(file.stem, data)
        except (KeyError, TypeError, ValueError) as error:
            problems.append(Problem(path, None, f"the chart data is not usable ({error})", SCHEMA_HINT,
                                    in_docs=False))
            continue
        charts[chart.name] = chart
    return charts, problems


def _refused_because(file: Path) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for an entry of `charts/` that is no chart data file."""
    if character := unsafe_character(file.name):
        return (f"the file name contains the invisible character {code_point(character)}",
                "rename it with visible characters only")
    if file.suffix.lower() in (".yaml", CHART_SUFFIX) and file.suffix != CHART_SUFFIX:
        return (f"chart data files end in '{CHART_SUFFIX}', not '{file.suffix}'",
                f"rename it to {file.stem}{CHART_SUFFIX}")
    if file.suffix != CHART_SUFFIX or file.is_dir():
        return ("charts/ holds only chart data files (<name>.yml)", "move it out of charts/")
    return None


MAX_VALUE = 1e12
"""The largest chart value: a bar's length is computed from it, and a 400-digit integer
cannot even become a float (infinity and NaN would draw `width="nan"`)."""


def _unusable_value(data: Any) -> tuple[tuple[str | int, ...], Any] | None:
    """Where the first value that is not a finite, bounded number is (keys and indices), and it."""
    series = data.get("series") if isinstance(data, dict) else None
    for index, entry in enumerate(series if isinstance(series, list) else []):
        values = entry.get("values") if isinstance(entry, dict) else None
        for position, value in enumerate(values if isinstance(values, list) else []):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not (number and abs(value) <= MAX_VALUE):  # False for NaN; exact for a long int
                return ("series", index, "values", position), value
    return None


def _chart(name: str, data: dict[str, Any]) -> Chart:
    categories = tuple(str(c) for c in data["categories"])
    series = tuple(Series(str(s["name"]), tuple(float(v) for v in s["values"])) for s in data["series"])
    if not categories or not series or any(len(s.values) != len(categories) for s in series):
        raise ValueError("every series needs one value per category")
    return Chart(name=name, title=str(data["title"]), description=str(data["description"]),
                 unit=str(data.get("unit", "")), categories=categories, series=series,
                 source=str(data.get("source", "")))
