"""MkDocs adapter for the garden: hands MkDocs what garden/site.py decides (`SitePlan`), and
hands the plan back what MkDocs made. No decision about the site is taken here.

Flow of one build (and of every rebuild under `mkdocs serve`):
- `on_config`: forget the previous build (`serve` does not reload hooks); keep MkDocs from
  listing a file whose name it would print raw; a clean build writes into a staging folder.
- `on_files`: build the garden, report its problems, drop what it does not publish, add the
  generated files (and the still empty feeds, preview shards and share cards), drop outputs
  the namespace does not claim, set the navigation, start the workers drawing the share cards
  the disk cache lacks, then the notes' chrome.
- `on_page_read_source` / `on_page_markdown`: the page's text, metadata and title as the plan
  gives them; a note's render comes from the render cache or from MkDocs, watched.
- `on_page_content`: the plan publishes the page (sanitised, its problems reported).
- `on_env`: every page is rendered and nothing is written: fill the feeds, previews and cards.
- `on_page_context`: the page under its index, its content with the chrome (after search
  indexed it), its search fields, the theme's variables.
- `on_post_page` / `on_post_build`: let go of the page's HTML; end the workers, publish the
  staged site, or (`make serve`) merge the search index and remove stale outputs.
"""

from __future__ import annotations

import functools
import gc
import logging
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
from garden.config import garden_config, placeholder_repository
from garden.conventions import index_above
from garden.discovery import UNPRINTABLE_PATH
from garden.model import Garden
from garden.pages import GeneratedPage
from garden.pool import pool_size
from garden.render_cache import (
    PageCache,
    PageRender,
    RenderedPage,
    RenderWatch,
    Target,
    cache_root,
    toc_tokens,
)
from garden.site import PublishedPage, SiteInfo, SitePlan, plan_site, published_from_docs, sitemap_dates
from macros import RENDERED_PAGES

log = get_plugin_logger("garden")

PROJECT_DIR = str(Path(__file__).resolve().parent.parent)
"""The project this hook belongs to (`garden` is an installed package: no `sys.path` edit)."""

_ENGINE_PACKAGES = ("mkdocs", "properdocs", "mkdocs-material")
"""What renders a page besides Python-Markdown, its extensions and nh3: in the render cache's keys."""

_ENGINE_LOG = logging.getLogger(engine_build.__name__.partition(".")[0])
"""The engine's logger (`mkdocs` or `properdocs`), which its command line keeps from the root logger."""

_UNPRINTABLE_NAMES = GitIgnoreSpec.from_lines([]) + PathSpec([RegexPattern(UNPRINTABLE_PATH, include=True)])
"""`exclude_docs` for the names MkDocs must never list (it prints some raw as it lists docs/)."""

_COLLECTOR_THRESHOLDS = (50_000, 20, 20)
"""Python's cyclic collector under `mkdocs serve`, run about 70 times less often than by default:
the server keeps millions of objects from a save to the next (README, "Performance")."""


@dataclass
class _Build:
    """What one build's later events need of its `on_files`."""

    plan: SitePlan
    later_files: dict[str, File]
    """The feeds', previews' and share cards' files, by path: filled in `on_env`."""
    page_sources: list[str]
    """Every page's source path, in build order: the order of the search index."""
    outputs: set[str]
    """Every file this build writes into the site."""
    renders: PageCache
    render: PageRender | None = None
    """The render of the note page being rendered."""


_build: _Build | None = None
_serving = False
"""Whether the engine serves the site: then no worker process is started."""
_staged: tuple[Path, Path] | None = None
"""The staging folder of a clean build, and the site folder it will replace."""


