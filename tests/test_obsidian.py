"""Obsidian-flavoured Markdown (issue 21): each construct a gardener writes in Obsidian is
either understood or refused by the gate, never published silently as something else.

`tests/fixtures/obsidian` is a vault written as an Obsidian user writes it; it builds strictly
(and `tests/test_gate.py` holds `garden check` to the same verdict). Hostile variants are
written here into copies of it, each built both ways.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import (
    FIXTURES,
    assert_each_verdict,
    build_project,
    copy_fixture,
    make_garden,
    note_text,
    repo_mkdocs_yml,
    site_fixture,
)
from test_gate import files_named, run_check
from test_previews import preview_of

from garden.build import Settings, build_garden
from garden.embeds import image_parts
from garden.model import Garden
from garden.obsidian import CALLOUT_TYPES, blocks, with_callouts
from garden.site_markdown import markdown_renderer, render

site = site_fixture("obsidian", scope="module")

SECRETS = ("DRAFT-SECRET-IN-COMMENT", "DRAFT-SECRET-IN-BLOCK", "DRAFT-SECRET-NEAR-LINK",
           "DRAFT-SECRET-ON-HOME")


def all_previews(site) -> dict[str, Any]:
    """Every note's link preview in a built site, from all its shards."""
    return {url: preview for shard in (site.site / "previews").glob("*.json")
            for url, preview in json.loads(shard.read_text(encoding="utf-8")).items()}


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
    assert any(path.parent.name == "previews" and path.suffix == ".json" for path in files)
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


def test_an_unclosed_comment_on_the_home_page_is_a_problem_too(tmp_path):
    make_garden(tmp_path, {"index.md": "---\ntitle: Home\n---\n\nWelcome %%unfinished"})
    garden = build_garden(Settings(docs_dir=tmp_path / "docs", tags_file=tmp_path / "tags.yml",
                                   pages=frozenset({"index.md"})))
    assert [str(p) for p in garden.problems] == [
        "index.md:5: a %% comment is never closed: everything after it is left out — close it with a "
        "second %%, or write the text without %%"]


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
    preview = next(value for key, value in all_previews(site).items() if "other-view" in key)
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


# 4. Image embeds


def test_image_embeds_are_local_images_with_their_alt_text_and_size(site):
    images = [(img["alt"], img["src"], img.get("width"), img.get("height"))
              for img in site.article("career/embedding/").select("img")]
    assert images == [("A box and an arrow", "../../assets/diagram.png", None, None),
                      ("A box and an arrow", "../../assets/diagram.png", "300", None),
                      ("A box", "../../assets/diagram.png", "120", "80")]


@pytest.mark.parametrize(("embed", "expected"), [
    ("![[diagram.png]]", "![[diagram.png]] has no alt text — say what it shows after a |"),
    ("![[diagram.png|300]]", "![[diagram.png|300]] has no alt text"),
    ("![[https://example.com/x.png|Remote]]", "an embedded image must be a file of the garden"),
    ("![[diagarm.png|Typo]]", "no image 'diagarm.png' under docs/ — did you mean 'assets/diagram.png'?"),
    ("![[twice.png|Which]]", "several images are named 'twice.png': a/twice.png, b/twice.png"),
])
def test_an_image_embed_that_cannot_be_shown_is_a_problem(tmp_path, embed, expected):
    for path in ("assets/diagram.png", "a/twice.png", "b/twice.png"):
        (tmp_path / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / path).write_bytes(b"\x89PNG")
    garden = make_garden(tmp_path, {"career/img.md": note_text("Img", body=f"Text.\n\n{embed}")})
    problems = problems_of(garden)
    assert len(problems) == 1 and problems[0].startswith("career/img.md:10: ") and expected in problems[0], \
        problems


def test_image_labels_give_alt_text_width_and_height():
    assert image_parts("A box and an arrow 300") == ("A box and an arrow", 300, None)
    assert image_parts("A box|120x80") == ("A box", 120, 80)
    assert image_parts("300") == ("", 300, None)
    assert image_parts("Room 101 plan") == ("Room 101 plan", None, None)
    assert image_parts(None) == ("", None, None)


# 5. Transclusion


