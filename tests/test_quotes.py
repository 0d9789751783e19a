""""Linked from" quotes read as prose: what a reader sees of the linking sentence, never the
Markdown it is written in (slugs, `[[…]]`, `](…)`, admonitions, footnotes, HTML)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, make_garden, note_text
from test_real_garden import GARDEN

from garden.build import Settings, build_garden
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


def test_no_quote_in_the_real_garden_shows_markdown_or_a_slug():
    assert GARDEN.links
    assert _leaks(GARDEN) == []


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
