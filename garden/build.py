"""The pipeline that turns a folder of Markdown files into a `Garden`: read → validate → link.

Each note is read and parsed exactly once here. Problems are collected, never raised, so
one run reports every mistake in every note.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from garden.charts import CHARTS_DIR, load_charts
from garden.markdown_scan import WikiLink, scan_body, slugify
from garden.metadata import split_note
from garden.model import BrokenNote, Garden, Note, ResolvedLink
from garden.pages import JOURNAL_SECTION
from garden.problems import Problem, did_you_mean
from garden.vocabulary import load_vocabulary


@dataclass(frozen=True)
class Settings:
    """What the garden needs to know about the project around the notes."""

    docs_dir: Path
    tags_file: Path
    pages: frozenset[str] = frozenset()
    """Markdown files under `docs/` that are project pages, not notes (e.g. `index.md`)."""
    tags_file_shown_as: str = "tags.yml"
    charts_dir: Path | None = None
    """Folder of chart data files (`charts/*.yml`), drawn as SVG at build time."""

    @classmethod
    def from_config(cls, project_dir: Path, docs_dir: str, garden: dict[str, Any]) -> Settings:
        """The one place that turns mkdocs.yml's `extra.garden` into settings (hook and CLI)."""
        tags_file = garden.get("tags_file", "tags.yml")
        return cls(docs_dir=project_dir / docs_dir, tags_file=project_dir / tags_file,
                   pages=frozenset(garden.get("pages", [])), tags_file_shown_as=tags_file,
                   charts_dir=project_dir / CHARTS_DIR)


def build_garden(settings: Settings, markdown_files: Iterable[str] | None = None) -> Garden:
    """Read every note under `settings.docs_dir` (or the given paths, relative to it)."""
    vocabulary, problems = load_vocabulary(settings.tags_file, settings.tags_file_shown_as)
    charts, chart_problems = load_charts(settings.charts_dir) if settings.charts_dir else ({}, [])
    problems += chart_problems
    if markdown_files is None:
        markdown_files = (p.relative_to(settings.docs_dir).as_posix()
                          for p in settings.docs_dir.rglob("*.md"))
    notes: dict[str, Note] = {}
    broken: dict[str, BrokenNote] = {}
    for path in sorted(markdown_files):
        if path in settings.pages:
            continue
        note, note_problems = read_note(settings.docs_dir / path, path, vocabulary)
        problems += note_problems
        if isinstance(note, Note):
            notes[path] = note
        else:
            broken[path] = note
    published = {path: note for path, note in notes.items() if not note.meta.draft}
    drafts = {path: note for path, note in notes.items() if note.meta.draft}
    resolver = _Resolver(published, drafts, set(settings.pages) | set(broken))
    links: dict[str, list[ResolvedLink]] = {}
    wikilink_targets: dict[str, dict[int, ResolvedLink]] = {}
    for note in notes.values():
        resolved_wikilinks = resolver.wikilinks(note, problems)
        markdown_links = resolver.markdown_links(note, problems)
        if not note.meta.draft:
            wikilink_targets[note.path] = resolved_wikilinks
            links[note.path] = [*resolved_wikilinks.values(), *markdown_links]
    return Garden(notes=published, drafts=drafts, broken=broken, vocabulary=vocabulary,
                  links=links, wikilink_targets=wikilink_targets, charts=charts,
                  problems=sorted(problems))


def read_note(file: Path, path: str, vocabulary: dict[str, str]
              ) -> tuple[Note | BrokenNote, list[Problem]]:
    """Read, decode, split and scan one file; never raises for what the file contains."""
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return BrokenNote(path, "", 1), [Problem(path, line, f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x})",
                              "re-save the file with UTF-8 encoding")]
    split, problems = split_note(path, text, vocabulary)
    if split.front_matter is None:
        return BrokenNote(path, split.body, split.body_line), problems
    problems += _journal_date_problems(path, split.front_matter.created)
    scanned = scan_body(split.body, split.body_line)
    for link in scanned.wikilinks:
        if link.embed:
            problems.append(Problem(path, link.line, f"embedding '![[{link.target}]]' is not supported",
                                    f"link to it instead: [[{link.target}]]"))
    return Note(path=path, meta=split.front_matter, body=split.body, body_line=split.body_line,
                headings=scanned.headings, wikilinks=scanned.wikilinks,
                markdown_links=scanned.markdown_links), problems


_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def _journal_date_problems(path: str, created: dt.date) -> list[Problem]:
    """A journal entry's `created` is the entry's date: it must match a date in its file name."""
    if not path.startswith(f"{JOURNAL_SECTION}/"):
        return []
    dated = _DATED_NAME.match(path.rsplit("/", 1)[-1])
    if dated and dated.group(1) != created.isoformat():
        return [Problem(path, None, f"the file name says {dated.group(1)} but 'created' is {created}",
                        "a journal entry's 'created' is the entry's date: make the two agree")]
    return []


