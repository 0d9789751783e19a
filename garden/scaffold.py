"""`python -m garden new "Title" …` (`make note`): start a note whose front matter is already valid.

A new note's first problems are almost always in its front matter: a slug that is not a
slug, a misspelt tag, a date in the wrong format. Writing the file from the same rules the
check applies (the text is run through `split_note` before it is written) means an editor
starts from a note that passes, and only ever adds prose and links.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from garden.conventions import JOURNAL_SECTION
from garden.metadata import split_note
from garden.problems import did_you_mean

RESERVED_SLUGS = frozenset({"index", "README"})
"""`<section>/index.md` is the generated section index (MkDocs takes README.md for one too)."""

BODY = ("<!-- One idea, in your own words (150–800 words). Link at least two notes with [[slug]],\n"
        "     and link this note from one. Then run `make check`. -->\n")


class ScaffoldError(Exception):
    """The note cannot be created as asked; the message says what to change."""


@dataclass(frozen=True)
class NewNote:
    """What the editor asked for."""

    title: str
    summary: str
    section: str
    tags: tuple[str, ...]
    created: dt.date

    @property
    def slug(self) -> str:
        """The file name: the title's words, and for a journal entry the date before them."""
        words = slugify(self.title)
        return f"{self.created.isoformat()}-{words}" if self.section == JOURNAL_SECTION else words

    @property
    def path(self) -> str:
        return f"{self.section}/{self.slug}.md"

    def text(self) -> str:
        """The file: front matter in the order CONTRIBUTING.md documents it, then a reminder."""
        front: dict[str, object] = {"title": self.title, "summary": self.summary, "tags": list(self.tags),
                                    "created": self.created}
        if self.section != JOURNAL_SECTION:  # an idea starts as a seedling; a dated entry does not grow
            front["stage"] = "seedling"
        yaml_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, default_flow_style=None,
                                   width=1_000_000)
        return f"---\n{yaml_text}---\n\n{BODY}"


MAX_SLUG = 80
"""File names stay short enough for every file system and readable in a URL."""


def slugify(title: str) -> str:
    """Lowercase ASCII words joined by hyphens: `Don't ship on Fridays!` → `dont-ship-on-fridays`;
    a long title is cut at a word boundary to `MAX_SLUG` characters."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", ascii_text.lower())).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug


def note_tags(section: str, tags: Iterable[str]) -> tuple[str, ...]:
    """The tags as asked, with `journal` first for a journal entry, each once."""
    wanted = [JOURNAL_SECTION] if section == JOURNAL_SECTION else []
    return tuple(dict.fromkeys([*wanted, *tags]))


def create_note(docs_dir: Path, note: NewNote, vocabulary: Mapping[str, str] | None,
                sections: Iterable[str]) -> Path:
    """Write `note` under `docs_dir`; refuse an unknown section, a used slug or invalid front matter."""
    sections = sorted(sections)
    if note.section not in sections:
        hint = did_you_mean(note.section, sections) or f"the sections are: {', '.join(sections)}"
        raise ScaffoldError(f"unknown section '{note.section}' — {hint}")
    words = slugify(note.title)
    if not words:
        raise ScaffoldError(f"the title {note.title!r} has no letters or digits to make a file name from")
    if note.slug in RESERVED_SLUGS:
        raise ScaffoldError(f"'{note.slug}' is reserved for the generated section index — "
                            "choose another title")
    same_slug = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob(f"{note.slug}.md"))
    if same_slug:
        raise ScaffoldError(f"a note named '{note.slug}' already exists: {', '.join(same_slug)} — "
                            "edit that note, or choose a title that says how this idea differs")
    text = note.text()
    _, problems = split_note(note.path, text, vocabulary)
    if problems:
        raise ScaffoldError("\n".join(p.message + (f" — {p.hint}" if p.hint else "") for p in problems))
    file = docs_dir / note.path
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        with file.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{note.path} already exists — edit it instead") from None
    return file
