"""A note's front matter: cut out at python-frontmatter's boundaries, loaded by `safe_yaml`, checked.

The same parse decides for the model and for the published page: the MkDocs adapter hands
MkDocs the body this module split off and the metadata it validated, so MkDocs never
re-reads a note's YAML (and never renders broken YAML as text, as it would on its own).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from garden.problems import Problem, code_point, did_you_mean, unsafe_character
from garden.safe_yaml import KeyLines, load_yaml
from garden.sources import Source, citation_problem
from garden.vocabulary import TAG_SLUG

REQUIRED_KEYS = ("title", "summary", "tags", "created")
OPTIONAL_KEYS = ("updated", "aliases", "changes", "draft", "sources", "stage", "publish", "cssclasses")
THEME_KEYS = ("hide", "search", "icon", "status", "subtitle")
"""Keys that MkDocs and Material read themselves; passed through once their values are checked."""
CSS_CLASS = re.compile(r"[a-z][a-z0-9-]{0,30}")
"""What a class named in `cssclasses` may be: a plain lowercase name, for the site's stylesheet."""
RESERVED_CLASS_PREFIXES = ("md-", "garden-")
"""Classes of the theme and of the garden's own chrome: a note may not take on their looks."""
MAX_CSS_CLASSES = 5
MAX_FIELDS = 30
"""Beyond this many fields (far more than a note can use), each is not worth a problem of its own."""
MAX_TAGS = 20
"""More tags than this say nothing about a note (and each unknown one costs a spelling search)."""
MAX_LENGTHS = {"title": 150, "summary": 300, "aliases": 150, "changes": 500}
"""The longest text a field may hold, in characters: a title and each alias are printed in every
link to the note, the graph and the feeds; a summary in every link's preview. About twice the
garden's longest, and what keeps a note's links from multiplying megabytes."""
MAX_ALIASES = 20
"""Aliases per note: each is a redirect page and a name every wikilink is matched against."""
STAGE_MEANINGS = {
    "seedling": "an idea noted from a single source passage; not yet developed, connected or tested "
                "against other notes or sources; may change a lot",
    "budding": "developed and linked to related notes, every claim checked against its source, but resting "
               "on one source or with open questions the note names",
    "evergreen": "settled: supported by more than one source or well-tested across several notes, its "
                 "limits stated, unlikely to change with further reading",
}
"""What each `stage:` says about how settled and tested a note's idea is (not how often it was
reviewed). One wording, shown to readers beside every stage and to writers in a problem's fix."""
STAGES = tuple(STAGE_MEANINGS)
HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags", "feedback")
"""What Material's `hide` can hide."""
REPLACED_KEYS = {
    "description": "the page description comes from 'summary'",
    "render_macros": "notes are never templates; only project pages may use macros",
    "date": "use 'created' (and 'updated')",
    "template": "notes use the garden's note layout",
}
"""Keys other tools know that a note must not use, with the reason shown to the editor."""
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(2100, 12, 31)
"""The dates a note may carry: the sitemap's gzip header and the feeds can hold no others."""
_OUTSIDE = f"is outside {EARLIEST} … {LATEST}"
_RANGE_HINT = "the sitemap and the feeds cannot hold a date outside that range"
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
"""The unsafe characters that `str.splitlines` breaks at: a value holding one is two lines."""

