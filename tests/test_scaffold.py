"""`python -m garden new` / `make note`: a new note starts valid, and nothing is ever overwritten."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, project_config

from garden.build import Settings, build_garden
from garden.cli import main
from garden.scaffold import NewNote, ScaffoldError, create_note, note_tags, slugify

VOCABULARY = {"career": "Careers.", "leadership": "Leading.", "journal": "Dated entries."}
SECTIONS = ["career", "journal", "leadership"]
DAY = dt.date(2024, 5, 1)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "career").mkdir(parents=True)
    (docs / "career" / "existing-idea.md").write_text("an existing note\n", encoding="utf-8")
    return docs


def new(title: str = "Say no: the hard part", section: str = "career", tags: tuple[str, ...] = ("career",),
        summary: str = 'Why "no" protects the work that matters.') -> NewNote:
    return NewNote(title, summary, section, note_tags(section, tags), DAY)


@pytest.mark.parametrize(("title", "slug"), [
    ("Don't ship on Fridays!", "dont-ship-on-fridays"),
    ("Café culture, über alles", "cafe-culture-uber-alles"),
    ("  The 70/20/10 rule  ", "the-70-20-10-rule"),
    ("snake_case & CamelCase", "snake-case-camelcase"),
])
def test_a_title_becomes_lowercase_words_joined_by_hyphens(title, slug):
    assert slugify(title) == slug


def test_the_new_note_passes_the_check_with_every_field_as_given(docs):
    file = create_note(docs, new(), VOCABULARY, SECTIONS)
    assert file == docs / "career" / "say-no-the-hard-part.md"
    tags_file = docs.parent / "tags.yml"
    tags_file.write_text("".join(f"{tag}: {text}\n" for tag, text in VOCABULARY.items()), encoding="utf-8")
    garden = build_garden(Settings(docs_dir=docs, tags_file=tags_file))
    assert [p for p in garden.problems if p.path == "career/say-no-the-hard-part.md"] == []
    meta = garden.notes["career/say-no-the-hard-part.md"].meta
    assert (meta.title, meta.summary, meta.tags, meta.created, meta.stage) == (
        "Say no: the hard part", 'Why "no" protects the work that matters.', ("career",), DAY, "seedling")


def test_a_journal_entry_is_dated_and_tagged_journal_first(docs):
    file = create_note(docs, new("First entry", "journal", ("career", "journal")), VOCABULARY, SECTIONS)
    assert file.relative_to(docs).as_posix() == "journal/2024-05-01-first-entry.md"
    assert "tags: [journal, career]\ncreated: 2024-05-01\n" in file.read_text(encoding="utf-8")


def test_an_existing_file_is_never_overwritten(docs):
    existing = docs / "career" / "existing-idea.md"
    with pytest.raises(ScaffoldError, match="'existing-idea' already exists: career/existing-idea"):
        create_note(docs, new("Existing idea"), VOCABULARY, SECTIONS)
    assert existing.read_text(encoding="utf-8") == "an existing note\n"


def test_a_slug_used_in_another_section_is_refused(docs):
    with pytest.raises(ScaffoldError, match=r"already exists: career/existing-idea\.md"):
        create_note(docs, new("Existing idea", "leadership", ("leadership",)), VOCABULARY, SECTIONS)
    assert not (docs / "leadership").exists()


@pytest.mark.parametrize(("note", "message"), [
    (new(tags=("carreer",)), "unknown tag 'carreer' — did you mean 'career'?"),
    (new(tags=()), "'tags' is empty — add at least one tag from tags.yml"),
    (new(summary=""), "'summary' must be non-empty text"),
    (new(summary="two\nlines"), "'summary' must be one line"),
    (new(section="carrer"), "unknown section 'carrer' — did you mean 'career'?"),
    (new(title="Index"), "'index' is reserved for the generated section index"),
    (new(title="?!"), "the title '?!' has no letters or digits to make a file name from"),
])
def test_what_cannot_become_a_valid_note_is_refused_with_a_fix(docs, note, message):
    with pytest.raises(ScaffoldError, match=re.escape(message)):
        create_note(docs, note, VOCABULARY, SECTIONS)
    assert [p.name for p in docs.rglob("*.md")] == ["existing-idea.md"]


def test_the_command_reads_tags_and_sections_from_the_project(tmp_path, capsys):
    project = tmp_path / "garden"
    shutil.copytree(FIXTURES / "linked", project)
    shutil.copy(FIXTURES / "tags.yml", project / "tags.yml")
    config = project_config(project)
    argv = ["new", "Mentoring in the open", "--summary", "Mentor where others can learn too.",
            "--section", "career", "--tags", "career, leadership", "--date", "2024-05-01", "-f", str(config)]
    assert main(argv) == 0
    assert "Created docs/career/mentoring-in-the-open.md" in capsys.readouterr().out
    assert main([*argv[:4], "--journal", *argv[6:]]) == 0
    assert (project / "docs" / "journal" / "2024-05-01-mentoring-in-the-open.md").is_file()
    assert main(argv) == 2
    assert "already exists: career/mentoring-in-the-open.md" in capsys.readouterr().err


def test_a_very_long_title_gives_a_short_file_name_cut_between_words():
    slug = slugify("word " * 500)
    assert len(slug) <= 80 and slug.endswith("word") and "--" not in slug
