"""The HTML around a note's text: tags, dates and reading time above it; sources, related
notes, backlinks with their context, and a local graph below it.

The site layer (`SitePlan.page_content`) places it around the note's content after the search
index has read the page, so none of it becomes noise in search. Views choose what is shown; templates draw it.
A `Chrome` is made once per build: what every page would otherwise work out again (the
glossary's anchors, a term's link, as drawn from one folder) is worked out once, and a note's
chrome depends on the model alone, so a build can draw it ahead in other processes
(garden/pool.py) while the engine renders the notes' Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class NoteChrome:
    header: str
    footer: str


@dataclass
class Chrome:
    """One build's note chrome: the header and footer of each note, and its glossary terms
    made links. Reads the model only, never changes it."""

    garden: Garden
    href: Href
    renderer: Renderer
    colours: dict[str, str]
    """A colour per section, for the local graphs."""
    related: Callable[[Note], Sequence[Note]] | None = None
    """Each note's related notes, when the caller keeps them (`make serve`: its session, where a
    save compares them); otherwise the garden ranks them."""
    _anchors: dict[str, str] = field(init=False, repr=False)
    """Each written form of a glossary term, with its entry's id on the glossary page."""
    _term_links: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False)
    """A term's link as drawn, by the glossary's URL (one per folder) and the term's `abbr`."""

    def __post_init__(self) -> None:
        self._anchors = {form: term.anchor for term in self.garden.glossary.values() for form in term.forms}

    def note(self, note: Note) -> NoteChrome:
        """What goes above and below `note`'s text. The note's trails show in both."""
        garden, href = self.garden, self.href
        trails = trail_navigation(note, garden, href)
        return NoteChrome(
            header=self.renderer.render("note_header.html", header=note_header(note, href, trails)),
            footer=self.renderer.render("note_footer.html", footer=note_footer(
                note, garden, href, trails, self.related(note) if self.related is not None else None),
                                        local_graph=local_graph(note, garden, href, self.colours)))

    def link_glossary_terms(self, content: str, note: Note) -> str:
        """Each glossary term in a note's content, outside links, made a link to its entry on the
        glossary page: a keyboard reaches it (and its definition shows on focus) and a tap leads
        to the whole entry and the notes that use the term."""
        if "<abbr" not in content:
            return content
        glossary = self.href(note.path, GLOSSARY_PAGE)

        def linked(match: re.Match[str]) -> str:
            anchor = self._anchors.get(html.unescape(match.group(1))) if match.group(1) is not None else None
            if anchor is None:
                return match.group(0)
            key = (f"{glossary}#{anchor}", match.group(0))
            if key not in self._term_links:
                self._term_links[key] = self.renderer.render("glossary_term.html", url=key[0],
                                                             term=Markup(key[1]))
            return self._term_links[key]

        return _TERM_OR_LINK.sub(linked, content)


LEAD_START = '<p class="garden-lead">'
"""How a note's page content opens: its summary as the lead paragraph (garden/wikilinks.py)."""


def after_lead(content: str, inserted: str) -> str:
    """`inserted` placed after the lead paragraph that opens a note's content (at the start when
    there is none): on a phone the note's first sentence comes before its contents list."""
    end = content.find("</p>") + len("</p>") if content.startswith(LEAD_START) else 0
    return f"{content[:end]}{inserted}{content[end:]}"
