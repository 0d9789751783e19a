"""The source vocabulary (`sources.yml`): every document a note may cite, as data.

A note's `sources:` lists ids from here (`career-thoughts`, or `irrational-exuberance/
career-advice-in-2025` for one essay of a feed), checked like tags: a typo is a problem with
a "did you mean", never a citation of nothing. Each source gets a generated page listing the
notes that cite it, so a reader can go from a claim to where it comes from and back.

Only what a source itself gives is written down: an author or a date the document does not
name stays empty, and a title the document does not give is marked as ours (`titled: false`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from garden.problems import Problem, code_point, did_you_mean, unsafe_character
from garden.safe_yaml import KeyLines, read_yaml_file
from garden.vocabulary import TAG_SLUG

_HOW = ("write one entry per source: '<id>: {title: …, description: …}', with author, date, "
        "titled, essays and mentions_entries where they apply")
_FIELDS = ("title", "description", "author", "date", "titled", "url", "essays", "mentions_entries")
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Essay:
    """One item of a source that is a feed or a collection: what a note actually draws on."""

    id: str
    title: str
    titled: bool = True
    """False when the item has no title of its own and `title` describes it."""


@dataclass(frozen=True)
class Source:
    """A document the garden's notes draw on."""

    id: str
    title: str
    description: str
    """One line: what the document is, as its page introduces it."""
    author: str | None = None
    date: dt.date | None = None
    titled: bool = True
    """False when the document has no title of its own and `title` describes it."""
    essays: tuple[Essay, ...] = ()
    mentions_entries: tuple[dt.date, ...] = ()
    """Dates of journal entries the document names (e.g. as the older and newer post) but does
    not contain: the journal index says so, rather than leaving a silent gap."""
    line: int | None = None
    url: str | None = None
    """Where a reader finds the document itself (http or https): its page links to it."""

    def essay(self, essay_id: str) -> Essay | None:
        return next((essay for essay in self.essays if essay.id == essay_id), None)


def citation_ids(sources: dict[str, Source]) -> list[str]:
    """Every id a note may cite: each source, and each essay as `source/essay`."""
    return [*sources, *(f"{source.id}/{essay.id}" for source in sources.values() for essay in source.essays)]


def split_citation(citation: str) -> tuple[str, str | None]:
    """`source/essay` → (source, essay); `source` → (source, None)."""
    source, _, essay = citation.partition("/")
    return source, essay or None


def citation_problem(citation: str, sources: dict[str, Source] | None) -> tuple[str, str] | None:
    """(message, hint) when a note's citation names no source of the vocabulary, else None.

    With no usable vocabulary (its own problem says why) only the form is checked."""
    source_id, essay_id = split_citation(citation)
    if not TAG_SLUG.fullmatch(source_id) or (essay_id is not None and not TAG_SLUG.fullmatch(essay_id)):
        return (f"source '{citation}' is not a source id",
                "cite a source by its id in sources.yml, e.g. 'career-thoughts' or 'feed/essay'")
    if sources is None:
        return None
    source = sources.get(source_id)
    if source is None or (essay_id is not None and source.essay(essay_id) is None):
        return (f"unknown source '{citation}'",
                did_you_mean(citation, citation_ids(sources)) or "add it to sources.yml, or fix the id")
    return None


def _web_address(entry: dict[Any, Any], key: str, report: Callable[..., None]) -> str | None:
    """A source's `url`: an absolute http(s) address, the only kind a reader's browser should
    follow from the site (never javascript:, data: or a path into the site)."""
    url = _line_of_text(entry, "url", key, report)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        report(f"the url of source '{key}' is not an http(s) address",
               "write the document's address as 'url: https://…'", "url")
        return None
    return url


def load_sources(path: Path, shown_as: str) -> tuple[dict[str, Source] | None, list[Problem]]:
    """Read the source vocabulary; a missing file is an empty vocabulary (no source to cite).

    None means the file is unusable (not YAML, not a mapping): citations are then checked
    for their form only, and one problem on the file says why."""
    if not path.exists() and not path.is_symlink():
        return {}, []
    data, lines, problems = read_yaml_file(path, shown_as, "the source vocabulary", _HOW, nested_lines=True)
    if problems:
        return None, problems
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return None, [_problem(shown_as, 1, "the source vocabulary must be a mapping of ids to sources",
                               _HOW)]
    sources: dict[str, Source] = {}
    for key, entry in data.items():
        source = _source(str(key), entry, lines, shown_as, problems)
        if source is not None:
            sources[source.id] = source
    return sources, problems


