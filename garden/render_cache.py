"""A content-addressed cache on disk of what costs most per note and depends on little: the
links parse of its body (garden/links.py) and its rendered page (MkDocs' Markdown render and the
HTML policy's sanitising, garden/html_policy.py).

Why it is safe to keep: each entry is keyed by a hash of everything its value is a function of —
the exact text, the Markdown extensions and their configuration, the versions of the packages
that render (Markdown, pymdown-extensions and whatever provides each extension; the engine,
nh3, the theme), Python's version (Python-Markdown reads raw HTML with the standard library's
parser), and the source of the garden's modules that shape the value. A change to any of them
is a different key, so nothing is ever invalidated by hand. An extension that no installed
package provides (a module of the project, whose code has no version) turns the cache off.

Why it is safe to read: an entry is untrusted input (a CI cache is restored from an earlier run,
a folder may be shared or damaged). Entries are JSON, never pickle; one that is unreadable,
too large, truncated, of another format, stored under another key or of the wrong shape is a
miss: the value is made again and the entry replaced. Entries are written whole (a temporary
file, then a rename), so a build running beside this one reads a whole entry or none.

Why it stays small: an entry is a few KB (a page's HTML; a parse's links). A build keeps at most
`KEPT_PER_NOTE` entries per note of each kind (and `KEPT_AT_LEAST`): when there are more, the
least recently used go first (a hit refreshes its entry's modification time). An edited note's
old entries go once enough edits have piled up; the current site's never do.

`GARDEN_CACHE_DIR` names the folder (CI restores and saves it), by default `.cache/garden/` in
the project; an empty folder is a cold build, and the built site is the same byte for byte
whatever the cache holds.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import sys
import sysconfig
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeGuard, TypeVar

from garden import html_policy, links, site_markdown
from garden.html_policy import Violation
from garden.links import FoundLink, LinkParser, ParsedBody, ParsedHeading

ENTRY_FORMAT = 1
"""The layout of an entry; a new layout is a new number (old entries are then misses)."""

MAX_ENTRY_BYTES = 8 << 20
"""A page's HTML is some KB; an entry larger than this is not one the garden wrote."""

KEPT_PER_NOTE, KEPT_AT_LEAST = 4, 256
"""Entries of each kind kept: four per note (the current one and a few past versions of the
notes being edited), at least 256."""

_STALE_TEMPORARY = 3600
"""Seconds after which a temporary file is one a killed build left (a live write takes ms)."""


def cache_root(project_dir: Path) -> Path:
    """The cache folder: `GARDEN_CACHE_DIR` (CI keeps it between runs), else the project's
    `.cache/garden/`. Each kind of entry has its own folder in it (cards, parses, pages)."""
    return Path(os.environ.get("GARDEN_CACHE_DIR") or project_dir / ".cache" / "garden")


# --- the store ---------------------------------------------------------------------------------


class Store:
    """A folder of JSON entries by key. Every failure to read or write is a miss, never an error.

    The folder is listed once, when the store is made: a key it did not hold then (or that was
    not written since) is a miss without a look at the disk, so a cold build pays nothing for
    its misses."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._path = str(folder)
        try:
            with os.scandir(folder) as listing:
                self._held = {item.name for item in listing if item.name.endswith(".json")}
            self._made = True
        except OSError:
            self._held, self._made = set(), False

    def read(self, key: str) -> Any:
        """The value stored under `key`, or None: no entry, or one that is not a whole entry
        of this format for this key."""
        name = f"{key}.json"
        if name not in self._held:
            return None
        entry = os.path.join(self._path, name)
        try:
            with open(entry, "rb") as file:
                data = file.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        if len(data) > MAX_ENTRY_BYTES:
            return None
        try:
            stored = json.loads(data)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, truncated, absurdly nested
            return None
        if not isinstance(stored, dict) or stored.get("format") != ENTRY_FORMAT or stored.get("key") != key:
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used: kept by `prune`
        return stored.get("value")

    def write(self, key: str, value: Any) -> None:
        """Store `value` (plain JSON data) under `key`, whole or not at all: written to a file
        of this process's own, then renamed over the entry."""
        data = json.dumps({"format": ENTRY_FORMAT, "key": key, "value": value}, ensure_ascii=False,
                          separators=(",", ":")).encode()
        name = f"{key}.json"
        temporary = os.path.join(self._path, f".{key}.{os.getpid()}.tmp")
        try:
            if not self._made:
                os.makedirs(self._path, exist_ok=True)
                self._made = True
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, os.path.join(self._path, name))
            self._held.add(name)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def prune(self, notes: int) -> None:
        """Keep the `KEPT_PER_NOTE` × `notes` (at least `KEPT_AT_LEAST`) most recently used
        entries; remove the others, and temporary files a killed build left behind."""
        keep = max(KEPT_AT_LEAST, KEPT_PER_NOTE * notes)
        try:
            with os.scandir(self.folder) as listing:
                names = [item.name for item in listing]
        except OSError:
            return
        entries = [name for name in names if name.endswith(".json")]
        temporary = [name for name in names if name.endswith(".tmp")]
        if len(entries) <= keep and not temporary:
            return
        used: list[tuple[float, str]] = []
        for name in entries + temporary:
            try:
                used.append((os.stat(self.folder / name).st_mtime, name))
            except OSError:
                continue
        now = time.time()
        stale = [name for mtime, name in used if name.endswith(".tmp") and now - mtime > _STALE_TEMPORARY]
        by_use = sorted((item for item in used if item[1].endswith(".json")), reverse=True)
        for name in stale + [name for _, name in by_use[keep:]]:
            (self.folder / name).unlink(missing_ok=True)
            self._held.discard(name)


