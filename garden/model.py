"""The garden: notes, tags, resolved links and backlinks, as plain Python values.

Built once per build by `garden.build.build_garden`; every output (MkDocs pages, macros,
the command line) only reads it. Maps that outputs need per page (backlinks, notes by
tag) are computed once here, so no output ever scans all notes for one page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from garden.charts import Chart
from garden.markdown_scan import Heading, MarkdownLink, WikiLink
from garden.metadata import FrontMatter
from garden.problems import Problem


@dataclass(frozen=True)
class Note:
    """One published or draft note."""

    path: str
    """Source path relative to `docs/`, with forward slashes: `career/job-leave-triggers.md`."""
    meta: FrontMatter
    body: str
    """The Markdown after the front matter, exactly as written."""
    body_line: int
    headings: tuple[Heading, ...]
    wikilinks: tuple[WikiLink, ...]
    markdown_links: tuple[MarkdownLink, ...]

    @property
    def slug(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def section(self) -> str:
        """The top folder (`career`), or "" for a note at the top of `docs/`."""
        return self.path.split("/", 1)[0] if "/" in self.path else ""

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def last_changed(self) -> dt.date:
        return max([self.meta.created, *(c.date for c in self.meta.changes),
                    *([self.meta.updated] if self.meta.updated else [])])


@dataclass(frozen=True)
class ResolvedLink:
    """A link from one note to another, as the reader will follow it."""

    source: Note
    target: Note
    anchor: str | None
    line: int


@dataclass(frozen=True)
class BrokenNote:
    """A note whose front matter could not be used: still published while serving, with its problems."""

    path: str
    body: str
    body_line: int


@dataclass(frozen=True)
class ChangeEntry:
    """One item of the changelog: a note was added, or changed in a way readers should know."""

    note: Note
    date: dt.date
    kind: Literal["new", "updated"]
    what: str


@dataclass
class Garden:
    """Everything the outputs need to know about the notes."""

    notes: dict[str, Note]
    """Published notes by path, in path order."""
    drafts: dict[str, Note]
    broken: dict[str, BrokenNote]
    vocabulary: dict[str, str]
    """Every allowed tag with its description."""
    links: dict[str, list[ResolvedLink]]
    """Outgoing links of each published note (wikilinks and Markdown links), by source path."""
    wikilink_targets: dict[str, dict[int, ResolvedLink]]
    """Resolved wikilinks of each note, by the wikilink's start offset in the body."""
    charts: dict[str, Chart] = field(default_factory=dict)
    """Chart data by name, drawn as `charts/<name>.svg`."""
    problems: list[Problem] = field(default_factory=list)
    _backlinks: dict[str, list[Note]] = field(default_factory=dict, repr=False)
    _tagged: dict[str, list[Note]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        backlinks: dict[str, dict[str, Note]] = {}
        for source, links in self.links.items():
            for link in links:
                if link.target.path != source:
                    backlinks.setdefault(link.target.path, {})[source] = link.source
        self._backlinks = {path: sorted(sources.values(), key=_by_title)
                           for path, sources in backlinks.items()}
        tagged: dict[str, list[Note]] = {}
        for note in self.notes.values():
            for tag in note.meta.tags:
                tagged.setdefault(tag, []).append(note)
        self._tagged = {tag: sorted(notes, key=_newest_first) for tag, notes in sorted(tagged.items())}

    def backlinks_of(self, note: Note) -> list[Note]:
        """Other published notes that link to `note`, by title."""
        return self._backlinks.get(note.path, [])

    def notes_tagged(self, tag: str) -> list[Note]:
        """Published notes carrying `tag`, newest first."""
        return self._tagged.get(tag, [])

    def tags_in_use(self) -> dict[str, list[Note]]:
        """Every tag at least one published note carries, alphabetically."""
        return self._tagged

    def sections(self) -> dict[str, list[Note]]:
        """Published notes by top folder, each section's notes by title."""
        sections: dict[str, list[Note]] = {}
        for note in sorted(self.notes.values(), key=_by_title):
            sections.setdefault(note.section, []).append(note)
        return dict(sorted(sections.items()))

    def changes(self) -> list[ChangeEntry]:
        """The changelog: one entry per new note and per listed change, newest first."""
        entries = [ChangeEntry(note, note.meta.created, "new", note.meta.summary)
                   for note in self.notes.values()]
        entries += [ChangeEntry(note, change.date, "updated", change.what)
                    for note in self.notes.values() for change in note.meta.changes]
        return sorted(entries, key=lambda e: (-e.date.toordinal(), e.kind == "new", e.note.title.lower()))


def _by_title(note: Note) -> tuple[str, str]:
    return note.title.lower(), note.path


def _newest_first(note: Note) -> tuple[int, str, str]:
    return -note.meta.created.toordinal(), note.title.lower(), note.path
