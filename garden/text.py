"""Safe ways to put note values into generated Markdown and HTML.

Every front-matter value that reaches a generated page goes through one of these, so a
title like `<img src=x onerror=alert(1)>` or `{{ 7*7 }}` is shown as text everywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!>.-])")


def markdown_text(value: str) -> str:
    """`value` as literal text inside Markdown: HTML-escaped, Markdown punctuation escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def html_text(value: str) -> str:
    """`value` as literal text (or attribute value) inside HTML."""
    return html.escape(value, quote=True)


_INLINE_OPENERS = str.maketrans({"[": "&#91;", "]": "&#93;", "`": "&#96;", "\\": "&#92;"})


def markdown_link_title(value: str) -> str:
    """`value` as the quoted title of a Markdown link, `[text](url "title")`: HTML-escaped, and
    brackets, backticks and backslashes as character references. Python-Markdown looks for
    code spans and references before links, across the whole paragraph: a title's `[` would be
    read to the paragraph's end once per link to the note (minutes for a paragraph of links),
    and its backtick would open a code span across the links that follow."""
    return html_text(value).translate(_INLINE_OPENERS)


Href = Callable[[str, str], str]
"""`href(from_path, to_path)`: the URL of one source file's page as seen from another's.

Source paths are relative to `docs/`; the adapter knows how MkDocs turns them into URLs."""


def relative_path(from_path: str, to_path: str) -> str:
    """The path from one file to another, both relative to the same root (`a/b.md`, `a/b/`).

    A hot path (every link of every page): plain string work, unlike `posixpath.relpath`.
    """
    source, target = from_path.split("/")[:-1], to_path.split("/")
    common = 0
    while common < min(len(source), len(target) - 1) and source[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + target[common:])


def relative_link(from_path: str, to_path: str) -> str:
    """A Markdown link target from one source file to another, both relative to `docs/`."""
    return quote(relative_path(from_path, to_path))