# --- keys --------------------------------------------------------------------------------------


class _Unkeyable(Exception):
    """A configuration value whose effect the cache cannot name (it then stays off)."""


def digest(*parts: str) -> str:
    """The key of `parts`: each is hashed after its length, so no two lists of parts share one."""
    hashed = hashlib.sha256()
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        hashed.update(b"%d:" % len(encoded))
        hashed.update(encoded)
    return hashed.hexdigest()


def _code_digest(*files: str | None) -> str:
    """A hash of the garden's modules that shape an entry."""
    return digest(*(Path(file or "").read_text(encoding="utf-8") for file in files))


PARSE_CODE = _code_digest(links.__file__, site_markdown.__file__, __file__)
PAGE_CODE = _code_digest(html_policy.__file__, __file__)
"""The code that makes a parse, and a page's entry, hashed as it is imported: a server that keeps
running while that code is edited (it asks for a restart) keys entries by the code it runs."""


def salt(extensions: Sequence[Any], configs: Mapping[str, Any], packages: Sequence[str], code: str,
         *settings: Any) -> str | None:
    """What every key of one kind shares: the extensions and their configuration, what is
    installed beside the packages that provide them (`_installed`), the versions of `packages`,
    Python's, `code` (a hash of the garden's code that makes the value) and `settings`.
    None: some extension or option comes from code that is not installed (the project's own,
    whose code has no version), so nothing can be cached."""
    try:
        described = json.dumps([_plain_extensions(extensions), configs, settings], sort_keys=True,
                               default=_callable_name)
    except (_Unkeyable, TypeError, ValueError):
        return None
    installed = [_installed(_extension_module(item)) for item in extensions]
    if None in installed:
        return None
    versions = {name: _version(name) for name in packages}
    return digest(str(ENTRY_FORMAT), sys.version, described,
                  json.dumps([versions, sorted(set(installed), key=str), code], sort_keys=True))


def _plain_extensions(extensions: Sequence[Any]) -> list[Any]:
    """Extensions as data: a name, or {name: config}, as written. An Extension object holds a
    configuration the cache cannot read: renders are then not cached."""
    if any(not isinstance(item, (str, dict)) for item in extensions):
        raise _Unkeyable("an Extension object")
    return list(extensions)


def _extension_module(item: Any) -> str:
    """The module an extension comes from: `toc` is Markdown's entry point, `pymdownx.mark` a module."""
    name = str(next(iter(item)) if isinstance(item, dict) else item)
    return _entry_points().get(name, name).partition(":")[0]


@functools.cache
def _entry_points() -> Mapping[str, str]:
    return {point.name: point.value for point in importlib.metadata.entry_points(group="markdown.extensions")}


def _callable_name(value: Any) -> str:
    """A function in a configuration (a custom fence's formatter, a slugify) by its name, when
    it is installed code; anything else cannot be keyed."""
    module = getattr(value, "__module__", None)
    if callable(value) and isinstance(module, str) and _installed(module):
        return f"{module}.{getattr(value, '__qualname__', '')}"
    raise _Unkeyable(repr(value))


