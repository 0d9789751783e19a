"""mkdocs-macros' side of project pages (the home page): the page as the garden rendered it.

mkdocs-macros 1.5 renders with a plain `jinja2.Environment`, built in its `on_config` with no
option for a sandbox, and a template's context holds MkDocs' whole configuration, every page
and file, git and system details; on an error it exits or prints a traceback into the page.
So it renders nothing here: no macro is declared to it, `render_by_default` is false, and
MkDocs never sees a page's `render_macros` (the hook hands MkDocs the checked metadata).

Project pages are rendered by `garden/project_pages.py` (Jinja's immutable sandbox, the
garden's macros alone, a published-only view), the one path `python -m garden check` takes
too. The plugin's own extension point before it would render a page, `on_pre_page_macros`,
puts that rendering in place of the page's Markdown.
"""

from __future__ import annotations

from typing import Any

RENDERED_PAGES = "garden_project_pages"
"""The plugin variable in which the hook shares the rendered project pages, by path."""


def on_pre_page_macros(env: Any) -> None:
    """A project page's Markdown becomes the garden's rendering of it; other pages stay as
    they are (and a project page with problems is replaced by them in the hook)."""
    rendered = env.variables.get(RENDERED_PAGES, {}).get(env.page.file.src_uri)
    if rendered is not None:
        env.markdown = rendered
