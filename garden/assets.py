"""Which files of `docs/` other than notes the site publishes: an allowlist of types.

MkDocs copies every other file of `docs/` to the site as it is, on the site's own origin. A
contributor's `.html`, `.xhtml` or `.svg` opened directly runs its script there (an SVG image
is a document that may carry `<script>`), so only types that never run are accepted from
contributors: raster images and web fonts. The project's own scripts and styles, directly in
`docs/assets/`, run on every page: they are code, refused elsewhere, and a pull request that
changes them is flagged as a code change by `python -m garden diff` (garden/diff.py). Their
stylesheets may load nothing from another host: no `@import`, no `url()` with a host.

Deliberately refused: `.pdf` (a document format with its own scripting, and a large file;
link to the publisher's copy instead) and `.txt` (notes hold the text), besides `.html`,
`.htm`, `.xhtml`, `.xml`, `.svg`, `.json` and anything unknown.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from garden.conventions import MARKDOWN_SUFFIXES
from garden.html_policy import browser_url
from garden.problems import Problem

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
FONT_SUFFIXES = frozenset({".woff", ".woff2"})
CONTRIBUTED_SUFFIXES = IMAGE_SUFFIXES | FONT_SUFFIXES
"""What any folder of `docs/` may hold besides notes: files a browser shows and never runs."""
CODE_FOLDER = "assets"
CODE_SUFFIXES = frozenset({".js", ".css"})
"""The project's own scripts and styles: only directly in `docs/assets/`."""
MAX_CODE_BYTES = 512 * 1024
"""A stylesheet is read to be checked; the largest today is 14 KB."""


def is_code(path: str) -> bool:
    """Whether `path` (relative to `docs/`) is one of the project's own scripts or styles."""
    pure = PurePosixPath(path)
    return pure.parent.as_posix() == CODE_FOLDER and pure.suffix.lower() in CODE_SUFFIXES


def refused_because(path: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a file of `docs/` that is no note and may not be
    published; None for an accepted image, font, or the project's own script or style."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in CONTRIBUTED_SUFFIXES or is_code(path):
        return None
    if suffix in CODE_SUFFIXES:
        return (f"a '{suffix}' file runs on every page that loads it: the site's scripts and styles live "
                f"directly in docs/{CODE_FOLDER}/", "remove it, or propose it as a change to the site's code")
    if suffix in MARKDOWN_SUFFIXES:  # `.MD`: MkDocs, as the garden, reads only lower-case suffixes
        return f"a note must end in '.md', not '{PurePosixPath(path).suffix}'", "rename it to end in '.md'"
    if suffix == ".svg":
        return ("an SVG file can carry script, which would run on the site's own address when opened",
                "export the drawing as PNG or WebP, or draw a chart from data (charts/<name>.yml)")
    if suffix in {".html", ".htm", ".xhtml", ".xml", ".shtml", ".mht"}:
        return (f"a '{suffix}' file would be published as it is, script and all, beside the generated pages",
                "write it as a note (Markdown) instead")
    kind = f"'{suffix}' files" if suffix else "files without a type (no suffix)"
    return (f"{kind} are not published from docs/", "besides notes, docs/ may hold images ("
            + ", ".join(sorted(IMAGE_SUFFIXES)) + ") and fonts (.woff, .woff2): link to other documents "
            "where they are published")


def code_digest(data: bytes) -> str:
    """What identifies a version of a script or style, for `garden diff`."""
    return hashlib.sha256(data).hexdigest()


_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\n\r\f]?|(\n)|(.))", re.DOTALL)
_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
_URL = re.compile(r"""(?:\burl|\bsrc|image-set)\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*))""", re.IGNORECASE)
_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")


def _unescaped(css: str) -> str:
    """CSS with comments removed and escapes decoded (`\\40import` is `@import`, `\\2f` a slash),
    as a browser's tokenizer reads it before looking at names and URLs."""
    def decode(match: re.Match[str]) -> str:
        hexadecimal, newline, other = match.groups()
        if hexadecimal:
            code = int(hexadecimal, 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if newline else other
    return _ESCAPE.sub(decode, _COMMENT.sub(lambda comment: "\n" * comment.group().count("\n") or " ", css))


def stylesheet_problems(path: str, css: str) -> list[Problem]:
    """A stylesheet of the site may not load anything from another host: no `@import` (which
    could also pull in a whole second stylesheet past review), and no `url()`, `src()` or
    `image-set()` URL with a scheme or a host once read as a browser reads it."""
    text = _unescaped(css)
    problems = [Problem(path, _line(css, text, match.start()), "'@import' is not allowed in the site's "
                        "styles", "put the rules in this file: the site loads one stylesheet, and nothing "
                        "from another host") for match in _IMPORT.finditer(text)]
    for match in _URL.finditer(text):
        arguments = [next(filter(None, match.groups()), "")]
        if match.group(0).lower().startswith("image-set"):  # image-set("a.png" 1x, url(b.png) 2x)
            end = text.find(")", match.end())
            stop = end if end != -1 else len(text)
            arguments = [a or b for a, b in _STRING.findall(text, match.start(), stop)]
        for url in arguments:
            if _from_another_host(url):
                problems.append(Problem(path, _line(css, text, match.start()),
                                        f"the stylesheet loads '{url.strip()[:60]}' from another host",
                                        "save the file under docs/assets/ and refer to it relatively"))
    return problems


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _from_another_host(url: str) -> bool:
    """Whether a stylesheet's URL, read as a browser reads it, leaves the site (`data:` stays)."""
    value = browser_url(url)
    has_scheme = _SCHEME.match(value) is not None
    return value.startswith("//") or (has_scheme and not value.lower().startswith("data:"))


def _line(original: str, text: str, offset: int) -> int | None:
    """The line of `offset` in the unescaped text, when unescaping kept the lines as they were."""
    return text.count("\n", 0, offset) + 1 if original.count("\n") == text.count("\n") else None
