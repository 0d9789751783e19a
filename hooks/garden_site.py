"""MkDocs adapter for the garden: translates MkDocs events to and from the garden model and
its site (garden/site.py decides URLs, navigation, generated files, feeds, sharing and search
entries; this module hands them to MkDocs and reads back what MkDocs made).

Flow of one build (and of every rebuild under `mkdocs serve`):
- `on_config`: forget the previous build (hook modules are not reloaded by `serve`), and keep
  MkDocs from listing any file whose name it would print raw (a control character).
- `on_files`: build the garden once from the docs files, report every problem, drop drafts,
  add the generated pages, charts, alias redirect pages and (still empty) feeds, link
  previews' shards and share cards, check every file to be written against the garden's
  namespace of outputs, and set a navigation that lists sections, not every note. A clean
  build then starts worker processes that draw the share cards the disk cache lacks, then
  every note's chrome, while MkDocs renders the Markdown (garden/pool.py; `GARDEN_WORKERS`).
- `on_page_read_source` / `on_page_markdown`: give MkDocs the body and metadata the model
  parsed (MkDocs never re-reads a note), with wikilinks turned into Markdown links. A note's
  render then comes from the render cache (garden/render_cache.py) when it holds one for that
  exact Markdown; otherwise MkDocs renders it, watched, to be cached.
- `on_page_content`: hold every page to the HTML policy (a cached note's HTML and verdict are
  the cache's); notes' HTML makes their link previews, and is kept for the feeds.
- `on_env`: every page is rendered, nothing is written yet: fill the feeds, the previews and
  the share cards.
- `on_page_context`: place the page under its index (breadcrumbs, the active section) and
  add the escaped HTML around a note (tags, backlinks, local graph) or a generated page's
  lists to `page.content`, after search has indexed it.
- `on_post_page`: let go of the page's HTML, which MkDocs would keep until the build ends.
- `on_post_build`: end the workers; (`make serve`) merge the search index, remove what a
  rebuild made stale.
"""

from __future__ import annotations

import functools
import gc
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands import build as engine_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from pathspec import PathSpec
from pathspec.gitignore import GitIgnoreSpec
from pathspec.pattern import RegexPattern

import garden
from garden import incremental, publishing
from garden.build import Settings, build_garden
from garden.chrome import Chrome, NoteChrome, after_lead
from garden.config import garden_config, placeholder_repository
from garden.conventions import index_above
from garden.html_policy import enforce, policy_problems
from garden.model import Garden
from garden.pages import GeneratedPage
from garden.pool import Prerendered, can_fork, worker_count
from garden.problems import UNSAFE_CHARACTERS, escaped
from garden.render_cache import PageCache, RenderedPage, RenderWatch, Target, cache_root, toc_tokens
from garden.site import SiteInfo, SitePlan, plan_site, redirect_outputs, sitemap_dates
from garden.views import page_contents
from macros import RENDERED_PAGES

log = get_plugin_logger("garden")

PROJECT_DIR = str(Path(__file__).resolve().parent.parent)
"""The project this hook belongs to. `garden` is imported as an installed package (`make`
installs the project with `pip install -e .`), never by editing `sys.path`."""

@dataclass
class _Build:
    """What one build's later events need of its `on_files`: the garden's plan of the site,
    and what MkDocs holds of it."""

    plan: SitePlan
    problems_by_path: dict[str, list[str]]
    later_files: dict[str, File]
    """The feeds', previews' and share cards' files, by path; filled in `on_env`, after every page."""
    page_sources: list[str]
    """Every page's source path, in build order: the order of the search index."""
    outputs: set[str]
    """Every file this build writes into the site."""
    renders: PageCache
    """Notes' rendered pages, kept between builds."""
    chrome: Chrome
    notes_chrome: Prerendered[NoteChrome]
    """Each note's chrome, drawn ahead by worker processes in a clean build."""
    search_seen: int = 0
    """How many search entries the search plugin held after the previous page."""
    render: _NoteRender | None = None
    """The note page being rendered, if its render is cached or may be."""

    @property
    def garden(self) -> Garden:
        return self.plan.garden


@dataclass
class _NoteRender:
    """A note's render: found in the render cache, or made by MkDocs and watched (what files it
    looked up, whether it logged anything) to be cached."""

    key: str | None = None
    """None: renders cannot be cached (garden/render_cache.py `salt`)."""
    found: RenderedPage | None = None
    lookups: dict[str, Target] | None = None
    """What the watched render looked up; None: it logged something, and is not cached."""