_YAML = YAMLHandler()
_Report = Callable[..., None]
"""report(key, message, hint="", item=None): a problem at the line of `key` (or of its list's `item`)."""


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
    """Ids from the source vocabulary: `source` or `source/essay`."""
    stage: str | None = None
    """seedling, budding or evergreen; None when the note does not say."""
    alias_lines: tuple[int | None, ...] = ()
    """The file line of each alias: a redirect that cannot be made is found after the parse, and
    reading the file again for each would cost a parse per problem (quadratic in aliases)."""
    theme: tuple[tuple[str, Any], ...] = ()
    """MkDocs/Material keys (hide, search, …) with checked values, frozen (lists and mappings as
    tuples) so that the front matter stays hashable; `theme_meta` gives them back as written."""
    cssclasses: tuple[str, ...] = ()
    """Obsidian's `cssclasses`: classes set around the note's content, for the site's stylesheet."""

    def theme_meta(self) -> dict[str, Any]:
        """The Material keys as Material reads them: `hide` a list, `search` a mapping."""
        thawed = {"hide": list, "search": dict}
        return {key: thawed[key](value) if key in thawed else value for key, value in self.theme}


@dataclass(frozen=True)
class SplitNote:
    """A note's text cut into front matter and body, with where the body starts."""

    front_matter: FrontMatter | None
    """None when the front matter is missing or unusable; the problems say why."""
    body: str
    body_line: int
    """1-based line of the file on which `body` starts."""


def split_note(path: str, text: str, vocabulary: Mapping[str, str] | None,
               sources: dict[str, Source] | None = None) -> tuple[SplitNote, list[Problem]]:
    """Split `text` (already decoded) into validated front matter and body.

    `vocabulary` is None when the tag vocabulary is unusable: tags are then accepted as
    written (if they are slugs), since the vocabulary's own problem already fails the run.
    `sources` (the source vocabulary) is None in the same way: citations are then checked
    for their form only.
    """
    if not text.strip():
        return SplitNote(None, "", 1), [Problem(
            path, None, "the file is empty",
            "add front matter (title, summary, tags, created) between '---' lines, then the text")]
    opening, closing = _boundaries(text)
    if opening is None:
        return SplitNote(None, text, 1), [Problem(
            path, 1, "the note has no front matter",
            "start the file with a '---' line, the fields title, summary, tags and created, "
            "and another '---' line")]
    if closing is None:
        return SplitNote(None, text, 1), [Problem(
            path, 1, "the front matter is never closed", "add a '---' line after the last field")]
    data, lines, body, body_line, problems = _load(
        path, text, opening, closing, "write title, summary, tags and created as 'key: value' lines")
    if data is None:
        return SplitNote(None, body, body_line), problems
    front_matter = _validate(path, data, vocabulary, sources, lines, problems)
    return SplitNote(front_matter, body, body_line), problems


def _boundaries(text: str) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """The opening and closing '---' lines of the front matter, where python-frontmatter finds them."""
    opening = _YAML.FM_BOUNDARY.match(text) if _YAML.FM_BOUNDARY else None
    closing = _YAML.FM_BOUNDARY.search(text, opening.end()) if opening else None
    return opening, closing


def _load(path: str, text: str, opening: re.Match[str], closing: re.Match[str], shape_hint: str
          ) -> tuple[dict[Any, Any] | None, KeyLines, str, int, list[Problem]]:
    """The front matter between its boundaries as a mapping (None when unusable: the problems
    say why), the lines of its keys, and the body with the file line it starts on."""
    first_line = text.count("\n", 0, opening.end()) + 1
    body, body_line = text[closing.end():], text.count("\n", 0, closing.end()) + 1
    data, lines, problems = load_yaml(text[opening.end():closing.start()], path, "the front matter",
                                      first_line=first_line)
    if problems:
        return None, lines, body, body_line, problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, lines, body, body_line, [Problem(path, first_line, "the front matter must be "
                                                      "'key: value' lines", shape_hint)]
    return data, lines, body, body_line, problems