def test_an_embedded_note_is_shown_in_a_frame_that_links_to_its_origin(site):
    article = site.article("career/embedding/")
    frames = article.select(".admonition.garden-embed")
    titles = [frame.select_one(".admonition-title") for frame in frames]
    assert [(title.select_one("a")["href"], title.get_text()) for title in titles] == [
        ("../../culture/other-view/", "The other view"),
        ("../written-in-obsidian/#why-it-matters", "Written in Obsidian › Why it matters"),
        ("../written-in-obsidian/#^the-rule", "Written in Obsidian"),
    ]
    whole, section, block = (" ".join(frame.get_text().split()) for frame in frames)
    assert "Back to Written in Obsidian, which links here." in whole
    # the embedded note's own link, made relative to the embedding page
    assert frames[0].select("p:not(.admonition-title) a")[0]["href"] == "../written-in-obsidian/"
    assert "Writers keep one habit" in section and "Not part of the section" not in section
    assert "^the-rule" not in section and "^item-id" not in section
    assert block == "Written in Obsidian Ask before you build."
    assert frames[2].find_parent(class_="admonition").get("class") == ["admonition", "info"]
    # embedded headings are no headings of this page: no anchor, no "On this page" entry
    assert [h.get_text().strip("¶") for h in article.select("h2, h3") if not h.find_parent("section")] == []
    assert article.select("[id^='^']") == []


def test_an_embed_counts_as_a_link_in_backlinks(site):
    backlinks = [item.select_one("a").get_text() for item in site.article("culture/other-view/").select(
        "#backlinks li")]
    assert "Embedding other notes" in backlinks


def test_the_search_index_finds_a_page_by_what_it_embeds(site):
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    page = next(doc for doc in index["docs"] if doc["location"] == "career/embedding/")
    assert "Ask before you build." in page["text"]


# 6. Block references


def test_a_block_id_is_the_anchor_of_its_paragraph_or_list_item_and_previews_show_it(site):
    article = site.article("career/written-in-obsidian/")
    assert [(element.name, element["id"], element.get_text()) for element in article.select("[id^='^']")] == [
        ("p", "^the-rule", "Ask before you build."), ("li", "^item-id", "a list item with its own id")]
    assert "^the-rule" not in article.get_text() and "^item-id" not in article.get_text()
    link = next(a for a in site.article("career/embedding/").select("p a") if a.get_text() == "the rule")
    assert link["href"] == "../written-in-obsidian/#^the-rule"
    sections = next(value["sections"] for key, value in all_previews(site).items()
                    if "written-in-obsidian" in key)
    assert sections["^the-rule"] == {"heading": "", "html": "<p>Ask before you build.</p>"}
    assert sections["^item-id"] == {"heading": "", "html": "<ul><li>a list item with its own id</li></ul>"}


def test_block_ids_found_only_where_obsidian_finds_them():
    body = "One\ntwo ^a\n\n- item ^b\n- next\n\nmid ^no\nline\n\n```\ncode ^c\n```\n\n## Head ^h\n"
    assert [(block.id, block.line, body[block.start:block.end]) for block in blocks(body)] == [
        ("a", 1, "One\ntwo"), ("b", 3, "- item")]


def test_a_missing_or_repeated_block_id_is_a_problem(tmp_path):
    garden = make_garden(tmp_path, {
        "career/target.md": note_text("Target", body="First. ^one\n\nSecond. ^one"),
        "career/source.md": note_text("Source", body="See [[target#^onw]].\n\n![[target#^two]]"),
    })
    assert problems_of(garden) == [
        "career/source.md:8: [[target#^onw]]: career/target.md has no block ^onw — did you mean 'one'?",
        "career/source.md:10: [[target#^two]]: career/target.md has no block ^two — end a paragraph of it "
        "with ^two",
        "career/target.md:10: the block id ^one is already used 2 lines above — give each block its own id",
    ]


# Hostile variants: each refused by `garden check` and the strict build alike, never published wrongly


def _chain(name: str, count: int) -> dict[str, tuple[str, str | None]]:
    """`count` notes, each embedding the next: a chain one frame deeper than a page may show."""
    return {f"career/{name}-{i}.md": (note_text(f"{name} {i}", body=f"Step {i}.\n\n![[{name}-{i + 1}]]"
                                                if i < count else f"Step {i}, the last."), None)
            for i in range(1, count + 1)}


BIG = " ".join(["word"] * 12_000)  # 60,000 characters: two of them are over what a page may embed

