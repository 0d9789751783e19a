"""The HTML around a note's text: tags and dates above it, sources and backlinks below it.

Rendered by the theme override outside `page.content`, so none of it becomes noise in the
search index. Every value is escaped here; the template only places the strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from garden.model import Garden, Note
from garden.pages import tag_page_path
from garden.text import Href, html_text


@dataclass(frozen=True)
class NoteChrome:
    header: str
    footer: str


def note_chrome(note: Note, garden: Garden, href: Href) -> NoteChrome:
    return NoteChrome(header=_header(note, href), footer=_sources(note) + _backlinks(note, garden, href))


def _header(note: Note, href: Href) -> str:
    tags = "".join(f'<li><a class="garden-tag" href="{html_text(href(note.path, tag_page_path(tag)))}">'
                   f"{html_text(tag)}</a></li>" for tag in note.meta.tags)
    created = note.meta.created.isoformat()
    dates = f'Created <time datetime="{created}">{created}</time>'
    if note.last_changed != note.meta.created:
        updated = note.last_changed.isoformat()
        dates += f' · updated <time datetime="{updated}">{updated}</time>'
    return (f'<div class="garden-meta"><ul class="garden-tags" aria-label="Tags">{tags}</ul>'
            f'<p class="garden-dates">{dates}</p></div>')


def _sources(note: Note) -> str:
    if not note.meta.sources:
        return ""
    items = "; ".join(f"<cite>{html_text(source)}</cite>" for source in note.meta.sources)
    return f'<p class="garden-sources">Sources: {items}</p>'


def _backlinks(note: Note, garden: Garden, href: Href) -> str:
    linking = garden.backlinks_of(note)
    if linking:
        items = "".join(f'<li><a href="{html_text(href(note.path, source.path))}">{html_text(source.title)}</a></li>'
                        for source in linking)
        listing = f"<ul>{items}</ul>"
    else:
        listing = "<p>No other note links here yet.</p>"
    return (f'<section id="backlinks" class="garden-backlinks" aria-labelledby="backlinks-title">'
            f'<h2 id="backlinks-title">Linked from</h2>{listing}</section>')