def _validate(path: str, data: dict[Any, Any], vocabulary: Mapping[str, str] | None,
              source_vocabulary: dict[str, Source] | None, lines: KeyLines,
              problems: list[Problem]) -> FrontMatter | None:
    """Check every field; return the front matter when the note can join the garden."""

    def report(key: str, message: str, hint: str = "", item: int | None = None) -> None:
        line = lines.of_item(key, item) if item is not None else lines.of_key(key)
        problems.append(Problem(path, line, message, hint))

    known = REQUIRED_KEYS + OPTIONAL_KEYS + THEME_KEYS
    fields_hint = f"the fields are: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}"
    if len(data) > MAX_FIELDS:  # one problem, not a spelling search for each of thousands of keys
        problems.append(Problem(path, 1, f"the front matter has {len(data):,} fields; a note uses at most "
                                         f"{len(known)}", fields_hint))
        return None
    for key in data:
        name = str(key)
        if name in REPLACED_KEYS:
            report(name, f"'{name}' is not a note field", REPLACED_KEYS[name])
        elif name not in known:
            hint = did_you_mean(name, known) or fields_hint
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
    created = _date(data, "created", report)
    updated = _date(data, "updated", report)
    tags = _tags(data, vocabulary, report)
    aliases = _strings(data, "aliases", report)
    if len(aliases) > MAX_ALIASES:
        report("aliases", f"'aliases' lists {len(aliases):,} names; a note has at most {MAX_ALIASES}",
               "keep the old names that links and bookmarks still use")
        aliases = ()
    sources = _sources(data, source_vocabulary, report)
    stage = _stage(data, report)
    changes = _changes(data, created, report)
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        report("draft", "'draft' must be true or false", "write 'draft: true' or remove the line")
        draft = False
    publish = data.get("publish", True)  # Obsidian Publish's property: `publish: false` is a draft
    if not isinstance(publish, bool):
        report("publish", "'publish' must be true or false", "write 'publish: false' or remove the line")
        publish = True
    elif "publish" in data and publish and draft:
        report("publish", "'publish: true' and 'draft: true' contradict each other", "remove one of them")
    draft = draft or not publish
    cssclasses = _cssclasses(data, report)
    if created and updated and updated < created:
        report("updated", f"'updated' ({updated}) is before 'created' ({created})",
               "fix one of the two dates")
    if updated and changes and updated < max(change.date for change in changes):
        report("updated", f"'updated' ({updated}) is before the latest change "
               f"({max(change.date for change in changes)})", "set 'updated' to the latest change's date")
    theme = _theme(data, report)
    if not (title and summary and created and tags is not None):
        return None
    return FrontMatter(title=title, summary=summary, tags=tags, created=created,
                       updated=updated, aliases=aliases, changes=changes, draft=draft,
                       sources=sources, stage=stage, theme=theme, cssclasses=cssclasses,
                       alias_lines=tuple(lines.of_item("aliases", index) for index in range(len(aliases))))


_FIELD_HINTS = {
    "title": "add 'title: <what the note says, in a few words>'",
    "summary": "add 'summary: <one line for indexes, search and the feed>'",
    "tags": "add 'tags: [<tag>]' with tags from tags.yml",
    "created": "add 'created: YYYY-MM-DD'",
}


def _one_line(key: str, text: str, report: _Report, item: int | None = None) -> bool:
    """Whether `text` is free of control characters and within `MAX_LENGTHS`; reports what is not.

    The value is published in HTML, feeds and logs, where a line break or a bidirectional
    override changes what a reader sees; the message names the character, as it is invisible.
    """
    character = unsafe_character(text)
    if character is None:
        limit = MAX_LENGTHS.get(key)
        if limit is not None and len(text) > limit:
            report(key, f"'{key}' is {len(text):,} characters long; the limit is {limit}",
                   "say it in fewer words: the note's text is the place for the rest", item)
            return False
        return True
    if character in _LINE_BREAKS:
        report(key, f"'{key}' must be one line", f"remove the line break ({code_point(character)})", item)
    else:
        report(key, f"'{key}' contains the control character {code_point(character)}",
               "remove it: it is invisible, and changes how the text displays", item)
    return False


def _text(data: dict[Any, Any], key: str, report: _Report) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        report(key, f"'{key}' must be non-empty text", "quote it if it looks like a number or date")
        return None
    return value.strip() if _one_line(key, value.strip(), report) else None


