"""The pull-request gate: hostile or odd input is refused with the file named, never run, never a crash.

One hostile garden holds every case as its own file (written here, since symbolic links,
pipes and oversized files do not belong in the repository). Each case has its expected
verdict; `python -m garden check` and a strict MkDocs build must name exactly the same
files; and a non-strict build (what `mkdocs serve` publishes) must carry nothing that
runs, loads from another host, or leaks a draft.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, assert_each_verdict, build_project, copy_fixture, note_text

FRONT = note_text  # a valid note with any field replaced

# path → (text or None for a special file made below, the fragment its problem must contain;
#         None: the file is accepted)
CASES: dict[str, tuple[str | None, str | None]] = {
    "career/ok-note.md": (FRONT("OK note", body="Links to [[ok-two]] and [[broken-yaml]]."), None),
    "career/ok-two.md": (FRONT("Café culture", body="Back to [[ok-note]]; " + "`" * 3000), None),
    "career/nfd-link.md": (FRONT("NFD", body="See [[Cafe\u0301 culture]]."), None),
    "career/script.md": (FRONT("Script", body="Hi <script>alert(1)</script>"), "<script>"),
    "career/img-handler.md": (FRONT("Img", body='<img src="x.png" onerror="alert(1)">'), "'onerror'"),
    "career/svg-onload.md": (FRONT("Svg", body="<svg onload=alert(1)></svg>"), "<svg>"),
    "career/js-href.md": (FRONT("Href", body='<a href="javascript:alert(1)">x</a>'), "javascript:"),
    "career/md-js-link.md": (FRONT("MdJs", body="[x](javascript:alert(1))"), "javascript:"),
    "career/attr-handler.md": (FRONT("Attr", body='A paragraph.\n{: onmouseover="alert(1)" }'),
                               "'onmouseover'"),
    "career/remote-img.md": (FRONT("Remote", body="![x](https://example.com/x.png)"), "https://example.com/x.png"),
    "career/iframe.md": (FRONT("Iframe", body='<iframe src="https://example.com"></iframe>'), "<iframe>"),
    "career/style.md": (FRONT("Style", body='<p style="position:fixed">x</p>'), "'style'"),
    "career/data-html.md": (FRONT("Data", body='<a href="data:text/html,<script>x</script>">x</a>'),
                            "data:text/html"),
    "career/heading-link.md": (FRONT("Heading", body="## See [[ok-note]]\n\nText."),
                               "heading cannot contain"),
    "career/duplicate-key.md": ("---\ntitle: A\ntitle: B\nsummary: S.\ntags: [career]\n"
                                "created: 2024-01-01\n---\n", "appears twice"),
    "career/alias-bomb.md": ("---\ntitle: Bomb\nsummary: S.\ntags: [career]\ncreated: 2024-01-01\n"
                             "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                             "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\n", "anchors and aliases"),
    "career/deep-yaml.md": ("---\ntitle: Deep\nx: " + "[" * 50_000 + "\n---\n", "nested"),
    "career/control.md": (FRONT('"Bell\\a"', body="Text."), "U+0007"),
    "career/far-date.md": (FRONT("Far", created="2107-01-01"), "outside"),
    "career/template.md": (FRONT("Template", template="missing.html"), "'template'"),
    "career/search-key.md": (FRONT("Search", search="5"), "'search'"),
    "career/alias-shadow.md": (FRONT("Shadow", aliases="[ok-note]"), "already the slug"),
    "career/broken-yaml.md": ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
    "career/broken-draft.md": (FRONT("Draft", draft="true", tgas="[x]", body="SECRET-DRAFT-TEXT"), "'tgas'"),
    "career/index.md": (FRONT("Index"), "reserved"),
    "career/README.md": (FRONT("Readme"), "reserved"),
    "tags/career.md": (FRONT("Tag"), "reserved"),
    "graph.md": (FRONT("Graph"), "reserved"),
    "career.md": (FRONT("Career"), "section's generated index"),
    "feed.xml": ("<rss/>", "reserved"),
    "notes.markdown": (FRONT("Markdown"), "'.md'"),
    ".hidden.md": (FRONT("Hidden"), "hidden"),
    "career/not-utf8.md": (None, "UTF-8"),
    "career/too-big.md": (None, "limit"),
    "career/outside-link.md": (None, "symbolic link"),
    "career/dev-zero.md": (None, "symbolic link"),
    "career/dangling.md": (None, "symbolic link"),
    "career/loop.md": (None, "symbolic link"),
    "career/fifo.md": (None, "regular file"),
    "index.md": ("---\ntitle: Home\n---\n\n[Missing](career/missing.md) <script>pwned_index()</script>\n",
                 "points at no page"),
}


def write_cases(docs: Path) -> None:
    for path, (text, _) in CASES.items():
        file = docs / path
        file.parent.mkdir(parents=True, exist_ok=True)
        if text is not None:
            file.write_text(text, encoding="utf-8")
    career = docs / "career"
    (career / "not-utf8.md").write_bytes(FRONT("Latin").encode() + "caf\xe9".encode("latin-1"))
    (career / "too-big.md").write_text(FRONT("Big", body="word " * 60_000), encoding="utf-8")
    (career / "outside-link.md").symlink_to("/etc/passwd")
    (career / "dev-zero.md").symlink_to("/dev/zero")
    (career / "dangling.md").symlink_to(career / "nowhere.md")
    (career / "loop.md").symlink_to(career / "loop.md")
    os.mkfifo(career / "fifo.md")
    (docs / "folder.md").mkdir()  # a folder with a Markdown name is only a folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("linked", tmp_path_factory.mktemp("hostile"))
    docs = project / "docs"
    for old in list(docs.rglob("*.md")):
        old.unlink()
    write_cases(docs)
    return project


def run_check(project: Path, github: bool = False) -> subprocess.CompletedProcess[str]:
    """`python -m garden check` as pre-commit and CI run it, in a subprocess: a crash or a
    segfault shows as an exit code, not as a dead test session."""
    config = build_project.__globals__["project_config"](project)
    env = {**os.environ, "PYTHONPATH": str(REPO), "GITHUB_ACTIONS": "true" if github else "false"}
    return subprocess.run([sys.executable, "-m", "garden", "check", "-f", str(config)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def files_named(lines: list[str], candidates: Iterable[str] = CASES) -> set[str]:
    """The files (of `candidates`) that problem lines, check's or the build's, name."""
    named: set[str] = set()
    for line in lines:
        line = line.removeprefix("garden: ")
        doc_file = re.match(r"Doc file '([^']+)'", line)
        named |= {doc_file.group(1)} if doc_file else {p for p in candidates if line.startswith(f"{p}:")}
    return named


@pytest.fixture(scope="module")
def check(hostile: Path) -> subprocess.CompletedProcess[str]:
    return run_check(hostile)


def test_check_refuses_each_hostile_case_with_its_own_message(check):
    assert check.returncode == 1, check.stderr[-2000:]
    assert_each_verdict(check.stderr.splitlines(), CASES)


def test_check_and_the_strict_build_name_the_same_files(hostile, check):
    site = build_project(hostile, strict=True)
    assert site.aborted
    assert files_named(site.warnings) == files_named(check.stderr.splitlines())


def test_the_published_site_runs_nothing_and_leaks_no_draft(hostile):
    site = build_project(hostile, strict=False)
    text = "\n".join(content for path, content in site.all_text_files().items()
                     if path.endswith((".html", ".xml", ".json")))  # what comes from the notes
    for forbidden in ("alert(1)", "pwned_index", "javascript:", "onerror", "onmouseover", "<iframe",
                      "<svg onload", "https://example.com/x.png", "position:fixed", "SECRET-DRAFT-TEXT",
                      "root:x:0"):
        assert forbidden not in text, forbidden


def test_no_value_from_a_note_can_start_a_workflow_command(tmp_path):
    project = copy_fixture("linked", tmp_path)
    (project / "docs" / "evil\n::warning title=x::pwned,:.md").write_text(FRONT("Evil", tags="[nope]"))
    result = run_check(project, github=True)
    for line in (result.stdout + result.stderr).splitlines():
        assert not line.startswith("::") or line.startswith("::error file=docs/evil%0A%3A%3Awarning"), line


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if (p / "docs").is_dir()))
def test_check_fails_exactly_when_the_strict_build_fails_naming_the_same_files(fixture, tmp_path):
    project = copy_fixture(fixture, tmp_path)
    check = run_check(project)
    site = build_project(project, strict=True)
    files = [p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*")]
    assert (check.returncode != 0) == site.aborted, check.stderr[-2000:]
    assert files_named(check.stderr.splitlines(), files) == files_named(site.warnings, files)
