"""What HTML a page of `docs/` may publish: the policy, its report, and its enforcement.

Notes are Markdown written by anyone who opens a pull request, so the rendered HTML of every
page from `docs/` is held to an allowlist — what Material's Markdown extensions emit
(admonitions, details, tables, footnotes, attr_list classes and ids, md_in_html, code) and
no more: no script, no event handler or `style` attribute, no `javascript:` URL, no frame,
object, embed or form, and nothing loaded from another host (links *to* other sites are fine).

The policy is applied to HTML, never to Markdown by regular expression: whatever route the
Markdown takes (raw HTML, attr_list, a link's URL), what is checked is what a browser gets.
`violations` names what breaks the policy, so the editor learns what would be dropped, and
`sanitize` (nh3, the binding of the Rust sanitizer ammonia) enforces the same allowlist on
what is published, so even an unreported case can never run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from garden.problems import Problem

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var", "wbr",
})
"""Elements a page may contain: text structure, tables, figures, details, code."""

GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    "div": frozenset({"data-search-exclude"}),  # Material's search leaves the block out of its index
    "time": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
}
"""Attributes per element, besides the global ones. No `style`, no `on…` handler."""

URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes a link may use; a relative URL (no scheme) is always fine."""
SAFE_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
"""Inline raster images are the one `data:` URL allowed: an <img> never runs script."""

CONTENT_DROPPED = frozenset({"script", "style", "template", "iframe", "object", "noscript", "textarea",
                             "svg", "math", "xmp", "noembed", "noframes", "plaintext", "select"})
"""Elements whose content goes with them, not only the tags."""


@dataclass(frozen=True)
class Violation:
    """One thing in a page's HTML that the policy refuses."""

    what: str
    """Shown to the editor: `<script> element`, `onerror attribute on <img>`, …"""
    needle: str
    """Text to look for in the Markdown source to find the line."""
    hint: str


@dataclass(frozen=True)
class HtmlReport:
    """What one walk over a page's HTML found."""

    violations: tuple[Violation, ...]
    """Everything the policy refuses, in document order, each once."""
    urls: tuple[str, ...]
    """Every link and image URL, for checking that relative ones resolve."""


def inspect_html(html: str) -> HtmlReport:
    """Walk `html` once: what the policy refuses, and the URLs it links to or loads."""
    finder = _ViolationFinder()
    finder.feed(html)
    finder.close()
    return HtmlReport(tuple(dict.fromkeys(finder.found)), tuple(finder.urls))


def enforce(html: str) -> tuple[str, tuple[Violation, ...]]:
    """What the build publishes for a page (`html` sanitised), and what the policy refused in it.

    nh3 always has the last word. The detailed walk, which names what was refused, runs only
    when sanitising removed an element or an attribute: comparing the two documents' element
    and attribute names costs far less than walking every page in Python, and nh3 keeps both.
    """
    sanitized = sanitize(html)
    if _names(sanitized) == _names(html):
        return sanitized, ()
    return sanitized, inspect_html(html).violations


_TAG_OR_ATTRIBUTE = re.compile(r"<([A-Za-z][\w-]*)|\s([A-Za-z_:][\w:.-]*)\s*=")


def _names(html: str) -> list[tuple[str, str]]:
    """Element and attribute names in document order (values and serialisation aside)."""
    return [(tag.lower(), attribute.lower()) for tag, attribute in _TAG_OR_ATTRIBUTE.findall(html)]


def policy_problems(path: str, body: str, body_line: int, violations: Iterable[Violation]) -> list[Problem]:
    """One problem per violation, on the line of the source where its text first appears."""
    return [Problem(path, line_of(body, body_line, violation.needle), f"{violation.what} is not allowed",
                    violation.hint) for violation in violations]


def line_of(body: str, body_line: int, needle: str) -> int | None:
    """The file line where `needle` first appears in `body` (case-insensitive), if it does."""
    offset = body.lower().find(needle.lower()) if needle else -1
    return body_line + body.count("\n", 0, offset) if offset != -1 else None


def browser_url(url: str) -> str:
    """`url` as a browser's URL parser reads it (WHATWG URL standard), for the same-host test.

    The HTML parser has already decoded entities (`&#92;` is a backslash by now). The URL
    parser then strips leading and trailing control characters and spaces, removes every tab
    and line break inside, and, on an http(s) page, reads a backslash as a slash:
    `\\\\evil.example/x.png` is `//evil.example/x.png`, another host. Other control characters
    and whitespace are removed too (they are never part of a scheme or a host name, so this
    can only make a URL look more foreign, never less). Percent-encoding is left alone, as
    browsers leave it: `%68ttps://…` has no scheme and stays on the site."""
    return _CONTROL_OR_SPACE.sub("", url).replace("\\", "/")


_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f\s]+")


