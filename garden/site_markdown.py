"""Markdown to HTML without MkDocs, for `python -m garden check`.

The check holds each page's HTML to the raw-HTML policy, as the build does with MkDocs' own
rendering (links and anchors are judged from garden/links.py's parse, in check and build
alike). It renders with Python-Markdown and the extensions mkdocs.yml lists, plus the three
MkDocs always adds, configured the same way; so what the check sees is what a reader's
browser would get. garden/links.py parses with the same configuration.
"""

from __future__ import annotations

from typing import Any

import markdown

from garden.problems import Problem

MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
"""Extensions MkDocs loads whatever mkdocs.yml says (`markdown_extensions`' builtins)."""


def markdown_renderer(extensions: list[Any], shown_as: str = "mkdocs.yml"
                      ) -> tuple[markdown.Markdown | None, list[Problem]]:
    """A Markdown instance configured like MkDocs from `markdown_extensions`, or a problem."""
    names: list[str] = list(MKDOCS_BUILTINS)
    configs: dict[str, dict[str, Any]] = {}
    for item in extensions or []:
        name, config = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(str(name))
        if isinstance(config, dict):
            configs[str(name)] = config
    try:
        return markdown.Markdown(extensions=names, extension_configs=configs), []
    except Exception as error:  # any extension may fail to load; MkDocs would stop too
        return None, [Problem(shown_as, None, f"the Markdown extensions cannot be loaded: {error}",
                              "fix 'markdown_extensions' in mkdocs.yml", in_docs=False)]


def render(renderer: markdown.Markdown, text: str) -> str:
    """`text` as HTML; the instance is reset so one page's footnotes and ids never leak into the next."""
    return renderer.reset().convert(text)
