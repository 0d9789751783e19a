"""The real garden under docs/: it builds strictly and keeps the content quality bar."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, build_project, copy_real_garden

from garden.build import Settings, build_garden
from garden.config import read_project

PROJECT, CONFIG_PROBLEMS = read_project(REPO / "mkdocs.yml")
assert PROJECT is not None, CONFIG_PROBLEMS
GARDEN = build_garden(Settings.for_project(PROJECT))
NOTES = sorted(GARDEN.notes.values(), key=lambda n: n.path)
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
WIKILINK_OR_LINK = re.compile(r"\[\[[^\]]*\]\]|\]\([^)]*\)")


def test_the_garden_has_no_problems():
    assert [str(p) for p in [*CONFIG_PROBLEMS, *GARDEN.problems]] == []
    assert GARDEN.broken == {}


def test_the_real_site_builds_strictly(tmp_path):
    project = tmp_path / "garden"
    copy_real_garden(project)
    site = build_project(project, strict=True)
    assert not site.aborted and site.warnings == []
    assert (site.site / "tags" / "index.html").exists()


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.path)
def test_each_note_links_to_at_least_two_other_notes(note):
    targets = {link.target.path for link in GARDEN.links[note.path] if link.target.path != note.path}
    assert len(targets) >= 2, f"{note.path} links to {sorted(targets)}"


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.path)
def test_no_note_is_an_orphan(note):
    assert GARDEN.backlinks_of(note), f"no note links to {note.path}"


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.path)
def test_each_note_has_at_least_120_words_of_its_own(note):
    prose = WIKILINK_OR_LINK.sub(" ", CODE.sub(" ", note.body))
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", prose)
    assert len(words) >= 120, f"{note.path} has {len(words)} words"


def test_the_journal_has_the_2023_08_30_entry():
    dates = {n.meta.created.isoformat() for n in NOTES if n.section == "journal"}
    assert "2023-08-30" in dates


def test_every_glossary_term_says_where_it_comes_from():
    """The glossary holds the sources' own vocabulary: each term cites the source that uses it,
    or says it is the garden's (a generic acronym belongs to no source and has no place here)."""
    unplaced = sorted(term.term for term in GARDEN.glossary.values() if not term.source and not term.ours)
    assert GARDEN.glossary and unplaced == []
