"""The gate for project pages (the home page and every page of `extra.garden.pages`).

A project page is a file a pull request can touch like any note: its front matter goes to
Material's templates and its text may be a template of the garden's macros. One hostile
garden holds every case as a project page of its own, each with its expected verdict;
`python -m garden check` and a strict build must report the same problems on the same lines;
and a non-strict build (what `mkdocs serve` publishes) must run nothing and leak no draft.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import (
    REPO,
    BuiltSite,
    assert_each_verdict,
    build_project,
    copy_fixture,
    note_text,
    project_config,
    repo_mkdocs_yml,
)
from jinja2.exceptions import SecurityError

from garden.metadata import PageFrontMatter
from garden.project_pages import PublishedView, page_macros, render_page

PIXEL = "data:image/png;base64,AA=="
MARKER = "{marker}"
"""Stands for a file under the test's temporary folder that no case may create."""


def page(body: str, front: str = "title: A page\nrender_macros: true") -> str:
    return f"---\n{front}\n---\n\n{body}\n"


# path → (text, the fragment its problem must contain; None: the page is accepted)
CASES: dict[str, tuple[str, str | None]] = {
    "index.md": (page("It holds {{ note_count() }} notes.\n\n{{ recent_changes(3) }}\n\n{{ section_list() }}",
                      'title: Home & garden\ndescription: "\\x3cscript\\x3epwned_hex()\\x3c/script\\x3e"\n'
                      "render_macros: true\nhide: [toc]"), None),
    "os-system.md": (page(f"{{{{ cycler.__init__.__globals__.os.system('touch {MARKER}') }}}}"),
                     "only a macro call"),
    "drafts-leak.md": (page("{{ garden.drafts.values() | map(attribute='body') | join(' ') }}"),
                       "only a macro call"),
    "description-script.md": (page("Text.", 'title: D\ndescription: "<script>pwned_desc()</script>"'), None),
    "description-quote.md": (page("Text.", """title: Q\ndescription: '"><script>pwned_quote()</script>'"""),
                             None),
    "title-markup.md": (page("Text.", "title: <img src=x onerror=pwned_title()>"), None),
    "redirect.md": (page("Text.", "title: R\ntemplate: redirect.html\nlocation: javascript:pwned_redirect()"),
                    "'template' is not a project-page field"),
    "icon.md": (page("Text.", "title: I\nicon: material/does-not-exist"),
                "'icon' is not a project-page field"),
    "macro-script.md": (page('{{ "<scr" ~ "ipt>pwned_concat()</scr" ~ "ipt>" }}'), "only a macro call"),
    "constant-script.md": (page("{{ '<script>pwned_const()</script>' }}"), "only a macro call"),
    "raw-script.md": (page("Hi <script>pwned_raw()</script> {{ note_count() }}"), "<script>"),
    "unknown-key.md": (page("Text.", "titel: U"), "did you mean 'title'"),
    "syntax-error.md": (page("First line.\n\n{{ note_count( }}"), "cannot be read"),
    "undefined-macro.md": (page("{{ recent_change(3) }}"), "did you mean 'recent_changes'"),
    "bare-name.md": (page("{{ note_count }}"), "is a macro: call it"),
    "for-loop.md": (page("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}"),
                    "'{% for %}' is not allowed"),
    "bad-argument.md": (page("{{ recent_changes('many') }}"), "a whole number"),
    "control-title.md": (page("Text.", 'title: "Bell\\a"'), "U+0007"),
    "hide-unknown.md": (page("Text.", "title: H\nhide: [everything]"), "'hide' must be a list of"),
    "hide-mapping.md": (page("Text.", "title: H\nhide: [{toc: 1}]"), "'hide' must be a list of"),
    "render-flag.md": (page("Text.", "title: F\nrender_macros: 'yes'"), "true or false"),
    "no-title.md": (page("# <b>Heading</b>", "render_macros: false"), "'title' is missing"),
    "not-a-template.md": (page("Shown as written: {{ 7*7 }}.", "title: Literal"), None),
    # mkdocs-macros reads a page's first heading as its title when it holds {# (and keeps it)
    "heading-markup.md": (page(f"# {{# c #}}<img src={PIXEL} onerror=pwned_heading()>", "title: H"), None),
    "broken-heading.md": (page(f"# {{# c #}}<img src={PIXEL} onerror=pwned_broken()>", "title: B\nicon: x"),
                          "'icon' is not a project-page field"),
}
PAGES = sorted(CASES)
SECRETS = ("pwned_hex", "pwned_desc", "pwned_quote", "pwned_title", "pwned_redirect", "pwned_concat",
           "pwned_const", "pwned_raw", "pwned_heading", "pwned_broken")
