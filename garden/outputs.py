"""Every path the site writes, known before anything is written: one namespace of outputs.

MkDocs writes notes, project pages and copied files of `docs/`, the garden adds generated
pages, feeds, previews, charts, share cards and redirect pages, and Material adds its scripts, styles,
search index, sitemap and 404 page. Two of them at one address replace each other without
a word, and a *folder* where a file must go (`docs/feed.xml/`) ends the build with a
traceback. Addresses are also compared as a case-insensitive file system compares them
(macOS and Windows, where contributors check out the repository): `Growth.md` and
`growth.md`, or `café.md` written composed and decomposed, are one file there.

The site's own outputs claim their addresses first; then the files of `docs/`, Markdown
first, each in path order, so the same file is refused on every run, with a problem naming
what holds the address. Imports nothing from MkDocs: `check` and the build share it.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from garden.conventions import (
    CARDS_DIR,
    CHARTS_DIR,
    MARKDOWN_SUFFIXES,
    PREVIEWS_DIR,
    generated_paths,
    section_index_path,
)

THEME_FOLDERS = ("assets/javascripts", "assets/stylesheets", "assets/images", "search")
"""Folders whose every file is Material's (its bundle, lunr, favicon) or the search plugin's."""
THEME_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz")
"""Files at the root that MkDocs and Material write from their templates."""


@functools.lru_cache(maxsize=1 << 16)
def output_path(source: str, use_directory_urls: bool = True) -> str:
    """Where MkDocs writes what is made from `source` (a path of `docs/`, or of a generated
    page): a page `a/b.md` at `a/b/index.html` (`a/b.html` without directory URLs), an
    `index.md` or `README.md` at its folder's `index.html`, any other file as it is. Cached
    like `folded`: every save of `make serve` asks again for every file."""
    if not source.endswith(MARKDOWN_SUFFIXES):
        return source
    folder, slash, name = source.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    if stem in ("index", "README"):
        return f"{folder}{slash}index.html"
    return f"{folder}{slash}{stem}/index.html" if use_directory_urls else f"{folder}{slash}{stem}.html"


@functools.lru_cache(maxsize=1 << 16)
def folded(path: str) -> str:
    """How a case-insensitive, normalisation-insensitive file system compares names: NFKC
    with case folded (`Café`, `cafe\u0301`, `CAFÉ` are one name; so are `ﬁle` and `file`).
    Cached: every build, and every save of `make serve`, folds every file's address."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", path).casefold())


@dataclass(frozen=True)
class Claim:
    """An output path and what writes it."""

    output: str
    owner: str
    """How a problem names the writer: a file of `docs/` (`career/x.md`), or the generated
    output in words (`the generated page tags/career.md`)."""
    source: str | None = None
    """The file of `docs/` or of the project that makes it, if one does."""


