"""Link previews: what garden/previews.py cuts from a note's published page, the preview
shards a build publishes (each note rendered once, for its page and its preview), and the
popover a reader gets in Chromium (hover, keyboard, Escape, touch, instant navigation), with
nothing asked of another host."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import markdown
import pytest
from bench import generate
from conftest import (
    PHONE,
    REPO,
    build_project,
    copy_fixture,
    make_garden,
    note_text,
    repo_mkdocs_yml,
    site_fixture,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from test_incremental import Served, edit

from garden import incremental
from garden.build import Settings, build_garden
from garden.html_policy import enforce
from garden.model import Garden, Note
from garden.previews import (
    EXCERPT_LENGTH,
    OPENING_LENGTH,
    WHOLE_NOTE_LENGTH,
    NotePreview,
    note_preview,
    preview_json,
    preview_shards,
    shard_of,
)
from garden.site_markdown import markdown_renderer, render
from garden.wikilinks import note_markdown

_MARKDOWN, _ = markdown_renderer(repo_mkdocs_yml()["markdown_extensions"])
"""Configured as the site's pages are, from mkdocs.yml."""


def page_html(note: Note, garden: Garden) -> str:
    """A note's content as its page publishes it, what the build makes its preview from: its
    Markdown rendered with the site's extensions and held to the HTML policy, as MkDocs and the
    hook do (less MkDocs' rewriting of link and image URLs, which a preview drops)."""
    assert _MARKDOWN is not None
    return enforce(render(_MARKDOWN, note_markdown(note, garden)))[0]


def preview_of(note: Note, garden: Garden) -> NotePreview:
    return note_preview(note, page_html(note, garden))


FIRST_HOVER_BYTES = 50_000
"""What a reader's first hover may download (issue 24): one shard."""


def _url(path: str) -> str:
    return path.removesuffix(".md") + "/"


def _shards(garden: Garden) -> dict[str, str]:
    shards = preview_shards((_url(path), preview_json(preview_of(note, garden)))
                            for path, note in garden.notes.items())
    return {path: shard.decode() for path, shard in shards.items()}


def _all(shards: dict[str, str]) -> dict[str, dict[str, object]]:
    """Every shard's entries, in one dictionary, each checked to sit in the shard its URL names."""
    entries: dict[str, dict[str, object]] = {}
    for shard, text in shards.items():
        loaded = json.loads(text)
        assert all(shard_of(url) == shard for url in loaded)
        entries |= loaded
    return entries


def _previews(tmp_path: Path, notes: dict[str, str]) -> dict[str, dict[str, object]]:
    """The previews of a garden of `notes`, as the browser reads them from the shards."""
    garden = make_garden(tmp_path, notes)
    assert not garden.problems, garden.problems
    return _all(_shards(garden))


def _preview_of(garden: Garden, path: str) -> dict[str, object]:
    loaded = _all(_shards(garden))[_url(path)]
    assert isinstance(loaded, dict)
    return loaded


def _long(words: int, seed: str = "word") -> str:
    return " ".join(f"{seed}{index}" for index in range(words))


OPENING = ("It draws on [[b]] and [[b|the other note]], a [plain *link*](b.md#why), **bold**, _stressed_ and "
           "`code_span` words, \\*escaped\\* stars, AT&amp;T, a footnote[^1]\n"
           "on a second line.\n\n- a *listed* item\n- another\n{: #listed }\n\n"
           "![an image](data:image/png;base64,AAAA)\n\n!!! note \"Our view\"\n    Inside the box.")


def test_the_opening_keeps_its_formatting_without_links_images_or_ids(tmp_path):
    previews = _previews(tmp_path, {
        "career/a.md": note_text("A", body=f"{OPENING}\n\n[^1]: The footnote."),
        "career/b.md": note_text("Bee note", body="Text.\n\n## Why\n\nBecause."),
    })
    shown = previews["career/a/"]["html"]
    assert isinstance(shown, str)
    assert shown.startswith("<p>It draws on Bee note and the other note, a plain <em>link</em>, "
                            "<strong>bold</strong>, "
                            "<em>stressed</em> and <code>code_span</code> words, *escaped* stars, AT&amp;T, "
                            "a footnote<sup>1</sup>\non a second line.</p>")
    assert "<ul>\n<li>a <em>listed</em> item</li>" in shown
    assert '<div class="admonition note">\n<p class="admonition-title">Our view</p>' in shown
    for unwanted in ("<a", "<img", "id=", "href", "src="):
        assert unwanted not in shown


