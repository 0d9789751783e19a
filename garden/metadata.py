"""A note's front matter: split and parsed by python-frontmatter, then checked against the schema.

The same parse decides for the model and for the published page: the MkDocs adapter hands
MkDocs the body this module split off and the metadata it validated, so MkDocs never
re-reads a note's YAML (and never renders broken YAML as text, as it would on its own).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import frontmatter
import yaml

from garden.problems import Problem, did_you_mean

REQUIRED_KEYS = ("title", "summary", "tags", "created")
OPTIONAL_KEYS = ("updated", "aliases", "changes", "draft", "sources")
THEME_KEYS = ("hide", "template", "icon", "status", "search", "subtitle")
"""Keys that MkDocs and Material read themselves; passed through untouched."""
REPLACED_KEYS = {
    "description": "the page description comes from 'summary'",
    "render_macros": "notes are never templates; only project pages may use macros",
    "date": "use 'created' (and 'updated')",
}
"""Keys other tools know that a note must not use, with the reason shown to the editor."""

_YAML = frontmatter.YAMLHandler()
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@dataclass(frozen=True)
class Change:
    """A dated change worth telling readers about (an item of the changelog)."""

    date: dt.date
    what: str


@dataclass(frozen=True)
class FrontMatter:
    """The validated front matter of one note."""

    title: str
    summary: str
    tags: tuple[str, ...]
    created: dt.date
    updated: dt.date | None = None
    aliases: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()
    draft: bool = False
    sources: tuple[str, ...] = ()
    theme: tuple[tuple[str, Any], ...] = ()
    """MkDocs/Material keys (hide, template, …) to hand to the page as they are."""


@dataclass(frozen=True)
class SplitNote:
    """A note's text cut into front matter and body, with where the body starts."""

    front_matter: FrontMatter | None
    """None when the front matter is missing or unusable; the problems say why."""
    body: str
    body_line: int
    """1-based line of the file on which `body` starts."""


class _Lines:
    """Finds the file line of a key or value inside the front matter, for messages."""

    def __init__(self, yaml_text: str, first_line: int) -> None:
        self._lines = yaml_text.split("\n")
        self._first = first_line

    def of_key(self, key: str) -> int | None:
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        for index, text in enumerate(self._lines):
            if pattern.match(text):
                return self._first + index
        return None

    def of_value(self, key: str, value: str) -> int | None:
        start = self.of_key(key)
        if start is None:
            return None
        for index in range(start - self._first, len(self._lines)):
            if value in self._lines[index]:
                return self._first + index
        return start

    def of_bad_date(self) -> int | None:
        for index, text in enumerate(self._lines):
            for match in _ISO_DATE.finditer(text):
                try:
                    dt.date.fromisoformat(match.group())
                except ValueError:
                    return self._first + index
        return None


def split_note(path: str, text: str, vocabulary: dict[str, str]) -> tuple[SplitNote, list[Problem]]:
    """Split `text` (already decoded) into validated front matter and body."""
    problems: list[Problem] = []
    if not text.strip():
        return SplitNote(None, "", 1), [Problem(
            path, None, "the file is empty",
            "add front matter (title, summary, tags, created) between '---' lines, then the text")]
    opening = _YAML.FM_BOUNDARY.match(text) if _YAML.FM_BOUNDARY else None
    closing = _YAML.FM_BOUNDARY.search(text, opening.end()) if opening else None
    if opening is None:
        return SplitNote(None, text, 1), [Problem(
            path, 1, "the note has no front matter",
            "start the file with a '---' line, the fields title, summary, tags and created, "
            "and another '---' line")]
    if closing is None:
        return SplitNote(None, text, 1), [Problem(
            path, 1, "the front matter is never closed", "add a '---' line after the last field")]
    yaml_text = text[opening.end():closing.start()]
    first_line = text.count("\n", 0, opening.end()) + 1
    body_start = closing.end()
    body_line = text.count("\n", 0, body_start) + 1
    lines = _Lines(yaml_text, first_line)
    try:
        data = _YAML.load(yaml_text)
    except yaml.YAMLError as error:
        # The context mark (e.g. the '[' of an unclosed list) is where the mistake usually is;
        # the problem mark is only where the parser gave up.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark is not None else None
        reason = "; ".join(filter(None, [getattr(error, "context", None), getattr(error, "problem", None)]))
        reason = reason or str(error).splitlines()[0]
        return SplitNote(None, text[body_start:], body_line), [Problem(
            path, line, f"the front matter is not valid YAML: {reason}",
            "check quoting and indentation; quote values that contain ':' or '#'")]
    except ValueError as error:  # PyYAML builds dates eagerly: 2023-02-30 raises here.
        return SplitNote(None, text[body_start:], body_line), [Problem(
            path, lines.of_bad_date(), f"the front matter has an impossible date ({error})",
            "use a real calendar date as YYYY-MM-DD")]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return SplitNote(None, text[body_start:], body_line), [Problem(
            path, first_line, "the front matter must be 'key: value' lines",
            "write title, summary, tags and created as 'key: value' lines")]
    front_matter = _validate(path, data, vocabulary, lines, problems)
    return SplitNote(front_matter, text[body_start:], body_line), problems