_build: _Build | None = None
_serving = False
"""Whether the engine serves the site (`mkdocs serve`): then no worker process is started."""


def on_startup(command: str, dirty: bool) -> None:
    """`make serve` runs `mkdocs serve --dirty`: each rebuild then writes only the pages an
    edit touches (garden/incremental.py), and the hook keeps the rest of the site right."""
    global _serving
    _serving = command == "serve"
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
    _end_workers()
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
    _end_workers()
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
    garden = build_garden(settings, memo=session.memo if session else None)
    problems_by_path: dict[str, list[str]] = {}
    for problem in [*config_problems, *garden.problems]:
        log.warning(str(problem))
        problems_by_path.setdefault(problem.path, []).append(str(problem))

    _drop_unpublishable(files, garden, config)
    site_info = SiteInfo(config.site_name, config.site_description or "", config.site_url or "",
                         config.use_directory_urls, config.theme.get("language", "en"))
    if not site_info.site_url:
        log.warning("mkdocs.yml: set 'site_url' — the RSS feeds need absolute links")
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    plan = plan_site(garden, site_info, options, custom_dir, session,
                     lambda path: files.get_file_from_path(path) is not None,
                     Path(config.config_file_path), config.theme.dirs)
    # Registered before any page is rendered (links to a feed resolve like links to any file),
    # filled once every page has been (`on_env`).
    later_files = {path: File.generated(config, path, content=b"") for path in plan.later_paths()}
    for later_file in later_files.values():
        files.append(later_file)
    for path, made in plan.files.items():
        content = made.markdown if isinstance(made, GeneratedPage) else made
        file = File.generated(config, path, content=content)  # reserved: no file of docs/ is here
        files.append(file)
        if path in plan.unchanged and Path(file.abs_dest_path).exists():
            file.is_modified = _unmodified  # type: ignore[method-assign]  # the same page as last time
    _check_outputs(files, garden, site_info)
    config.nav = plan.nav
    renders = PageCache(cache_root(Path(config.config_file_path).parent), config.markdown_extensions,
                        config.mdx_configs, _ENGINE_PACKAGES, config.use_directory_urls,
                        dict(config.validation.links))
    renders.store.prune(len(garden.notes))
    page_sources = [f.src_uri for f in files.documentation_pages()]
    chrome = Chrome(garden, plan.site.href, plan.renderer, plan.colours, plan.related)
    _build = _Build(plan, problems_by_path, later_files, page_sources, {f.abs_dest_path for f in files},
                    renders, chrome, _draw_chrome_ahead(chrome, page_sources, session is not None, plan))
    plan.draw_cards_unless_ahead()
    if session is not None:
        rendered = plan.pages_to_render()
        for file in files.documentation_pages():
            if file.generated_by is None and (rendered is None or file.src_uri in rendered):
                file.is_modified = _modified  # type: ignore[method-assign]
    _share_with_macros(config, garden)
    return files


def _draw_chrome_ahead(chrome: Chrome, page_sources: list[str], incremental: bool,
                       plan: SitePlan) -> Prerendered[NoteChrome]:
    """Every note's chrome, in the order MkDocs will render the pages: a clean build has worker
    processes draw it (garden/pool.py) while MkDocs renders the notes' Markdown, after the share
    cards the disk cache lacks (all needed in `on_env`, before the first page's chrome).
    `make serve` never starts them: it renders a few pages per save, its server runs threads,
    and a rebuild would wait for the workers to start."""
    workers, wrong = worker_count()
    if wrong:  # outside MkDocs' loggers: shown, and no reason to fail a strict build
        logging.getLogger("garden.workers").warning(wrong)
    if incremental or _serving or not can_fork():
        workers = 1
    notes = chrome.garden.notes
    return Prerendered([path for path in page_sources if path in notes],
                       lambda path: chrome.note(notes[path]), workers, plan.cards_ahead)


def _end_workers() -> None:
    if _build is not None:
        _build.notes_chrome.close()


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


