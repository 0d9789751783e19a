"""Obsidian-flavoured Markdown (issue 21): each construct a gardener writes in Obsidian is
either understood or refused by the gate, never published silently as something else.

`tests/fixtures/obsidian` is a vault written as an Obsidian user writes it; it builds strictly
(and `tests/test_gate.py` holds `garden check` to the same verdict). Hostile variants are
written here into copies of it, each built both ways.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, build_project, make_garden, note_text, repo_mkdocs_yml, site_fixture
from test_gate import files_named, run_check

from garden.build import Settings, build_garden
from garden.model import Garden
from garden.obsidian import CALLOUT_TYPES, with_callouts
from garden.render import markdown_renderer, render

site = site_fixture("obsidian", scope="module")

SECRETS = ("DRAFT-SECRET-IN-COMMENT", "DRAFT-SECRET-IN-BLOCK", "DRAFT-SECRET-NEAR-LINK")


def vault() -> Garden:
    return build_garden(Settings(docs_dir=FIXTURES / "obsidian" / "docs", tags_file=FIXTURES / "tags.yml"))


def problems_of(garden: Garden) -> list[str]:
    return [str(problem) for problem in garden.problems]


def check_and_build_agree(project: Path) -> list[str]:
    """`garden check` and the strict build refuse `project` naming the same files; check's lines."""
    check = run_check(project)
    built = build_project(project, strict=True)
    files = [p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md")]
    assert (check.returncode != 0) == built.aborted, check.stderr[-2000:]
    assert files_named(check.stderr.splitlines(), files) == files_named(built.warnings, files)
    return check.stderr.splitlines()


def test_the_vault_builds_strictly_without_a_warning(site):
    assert not site.aborted, site.warnings
    assert site.warnings == []


# 1. Comments


def test_a_comment_holding_a_drafts_secret_is_in_no_file_of_the_site(site):
    files = [path for path in site.site.rglob("*") if path.is_file()]
    assert any(path.name == "search_index.json" for path in files)
    assert any(path.name == "previews.json" for path in files)
    assert any(path.suffix == ".xml" for path in files)
    for path in files:
        content = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in content, f"{secret} in {path.relative_to(site.site)}"


def test_comments_leave_the_words_around_them_and_code_keeps_its_percent_signs(site):
    article = site.article("career/written-in-obsidian/")
    text = " ".join(article.get_text().split())
    assert "Gardeners leave themselves remarks between words." in text
    assert "%%not a comment%%" in [code.get_text() for code in article.select("p code")]
    assert "%% a fenced sample stays %%" in article.select_one("pre").get_text()
    backlinks = site.article("culture/other-view/").get_text()
    assert "DRAFT" not in backlinks


def test_an_unclosed_comment_is_a_problem_on_its_line_and_hides_the_rest(tmp_path):
    garden = make_garden(tmp_path, {"career/open.md": note_text(
        "Open", body="First line.\n\nA remark %%that never\nends SECRET-AFTER-OPEN.")})
    problems = problems_of(garden)
    assert any(p.startswith("career/open.md:10: a %% comment is never closed") for p in problems), problems
    assert "SECRET-AFTER-OPEN" not in garden.notes["career/open.md"].body


def test_search_index_feeds_and_previews_have_the_text_without_the_comment(site):
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    page = next(doc for doc in index["docs"] if doc["location"] == "career/written-in-obsidian/")
    assert "remarks" in page["text"] and "DRAFT" not in page["text"]
    previews = json.loads((site.site / "previews.json").read_text(encoding="utf-8"))
    preview = next(value for key, value in previews.items() if "other-view" in key)
    assert "links here" in json.dumps(preview) and "quietly" not in json.dumps(preview)
    feed = (site.site / "feed.xml").read_text(encoding="utf-8")
    assert "between words" in feed and "DRAFT" not in feed


@pytest.mark.parametrize(("body", "kept"), [("`%%` and %%a comment%%.", "`%%` and ."),
                                             ("~~~\n%%\n~~~\n\nText %%x%%.", "~~~\n%%\n~~~\n\nText .")])
def test_a_percent_pair_inside_code_neither_opens_nor_closes_a_comment(tmp_path, body, kept):
    garden = make_garden(tmp_path, {"career/code.md": note_text("Code", body=body)})
    assert garden.problems == []
    assert garden.notes["career/code.md"].body.strip() == kept


# 2. Callouts


def rendered(markdown: str):
    """`markdown` as the site's Markdown extensions render it (what `garden check` renders)."""
    renderer, problems = markdown_renderer(repo_mkdocs_yml()["markdown_extensions"])
    assert renderer is not None, problems
    return BeautifulSoup(render(renderer, with_callouts(markdown)), "html.parser")


@pytest.mark.parametrize(("written", "drawn"), [(name, "info" if kind == "todo" else kind)
                                                for kind, aliases in CALLOUT_TYPES.items()
                                                for name in (kind, *aliases)])
def test_every_callout_type_and_alias_is_an_admonition_titled_as_written(written, drawn):
    for typed in (written, written.upper()):
        html = rendered(f"> [!{typed}]\n> Body text.")
        admonition = html.select_one(f"div.admonition.{drawn}")
        assert admonition is not None, html
        assert admonition.select_one(".admonition-title").get_text() == typed.capitalize()
        assert admonition.select_one("p:not(.admonition-title)").get_text() == "Body text."


def test_callouts_in_the_vault_are_admonitions_details_and_nested(site):
    article = site.article("career/callouts/")
    titles = [(box.name, box.get("class"), box.get("open"),
               (box.select_one(":scope > .admonition-title, :scope > summary") or box).get_text())
              for box in article.select(".admonition, details")]
    assert titles == [
        ("div", ["admonition", "note"], None, "Note"),
        ("div", ["admonition", "tip"], None, "Ask for the scope in writing"),
        ("details", ["question"], None, "Folded until opened"),
        ("details", ["warning"], "open", "Open but foldable"),
        ("div", ["admonition", "question"], None, "Can callouts be nested?"),
        ("div", ["admonition", "info"], None, "Yes"),
        ("div", ["admonition", "danger"], None, 'Title with <script>alert("callout")</script> in it'),
        ("div", ["admonition", "abstract"], None, "Two in a row"),
        ("div", ["admonition", "example"], None, "The second one"),
    ]
    assert article.select_one(".admonition.question > .admonition.info") is not None
    assert article.select("script") == []
    assert "[!cite] stays inside the first" in article.select_one(".admonition.abstract").get_text()
    assert article.select_one("blockquote").get_text().strip() == "An ordinary quote stays a quote."
    assert "[!" not in article.get_text().replace("[!cite]", "")


def test_a_callout_title_cannot_open_a_heading_or_close_its_quotes():
    html = rendered('> [!tip]- # Not "a" heading\n> Text.')
    assert html.select_one("summary").get_text() == '# Not "a" heading'
    assert html.select("summary h1") == []


def test_an_unknown_callout_type_is_a_problem_with_a_did_you_mean(tmp_path):
    garden = make_garden(tmp_path, {"career/typo.md": note_text(
        "Typo", body="Text.\n\n> [!warnign] Careful\n> Body.\n\n```\n> [!inside-code]\n```")})
    assert problems_of(garden) == [
        "career/typo.md:10: '[!warnign]' is no callout type — did you mean 'warning'?"]


# 3. Highlights


def test_a_highlight_is_marked_and_code_is_not(site):
    article = site.article("career/written-in-obsidian/")
    marks = [mark.get_text() for mark in article.select("mark") if not mark.find_parent(id="backlinks")]
    assert marks == ["ask for the scope in writing"]
    assert "==code==" in [code.get_text() for code in article.select("p code")]
