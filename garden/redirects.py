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

from garden.conventions import reserved_because
from garden.model import Garden, Note
from garden.outputs import Claim
from garden.problems import Problem
from garden.scaffold import slugify


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

    Each alias claims its address in the site's namespace of outputs (garden/outputs.py), so
    an address is taken as a case-insensitive file system takes it too. Notes are taken in
    path order, so when two aliases claim one address the first keeps it and the same note is
    reported on every run. An alias without letters or digits makes no address (no old file
    can have had its name), and one at the note's own address, or at one its other alias
    already redirects from, needs nothing more."""
    taken = garden.outputs.copy()
    redirects: dict[Claim, Redirect] = {}
    conflicts: list[Conflict] = []
    for note in garden.notes.values():
        for index, alias in enumerate(note.meta.aliases):
            slug = slugify(alias)
            path = f"{note.section}/{slug}.md" if note.section else f"{slug}.md"
            if not slug:
                continue
            reserved = reserved_because(path, garden.pages)
            if reserved:
                conflicts.append(Conflict(note, index, path, f"but {reserved}"))
                continue
            claim = Claim(taken.output_of(path), f"the alias '{alias}' of {note.path}", note.path)
            holder = taken.claim(claim)
            if holder is None:
                redirects[claim] = Redirect(path, note, alias)
            elif holder.source != note.path:
                conflicts.append(Conflict(note, index, path, _taken_because(claim, holder, redirects)))
    return list(redirects.values()), conflicts


def redirect_problems(garden: Garden) -> list[Problem]:
    """Every alias that cannot redirect, as a problem on the alias's line."""
    return [Problem(conflict.note.path, conflict.note.meta.alias_lines[conflict.index],
                    f"the alias '{conflict.note.meta.aliases[conflict.index]}' would redirect from "
                    f"'{conflict.path.removesuffix('.md')}/', {conflict.reason}",
                    "choose another alias, or remove it")
            for conflict in alias_redirects(garden)[1]]


def _taken_because(claim: Claim, holder: Claim, redirects: dict[Claim, Redirect]) -> str:
    """Why an alias's address is someone else's: another alias's, a generated page's, a file's."""
    held = redirects.get(holder)
    if held is not None:
        return f"which the alias '{held.alias}' of {held.target.path} already redirects from"
    where = "" if holder.output == claim.output else \
        f" (on a case-insensitive file system, '{holder.output}')"
    return (f"which is the address of {holder.owner}{where}" if holder.source is None else
            f"which is already the address of {holder.owner}{where}")

