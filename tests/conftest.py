"""Shared test helpers: build real sites from small fixture gardens and read what a reader sees."""

from __future__ import annotations

import functools
import http.server
import importlib
import logging
import os
import shutil
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup, Tag

ENGINE = os.environ.get("GARDEN_ENGINE", "mkdocs")
"""The site engine the tests build with: `mkdocs`, or `properdocs` (`make test ENGINE=properdocs`
sets GARDEN_ENGINE), MkDocs 1.x's maintained fork, which answers every `mkdocs.…` import once its
`replacement` module is loaded, as its command line loads it."""
if ENGINE != "mkdocs":
    importlib.import_module(f"{ENGINE}.replacement")

from mkdocs.commands.build import build  # noqa: E402  (the engine's, after the line above)
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402

from garden import Garden  # noqa: E402
from garden.build import Settings, build_garden  # noqa: E402
from garden.config import read_project  # noqa: E402

ENGINE_LOG = logging.getLogger(build.__module__.partition(".")[0])
"""The root logger of the engine really running (`properdocs` when ProperDocs answers for
MkDocs): the garden's and the engine's warnings reach it."""
if ENGINE_LOG.name != "mkdocs":
    # As ProperDocs' command line does: plugins written for MkDocs (Material, mkdocs-macros) log
    # under `mkdocs.…`, which counts in strict mode and in `BuiltSite.warnings` only once it
    # propagates to the engine's logger.
    logging.getLogger("mkdocs").parent = ENGINE_LOG

REPO = Path(__file__).resolve().parent.parent
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
"""A 375 px touch phone, as the browser tests open a context for one (`new_context(**PHONE)`)."""
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_FILES = ("tags.yml", "sources.yml", "trails.yml", "glossary.yml")
"""The garden's data files beside mkdocs.yml: vocabularies of tags and sources, trails, glossary."""


def copy_real_garden(project: Path) -> Path:
    """The real garden (docs/, charts/ and the data files) copied into `project`, to build it."""
    for name in ("docs", "charts"):
        shutil.copytree(REPO / name, project / name)
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, project / name)
    return project


@dataclass
class BuiltSite:
    """A site built into a temp dir, with every warning MkDocs and the garden logged."""

    project: Path
    site: Path
    warnings: list[str] = field(default_factory=list)
    aborted: bool = False

    def page(self, url: str) -> BeautifulSoup:
        """The parsed HTML of a page by its URL path, e.g. `career/a/`."""
        path = self.site / url
        if url.endswith("/") or not url:
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def article(self, url: str) -> Tag:
        """The page's main content (what a reader reads), without navigation and header."""
        article = self.page(url).select_one("article.md-content__inner")
        assert article is not None, f"{url} has no article"
        return article

    def all_text_files(self) -> dict[str, str]:
        """Every text file of the site, by path relative to the site root."""
        suffixes = {".html", ".xml", ".json", ".js", ".css", ".svg", ".txt"}
        return {p.relative_to(self.site).as_posix(): p.read_text(encoding="utf-8", errors="replace")
                for p in self.site.rglob("*") if p.is_file() and p.suffix in suffixes}


class _MkDocsYamlLoader(yaml.SafeLoader):
    """mkdocs.yml as published: `!ENV [NAME, default]` is read as its default, whatever the
    environment says (`make serve` sets GARDEN_SITE_URL; the tests never depend on it)."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.SequenceNode), "!ENV takes [NAME, default]"
    return loader.construct_sequence(node)[-1]


_MkDocsYamlLoader.add_constructor("!ENV", _env_default)


def repo_mkdocs_yml() -> dict[str, Any]:
    """The repository's mkdocs.yml as plain data, with the published `site_url`."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsYamlLoader)
    assert isinstance(config, dict)
    return config


def project_config(project: Path, overrides: dict[str, Any] | None = None) -> Path:
    """Write a mkdocs.yml into `project`: the repository's own config, pointed at the repo's
    hooks, macros and theme overrides, with the fixture's docs/ and tags.yml."""
    config = repo_mkdocs_yml()
    config["hooks"] = [str(REPO / hook) for hook in config["hooks"]]
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "macros" in plugin:
            plugin["macros"]["module_name"] = str(REPO / "macros")
    config["watch"] = []
    config.update(overrides or {})
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_warnings() -> Iterator[list[str]]:
    handler = _Collect()
    ENGINE_LOG.addHandler(handler)
    try:
        yield handler.messages
    finally:
        ENGINE_LOG.removeHandler(handler)


def engine_command(*arguments: str) -> list[str]:
    """`python -m <engine> ARGUMENTS` with this Python: the command line of the engine the tests
    build with, as `make build` and `make serve` run it."""
    return [sys.executable, "-m", ENGINE, *arguments]