HOSTILE: dict[str, tuple[str, str | None]] = {
    "career/cycle-a.md": (note_text("Cycle A", body="A.\n\n![[cycle-b]]"),
                          "the embed would show itself again: Cycle B → Cycle A → Cycle B"),
    "career/cycle-b.md": (note_text("Cycle B", body="B.\n\n![[cycle-a]]"),
                          "the embed would show itself again: Cycle A → Cycle B → Cycle A"),
    "career/embeds-a-draft.md": (note_text("Embeds a draft", body="![[secret-draft]]"), "links to a draft"),
    "career/many-embeds.md": (note_text("Many", body="\n".join(["![[other-view]]"] * 10_000)),
                              "the note has 10,000 embeds, over the limit of 50"),
    "career/embeds-nothing.md": (note_text("Nothing", body="![[nowhere-at-all]]"), "links to no note"),
    "career/inline-embed.md": (note_text("Inline", body="As ![[other-view]] says."),
                               "an embedded note is shown as a block of its own"),
    "career/no-alt.md": (note_text("No alt", body="![[diagram.png]]"), "has no alt text"),
    "career/remote-image.md": (note_text("Remote", body="![[https://example.com/x.png|x]]"),
                               "must be a file of the garden"),
    "career/big-1.md": (note_text("Big 1", body=BIG), None),
    "career/big-2.md": (note_text("Big 2", body=BIG), None),
    "career/embeds-big.md": (note_text("Embeds big", body="![[big-1]]\n\n![[big-2]]"),
                             "would add over 100,000 characters"),
    "career/scripted.md": (note_text("Scripted", body="Hi <script>alert('embedded')</script>"), "<script>"),
    "career/embeds-script.md": (note_text("Embeds script", body="![[scripted]]"), "<script>"),
    "career/bad-callout.md": (note_text("Bad callout", body="> [!warnign] x\n> y"), "is no callout type"),
    "career/callout-title.md": (note_text("Title", body='> [!tip] <img src=x onerror="alert(2)">\n>'), None),
    "career/open-comment.md": (note_text("Open comment", body="Text %%never closed SECRET-OPEN"),
                               "never closed"),
    "career/mermaid.md": (note_text("Mermaid", body="Text.\n\n```mermaid\ngraph TD; A-->B\n```"),
                          "Mermaid diagrams are not drawn by the garden"),
    **_chain("deep", 5),
}
HOSTILE["career/deep-1.md"] = (HOSTILE["career/deep-1.md"][0],
                               "embeds nest over 3 deep: deep 1 → deep 2 → deep 3 → deep 4 → deep 5")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("obsidian", tmp_path_factory.mktemp("hostile"))
    for path, (text, _) in HOSTILE.items():
        (project / "docs" / path).write_text(text, encoding="utf-8")
    return project


def test_hostile_obsidian_syntax_is_refused_alike_by_check_and_the_strict_build(hostile):
    started = time.monotonic()
    lines = check_and_build_agree(hostile)
    assert time.monotonic() - started < 120
    assert_each_verdict(lines, HOSTILE)


def test_a_served_hostile_vault_runs_nothing_and_shows_no_draft_or_comment(hostile):
    site = build_project(hostile, strict=False)
    text = "\n".join(site.all_text_files().values())
    for forbidden in ("alert('embedded')", "<img src=x", *SECRETS, "SECRET-OPEN", 'src="https://example.com'):
        assert forbidden not in text, forbidden
    title = site.article("career/callout-title/").select_one(".admonition-title")
    assert title is not None
    assert title.get_text() == '<img src=x onerror="alert(2)">' and title.select("img") == []
    assert "the last" in site.article("career/deep-2/").get_text()  # deep 2 nests 3 deep: allowed


# 7. Body tags


def test_a_body_tag_of_the_vocabulary_is_a_tag_of_the_note_and_links_to_its_page(site):
    article = site.article("career/written-in-obsidian/")
    in_text = [(a.get_text(), a["href"]) for a in article.select("p a.garden-tag")]
    assert in_text == [("#culture", "../../tags/culture/")]
    assert [a.get_text().strip() for a in article.select(".garden-tags a")] == ["career", "culture"]
    assert "Written in Obsidian" in site.article("tags/culture/").get_text()
    text = " ".join(article.get_text().split())
    assert "not #in-code, not C# nor issue #42, and #a-channel is text." in text


def test_an_unknown_body_tag_is_a_problem_and_headings_code_and_escapes_are_not_tags(tmp_path):
    body = ("# A heading\n\nAbout #carrer and #Career.\n\n`#code` and \\#channel, {: #an-id }\n\n"
            "```\n#fenced\n```")
    garden = make_garden(tmp_path, {"career/tagged.md": note_text("Tagged", tags="[culture]", body=body)})
    assert problems_of(garden) == [
        "career/tagged.md:10: unknown tag '#carrer' in the text — did you mean 'career'? (write \\#carrer "
        "if it is no tag)"]
    assert garden.notes["career/tagged.md"].meta.tags == ("culture", "career")


