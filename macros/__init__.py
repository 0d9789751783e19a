"""mkdocs-macros functions for project pages (the home page): views of the garden model.

Only pages that opt in with `render_macros: true` are rendered; notes never are. The
garden is built by the hook in `on_files` and read here at call time. Every function
returns Markdown whose values are escaped, so a note title with `{{` stays text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from garden.config import garden_config
from garden.conventions import GLOSSARY_PAGE, SOURCE_INDEX, TRAIL_INDEX, section_index_path, trail_page_path
from garden.model import Garden
from garden.text import markdown_text, relative_link

Macro = TypeVar("Macro", bound=Callable[..., Any])


def define_env(env: Any) -> None:
    def macro(function: Macro) -> Macro:
        """mkdocs-macros' `env.macro`, with the function's own type kept."""
        env.macro(function)
        return function

    def garden() -> Garden:
        garden: Garden = env.variables["garden"]
        return garden

    def page_path() -> str:
        path: str = env.page.file.src_uri
        return path

    @macro
    def recent_changes(limit: int = 10) -> str:
        """The newest changelog entries: new notes and listed changes, kept out of the search
        index (Material's data-search-exclude): search finds the notes themselves."""
        lines = []
        for entry in garden().changes()[:limit]:
            link = relative_link(page_path(), entry.note.path)
            kind = "New" if entry.kind == "new" else "Updated"
            title = markdown_text(entry.note.title)
            what = markdown_text(entry.what)
            lines.append(f"- {entry.date.isoformat()} · **{kind}:** [{title}]({link}) — {what}")
        items = "\n".join(lines)
        return f'<div class="garden-recent" data-search-exclude markdown>\n\n{items}\n\n</div>'

    @macro
    def section_list() -> str:
        """Every section with its note count, linking to the section index."""
        options = garden_config(env.conf["extra"].get("garden"))[0]
        lines = []
        for section, notes in garden().sections().items():
            if section:
                link = relative_link(page_path(), section_index_path(section))
                lines.append(f"- [{markdown_text(options.section_title(section))}]({link}) "
                             f"({len(notes)} note{'s' * (len(notes) != 1)})")
        return "\n".join(lines)

    @macro
    def trail_list() -> str:
        """Every trail with its description and length, linking to the trail's page."""
        lines = []
        for trail in garden().trails.values():
            link = relative_link(page_path(), trail_page_path(trail.id))
            lines.append(f"- [{markdown_text(trail.title)}]({link}) — {markdown_text(trail.description)} "
                         f"({len(trail.notes)} notes)")
        return "\n".join(lines)

    @macro
    def reference_links() -> str:
        """Links to the trails index, the sources and the glossary, for those the garden has."""
        pages = [("Every trail", TRAIL_INDEX, garden().trails), ("Sources", SOURCE_INDEX, garden().sources),
                 ("Glossary", GLOSSARY_PAGE, garden().glossary)]
        return " · ".join(f"[{name}]({relative_link(page_path(), path)})" for name, path, present in pages
                          if present)

    @macro
    def note_count() -> int:
        return len(garden().notes)
