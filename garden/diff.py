"""`python -m garden diff BASE`: what a change does to the garden, for the pull request's reviewer.

A textual diff shows edited lines; a reviewer of a garden also needs what readers will
notice: notes that appear, vanish or move (a moved note breaks every bookmark and feed
item), tag pages that appear, links between notes that appear or vanish, notes left with
no note linking to them, and what changelog subscribers will be sent. `diff_gardens` works
on two `Garden` values, so it is tested on fixture gardens without git; `garden_at`
builds the garden of a git ref from `git archive`, so the working tree is never touched.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from garden.build import Settings, build_garden
from garden.config import read_project
from garden.model import ChangeEntry, Garden, Note
from garden.text import markdown_text


class DiffError(Exception):
    """The base garden could not be read; the message says what to do."""


@dataclass(frozen=True)
class Rename:
    """A note that moved: a removed path and an added one with the same body or title."""

    old: Note
    new: Note
    by: Literal["content", "title"]


@dataclass(frozen=True)
class Link:
    """One note linking to another (however many times, to whichever heading)."""

    source: Note
    target: Note


@dataclass(frozen=True)
class NewTag:
    """A tag that gets a tag page with this change: no published note carried it before."""

    tag: str
    description: str
    notes: int


@dataclass(frozen=True)
class GardenDiff:
    """What changes for readers between two gardens. Every list is in a stable order."""

    added: tuple[Note, ...]
    removed: tuple[Note, ...]
    renamed: tuple[Rename, ...]
    tags_added: tuple[NewTag, ...]
    links_added: tuple[Link, ...]
    """Links from notes that exist on both sides (a new note's links come with the note)."""
    links_removed: tuple[Link, ...]
    """Links from notes that exist on both sides (a removed note's links go with the note)."""
    new_orphans: tuple[Note, ...]
    """Notes no other note links to that were linked to before, or are new."""
    subscriber_entries: tuple[ChangeEntry, ...]
    """Changelog entries the new garden has and the old one did not, newest first."""
    problems: int = 0
    """Problems in the new garden: notes with problems are missing from it."""
    code_changed: tuple[tuple[str, str], ...] = ()
    """The site's own scripts and styles (`docs/assets/*.js|css`) added, changed or removed, as
    (path, what happened): they run on every page, so the summary says so first."""

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.tags_added or self.links_added
                    or self.links_removed or self.new_orphans or self.subscriber_entries or self.code_changed)


def diff_gardens(old: Garden, new: Garden) -> GardenDiff:
    """Compare two gardens as readers see them: published notes only, renames followed."""
    removed_paths = sorted(old.notes.keys() - new.notes.keys())
    added_paths = sorted(new.notes.keys() - old.notes.keys())
    renamed = _renames(old, new, removed_paths, added_paths)
    moved_from = {rename.old.path for rename in renamed}
    moved_to = {rename.new.path for rename in renamed}
    to_new_path = {rename.old.path: rename.new.path for rename in renamed}

    def as_new(path: str) -> str:
        return to_new_path.get(path, path)

    added = [new.notes[path] for path in added_paths if path not in moved_to]
    removed = [old.notes[path] for path in removed_paths if path not in moved_from]
    old_links = _links(old, as_new, skip_sources={note.path for note in removed})
    new_links = _links(new, _unchanged, skip_sources={note.path for note in added})
    old_tags = old.tags_in_use()
    tags_added = [NewTag(tag, new.vocabulary.get(tag, ""), len(notes))
                  for tag, notes in new.tags_in_use().items() if tag not in old_tags]
    linked_before = {as_new(note.path) for note in old.notes.values() if old.backlinks_of(note)}
    new_paths = {note.path for note in added}
    new_orphans = [note for note in new.notes.values()
                   if not new.backlinks_of(note) and (note.path in linked_before or note.path in new_paths)]
    old_entries = {_entry_key(entry, as_new) for entry in old.changes()}
    entries = [entry for entry in new.changes() if _entry_key(entry, _unchanged) not in old_entries]
    return GardenDiff(
        added=tuple(added), removed=tuple(removed), renamed=tuple(renamed), tags_added=tuple(tags_added),
        links_added=tuple(new_links[key] for key in sorted(new_links.keys() - old_links.keys())),
        links_removed=tuple(old_links[key] for key in sorted(old_links.keys() - new_links.keys())),
        new_orphans=tuple(new_orphans), subscriber_entries=tuple(entries), problems=len(new.problems),
        code_changed=_code_changes(old.code, new.code))


