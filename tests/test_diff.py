"""`python -m garden diff`: what a change does to the garden, on two fixture gardens and through git.

tests/fixtures/diff-base → diff-head: one note moved with the same body, one moved and edited
under the same title, one removed, a journal entry and a note nobody links to added, links
rewired so that `career/leave.md` loses every note linking to it, and a `changes:` entry.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, make_garden, project_config

from garden.build import Settings, build_garden
from garden.cli import main
from garden.diff import diff_gardens, render_markdown


def fixture_garden(name: str):
    return build_garden(Settings(docs_dir=FIXTURES / name / "docs", tags_file=FIXTURES / "tags.yml"))


@pytest.fixture(scope="module")
def diff():
    old, new = fixture_garden("diff-base"), fixture_garden("diff-head")
    assert old.problems == [] and new.problems == []
    return diff_gardens(old, new)


def paths(notes) -> list[str]:
    return [note.path for note in notes]


def pairs(links) -> list[tuple[str, str]]:
    return [(link.source.path, link.target.path) for link in links]


def test_added_and_removed_notes_leave_out_renames(diff):
    assert paths(diff.added) == ["culture/retros.md", "journal/2024-05-01-first-entry.md"]
    assert paths(diff.removed) == ["culture/old-idea.md"]


def test_a_note_moved_with_the_same_body_or_the_same_title_is_a_rename(diff):
    assert [(r.old.path, r.new.path, r.by) for r in diff.renamed] == [
        ("leadership/one-on-ones.md", "leadership/one-to-ones.md", "content"),
        ("strategy/bets.md", "leadership/small-bets.md", "title"),
    ]


def test_a_tag_no_note_carried_before_is_added(diff):
    added = [(t.tag, t.description, t.notes) for t in diff.tags_added]
    assert added == [("journal", "Dated personal entries.", 1)]


def test_links_follow_renames_and_leave_out_the_links_of_added_and_removed_notes(diff):
    # growth → one-on-ones became growth → one-to-ones: the same link, not a removed and an added one.
    assert pairs(diff.links_added) == [
        ("career/growth.md", "journal/2024-05-01-first-entry.md"),
        ("career/leave.md", "leadership/small-bets.md"),
        ("culture/safe-to-fail.md", "leadership/small-bets.md"),
        ("leadership/small-bets.md", "leadership/one-to-ones.md"),
    ]
    assert pairs(diff.links_removed) == [("career/growth.md", "career/leave.md"),
                                         ("culture/safe-to-fail.md", "culture/old-idea.md")]


def test_orphans_are_notes_that_lost_every_backlink_and_new_notes_nobody_links_to(diff):
    assert paths(diff.new_orphans) == ["career/leave.md", "culture/retros.md"]


def test_subscribers_receive_new_notes_and_new_changes_but_not_renamed_notes_again(diff):
    assert [(e.date.isoformat(), e.kind, e.note.path, e.what) for e in diff.subscriber_entries] == [
        ("2024-05-02", "updated", "culture/safe-to-fail.md", "Added the retrospective example"),
        ("2024-05-01", "new", "journal/2024-05-01-first-entry.md", "What First entry says."),
        ("2024-04-20", "new", "culture/retros.md", "What Retrospectives says."),
    ]


def test_the_summary_lists_each_kind_of_change_with_a_count(diff):
    summary = render_markdown(diff, "main")
    headings = [line for line in summary.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Notes added (2)", "### Notes removed (1)",
        "### Notes renamed: their old addresses stop working (2)",
        "### Tags added (1)", "### Links added (4)", "### Links removed (2)",
        "### Orphans: no other note links to these (2)", "### What changelog subscribers will receive (3)",
    ]
    assert "- 2024-05-02 · Updated: **Safe to fail cultures** — Added the retrospective example" in summary


def test_a_garden_compared_with_itself_has_no_change():
    garden = fixture_garden("diff-base")
    diff = diff_gardens(garden, garden)
    assert diff.is_empty()
    assert "No note, tag, link or changelog entry changes." in render_markdown(diff, "main")


def empty_garden(tmp_path: Path):
    (tmp_path / "empty" / "docs").mkdir(parents=True)
    return make_garden(tmp_path / "empty", {})


def test_titles_are_escaped_in_the_summary(tmp_path):
    old = empty_garden(tmp_path)
    new = make_garden(tmp_path / "new", {
        "career/x.md": "---\ntitle: '<img src=x onerror=alert(1)> **bold**'\n"
                       "summary: s\ntags: [career]\ncreated: 2024-03-02\n---\n"})
    summary = render_markdown(diff_gardens(old, new), "main")
    assert "<img" not in summary and "**bold**" not in summary
    assert r"&lt;img src=x onerror=alert\(1\)&gt; \*\*bold\*\*" in summary


def test_problems_in_the_new_garden_are_announced(tmp_path):
    old = empty_garden(tmp_path)
    new = make_garden(tmp_path / "new", {"career/x.md": "---\ntitle: x\n---\n"})
    assert "**3 problems** in the changed garden" in render_markdown(diff_gardens(old, new), "main")


def git(project: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose commit is the base garden and whose working tree is the head garden."""
    project = tmp_path / "garden"
    shutil.copytree(FIXTURES / "diff-base", project)
    shutil.copy(FIXTURES / "tags.yml", project / "tags.yml")
    project_config(project)
    git(project, "init", "--quiet")
    git(project, "add", ".")
    git(project, "commit", "--quiet", "-m", "base")
    shutil.rmtree(project / "docs")
    shutil.copytree(FIXTURES / "diff-head" / "docs", project / "docs")
    return project


def test_the_command_compares_the_working_tree_with_a_git_ref(repository, capsys):
    assert main(["diff", "HEAD", "-f", str(repository / "mkdocs.yml")]) == 0
    assert capsys.readouterr().out == render_markdown(
        diff_gardens(fixture_garden("diff-base"), fixture_garden("diff-head")), "HEAD") + "\n"
    assert (repository / "docs" / "journal").is_dir() and not (repository / "docs" / "strategy").exists()


def test_an_unknown_ref_is_a_message_not_a_traceback(repository, capsys):
    assert main(["diff", "origin/nowhere", "-f", str(repository / "mkdocs.yml")]) == 2
    assert "'origin/nowhere' is not a commit in this repository: fetch it first" in capsys.readouterr().err
