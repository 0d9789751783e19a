"""MkDocs adapter for the garden: translates MkDocs events to and from the garden model.

Flow of one build (and of every rebuild under `mkdocs serve`):
- `on_config`: forget the previous build (hook modules are not reloaded by `serve`), and keep
  MkDocs from listing any file whose name it would print raw (a control character).
- `on_files`: build the garden once from the docs files, report every problem, drop drafts,
  add the generated pages, charts, link previews, share cards, alias redirect pages and
  (still empty) feeds, check every file to be written against the garden's namespace of
  outputs, and set a navigation that lists sections, not every note.
- `on_page_read_source` / `on_page_markdown`: give MkDocs the body and metadata the model
  parsed (MkDocs never re-reads a note), with wikilinks turned into Markdown links.
- `on_page_content`: hold every page to the HTML policy; keep notes' HTML for the feeds.
- `on_env`: every page is rendered, nothing is written yet: fill the feeds.
- `on_page_context`: place the page under its index (breadcrumbs, the active section) and
  add the escaped HTML around a note (tags, backlinks, local graph) or a generated page's
  lists to `page.content`, after search has indexed it.
- `on_post_page`: let go of the page's HTML, which MkDocs would keep until the build ends.
- `on_post_build` (`make serve`): merge the search index, remove what a rebuild made stale.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands import build as engine_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from pathspec import PathSpec
from pathspec.gitignore import GitIgnoreSpec
from pathspec.pattern import RegexPattern

import garden
from garden import incremental, publishing
from garden.build import Settings, build_garden
from garden.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    SharedFace,
    cache_folder,
    cached_card,
    page_card,
    shared_faces,
)
from garden.changelog import FeedInfo, feed_item_html, rss_feed
from garden.chrome import after_lead, link_glossary_terms, note_chrome
from garden.config import GardenConfig, garden_config, placeholder_repository
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
    index_above,
    section_index_path,
    tag_feed_file,
    tag_page_path,
)
from garden.graph import section_colours
from garden.html_policy import enforce, policy_problems
from garden.incremental import ServeSession
from garden.metadata import PageFrontMatter
from garden.model import ChangeEntry, Garden, Note
from garden.pages import GeneratedPage, page_plans, tag_of_page
from garden.previews import PreviewRenderer, note_preview, preview_json, preview_shards
from garden.problems import UNSAFE_CHARACTERS, escaped
from garden.redirects import alias_redirects
from garden.rendering import Renderer
from garden.search import CompoundWords, alias_text, compound_words, spelling_variants
from garden.text import Href, html_text, relative_path
from garden.views import chart_view, note_link, page_contents, sharing_image, sharing_view
from garden.wikilinks import note_markdown
from macros import RENDERED_PAGES

log = get_plugin_logger("garden")

PROJECT_DIR = str(Path(__file__).resolve().parent.parent)
"""The project this hook belongs to. `garden` is imported as an installed package (`make`
installs the project with `pip install -e .`), never by editing `sys.path`."""

EMPTY_FRONT_MATTER = "---\n{}\n---\n"
"""Prepended to the body handed to MkDocs, so its own meta parser finds nothing to read
(without it, a body starting with `Note: …` would be taken for MultiMarkdown metadata)."""


@dataclass
class _Build:
    garden: Garden
    href: Href
    problems_by_path: dict[str, list[str]]
    generated: dict[str, GeneratedPage]
    last_changed: str | None
    """The newest date in any note's front matter: the sitemap date of pages that list notes."""
    renderer: Renderer
    colours: dict[str, str]
    """A colour per section, for the local graphs."""
    urls: _Urls
    options: GardenConfig
    signature: tuple[object, ...]
    """What every page depends on besides the notes (under `make serve`; empty otherwise)."""
    feed_plan: FeedPlan
    feed_files: dict[str, File]
    """The feeds' files, by path; their content is made in `on_env`, after every page's."""
    faces: dict[str, SharedFace]
    """What a shared link to each published page shows, by source path."""
    cards: frozenset[str]
    """The pages that have a share card (all published pages, when there is a `site_url`)."""
    session: ServeSession | None = None
    """Set under `make serve` (`mkdocs serve --dirty`): what the rebuilds share."""
    page_sources: list[str] = field(default_factory=list)
    """Every page's source path, in build order: the order of the search index."""
    outputs: set[str] = field(default_factory=set)
    """Every file this build writes into the site."""
    published_html: dict[str, str] = field(default_factory=dict)
    """Notes' HTML as their pages publish it, by path: the feeds' item text."""
    html_for_feeds: set[str] | None = None
    """The notes whose HTML the feeds carry (None: every note's, kept for later rebuilds)."""
    search_seen: int = 0
    """How many search entries the search plugin held after the previous page."""
    compounds: CompoundWords | None = None
    """The garden's hyphenated compounds, for the search index (made at the first page)."""