def _code_changes(old: dict[str, str], new: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Each script or style whose digest differs between the two gardens, and how."""
    return tuple((path, "added" if path not in old else "removed" if path not in new else "changed")
                 for path in sorted(old.keys() | new.keys()) if old.get(path) != new.get(path))


def _unchanged(path: str) -> str:
    return path


def _renames(old: Garden, new: Garden, removed: list[str], added: list[str]) -> list[Rename]:
    """Pair removed and added paths: first by identical body, then by title (case-insensitive)."""
    renames: list[Rename] = []
    removed, added = list(removed), list(added)
    keys: list[tuple[Literal["content", "title"], Callable[[Note], str]]] = [
        ("content", lambda note: note.body.strip()),
        ("title", lambda note: re.sub(r"\s+", " ", note.title).strip().lower()),
    ]
    for by, key in keys:
        candidates: dict[str, list[str]] = {}
        for path in added:
            if key(new.notes[path]):
                candidates.setdefault(key(new.notes[path]), []).append(path)
        for path in list(removed):
            matches = candidates.get(key(old.notes[path]))
            if matches:
                new_path = matches.pop(0)
                renames.append(Rename(old.notes[path], new.notes[new_path], by))
                removed.remove(path)
                added.remove(new_path)
    return sorted(renames, key=lambda rename: rename.new.path)


def _links(garden: Garden, as_new: Callable[[str], str],
           skip_sources: set[str]) -> dict[tuple[str, str], Link]:
    """Links between distinct notes, keyed by (source, target) as paths of the new garden."""
    links: dict[tuple[str, str], Link] = {}
    for source, resolved in garden.links.items():
        if source in skip_sources:
            continue
        for link in resolved:
            if link.target.path != source:
                links.setdefault((as_new(source), as_new(link.target.path)), Link(link.source, link.target))
    return links


def _entry_key(entry: ChangeEntry, as_new: Callable[[str], str]) -> tuple[str, ...]:
    """What makes a changelog entry the same one: a note is new once; a change by date and text."""
    path = as_new(entry.note.path)
    if entry.kind == "new":
        return path, "new"
    return path, "updated", entry.date.isoformat(), entry.what


def garden_at(ref: str, config_file: Path) -> Garden:
    """The garden as committed at git `ref`, built from a `git archive` of it in a temp dir."""
    project_dir = config_file.resolve().parent
    root = Path(_git(project_dir, "rev-parse", "--show-toplevel").decode().strip())
    commit = _git(project_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}",
                  error=f"'{ref}' is not a commit in this repository: fetch it first "
                        f"(e.g. git fetch origin main) or name another ref").decode().strip()
    archive = _git(root, "archive", "--format=tar", commit)
    with tempfile.TemporaryDirectory(prefix="garden-diff-") as tmp:
        _extract_regular_files(archive, Path(tmp))
        base_config = Path(tmp) / config_file.resolve().relative_to(root)
        if not base_config.is_file():
            raise DiffError(f"{ref} has no {base_config.relative_to(tmp)}: "
                            "it is not a garden to compare with")
        project, problems = read_project(base_config)
        if project is None:
            raise DiffError(f"{ref}: {problems[0].message}")
        return build_garden(Settings.for_project(project))


def _extract_regular_files(archive: bytes, destination: Path) -> None:
    """Write the archive's regular files under `destination`, and nothing else.

    Symbolic links, devices and paths that would leave `destination` are skipped: the base's
    gate refused them already, and a diff must never follow one (`tarfile`'s own `filter=`
    argument would do this, but it needs Python 3.11.4 and raises on the first such member).
    """
    root = destination.resolve()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            target = (root / member.name).resolve()
            if not member.isfile() or not target.is_relative_to(root):
                continue
            source = tar.extractfile(member)
            if source is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read())


def _git(cwd: Path, *args: str, error: str | None = None) -> bytes:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if result.returncode != 0:
        raise DiffError(error or f"git {args[0]} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def render_markdown(diff: GardenDiff, base: str) -> str:
    """The diff as Markdown for the pull request's job summary; every value from a note is escaped."""
    lines = ["## What this change does to the garden", "", f"Compared with {markdown_text(base)}."]
    if diff.problems:
        lines += ["", f"**{diff.problems} problem{'s' * (diff.problems != 1)}** in the changed garden "
                      "(see the annotations on the diff): notes with problems are missing below."]
    if diff.code_changed:
        lines += ["", "> [!CAUTION]", "> **This change edits the site's own code**: these scripts and "
                  "styles run on every page. Review them as code, not as writing.", ">",
                  *(f"> - {markdown_text(path)} ({what})" for path, what in diff.code_changed)]
    if diff.is_empty():
        return "\n".join([*lines, "", "No note, tag, link or changelog entry changes.", ""])
    sections: list[tuple[str, Iterable[str]]] = [
        ("Notes added", (_note(note) for note in diff.added)),
        ("Notes removed", (_note(note) for note in diff.removed)),
        ("Notes renamed: their old addresses stop working",
         (f"{_path(r.old)} → {_note(r.new)} (same {r.by})" for r in diff.renamed)),
        ("Tags added", (f"{markdown_text(t.tag)} ({t.notes} note{'s' * (t.notes != 1)}) — "
                        f"{markdown_text(t.description)}" for t in diff.tags_added)),
        ("Links added", (_link(link) for link in diff.links_added)),
        ("Links removed", (_link(link) for link in diff.links_removed)),
        ("Orphans: no other note links to these", (_note(note) for note in diff.new_orphans)),
        ("What changelog subscribers will receive",
         (f"{entry.date.isoformat()} · {entry.label}: {_title(entry.note)} — {markdown_text(entry.gain)}"
          for entry in diff.subscriber_entries)),
    ]
    budget = MAX_SUMMARY_BYTES - sum(len(line.encode()) + 1 for line in lines)
    for heading, items in sections:
        bullets = [f"- {item}" for item in items]
        if bullets:
            lines += ["", f"### {heading} ({len(bullets)})", ""]
            shown, budget = _within(bullets, budget - len(heading.encode()) - 32)
            lines += shown
            if len(shown) < len(bullets):
                lines.append(f"- … and {len(bullets) - len(shown):,} more")
    return "\n".join([*lines, ""])


MAX_SUMMARY_BYTES = 256 * 1024
"""The most the job summary's list may take: GitHub refuses a step summary over 1 MiB (and
drops the whole of it), and a reviewer reads the first screens only. Each section that is
cut ends with "… and N more", so the counts stay true."""


def _within(bullets: list[str], budget: int) -> tuple[list[str], int]:
    """The first `bullets` that fit in `budget` bytes (with their newlines), and what is left."""
    shown: list[str] = []
    for bullet in bullets:
        size = len(bullet.encode()) + 1
        if size > budget:
            break
        shown.append(bullet)
        budget -= size
    return shown, budget


def _title(note: Note) -> str:
    return f"**{markdown_text(note.title)}**"


def _path(note: Note) -> str:
    return markdown_text(note.path)


def _note(note: Note) -> str:
    return f"{_title(note)} ({_path(note)})"


def _link(link: Link) -> str:
    return f"{_title(link.source)} → {_title(link.target)}"