@functools.cache
def _installed(module: str) -> tuple[str, ...] | None:
    """Every package installed where `module` is (the names and versions of the folder's
    `*.dist-info`: any install or upgrade there changes it), or None if `module` is not in a
    folder of installed packages. Listing the folder costs a few ms; asking which distribution
    provides a module reads every installed package's file list (half a second)."""
    top = module.partition(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:  # a package: the folder that holds its folder
        folders = [Path(location).parent for location in spec.submodule_search_locations]
    elif spec.origin and spec.has_location:
        folders = [Path(spec.origin).parent]
    else:  # built into Python (sys.version keys it)
        return ("python",)
    if any(folder == Path(sysconfig.get_paths()["stdlib"]) for folder in folders):
        return ("python",)
    try:
        listed = sorted(name for folder in folders for name in os.listdir(folder)
                        if name.endswith(".dist-info"))
    except OSError:
        return None
    return tuple(listed) or None


@functools.cache
def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


# --- the links parse ---------------------------------------------------------------------------


class CachedLinkParser(LinkParser):
    """garden/links.py's parser, its parses kept on disk: a parse is a function of the text and
    of what `salt` names, so a body seen before (by any build) is not parsed again."""

    def __init__(self, extensions: Sequence[Any], folder: Path) -> None:
        super().__init__(extensions)
        self.store = Store(folder / "parses")
        self._salt = salt(extensions, {}, ("markdown",), PARSE_CODE)

    def parse(self, text: str) -> ParsedBody:
        if self._salt is None or self.problems:
            return super().parse(text)
        key = digest(self._salt, text)
        parsed = _parsed_body(self.store.read(key))
        if parsed is None:
            parsed = super().parse(text)
            self.store.write(key, _parsed_data(parsed))
        return parsed


def _parsed_data(parsed: ParsedBody) -> dict[str, Any]:
    return {"links": [[link.url, link.image, link.raw_html] for link in parsed.links],
            "anchors": sorted(parsed.anchors),
            "headings": [[heading.level, heading.anchor, heading.text] for heading in parsed.headings],
            "references": parsed.references}


def _parsed_body(data: Any) -> ParsedBody | None:
    """The parse an entry holds, or None if it holds anything else."""
    if not isinstance(data, dict):
        return None
    found, anchors, headings, references = (data.get(name) for name in
                                            ("links", "anchors", "headings", "references"))
    if not (_rows(found, (str, bool, bool)) and _strings(anchors) and _rows(headings, (int, str, str))
            and _string_map(references)):
        return None
    return ParsedBody(tuple(FoundLink(*link) for link in found), frozenset(anchors),
                      tuple(ParsedHeading(*heading) for heading in headings), dict(references))


def _strings(values: Any) -> TypeGuard[Iterable[str]]:
    return isinstance(values, Iterable) and not isinstance(values, str) and all(
        isinstance(value, str) for value in values)


def _string_map(value: Any) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(isinstance(key, str) and isinstance(text, str)
                                           for key, text in value.items())


def _rows(rows: Any, types: tuple[type, ...]) -> TypeGuard[list[list[Any]]]:
    """Whether `rows` is a list of lists holding exactly values of `types` (no bool for an int)."""
    return isinstance(rows, list) and all(
        isinstance(row, list) and len(row) == len(types)
        and all(type(value) is kind for value, kind in zip(row, types, strict=True)) for row in rows)


# --- rendered pages ----------------------------------------------------------------------------


class TocItem(Protocol):
    """An entry of a page's table of contents, as the engine holds it (MkDocs' `AnchorLink`)."""

    title: str
    id: str
    level: int

    @property
    def children(self) -> Sequence[TocItem]: ...


Target = tuple[str, bool] | None
"""What looking a path up among the site's files gave a render: the file's URL and whether it
is excluded from the site; None: no such file."""


@dataclass(frozen=True)
class RenderedPage:
    """Everything a page's render gives the rest of the build, as plain data."""

    html: str
    """Sanitised (html_policy.enforce): what the page publishes."""
    violations: tuple[Violation, ...]
    """What the policy refused in the HTML as rendered: reported again on every build."""
    toc: list[dict[str, Any]]
    """The table of contents, as Python-Markdown's toc tokens (level, id, name, children)."""
    anchors: frozenset[str]
    """Every id the page holds (what links to `page#id` are validated against)."""
    title: str | None
    """The text of the page's first `<h1>`, if it opens with one."""
    links_to_anchors: dict[str, dict[str, str]]
    """Links to `#anchors` of pages, by the target's source path: anchor → link as written."""
    lookups: dict[str, Target]
    """Every path the render looked up among the site's files, with what it found: the
    render is the same only while each lookup finds the same."""


def toc_tokens(items: Iterable[TocItem]) -> list[dict[str, Any]]:
    """A table of contents back as the tokens it was made from (MkDocs' `get_toc` remakes it)."""
    return [{"level": item.level, "id": item.id, "name": item.title, "children": toc_tokens(item.children)}
            for item in items]


class PageCache:
    """Rendered pages on disk, by the exact Markdown the engine renders and what else the render
    reads (the page's path and URL, the `settings` given: URL style, link validation levels)."""

    def __init__(self, folder: Path, extensions: Sequence[Any], configs: Mapping[str, Any],
                 engine_packages: Sequence[str], *settings: Any) -> None:
        self.store = Store(folder / "pages")
        self._salt = salt(extensions, configs, ("markdown", "nh3", *engine_packages),
                          PAGE_CODE, *settings)

    def key(self, markdown: str, path: str, url: str) -> str | None:
        """The key of a page's render; None when renders cannot be cached (see `salt`)."""
        return digest(self._salt, path, url, markdown) if self._salt is not None else None

    def read(self, key: str, lookup: Callable[[str], Target]) -> RenderedPage | None:
        """The render stored under `key` if there is a whole one and every file it looked up is
        still what it was (`lookup`: the site's files now)."""
        page = _rendered_page(self.store.read(key))
        if page is None or any(lookup(path) != target for path, target in page.lookups.items()):
            return None
        return page

    def find(self, markdown: str, path: str, url: str, lookup: Callable[[str], Target]) -> PageRender:
        """The render of `markdown` at `path` and `url`: the stored one if `read` finds it,
        else one for the engine to make (and `write`, if it may)."""
        key = self.key(markdown, path, url)
        return PageRender(key, self.read(key, lookup) if key is not None else None)

    def write(self, key: str, page: RenderedPage) -> None:
        self.store.write(key, {
            "html": page.html, "violations": [[v.what, v.needle, v.hint] for v in page.violations],
            "toc": page.toc, "anchors": sorted(page.anchors), "title": page.title,
            "links_to_anchors": page.links_to_anchors,
            "lookups": {path: list(target) if target else None for path, target in page.lookups.items()}})


@dataclass
class PageRender:
    """One page's render: found in the cache, or made by the engine and watched (`RenderWatch`)
    to be stored."""

    key: str | None
    """None: renders cannot be cached (`salt`)."""
    found: RenderedPage | None = None
    lookups: dict[str, Target] | None = None
    """What the engine's watched render looked up; None: it logged something, and is not stored."""


def _rendered_page(data: Any) -> RenderedPage | None:
    """The render an entry holds, or None if it holds anything else."""
    if not isinstance(data, dict):
        return None
    html, violations, toc, anchors, title = (data.get(name) for name in
                                             ("html", "violations", "toc", "anchors", "title"))
    to_anchors, lookups = data.get("links_to_anchors"), data.get("lookups")
    if not (isinstance(html, str) and _rows(violations, (str, str, str)) and _toc(toc) and _strings(anchors)
            and (title is None or isinstance(title, str)) and isinstance(to_anchors, dict)
            and all(_string_map(links) for links in to_anchors.values())
            and isinstance(lookups, dict)
            and all(target is None or _rows([target], (str, bool)) for target in lookups.values())):
        return None
    targets = {path: (target[0], target[1]) if target else None for path, target in lookups.items()}
    return RenderedPage(html, tuple(Violation(*violation) for violation in violations), toc,
                        frozenset(anchors), title, to_anchors, targets)


def _toc(tokens: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(tokens, list) and all(
        isinstance(token, dict) and set(token) == {"level", "id", "name", "children"}
        and type(token["level"]) is int and isinstance(token["id"], str) and isinstance(token["name"], str)
        and _toc(token["children"]) for token in tokens)


F = TypeVar("F")


class RenderWatch(Generic[F]):
    """One render watched, to know whether it may be cached and on what it depends: every file
    it looks up (through `lookup`, which the engine's lookup is replaced by meanwhile) and
    whether anything was logged (at INFO or above) on `loggers`. A render that logged something
    (a link the engine could not resolve, say) is not cached: a later build that renders the
    same page must log it again."""

    def __init__(self, lookup: Callable[[str], F | None], describe: Callable[[F | None], Target],
                 loggers: Iterable[logging.Logger]) -> None:
        self._lookup, self._describe = lookup, describe
        self.lookups: dict[str, Target] = {}
        self._handler = _Heard()
        self._loggers = list(dict.fromkeys(loggers))
        for logger in self._loggers:
            logger.addHandler(self._handler)

    def lookup(self, path: str) -> F | None:
        found = self._lookup(path)
        self.lookups[path] = self._describe(found)
        return found

    def finish(self) -> dict[str, Target] | None:
        """Stop watching: the files looked up, or None if the render logged anything."""
        for logger in self._loggers:
            logger.removeHandler(self._handler)
        return None if self._handler.heard else self.lookups


class _Heard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.heard = False

    def emit(self, record: logging.LogRecord) -> None:
        self.heard = True