def on_startup(command: str, dirty: bool) -> None:
    """`make serve` runs `mkdocs serve --dirty`: a rebuild writes only the pages a save touches."""
    global _serving
    _serving = command == "serve"
    incremental.start(command == "serve" and dirty)
    if command == "serve":
        gc.set_threshold(*_COLLECTOR_THRESHOLDS)
    if command == "serve" and dirty:
        logging.getLogger(engine_build.__name__).addFilter(_quiet_dirty_warning)


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that navigation may be stale; here it never is."""
    return "'dirty' build" not in record.getMessage()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
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
    if not incremental.is_incremental(config.config_file_path):  # `make serve` rebuilds in place
        site = Path(config.site_dir)
        _staged = (publishing.prepare(site), site)
        config.site_dir = str(_staged[0])
    return config


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
    for problem in [*config_problems, *garden.problems]:
        log.warning(str(problem))

    _drop_unpublishable(files, garden, config)
    site_info = SiteInfo(config.site_name, config.site_description or "", config.site_url or "",
                         config.use_directory_urls, config.theme.get("language", "en"))
    if not site_info.site_url:
        log.warning("mkdocs.yml: set 'site_url' — the RSS feeds need absolute links")
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    plan = plan_site(garden, site_info, options, custom_dir, session,
                     lambda path: files.get_file_from_path(path) is not None,
                     Path(config.config_file_path), config.theme.dirs)
    # Listed before any page is rendered (a link to a feed resolves like any), filled in `on_env`.
    later_files = {path: File.generated(config, path, content=b"") for path in plan.later_paths()}
    for later_file in later_files.values():
        files.append(later_file)
    for path, made in plan.files.items():
        content = made.markdown if isinstance(made, GeneratedPage) else made
        file = File.generated(config, path, content=content)  # reserved: no file of docs/ is here
        files.append(file)
        if path in plan.unchanged and Path(file.abs_dest_path).exists():
            file.is_modified = _unmodified  # type: ignore[method-assign]  # the same page as last time
    for file in list(files):
        if unclaimed := plan.unclaimed_output(file.dest_uri, file.src_uri, file.generated_by is not None):
            files.remove(file)  # reported (the strict build fails), and left unwritten
            log.warning(unclaimed)
    config.nav = plan.nav
    renders = PageCache(cache_root(Path(config.config_file_path).parent), config.markdown_extensions,
                        config.mdx_configs, _ENGINE_PACKAGES, config.use_directory_urls,
                        dict(config.validation.links))
    renders.store.prune(len(garden.notes))
    page_sources = [f.src_uri for f in files.documentation_pages()]
    _build = _Build(plan, later_files, page_sources, {f.abs_dest_path for f in files}, renders)
    workers, wrong = pool_size(serving=_serving or session is not None)
    if wrong:  # outside MkDocs' loggers: shown, and no reason to fail a strict build
        logging.getLogger("garden.workers").warning(wrong)
    plan.draw_chrome_ahead(page_sources, workers)
    plan.draw_cards_unless_ahead()
    if session is not None:
        rendered = plan.pages_to_render()
        for file in files.documentation_pages():
            if file.generated_by is None and (rendered is None or file.src_uri in rendered):
                file.is_modified = _modified  # type: ignore[method-assign]
    _share_with_macros(config, garden)
    return files


def _end_workers() -> None:
    if _build is not None:
        _build.plan.close()


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def _drop_unpublishable(files: Files, garden: Garden, config: MkDocsConfig) -> None:
    docs_dir = Path(config.docs_dir).resolve()

    @functools.cache
    def is_docs_dir(folder: str) -> bool:  # files share a handful of folders: resolve each once
        return Path(folder).resolve() == docs_dir

    for file in list(files):
        from_docs = file.src_dir is not None and is_docs_dir(file.src_dir)
        if from_docs and not published_from_docs(garden, file.src_uri):
            files.remove(file)


def _share_with_macros(config: MkDocsConfig, garden: Garden) -> None:
    """mkdocs-macros runs before hooks: it gets the project pages as the garden rendered them."""
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
    markdown, page.meta, title = _build.plan.page_markdown(path, markdown, page.meta)
    if title is not None:
        page.title = title
    _build.render = None
    if path in _build.plan.garden.notes:
        page.render = functools.partial(_render_note, page)  # type: ignore[method-assign]
    return markdown


def _render_note(page: Page, config: MkDocsConfig, files: Files) -> None:
    """`Page.render` for a note: from the render cache, else MkDocs' own, watched (what files it
    looks up, whether it logs anything) to be stored."""
    del page.render  # once: the page's own method again
    assert _build is not None and page.markdown is not None
    render = _build.render = _build.renders.find(page.markdown, page.file.src_uri, page.file.url,
                                                 lambda path: _target(files.get_file_from_path(path)))
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


def _target(file: File | None) -> Target:
    return (file.url, file.inclusion.is_excluded()) if file is not None else None  # type: ignore[no-untyped-call]


def _store_render(page: Page, render: PageRender, published: PublishedPage) -> None:
    """Store what MkDocs' own render of a note set, if it may be cached."""
    assert _build is not None
    if render.key and render.lookups is not None and page.links_to_anchors is not None:
        to_anchors = {file.src_uri: links for file, links in page.links_to_anchors.items()}
        _build.renders.write(render.key, RenderedPage(
            published.html, published.violations, toc_tokens(page.toc),
            frozenset(page.present_anchor_ids or ()), page._title_from_render, to_anchors, render.lookups))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _build is None or page.file.generated_by is not None:
        return html
    render, _build.render = _build.render, None
    found = render.found if render is not None else None
    published = _build.plan.publish(page.file.src_uri, html, page.markdown or "",
                                    (found.html, found.violations) if found is not None else None)
    if render is not None and found is None:
        _store_render(page, render, published)
    for problem in published.problems:
        log.warning(str(problem))
    return published.html


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page is rendered and nothing is written yet: the feeds and previews are filled, and
    every page (rendered by this build or not) gets the sitemap date the garden gives it."""
    if _build is None:
        return env
    if (compiled := _build.plan.compiled_templates()) is not None:
        env.bytecode_cache = compiled
    contents, unchanged = _build.plan.later_files(log.warning)
    for path, content in contents.items():
        file = _build.later_files[path]
        file.content_bytes = content
        if path in unchanged and Path(file.abs_dest_path).exists():
            file.is_modified = _unmodified  # type: ignore[method-assign]
    dates = sitemap_dates(_build.plan.garden, [file.src_uri for file in files.documentation_pages()])
    for file in files.documentation_pages():
        if file.page is not None:
            file.page.update_date = dates.get(file.src_uri) or file.page.update_date
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    if _build is None:
        return context
    plan, path = _build.plan, page.file.src_uri
    _place_under_index(page, nav)
    # Search plugins index page.content in their own on_page_context, which MkDocs runs before
    # hooks': what is added here is shown by Material's own content.html but never indexed.
    page.content = plan.page_content(path, page.content or "", page.toc)
    plan.add_search_fields(_search_entries(config), page.url, path)
    title = config.site_name if page.is_homepage else page.title or ""
    context.update(plan.template_context(path, page.canonical_url, title))
    return context


def _place_under_index(page: Page, nav: Navigation) -> None:
    """A page the navigation does not list goes under the entry of the index above it: Material's
    breadcrumbs lead there, and that entry shows as the current one. MkDocs activated the page
    before this event (activating it again reaches the new parent) and deactivates it, and so
    the parent, once it is rendered."""
    index = index_above(page.file.src_uri)
    parent = next((item for item in nav.pages if item.file.src_uri == index), None)
    if parent is not None and page.parent is None and page not in nav.pages:
        page.parent = parent  # type: ignore[assignment]  # a Page, not a Section: Material's path-item renders either
        page.active = True


def _search_entries(config: MkDocsConfig) -> list[dict[str, object]]:
    """The search plugin's own list of entries so far (copying it for every page costs N²)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None:
            entries: list[dict[str, object]] = index.entries
            return entries
    return []


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """MkDocs never reads the page's HTML again, yet would keep it until the build ends."""
    page.content = None
    return output


def on_post_build(config: MkDocsConfig) -> None:
    if _build is not None and (pool := _build.plan.notes_chrome) is not None and pool.drawn_ahead:
        log.debug(f"note chrome: {pool.drawn_ahead} notes drawn ahead by {pool.started} worker processes")
    _end_workers()
    if _staged is not None:  # every plugin has written its files: the staged site replaces the old
        publishing.publish(*_staged)
        config.site_dir = str(_staged[1])
    if _build is None or _build.plan.session is None:
        return
    index_file = Path(config.site_dir, "search", "search_index.json")
    if index_file.is_file():  # with the entries of the pages this rebuild did not render
        index = _build.plan.merged_search_index(index_file.read_text(encoding="utf-8"), _build.page_sources)
        index_file.write_text(index, encoding="utf-8")
    for stale in _build.plan.stale_outputs(_build.outputs):
        Path(stale).unlink(missing_ok=True)
