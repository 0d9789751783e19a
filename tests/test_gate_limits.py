"""The gate's limits on work and output: hostile input is refused before it costs minutes, a
traceback or a silently wrong page (issue 19, items 6 and 7).

Each case is a garden of its own (the linked fixture plus the case's files), checked with
`python -m garden check` and built with `mkdocs build --strict`, both in subprocesses with a
generous time bound: a regression that makes a case quadratic again fails here, after
`BOUND` seconds, rather than on CI's 90-minute clock. Check and build must name the same files.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, build_project, copy_fixture, engine_command, make_garden, project_config
from conftest import note_text as FRONT
from test_gate import files_named

from garden.diff import MAX_SUMMARY_BYTES, GardenDiff, render_markdown
from garden.graph import label_lines
from garden.limits import MAX_SCAN_STEPS

BOUND = 45.0
"""Seconds a check or a build of one small hostile garden may take: not a benchmark (each
takes one to five seconds, ten times that on a loaded machine), a guard against quadratic
work (these took from a minute to forever)."""

DIV = "<div markdown>\n"
CHART = "title: T\ndescription: D\nunit: u\ncategories: [a, b]\nseries:\n  - {name: s, values: [%s, 1]}\n"


def note_x(body: str) -> dict[str, str]:
    return {"docs/career/x.md": FRONT("X", body=body)}


NEVER_CLOSE = ("career/x.md", "never close")


def glossary(terms: int) -> str:
    return "".join(f"t{index}: d\n" for index in range(terms))


def using_terms(terms: int) -> dict[str, str]:
    body = " ".join(f"t{index}" for index in range(terms))
    return {f"docs/career/g{index}.md": FRONT(f"G{index}", body=body) for index in range(8)}


# case → (files relative to the project, the file its problem names and a fragment of the
#         message; None: the garden is accepted)
CASES: dict[str, tuple[dict[str, str], tuple[str, str] | None]] = {
    # Unbounded work or output
    "long-title": ({"docs/career/long.md": FRONT("a" * 60_000, summary="S."),
                    "docs/career/linker.md": FRONT("Linker", body="See [[long]].")},
                   ("career/long.md", "'title' is 60,000 characters long")),
    "long-summary": ({"docs/career/long.md": FRONT("Long", summary="s" * 5_000)},
                     ("career/long.md", "'summary' is 5,000 characters long")),
    "self-links-long-title": ({"docs/career/self.md": FRONT("b" * 8_000, summary="S.",
                                                            body="[[self]] " * 4_000)},
                              ("career/self.md", "'title' is 8,000 characters long")),
    "many-links": ({"docs/career/self.md": FRONT("Self", body="[[self]] " * 4_000)},
                   ("career/self.md", "4,000 links, over the limit of 200")),
    "shared-aliases": ({f"docs/career/{name}.md": FRONT(name.upper(), aliases="[" + ", ".join(
                        f"alias{index}" for index in range(4_000)) + "]") for name in ("a1", "a2")},
                       ("career/a1.md", "'aliases' lists 4,000 names")),
    "long-alias": ({"docs/career/a.md": FRONT("A", aliases="[" + "x" * 200 + "]")},
                   ("career/a.md", "'aliases' is 200 characters long")),
    "links-carrying-brackets": ({"docs/career/t.md": FRONT("T" * 150,
                                                           summary='"' + "[" * 150 + "S" * 148 + '"'),
                                 **{f"docs/career/m{index}.md": FRONT(f"M{index}", body="[[t]] " * 200)
                                    for index in range(4)}}, None),
    "glossary-too-big": ({"glossary.yml": glossary(4_000), **using_terms(4_000)},
                         ("glossary.yml", "4,000 terms, over the limit of 500")),
    "glossary-at-the-limit": ({"glossary.yml": glossary(500), **using_terms(500)}, None),
    "long-definition": ({"glossary.yml": f"term: {'d' * 600}\n"}, ("glossary.yml", "600 characters long")),
    "open-brackets": (note_x("[" * 20_000), NEVER_CLOSE),
    "nested-brackets": ({"docs/career/x.md": FRONT("X", body="[" * 4_000 + "]" * 4_000)},
                        ("career/x.md", "never close")),
    "open-destinations": (note_x("[a](" * 8_000), NEVER_CLOSE),
    "open-images": (note_x("![" * 8_000), NEVER_CLOSE),
    "open-references": (note_x("[x][" * 8_000), NEVER_CLOSE),
    "open-footnotes": (note_x("[^" * 8_000), NEVER_CLOSE),
    "open-start-tags": (note_x("<a " * 8_000), NEVER_CLOSE),
    "escaped-brackets": ({"docs/career/x.md": FRONT("X", body="\\[" * 20_000)}, None),
    "escape-flood": ({"docs/career/x.md": FRONT("X", body="\\*" * 125_000)},
                     ("career/x.md", "pieces of inline markup")),
    "fences-in-a-paragraph": ({"docs/career/x.md": FRONT("X", body="a\n```\n" * 40_000)},
                              ("career/x.md", "code fence lines")),
    "brackets-in-code": ({"docs/career/x.md": FRONT("X", body="```\n" + "[" * 20_000 + "\n```")}, None),
    # No traceback
    "vertical-tab": ({"docs/career/x.md": FRONT("X", body="a\vb")}, ("career/x.md", "U+000B")),
    "non-character": ({"docs/career/x.md": FRONT("X", body="Text.\n\na\ufffeb")}, ("career/x.md", "U+FFFE")),
    "non-character-in-title": ({"docs/career/x.md": FRONT("X\ufdd0")}, ("career/x.md", "U+FDD0")),
    "hide-toc": ({"docs/career/x.md": FRONT("X", hide="[toc]")}, None),
    "search-boost": ({"docs/career/x.md": FRONT("X", search="{boost: 2}")}, None),
    "huge-chart-value": ({"charts/c.yml": CHART % ("9" * 400)}, ("charts/c.yml", "not a finite number")),
    "deep-list": ({"docs/career/x.md": FRONT("X", body="\n".join("    " * i + "- x" for i in range(300)))},
                  ("career/x.md", "nested more than 20 levels")),
    "deep-quote": ({"docs/career/x.md": FRONT("X", body="\n".join("> " * i + "x" for i in range(1, 300)))},
                   ("career/x.md", "nested more than 20 levels")),
    "deep-html": ({"docs/career/x.md": FRONT("X", body=DIV * 5_000 + "x\n" + "</div>\n" * 5_000)},
                  ("career/x.md", "HTML elements are nested")),
    "deep-emphasis": ({"docs/career/x.md": FRONT("X", body="*a _a " * 1_000 + " a_ a*" * 1_000)},
                      ("career/x.md", "emphasis markers")),
    # Silent loss
    "infinite-chart-value": ({"charts/c.yml": CHART % ".inf"}, ("charts/c.yml", "not a finite number")),
    "nan-chart-value": ({"charts/c.yml": CHART % ".nan"}, ("charts/c.yml", "not a finite number")),
    "own-abbreviation": ({"glossary.yml": "ABBR: The glossary's meaning.\n",
                          **note_x("ABBR here.\n\n*[ABBR]: My own meaning.")}, None),
}


def hostile_project(case: str, destination: Path) -> Path:
    project = copy_fixture("linked", destination)
    for path, text in CASES[case][0].items():
        file = project / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    project_config(project)
    return project


def timed(*command: str) -> subprocess.CompletedProcess[str]:
    """`command` in a subprocess, killed after `BOUND` seconds (a TimeoutExpired fails the test)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "GITHUB_ACTIONS": "false"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=BOUND, check=False)


