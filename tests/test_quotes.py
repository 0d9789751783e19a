""""Linked from" quotes read as prose: what a reader sees of the linking sentence, never the
Markdown it is written in (slugs, `[[…]]`, `](…)`, admonitions, footnotes, HTML)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, make_garden, note_text

from garden.advice import clause_links
from garden.build import Settings, build_garden
from garden.cli import main
from garden.context import link_context
from garden.markdown_scan import WikiLink
from garden.model import Garden

MARKERS = re.compile(
    r"^\s*(?:note|info|tip|warning|danger|example|quote|abstract|question)\s+\""  # an admonition's type
    r"|\[\[|\]\]|\]\(|!!!|\?\?\?|\[\^|</?[a-z][^>]*>|\*\*|(?<!\w)_|`|\{:|^\s*(?:#+|>|[-*+])\s")


def _leaks(garden: Garden) -> list[tuple[str, str]]:
    """Quotes showing Markdown, or a note's slug that the linking note's prose does not write
    (a writer may write "the margin-of-safety model"; a link's target shown as text is a leak)."""
    slugs = {Path(path).stem for path in garden.notes}
    titles = sorted((note.title for note in garden.notes.values()), key=len, reverse=True)
    leaks = []
    for source, links in garden.links.items():
        note = garden.notes[source]
        prose = note.body
        for token in note.link_tokens:
            written = (token.label if isinstance(token, WikiLink) else token.text) or ""
            prose = prose[:token.start] + written.ljust(token.end - token.start) + prose[token.end:]
        for link in links:
            context = link_context(link, garden)
            quote = context.before + context.linked + context.after
            around = context.before + " … " + context.after
            for title in titles:  # a title is text, whatever it holds (a fixture's "<b>&</b>")
                around = around.replace(title, " ")
            leaked = [slug for slug in slugs if slug not in prose
                      and re.search(rf"(?<![\w/-]){re.escape(slug)}(?![\w-])", around)]
            if MARKERS.search(around) or "[[" in context.linked or "](" in context.linked or leaked:
                leaks.append((source, quote))
    return leaks


def test_no_quote_in_the_real_garden_shows_markdown_or_a_slug(real_garden):
    assert real_garden.links
    assert _leaks(real_garden) == []


@pytest.mark.parametrize("fixture", sorted(path.name for path in FIXTURES.iterdir()
                                           if (path / "docs").is_dir()))
def test_no_quote_in_a_fixture_shows_markdown_or_a_slug(fixture):
    project = FIXTURES / fixture
    tags = project / "tags.yml" if (project / "tags.yml").is_file() else FIXTURES / "tags.yml"
    garden = build_garden(Settings(docs_dir=project / "docs", tags_file=tags))
    assert _leaks(garden) == []


def test_each_link_reads_as_its_text_and_markup_is_dropped(tmp_path):
    body = ("Intro.\n\n!!! note \"Our view\"\n    We read [[other-note]] beside "
            "[the guide](https://example.org/guide) and **[[t|the target]]**[^1] as <em>one</em> idea.\n\n"
            "[^1]: A footnote.\n")
    garden = make_garden(tmp_path, {"t.md": note_text("Target"), "other-note.md": note_text("The other note"),
                                    "s.md": note_text("Source", body=body)})
    link = next(link for link in garden.links["s.md"] if link.target.path == "t.md")
    context = link_context(link, garden)
    assert (context.before, context.linked, context.after) == (
        "We read The other note beside the guide and ", "the target", " as one idea.")


def test_a_placeholder_written_in_a_note_is_neither_a_link_nor_fatal(tmp_path):
    """The quote stands each link in as a private-use placeholder while markup is dropped: one
    the note writes itself is not taken for a link (numbered 0), nor does it stop the build
    (numbered past its links)."""
    body = "See \ue0000\ue001 and \ue0007\ue001 beside [[t]] here."
    garden = make_garden(tmp_path, {"t.md": note_text("Target"), "s.md": note_text("Source", body=body)})
    context = link_context(garden.links["s.md"][0], garden)
    assert (context.before, context.linked, context.after) == (
        "See 0\ue001 and 7\ue001 beside ", "Target", " here.")


CLAUSE_TITLE = "Triggers for leaving a job, and why one is not enough"


def _clause_garden(tmp_path):
    return make_garden(tmp_path, {
        "career/triggers.md": note_text(CLAUSE_TITLE),
        "career/short.md": note_text("Staff engineers"),
        "career/s.md": note_text("Source", body=(
            "The list among its [[triggers]] is long. Read [[triggers|the triggers]] and [[short]] too.\n\n"
            "[[triggers]] opens this sentence.\n\n- [[triggers]]\n")),
    })


def test_a_bare_link_showing_a_clause_mid_sentence_is_advice(tmp_path):
    advice = clause_links(_clause_garden(tmp_path))
    line = note_text(CLAUSE_TITLE).count("\n")  # the body's first line, after the front matter
    assert [(note.path, note.line) for note in advice] == [("career/s.md", line)]
    assert CLAUSE_TITLE in advice[0].message and "[[triggers|" in advice[0].hint


def test_check_shows_advice_as_a_notice_and_does_not_fail(tmp_path, monkeypatch, capsys):
    garden = _clause_garden(tmp_path)
    assert not garden.problems
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nextra:\n  garden:\n    tags_file: tags.yml\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "-f", str(tmp_path / "mkdocs.yml")]) == 0
    out, err = capsys.readouterr()
    assert "note: career/s.md:" in err and "the link [[triggers]]" in err
    assert out.startswith("::notice file=docs/career/s.md,line=") and "::the link [[triggers]]" in out
    assert "%2C" not in out.split("::", 2)[2] and "0 problems" in err  # the message is escaped as data