"""Script each case tries to run: none may reach a <script> element, an attribute or a URL."""
DRAFT_TEXT = "SECRET-DRAFT-BODY"
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "srcdoc")


def overrides() -> dict[str, Any]:
    """The repository's config with every case listed as a project page."""
    extra = repo_mkdocs_yml()["extra"]
    extra["garden"]["pages"] = PAGES
    return {"extra": extra}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("linked", tmp_path_factory.mktemp("hostile-pages"))
    docs = project / "docs"
    for path, (text, _) in CASES.items():
        (docs / path).write_text(text.replace(MARKER, str(project / "pwned")), encoding="utf-8")
    (docs / "culture" / "secret.md").write_text(note_text("Secret", tags="[culture]", draft="true",
                                                          body=DRAFT_TEXT), encoding="utf-8")
    return project


def run_check(project: Path) -> subprocess.CompletedProcess[str]:
    config = project_config(project, overrides())
    env = {**os.environ, "PYTHONPATH": str(REPO), "GITHUB_ACTIONS": "false"}
    return subprocess.run([sys.executable, "-m", "garden", "check", "-f", str(config)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


@pytest.fixture(scope="module")
def check(hostile: Path) -> subprocess.CompletedProcess[str]:
    return run_check(hostile)


@pytest.fixture(scope="module")
def strict(hostile: Path, check: subprocess.CompletedProcess[str]) -> BuiltSite:
    return build_project(hostile, strict=True, overrides=overrides())


@pytest.fixture(scope="module")
def published(hostile: Path, strict: BuiltSite) -> BuiltSite:
    return build_project(hostile, strict=False, overrides=overrides())


def page_problems(lines: list[str]) -> set[str]:
    """The problem lines, check's or the build's, that name one of the cases."""
    stripped = (line.removeprefix("garden: ") for line in lines)
    return {line for line in stripped if any(line.startswith(f"{path}:") for path in CASES)}


def test_check_gives_each_case_its_verdict(check):
    assert check.returncode == 1, check.stderr[-2000:]
    assert_each_verdict(check.stderr.splitlines(), CASES)


def test_problems_name_the_line_of_the_page(check):
    lines = check.stderr.splitlines()
    assert any(line.startswith("syntax-error.md:8: ") for line in lines), lines
    assert any(line.startswith("redirect.md:3: ") for line in lines), lines
    assert any(line.startswith("no-title.md:1: ") for line in lines), lines
    assert any(line.startswith("os-system.md:6: ") for line in lines), lines


def test_check_and_the_strict_build_report_the_same_problems(check, strict):
    assert strict.aborted
    assert page_problems(strict.warnings) == page_problems(check.stderr.splitlines())


def test_nothing_a_page_writes_runs_during_the_build_or_the_check(hostile, check, strict, published):
    assert not (hostile / "pwned").exists()


def test_the_published_site_runs_nothing_and_leaks_no_draft(published):
    assert not published.aborted
    files = published.all_text_files()
    for path, text in files.items():
        assert DRAFT_TEXT not in text, path
        if not path.endswith(".html"):
            continue
        soup = BeautifulSoup(text, "html.parser")
        for script in soup.find_all("script"):
            assert not any(secret in script.get_text() for secret in SECRETS), (path, script)
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                shown = " ".join(value) if isinstance(value, list) else value
                if name.startswith("on"):
                    assert not any(secret in shown for secret in SECRETS), (path, element)
                if name in URL_ATTRIBUTES:
                    assert not shown.strip().lower().startswith("javascript:"), (path, element)
        if path.removesuffix("/index.html") + ".md" in CASES:  # alias redirect pages do refresh
            assert soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}) is None, path