def _check_outputs(files: Files, garden: Garden, site_info: SiteInfo) -> None:
    """Every file MkDocs is about to write must be one garden/outputs.py claimed for it (the
    theme's, a generated one, the alias redirect pages, or the file of docs/ at that address):
    the namespace check and the build judge collisions by is then the site indeed written. A
    file that is not is reported (the strict build fails) and left unwritten."""
    redirects = redirect_outputs(garden, site_info)
    for file in list(files):
        holder = garden.outputs.holder(file.dest_uri)
        claimed = holder is not None and (holder.source in (None, file.src_uri)
                                          or file.generated_by is not None)
        if claimed or file.dest_uri in redirects:
            continue
        files.remove(file)
        log.warning(f"{escaped(file.dest_uri)}: the build would write this file, but garden/outputs.py "
                    "does not know it: add it to the namespace of outputs")


def _share_with_macros(config: MkDocsConfig, garden: Garden) -> None:
    """mkdocs-macros runs before hooks: it gets the project pages as the garden rendered them
    (macros/__init__.py), never the garden."""
    macros = config.plugins.get("macros")
    if macros is not None:
        macros.variables[RENDERED_PAGES] = {path: page.markdown for path, page in garden.project_pages.items()
                                            if page.markdown is not None}


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    return _build.plan.page_source(page.file.src_uri) if _build is not None else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _build is None:
        return markdown
    path = page.file.src_uri
    markdown, page.meta, title = _build.plan.page_markdown(path, markdown, page.meta,
                                                           _build.problems_by_path.get(path, []))
    if title is not None:
        page.title = title
    _build.render = _NoteRender() if path in _build.garden.notes else None
    if _build.render is not None:
        page.render = functools.partial(_render_note, page, _build.render)  # type: ignore[method-assign]
    return markdown


_ENGINE_PACKAGES = ("mkdocs", "properdocs", "mkdocs-material")
"""What renders a page besides Python-Markdown, its extensions and nh3: cached renders are keyed
by their versions too."""


def _render_note(page: Page, render: _NoteRender, config: MkDocsConfig, files: Files) -> None:
    """`Page.render` for a note (the Markdown is final here, whatever ran before): from the
    render cache when it holds this Markdown's at this address and every file that render
    looked up is still the same; otherwise MkDocs' own, recording every file it looks up and
    whether it logs anything."""
    del page.render  # once: the page's own method again
    assert _build is not None and page.markdown is not None
    render.key = _build.renders.key(page.markdown, page.file.src_uri, page.file.url)
    if render.key is not None:
        render.found = _build.renders.read(render.key, lambda path: _target(files.get_file_from_path(path)))
    if render.found is not None:
        _replay(page, render.found, files)
        return
    watch = RenderWatch(files.get_file_from_path, _target, (logging.getLogger(), _ENGINE_LOG))
    files.get_file_from_path = watch.lookup  # type: ignore[method-assign]
    try:
        page.render(config, files)
    finally:
        del files.get_file_from_path
        render.lookups = watch.finish()


def _replay(page: Page, found: RenderedPage, files: Files) -> None:
    """Set what MkDocs' `Page.render` sets (MkDocs 1.6 `structure/pages.py`), as it would have:
    what the theme, search, the title and the validation of links to anchors read."""
    page.content = found.html
    page.toc = get_toc(found.toc)  # type: ignore[arg-type]  # toc tokens, checked when read
    page._title_from_render = found.title
    page.present_anchor_ids = set(found.anchors)
    if logging.getLogger(Page.__module__).getEffectiveLevel() > logging.DEBUG:  # as MkDocs
        targets = {path: page.file if path == page.file.src_uri else files.get_file_from_path(path)
                   for path in found.links_to_anchors}
        page.links_to_anchors = {file: found.links_to_anchors[path] for path, file in targets.items() if file}


_ENGINE_LOG = logging.getLogger(engine_build.__name__.partition(".")[0])
"""The engine's own logger (`mkdocs`, or `properdocs`), which its command line keeps from
propagating to the root logger."""