def _source(key: str, entry: Any, lines: KeyLines, shown_as: str, problems: list[Problem]) -> Source | None:
    def report(message: str, hint: str, *path: str | int) -> None:
        problems.append(_problem(shown_as, lines.of_path(key, *path), message, hint))

    if not TAG_SLUG.fullmatch(key):
        report(f"source id '{key}' is not a slug", "use lowercase letters and digits joined by hyphens")
        return None
    if key == "index":
        report("'index' cannot be a source id: sources/index is the sources index", "choose another id")
        return None
    if not isinstance(entry, dict):
        report(f"source '{key}' must be a mapping", "write '<id>: {title: …, description: …}'")
        return None
    for field in entry:
        if str(field) not in _FIELDS:
            report(f"unknown field '{field}' in source '{key}'",
                   did_you_mean(str(field), _FIELDS) or f"the fields are: {', '.join(_FIELDS)}", str(field))
    title = _line_of_text(entry, "title", key, report, required=True)
    description = _line_of_text(entry, "description", key, report, required=True)
    author = _line_of_text(entry, "author", key, report)
    titled = _flag(entry, "titled", key, report)
    date = _date(entry.get("date"), key, report, "date") if "date" in entry else None
    essays = _essays(entry.get("essays"), key, report)
    mentions: list[dt.date] = []
    value = entry.get("mentions_entries")
    if value is not None:
        if not isinstance(value, list):
            report(f"'mentions_entries' of source '{key}' must be a list of dates",
                   "write 'mentions_entries: [YYYY-MM-DD]'", "mentions_entries")
        else:
            mentions = [when for index, item in enumerate(value)
                        if (when := _date(item, key, report, "mentions_entries", index)) is not None]
    if title is None or description is None:
        return None
    return Source(key, title, description, author, date, titled, essays, tuple(mentions), lines.of_key(key),
                  _web_address(entry, key, report))


def _line_of_text(entry: dict[Any, Any], field: str, key: str, report: Any, required: bool = False,
                  *path: str | int) -> str | None:
    value = entry.get(field)
    where = (*path, field)
    if value is None:
        if required:
            report(f"'{field}' is missing{_of(key, path)}", f"add '{field}: <one line of text>'",
                   *where[:-1])
        return None
    if not isinstance(value, str) or not value.strip():
        report(f"'{field}'{_of(key, path)} must be non-empty text", "quote it if it looks like a number",
               *where)
        return None
    if (character := unsafe_character(value.strip())) is not None:
        report(f"'{field}'{_of(key, path)} contains the control character {code_point(character)}",
               "make it one line of plain text", *where)
        return None
    return value.strip()


def _of(key: str, path: tuple[str | int, ...]) -> str:
    return f" in source '{key}'" + (f", essay {path[1] + 1}" if len(path) > 1 and isinstance(path[1], int)
                                     else "")


def _flag(entry: dict[Any, Any], field: str, key: str, report: Any, *path: str | int) -> bool:
    value = entry.get(field, True)
    if not isinstance(value, bool):
        report(f"'{field}'{_of(key, path)} must be true or false",
               "write 'titled: false' when the title is ours, not the document's", *path, field)
        return True
    return value


def _date(value: Any, key: str, report: Any, *path: str | int) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and EARLIEST <= value <= LATEST:
        return value
    report(f"'{path[0]}' of source '{key}' must be a date between {EARLIEST} and {LATEST}: {value!r}",
           "write YYYY-MM-DD, and only a date the document itself gives", *path)
    return None


def _essays(value: Any, key: str, report: Any) -> tuple[Essay, ...]:
    if value is None:
        return ()
    how = "write 'essays: [{id: <slug>, title: <its title>}]'"
    if not isinstance(value, list):
        report(f"'essays' of source '{key}' must be a list", how, "essays")
        return ()
    essays: list[Essay] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not {"id", "title"} <= set(map(str, item)) or \
                not set(map(str, item)) <= {"id", "title", "titled"}:
            report(f"essay {index + 1} of source '{key}' needs 'id' and 'title' (and may say 'titled')", how,
                   "essays", index)
            continue
        essay_id = item["id"]
        if not isinstance(essay_id, str) or not TAG_SLUG.fullmatch(essay_id):
            report(f"essay id '{essay_id}' of source '{key}' is not a slug",
                   "use lowercase letters and digits joined by hyphens", "essays", index, "id")
            continue
        if any(essay.id == essay_id for essay in essays):
            report(f"essay id '{essay_id}' appears twice in source '{key}'", "give each essay its own id",
                   "essays", index, "id")
            continue
        title = _line_of_text(item, "title", key, report, True, "essays", index)
        if title is not None:
            essays.append(Essay(essay_id, title, _flag(item, "titled", key, report, "essays", index)))
    return tuple(essays)


def _problem(shown_as: str, line: int | None, message: str, hint: str) -> Problem:
    return Problem(shown_as, line, message, hint, in_docs=False)