def subprocess_env(project: Path = REPO, **variables: str) -> dict[str, str]:
    """The environment of an engine or `garden` subprocess: `project`'s own code first on the
    import path, not whatever `pip install -e .` last installed (maybe another worktree), and no
    notice from Material about MkDocs 2 in its output."""
    return {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1", **variables}


def build_project(project: Path, strict: bool = True, overrides: dict[str, Any] | None = None) -> BuiltSite:
    """Build `project` (a folder with docs/ and tags.yml) the way `make build` does."""
    config_file = project_config(project, overrides)
    site = project / "site"
    built = BuiltSite(project, site)
    with _collect_warnings() as warnings:
        config = load_config(str(config_file), site_dir=str(site), strict=strict)
        try:
            build(config)
        except Abort:
            built.aborted = True
    built.warnings = warnings
    return built


@pytest.fixture(scope="session")
def real_garden() -> Garden:
    """The real garden's model (docs/ as `garden check` reads it), read once per session: no
    site is built, so tests using it are unit tests."""
    project, problems = read_project(REPO / "mkdocs.yml")
    assert project is not None, [str(problem) for problem in problems]
    return build_garden(Settings.for_project(project))


def make_dry_run(*arguments: str) -> list[str]:
    """The commands `make ARGUMENTS` would run (-n: none is run), as if every file it makes were
    out of date (-B), so the answer does not depend on what this machine has installed: what a
    target does, read from make rather than from the Makefile's text."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    # Without the variables a calling make passes down (`make pytest ENGINE=properdocs` puts
    # ENGINE in MAKEFLAGS): the answer is the Makefile's for exactly `arguments`.
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "ENGINE"}
    env = {name: value for name, value in os.environ.items() if name not in outer}
    result = subprocess.run([make, "-n", "-B", *arguments], cwd=REPO, capture_output=True, text=True,
                            check=True, env=env)
    return [line.strip() for line in result.stdout.replace("\\\n", " ").splitlines()]


def real_note_title(path: str) -> str:
    """The title a note of the real garden has now (the notes' wording changes; the tests
    that look for one must not)."""
    title = frontmatter.loads((REPO / "docs" / path).read_text(encoding="utf-8"))["title"]
    assert isinstance(title, str)
    return title


def assert_each_verdict(lines: Iterable[str], cases: dict[str, tuple[Any, str | None]],
                        shown: Callable[[str], str] = str) -> None:
    """Each hostile case's verdict in a check or build log: no line for a case expected to pass
    (None), and for every other case a line of its own (starting with its path, as `shown`
    prints it) that contains the expected fragment."""
    lines = list(lines)
    for path, (_, expected) in cases.items():
        own = [line for line in lines if line.startswith(f"{shown(path)}:")]
        if expected is None:
            assert own == [], path
        else:
            assert any(expected in line for line in own), f"{path!r}: expected '{expected}' in {own}"


def copy_fixture(name: str, destination: Path) -> Path:
    """Copy `tests/fixtures/<name>` (docs/, tags.yml, charts/) into `destination`."""
    project = destination / name
    shutil.copytree(FIXTURES / name, project)
    if not (project / "tags.yml").exists():
        shutil.copy(FIXTURES / "tags.yml", project / "tags.yml")
    return project


def site_fixture(name: str, strict: bool = True, scope: Literal["class", "module", "session"] = "class"):
    """A fixture that builds the fixture garden `name` once for a whole test class (an attribute
    of the class) or module (a module-level name, with scope="module")."""

    def site(*_test_class: object, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
        # `*_test_class` takes the class when the fixture is a test class's attribute.
        return build_project(copy_fixture(name, tmp_path_factory.mktemp(name)), strict=strict)

    if scope != "class":
        return pytest.fixture(scope=scope)(site)
    # A class-scoped fixture must be a classmethod: bound to one instance, pytest deprecates it.
    # pytest calls it through the class; typeshed's classmethod is no Callable.
    return pytest.fixture(scope=scope)(cast(Callable[..., BuiltSite], classmethod(site)))


@pytest.fixture
def build_fixture(tmp_path: Path):
    """Build a fixture garden strictly and return the site; `build_fixture(name, strict=False)`."""

    def _build(name: str, strict: bool = True) -> BuiltSite:
        return build_project(copy_fixture(name, tmp_path), strict=strict)

    return _build


def note_text(title: str = "A note", tags: str = "[career]", body: str = "Some text.", **fields: str) -> str:
    """A valid note's text, with any field replaced or added (as raw YAML) via keyword arguments."""
    lines = {"title": title, "summary": f"What {title} says.", "tags": tags, "created": "2024-03-02",
             **fields}
    front = "\n".join(f"{key}: {value}" for key, value in lines.items())
    return f"---\n{front}\n---\n\n{body}\n"


VOCABULARY = {"career": "Careers.", "culture": "Culture.", "leadership": "Leading."}


def make_garden(tmp_path: Path, notes: dict[str, str], tags: str | None = None):
    docs = tmp_path / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for path, text in notes.items():
        file = docs / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    (tmp_path / "tags.yml").write_text(tags or yaml.safe_dump(VOCABULARY), encoding="utf-8")
    # Parsed with the site's Markdown extensions, as the hook and `check` parse (attr_list ids…).
    return build_garden(Settings(docs_dir=docs, tags_file=tmp_path / "tags.yml",
                                 markdown_extensions=tuple(repo_mkdocs_yml()["markdown_extensions"])))

# Browser tests (tests/test_browser*.py and others) share one strict build of the real garden,
# served on 127.0.0.1, and one Debian Chromium.
CHROMIUM = Path("/usr/bin/chromium")
# Flags that keep Chromium from calling home: the machine (and CI) has no network but loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The real garden, built strictly once for every browser test and served on 127.0.0.1."""
    project = tmp_path_factory.mktemp("browser") / "garden"
    copy_real_garden(project)
    site = build_project(project, strict=True)
    assert not site.aborted, site.warnings
    handler = functools.partial(_QuietHandler, directory=str(site.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()  # its listening socket: an unclosed one is a ResourceWarning, an error here


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host would: a missing page gets the site's 404.html, and
    the published path prefix (/garden/, from site_url, which 404.html's links use) maps to the root."""

    def log_message(self, format: str, *args: object) -> None:  # `format`: the stdlib's name
        pass

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.removeprefix("/garden"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory, "404.html")
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


# The three tiers of tests (`make test-fast` runs `-m unit`). A test gets its tier from what it
# uses, so a new test is classified without anyone remembering to mark it:
#   browser: it uses a fixture of BROWSER_FIXTURES (a Chromium, a page, the served real garden);
#   site:    it builds a site or starts a process: its code, or that of a fixture it uses, names
#            one of SITE_BUILDERS, directly or through functions and classes of tests/ it calls;
#   unit:    anything else (the model, views and templates, in this process, without a build).
# A test marked explicitly with one of the three (on the test, its class or its module) keeps it.
TIERS = ("unit", "site", "browser")
BROWSER_FIXTURES = frozenset({"browser", "page", "server"})
SITE_BUILDERS = frozenset({"build_project", "build_fixture", "copy_real_garden", "Served", "subprocess"})
TIER_OF: pytest.StashKey[dict[str, str]] = pytest.StashKey()
"""Every collected test's tier by node id, before `-m` deselects any (tests/test_tiers.py reads it)."""


def defined_in_tests(code: object) -> bool:
    """Whether `code` (a function, method, fixture or class) is defined under tests/: the
    helpers a tier is looked for in (pytest's and the libraries' code builds no site)."""
    code = getattr(code, "__func__", code)
    module = sys.modules.get(getattr(code, "__module__", None) or "")
    file = getattr(module, "__file__", None)
    return file is not None and Path(file).is_relative_to(FIXTURES.parent)


def names_used(code: object, seen: set[int] | None = None) -> set[str]:
    """The global names `code` refers to, following the functions and classes of tests/ that
    it names, however deep, and nested functions (a fixture's inner builder)."""
    seen = set() if seen is None else seen
    if id(code) in seen:
        return set()
    seen.add(id(code))
    if isinstance(code, type):
        found: set[str] = set()
        for member in vars(code).values():
            found |= names_used(member, seen)
        return found
    function = getattr(code, "__func__", code)
    function = getattr(function, "__wrapped__", function)
    if not isinstance(function, types.FunctionType):
        return set()
    found = set()
    pending = [function.__code__]
    while pending:
        current = pending.pop()
        found.update(current.co_names)
        pending.extend(const for const in current.co_consts if isinstance(const, types.CodeType))
    for name in list(found):
        value = function.__globals__.get(name)
        if value is not None and callable(value) and defined_in_tests(value):
            found |= names_used(value, seen)
    return found


def tier(fixtures: Iterable[str], code: Iterable[object]) -> str:
    """The tier of a test that uses `fixtures` and runs `code` (its function and its fixtures')."""
    if BROWSER_FIXTURES & set(fixtures):
        return "browser"
    if any(SITE_BUILDERS & names_used(function) for function in code):
        return "site"
    return "unit"


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tiers: dict[str, str] = {}
    for item in items:
        explicit = [mark.name for mark in item.iter_markers() if mark.name in TIERS]
        if explicit:
            tiers[item.nodeid] = explicit[0]
            continue
        assert isinstance(item, pytest.Function)
        fixture_functions = [definition.func for definitions in item._fixtureinfo.name2fixturedefs.values()
                             for definition in definitions if defined_in_tests(definition.func)]
        tiers[item.nodeid] = tier(item.fixturenames, [item.obj, *fixture_functions])
        item.add_marker(tiers[item.nodeid])
    config.stash[TIER_OF] = tiers


def pytest_terminal_summary(terminalreporter) -> None:
    """Tell humans where the browser tests left their screenshots."""
    screenshots = REPO / "test-artifacts" / "screenshots"
    if screenshots.is_dir() and any(screenshots.iterdir()):
        terminalreporter.write_line(f"screenshots of the pages: {screenshots}")