def test_a_long_note_shows_its_opening_blocks_and_a_long_first_block_as_cut_text(tmp_path):
    paragraphs = "\n\n".join(_long(30, f"p{index}w") for index in range(40))
    previews = _previews(tmp_path, {"career/a.md": note_text("A", body=paragraphs),
                                    "career/b.md": note_text("B", body=_long(2_000) + "\n\nNext.")})
    opening = previews["career/a/"]["html"]
    assert isinstance(opening, str) and "whole" not in previews["career/a/"]
    assert opening.startswith(f"<p>{_long(30, 'p0w')}</p>") and len(opening) <= OPENING_LENGTH
    assert opening.count("<p>") >= 2  # whole blocks while they fit
    cut = previews["career/b/"]["html"]
    assert isinstance(cut, str) and cut.startswith("<p>word0 word1") and cut.endswith("…</p>")
    assert len(cut) <= EXCERPT_LENGTH + len("<p>…</p>")


def test_each_heading_of_a_long_note_previews_its_section(tmp_path):
    filler = "\n\n".join(_long(40) for _ in range(20))
    body = (f"Intro.\n\n## Why it *matters*\n- a list first\n\nThen the reason.\n\n## Only subsections\n\n"
            f"### Inner {{: #custom-id }}\nInner text, right under its heading.\n\n"
            f"## Why it matters\n\n{filler}")
    sections = _previews(tmp_path, {"career/a.md": note_text("A", body=body)})["career/a/"]["sections"]
    assert isinstance(sections, dict)
    assert sections["why-it-matters"] == {"heading": "Why it matters",
                                          "html": "<ul>\n<li>a list first</li>\n</ul><p>Then the reason.</p>"}
    assert sections["only-subsections"] == {"heading": "Only subsections", "html": ""}
    assert sections["custom-id"] == {"heading": "Inner",
                                     "html": "<p>Inner text, right under its heading.</p>"}
    assert sections["why-it-matters_1"]["html"].startswith("<p>word0 ")


def test_a_short_note_is_previewed_whole_and_each_heading_is_found_by_its_place(tmp_path):
    body = "Intro.\n\n## First\n\nOne.\n\n### Inner\n\nTwo.\n\n## Last\n\nThree. ^end"
    preview = _previews(tmp_path, {"career/a.md": note_text("A", body=body)})["career/a/"]
    assert preview["whole"] is True
    assert preview["html"] == ("<p>Intro.</p>\n<h2>First</h2>\n<p>One.</p>\n<h3>Inner</h3>\n<p>Two.</p>\n"
                               "<h2>Last</h2>\n<p>Three.</p>")
    assert preview["sections"] == {"first": {"heading": "First", "at": 0},
                                   "inner": {"heading": "Inner", "at": 1},
                                   "last": {"heading": "Last", "at": 2},
                                   "^end": {"heading": "", "html": "<p>Three.</p>"}}
    assert len(str(preview["html"])) <= WHOLE_NOTE_LENGTH


def test_the_preview_leaves_out_the_pages_lead_and_glossary_markup_and_keeps_their_text(tmp_path):
    garden = make_garden(tmp_path, {"career/a.md": note_text("A")})
    published = ('<p class="garden-lead">What A says.</p>\n<p>An <abbr title="Application programming '
                 'interface">API</abbr> and <strong>more</strong>.</p>\n'
                 '<h2 id="the-api">The <abbr title="x">API</abbr></h2>\n<p>Its text.</p>')
    preview = note_preview(garden.notes["career/a.md"], published)
    assert preview.summary == "What A says." and preview.whole
    assert preview.html == "<p>An API and <strong>more</strong>.</p>\n<h2>The API</h2>\n<p>Its text.</p>"
    assert preview.sections["the-api"].heading == "The API"


