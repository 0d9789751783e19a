"""Pages generated from the garden at build time: tag pages, the tag index, section indexes.

Each page is Markdown whose links are relative `.md` paths, so MkDocs resolves and
validates them like any hand-written link. Values from front matter are escaped with
`markdown_text`. The pages never contain Jinja: they are not templates.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from garden.model import Garden, Note
from garden.text import markdown_text, relative_link

TAGS_DIR = "tags"
JOURNAL_SECTION = "journal"


@dataclass(frozen=True)
class GeneratedPage:
    """A page the garden adds to the site."""

    path: str
    """Source path relative to `docs/`, as if the file existed there."""
    title: str
    markdown: str


def tag_page_path(tag: str) -> str:
    return f"{TAGS_DIR}/{tag}.md"


def section_index_path(section: str) -> str:
    return f"{section}/index.md"


def section_title(section: str, titles: dict[str, str]) -> str:
    return titles.get(section) or section.replace("-", " ").capitalize()


def _page(path: str, title: str, body: list[str], extra_meta: dict[str, object] | None = None) -> GeneratedPage:
    meta = {"title": title, **(extra_meta or {})}
    front_matter = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return GeneratedPage(path, title, f"---\n{front_matter}---\n\n" + "\n".join(body) + "\n")


def _note_item(from_path: str, note: Note, date_shown: bool = True) -> str:
    """One list item: linked title, date, and the summary on its own line."""
    date = f" <small>{note.meta.created.isoformat()}</small>" if date_shown else ""
    return (f"- [{markdown_text(note.title)}]({relative_link(from_path, note.path)}){date}  \n"
            f"  {markdown_text(note.meta.summary)}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def tag_pages(garden: Garden) -> list[GeneratedPage]:
    """A page per tag in use (its description and notes, newest first), and the tag index."""
    pages: list[GeneratedPage] = []
    index_path = f"{TAGS_DIR}/index.md"
    index_lines = ["Every tag in the garden, with how many notes carry it.", ""]
    for tag, notes in garden.tags_in_use().items():
        path = tag_page_path(tag)
        body = [markdown_text(garden.vocabulary[tag]), "", f"{_count(len(notes), 'note')}:", ""]
        body += [_note_item(path, note) for note in notes]
        pages.append(_page(path, f"Tag: {tag}", body))
        index_lines.append(f"- [{tag}]({relative_link(index_path, path)}) ({len(notes)}) — "
                           f"{markdown_text(garden.vocabulary[tag])}")
    pages.append(_page(index_path, "Tags", index_lines))
    return pages


def section_indexes(garden: Garden, titles: dict[str, str], existing: set[str]) -> list[GeneratedPage]:
    """An index page per section that has no hand-written one; the journal goes by year."""
    pages: list[GeneratedPage] = []
    for section, notes in garden.sections().items():
        path = section_index_path(section)
        if not section or path in existing:
            continue
        title = section_title(section, titles)
        if section == JOURNAL_SECTION:
            body = _journal_by_year(path, notes)
        else:
            body = [f"{_count(len(notes), 'note')} in this section, by title.", ""]
            body += [_note_item(path, note, date_shown=False) for note in notes]
        pages.append(_page(path, title, body))
    return pages


def _journal_by_year(path: str, notes: list[Note]) -> list[str]:
    entries = sorted(notes, key=lambda n: (n.meta.created, n.path), reverse=True)
    body = [f"{_count(len(entries), 'entry')} — newest first.".replace("entrys", "entries"), ""]
    year = None
    for note in entries:
        if note.meta.created.year != year:
            year = note.meta.created.year
            body += ["", f"## {year}", ""]
        body.append(_note_item(path, note))
    return body