def wikilink_label(link: WikiLink, target: Note) -> str:
    """What a wikilink shows: its label, else the name as typed (a title or alias), else the
    target's title when typed as a slug or path; `› heading` when it points into the note."""
    if link.label:
        return link.label
    typed_as_name = link.target and link.target.lower() not in (target.slug.lower(), target.path[:-3].lower())
    label = link.target if typed_as_name else target.title
    if link.heading:
        label = f"{label} › {link.heading}" if link.target else link.heading
    return label


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().lower()


class _Resolver:
    """Resolves wikilinks (by slug, path, title or alias, case-insensitively) and relative links."""

    def __init__(self, published: dict[str, Note], drafts: dict[str, Note], other_pages: set[str]) -> None:
        self._published = published
        self._drafts = drafts
        self._other_pages = other_pages
        self._by_name: dict[str, dict[str, Note]] = {}
        for note in [*published.values(), *drafts.values()]:
            names = {note.slug, note.path.removesuffix(".md"), note.title, *note.meta.aliases}
            for name in names:
                self._by_name.setdefault(_key(name), {})[note.path] = note

    def wikilinks(self, note: Note, problems: list[Problem]) -> dict[int, ResolvedLink]:
        resolved: dict[int, ResolvedLink] = {}
        for link in note.wikilinks:
            if link.embed:
                continue
            target = self._wikilink_target(note, link, problems)
            if target is None:
                continue
            anchor = self._anchor(note, link, target, problems)
            if link.heading is None or anchor is not None:
                resolved[link.start] = ResolvedLink(note, target, anchor, link.line, link.start, link.end,
                                                    wikilink_label(link, target))
        return resolved

    def _wikilink_target(self, note: Note, link: WikiLink, problems: list[Problem]) -> Note | None:
        if not link.target:  # [[#heading]] links within the same note
            return note
        candidates = self._by_name.get(_key(link.target), {})
        if not candidates:
            hint = did_you_mean(link.target, [n.slug for n in self._published.values()])
            problems.append(Problem(note.path, link.line, f"[[{link.target}]] links to no note",
                                    hint or "check the spelling, or create the note"))
            return None
        if len(candidates) > 1:
            paths = ", ".join(sorted(candidates))
            problems.append(Problem(note.path, link.line, f"[[{link.target}]] matches several notes: {paths}",
                                    "link by path instead, e.g. [[" + sorted(candidates)[0].removesuffix(".md") + "]]"))
            return None
        target = next(iter(candidates.values()))
        if target.meta.draft and not note.meta.draft:
            problems.append(Problem(note.path, link.line, f"[[{link.target}]] links to a draft ({target.path})",
                                    "publish the draft first, or remove the link"))
            return None
        return target

    @staticmethod
    def _anchor(note: Note, link: WikiLink, target: Note, problems: list[Problem]) -> str | None:
        if link.heading is None:
            return None
        wanted = _key(link.heading)
        for heading in target.headings:
            if wanted in (_key(heading.text), heading.anchor) or slugify(link.heading, "-") == heading.anchor:
                return heading.anchor
        hint = did_you_mean(link.heading, [h.text for h in target.headings])
        problems.append(Problem(note.path, link.line,
                                f"[[{link.target}#{link.heading}]]: {target.path} has no heading '{link.heading}'",
                                hint or "link to one of its headings, or to the note itself"))
        return None

    def markdown_links(self, note: Note, problems: list[Problem]) -> list[ResolvedLink]:
        """Relative links to other `.md` files: checked here so the message can name the line."""
        resolved: list[ResolvedLink] = []
        for link in note.markdown_links:
            parts = urlsplit(link.url)
            if parts.scheme or parts.netloc or link.url.startswith(("/", "#")) or not parts.path.endswith(".md"):
                continue
            path = posixpath.normpath(posixpath.join(posixpath.dirname(note.path), unquote(parts.path)))
            if path in self._published:
                resolved.append(ResolvedLink(note, self._published[path], parts.fragment or None, link.line,
                                             link.start, link.end, link.text))
            elif path in self._drafts and not note.meta.draft:
                problems.append(Problem(note.path, link.line, f"the link to {link.url} points at a draft",
                                        "publish the draft first, or remove the link"))
            elif path not in self._drafts and path not in self._other_pages:
                hint = did_you_mean(path, [*self._published, *self._other_pages])
                problems.append(Problem(note.path, link.line, f"the link to {link.url} points at no page",
                                        hint or "check the path: it is relative to this note's folder"))
        return resolved