def problem_lines(output: str) -> list[str]:
    """Check's and the build's problem lines, without MkDocs' log-level prefix."""
    return [re.sub(r"^(?:WARNING|ERROR)\s+-\s+", "", line) for line in output.splitlines()]


@pytest.mark.parametrize("case", CASES)
def test_each_case_gets_its_verdict_from_check_and_the_strict_build_alike_in_bounded_time(case, tmp_path):
    project = hostile_project(case, tmp_path)
    config = str(project / "mkdocs.yml")
    check = timed(sys.executable, "-m", "garden", "check", "-f", config)
    site = str(tmp_path / "site")
    build = timed(*engine_command("build", "--strict", "-f", config, "-d", site))
    for result in (check, build):
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
    named = {path.removeprefix("docs/") for path in [*CASES[case][0], "docs/career/growth.md",
                                                     "docs/career/leave.md", "docs/index.md"]}
    check_lines, build_lines = problem_lines(check.stderr), problem_lines(build.stderr)
    assert files_named(check_lines, named) == files_named(build_lines, named), (check_lines, build_lines)
    assert (check.returncode != 0) == (build.returncode != 0), (check.stderr, build.stderr)
    expected = CASES[case][1]
    if expected is None:
        assert check.returncode == 0, check.stderr
        return
    path, fragment = expected
    assert any(line.startswith(f"{path}:") and fragment in line for line in check_lines), check_lines