_build: _Build | None = None


def on_startup(command: str, dirty: bool) -> None:
    """`make serve` runs `mkdocs serve --dirty`: each rebuild then writes only the pages an
    edit touches (garden/incremental.py), and the hook keeps the rest of the site right."""
    incremental.start(command == "serve" and dirty)
    if command == "serve":
        gc.set_threshold(*_COLLECTOR_THRESHOLDS)
    if command == "serve" and dirty:
        logging.getLogger(engine_build.__name__).addFilter(_quiet_dirty_warning)


_COLLECTOR_THRESHOLDS = (50_000, 20, 20)
"""Python's cyclic collector under `mkdocs serve`, set to run about 70 times less often than
its default (700, 10, 10): the server keeps the garden's model and what the session holds from
a save to the next, millions of objects the default walks again and again (README,
"Performance", has the figures). A full build keeps the default: there it made no difference."""


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that navigation may be stale; here it never is."""
    return "'dirty' build" not in record.getMessage()


_UNPRINTABLE_NAMES = GitIgnoreSpec.from_lines([]) + PathSpec(
    [RegexPattern(re.compile("(?s).*" + UNSAFE_CHARACTERS.pattern), include=True)])
"""Paths with a control character (a line break then `::error …`): MkDocs prints some file
names raw while it lists docs/ ("Excluding 'x' … because it conflicts with 'y'"), before any
hook sees the files, so it must never list them. The garden refuses them with the name escaped."""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Forget the previous build; a clean build writes into a staging folder, published whole
    when it ends (garden/publishing.py). `make serve`'s rebuilds write in place: they rewrite
    only the pages a save touches."""
    global _build, _staged
    _build = None
    excluded = config.exclude_docs
    config.exclude_docs = excluded + _UNPRINTABLE_NAMES if excluded else _UNPRINTABLE_NAMES
    if placeholder := placeholder_repository(config.repo_url):
        # Outside MkDocs' loggers: a warning the strict build shows, and does not fail on.
        logging.getLogger("garden.repository").warning(placeholder)
        config.repo_url = config.repo_name = config.edit_uri = config.edit_uri_template = None
    if incremental.code_changed_since(Path(PROJECT_DIR), garden.IMPORTED_AT):
        log.warning("the garden's Python code changed since the server started: "
                    "stop it and run `make serve` again to use the new code")
    _staged = None
    if not incremental.is_incremental(config.config_file_path):
        site = Path(config.site_dir)
        _staged = (publishing.prepare(site), site)
        config.site_dir = str(_staged[0])
    return config


_staged: tuple[Path, Path] | None = None
"""The staging folder of a clean build, and the site folder it will replace."""


