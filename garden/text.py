"""Safe ways to put note values into generated Markdown and HTML.

Every front-matter value that reaches a generated page goes through one of these, so a
title like `<img src=x onerror=alert(1)>` or `{{ 7*7 }}` is shown as text everywhere.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import quote

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!>.-])")


def markdown_text(value: str) -> str:
    """`value` as literal text inside Markdown: HTML-escaped, Markdown punctuation escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def html_text(value: str) -> str:
    """`value` as literal text (or attribute value) inside HTML."""
    return html.escape(value, quote=True)


def relative_link(from_path: str, to_path: str, anchor: str | None = None) -> str:
    """A Markdown link target from one source file to another, both relative to `docs/`."""
    target = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    return quote(target) + (f"#{quote(anchor)}" if anchor else "")