def test_a_heading_link_resolves_to_a_section_key(tmp_path):
    garden = make_garden(tmp_path, {
        "career/a.md": note_text("A", body="See [[b#How to grow]]."),
        "career/b.md": note_text("B", body="Text.\n\n## How to grow\n\nSlowly."),
    })
    (link,) = garden.links["career/a.md"]
    assert link.anchor in preview_of(garden.notes["career/b.md"], garden).sections


HOSTILE_BODY = ("Written as text: &lt;script&gt;alert(1)&lt;/script&gt;. Dropped as the published page drops "
                '(html_policy): <script>alert(2)</script><b onclick="alert(3)">bold</b> '
                '[x](javascript:alert(4)) ![i](https://example.com/x.png)<img src="x" onerror="alert(5)">'
                '<span id="md-content">s</span>'
                '<p id="own" style="color:red">styled</p><!-- a comment -->.\n\n## Later\n\nMore.')


def test_a_hostile_note_previews_nothing_that_runs_links_loads_or_names(tmp_path):
    hostile = '</script><script>alert("x")</script>'
    note = note_text("A", summary=json.dumps(hostile), body=HOSTILE_BODY)
    garden = make_garden(tmp_path, {"career/a.md": note})
    (shard,) = _shards(garden).values()
    assert not {"<", ">", "&"} & set(shard)  # JSON escapes: no tag in the file
    preview = _preview_of(garden, "career/a.md")
    assert preview["summary"] == hostile  # the text exactly, once parsed; the script sets textContent
    shown = preview["html"]
    assert isinstance(shown, str) and "<b>bold</b>" in shown and "&lt;script&gt;alert(1)" in shown
    for unwanted in ("<script", "alert(2)", "onclick", "onerror", "javascript", "<img", "<a", "id=", "style=",
                     "<!--", "example.com"):
        assert unwanted not in shown, unwanted


def test_drafts_are_not_previewed_and_every_published_note_is(tmp_path):
    previews = _previews(tmp_path, {"career/a.md": note_text("A"),
                                    "career/b.md": note_text("B", draft="true"),
                                    "culture/c.md": note_text("C", tags="[culture]")})
    assert list(previews) == ["career/a/", "culture/c/"]


N = 250_000
"""Under the largest note the garden accepts (256 KB)."""