def on_build_error(error: Exception) -> None:
    """A build that stopped on an error publishes nothing: the previous site stays whole."""
    if _staged is not None:
        publishing.abandon(_staged[0])


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _build
    options, config_problems = garden_config(config.extra.get("garden"), Path(config.config_file_path).name)
    extensions = [{name: config.mdx_configs[name]} if isinstance(name, str) and name in config.mdx_configs
                  else name for name in config.markdown_extensions]  # as mkdocs.yml lists them
    settings = Settings.from_config(Path(config.config_file_path).parent, config.docs_dir, options,
                                    config.use_directory_urls, extensions)
    session = incremental.session_for(config.config_file_path)
    garden = build_garden(settings, cache=session.cache if session else None)
    problems_by_path: dict[str, list[str]] = {}
    for problem in [*config_problems, *garden.problems]:
        log.warning(str(problem))
        problems_by_path.setdefault(problem.path, []).append(str(problem))

    _drop_unpublishable(files, garden, config)
    urls = _Urls(config)
    renderer = Renderer(Path(config.theme.custom_dir) if config.theme.custom_dir else None,
                        session.templates if session else None, session.pieces if session else None)
    nav = _navigation(garden, _will_exist(garden, files), options)
    signature = _signature(config, nav, session.signature) if session else ()
    pages, generated = _generated(garden, urls, options, renderer, config, session, signature, extensions)
    faces = shared_faces(garden, {page.path: page.title for page in pages}, config.site_name,
                         config.site_description or "")
    cards = _cards(garden, faces, nav, config, session) if urls.site_url else {}
    generated.update({card_path(path): png for path, png in cards.items()})
    feed_plan = _feed_plan(garden, config, urls)
    feed_files = _feed_files(feed_plan, config)
    for feed_file in feed_files.values():
        files.append(feed_file)
    previous = session.generated if session is not None else {}
    # A generated page is drawn in the theme, around the navigation: the same page as last time
    # only while the signature (navigation included) is too. Other files are what they hold.
    same_chrome = session is not None and session.signature is signature
    for path, made in generated.items():
        is_page = isinstance(made, GeneratedPage)
        content = made.markdown if isinstance(made, GeneratedPage) else made
        file = File.generated(config, path, content=content)  # reserved: no file of docs/ is here
        files.append(file)
        if (previous.get(path) == made and (same_chrome or not is_page)
                and Path(file.abs_dest_path).exists()):
            file.is_modified = _unmodified  # type: ignore[method-assign]  # the same page as last time
    if session is not None:
        session.generated = generated
    _check_outputs(files, garden)
    config.nav = nav
    last_changed = max((note.last_changed for note in garden.notes.values()), default=None)
    _build = _Build(garden, urls.href, problems_by_path, {page.path: page for page in pages},
                    last_changed.isoformat() if last_changed else None, renderer, section_colours(garden),
                    urls, options, signature, feed_plan, feed_files, faces, frozenset(cards), session,
                    [f.src_uri for f in files.documentation_pages()], {f.abs_dest_path for f in files},
                    session.note_html if session else {},
                    None if session else _notes_in_feeds(feed_plan, options.feed_items))
    if session is not None:
        _mark_pages_to_rebuild(files, garden, session, signature)
    _share_with_macros(config, garden)
    return files


def _generated(garden: Garden, urls: _Urls, options: GardenConfig, renderer: Renderer, config: MkDocsConfig,
               session: ServeSession | None, signature: tuple[object, ...], extensions: list[Any]
               ) -> tuple[list[GeneratedPage], dict[str, GeneratedPage | str | bytes]]:
    """The generated pages, and every generated file by path (pages, charts, the previews, the
    redirect pages). Under `make serve`, each is made again only when what it shows changed
    (garden/pages.py's plans; the charts' data; each note's text and links for its preview)."""
    kept = session.page_plans if session is not None else {}
    made: dict[str, tuple[object, list[GeneratedPage]]] = {}
    for plan in page_plans(garden, urls.href, options, renderer):
        inputs = (signature, plan.inputs)
        previous = kept.get(plan.key)
        made[plan.key] = previous if previous is not None and previous[0] == inputs else (inputs, plan.make())
    charts_from = (signature, garden.charts)
    charts: dict[str, str] = (
        session.charts[1] if session is not None and session.charts[0] == charts_from else
        {f"{CHARTS_DIR}/{name}.svg": str(renderer.render("chart.svg", chart=chart_view(chart)))
         for name, chart in garden.charts.items()})
    if session is not None:
        session.page_plans, session.charts = made, (charts_from, charts)
    pages = [page for _, plan_pages in made.values() for page in plan_pages]
    preview = _preview(garden, PreviewRenderer(extensions), session, signature)
    previews = preview_shards(garden, urls.url, preview)
    return pages, {**{page.path: page for page in pages}, **charts, **previews,
                   **_redirect_pages(garden, urls, renderer, config)}


def _cards(garden: Garden, faces: dict[str, SharedFace], nav: list[Any], config: MkDocsConfig,
           session: ServeSession | None) -> dict[str, bytes]:
    """Each published page's share card (PNG), by page path: under `make serve` kept from the
    previous build while its text is the same, otherwise read from the disk cache or drawn
    (garden/cards.py). A card is labelled with the navigation's title of the index above it."""
    labels = {path: title for item in nav if isinstance(item, dict)
              for title, path in item.items() if isinstance(path, str)}
    colours = section_colours(garden)
    folder = cache_folder(Path(config.config_file_path).parent)
    kept = session.cards if session is not None else {}
    made = {}
    for path, face in faces.items():
        card = page_card(path, face, config.site_name, labels, colours)
        drawn = kept.get(path)
        if drawn is None or drawn[0] != card:
            drawn = (card, cached_card(card, folder))
        made[path] = drawn
    if session is not None:
        session.cards = made
    return {path: png for path, (_, png) in made.items()}


