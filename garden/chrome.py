"""The HTML around a note's text: tags, dates and reading time above it; sources, related
notes, backlinks with their context, and a local graph below it.

The MkDocs adapter places it around the note's content after the search index has read the
page, so none of it becomes noise in search. Views choose what is shown; templates draw it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markupsafe import Markup

from garden.conventions import GLOSSARY_PAGE
from garden.graph import local_graph
from garden.model import Garden, Note
from garden.rendering import Renderer
from garden.text import Href
from garden.views import note_footer, note_header, trail_navigation

_TERM_OR_LINK = re.compile(r"<a\b.*?</a>|<abbr title=\"[^\"]*\">([^<]*)</abbr>", re.DOTALL)
"""A link (left as it is: a term in it cannot become a link of its own) or a glossary term as
`abbr` writes it into a published page (sanitised, so its markup is regular)."""


def link_glossary_terms(content: str, note: Note, garden: Garden, href: Href, renderer: Renderer) -> str:
    """Each glossary term in a note's content, outside links, made a link to its entry on the
    glossary page: a keyboard reaches it (and its definition shows on focus) and a tap leads
    to the whole entry and the notes that use the term."""
    anchors = {form: term.anchor for term in garden.glossary.values() for form in term.forms}
    glossary = href(note.path, GLOSSARY_PAGE)

    def linked(match: re.Match[str]) -> str:
        anchor = anchors.get(html.unescape(match.group(1))) if match.group(1) is not None else None
        if anchor is None:
            return match.group(0)
        return renderer.render("glossary_term.html", url=f"{glossary}#{anchor}", term=Markup(match.group(0)))

    return _TERM_OR_LINK.sub(linked, content) if "<abbr" in content else content


LEAD_START = '<p class="garden-lead">'
"""How a note's page content opens: its summary as the lead paragraph (garden/wikilinks.py)."""


def after_lead(content: str, inserted: str) -> str:
    """`inserted` placed after the lead paragraph that opens a note's content (at the start when
    there is none): on a phone the note's first sentence comes before its contents list."""
    end = content.find("</p>") + len("</p>") if content.startswith(LEAD_START) else 0
    return f"{content[:end]}{inserted}{content[end:]}"


@dataclass(frozen=True)
class NoteChrome:
    header: str
    footer: str


def note_chrome(note: Note, garden: Garden, href: Href, renderer: Renderer,
                colours: dict[str, str]) -> NoteChrome:
    return NoteChrome(
        header=renderer.render("note_header.html",
                               header=note_header(note, href, trail_navigation(note, garden, href))),
        footer=renderer.render("note_footer.html", footer=note_footer(note, garden, href),
                               local_graph=local_graph(note, garden, href, colours)))