PATHOLOGICAL = {
    "footnote openers": "[^" * (N // 2),
    "link openers": "[a](" * (N // 4),
    "parentheses in a link": "[a](" + "(b)" * (N // 3),
    "angle brackets": "<" * N,
    "attribute list openers": "{:" * (N // 2),
    "underscores between words": "a_" * (N // 2),
    "escapes": "\\*" * (N // 2),
    "fences in a paragraph": "a\n```\n" * (N // 6),
    # As many headings as a note may have (garden/build.py's MAX_HEADINGS), each over a long paragraph.
    "headings and paragraphs": "".join(f"## h{index}\n" + "p " * (N // 1000) + "\n" for index in range(500)),
}


@pytest.mark.site  # seconds of Markdown over megabyte-sized bodies: not the inner loop
@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_a_pathological_note_is_previewed_in_linear_time(tmp_path, body):
    # No wall-clock assertion, as in test_bounded_scanning: a quadratic case does not finish.
    garden = make_garden(tmp_path, {"career/a.md": note_text("A", body=body)})
    note = garden.notes.get("career/a.md")
    if note is None:  # refused before Markdown reads it (garden/limits.py): no page, no preview
        assert {problem.path for problem in garden.problems} == {"career/a.md"}
        return
    preview = preview_json(preview_of(note, garden))
    assert len(preview.encode()) <= FIRST_HOVER_BYTES  # a shard stays small whatever a note holds


MARKDOWNISH = st.text(alphabet=st.sampled_from("[]()`#*_!<>-|~{}:^.&;\n \\a1é"), max_size=300)


@settings(max_examples=50, deadline=None)
@given(MARKDOWNISH)
def test_any_body_previews_every_heading_within_the_bounds(body):
    with tempfile.TemporaryDirectory() as folder:
        garden = make_garden(Path(folder), {"career/a.md": note_text("A", body=body)})
    note = garden.notes.get("career/a.md")
    if note is None:  # a body the garden refuses (a wikilink heading, …) has no page to preview
        return
    preview = preview_of(note, garden)
    assert set(preview.sections) >= {heading.anchor for heading in note.headings}
    for shown in (preview.html, *(section.html for section in preview.sections.values())):
        assert len(shown) <= max(2 * OPENING_LENGTH, WHOLE_NOTE_LENGTH)
        assert "<a" not in shown and "id=" not in shown


def test_under_make_serve_a_text_edit_rewrites_only_its_notes_shard_and_a_tag_edit_none(tmp_path):
    served = Served(copy_fixture("linked", tmp_path))
    try:
        shards = sorted((served.site / "previews").glob("*.json"))
        written = {shard: shard.stat().st_mtime_ns for shard in shards}
        growth = served.site / shard_of("career/growth/")
        assert len(shards) > 1 and growth in written
        retag = edit("career/growth.md", lambda text: text.replace("[career]", "[career, culture]"))
        retag(served.docs)
        served.rebuild()
        assert {shard: shard.stat().st_mtime_ns for shard in shards} == written
        edit("career/growth.md", lambda text: text.replace("Take on work", "Take on new work"))(served.docs)
        served.rebuild()
        preview = json.loads(growth.read_text(encoding="utf-8"))["career/growth/"]
        assert "Take on new work a level above the title." in preview["html"]
        rewritten = [shard for shard in shards if shard.stat().st_mtime_ns != written[shard]]
        assert rewritten == [growth]
        assert served.differences() == []
    finally:
        incremental.end(str(served.project / "mkdocs.yml"))


def test_each_note_is_rendered_once_for_its_page_and_its_preview(tmp_path, monkeypatch):
    """The preview is cut from the HTML the page published: no second Markdown rendering of the
    note, and the preview shows the body as before (no lead, glossary terms as plain text)."""
    project = copy_fixture("linked", tmp_path)
    (project / "glossary.yml").write_text('level: {definition: "A rung of the ladder.", ours: true}\n',
                                          encoding="utf-8")
    converted: list[str] = []
    convert = markdown.Markdown.convert

    def counted(self: markdown.Markdown, source: str) -> str:
        converted.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", counted)
    site = build_project(project)
    assert not site.aborted, site.warnings
    assert len([source for source in converted if "Take on work a level above the title." in source]) == 1
    assert [abbr.get_text() for abbr in site.article("career/growth/").select("abbr")] == ["level"]
    shard = json.loads((site.site / shard_of("career/growth/")).read_text(encoding="utf-8"))
    assert shard["career/growth/"]["html"] == (
        "<p>Growth starts with knowing when to go: leave triggers.</p>\n"
        "<h2>How to grow</h2>\n<p>Take on work a level above the title.</p>")


class TestTheBuiltSite:
    site = site_fixture("linked")

    def test_the_shards_hold_each_published_note_by_its_url(self, site):
        shards = {path.relative_to(site.site).as_posix(): path.read_text(encoding="utf-8")
                  for path in (site.site / "previews").glob("*.json")}
        previews = _all(shards)
        notes = {"career/growth/", "career/leave/", "culture/lonely/", "culture/safe-to-fail/"}
        assert set(previews) == notes  # not the draft
        growth = previews["career/growth/"]
        assert growth["title"] == "Growing as an engineer" and growth["whole"] is True
        assert growth["html"] == ("<p>Growth starts with knowing when to go: leave triggers.</p>\n"
                                  "<h2>How to grow</h2>\n<p>Take on work a level above the title.</p>")
        assert growth["sections"] == {"how-to-grow": {"heading": "How to grow", "at": 0}}
        assert not (site.site / "previews.json").exists()

    def test_every_heading_link_of_the_site_has_its_section_previewed(self, site):
        shard = (site.site / shard_of("career/growth/")).read_text(encoding="utf-8")
        growth = json.loads(shard)["career/growth/"]
        link = site.article("career/leave/").select_one('a[href="../growth/#how-to-grow"]')
        assert link is not None and "how-to-grow" in growth["sections"]


@pytest.mark.site  # a garden of 4,000 notes: not the inner loop
def test_the_first_hover_downloads_one_shard_within_50_kb(tmp_path):
    """The bench's synthetic garden: each note's preview in its shard, the largest shard bounded."""
    generate(tmp_path, 1_000)
    garden = build_garden(Settings(docs_dir=tmp_path / "docs", tags_file=tmp_path / "tags.yml",
                                   markdown_extensions=tuple(repo_mkdocs_yml()["markdown_extensions"])))
    shards = _shards(garden)
    assert len(_all(shards)) == len(garden.notes) == 1_000
    largest = max(len(text.encode()) for text in shards.values())
    assert largest <= FIRST_HOVER_BYTES
    assert max(len(json.loads(text)) for text in shards.values()) <= 4  # the hash spreads the notes


# In Chromium, on the real garden as the session's `server` serves it.

POPOVER = ".garden-preview[role='tooltip']"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
NOTE = "career/job-leave-triggers/"
TARGET = "career/test-the-market-regularly.md"
LINK = f"article p a[href$='{_url(TARGET)}']"
"""A link of NOTE's text to TARGET."""


SHOWN = f"{POPOVER} > p"
BODY = f"{POPOVER} .garden-preview__body"


def shown_for(garden: Garden, path: str) -> list[str]:
    """The title and summary the popover of a link to the note at `path` opens with."""
    preview = preview_of(garden.notes[path], garden)
    return [preview.title, preview.summary]


def on_screen(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    width, height = page.evaluate("[document.documentElement.clientWidth, window.innerHeight]")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width \
        and box["y"] >= 0 and box["y"] + box["height"] <= height


def with_local_sitemap(page, server: str) -> None:
    """Material's instant navigation follows only links its sitemap lists, by the published
    `site_url` (host and protocol aside): the served copy gets a sitemap with its own address."""
    def rewrite(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("https://example.org/garden/", server))

    page.route("**/sitemap.xml", rewrite)


def test_a_link_preview_appears_on_hover_and_on_keyboard_focus(real_garden, page, server):
    page.goto(server + NOTE)
    link = page.locator(LINK).first
    link.hover()
    popover = page.locator(POPOVER)
    popover.wait_for()
    assert page.locator(SHOWN).all_inner_texts() == shown_for(real_garden, TARGET)
    assert on_screen(page, POPOVER)
    page.mouse.move(0, 0)
    popover.wait_for(state="hidden")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # the link, reached from the keyboard
    popover.wait_for()
    assert page.locator(SHOWN).all_inner_texts() == shown_for(real_garden, TARGET)
    assert link.get_attribute("aria-describedby") == popover.get_attribute("id")


def test_the_popover_can_be_hovered_and_escape_dismisses_it(page, server):
    page.goto(server + NOTE)
    link = page.locator(LINK).first
    link.hover()
    popover = page.locator(POPOVER)
    popover.wait_for()
    assert link.get_attribute("aria-describedby") == popover.get_attribute("id")
    assert page.locator(".md-tooltip2--active").count() == 0  # Material's tooltip does not double it
    box = popover.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 20, steps=8)
    page.wait_for_timeout(800)  # well past the delay that closes a preview the pointer has left
    assert popover.is_visible()
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None
    page.mouse.move(0, 0)
    link.focus()  # from the keyboard: Escape dismisses, and the focus stays on the link
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    popover.wait_for()
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('href')") == link.get_attribute("href")


def test_a_heading_link_previews_its_section(real_garden, page, server):
    note = real_garden.notes["leadership/leadership-philosophy.md"]
    section = preview_of(note, real_garden).sections["velocity-versus-stability"]
    page.goto(server + "leadership/guardrail-engineering/")  # it links [[leadership-philosophy#Velocity …]]
    page.locator("article a[href$='leadership-philosophy/#velocity-versus-stability']").first.hover()
    page.locator(POPOVER).wait_for()
    assert page.locator(SHOWN).all_inner_texts()[:2] == [note.title, section.heading if section.at is None
                                                          else note.meta.summary]
    assert page.locator(BODY).count() == 1
    assert on_screen(page, POPOVER)


def test_glossary_terms_keep_materials_tooltip(page, server):
    page.goto(server + "strategy/integrating-an-acquisition/")
    page.locator("article abbr[title]", has_text="tokenization environment").first.hover()
    page.locator(".md-tooltip2--active[role='tooltip']").wait_for()
    assert not page.locator(POPOVER).is_visible()


def _touch_screen(browser, server: str):
    """A 375 px phone on the note, its link to the target in view."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(server + NOTE)
    page.locator(LINK).first.scroll_into_view_if_needed()
    return context, page


def test_on_a_touch_screen_the_first_tap_previews_and_the_second_follows(real_garden, browser, server):
    context, page = _touch_screen(browser, server)
    link = page.locator(LINK).first
    link.tap()
    popover = page.locator(POPOVER)
    popover.wait_for()
    assert page.url == server + NOTE
    assert page.locator(SHOWN).all_inner_texts() == shown_for(real_garden, TARGET)
    assert on_screen(page, POPOVER)
    assert popover.get_by_role("link", name="Open").get_attribute("href") == server + _url(TARGET)
    link.tap()
    page.wait_for_url(server + _url(TARGET))
    context.close()


def test_on_a_touch_screen_a_tap_elsewhere_closes_the_preview_and_open_follows_it(browser, server):
    context, page = _touch_screen(browser, server)
    link = page.locator(LINK).first
    popover = page.locator(POPOVER)
    link.tap()
    popover.wait_for()
    page.locator("article h1").tap()
    popover.wait_for(state="hidden")
    assert page.url == server + NOTE
    link.tap()  # a first tap again: the tap elsewhere forgot the previous one
    popover.get_by_role("link", name="Open").tap()
    page.wait_for_url(server + _url(TARGET))
    context.close()


def test_previews_work_after_instant_navigation_and_ask_no_other_host(real_garden, page, server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    with_local_sitemap(page, server)
    page.goto(server + NOTE, wait_until="networkidle")
    page.evaluate("window.gardenMarker = 'still the first page'")
    page.locator(LINK).first.hover()
    page.locator(POPOVER).wait_for()
    page.locator(LINK).first.click()
    page.wait_for_url(server + _url(TARGET))
    assert page.evaluate("window.gardenMarker") == "still the first page"  # instant navigation, no reload
    back = page.locator("article p a[href$='career/job-leave-triggers/']").first
    assert back.get_attribute("title") is None  # taken over on the new page too
    back.hover()
    page.locator(POPOVER).wait_for()
    assert page.locator(SHOWN).all_inner_texts() == shown_for(real_garden, "career/job-leave-triggers.md")
    previews = [url for url in requests if "/previews/" in url]
    assert sorted(previews) == sorted({server + shard_of(_url(TARGET)), server + shard_of(NOTE)})  # each kept
    assert [url for url in requests if not url.startswith(server)] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_open_preview_has_no_serious_accessibility_violation(browser, server, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + NOTE)
    page.locator(LINK).first.hover()
    page.locator(POPOVER).wait_for()
    page.locator(POPOVER).screenshot(path=SCREENSHOTS / f"preview-{scheme}.png")
    # The popover only: axe also judges the hovered link, whose colour is Material's hover colour.
    violations = Axe().run(page, context=".garden-preview").response["violations"]
    context.close()
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def _serve_shard(page, server: str, entries: dict[str, str]) -> None:
    """TARGET's shard as the browser gets it, holding `entries` (URL: preview JSON)."""
    shard = "{" + ",".join(f"{json.dumps(url)}:{entry}" for url, entry in entries.items()) + "}"
    page.route(server + shard_of(_url(TARGET)), lambda route: route.fulfill(
        body=shard, content_type="application/json"))


def _preview_of_note(tmp_path: Path, body: str) -> str:
    """TARGET's preview, made by the build from a note of `body`."""
    garden = make_garden(tmp_path, {TARGET: note_text("Formatted", body=body)})
    return preview_json(preview_of(garden.notes[TARGET], garden))


def _hover(page) -> None:
    page.locator(LINK).first.hover()
    page.locator(POPOVER).wait_for()


def test_a_preview_shows_lists_emphasis_and_callouts_and_nothing_unsafe(page, server, tmp_path):
    body = ('An *emphasised* opening with [a link](https://example.com/x) and '
            '<b onclick="window.pwned=1">bold</b>'
            '<img src="x" onerror="window.pwned=2">.\n\n- first item\n- second item\n{: #list-id }\n\n'
            '!!! note "Our view"\n    Inside the box.')
    _serve_shard(page, server, {_url(TARGET): _preview_of_note(tmp_path, body)})
    page.goto(server + NOTE)
    _hover(page)
    assert page.locator(f"{BODY} em").first.inner_text() == "emphasised"
    assert page.locator(f"{BODY} li").all_inner_texts() == ["first item", "second item"]
    assert page.locator(f"{BODY} .admonition-title").inner_text() == "Our view"
    assert "a link" in page.locator(BODY).inner_text()
    assert page.locator(f"{POPOVER} :is(a, img, script, [id], [onclick], [onerror])").count() == 0
    assert page.evaluate("window.pwned") is None


def test_the_script_adds_nothing_unsafe_whatever_a_shard_holds(page, server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    hostile = ('<p id="page-id" onclick="window.pwned=1" style="color:red">kept text '
               '<a href="https://evil.example/">link text</a></p><img src="https://evil.example/x.png" '
               'onerror="window.pwned=2"><script>window.pwned=3</script><iframe src="https://evil.example/"></iframe>')
    entry = json.dumps({"title": "T", "summary": "S", "html": hostile, "sections": {}})
    _serve_shard(page, server, {_url(TARGET): entry})
    page.goto(server + NOTE)
    _hover(page)
    page.wait_for_timeout(300)
    assert page.locator(BODY).inner_text() == "kept text link text"
    assert page.locator(f"{POPOVER} :is(a, img, script, iframe, [id], [onclick], [style])").count() == 0
    assert page.evaluate("window.pwned") is None
    assert [url for url in requests if "evil.example" in url] == []


def test_a_link_to_a_heading_of_a_note_previewed_whole_scrolls_the_popover_to_it(page, server, tmp_path):
    filler = "\n\n".join(f"Paragraph {index} of the note, a line long." for index in range(20))
    preview = _preview_of_note(tmp_path, f"{filler}\n\n## Target heading\n\n{filler}")
    assert json.loads(preview)["whole"] is True
    _serve_shard(page, server, {_url(TARGET): preview})
    page.goto(server + NOTE)
    link = page.locator(LINK).first.element_handle()
    link.evaluate("link => { link.href += '#target-heading' }")
    link.hover()
    page.locator(POPOVER).wait_for()
    heading = page.locator(f"{BODY} h2")
    assert heading.inner_text() == "Target heading"
    popover_box, heading_box = page.locator(POPOVER).bounding_box(), heading.bounding_box()
    assert popover_box is not None and heading_box is not None
    assert page.locator(POPOVER).evaluate("popover => popover.scrollTop") > 0
    assert abs(heading_box["y"] - popover_box["y"]) < 2  # the heading at the popover's top
    page.mouse.move(0, 0)
    page.locator(POPOVER).wait_for(state="hidden")
    link.evaluate("link => { link.href = link.href.split('#')[0] }")
    _hover(page)  # the note itself: from its top
    assert page.locator(POPOVER).evaluate("popover => popover.scrollTop") == 0


def test_the_first_hover_downloads_one_small_shard(page, server):
    sizes: list[int] = []
    def measure(response) -> None:
        if "/previews/" in response.url:
            sizes.append(len(response.body()))

    page.on("response", measure)
    page.goto(server + NOTE, wait_until="networkidle")
    assert sizes == []  # nothing before a reader reaches for a link
    _hover(page)
    assert len(sizes) == 1 and sizes[0] <= FIRST_HOVER_BYTES
