"""mkdocs-macros functions for project pages (the home page): views of the garden model.

Only pages that opt in with `render_macros: true` are rendered; notes never are. The
garden is built by the hook in `on_files` and read here at call time. Every function
returns Markdown whose values are escaped, so a note title with `{{` stays text.
"""

from __future__ import annotations

from typing import Any

from garden.config import garden_config
from garden.model import Garden
from garden.conventions import section_index_path
from garden.pages import section_title
from garden.text import markdown_text, relative_link


def define_env(env: Any) -> None:
    def garden() -> Garden:
        return env.variables["garden"]

    def page_path() -> str:
        return env.page.file.src_uri

    @env.macro
    def recent_changes(limit: int = 10) -> str:
        """The newest changelog entries: new notes and listed changes."""
        lines = []
        for entry in garden().changes()[:limit]:
            link = relative_link(page_path(), entry.note.path)
            kind = "New" if entry.kind == "new" else "Updated"
            lines.append(f"- {entry.date.isoformat()} · **{kind}:** [{markdown_text(entry.note.title)}]({link})"
                         f" — {markdown_text(entry.what)}")
        return "\n".join(lines)

    @env.macro
    def section_list() -> str:
        """Every section with its note count, linking to the section index."""
        titles = garden_config(env.conf["extra"].get("garden"))[0].sections
        lines = []
        for section, notes in garden().sections().items():
            if section:
                link = relative_link(page_path(), section_index_path(section))
                lines.append(f"- [{markdown_text(section_title(section, titles))}]({link}) "
                             f"({len(notes)} note{'s' * (len(notes) != 1)})")
        return "\n".join(lines)

    @env.macro
    def note_count() -> int:
        return len(garden().notes)
