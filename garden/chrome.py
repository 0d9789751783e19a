"""The HTML around a note's text: tags, dates and reading time above it; sources, related
notes, backlinks with their context, and a local graph below it.

The MkDocs adapter places it around the note's content after the search index has read the
page, so none of it becomes noise in search. Views choose what is shown; templates draw it.
"""

from __future__ import annotations

from dataclasses import dataclass

from garden.graph import local_graph
from garden.model import Garden, Note
from garden.rendering import Renderer
from garden.text import Href
from garden.views import note_footer, note_header


@dataclass(frozen=True)
class NoteChrome:
    header: str
    footer: str


def note_chrome(note: Note, garden: Garden, href: Href, renderer: Renderer,
                colours: dict[str, str]) -> NoteChrome:
    return NoteChrome(
        header=renderer.render("note_header.html", header=note_header(note, href)),
        footer=renderer.render("note_footer.html", footer=note_footer(note, garden, href),
                               local_graph=local_graph(note, garden, href, colours)))