def url_allowed(tag: str, attribute: str, url: str) -> bool:
    """A link may go anywhere over http(s) or mailto; anything the page *loads* must be ours."""
    value = browser_url(url)
    parts = urlsplit(value)
    if tag == "img" and attribute == "src" and SAFE_IMAGE.match(url.strip()):
        return True
    if attribute == "href" and tag == "a":
        return not parts.scheme or parts.scheme.lower() in LINK_SCHEMES
    if attribute == "cite":
        return not parts.scheme or parts.scheme.lower() in {"http", "https"}
    return not parts.scheme and not parts.netloc and not value.startswith("//")


RESERVED_NAME_PREFIXES = ("__", "md-", "garden-")
"""Ids and classes the page around a note owns: Material's (`__config`, the JSON its scripts
and `assets/previews.js` read their settings from, `__search`, `__drawer`, `__toc`, `md-*`
classes its scripts look up) and the garden's chrome (`garden-*`, which `assets/graph.js`
looks up). A note's element comes first in the page, so it would be the one found."""
GARDEN_CONTENT_CLASSES = frozenset({"garden-lead", "garden-recent", "garden-tag", "garden-embed"})
"""The garden's classes that it writes into a page's own Markdown, so they pass the policy:
a note's lead paragraph and the `#tags` of its text (garden/wikilinks.py), the frame of an
embedded note (garden/embeds.py) and the home page's recent changes (garden/project_pages.py).
They only style; no script looks them up."""


def reserved_name(attribute: str, value: str) -> str | None:
    """The first id or class in `value` that the theme or the garden's chrome owns, if any."""
    names = value.split() if attribute == "class" else [value.strip()] if attribute == "id" else []
    return next((name for name in names if name.lower().startswith(RESERVED_NAME_PREFIXES)
                 and name not in GARDEN_CONTENT_CLASSES), None)


def sanitize(html: str, resolve: Callable[[str], str] | None = None) -> str:
    """`html` with everything outside the policy removed (nh3), for publishing; `resolve`, when
    given, rewrites each allowed relative link or image URL (a feed item has no base URL)."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES and not url_allowed(tag, attribute, value):
            return None
        if reserved_name(attribute, value):  # the whole attribute: `enforce` then sees it go
            return None
        if resolve is not None and attribute in ("href", "src") and _RELATIVE.match(value):
            return resolve(value)
        return value

    return nh3.clean(html, tags=set(ALLOWED_TAGS), clean_content_tags=set(CONTENT_DROPPED),
                     attributes={"*": set(GLOBAL_ATTRIBUTES),
                                 **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
                     attribute_filter=keep, link_rel=None, strip_comments=False,
                     url_schemes=set(LINK_SCHEMES) | {"data"})


_RELATIVE = re.compile(r"(?![A-Za-z][A-Za-z0-9+.-]*:|/)")
"""A URL with no scheme and no leading slash: relative to the page."""


class _ViolationFinder(HTMLParser):
    """Walks the HTML once and records each tag, attribute and URL outside the policy."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Violation] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(Violation(f"the HTML element <{tag}>", f"<{tag}", _TAG_HINTS.get(
                tag, "write it in Markdown, or leave it out: notes may use only the HTML Markdown produces")))
            return
        allowed = GLOBAL_ATTRIBUTES | ATTRIBUTES.get(tag, frozenset())
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]
        for name, value in attrs:
            if name not in allowed:
                hint = ("event handlers never run on this site: remove it" if name.startswith("on") else
                        "style the page with classes from the theme instead" if name == "style" else
                        f"<{tag}> may carry only: {', '.join(sorted(allowed))}")
                self.found.append(Violation(f"the attribute '{name}' on <{tag}>", name, hint))
            elif name in URL_ATTRIBUTES and value is not None and not url_allowed(tag, name, value):
                self.found.append(Violation(f"the URL '{_shorten(value)}' in <{tag} {name}>",
                                            value.strip()[:40], _url_hint(tag, name)))
            elif value is not None and (reserved := reserved_name(name, value)):
                self.found.append(Violation(f"the {name} '{_shorten(reserved)}' on <{tag}>", reserved,
                                            _RESERVED_HINT))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


_TAG_HINTS = {
    "script": "notes never run script: remove it",
    "style": "notes cannot restyle the site: remove it",
    "iframe": "embedded pages load from another host: link to the page instead",
    "object": "embedded objects are not allowed: link to the file instead",
    "embed": "embedded objects are not allowed: link to the file instead",
    "form": "forms are not allowed in notes: remove it",
    "input": "forms are not allowed in notes: remove it",
    "video": "media would load from another host or be a large file: link to it instead",
    "audio": "media would load from another host or be a large file: link to it instead",
    "svg": "inline SVG can carry script: export the drawing as PNG or WebP beside the note: ![…](file.png)",
}


_RESERVED_HINT = (f"ids and classes starting with {', '.join(RESERVED_NAME_PREFIXES)} belong to the theme "
                  "and the garden's own page: choose another name")


def _url_hint(tag: str, attribute: str) -> str:
    if tag == "a":
        return "links may use http:, https: or mailto:, or be relative"
    return ("pages load nothing from another host: save the file under docs/ and link it relatively "
            "(inline images may be base64 PNG, JPEG, GIF or WebP)")


def _shorten(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "…"