def test_front_matter_printed_by_the_theme_is_escaped(published):
    home = published.site / "index.html"
    html = home.read_text(encoding="utf-8")
    assert '<meta name="description" content="&lt;script&gt;pwned_hex()&lt;/script&gt;">' in html
    quote = (published.site / "description-quote" / "index.html").read_text(encoding="utf-8")
    assert 'content="&#34;&gt;&lt;script&gt;pwned_quote()' in quote or \
        'content="&quot;&gt;&lt;script&gt;pwned_quote()' in quote
    title = published.page("title-markup/")
    assert title.find("img", attrs={"onerror": True}) is None
    assert "<img src=x onerror=pwned_title()>" in title.title.get_text()
    shared = title.find("meta", attrs={"property": "og:title"})
    assert shared is not None and shared["content"] == "<img src=x onerror=pwned_title()>"


def test_accepted_pages_are_published_as_written(published):
    home = published.article("")
    assert "It holds 4 notes." in home.get_text()
    assert home.select_one(".garden-recent a") is not None
    assert "Shown as written: {{ 7*7 }}." in published.article("not-a-template/").get_text()


def test_a_page_with_problems_is_published_as_its_problems(published):
    article = published.article("icon/")
    assert "This page has problems" in article.get_text()
    assert "'icon' is not a project-page field" in article.get_text()
    assert published.page("redirect/").find("meta", attrs={"http-equiv": True}) is None


VIEW = PublishedView(note_count=2, changes=(), sections=(), trails=(), reference_pages=())


@pytest.mark.parametrize(("body", "expected"), [
    ("{{ note_count() }} notes", "2 notes"),
    ("{% raw %}{{ braces }}{% endraw %}", "{{ braces }}"),
    ("{{ recent_changes(limit=2) }}", "garden-recent"),
])
def test_macros_render_in_the_sandbox(body, expected):
    markdown, problems = render_page("p.md", PageFrontMatter("P", render_macros=True), body, 5,
                                     page_macros(VIEW, "p.md"))
    assert problems == []
    assert markdown is not None and expected in markdown


@pytest.mark.parametrize(("body", "expected"), [
    ("{{ ''.__class__.__mro__ }}", "only a macro call"),
    ("{{ note_count.__globals__ }}", "only a macro call"),
    ("{{ recent_changes(*[1]) }}", "plain numbers or text"),
    ("{{ recent_changes(0) }}", "a whole number"),
    ("{{ section_list(1) }}", "a macro failed"),
    ("{% set x = 1 %}", "'{% assign %}' is not allowed"),
    ("{% macro m() %}{% endmacro %}", "not allowed"),
    ("{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}", "template"),
])
def test_what_a_template_may_not_do_is_a_problem_never_a_traceback(body, expected):
    markdown, problems = render_page("p.md", PageFrontMatter("P", render_macros=True), body, 5,
                                     page_macros(VIEW, "p.md"))
    assert markdown is None
    assert len(problems) >= 1 and expected in str(problems[0]), problems
    assert all(problem.path == "p.md" and (problem.line or 5) >= 5 for problem in problems)


def test_the_sandboxs_own_refusal_is_a_problem_on_its_line():
    """The rule above refuses attribute access before anything runs; should a SecurityError
    come from the sandbox all the same, it is a problem, not a traceback."""
    def unsafe() -> str:
        raise SecurityError("access to attribute '__globals__' of 'function' object is unsafe.")

    markdown, problems = render_page("p.md", PageFrontMatter("P", render_macros=True),
                                     "Text.\n{{ unsafe() }}", 5, {"unsafe": unsafe})
    assert markdown is None
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(6, "the page's template failed")]