def _as_date(value: Any) -> dt.date | None:
    """A date written as a YAML date or as quoted ISO text; None for anything else (a datetime too)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    return None


def _date(data: dict[Any, Any], key: str, report: _Report) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    when = _as_date(value)
    if isinstance(value, dt.datetime):
        report(key, f"'{key}' must be a date without a time", "write YYYY-MM-DD")
    elif when is None:
        report(key, f"'{key}' is not a date: {value!r}", "write it as YYYY-MM-DD, e.g. 2024-03-02")
    elif not EARLIEST <= when <= LATEST:
        report(key, f"'{key}' ({when}) {_OUTSIDE}", _RANGE_HINT)
    else:
        return when
    return None


def _tags(data: dict[Any, Any], vocabulary: Mapping[str, str] | None, report: _Report
          ) -> tuple[str, ...] | None:
    value = data.get("tags")
    if value is None:
        return None
    if not isinstance(value, list):
        report("tags", "'tags' must be a list", f"write 'tags: [{value}]'")
        return None
    if not value:
        report("tags", "'tags' is empty", "add at least one tag from tags.yml")
        return None
    if len(value) > MAX_TAGS:
        report("tags", f"'tags' lists {len(value):,} tags; a note carries at most {MAX_TAGS}",
               "keep the few that say what the note is about")
        return None
    tags: list[str] = []
    for index, tag in enumerate(value):
        name = str(tag)
        if not _one_line("tags", name, report, index):
            continue
        if vocabulary is None:  # cannot check: the vocabulary's own problem says why
            if not TAG_SLUG.fullmatch(name):
                report("tags", f"tag '{name}' is not a valid slug",
                       "use lowercase letters and digits joined by hyphens", index)
                continue
        elif name not in vocabulary:
            hint = did_you_mean(name, vocabulary) or "add it to tags.yml with a one-line description"
            report("tags", f"unknown tag '{name}'", hint, index)
            continue
        if name in tags:
            report("tags", f"tag '{name}' is listed twice", "remove one", index)
        else:
            tags.append(name)
    return tuple(tags) if tags else None


def _strings(data: dict[Any, Any], key: str, report: _Report) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report(key, f"'{key}' must be a list of non-empty text", f"write '{key}: [first, second]'")
        return ()
    if not all(_one_line(key, item.strip(), report, index) for index, item in enumerate(value)):
        return ()
    return tuple(v.strip() for v in value)


def _sources(data: dict[Any, Any], vocabulary: dict[str, Source] | None, report: _Report
             ) -> tuple[str, ...]:
    """Citations by id, each checked against the source vocabulary as tags are against theirs."""
    cited = _strings(data, "sources", report)
    kept: list[str] = []
    for index, citation in enumerate(cited):
        problem = citation_problem(citation, vocabulary)
        if problem is not None:
            report("sources", *problem, index)
        elif citation in kept:
            report("sources", f"source '{citation}' is listed twice", "remove one", index)
        else:
            kept.append(citation)
    return tuple(kept)


def _stage(data: dict[Any, Any], report: _Report) -> str | None:
    value = data.get("stage")
    if value is None:
        return None
    if value not in STAGES:
        report("stage", f"'stage' must be one of {', '.join(STAGES)}, not {str(value)!r}",
               did_you_mean(str(value), STAGES)
               or "; ".join(f"{name}: {meaning}" for name, meaning in STAGE_MEANINGS.items()))
        return None
    return str(value)


def _changes(data: dict[Any, Any], created: dt.date | None, report: _Report) -> tuple[Change, ...]:
    value = data.get("changes")
    if value is None:
        return ()
    hint = "write each change as '- {date: YYYY-MM-DD, what: <what changed for readers>}'"
    if not isinstance(value, list):
        report("changes", "'changes' must be a list", hint)
        return ()
    changes: list[Change] = []
    for index, entry in enumerate(value):
        if not isinstance(entry, dict) or set(map(str, entry)) != {"date", "what"}:
            report("changes", f"change {entry!r} needs exactly 'date' and 'what'", hint, index)
            continue
        when, what = _as_date(entry["date"]), entry["what"]
        if when is None:
            report("changes", f"change date {str(entry['date'])!r} is not a date", hint, index)
        elif not EARLIEST <= when <= LATEST:
            report("changes", f"the change of {when} {_OUTSIDE}", _RANGE_HINT, index)
        elif not isinstance(what, str) or not what.strip():
            report("changes", f"the change of {when} does not say 'what' changed", hint, index)
        elif created and when < created:
            report("changes", f"the change of {when} is before 'created' ({created})",
                   "a note cannot change before it exists: fix either date", index)
        elif _one_line("changes", what.strip(), report, index):
            changes.append(Change(when, what.strip()))
    return tuple(sorted(changes, key=lambda change: change.date, reverse=True))


def _cssclasses(data: dict[Any, Any], report: _Report) -> tuple[str, ...]:
    """Obsidian's `cssclasses` (a list, or one name): plain lowercase names, none of the theme's
    or the garden's own (`md-…`, `garden-…`), at most `MAX_CSS_CLASSES`."""
    value = data.get("cssclasses")
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    hint = "write 'cssclasses: [wide-table]': lowercase letters, digits and hyphens, up to 31"
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        report("cssclasses", "'cssclasses' must be a list of class names", hint)
        return ()
    if len(names) > MAX_CSS_CLASSES:
        report("cssclasses", f"'cssclasses' lists {len(names)} classes; a note uses at most "
               f"{MAX_CSS_CLASSES}", "keep the ones the stylesheet knows")
        return ()
    kept: list[str] = []
    for index, name in enumerate(names):
        item = index if isinstance(value, list) else None
        if not CSS_CLASS.fullmatch(name):
            report("cssclasses", f"the class {name!r} is not a plain class name", hint, item)
        elif name.startswith(RESERVED_CLASS_PREFIXES):
            report("cssclasses", f"the class '{name}' belongs to the theme or the garden",
                   "choose a name that starts otherwise", item)
        elif name not in kept:
            kept.append(name)
    return tuple(kept)