def _preview(garden: Garden, previews: PreviewRenderer, session: ServeSession | None,
             signature: tuple[object, ...]) -> Callable[[Note], str]:
    """A note's preview (as JSON), kept between the builds of `make serve` while what it shows
    is unchanged: the note's own text and front matter, and its links' labels."""
    def preview(note: Note) -> str:
        if session is None:
            return preview_json(note_preview(note, garden, previews))
        key = (signature, incremental.rendering_inputs(garden, note))
        kept = session.previews.get(note.path)
        if kept is None or kept[0] != key:
            kept = session.previews[note.path] = (key, preview_json(note_preview(note, garden, previews)))
        return kept[1]
    return preview


def _signature(config: MkDocsConfig, nav: list[Any], previous: tuple[object, ...] = ()) -> tuple[object, ...]:
    """What every page depends on besides the notes: the configuration, the templates and the
    navigation (every page shows it: the first trail, source or glossary term, or a section
    appearing, changes every page, generated ones included). `previous` itself when equal:
    every kept page, preview and feed has it in its key, and the same object compares at once
    (an equal one, template by template: some 4,000 times a save)."""
    templates = sorted((str(p), p.stat().st_mtime_ns) for d in config.theme.dirs for p in _templates_in(d))
    own = sorted((str(p), p.stat().st_mtime_ns) for p in Path(PROJECT_DIR, "garden", "templates").iterdir())
    signature = (Path(config.config_file_path).read_bytes(), tuple(templates), tuple(own), repr(nav))
    return previous if signature == previous else signature


def _templates_in(folder: str) -> Iterator[Path]:
    """The HTML templates under a theme folder, leaving out hidden folders: Material's `.icons`
    holds thousands of SVG files and no template, and every save of `make serve` asks."""
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        yield from (Path(parent, name) for name in files if name.endswith(".html"))


def _mark_pages_to_rebuild(files: Files, garden: Garden, session: ServeSession,
                           signature: tuple[object, ...]) -> None:
    """MkDocs' dirty mode rebuilds a page whose source is newer than its output; the pages
    whose content depends on what changed are marked too, and project pages (macros) and
    pages of broken notes always are. Generated pages are always rebuilt by MkDocs."""
    previous = session.garden if session.signature == signature else None
    touched = incremental.pages_to_rebuild(previous, garden) if previous is not None else None
    always = {*garden.pages, *garden.broken}
    for file in files.documentation_pages():
        if file.generated_by is None and (touched is None or file.src_uri in touched
                                          or file.src_uri in always):
            file.is_modified = _modified  # type: ignore[method-assign]
    session.garden, session.signature = garden, signature


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def _drop_unpublishable(files: Files, garden: Garden, config: MkDocsConfig) -> None:
    """Drafts, and every file of docs/ the garden refused or never saw (symbolic links,
    special files, reserved paths, files reached through a linked folder), leave MkDocs'
    files before anything reads, renders, indexes or copies them."""
    known = {*garden.notes, *garden.broken, *garden.pages, *garden.assets}
    docs_dir = Path(config.docs_dir).resolve()

    @functools.cache
    def is_docs_dir(folder: str) -> bool:  # files share a handful of folders: resolve each once
        return Path(folder).resolve() == docs_dir

    for file in list(files):
        from_docs = file.src_dir is not None and is_docs_dir(file.src_dir)
        if from_docs and (file.src_uri not in known or file.src_uri in garden.drafts):
            files.remove(file)


def _check_outputs(files: Files, garden: Garden) -> None:
    """Every file MkDocs is about to write must be one garden/outputs.py claimed for it (the
    theme's, a generated one, the alias redirect pages, or the file of docs/ at that address):
    the namespace check and the build judge collisions by is then the site indeed written. A
    file that is not is reported (the strict build fails) and left unwritten."""
    redirects = {File(redirect.path, None, "", garden.outputs.use_directory_urls).dest_uri
                 for redirect in alias_redirects(garden)[0]}
    for file in list(files):
        holder = garden.outputs.holder(file.dest_uri)
        claimed = holder is not None and (holder.source in (None, file.src_uri)
                                          or file.generated_by is not None)
        if claimed or file.dest_uri in redirects:
            continue
        files.remove(file)
        log.warning(f"{escaped(file.dest_uri)}: the build would write this file, but garden/outputs.py "
                    "does not know it: add it to the namespace of outputs")


