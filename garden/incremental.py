"""Which pages one edit touches: what `make serve` rebuilds after a save, and nothing else.

A note's page shows more than the note: who links to it and in which sentence, its related
notes, its neighbourhood graph, and the titles and summaries of every note it links to. So
an edit to one note reaches the notes it links to and from (before and after the edit) that
show what changed, the notes whose related list changes, and every note whose links now
resolve differently. This module compares two gardens and names those notes. Generated
pages, charts, previews and feeds are kept in the session's memo while what each shows is
unchanged (garden/pages.py's plans, each note's published HTML, each feed's items): the
`ServeSession` is the one owner of what a save keeps for the next.

Correctness first: when in doubt (sections appear or vanish, so colours and the navigation
of every page change; the tag, source or glossary vocabulary or a trail changes; a note
becomes broken or stops being so, since MkDocs resolves links to its page) the
answer is "every page".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from garden.context import LinkContext, link_context
from garden.memo import Memo
from garden.model import Garden, Note


def pages_to_rebuild(old: Garden, new: Garden, related: Memo | None = None) -> set[str] | None:
    """Paths of the published notes of `new` whose page differs from `old`'s; None for all.
    `related`: the related notes of `old`'s notes known so far, by path (a serve session keeps
    them from a save to the next), left holding those of `new` known by the end."""
    related = Memo() if related is None else related
    if (list(old.sections()) != list(new.sections()) or old.vocabulary != new.vocabulary
            or old.sources != new.sources or old.glossary != new.glossary
            or old.trail_outlines() != new.trail_outlines()
            or old.broken.keys() != new.broken.keys()):  # MkDocs resolves Markdown links to them
        related.clear()
        return None
    changed = {path for path in old.notes.keys() | new.notes.keys()
               if old.notes.get(path) != new.notes.get(path)}
    touched = set(changed)
    for path in changed:
        touched |= _neighbours_shown_changed(old, new, path)
    for garden in (old, new):
        for path in changed:
            if (note := garden.notes.get(path)) is not None:
                for stop in garden.trail_stops(note):  # "previous / next" shows the neighbours' titles
                    touched |= {neighbour.path for neighbour in (stop.previous, stop.next) if neighbour}
    # Equal links (most often the very same objects, kept by the build's cache) show the same.
    touched |= {path for path in new.notes.keys() & old.notes.keys()
                if old.links.get(path) != new.links.get(path)
                and _outgoing(old, path) != _outgoing(new, path)}
    # A page showing another note's text (an embed) shows it as the new garden expands it.
    touched |= {path for path in new.notes.keys() & old.notes.keys()
                if old.embedded.get(path) != new.embedded.get(path)}
    touched |= _related_changed(old, new, changed, touched, related)
    return touched & new.notes.keys()


def _neighbours_shown_changed(old: Garden, new: Garden, path: str) -> frozenset[str]:
    """The notes a changed note links to or is linked from, before or after the edit, whose
    pages show what changed: all of them when the note appeared, went, or shows another face
    (title and summary: in link labels, previews, "Linked from", the local graph); otherwise
    the notes it started or stopped linking to, and those whose "Linked from" quotes another
    sentence of it. (Its sources' own links, and so their labels, are compared apart.)"""
    before, after = old.notes.get(path), new.notes.get(path)
    targets_before, targets_after = old.link_targets(path), new.link_targets(path)
    if before is None or after is None or _face(before) != _face(after):
        sources = {source.path for garden, note in ((old, before), (new, after)) if note is not None
                   for source in garden.backlinks_of(note)}
        return targets_before | targets_after | sources
    return (targets_before ^ targets_after) | {target for target in targets_before & targets_after
                                               if _quoted(old, path, target) != _quoted(new, path, target)}


def _face(note: Note) -> tuple[str, str]:
    """What other notes' pages show of a note."""
    return note.title, note.meta.summary


def _quoted(garden: Garden, source: str, target: str) -> LinkContext | None:
    """The sentence of `source` that `target`'s "Linked from" quotes."""
    return next((link_context(link, garden) for link in garden.backlink_links(garden.notes[target])
                 if link.source.path == source), None)


def _outgoing(garden: Garden, path: str) -> list[tuple[str, str | None, str]]:
    """What a note's links show: where each leads, to which heading, with which label."""
    return [(link.target.path, link.anchor, link.label) for link in garden.links.get(path, [])]


def _related_changed(old: Garden, new: Garden, changed: set[str], known: set[str], related: Memo) -> set[str]:
    """Notes whose "Related notes" list changes. Only notes sharing a tag with a changed note
    can be affected, since related notes share a tag. When the notes and their tags stay the
    same (the common edit: text and links), the tags' lists are the same too, and a note's list
    can change only through a changed note, one that was on it or that may now rank on it by
    shared tags or links: only those are ranked again. The others keep their list: `related`
    (`old`'s lists, ranking costs some milliseconds a note) keeps it as `new`'s for the next save."""
    tags = {tag for garden in (old, new) for path in changed if (note := garden.notes.get(path))
            for tag in note.meta.tags}
    candidates = {note.path for garden in (old, new) for tag in tags for note in garden.notes_tagged(tag)}
    same_members = all(path in old.notes and path in new.notes
                       and old.notes[path].meta.tags == new.notes[path].meta.tags for path in changed)
    # Candidacy is symmetric, so the notes a changed note may now rank on are its own candidates.
    ranked_near_changed = set().union(*(new.related_candidates(new.notes[path]) for path in changed
                                        if path in new.notes))
    touched = set()
    ranked_again: dict[str, list[Note]] = {}
    for path in candidates - known:
        if path not in old.notes or path not in new.notes:
            continue
        before = related.last(path, list) or old.related_to(old.notes[path])
        related.keep(path, before)
        if (not same_members or any(note.path in changed for note in before)
                or path in ranked_near_changed):
            after = ranked_again[path] = new.related_to(new.notes[path])
            if _shown(before) != _shown(after):
                touched.add(path)
    related.forget(known | (old.notes.keys() - new.notes.keys()))  # their lists may have changed
    for path, after in ranked_again.items():
        related.keep(path, after)
    return touched


def _shown(notes: list[Note]) -> list[tuple[str, str, str]]:
    return [(note.path, note.title, note.meta.summary) for note in notes]


@dataclass
class ServeSession:
    """What one `make serve` keeps from a build to the next, and its one owner: plain data in
    one memo (garden/memo.py), no MkDocs objects. Its scopes, by name:

    - "reads", "resolutions": each file read and each note's links resolved (garden/build.py);
    - "site", signed with the build's signature (configuration, templates, navigation): the
      previous garden, and everything drawn in the theme (garden/site.py: generated pages,
      charts, previews, share cards, feeds, the files written, the garden's Jinja environment
      and the pieces of pages it drew, each note's related notes);
    - "published", "search entries", "search json", "compiled templates", "outputs": what the
      pages a save does not render still need (their HTML for feeds, their search entries) and
      what the engine's own templates and the site folder hold.
    """

    memo: Memo = field(default_factory=Memo)

    def site(self, signature: object) -> Memo:
        """The scope of work drawn in the theme, for a build of this `signature`: emptied when
        the signature changes, as every page does then."""
        scope = self.memo.scope("site")
        scope.sign(signature)
        return scope

    def stale_outputs(self, outputs: set[str]) -> set[str]:
        """The files the previous build wrote that this one, writing `outputs`, did not."""
        previous = self.memo.last("outputs", set) or set()
        self.memo.keep("outputs", outputs)
        return previous - outputs


_sessions: dict[str, ServeSession] = {}
_next_build_is_incremental = False


def start(incremental: bool) -> None:
    """`mkdocs serve --dirty` (or a build) is starting: its first configuration opens a session."""
    global _next_build_is_incremental
    _next_build_is_incremental = incremental


def session_for(config_file: str) -> ServeSession | None:
    """The serve session of this configuration, if it is being served incrementally."""
    global _next_build_is_incremental
    if _next_build_is_incremental:
        _sessions[_session_key(config_file)] = ServeSession()
        _next_build_is_incremental = False
    return _sessions.get(_session_key(config_file))


def is_incremental(config_file: str) -> bool:
    """Whether the next build of this configuration rebuilds, in place, only what changed."""
    return _next_build_is_incremental or _session_key(config_file) in _sessions


def end(config_file: str) -> None:
    """Forget a session (a clean build of the same configuration)."""
    _sessions.pop(_session_key(config_file), None)


def _session_key(config_file: str) -> str:
    """The configuration file's absolute path: `mkdocs serve -f site/mkdocs.yml` names it as it
    was given for the first build (relative) and by its absolute path for every rebuild."""
    return os.path.abspath(config_file)


CODE_FOLDERS = ("garden", "hooks", "macros")
"""The project's Python: what `make serve` loads once and keeps loaded."""


def code_changed_since(project_dir: Path, imported_at: float) -> bool:
    """Whether the Python code of garden/, hooks/ or macros/ under `project_dir` changed after
    `imported_at` (a time.time()): MkDocs loads each hook file once per process (its loader is
    cached), and the modules they import stay loaded, so such a change needs a restart."""
    return any(path.stat().st_mtime > imported_at for folder in CODE_FOLDERS
               for path in Path(project_dir, folder).glob("*.py"))