class Namespace:
    """The outputs claimed so far, by folded path: files, and the folders they need."""

    def __init__(self, use_directory_urls: bool = True) -> None:
        self.use_directory_urls = use_directory_urls
        self._files: dict[str, Claim] = {}
        self._folders: dict[str, Claim] = {}
        """Each folder some output sits in, with the first output that needed it; a folder
        owned as a whole (the theme's) holds a claim whose output is the folder itself."""

    def output_of(self, source: str) -> str:
        return output_path(source, self.use_directory_urls)

    def claim(self, claim: Claim) -> Claim | None:
        """Register `claim` and return None, or return the claim it collides with: the same
        address, a file where the claim needs a folder, or a folder where it needs a file."""
        key = folded(claim.output)
        parts = key.split("/")
        ancestors = ["/".join(parts[:depth]) for depth in range(1, len(parts))]
        for ancestor in ancestors:
            holder = self._files.get(ancestor) or self._owned_folder(ancestor)
            if holder is not None:
                return holder
        holder = self._files.get(key) or self._folders.get(key)
        if holder is not None:
            return holder
        self._files[key] = claim
        for ancestor in ancestors:
            self._folders.setdefault(ancestor, claim)
        return None

    def claim_folder(self, folder: str, owner: str) -> None:
        """Own every path under `folder` (the theme's): anything else there collides."""
        claim, parts = Claim(folder, owner), folded(folder).split("/")
        for depth in range(1, len(parts)):
            self._folders.setdefault("/".join(parts[:depth]), claim)
        self._folders["/".join(parts)] = claim

    def _owned_folder(self, folder: str) -> Claim | None:
        holder = self._folders.get(folder)
        return holder if holder is not None and folded(holder.output) == folder else None

    def holder(self, output: str) -> Claim | None:
        """Who writes `output` (compared as folded paths), if anyone; an owned folder's owner
        for a path inside it."""
        key = folded(output)
        parts = key.split("/")
        found = self._files.get(key)
        for depth in range(1, len(parts)):
            found = found or self._owned_folder("/".join(parts[:depth]))
        return found

    def copy(self) -> Namespace:
        """Another namespace holding the same claims, to claim more in (claims are values)."""
        other = Namespace(self.use_directory_urls)
        other._files, other._folders = dict(self._files), dict(self._folders)
        return other

    def __len__(self) -> int:
        return len(self._files)


def site_namespace(use_directory_urls: bool, *, tags: Iterable[str] = (), sources: Iterable[str] = (),
                   trails: Iterable[str] = (), glossary: bool = False) -> Namespace:
    """The addresses the theme and the garden write whatever the notes are: Material's files,
    the sitemap and 404 page, the changelog, graph and tag pages, feeds, link previews, share
    cards (the whole of `cards/`), source and trail pages, the glossary. Section indexes and
    charts, whose names come from contributors' folders and files, claim theirs next
    (`section_claim`, `chart_claim`)."""
    namespace = Namespace(use_directory_urls)
    for folder in THEME_FOLDERS:
        namespace.claim_folder(folder, f"Material's theme folder '{folder}/'")
    for file in THEME_FILES:
        namespace.claim(Claim(file, f"the theme's '{file}'"))
    namespace.claim_folder(PREVIEWS_DIR, f"the link previews' folder '{PREVIEWS_DIR}/'")
    namespace.claim_folder(CARDS_DIR, f"the share cards' folder '{CARDS_DIR}/'")
    for path in sorted(generated_paths((), tags, (), sources=sources, trails=trails, glossary=glossary)):
        what = "feed" if path.endswith(".xml") else "page"
        namespace.claim(Claim(namespace.output_of(path), f"the generated {what} {path}"))
    return namespace


def section_claim(namespace: Namespace, section: str) -> Claim:
    index = section_index_path(section)
    return Claim(namespace.output_of(index), f"the section's generated index {index}")


def chart_claim(chart: str, file: str) -> Claim:
    return Claim(f"{CHARTS_DIR}/{chart}.svg", f"the chart drawn from {file}", file)


def collision_message(claim: Claim, holder: Claim, subject: str = "it") -> str:
    """What a problem says of a file whose output is already something else's."""
    mine, theirs = folded(claim.output), folded(holder.output)
    if claim.output == holder.output:
        where = f"the address of {holder.owner}"
    elif mine == theirs and claim.output.casefold() == holder.output.casefold():
        where = (f"which a case-insensitive file system (macOS, Windows) takes for '{holder.output}', "
                 f"the address of {holder.owner}")
    elif mine == theirs:
        where = (f"which macOS takes for '{holder.output}' (its file system compares Unicode forms), "
                 f"the address of {holder.owner}")
    elif mine.startswith(theirs + "/"):
        where = f"under '{holder.output}/', but '{holder.output}' is {holder.owner}"
    else:
        where = f"where {holder.owner} needs a folder ('{holder.output}')"
    return f"{subject} would be written to '{claim.output}', {where}"