def _target(file: File | None) -> Target:
    return (file.url, file.inclusion.is_excluded()) if file is not None else None  # type: ignore[no-untyped-call]


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page's Markdown is rendered by now, and nothing is written yet: the feeds and the
    link previews are made (from the rendered notes). The sitemap's <lastmod> comes from front
    matter, not from the build: a note's own last change, and for every other page (they list
    notes) the garden's. The published site then depends on the sources alone, so the deploy of a
    merge equals the preview of its PR. Set for every page, including those an incremental
    rebuild does not render."""
    if _build is not None and (compiled := _build.plan.compiled_templates()) is not None:
        env.bytecode_cache = compiled
    if _build is not None:
        _fill_later_files()
        dates = sitemap_dates(_build.garden, [file.src_uri for file in files.documentation_pages()])
        for file in files.documentation_pages():
            if file.page is not None:
                file.page.update_date = dates.get(file.src_uri) or file.page.update_date
    return env


def _fill_later_files() -> None:
    """Give each feed and preview shard its content; under `make serve`, one unchanged since the
    previous build is not written again."""
    assert _build is not None
    contents, unchanged = _build.plan.later_files(log.warning)
    for path, content in contents.items():
        file = _build.later_files[path]
        file.content_bytes = content
        if path in unchanged and Path(file.abs_dest_path).exists():
            file.is_modified = _unmodified  # type: ignore[method-assign]


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every page from docs/ is held to the raw-HTML policy (garden/html_policy.py): what breaks
    it is reported like any problem, and the page is published sanitised, whatever the mode."""
    if _build is None or page.file.generated_by is not None:
        return html
    path = page.file.src_uri
    render, _build.render = _build.render, None
    if render is not None and render.found is not None:
        sanitized, violations = render.found.html, render.found.violations
    else:
        sanitized, violations = enforce(html)
        if (render is not None and render.key and render.lookups is not None
                and page.links_to_anchors is not None):
            to_anchors = {file.src_uri: links for file, links in page.links_to_anchors.items()}
            _build.renders.write(render.key, RenderedPage(
                sanitized, violations, toc_tokens(page.toc), frozenset(page.present_anchor_ids or ()),
                page._title_from_render, to_anchors, render.lookups))
    source = _build.garden.notes.get(path) or _build.garden.project_pages.get(path)
    body, body_line = (source.body, source.body_line) if source else (page.markdown or "", 1)
    for problem in policy_problems(path, body, body_line, violations):
        log.warning(str(problem))
    _build.plan.keep_published(path, sanitized)
    return sanitized


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    if _build is None:
        return context
    plan, path = _build.plan, page.file.src_uri
    _place_under_index(page, nav)
    note = plan.garden.notes.get(path)
    if note is not None and (contents := page_contents(page.toc)):
        contents_html = plan.renderer.render("page_contents.html", contents=contents)
        page.content = after_lead(page.content or "", contents_html)
    # Search plugins index page.content in their own on_page_context, which MkDocs runs before
    # hooks': what is added here is shown by Material's own content.html but never indexed.
    if note is not None:
        chrome = _build.notes_chrome.get(path)
        content = _build.chrome.link_glossary_terms(page.content or "", note)
        page.content = f"{chrome.header}{content}{chrome.footer}"
    generated = plan.pages.get(path)
    if generated is not None:
        page.content = f"{page.content}{generated.html_after}"
    entries = _search_entries(config)
    plan.add_search_fields(entries, page.url, path)  # search has just indexed the page
    context["garden_feeds"] = plan.feed_links(path)
    context["garden_cssclasses"] = note.meta.cssclasses if note is not None else ()
    if page.canonical_url:  # only with a site_url: a shared link must be absolute
        # The template escapes the face: a published page's is plain text (shared_faces).
        title = config.site_name if page.is_homepage else page.title or ""
        context["garden_sharing"] = plan.sharing(path, page.canonical_url, title)
    plan.keep_search_entries(path, entries[_build.search_seen:])
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
    if _build is not None and _build.notes_chrome.drawn_ahead:
        log.debug(f"note chrome: {_build.notes_chrome.drawn_ahead} notes drawn ahead by "
                  f"{_build.notes_chrome.started} worker processes")
    _end_workers()
    if _staged is not None:
        publishing.publish(*_staged)
        config.site_dir = str(_staged[1])
    if _build is None or _build.plan.session is None:
        return
    index_file = Path(config.site_dir, "search", "search_index.json")
    if index_file.is_file():
        index = _build.plan.merged_search_index(index_file.read_text(encoding="utf-8"), _build.page_sources)
        index_file.write_text(index, encoding="utf-8")
    for stale in _build.plan.stale_outputs(_build.outputs):
        Path(stale).unlink(missing_ok=True)


