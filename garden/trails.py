"""Trails (`trails.yml`): curated reading paths through the garden, as data.

A trail is an ordered list of notes with a title and a one-line description. Its steps name
notes as wikilinks do (a slug, or a path when two notes share one) and are resolved by the
same resolver, so a renamed or deleted note is a problem naming trails.yml and the line of
the step, never a trail that silently skips a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garden.problems import Problem, code_point, did_you_mean, unsafe_character
from garden.safe_yaml import read_yaml_file
from garden.vocabulary import TAG_SLUG

_HOW = "write one entry per trail: '<id>: {title: …, description: …, steps: [note-slug, …]}'"
_FIELDS = ("title", "description", "steps")


@dataclass(frozen=True)
class TrailStep:
    """A step as written: the note's name and the line it is on."""

    name: str
    line: int | None


@dataclass(frozen=True)
class TrailSpec:
    """A trail as written in trails.yml, before its steps are resolved to notes."""

    id: str
    title: str
    description: str
    steps: tuple[TrailStep, ...]


def load_trails(path: Path, shown_as: str) -> tuple[list[TrailSpec], list[Problem]]:
    """Read the trails; a missing file means no trails."""
    if not path.exists() and not path.is_symlink():
        return [], []
    data, lines, problems = read_yaml_file(path, shown_as, "the trails file", _HOW, nested_lines=True)
    if problems or data is None:
        return [], problems
    if not isinstance(data, dict):
        return [], [_problem(shown_as, 1, "the trails file must be a mapping of ids to trails", _HOW)]
    trails: list[TrailSpec] = []
    for key, entry in data.items():
        trail_id = str(key)

        def report(message: str, hint: str, *where: str | int, trail_id: str = trail_id) -> None:
            problems.append(_problem(shown_as, lines.of_path(trail_id, *where), message, hint))

        if not TAG_SLUG.fullmatch(trail_id):
            report(f"trail id '{trail_id}' is not a slug",
                   "use lowercase letters and digits joined by hyphens")
            continue
        if trail_id == "index":
            report("'index' cannot be a trail id: trails/index is the trails index", "choose another id")
            continue
        if not isinstance(entry, dict):
            report(f"trail '{trail_id}' must be a mapping", _HOW)
            continue
        for field in entry:
            if str(field) not in _FIELDS:
                report(f"unknown field '{field}' in trail '{trail_id}'",
                       did_you_mean(str(field), _FIELDS) or f"the fields are: {', '.join(_FIELDS)}",
                       str(field))
        texts = {field: _text(entry.get(field), field, trail_id, report)
                 for field in ("title", "description")}
        steps = entry.get("steps")
        if not isinstance(steps, list) or len(steps) < 2:
            report(f"trail '{trail_id}' needs 'steps': a list of at least two notes",
                   "write 'steps: [first-note, second-note]' with note slugs", "steps")
            continue
        written: list[TrailStep] = []
        for index, step in enumerate(steps):
            if not isinstance(step, str) or not step.strip() or unsafe_character(step.strip()):
                report(f"step {index + 1} of trail '{trail_id}' must be a note's slug",
                       "write the note's file name without .md", "steps", index)
            else:
                written.append(TrailStep(step.strip(), lines.of_path(trail_id, "steps", index)))
        title, description = texts["title"], texts["description"]
        if title and description and len(written) == len(steps):
            trails.append(TrailSpec(trail_id, title, description, tuple(written)))
    return trails, problems


def _text(value: Any, field: str, trail_id: str, report: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        report(f"trail '{trail_id}' needs '{field}': one line of text", f"add '{field}: …'",
               *((field,) if value is not None else ()))
        return None
    if (character := unsafe_character(value.strip())) is not None:
        report(f"'{field}' of trail '{trail_id}' contains the control character {code_point(character)}",
               "make it one line of plain text", field)
        return None
    return value.strip()


def _problem(shown_as: str, line: int | None, message: str, hint: str) -> Problem:
    return Problem(shown_as, line, message, hint, in_docs=False)
