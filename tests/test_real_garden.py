"""The real garden under docs/: it builds strictly and keeps the content quality bar."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, build_project, copy_real_garden

from garden.config import read_project

DOCS = REPO / "docs"
NOTE_PATHS = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")
                    if path != DOCS / "index.md")
"""One test per note, named by its file: listed at collection, read by the `real_garden` fixture."""
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
WIKILINK_OR_LINK = re.compile(r"\[\[[^\]]*\]\]|\]\([^)]*\)")


def test_the_garden_has_no_problems(real_garden):
    _, config_problems = read_project(REPO / "mkdocs.yml")
    assert [str(p) for p in [*config_problems, *real_garden.problems]] == []
    assert real_garden.broken == {}


def test_each_note_below_is_every_note_of_the_garden(real_garden):
    """The per-note tests are named at collection, before the garden is read: none may be missed."""
    assert sorted(real_garden.notes) == NOTE_PATHS


def test_the_real_site_builds_strictly(tmp_path):
    project = tmp_path / "garden"
    copy_real_garden(project)
    site = build_project(project, strict=True)
    assert not site.aborted and site.warnings == []
    assert (site.site / "tags" / "index.html").exists()


@pytest.mark.parametrize("path", NOTE_PATHS)
def test_each_note_links_to_at_least_two_other_notes(real_garden, path):
    targets = {link.target.path for link in real_garden.links[path] if link.target.path != path}
    assert len(targets) >= 2, f"{path} links to {sorted(targets)}"


@pytest.mark.parametrize("path", NOTE_PATHS)
def test_no_note_is_an_orphan(real_garden, path):
    assert real_garden.backlinks_of(real_garden.notes[path]), f"no note links to {path}"


@pytest.mark.parametrize("path", NOTE_PATHS)
def test_each_note_has_at_least_120_words_of_its_own(real_garden, path):
    note = real_garden.notes[path]
    prose = WIKILINK_OR_LINK.sub(" ", CODE.sub(" ", note.body))
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", prose)
    assert len(words) >= 120, f"{note.path} has {len(words)} words"


def test_the_journal_has_the_2023_08_30_entry(real_garden):
    dates = {n.meta.created.isoformat() for n in real_garden.notes.values() if n.section == "journal"}
    assert "2023-08-30" in dates


def test_every_glossary_term_says_where_it_comes_from(real_garden):
    """The glossary holds the sources' own vocabulary: each term cites the source that uses it,
    or says it is the garden's (a generic acronym belongs to no source and has no place here)."""
    unplaced = sorted(term.term for term in real_garden.glossary.values()
                      if not term.source and not term.ours)
    assert real_garden.glossary and unplaced == []
