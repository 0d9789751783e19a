"""Pages generated from the garden at build time: tag pages, the tag index, section indexes.

A page is a short Markdown text (title and introduction) plus HTML the theme places after
the rendered content: the note lists, with URLs from `href` and every value escaped. MkDocs
thus neither parses thousands of list items as Markdown nor resolves again links the model
already resolved, and the search index never sees them: a tag page is found by its name
and description, not by repeating every summary it lists. Nothing here is Jinja.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from garden.conventions import JOURNAL_SECTION, TAG_INDEX, TAGS_DIR, section_index_path, tag_page_path
from garden.model import Garden, Note
from garden.text import Href, html_text, markdown_text



@dataclass(frozen=True)
class GeneratedPage:
    """A page the garden adds to the site."""

    path: str
    """Source path relative to `docs/`, as if the file existed there."""
    title: str
    markdown: str
    html_after: str = ""
    """HTML placed after the page's rendered Markdown."""


def tag_of_page(path: str) -> str | None:
    """The tag whose page `path` is, if it is one."""
    folder, _, name = path.rpartition("/")
    return name.removesuffix(".md") if folder == TAGS_DIR and name != "index.md" else None


def section_title(section: str, titles: dict[str, str]) -> str:
    return titles.get(section) or section.replace("-", " ").capitalize()


def page_with_html(path: str, title: str, introduction: str, html_after: str) -> GeneratedPage:
    """A generated page: Markdown `introduction` under `title`, then `html_after`."""
    front_matter = yaml.safe_dump({"title": title}, allow_unicode=True, sort_keys=False)
    return GeneratedPage(path, title, f"---\n{front_matter}---\n\n{introduction}\n", html_after)


def note_list(from_path: str, notes: Iterable[Note], href: Href, dated: bool = True) -> str:
    """A list of notes (linked title, date, summary) as one HTML block."""
    items = []
    for note in notes:
        date = note.meta.created.isoformat()
        shown_date = f' <time datetime="{date}">{date}</time>' if dated else ""
        items.append(f'<li><a href="{html_text(href(from_path, note.path))}">{html_text(note.title)}</a>'
                     f'{shown_date}<br><span class="garden-summary">{html_text(note.meta.summary)}</span></li>')
    return f'<ul class="garden-list">{"".join(items)}</ul>'


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def tag_pages(garden: Garden, href: Href) -> list[GeneratedPage]:
    """A page per tag in use (its description and notes, newest first), and the tag index."""
    pages: list[GeneratedPage] = []
    index_items = []
    for tag, notes in garden.tags_in_use().items():
        path = tag_page_path(tag)
        description = garden.vocabulary.get(tag, "")
        introduction = f"{markdown_text(description)}\n\n{_count(len(notes), 'note')}, newest first:"
        pages.append(page_with_html(path, f"Tag: {tag}", introduction, note_list(path, notes, href)))
        index_items.append(f'<li><a href="{html_text(href(TAG_INDEX, path))}">{html_text(tag)}</a> '
                           f"({len(notes)}) — {html_text(description)}</li>")
    pages.append(page_with_html(TAG_INDEX, "Tags", "Every tag in the garden, with how many notes carry it.",
                       f'<ul class="garden-tag-index">{"".join(index_items)}</ul>'))
    return pages


def section_indexes(garden: Garden, href: Href, titles: dict[str, str], existing: set[str]) -> list[GeneratedPage]:
    """An index page per section that has no hand-written one; the journal goes by year."""
    pages: list[GeneratedPage] = []
    for section, notes in garden.sections().items():
        path = section_index_path(section)
        if not section or path in existing:
            continue
        title = section_title(section, titles)
        if section == JOURNAL_SECTION:
            entries = sorted(notes, key=lambda n: (n.meta.created, n.path), reverse=True)
            pages.append(page_with_html(path, title, f"{_count(len(entries), 'entry', 'entries')}, newest first.",
                               _by_year(path, entries, href)))
        else:
            pages.append(page_with_html(path, title, f"{_count(len(notes), 'note')} in this section, by title.",
                               note_list(path, notes, href, dated=False)))
    return pages


def _by_year(path: str, entries: list[Note], href: Href) -> str:
    years: dict[int, list[Note]] = {}
    for note in entries:
        years.setdefault(note.meta.created.year, []).append(note)
    return "".join(f'<h2 id="{year}">{year}</h2>{note_list(path, notes, href)}' for year, notes in years.items())
