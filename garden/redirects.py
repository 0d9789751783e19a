"""Redirect pages for notes' other names: an alias is also an old address.

When a note is renamed, its old name goes into `aliases:`. The address a note of that name
would have (`<section>/<slug>/`, the slug made as `garden new` makes it) then gets a small
page sending readers on to the note, so old links and bookmarks keep working. An alias whose
address is already taken (by a note, a draft, a project or generated page, a reserved path,
or another note's alias) gets no redirect; this module decides which, for the build and for
`garden check` alike, so both report the same conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from garden.conventions import generated_paths, reserved_because
from garden.model import Garden, Note
from garden.problems import Problem
from garden.safe_yaml import load_yaml
from garden.scaffold import slugify

_FRONT_MATTER = YAMLHandler()


@dataclass(frozen=True)
class Redirect:
    """An old address of a note, and the note it now leads to."""

    path: str
    """The source path a note at the old address would have (`career/old-name.md`): the
    adapter turns it into a URL as it does for pages, so redirects follow `use_directory_urls`."""
    target: Note
    alias: str


@dataclass(frozen=True)
class Conflict:
    """An alias that cannot redirect: its address is already something else's."""

    note: Note
    index: int
    """Which of the note's aliases (0-based), to name its line."""
    path: str
    reason: str


def alias_redirects(garden: Garden) -> tuple[list[Redirect], list[Conflict]]:
    """A redirect for every alias of a published note, and the aliases that cannot have one.

    Notes are taken in path order, so when two aliases claim one address the first keeps it
    and the same note is reported on every run. An alias without letters or digits makes no
    address (no old file can have had its name), and one that is the note's own slug, or
    another spelling of an alias the note already redirects from, needs nothing more."""
    taken = _taken_paths(garden)
    redirects: dict[str, Redirect] = {}
    conflicts: list[Conflict] = []
    for note in garden.notes.values():
        for index, alias in enumerate(note.meta.aliases):
            slug = slugify(alias)
            path = f"{note.section}/{slug}.md" if note.section else f"{slug}.md"
            held = redirects.get(path)
            if not slug or path == note.path or (held is not None and held.target.path == note.path):
                continue
            reason = (f"which the alias '{held.alias}' of {held.target.path} already redirects from"
                      if held is not None else _taken_because(path, taken, garden))
            if reason is None:
                redirects[path] = Redirect(path, note, alias)
            else:
                conflicts.append(Conflict(note, index, path, reason))
    return list(redirects.values()), conflicts


def redirect_problems(garden: Garden, docs_dir: Path) -> list[Problem]:
    """Every alias that cannot redirect, as a problem on the alias's line."""
    return [Problem(conflict.note.path, _alias_line(docs_dir, conflict.note, conflict.index),
                    f"the alias '{conflict.note.meta.aliases[conflict.index]}' would redirect from "
                    f"'{conflict.path.removesuffix('.md')}/', {conflict.reason}",
                    "choose another alias, or remove it")
            for conflict in alias_redirects(garden)[1]]


def _taken_paths(garden: Garden) -> set[str]:
    """Every source path the site already publishes something at (drafts too: they will be)."""
    return ({*garden.notes, *garden.drafts, *garden.broken, *garden.pages, *garden.assets}
            | generated_paths(garden.sections(), garden.tags_in_use(), garden.charts, sources=garden.sources,
                              trails=garden.trails, glossary=bool(garden.glossary)))


def _taken_because(path: str, taken: set[str], garden: Garden) -> str | None:
    """Why a page at `path` would replace, or be replaced by, something else; None when free."""
    reserved = reserved_because(path, garden.pages)
    if reserved:
        return f"but {reserved}"
    stem = path.removesuffix(".md")
    if "/" not in path and stem in garden.sections():
        return "which is the address of the section's generated index"
    holder = next((p for p in (path, f"{stem}/index.html", f"{stem}.html") if p in taken), None)
    return f"which is already the address of {holder}" if holder else None


def _alias_line(docs_dir: Path, note: Note, index: int) -> int | None:
    """The file line of a note's alias. The model keeps no front-matter lines, so the (rare)
    conflicting note's front matter is read again, split as garden/metadata.py splits it."""
    try:
        text = (docs_dir / note.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    opening = _FRONT_MATTER.FM_BOUNDARY.match(text)
    closing = _FRONT_MATTER.FM_BOUNDARY.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        return None
    _, keys, _ = load_yaml(text[opening.end():closing.start()], note.path, "the front matter",
                           first_line=text.count("\n", 0, opening.end()) + 1)
    return keys.of_item("aliases", index)