def _theme(data: dict[Any, Any], report: _Report) -> tuple[tuple[str, Any], ...]:
    """The Material keys whose values are right; the others are reported and left out.

    Material reads these values in its templates, where a wrong type fails the whole build
    (or, outside a strict build, publishes a broken page); here it is a problem on the note.
    """
    checks = {"hide": _hide, "search": _search, "icon": _theme_text, "status": _theme_text,
              "subtitle": _theme_text}
    frozen = {"hide": lambda value: tuple(value), "search": lambda value: tuple(sorted(value.items()))}
    return tuple((key, frozen[key](data[key]) if key in frozen else data[key])
                 for key, check in checks.items() if key in data and check(key, data[key], report))


def _hide(key: str, value: Any, report: _Report) -> bool:
    if isinstance(value, list) and all(item in HIDE_VALUES for item in value):
        return True
    report(key, f"'{key}' must be a list of: {', '.join(HIDE_VALUES)}", f"write e.g. '{key}: [toc]'")
    return False


def _search(key: str, value: Any, report: _Report) -> bool:
    """`search` may exclude the note from search or boost its rank; nothing else."""
    if isinstance(value, dict) and set(value) <= {"exclude", "boost"}:
        exclude, boost = value.get("exclude", False), value.get("boost", 1)
        number = isinstance(boost, int | float) and not isinstance(boost, bool) and math.isfinite(boost)
        if isinstance(exclude, bool) and number:
            return True
    report(key, f"'{key}' must be a mapping of 'exclude' (true or false) and/or 'boost' (a number)",
           f"write e.g. '{key}: {{exclude: true}}' or '{key}: {{boost: 2}}'")
    return False