def _validate(path: str, data: dict[Any, Any], vocabulary: dict[str, str],
              lines: _Lines, problems: list[Problem]) -> FrontMatter | None:
    """Check every field; return the front matter when the note can join the garden."""

    def report(key: str, message: str, hint: str = "", value: str | None = None) -> None:
        line = lines.of_value(key, value) if value is not None else lines.of_key(key)
        problems.append(Problem(path, line, message, hint))

    known = REQUIRED_KEYS + OPTIONAL_KEYS + THEME_KEYS
    for key in data:
        name = str(key)
        if name in REPLACED_KEYS:
            report(name, f"'{name}' is not a note field", REPLACED_KEYS[name])
        elif name not in known:
            hint = did_you_mean(name, known) or f"the fields are: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}"
            report(name, f"unknown front-matter field '{name}'", hint)
    for key in REQUIRED_KEYS:
        if key not in data:
            problems.append(Problem(path, 1,  # the opening '---': where the field belongs
                                    f"the required field '{key}' is missing",
                                    _FIELD_HINTS[key]))
        elif data[key] is None:  # `summary:` with nothing after it: YAML reads null
            report(key, f"the required field '{key}' is empty", _FIELD_HINTS[key])

    title = _text(data, "title", report)
    summary = _text(data, "summary", report)
    if summary and "\n" in summary.strip():
        report("summary", "'summary' must be one line", "shorten it to a single sentence")
    if title and "\n" in title.strip():
        report("title", "'title' must be one line", "shorten it to a few words")
    created = _date(data, "created", report)
    updated = _date(data, "updated", report)
    tags = _tags(data, vocabulary, report)
    aliases = _strings(data, "aliases", report)
    sources = _strings(data, "sources", report)
    changes = _changes(data, created, report)
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        report("draft", "'draft' must be true or false", "write 'draft: true' or remove the line")
        draft = False
    if created and updated and updated < created:
        report("updated", f"'updated' ({updated}) is before 'created' ({created})",
               "fix one of the two dates")
    if updated and changes and updated < max(change.date for change in changes):
        report("updated", f"'updated' ({updated}) is before the latest change "
               f"({max(change.date for change in changes)})", "set 'updated' to the latest change's date")
    if not (title and summary and created and tags is not None) or "\n" in title + summary:
        return None
    theme = tuple((key, data[key]) for key in THEME_KEYS if key in data)
    return FrontMatter(title=title, summary=summary.strip(), tags=tags, created=created,
                       updated=updated, aliases=aliases, changes=changes, draft=draft,
                       sources=sources, theme=theme)


_FIELD_HINTS = {
    "title": "add 'title: <what the note says, in a few words>'",
    "summary": "add 'summary: <one line for indexes, search and the feed>'",
    "tags": "add 'tags: [<tag>]' with tags from tags.yml",
    "created": "add 'created: YYYY-MM-DD'",
}


def _text(data: dict[Any, Any], key: str, report: Any) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        report(key, f"'{key}' must be non-empty text", "quote it if it looks like a number or date")
        return None
    return value.strip()


def _date(data: dict[Any, Any], key: str, report: Any) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        report(key, f"'{key}' must be a date without a time", "write YYYY-MM-DD")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    report(key, f"'{key}' is not a date: {value!r}", "write it as YYYY-MM-DD, e.g. 2024-03-02")
    return None


def _tags(data: dict[Any, Any], vocabulary: dict[str, str], report: Any) -> tuple[str, ...] | None:
    value = data.get("tags")
    if value is None:
        return None
    if not isinstance(value, list):
        report("tags", "'tags' must be a list", f"write 'tags: [{value}]'")
        return None
    if not value:
        report("tags", "'tags' is empty", "add at least one tag from tags.yml")
        return None
    tags: list[str] = []
    for tag in value:
        name = str(tag)
        if name not in vocabulary:
            hint = did_you_mean(name, vocabulary) or "add it to tags.yml with a one-line description"
            report("tags", f"unknown tag '{name}'", hint, value=name)
        elif name in tags:
            report("tags", f"tag '{name}' is listed twice", "remove one", value=name)
        else:
            tags.append(name)
    return tuple(tags) if tags else None


def _strings(data: dict[Any, Any], key: str, report: Any) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report(key, f"'{key}' must be a list of non-empty text", f"write '{key}: [first, second]'")
        return ()
    return tuple(v.strip() for v in value)


def _changes(data: dict[Any, Any], created: dt.date | None, report: Any) -> tuple[Change, ...]:
    value = data.get("changes")
    if value is None:
        return ()
    hint = "write each change as '- {date: YYYY-MM-DD, what: <what changed for readers>}'"
    if not isinstance(value, list):
        report("changes", "'changes' must be a list", hint)
        return ()
    changes: list[Change] = []
    for entry in value:
        if not isinstance(entry, dict) or set(map(str, entry)) != {"date", "what"}:
            report("changes", f"change {entry!r} needs exactly 'date' and 'what'", hint)
            continue
        when, what = entry["date"], entry["what"]
        shown = str(when)
        if isinstance(when, str):
            try:
                when = dt.date.fromisoformat(when)
            except ValueError:
                pass
        if not isinstance(when, dt.date) or isinstance(when, dt.datetime):
            report("changes", f"change date {shown!r} is not a date", hint, value=shown)
        elif not isinstance(what, str) or not what.strip():
            report("changes", f"the change of {when} does not say 'what' changed", hint, value=shown)
        elif created and when < created:
            report("changes", f"the change of {when} is before 'created' ({created})",
                   "a note cannot change before it exists: fix either date", value=shown)
        else:
            changes.append(Change(when, what.strip()))
    return tuple(sorted(changes, key=lambda change: change.date, reverse=True))
