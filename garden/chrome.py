"""The HTML around a note's text: tags, dates and reading time above it; sources, related
notes, backlinks with their context, and a local graph below it.

Rendered by the theme override outside `page.content`, so none of it becomes noise in the
search index. Every value is escaped here; the template only places the strings. Each link
to a note carries its title and summary as `title`, shown as a preview by Material.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from garden.context import link_context
from garden.graph import local_graph
from garden.model import Garden, Note
from garden.conventions import tag_page_path
from garden.text import Href, html_text, markdown_text
from garden.wikilinks import preview_text

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NoteChrome:
    header: str
    footer: str


def note_chrome(note: Note, garden: Garden, href: Href) -> NoteChrome:
    footer = (_sources(note) + _related(note, garden, href) + _backlinks(note, garden, href)
              + local_graph(note, garden, href))
    return NoteChrome(header=_header(note, href), footer=footer)


def summary_lead(note: Note) -> str:
    """The summary as the note's opening paragraph, in Markdown: unlike the rest of the chrome
    it sits inside the content, so search finds a note by its summary too."""
    return f"{markdown_text(note.meta.summary)}\n{{: .garden-lead }}\n\n"


def reading_minutes(note: Note) -> int:
    return max(1, math.ceil(len(_WORD.findall(note.body)) / WORDS_PER_MINUTE))


def _note_link(from_note: Note, target: Note, href: Href) -> str:
    return (f'<a href="{html_text(href(from_note.path, target.path))}" title="{html_text(preview_text(target))}">'
            f"{html_text(target.title)}</a>")


def _header(note: Note, href: Href) -> str:
    tags = "".join(f'<li><a class="garden-tag" href="{html_text(href(note.path, tag_page_path(tag)))}">'
                   f"{html_text(tag)}</a></li>" for tag in note.meta.tags)
    created = note.meta.created.isoformat()
    facts = f'Created <time datetime="{created}">{created}</time>'
    if note.last_changed != note.meta.created:
        updated = note.last_changed.isoformat()
        facts += f' · updated <time datetime="{updated}">{updated}</time>'
    facts += f" · {reading_minutes(note)} min read"
    return (f'<div class="garden-meta"><ul class="garden-tags" aria-label="Tags">{tags}</ul>'
            f'<p class="garden-dates">{facts}</p></div>')


def _sources(note: Note) -> str:
    if not note.meta.sources:
        return ""
    items = "; ".join(f"<cite>{html_text(source)}</cite>" for source in note.meta.sources)
    return f'<p class="garden-sources">Sources: {items}</p>'


def _related(note: Note, garden: Garden, href: Href) -> str:
    related = garden.related_to(note)
    if not related:
        return ""
    items = "".join(f"<li>{_note_link(note, other, href)}</li>" for other in related)
    return (f'<section class="garden-related" aria-labelledby="related-title">'
            f'<h2 id="related-title">Related notes</h2><ul>{items}</ul></section>')


def _backlinks(note: Note, garden: Garden, href: Href) -> str:
    links = garden.backlink_links(note)
    if links:
        items = []
        for link in links:
            context = link_context(link)
            items.append(f"<li>{_note_link(note, link.source, href)}"
                         f'<blockquote class="garden-context">{html_text(context.before)}'
                         f"<mark>{html_text(context.linked)}</mark>{html_text(context.after)}</blockquote></li>")
        listing = f"<ul>{''.join(items)}</ul>"
    else:
        listing = "<p>No other note links here yet.</p>"
    return (f'<section id="backlinks" class="garden-backlinks" aria-labelledby="backlinks-title">'
            f'<h2 id="backlinks-title">Linked from</h2>{listing}</section>')