@functools.lru_cache(maxsize=1 << 16)
def _page_url(path: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives the page made from source `path`. A pure function of its arguments,
    so the cache outlives a build: under `make serve` a save asks again for every link's URL,
    and MkDocs' own answer (a `File` made and measured) costs more than the rest of a link."""
    url = File(path, None, "", use_directory_urls).url
    return "" if url == "./" else url  # the home page: "./" would put links to its side one level up


class _Urls:
    """URLs exactly as MkDocs will give them (`use_directory_urls` and all), from source paths."""

    def __init__(self, config: MkDocsConfig) -> None:
        self._use_directory_urls = config.use_directory_urls
        site_url = config.site_url or ""
        self.site_url = site_url if not site_url or site_url.endswith("/") else site_url + "/"

    def url(self, path: str) -> str:
        return _page_url(path, self._use_directory_urls)

    def href(self, from_path: str, to_path: str) -> str:
        return _page_href(from_path, to_path, self._use_directory_urls)

    def absolute(self, path: str) -> str:
        return self.site_url + self.url(path)


@functools.lru_cache(maxsize=1 << 15)
def _page_href(from_path: str, to_path: str, use_directory_urls: bool) -> str:
    """The link from one page to another, cached like `_page_url`: a save of `make serve` at
    4,000 notes asks for some 10,000 (the graph page, the changelog, the lists), nearly all the
    same as the save before."""
    return relative_path(_page_url(from_path, use_directory_urls),
                         _page_url(to_path, use_directory_urls)) or "./"


def _redirect_pages(garden: Garden, urls: _Urls, renderer: Renderer, config: MkDocsConfig) -> dict[str, str]:
    """A page at every alias's address leading to its note (garden/redirects.py), by output
    path: made again on every build (there are as many as aliases, and each is a few lines),
    and left unwritten by a rebuild when unchanged, like every generated file."""
    pages: dict[str, str] = {}
    for redirect in alias_redirects(garden)[0]:
        url = urls.url(redirect.path)
        pages[url + "index.html" if url.endswith("/") else url] = renderer.render(
            "redirect.html", note=note_link(redirect.path, redirect.target, urls.href),
            language=config.theme.get("language", "en"))
    return pages


FeedPlan = dict[str, tuple[FeedInfo, list[ChangeEntry]]]
"""Every feed by path: what it says about itself, and its entries (newest first)."""


def _feed_plan(garden: Garden, config: MkDocsConfig, urls: _Urls) -> FeedPlan:
    """Every feed by path, with what it says about itself and its entries (newest first): the
    main feed and one per tag in use. Feeds need absolute links, hence `site_url`."""
    if not urls.site_url:
        log.warning("mkdocs.yml: set 'site_url' — the RSS feeds need absolute links")
        return {}
    entries = garden.changes()
    description = config.site_description or config.site_name
    plan: FeedPlan = {FEED_FILE: (FeedInfo(config.site_name, description, urls.site_url, FEED_FILE), entries)}
    by_tag: dict[str, list[ChangeEntry]] = {tag: [] for tag in garden.tags_in_use()}
    for entry in entries:  # one pass, in order: every published note's tags are in use
        for tag in entry.note.meta.tags:
            by_tag[tag].append(entry)
    for tag, tagged in by_tag.items():
        # A tag outside the vocabulary is a problem of its own; its feed still needs a description.
        about = garden.vocabulary.get(tag) or f"Notes tagged {tag}."
        info = FeedInfo(f"{config.site_name}: {tag}", about, urls.site_url,
                        tag_feed_file(tag), urls.absolute(tag_page_path(tag)))
        plan[tag_feed_file(tag)] = (info, tagged)
    return plan


def _notes_in_feeds(plan: FeedPlan, limit: int) -> set[str]:
    """The notes whose text some feed's items carry: new notes among each feed's newest items."""
    return {entry.note.path for _, entries in plan.values()
            for entry in entries[:limit] if entry.kind == "new"}


def _feeds() -> dict[str, bytes]:
    """Each feed's document, made once every page has been rendered: a new note's item carries
    the HTML its page published."""
    assert _build is not None
    urls, session, limit = _build.urls, _build.session, _build.options.feed_items
    signature, published = _build.signature, _build.published_html

    @functools.cache
    def content(note: Note) -> str | None:
        html = published.get(note.path)
        if html is None:  # every note is rendered by a clean build and kept by `make serve`
            log.warning(f"{note.path}: its feed items go without its text: its page was not rendered")
            return None
        return feed_item_html(html, urls.absolute(note.path))

    def feed(path: str, info: FeedInfo, feed_entries: list[ChangeEntry]) -> bytes:
        """One feed; under `make serve`, the previous one when none of its items changed: the
        entries shown, with their notes' front matter (a GUID is numbered among the entries of
        its own note: its changes) and published text. Older entries are not in the document:
        an edit reordering them (a tie broken by "Linked from" counts) leaves it as it is."""
        key = (info, signature, [(e.note.path, e.kind, e.date, e.what, e.note.meta,
                                  published.get(e.note.path) if e.kind == "new" else None)
                                 for e in feed_entries[:limit]])
        kept = session.feeds.get(path) if session is not None else None
        if kept is not None and kept[0] == key:
            return kept[1]
        made = rss_feed(feed_entries, info, urls.absolute, limit, content)
        if session is not None:
            session.feeds[path] = (key, made)
        return made

    return {path: feed(path, info, entries) for path, (info, entries) in _build.feed_plan.items()}


def _feed_files(plan: FeedPlan, config: MkDocsConfig) -> dict[str, File]:
    """A file per feed, registered with MkDocs before any page is rendered (so links to a feed
    resolve like links to any file) and filled once every page has been (`on_env`)."""
    return {path: File.generated(config, path, content=b"") for path in plan}


def _fill_feeds() -> None:
    """Give each feed file its document; under `make serve`, one unchanged since the previous
    build is not written again."""
    assert _build is not None
    written = dict(_build.session.feeds) if _build.session is not None else {}
    for path, document in _feeds().items():
        file = _build.feed_files[path]
        file.content_bytes = document
        if path in written and written[path][1] == document and Path(file.abs_dest_path).exists():
            file.is_modified = _unmodified  # type: ignore[method-assign]


def _will_exist(garden: Garden, files: Files) -> Callable[[str], bool]:
    """Whether a page will exist in this build: a file of docs/ or a page the garden generates
    (known before any is made, so the navigation can be part of what every page is kept by)."""
    generated = generated_paths(garden.sections(), garden.tags_in_use(), garden.charts,
                                sources=garden.sources, trails=garden.trails, glossary=bool(garden.glossary))
    return lambda path: path in generated or files.get_file_from_path(path) is not None


def _navigation(garden: Garden, exists: Callable[[str], bool], options: GardenConfig) -> list[Any]:
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


def _share_with_macros(config: MkDocsConfig, garden: Garden) -> None:
    """mkdocs-macros runs before hooks: it gets the project pages as the garden rendered them
    (macros/__init__.py), never the garden."""
    macros = config.plugins.get("macros")
    if macros is not None:
        macros.variables[RENDERED_PAGES] = {path: page.markdown for path, page in garden.project_pages.items()
                                            if page.markdown is not None}


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    if _build is None:
        return None
    path = page.file.src_uri
    note = _build.garden.notes.get(path)
    if note is not None:
        return EMPTY_FRONT_MATTER + note.body
    project_page = _build.garden.project_pages.get(path)
    if project_page is not None and project_page.markdown is not None:
        # The checked metadata, as MkDocs' own front matter: mkdocs-macros reads the page's
        # title before the hook's on_page_markdown (and keeps it), so it must be safe by then.
        return f"---\n{json.dumps(_project_page_meta(project_page.meta))}\n---\n{project_page.body}"
    # A note or project page with problems is published (serve, non-strict builds) as its
    # problems alone: a note's text may belong to a draft whose `draft: true` could not be read.
    return EMPTY_FRONT_MATTER if path in _build.garden.broken or project_page is not None else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _build is None:
        return markdown
    path = page.file.src_uri
    note = _build.garden.notes.get(path)
    if note is not None:
        meta = note.meta
        page.meta = {**meta.theme_meta(), "title": html_text(meta.title),
                     "description": html_text(meta.summary), "tags": list(meta.tags)}
        page.title = html_text(meta.title)
        return note_markdown(note, _build.garden)
    generated = _build.generated.get(path)
    if generated is not None:  # Material prints titles unescaped; a source or trail title is data
        page.meta = {**page.meta, "title": html_text(generated.title)}
        page.title = html_text(generated.title)
        return markdown
    project_page = _build.garden.project_pages.get(path)
    if path in _build.garden.broken or (project_page is not None and project_page.markdown is None):
        page.meta = {"search": {"exclude": True}}
        problems = _build.problems_by_path.get(path, [])
        what = "page" if project_page is not None else "note"
        return _build.renderer.render("broken_note.html", problems=problems, what=what) + "\n"
    return markdown


def _project_page_meta(meta: PageFrontMatter) -> dict[str, Any]:
    """What Material reads of a project page's front matter: its title and description
    escaped (Material prints them as they are), what to hide; never a template or an icon."""
    shown: dict[str, Any] = {"title": html_text(meta.title), "hide": list(meta.hide)}
    if meta.description is not None:
        shown["description"] = html_text(meta.description)
    return shown


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page's Markdown is rendered by now, and nothing is written yet: the feeds are made
    (their items carry the rendered notes). The sitemap's <lastmod> comes from front matter,
    not from the build: a note's own last change, and for every other page (they list notes)
    the garden's. The published site then depends on the sources alone, so the deploy of a
    merge equals the preview of its PR. Set for every page, including those an incremental
    rebuild does not render."""
    if _build is not None and _build.session is not None:
        env.bytecode_cache = _build.session.templates
    if _build is not None:
        _fill_feeds()
        for file in files.documentation_pages():
            note = _build.garden.notes.get(file.src_uri)
            if file.page is not None:
                file.page.update_date = (note.last_changed.isoformat() if note
                                         else _build.last_changed or file.page.update_date)
    return env


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every page from docs/ is held to the raw-HTML policy (garden/html_policy.py): what breaks
    it is reported like any problem, and the page is published sanitised, whatever the mode."""
    if _build is None or page.file.generated_by is not None:
        return html
    path = page.file.src_uri
    source = _build.garden.notes.get(path) or _build.garden.project_pages.get(path)
    body, body_line = (source.body, source.body_line) if source else (page.markdown or "", 1)
    sanitized, violations = enforce(html)
    for problem in policy_problems(path, body, body_line, violations):
        log.warning(str(problem))
    if isinstance(source, Note) and (_build.html_for_feeds is None or path in _build.html_for_feeds):
        _build.published_html[path] = sanitized
    return sanitized


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    if _build is None:
        return context
    _place_under_index(page, nav)
    if page.file.src_uri in _build.garden.notes and (contents := page_contents(page.toc)):
        contents_html = _build.renderer.render("page_contents.html", contents=contents)
        page.content = after_lead(page.content or "", contents_html)
    # Search plugins index page.content in their own on_page_context, which MkDocs runs before
    # hooks': what is added here is shown by Material's own content.html but never indexed.
    note = _build.garden.notes.get(page.file.src_uri)
    if note is not None:
        chrome = note_chrome(note, _build.garden, _build.href, _build.renderer, _build.colours)
        content = link_glossary_terms(page.content or "", note, _build.garden, _build.href, _build.renderer)
        page.content = f"{chrome.header}{content}{chrome.footer}"
    generated = _build.generated.get(page.file.src_uri)
    if generated is not None:
        page.content = f"{page.content}{generated.html_after}"
    _add_search_fields(page, note, config)
    context["garden_feeds"] = _feed_links(page.file.src_uri, config.site_name)
    context["garden_cssclasses"] = note.meta.cssclasses if note is not None else ()
    if page.canonical_url:  # only with a site_url: a shared link must be absolute
        path = page.file.src_uri
        # The template escapes the face: a published page's is plain text (shared_faces).
        face = _build.faces.get(path) or SharedFace(
            config.site_name if page.is_homepage else page.title or config.site_name,
            config.site_description or config.site_name)
        image = (sharing_image(_build.urls.absolute(card_path(path)), face.title, config.site_name,
                               CARD_WIDTH, CARD_HEIGHT) if path in _build.cards else None)
        context["garden_sharing"] = sharing_view(*face, page.canonical_url, config.site_name, note, image)
    if _build.session is not None:
        entries = _search_entries(config)
        _build.session.search_entries[page.file.src_uri] = entries[_build.search_seen:]
        _build.search_seen = len(entries)
    return context


def _place_under_index(page: Page, nav: Navigation) -> None:
    """A page the navigation does not list (a note, a tag, source or trail page) goes under the
    nav entry of the index above it: as its parent, Material's breadcrumbs (`page.ancestors`)
    lead there, and that entry shows as the current one. MkDocs activated the page before this
    event: activating it again reaches the new parent, and MkDocs deactivates the page, and so
    the parent, once it is rendered, so no other page sees the entry active."""
    index = index_above(page.file.src_uri)
    parent = next((item for item in nav.pages if item.file.src_uri == index), None)
    if parent is not None and page.parent is None and page not in nav.pages:
        page.parent = parent  # type: ignore[assignment]  # a Page, not a Section: Material's path-item renders either
        page.active = True


def _add_search_fields(page: Page, note: Note | None, config: MkDocsConfig) -> None:
    """Search has just indexed the page: its entries get, in fields readers never see (mkdocs.yml's
    search `fields`), the other spellings of their compound words, and the page's own entry the
    note's aliases, boosted like a title (garden/search.py)."""
    assert _build is not None
    entries = _search_entries(config)
    if _build.compounds is None:
        _build.compounds = compound_words(_build.garden)
    for entry in reversed(entries):  # this page's entries are the last ones
        location = str(entry.get("location", ""))
        if location != page.url and not location.startswith(page.url + "#"):
            break
        _set_variants(entry, _build.compounds)
        if note is not None and location == page.url and note.meta.aliases:
            entry["aliases"] = html_text(alias_text(note))  # the index holds HTML, as the parser gave it


def _set_variants(entry: dict[str, object], compounds: CompoundWords) -> None:
    """The other spellings of the compound words in a search entry's title and text."""
    variants = spelling_variants(f"{entry.get('title', '')} {entry.get('text', '')}", compounds)
    if variants:
        entry["variants"] = variants
    else:
        entry.pop("variants", None)


def _search_entries(config: MkDocsConfig) -> list[dict[str, object]]:
    """The entries the search plugin has collected so far in this build: its own list, which
    callers read or slice (copying it for every page cost time in the square of the pages)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None:
            entries: list[dict[str, object]] = index.entries
            return entries
    return []


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """MkDocs writes `output` next and never reads the page's HTML again, yet keeps it until the
    build ends: every page's, with its chrome, was the largest part of a full build's peak memory."""
    page.content = None
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """A clean build is complete (every plugin has written its files): it replaces the site.
    After an incremental rebuild: the search index gets back the entries of the pages that
    were not rebuilt (with the other spellings of their compound words again if the garden's
    compounds changed), and files the previous build wrote that no longer exist (a renamed
    note, a tag no longer used, a note turned draft) are removed."""
    if _staged is not None:
        publishing.publish(*_staged)
        config.site_dir = str(_staged[1])
    if _build is None or _build.session is None:
        return
    session = _build.session
    index_file = Path(config.site_dir, "search", "search_index.json")
    if index_file.is_file():
        index = json.loads(index_file.read_text(encoding="utf-8"))
        pages = set(_build.page_sources)
        session.search_entries = {path: e for path, e in session.search_entries.items() if path in pages}
        compounds = _build.compounds or compound_words(_build.garden)
        if compounds != session.compounds:
            for entry in (entry for entries in session.search_entries.values() for entry in entries):
                _set_variants(entry, compounds)
            session.compounds, session.search_json = compounds, {}
        session.search_json = {path: kept for path, kept in session.search_json.items() if path in pages}
        index["docs"] = _SEARCH_DOCS
        head, tail = _search_json(index).split(_search_json(_SEARCH_DOCS))
        docs = ",".join(chunk for path in _build.page_sources if (chunk := _page_search_json(session, path)))
        index_file.write_text(f"{head}[{docs}]{tail}", encoding="utf-8")
    for stale in session.outputs - _build.outputs:
        Path(stale).unlink(missing_ok=True)
    session.outputs = _build.outputs


_SEARCH_DOCS = "\0the pages' entries\0"
"""Stands for the index's list of entries, which is written page by page."""


def _page_search_json(session: ServeSession, path: str) -> str:
    """A page's search entries as JSON list items, kept while they are the same entries: a save
    at 4,000 notes writes the entries of every page, but turns only the rebuilt pages' into JSON."""
    entries = session.search_entries.get(path, [])
    kept = session.search_json.get(path)
    if kept is None or kept[0] is not entries:
        kept = session.search_json[path] = (entries, ",".join(map(_search_json, entries)))
    return kept[1]


def _search_json(value: object) -> str:
    """JSON as the search plugin writes its index."""
    return json.dumps(value, separators=(",", ":"), default=str)


def _feed_links(path: str, site_name: str) -> list[dict[str, str]]:
    """The feeds a page announces (`<link rel="alternate">`): the changelog's, and on a tag
    page the tag's own. main.html only places them."""
    assert _build is not None
    feeds = [{"title": f"{site_name}: changelog", "url": _build.href(path, FEED_FILE)}]
    tag = tag_of_page(path)
    if tag in _build.garden.tags_in_use():
        feeds.append({"title": f"{site_name}: notes tagged {tag}",
                      "url": _build.href(path, tag_feed_file(tag))})
    return feeds