def _theme_text(key: str, value: Any, report: _Report) -> bool:
    if not isinstance(value, str) or not value.strip():
        report(key, f"'{key}' must be non-empty text", "quote it if it looks like a number or date")
        return False
    return _one_line(key, value, report)


PAGE_KEYS = ("title", "description", "render_macros", "hide")
"""What a project page's front matter may hold: what the home page needs, and no more."""
PAGE_REFUSED_KEYS = {
    "template": "a project page uses the site's own layout: a template named here could run script",
    "icon": "project pages carry no icon",
    "summary": "a project page's description is 'description'",
}
"""Keys Material or the notes know that a project page must not use, with the reason."""


_PAGE_TITLE_HINT = "add 'title: <the page's title>'"


@dataclass(frozen=True)
class PageFrontMatter:
    """The validated front matter of a project page (the home page). Material prints `title`
    and `description` unescaped: the adapter escapes them, as it does notes' titles."""

    title: str = ""
    description: str | None = None
    render_macros: bool = False
    """Whether the page's text is a template of the garden's macros (garden/project_pages.py)."""
    hide: tuple[str, ...] = ()


def split_page(path: str, text: str) -> tuple[PageFrontMatter | None, str, int, list[Problem]]:
    """A project page's front matter (None when unusable: the problems say why), its body, and
    the file line the body starts on. A title is required: without one, MkDocs would take the
    page's first heading, which Material prints unescaped once its tags are stripped."""
    opening, closing = _boundaries(text)
    if opening is None:
        return None, text, 1, [Problem(path, 1, "the page has no front matter",
                                       "start the file with a '---' line, 'title: <the page's title>' "
                                       "and another '---' line")]
    if closing is None:
        return None, text, 1, [Problem(path, 1, "the front matter is never closed",
                                       "add a '---' line after the last field")]
    data, lines, body, body_line, problems = _load(path, text, opening, closing,
                                                   f"write {', '.join(PAGE_KEYS)} as 'key: value' lines")
    if data is None:
        return None, body, body_line, problems
    known = len(problems)

    def report(key: str, message: str, hint: str = "", item: int | None = None) -> None:
        line = lines.of_item(key, item) if item is not None else lines.of_key(key)
        problems.append(Problem(path, line, message, hint))

    fields_hint = f"a project page's fields are: {', '.join(PAGE_KEYS)}"
    if len(data) > MAX_FIELDS:
        return None, body, body_line, [Problem(path, 1, f"the front matter has {len(data):,} fields; "
                                               f"a project page uses at most {len(PAGE_KEYS)}", fields_hint)]
    for key in data:
        name = str(key)
        if name in PAGE_REFUSED_KEYS:
            report(name, f"'{name}' is not a project-page field", PAGE_REFUSED_KEYS[name])
        elif name not in PAGE_KEYS:
            report(name, f"unknown front-matter field '{name}'", did_you_mean(name, PAGE_KEYS) or fields_hint)
    if "title" not in data:  # reported on the opening '---', where the field belongs
        problems.append(Problem(path, 1, "the required field 'title' is missing", _PAGE_TITLE_HINT))
    elif data["title"] is None:
        report("title", "the required field 'title' is empty", _PAGE_TITLE_HINT)
    title, description = _text(data, "title", report), _text(data, "description", report)
    render_macros = data.get("render_macros", False)
    if not isinstance(render_macros, bool):
        report("render_macros", "'render_macros' must be true or false",
               "write 'render_macros: true' to use the garden's macros, or remove the line")
    hide = data.get("hide", [])
    if "hide" in data and not _hide("hide", hide, report):
        hide = []
    if len(problems) > known:
        return None, body, body_line, problems
    meta = PageFrontMatter(title or "", description, render_macros is True, tuple(hide))
    return meta, body, body_line, problems
