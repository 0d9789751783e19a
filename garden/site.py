"""The site the garden publishes, decided without an engine: which files it publishes and
writes, its URLs, navigation, generated files, redirect pages, feeds, each page's published
HTML and content (the note chrome, drawn ahead by workers), sharing metadata and search entries.

An engine adapter (hooks/garden_site.py for MkDocs and ProperDocs) only translates its events
to and from these calls: another engine could publish the same site from them. Under
`make serve` each piece is kept in the session's memo while what it is made from is unchanged
(a clean build runs the same steps with a memo that keeps nothing).
Imports nothing from MkDocs; tested as data (tests/test_site.py).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from garden.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    CardText,
    SharedFace,
    cache_folder,
    cache_key,
    cached_card,
    card_entry,
    page_card,
    shared_faces,
)
from garden.changelog import FeedInfo, feed_item_html, rss_feed
from garden.chrome import Chrome, NoteChrome, after_lead
from garden.config import GardenConfig
from garden.conventions import (
    CHANGELOG_PAGE,
    CHARTS_DIR,
    FEED_FILE,
    GLOSSARY_PAGE,
    GRAPH_PAGE,
    SOURCE_INDEX,
    TAG_INDEX,
    TRAIL_INDEX,
    card_path,
    generated_paths,
    section_index_path,
    tag_feed_file,
    tag_page_path,
)
from garden.graph import section_colours
from garden.html_policy import Violation, enforce, policy_problems
from garden.incremental import ServeSession, pages_to_rebuild
from garden.memo import Memo, NoMemo
from garden.metadata import PageFrontMatter
from garden.model import ChangeEntry, Garden, Note
from garden.outputs import output_path
from garden.pages import GeneratedPage, page_plans, tag_of_page
from garden.pool import Prerendered, SharedWork
from garden.previews import note_preview, preview_json, preview_shard_paths, preview_shards
from garden.problems import Problem, escaped
from garden.redirects import alias_redirects
from garden.rendering import CompiledTemplates, Renderer
from garden.search import CompoundWords, alias_text, compound_words, spelling_variants
from garden.text import html_text, relative_path
from garden.views import (
    SharingView,
    TocEntry,
    chart_view,
    note_link,
    page_contents,
    sharing_image,
    sharing_view,
)
from garden.wikilinks import note_markdown

Signature = tuple[object, ...]
"""What every page depends on besides the notes (under `make serve`; empty otherwise)."""


# --- URLs ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1 << 16)
def page_url(path: str, use_directory_urls: bool = True) -> str:
    """The URL of what is made from source `path`, relative to the site root, by MkDocs' rules
    (`File.url`: a folder's `index.html` is the folder, quoted); the home page's is "" ("./"
    would put links to its side one level up). Cached: a save of `make serve` asks again for
    every link's URL."""
    folder, _, name = output_path(path, use_directory_urls).rpartition("/")
    url = (folder + "/" if folder else "") if use_directory_urls and name == "index.html" else \
        output_path(path, use_directory_urls)
    return quote(url)


@functools.lru_cache(maxsize=1 << 15)
def page_href(from_path: str, to_path: str, use_directory_urls: bool = True) -> str:
    """The link from one page to another, cached like `page_url`: a save of `make serve` at
    4,000 notes asks for some 10,000, nearly all the same as the save before."""
    return relative_path(page_url(from_path, use_directory_urls),
                         page_url(to_path, use_directory_urls)) or "./"


@dataclass(frozen=True)
class SiteInfo:
    """What the engine's configuration says about the site the garden is published in."""

    name: str
    description: str
    """The site's description ("" when it has none)."""
    site_url: str = ""
    """Absolute URL of the site root, ending in '/'; "" when not configured (no feeds, no cards)."""
    use_directory_urls: bool = True
    language: str = "en"

    def __post_init__(self) -> None:
        if self.site_url and not self.site_url.endswith("/"):
            object.__setattr__(self, "site_url", self.site_url + "/")

    def url(self, path: str) -> str:
        return page_url(path, self.use_directory_urls)

    def href(self, from_path: str, to_path: str) -> str:
        return page_href(from_path, to_path, self.use_directory_urls)

    def absolute(self, path: str) -> str:
        return self.site_url + self.url(path)


# --- Navigation ----------------------------------------------------------------------------

def page_exists(garden: Garden, is_docs_page: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a page will exist in this build: a file of docs/ or a page the garden generates
    (known before any is made, so the navigation can be part of what every page is kept by)."""
    generated = generated_paths(garden.sections(), garden.tags_in_use(), garden.charts,
                                sources=garden.sources, trails=garden.trails, glossary=bool(garden.glossary))
    return lambda path: path in generated or is_docs_page(path)


def navigation(garden: Garden, exists: Callable[[str], bool], options: GardenConfig) -> list[Any]:
    """Home, project pages, one entry per section index, and the tag index: never every note,
    which Material would write into every page (the site would grow as N²)."""
    nav: list[Any] = [{"Home": "index.md"}] if exists("index.md") else []
    for section in garden.sections():
        if section and exists(section_index_path(section)):
            nav.append({options.section_title(section): section_index_path(section)})
    nav += [{"Tags": TAG_INDEX}, {"Changelog": CHANGELOG_PAGE}, {"Graph": GRAPH_PAGE}]
    for title, path in (("Trails", TRAIL_INDEX), ("Sources", SOURCE_INDEX), ("Glossary", GLOSSARY_PAGE)):
        if exists(path):
            nav.append({title: path})
    nav += [page for page in options.pages if page != "index.md"]
    return nav


def signature(config_file: Path, theme_dirs: list[str], nav: list[Any]) -> Signature:
    """What every page depends on besides the notes: the configuration, the templates and the
    navigation (every page shows it: the first trail, source or glossary term, or a section
    appearing, changes every page, generated ones included). The session's site memo is
    signed with it: what it keeps is forgotten when it changes."""
    templates = sorted((str(p), p.stat().st_mtime_ns) for d in theme_dirs for p in _templates_in(d))
    own = sorted((str(p), p.stat().st_mtime_ns) for p in Path(__file__).with_name("templates").iterdir())
    return config_file.read_bytes(), tuple(templates), tuple(own), repr(nav)


def _templates_in(folder: str) -> Iterator[Path]:
    """The HTML templates under a theme folder, leaving out hidden folders: Material's `.icons`
    holds thousands of SVG files and no template, and every save of `make serve` asks."""
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        yield from (Path(parent, name) for name in files if name.endswith(".html"))


def pages_to_render(garden: Garden, memo: Memo) -> set[str] | None:
    """The pages of docs/ a rebuild renders besides those whose source changed (None: every
    page): those whose content depends on what changed, and always project pages (macros) and
    broken notes. `memo`: the session's site scope, which keeps the garden of the previous
    build of the same signature (and its notes' related notes) for the next save to compare."""
    previous = memo.last("garden", Garden)
    memo.keep("garden", garden)
    related = memo.scope("related")
    touched = pages_to_rebuild(previous, garden, related) if previous is not None else None
    if touched is None:
        related.clear()
    return None if touched is None else touched | {*garden.pages, *garden.broken}


# --- Generated files -----------------------------------------------------------------------

Generated = dict[str, GeneratedPage | str | bytes]
"""Every generated file by path: a page (Markdown, and HTML added around it), or content."""


def generated_files(garden: Garden, site: SiteInfo, options: GardenConfig, renderer: Renderer,
                    memo: Memo) -> tuple[list[GeneratedPage], Generated]:
    """The generated pages, and every generated file by path (pages, charts, the redirect
    pages) known before any page is rendered (feeds and previews are made after the pages:
    `SitePlan.later_files`). Each is made again only when what it shows changed since the
    build `memo` kept it from (garden/pages.py's plans; the charts' data)."""
    plans = memo.scope("page plans")
    pages = [page for plan in page_plans(garden, site.href, options, renderer)
             for page in plans.get(plan.key, plan.inputs, plan.make)]
    plans.sweep()
    charts = memo.get("charts", garden.charts, lambda: {
        f"{CHARTS_DIR}/{name}.svg": str(renderer.render("chart.svg", chart=chart_view(chart)))
        for name, chart in garden.charts.items()})
    return pages, {**{page.path: page for page in pages}, **charts, **redirect_pages(garden, site, renderer)}


def unchanged_files(files: Mapping[str, object], memo: Memo, name: str = "generated") -> set[str]:
    """The files (by path) a rebuild need not write again: each equal to the one the previous
    build wrote, kept under `name` in `memo` (the session's site scope: a generated page is
    drawn in the theme, around the navigation, both in the signature). Records these for the next."""
    previous = memo.last(name, dict) or {}
    memo.keep(name, dict(files))
    return {path for path, made in files.items() if previous.get(path) == made}


def redirect_pages(garden: Garden, site: SiteInfo, renderer: Renderer) -> dict[str, str]:
    """A page at every alias's address leading to its note (garden/redirects.py), by output
    path: made again on every build (there are as many as aliases, and each is a few lines),
    and left unwritten by a rebuild when unchanged, like every generated file."""
    return {redirect_output(redirect.path, site.use_directory_urls): renderer.render(
        "redirect.html", note=note_link(redirect.path, redirect.target, site.href), language=site.language)
        for redirect in alias_redirects(garden)[0]}


def redirect_output(path: str, use_directory_urls: bool) -> str:
    """Where the redirect page standing at source address `path` is written."""
    return output_path(path, use_directory_urls)


def redirect_outputs(garden: Garden, site: SiteInfo) -> set[str]:
    """Where every redirect page is written: outputs the namespace leaves to them."""
    return {redirect_output(redirect.path, site.use_directory_urls)
            for redirect in alias_redirects(garden)[0]}


def published_from_docs(garden: Garden, path: str) -> bool:
    """Whether the file of docs/ at `path` is published: drafts, and every file the garden
    refused or never saw (symbolic links, special files, reserved paths, files reached through
    a linked folder), leave the engine's files before anything reads, renders or copies them."""
    return path not in garden.drafts and (path in garden.notes or path in garden.broken
                                          or path in garden.pages or path in garden.assets)


def sitemap_dates(garden: Garden, paths: list[str]) -> dict[str, str]:
    """Each page's sitemap date (<lastmod>), from front matter, not from the build: a note's own
    last change, and for every other page (they list notes) the newest of any note. The
    published site then depends on the sources alone, so the deploy of a merge equals the
    preview of its PR. A page with no date (no notes) is left out."""
    newest = max((note.last_changed for note in garden.notes.values()), default=None)
    dates = {path: note.last_changed.isoformat() for path in paths if (note := garden.notes.get(path))}
    if newest is not None:
        dates.update({path: newest.isoformat() for path in paths if path not in dates})
    return dates


def card_texts(garden: Garden, faces: Mapping[str, SharedFace], nav: list[Any], site: SiteInfo
               ) -> dict[str, CardText]:
    """What each published page's share card shows, by page path (garden/cards.py): labelled
    with the navigation's title of the index above it."""
    labels = {path: title for item in nav if isinstance(item, dict)
              for title, path in item.items() if isinstance(path, str)}
    colours = section_colours(garden)
    return {path: page_card(path, face, site.name, labels, colours) for path, face in faces.items()}


def cards_to_draw(texts: Mapping[str, CardText], folder: Path) -> SharedWork[bytes]:
    """The cards the disk cache in `folder` does not hold, for worker processes to draw into
    it while the pages render (garden/pool.py): drawn at once, they would keep every page
    waiting. Keyed by cache key: pages with the same card share one."""
    missing = {key: card for card in texts.values()
               if not card_entry(folder, key := cache_key(card)).exists()}
    return SharedWork(list(missing), lambda key: cached_card(missing[key], folder))


def share_cards(texts: Mapping[str, CardText], folder: Path, memo: Memo,
                drawn_ahead: SharedWork[bytes] | None) -> dict[str, bytes]:
    """Each published page's share card (PNG), by the card's path in the site: kept in `memo`
    (under `make serve`) while its text is the same, otherwise read from the disk cache in
    `folder` (where workers drew those it lacked, `drawn_ahead`), or drawn."""
    drawn_here = drawn_ahead.finish() if drawn_ahead is not None else {}
    kept = memo.scope("cards")

    def draw(card: CardText) -> bytes:
        return (drawn_here.get(cache_key(card)) if drawn_here else None) or cached_card(card, folder)

    cards = {card_path(path): kept.get(path, card, functools.partial(draw, card))
             for path, card in texts.items()}
    kept.sweep()
    return cards


def page_sharing(path: str, canonical_url: str, title: str, site: SiteInfo, faces: Mapping[str, SharedFace],
                 cards: Collection[str], note: Note | None) -> SharingView:
    """What a shared link to the page shows (Open Graph, Twitter): its face (a page the garden
    does not publish, such as the home page or 404, shows `title`) and its card, if it has one."""
    face = faces.get(path) or SharedFace(title or site.name, site.description or site.name)
    image = (sharing_image(site.absolute(card_path(path)), face.title, site.name, CARD_WIDTH, CARD_HEIGHT)
             if path in cards else None)
    return sharing_view(*face, canonical_url, site.name, note, image)


# --- Feeds ---------------------------------------------------------------------------------

FeedPlan = dict[str, tuple[FeedInfo, list[ChangeEntry]]]
"""Every feed by path: what it says about itself, and its entries (newest first)."""


def feed_plan(garden: Garden, site: SiteInfo) -> FeedPlan:
    """Every feed by path, with what it says about itself and its entries (newest first): the
    main feed and one per tag in use. Feeds need absolute links: none without a `site_url`."""
    if not site.site_url:
        return {}
    entries = garden.changes()
    about_site = FeedInfo(site.name, site.description or site.name, site.site_url, FEED_FILE)
    plan: FeedPlan = {FEED_FILE: (about_site, entries)}
    by_tag: dict[str, list[ChangeEntry]] = {tag: [] for tag in garden.tags_in_use()}
    for entry in entries:  # one pass, in order: every published note's tags are in use
        for tag in entry.note.meta.tags:
            by_tag[tag].append(entry)
    for tag, tagged in by_tag.items():
        # A tag outside the vocabulary is a problem of its own; its feed still needs a description.
        about = garden.vocabulary.get(tag) or f"Notes tagged {tag}."
        info = FeedInfo(f"{site.name}: {tag}", about, site.site_url, tag_feed_file(tag),
                        site.absolute(tag_page_path(tag)))
        plan[tag_feed_file(tag)] = (info, tagged)
    return plan


def notes_in_feeds(plan: FeedPlan, limit: int) -> set[str]:
    """The notes whose text some feed's items carry: new notes among each feed's newest items."""
    return {entry.note.path for _, entries in plan.values()
            for entry in entries[:limit] if entry.kind == "new"}


def feeds(plan: FeedPlan, site: SiteInfo, limit: int, published: Memo, memo: Memo,
          warn: Callable[[str], None]) -> dict[str, bytes]:
    """Each feed's document, made once every page has been rendered: a new note's item carries
    the HTML its page published (kept in `published` by note path; `warn` is told of a note
    missing). The document kept in `memo` when none of its items changed: the entries shown,
    with their notes' front matter (a GUID is numbered among the entries of its own note: its
    changes) and published text. Older entries are not in the document: an edit reordering
    them (a tie broken by "Linked from" counts) leaves it as it is."""
    @functools.cache
    def content(note: Note) -> str | None:
        html = published.last(note.path, str)
        if html is None:  # every note is rendered by a clean build and kept by `make serve`
            warn(f"{note.path}: its feed items go without its text: its page was not rendered")
            return None
        return feed_item_html(html, site.absolute(note.path))

    def feed(path: str, info: FeedInfo, feed_entries: list[ChangeEntry]) -> bytes:
        key = (info, [(e.note.path, e.kind, e.date, e.what, e.note.meta,
                       published.last(e.note.path, str) if e.kind == "new" else None)
                      for e in feed_entries[:limit]])
        return kept.get(path, key, lambda: rss_feed(feed_entries, info, site.absolute, limit, content))

    kept = memo.scope("feeds")
    documents = {path: feed(path, info, entries) for path, (info, entries) in plan.items()}
    kept.sweep()
    return documents


def feed_links(garden: Garden, site: SiteInfo, path: str) -> list[dict[str, str]]:
    """The feeds a page announces (`<link rel="alternate">`): the changelog's, and on a tag
    page the tag's own. main.html only places them."""
    links = [{"title": f"{site.name}: changelog", "url": site.href(path, FEED_FILE)}]
    tag = tag_of_page(path)
    if tag in garden.tags_in_use():
        links.append({"title": f"{site.name}: notes tagged {tag}",
                      "url": site.href(path, tag_feed_file(tag))})
    return links


# --- Search --------------------------------------------------------------------------------

SearchEntry = dict[str, object]
"""One entry of the search index, as the search plugin made it (location, title, text)."""


def add_search_fields(entries: list[SearchEntry], url: str, note: Note | None,
                      compounds: CompoundWords) -> None:
    """The page at `url` has just been indexed (its entries are the last of `entries`): they
    get, in fields readers never see (mkdocs.yml's search `fields`), the other spellings of
    their compound words, and the page's own entry the note's aliases, boosted like a title."""
    for entry in reversed(entries):
        location = str(entry.get("location", ""))
        if location != url and not location.startswith(url + "#"):
            break
        set_variants(entry, compounds)
        if note is not None and location == url and note.meta.aliases:
            entry["aliases"] = html_text(alias_text(note))  # the index holds HTML, as the parser gave it


def set_variants(entry: SearchEntry, compounds: CompoundWords) -> None:
    """The other spellings of the compound words in a search entry's title and text."""
    variants = spelling_variants(f"{entry.get('title', '')} {entry.get('text', '')}", compounds)
    if variants:
        entry["variants"] = variants
    else:
        entry.pop("variants", None)


_SEARCH_DOCS = "\0the pages' entries\0"
"""Stands for the index's list of entries, which is written page by page."""


def merged_search_index(index_json: str, page_sources: list[str], garden: Garden,
                        compounds: CompoundWords | None, session: ServeSession) -> str:
    """The search index after an incremental rebuild: the entries of the pages rebuilt (kept in
    the session's "search entries" as each was indexed) with those of the pages that were not,
    in build order, with the other spellings of their compound words again if the garden's
    compounds changed. Only the rebuilt pages' entries are turned into JSON again (kept in
    "search json", signed with the compounds their variants were made from)."""
    index = json.loads(index_json)
    kept_entries, kept_json = session.memo.scope("search entries"), session.memo.scope("search json")
    by_page = {path: kept_entries.last(path, list) or [] for path in page_sources}
    kept_entries.sweep()  # pages gone
    compounds = compounds or compound_words(garden)
    if not kept_json.sign(compounds):
        for entry in (entry for entries in by_page.values() for entry in entries):
            set_variants(entry, compounds)
    index["docs"] = _SEARCH_DOCS
    head, tail = search_json(index).split(search_json(_SEARCH_DOCS))
    # A page's entries as JSON list items, kept while they are the same entries: a save at 4,000
    # notes writes the entries of every page, but turns only the rebuilt pages' into JSON.
    docs = ",".join(chunk for path, entries in by_page.items()
                    if (chunk := kept_json.get(path, (entries,), functools.partial(_entries_json, entries))))
    kept_json.sweep()
    return f"{head}[{docs}]{tail}"


def _entries_json(entries: list[SearchEntry]) -> str:
    return ",".join(map(search_json, entries))


def search_json(value: object) -> str:
    """JSON as the search plugin writes its index."""
    return json.dumps(value, separators=(",", ":"), default=str)


# --- One build's site ----------------------------------------------------------------------

@dataclass
class SitePlan:
    """One build's site, decided before any page is rendered, and each page's steps as the
    engine renders it (`page_source`, `page_markdown`, `publish`, `page_content`,
    `add_search_fields`, `template_context`), then what the pages made (`later_files`): the
    whole public API an engine adapter needs, each step a method."""

    garden: Garden
    site: SiteInfo
    options: GardenConfig
    renderer: Renderer
    session: ServeSession | None
    """Set under `make serve`: what the rebuilds share."""
    memo: Memo
    """What this build keeps for its later steps and the next build (the session's memo; a
    clean build's own, which keeps the notes' HTML its feeds carry)."""
    site_memo: Memo
    """`memo`'s scope for what is drawn in the theme, signed with the build's signature (a
    `NoMemo` in a clean build: nothing kept)."""
    nav: list[Any]
    """The navigation as the engine's configuration lists it (titles to source paths)."""
    pages: dict[str, GeneratedPage]
    """The generated pages, by path: their titles, and the HTML added after their content."""
    files: Generated
    """Every generated file made before the pages, by path (pages, charts, redirect pages)."""
    unchanged: set[str]
    """The generated files a rebuild need not write again."""
    feed_plan: FeedPlan
    faces: dict[str, SharedFace]
    """What a shared link to each published page shows, by source path."""
    cards: dict[str, CardText]
    """What each page that has a share card shows on it, by path (all published pages, when
    there is a `site_url`)."""
    card_folder: Path
    """The disk cache of cards."""
    cards_ahead: SharedWork[bytes] | None
    """The cards the disk cache lacks, drawn into it by worker processes while the pages are
    rendered (a clean build; `make serve` keeps its cards in the session)."""
    colours: dict[str, str]
    """A colour per section, for the local graphs."""
    html_for_feeds: set[str] | None
    """The notes whose HTML the feeds carry (None: every note's, kept for later rebuilds)."""
    compounds: CompoundWords | None = None
    """The garden's hyphenated compounds, for the search index (made at the first page)."""
    drawn_cards: dict[str, bytes] | None = None
    """The cards, by path in the site, when drawn before the pages (`draw_cards_unless_ahead`)."""
    notes_chrome: Prerendered[NoteChrome] | None = field(default=None, repr=False)
    """Each note's chrome, drawn ahead by worker processes (`draw_chrome_ahead`)."""
    search_seen: int = 0
    """How many search entries the engine held after the previous page."""

    def unclaimed_output(self, output: str, source: str, generated: bool) -> str | None:
        """Why the engine must not write `output` (made from the file at `source`, or generated
        by a plugin), or None: every file written must be one garden/outputs.py claimed for it
        (the theme's, a generated one, an alias's redirect page, the file of docs/ at that
        address), so the site written is the one the namespace check judged."""
        holder = self.garden.outputs.holder(output)
        claimed = holder is not None and (holder.source in (None, source) or generated)
        if claimed or output in self._redirects:
            return None
        return (f"{escaped(output)}: the build would write this file, but garden/outputs.py does not "
                "know it: add it to the namespace of outputs")

    @functools.cached_property
    def _redirects(self) -> set[str]:
        return redirect_outputs(self.garden, self.site)

    def pages_to_render(self) -> set[str] | None:
        """The pages of docs/ a rebuild renders besides those whose source changed (None: all)."""
        return pages_to_render(self.garden, self.site_memo) if self.session else None

    def related(self, note: Note) -> list[Note]:
        """`note`'s related notes: under `make serve` kept in the session with those of every
        note a save leaves as they were (garden/incremental.py), for the next save to compare."""
        return self.site_memo.scope("related").get(note.path, None, lambda: self.garden.related_to(note))

    def keep_published(self, path: str, html: str) -> None:
        """A note's page published `html`: its link preview is made from it (the note's only
        Markdown rendering is its page's), and its feed items carry it, if any does (under
        `make serve`, any may later: every note's is kept, also for the saves not rendering it).
        The previews are kept by what they are made from under `make serve` (a page a rebuild
        does not render keeps its own); a clean build keys nothing, and so keeps no note's HTML
        for its preview."""
        note = self.garden.notes.get(path)
        if note is None:
            return
        if self.html_for_feeds is None or path in self.html_for_feeds:
            self.memo.scope("published").keep(path, html)
        made_from = (html, note.title, note.meta.summary, note.headings) if self.session is not None else None
        self.memo.scope("previews").get(path, made_from, lambda: preview_json(note_preview(note, html)))

    def later_paths(self) -> list[str]:
        """The files the engine lists before any page is rendered (a link to one resolves like
        a link to any file) and that are filled once every page has been (`later_files`):
        the feeds, the link previews' shards, and the share cards (drawn meanwhile)."""
        return [*self.feed_plan, *sorted(preview_shard_paths(self.garden, self.site.url)),
                *(card_path(path) for path in self.cards)]

    def later_files(self, warn: Callable[[str], None]) -> tuple[dict[str, bytes], set[str]]:
        """Each of `later_paths`' content, made once every page has been rendered from what the
        pages published (`warn` is told of a note whose page was not), and those a rebuild of
        `make serve` need not write again: the same as the previous build's."""
        cards, self.drawn_cards = self.drawn_cards, None
        made = {**self.feeds(warn), **self.preview_shards(warn),
                **(cards if cards is not None else
                   share_cards(self.cards, self.card_folder, self.site_memo, self.cards_ahead))}
        return made, unchanged_files(made, self.site_memo, "later files")

    def draw_cards_unless_ahead(self) -> None:
        """Once the worker processes are started (or not): draw the share cards now, before
        any page renders, unless workers draw those the disk cache lacks (`make serve`, one
        process). Drawn once every page is rendered, Pillow's buffers would add to the build's
        peak of memory, when every page's HTML is held: 180 MB instead of 164 at 1,000 notes."""
        if self.cards_ahead is None or not self.cards_ahead.shared:
            self.drawn_cards = share_cards(self.cards, self.card_folder, self.site_memo, None)

    def feeds(self, warn: Callable[[str], None]) -> dict[str, bytes]:
        """Each feed's document, once every page has been rendered."""
        return feeds(self.feed_plan, self.site, self.options.feed_items, self.memo.scope("published"),
                     self.site_memo, warn)

    def preview_shards(self, warn: Callable[[str], None]) -> dict[str, bytes]:
        """Every preview shard, once every page has been rendered: the previews of the garden's
        notes, by path order, each made when its page was published, in this build or (under
        `make serve`) an earlier one; a shard left without notes holds none. A clean build lets
        go of each note's preview as it goes into its shard: the shards are made while every
        page's HTML is still held, the build's peak of memory."""
        kept = self.memo.scope("previews")

        def take(path: str) -> str | None:
            preview = kept.last(path, str)
            if preview is None:  # a clean build renders every note
                warn(f"{path}: links to this note have no preview: its page was not rendered")
            elif self.session is None:
                kept.forget([path])
            return preview

        made = preview_shards((self.site.url(path), preview) for path in self.garden.notes
                              if (preview := take(path)) is not None)
        kept.sweep()  # notes gone
        paths = preview_shard_paths(self.garden, self.site.url)
        return {path: made.pop(path, b"{}") for path in sorted(paths)}

    def add_search_fields(self, entries: list[SearchEntry], url: str, path: str) -> None:
        """The page made from `path`, at `url`, has just been indexed (the last of `entries`,
        the engine's own list, read and never copied); its entries are kept
        (`keep_search_entries`)."""
        if self.compounds is None:
            self.compounds = compound_words(self.garden)
        add_search_fields(entries, url, self.garden.notes.get(path), self.compounds)
        self.keep_search_entries(path, entries[self.search_seen:])
        self.search_seen = len(entries)

    def publish(self, path: str, html: str, markdown: str,
                cached: tuple[str, tuple[Violation, ...]] | None = None) -> PublishedPage:
        """The page made from `path` rendered `html` (from `markdown`): it is published
        sanitised whatever the mode, and what breaks the raw-HTML policy (garden/html_policy.py)
        is a problem on its line of the source. `cached`: the sanitised HTML and violations of
        this very render, from the render cache. A note's published HTML makes its preview and
        feed items (`keep_published`)."""
        sanitised, violations = cached if cached is not None else enforce(html)
        source = self.garden.notes.get(path) or self.garden.project_pages.get(path)
        body, body_line = (source.body, source.body_line) if source else (markdown, 1)
        problems = policy_problems(path, body, body_line, violations)
        self.keep_published(path, sanitised)
        return PublishedPage(sanitised, violations, problems)

    @functools.cached_property
    def chrome(self) -> Chrome:
        return Chrome(self.garden, self.site.href, self.renderer, self.colours, self.related)

    def draw_chrome_ahead(self, page_sources: list[str], workers: int) -> None:
        """Have `workers` processes (garden/pool.py) draw every note's chrome, in the order the
        engine renders the pages (`page_sources`), while it renders the notes' Markdown: after
        the share cards the disk cache lacks (all needed before the first page's chrome)."""
        chrome, notes = self.chrome, self.garden.notes
        self.notes_chrome = Prerendered([path for path in page_sources if path in notes],
                                        lambda path: chrome.note(notes[path]), workers, self.cards_ahead)

    def close(self) -> None:
        """End the workers, if any are left."""
        if self.notes_chrome is not None:
            self.notes_chrome.close()

    def page_content(self, path: str, content: str, toc: Iterable[TocEntry]) -> str:
        """The content the page made from `path` shows, once search has indexed `content` (none
        of this is search's noise): a note's contents list after its lead, its chrome around it
        and its glossary terms made links; a generated page's lists after it."""
        note = self.garden.notes.get(path)
        if note is not None:
            if contents := page_contents(toc):
                content = after_lead(content, self.renderer.render("page_contents.html", contents=contents))
            chrome = self.notes_chrome.get(path) if self.notes_chrome is not None else self.chrome.note(note)
            content = f"{chrome.header}{self.chrome.link_glossary_terms(content, note)}{chrome.footer}"
        generated = self.pages.get(path)
        return f"{content}{generated.html_after}" if generated is not None else content

    def template_context(self, path: str, canonical_url: str | None, title: str) -> dict[str, Any]:
        """What the theme's overrides read of the page made from `path`: its feeds, a note's CSS
        classes, and what a shared link to it shows (only with a canonical URL: a shared link
        must be absolute; `title` is its face, escaped by the template)."""
        note = self.garden.notes.get(path)
        context: dict[str, Any] = {"garden_feeds": self.feed_links(path),
                                   "garden_cssclasses": note.meta.cssclasses if note is not None else ()}
        if canonical_url:
            context["garden_sharing"] = self.sharing(path, canonical_url, title)
        return context

    def keep_search_entries(self, path: str, entries: list[SearchEntry]) -> None:
        """Under `make serve`, the entries the page made from `path` was indexed with: a rebuild
        not rendering it gives them back to the index (`merged_search_index`)."""
        if self.session is not None:
            self.memo.scope("search entries").keep(path, entries)

    def compiled_templates(self) -> CompiledTemplates | None:
        """Under `make serve`, where the engine's own templates (the theme's) are kept compiled
        between its builds, each of which makes a new Jinja environment."""
        return CompiledTemplates(self.memo.scope("compiled templates")) if self.session is not None else None

    def stale_outputs(self, outputs: set[str]) -> set[str]:
        """Under `make serve`, the files the previous build wrote that this one did not."""
        return self.session.stale_outputs(outputs) if self.session is not None else set()

    def merged_search_index(self, index_json: str, page_sources: list[str]) -> str:
        """The search index after an incremental rebuild (`merged_search_index`)."""
        assert self.session is not None, "only a rebuild of `make serve` merges the index"
        return merged_search_index(index_json, page_sources, self.garden, self.compounds, self.session)

    def sharing(self, path: str, canonical_url: str, title: str) -> SharingView:
        """What a shared link to the page made from `path` shows (`page_sharing`)."""
        return page_sharing(path, canonical_url, title, self.site, self.faces, self.cards,
                            self.garden.notes.get(path))

    def feed_links(self, path: str) -> list[dict[str, str]]:
        return feed_links(self.garden, self.site, path)

    def page_source(self, path: str) -> str | None:
        """The text the engine reads for the page made from `path` (None: the file as it is):
        a note's body behind empty front matter, so the engine's own meta parser finds nothing
        (a body starting with `Note: …` would be taken for MultiMarkdown metadata); a project
        page's checked metadata as front matter (mkdocs-macros reads the page's title before
        `page_markdown`, and keeps it, so it must be safe by then); a note or project page with
        problems as nothing: it is published (serve, non-strict builds) as its problems alone,
        since its text may belong to a draft whose `draft: true` could not be read."""
        note = self.garden.notes.get(path)
        if note is not None:
            return EMPTY_FRONT_MATTER + note.body
        project_page = self.garden.project_pages.get(path)
        if project_page is not None and project_page.markdown is not None:
            return f"---\n{json.dumps(project_page_meta(project_page.meta))}\n---\n{project_page.body}"
        return EMPTY_FRONT_MATTER if path in self.garden.broken or project_page is not None else None

    def page_markdown(self, path: str, markdown: str,
                      meta: Mapping[str, Any]) -> tuple[str, dict[str, Any], str | None]:
        """The Markdown the engine renders for the page made from `path`, its metadata and its
        title (None: the engine's own), from what the engine read (`markdown`, `meta`). Titles
        are escaped: Material prints them unescaped, and a source or trail title is data.
        A broken page shows its problems and stays out of search."""
        note = self.garden.notes.get(path)
        if note is not None:
            title = html_text(note.meta.title)
            return note_markdown(note, self.garden), {
                **note.meta.theme_meta(), "title": title, "description": html_text(note.meta.summary),
                "tags": list(note.meta.tags)}, title
        generated = self.pages.get(path)
        if generated is not None:
            return markdown, {**meta, "title": html_text(generated.title)}, html_text(generated.title)
        project_page = self.garden.project_pages.get(path)
        if path in self.garden.broken or (project_page is not None and project_page.markdown is None):
            what = "page" if project_page is not None else "note"
            problems = [str(problem) for problem in self.garden.problems if problem.path == path]
            broken = self.renderer.render("broken_note.html", problems=problems, what=what) + "\n"
            return broken, {"search": {"exclude": True}}, None
        return markdown, dict(meta), None


@dataclass(frozen=True)
class PublishedPage:
    html: str
    """Sanitised: what the page publishes."""
    violations: tuple[Violation, ...]
    problems: list[Problem]


EMPTY_FRONT_MATTER = "---\n{}\n---\n"
"""Front matter with nothing in it, for the engine's own meta parser to read."""


def project_page_meta(meta: PageFrontMatter) -> dict[str, Any]:
    """What Material reads of a project page's front matter: its title and description
    escaped (Material prints them as they are), what to hide; never a template or an icon."""
    shown: dict[str, Any] = {"title": html_text(meta.title), "hide": list(meta.hide)}
    if meta.description is not None:
        shown["description"] = html_text(meta.description)
    return shown


def plan_site(garden: Garden, site: SiteInfo, options: GardenConfig, custom_dir: Path | None,
              session: ServeSession | None, in_docs: Callable[[str], bool], config_file: Path,
              theme_dirs: list[str]) -> SitePlan:
    """Everything the garden decides about one build's site before a page is rendered: the
    navigation, the signature (under `make serve`), the garden's templates (from `custom_dir`
    too: one Jinja environment per session and signature), every generated file and which a
    rebuild keeps, and the feeds, previews and share cards (with a `site_url`) to fill once the
    pages are. `in_docs`: whether a page of docs/ is published at a source path."""
    nav = navigation(garden, page_exists(garden, in_docs), options)
    memo = session.memo if session is not None else Memo()  # a clean build: what its later steps need
    site_memo = session.site(signature(config_file, theme_dirs, nav)) if session is not None else NoMemo()
    renderer = site_memo.get("renderer", custom_dir, lambda: Renderer(custom_dir, site_memo.scope("pieces")))
    pages, files = generated_files(garden, site, options, renderer, site_memo)
    faces = shared_faces(garden, {page.path: page.title for page in pages}, site.name, site.description)
    cards = card_texts(garden, faces, nav, site) if site.site_url else {}
    folder = cache_folder(config_file.parent)
    plan = feed_plan(garden, site)
    return SitePlan(garden, site, options, renderer, session, memo, site_memo, nav,
                    {page.path: page for page in pages}, files, unchanged_files(files, site_memo),
                    plan, faces, cards, folder, None if session else cards_to_draw(cards, folder),
                    section_colours(garden), None if session else notes_in_feeds(plan, options.feed_items))