def test_material_keys_hide_and_search_reach_the_page(tmp_path):
    hide = build_project(hostile_project("hide-toc", tmp_path / "hide"))
    toc = hide.page("career/x/").select_one(".md-sidebar--secondary")
    assert toc is not None and toc.has_attr("hidden")
    search = build_project(hostile_project("search-boost", tmp_path / "search"))
    assert '"boost":2' in (search.site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_a_notes_own_abbreviation_is_kept(tmp_path):
    site = build_project(hostile_project("own-abbreviation", tmp_path))
    assert [abbr["title"] for abbr in site.article("career/x/").select("abbr")] == ["My own meaning."]


def test_the_limits_cost_linear_time():
    """The pre-check itself must not become the slow path: the largest note it may read."""
    from garden.limits import body_problems
    from garden.markdown_scan import scan_body

    body = ("[" * 100 + "<a " * 100 + "*_" * 100 + "\n") * 300
    start = time.monotonic()
    problems = body_problems("x.md", body, 1, scan_body(body, 1))
    assert time.monotonic() - start < 2
    assert any(f"over the limit of {MAX_SCAN_STEPS:,}" in problem.message for problem in problems)


def test_label_fitting_reads_only_what_shows():
    start = time.monotonic()
    lines, _ = label_lines("a" * 20_000)  # cut a character at a time: 20 s
    short, _ = label_lines("word " * 4_000)
    assert time.monotonic() - start < 1
    assert lines[0].endswith("…") and len(lines) == 1 and short[-1].endswith("…")


def test_the_pr_summary_stays_under_githubs_limit_with_a_tail(tmp_path):
    garden = make_garden(tmp_path, {"career/x.md": FRONT("<b>" + "x" * 140)})
    note = garden.notes["career/x.md"]
    diff = GardenDiff(added=(note,) * 100_000, removed=(), renamed=(), tags_added=(), links_added=(),
                      links_removed=(note,) * 0, new_orphans=(note,) * 50_000, subscriber_entries=())
    summary = render_markdown(diff, "main")
    assert len(summary.encode()) < MAX_SUMMARY_BYTES + 4096 < 1024 * 1024
    shown = summary.count("&lt;b&gt;")
    assert "<b>" not in summary and shown > 100
    assert f"- … and {100_000 - shown:,} more" in summary
    assert "### Orphans: no other note links to these (50000)" in summary
    assert "- … and 50,000 more" in summary


def test_front_matter_with_material_keys_stays_hashable(tmp_path):
    garden = make_garden(tmp_path, {"career/x.md": FRONT("X", hide="[toc]", search="{boost: 2}")})
    meta = garden.notes["career/x.md"].meta
    assert hash(meta) == hash(dataclasses.replace(meta))
    assert meta.theme_meta() == {"hide": ["toc"], "search": {"boost": 2}}