# 8. Mermaid


@pytest.mark.parametrize(("body", "line"), [
    ("```mermaid\ngraph TD\n```", 8), ("Text.\n\n~~~ {.mermaid}\ngraph\n~~~", 10),
    ("> [!example] A diagram\n> ```mermaid\n> graph\n> ```", 9),
    ("````markdown\n```mermaid\n```\n````", None), ("```text\nmermaid\n```", None),
])
def test_a_mermaid_fence_is_refused_with_a_message_unless_it_is_inside_other_code(tmp_path, body, line):
    garden = make_garden(tmp_path, {"career/diagram.md": note_text("Diagram", body=body)})
    expected = [] if line is None else [
        f"career/diagram.md:{line}: Mermaid diagrams are not drawn by the garden — draw it as an image "
        "(![[diagram.png|what it shows]]), describe it in a list, or show its source as code with ```text"]
    assert problems_of(garden) == expected


# 9. Properties


def test_cssclasses_wrap_the_notes_content_and_publish_false_is_a_draft(site):
    wrapper = site.page("culture/other-view/").select_one("article.md-content__inner > div.wide-page.plain")
    assert wrapper is not None and wrapper.select_one("h1") is not None
    assert not (site.site / "culture" / "unpublished").exists()
    for path in site.site.rglob("*"):
        if path.is_file():
            assert b"UNPUBLISHED-SECRET-TEXT" not in path.read_bytes(), path
            assert b"Not for publishing" not in path.read_bytes(), path


@pytest.mark.parametrize(("fields", "expected"), [
    ({"cssclasses": "[md-typeset]"}, "the class 'md-typeset' belongs to the theme or the garden"),
    ({"cssclasses": "[garden-backlinks]"}, "the class 'garden-backlinks' belongs to the theme or the garden"),
    ({"cssclasses": '["x\\" onclick=\\"alert(1)"]'}, "is not a plain class name"),
    ({"cssclasses": "[A, b]"}, "the class 'A' is not a plain class name"),
    ({"cssclasses": "[a, b, c, d, e, f]"}, "lists 6 classes; a note uses at most 5"),
    ({"publish": "maybe"}, "'publish' must be true or false"),
    ({"publish": "true", "draft": "true"}, "'publish: true' and 'draft: true' contradict each other"),
])
def test_wrong_properties_are_problems(tmp_path, fields, expected):
    garden = make_garden(tmp_path, {"career/props.md": note_text("Props", **fields)})
    assert any(expected in problem for problem in problems_of(garden)), problems_of(garden)


def test_one_css_class_may_be_written_alone_and_publish_false_makes_a_draft(tmp_path):
    note = note_text("Props", cssclasses="wide", publish="false")
    garden = make_garden(tmp_path, {"career/props.md": note})
    assert garden.problems == []
    assert garden.drafts["career/props.md"].meta.cssclasses == ("wide",)


def test_a_preview_shows_a_highlight_marked(tmp_path):
    note = note_text("Marked", body="Keep ==one idea== per note.")
    garden = make_garden(tmp_path, {"career/marked.md": note})
    preview = preview_of(garden.notes["career/marked.md"], garden)
    assert preview.html == "<p>Keep <mark>one idea</mark> per note.</p>"


def test_one_mistake_repeated_thousands_of_times_is_a_few_problems(tmp_path):
    body = "\n\n".join(f"> [!nope{index}] x" for index in range(5_000)) + "\n\n" + "#nope " * 5_000
    started = time.monotonic()
    garden = make_garden(tmp_path, {"career/repeated.md": note_text("Repeated", body=body)})
    assert time.monotonic() - started < 10
    problems = problems_of(garden)
    assert len(problems) == 2 * 21, problems[-3:]
    assert "… and 4,980 more like this: '[!nope0]' is no callout type" in problems[20]


def test_the_feed_carries_callouts_embeds_and_block_ids_as_the_page_shows_them(site):
    feed = feedparser.parse((site.site / "feed.xml").read_bytes())
    items = {entry.title.removeprefix("New: "): BeautifulSoup(entry.content[0].value, "html.parser")
             for entry in feed.entries}
    callouts = items["Callouts in a note"]
    assert callouts.select_one("div.admonition.tip") is not None and "[!tip]" not in callouts.get_text()
    embedding = items["Embedding other notes"]
    assert "Ask before you build." in embedding.select(".garden-embed")[-1].get_text()
    assert "^the-rule" not in items["Written in Obsidian"].get_text()
