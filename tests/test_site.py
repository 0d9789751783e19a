"""The site layer (garden/site.py) as data: what the garden decides about its site, without an engine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from conftest import make_garden, note_text
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from mkdocs.structure.files import File

from garden import site
from garden.config import GardenConfig
from garden.conventions import FEED_FILE, TAG_INDEX, tag_feed_file
from garden.incremental import ServeSession
from garden.memo import Memo
from garden.previews import shard_of
from garden.rendering import Renderer
from garden.search import compound_words

SITE = site.SiteInfo("The Garden", "What grows here.", "https://example.org/garden")


@pytest.fixture(scope="module")
def garden(tmp_path_factory: pytest.TempPathFactory):
    return make_garden(tmp_path_factory.mktemp("site"), {
        "career/a.md": note_text("A", body="A links to [[b]] about the long-term view.",
                                 changes="[{date: 2024-05-01, what: More}]", updated="2024-05-01",
                                 aliases="[Alpha]"),
        "career/b.md": note_text("B", tags="[career, culture]", body="B is long term."),
        "culture/c.md": note_text("C", tags="[culture]", body="C stands alone."),
    })


_NAME = st.text(alphabet="abAB\u00e9 -_.", min_size=1, max_size=6).filter(lambda n: n.strip(". ") == n)


@settings(max_examples=40, deadline=None)
@given(st.lists(_NAME, max_size=2), st.one_of(_NAME, st.sampled_from(["index", "README"])),
       st.sampled_from([".md", ".png"]), st.booleans())
def test_a_page_url_is_the_one_mkdocs_gives(folders, name, suffix, directory_urls):
    source = "/".join([*folders, name + suffix])
    url = File(source, "", "", directory_urls).url
    assert site.page_url(source, directory_urls) == ("" if url == "./" else url)


def test_the_site_url_ends_in_a_slash_and_absolute_urls_start_with_it():
    assert SITE.site_url == "https://example.org/garden/"
    assert SITE.absolute("career/a.md") == "https://example.org/garden/career/a/"
    assert SITE.href("career/a.md", "culture/c.md") == "../../culture/c/"


def test_the_navigation_lists_sections_and_indexes_never_notes(garden):
    exists = site.page_exists(garden, lambda path: path == "index.md")
    nav = site.navigation(garden, exists, GardenConfig())
    paths = [path for item in nav for path in item.values()]
    assert paths[0] == "index.md" and TAG_INDEX in paths
    assert "career/index.md" in paths and "culture/index.md" in paths
    assert not any(path in garden.notes for path in paths)
    assert "trails/index.md" not in paths  # no trail: no entry
    assert {"Home": "index.md"} not in site.navigation(garden, site.page_exists(garden, lambda path: False),
                                                       GardenConfig())


def test_feeds_need_a_site_url_and_each_tag_in_use_has_one(garden):
    assert site.feed_plan(garden, site.SiteInfo("The Garden", "")) == {}
    plan = site.feed_plan(garden, SITE)
    assert set(plan) == {FEED_FILE, tag_feed_file("career"), tag_feed_file("culture")}
    assert {entry.note.path for entry in plan[tag_feed_file("culture")][1]} == {"career/b.md", "culture/c.md"}
    assert plan[tag_feed_file("career")][0].description == "Careers."
    assert site.notes_in_feeds(plan, 1) == {entries[0].note.path for _, entries in plan.values()
                                            if entries[0].kind == "new"}


def published(html: dict[str, str]) -> Memo:
    """Notes' published HTML, kept as a build keeps it for the feeds."""
    memo = Memo()
    for path, text in html.items():
        memo.keep(path, text)
    return memo


def test_a_feed_is_kept_while_its_items_are_the_same(garden):
    plan, kept, warnings = site.feed_plan(garden, SITE), Memo(), list[str]()
    html = {path: f"<p>{path}</p>" for path in garden.notes}
    first = site.feeds(plan, SITE, 10, published(html), kept, warnings.append)
    again = site.feeds(plan, SITE, 10, published(html), kept, warnings.append)
    assert all(again[path] is first[path] for path in plan) and not warnings
    edited_html = published({**html, "culture/c.md": "<p>new</p>"})
    edited = site.feeds(plan, SITE, 10, edited_html, kept, warnings.append)
    career = tag_feed_file("career")
    assert edited[FEED_FILE] != first[FEED_FILE] and edited[career] is first[career]
    site.feeds(plan, SITE, 10, Memo(), Memo(), warnings.append)
    assert any("career/a.md: its feed items go without its text" in warning for warning in warnings)


def test_a_tag_page_announces_its_feed_and_the_changelog(garden):
    links = site.feed_links(garden, SITE, "tags/culture.md")
    assert [link["url"] for link in links] == ["../../feed.xml", f"../../{tag_feed_file('culture')}"]
    assert len(site.feed_links(garden, SITE, "career/a.md")) == 1


def test_an_alias_redirect_page_is_written_at_the_alias_and_leads_to_the_note(garden):
    pages = site.redirect_pages(garden, SITE, Renderer())
    assert set(pages) == site.redirect_outputs(garden, SITE) == {"career/alpha/index.html"}
    assert 'href="../a/"' in pages["career/alpha/index.html"]


def test_generated_files_are_kept_only_while_the_signature_is_the_same(garden):
    session = ServeSession()
    pages, generated = site.generated_files(garden, SITE, GardenConfig(), Renderer(), session.site(("one",)))
    assert site.unchanged_files(generated, session.site(("one",))) == set()
    assert site.unchanged_files(generated, session.site(("one",))) == set(generated)
    pages_again, _ = site.generated_files(garden, SITE, GardenConfig(), Renderer(), session.site(("one",)))
    assert all(page is kept for page, kept in zip(pages_again, pages, strict=True))
    pages_other, _ = site.generated_files(garden, SITE, GardenConfig(), Renderer(), session.site(("two",)))
    assert all(page is not kept for page, kept in zip(pages_other, pages, strict=True))
    assert site.unchanged_files(generated, session.site(("two",))) == set()


def test_search_entries_of_a_page_get_other_spellings_and_its_aliases(garden):
    entries: list[site.SearchEntry] = [
        {"location": "career/b/", "title": "B", "text": "long-term"},
        {"location": "career/a/", "title": "A", "text": "the long term view"},
        {"location": "career/a/#part", "title": "Part", "text": "long-term"}]
    site.add_search_fields(entries, "career/a/", garden.notes["career/a.md"], compound_words(garden))
    assert entries[1]["aliases"] == "Alpha" and "variants" in entries[1] and "variants" in entries[2]
    assert "aliases" not in entries[2] and "variants" not in entries[0]  # another page's: untouched


def test_the_merged_search_index_keeps_pages_not_rebuilt_in_build_order(garden):
    session = ServeSession()
    entries = session.memo.scope("search entries")
    entries.keep("career/a.md", [{"location": "career/a/", "title": "A", "text": ""}])
    entries.keep("gone.md", [{"location": "gone/", "title": "Gone", "text": ""}])
    entries.keep("career/b.md", [{"location": "career/b/", "title": "B", "text": ""}])
    entries.sweep()  # as a previous build left them
    index = json.dumps({"config": {"lang": ["en"]}, "docs": []})
    order = ["career/b.md", "career/a.md"]
    merged = json.loads(site.merged_search_index(index, order, garden, None, session))
    assert [doc["title"] for doc in merged["docs"]] == ["B", "A"]
    assert merged["config"] == {"lang": ["en"]}
    assert entries.last("gone.md", list) is None


def test_the_sitemap_date_of_a_note_is_its_own_and_of_other_pages_the_newest(garden):
    dates = site.sitemap_dates(garden, ["career/a.md", "tags/index.md"])
    assert dates == {"career/a.md": "2024-05-01", "tags/index.md": "2024-05-01"}
    assert site.sitemap_dates(garden, ["culture/c.md"]) == {"culture/c.md": "2024-03-02"}


def test_a_second_plan_of_the_same_garden_keeps_every_file_and_renders_no_page_again(garden, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: The Garden\n", encoding="utf-8")
    session = ServeSession()

    def plan() -> site.SitePlan:
        return site.plan_site(garden, SITE, GardenConfig(), None, session, lambda path: False,
                              tmp_path / "mkdocs.yml", [])

    first = plan()
    assert first.unchanged == set() and first.pages_to_render() is None
    second = plan()
    assert second.renderer is first.renderer and second.unchanged == set(second.files)
    assert second.pages_to_render() == set(garden.pages) | set(garden.broken)
    assert {"career/a.md", "career/b.md", "culture/c.md"} <= set(second.faces)


def test_a_clean_build_keeps_only_the_html_its_feeds_carry(garden, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: The Garden\n", encoding="utf-8")
    options = GardenConfig(feed_items=1)
    plan = site.plan_site(garden, SITE, options, None, None, lambda path: False,
                          tmp_path / "mkdocs.yml", [])
    for path in garden.notes:
        plan.keep_published(path, f"<p>{path}</p>")
    kept = {path for path in garden.notes if plan.memo.scope("published").last(path, str) is not None}
    assert kept == site.notes_in_feeds(plan.feed_plan, 1) != set(garden.notes)


def test_the_engine_reads_a_note_as_its_parsed_body_and_renders_it_with_escaped_metadata(garden, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: The Garden\n", encoding="utf-8")
    plan = site.plan_site(garden, SITE, GardenConfig(), None, None, lambda path: False,
                          tmp_path / "mkdocs.yml", [])
    assert plan.page_source("career/a.md") == site.EMPTY_FRONT_MATTER + garden.notes["career/a.md"].body
    assert plan.page_source("elsewhere.md") is None
    markdown, meta, title = plan.page_markdown("career/a.md", "ignored", {})
    assert "b.md" in markdown and "[[b]]" not in markdown  # the wikilink is a Markdown link
    assert title == meta["title"] == "A" and meta["tags"] == ["career"]
    assert plan.page_markdown("other.md", "as read", {"x": 1}) == ("as read", {"x": 1}, None)


def _page(text: str) -> str:
    """A note page's content as published: its summary lead, then its body."""
    return f'<p class="garden-lead">Its summary.</p>\n<p>{text}</p>'


def test_previews_are_made_from_published_pages_and_a_rebuild_rewrites_only_changed_shards(garden, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: The Garden\n", encoding="utf-8")
    session, warnings = ServeSession(), list[str]()

    def plan() -> site.SitePlan:
        return site.plan_site(garden, SITE, GardenConfig(), None, session, lambda path: False,
                              tmp_path / "mkdocs.yml", [])

    first = plan()
    shards = {path: shard_of(SITE.url(path)) for path in garden.notes}
    assert set(shards.values()) <= set(first.later_paths())  # listed before any page is rendered
    for path in garden.notes:
        first.keep_published(path, _page(f"The text of {path}."))
    made, unchanged = first.later_files(warnings.append)
    assert unchanged == set() and warnings == []
    previews = {url: preview for path, shard in shards.items()
                for url, preview in json.loads(made[shard]).items()}
    assert previews["career/a/"]["html"] == "<p>The text of career/a.md.</p>"  # the body, not the lead
    second = plan()  # a rebuild renders one page again, with new text
    second.keep_published("career/a.md", _page("New text."))
    made_again, unchanged = second.later_files(warnings.append)
    rewritten = {path for path in made_again if path not in unchanged}
    assert rewritten - set(second.feed_plan) == {shards["career/a.md"]}  # (A's feed items show its text)
    assert json.loads(made_again[shards["career/b.md"]]) == json.loads(made[shards["career/b.md"]])
    assert "New text." in made_again[shards["career/a.md"]].decode()


def test_a_note_whose_page_was_not_rendered_is_named_not_silently_left_without_preview(garden, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: The Garden\n", encoding="utf-8")
    plan = site.plan_site(garden, SITE, GardenConfig(), None, None, lambda path: False,
                          tmp_path / "mkdocs.yml", [])
    for path in ("career/a.md", "career/b.md"):
        plan.keep_published(path, _page(path))
    warnings: list[str] = []
    shards = plan.preview_shards(warnings.append)
    assert any(message.startswith("culture/c.md: ") and "no preview" in message for message in warnings)
    assert b"culture/c/" not in b"".join(shards.values()) and shards[shard_of("culture/c/")] == b"{}"


def _plan(garden, tmp_path, session: ServeSession | None = None) -> site.SitePlan:
    (tmp_path / "mkdocs.yml").write_text("site_name: The Garden\n", encoding="utf-8")
    return site.plan_site(garden, SITE, GardenConfig(), None, session, lambda path: False,
                          tmp_path / "mkdocs.yml", [])


def test_of_docs_only_notes_pages_and_assets_the_garden_read_are_published_and_never_drafts(tmp_path):
    files = {"career/a.md": note_text("A"), "career/d.md": note_text("D", draft="true"),
             "career/x.png": "not read as a note", "career/.hidden.md": note_text("H")}
    garden = make_garden(tmp_path, files)
    published = {path for path in [*files, "elsewhere.md"] if site.published_from_docs(garden, path)}
    assert published == {"career/a.md", "career/x.png"}


def test_an_output_is_written_only_if_the_namespace_claims_it_for_what_writes_it(garden, tmp_path):
    plan = _plan(garden, tmp_path)
    assert plan.unclaimed_output("career/a/index.html", "career/a.md", generated=False) is None
    assert plan.unclaimed_output("career/alpha/index.html", "any.md", generated=False) is None  # a redirect
    assert plan.unclaimed_output("tags/index.html", "tags/index.md", generated=True) is None
    taken = plan.unclaimed_output("career/a/index.html", "career/other.md", generated=False)
    assert taken is not None and taken.startswith("career/a/index.html: ")
    unknown = plan.unclaimed_output("stray\n::error::x.html", "stray.md", generated=False)
    assert unknown is not None and "\n" not in unknown and "namespace of outputs" in unknown


def test_a_page_is_published_sanitised_with_each_policy_breach_a_problem_on_its_line(tmp_path):
    body = "First.\n\n<script>alert(1)</script>"  # lines 8 to 10, after front matter and a blank line
    garden = make_garden(tmp_path, {"career/a.md": note_text("A", body=body)})
    plan = _plan(garden, tmp_path)
    published = plan.publish("career/a.md", "<p>First.</p>\n<script>alert(1)</script>", "as rendered")
    assert "<script" not in published.html and "First." in published.html
    assert [(problem.path, problem.line) for problem in published.problems] == [("career/a.md", 10)]
    preview = plan.memo.scope("previews").last("career/a.md", str)  # made from what the page published
    assert preview is not None and "First." in preview and "script" not in preview
    cached = plan.publish("career/a.md", "<script>ignored</script>", "", cached=("<p>Kept.</p>", ()))
    assert cached.html == "<p>Kept.</p>" and cached.problems == []


@dataclass
class _Heading:
    title: str
    url: str
    children: list[_Heading] = field(default_factory=list)


def test_a_note_shows_contents_after_its_lead_in_its_chrome_and_a_generated_page_its_lists(garden, tmp_path):
    plan = _plan(garden, tmp_path)
    toc = [_Heading("One", "#one", [_Heading("Two", "#two")]), _Heading("Three &amp; four", "#three")]
    content = plan.page_content("career/a.md", _page("Body."), toc)
    chrome = plan.chrome.note(garden.notes["career/a.md"])
    assert content.startswith(f'{chrome.header}<p class="garden-lead">Its summary.</p>')
    assert content.endswith(f"<p>Body.</p>{chrome.footer}")
    assert content.index('href="#two"') < content.index("<p>Body.</p>") and "Three &amp; four" in content
    assert 'href="#three"' not in plan.page_content("career/a.md", "<p>x</p>", toc[1:])  # too few headings
    tags = plan.page_content(TAG_INDEX, "<h1>Tags</h1>", [])
    assert tags == f"<h1>Tags</h1>{plan.pages[TAG_INDEX].html_after}"
    assert plan.page_content("about.md", "<p>As is.</p>", toc) == "<p>As is.</p>"


def test_chrome_drawn_ahead_is_the_chrome_drawn_in_the_build(garden, tmp_path):
    plan = _plan(garden, tmp_path)
    alone = plan.page_content("career/b.md", "<p>B</p>", [])
    plan.draw_chrome_ahead(["index.md", *garden.notes], workers=2)
    try:
        assert plan.page_content("career/b.md", "<p>B</p>", []) == alone
    finally:
        plan.close()


def test_the_theme_gets_a_pages_feeds_and_classes_and_its_sharing_only_with_an_absolute_url(garden, tmp_path):
    plan = _plan(garden, tmp_path)
    context = plan.template_context("tags/culture.md", None, "Culture")
    assert context == {"garden_feeds": plan.feed_links("tags/culture.md"), "garden_cssclasses": ()}
    url = "https://example.org/garden/career/a/"
    shared = plan.template_context("career/a.md", url, "A")
    assert shared["garden_sharing"] == plan.sharing("career/a.md", url, "A")


def test_a_page_s_search_entries_are_kept_for_the_rebuilds_that_do_not_render_it(garden, tmp_path):
    session = ServeSession()
    plan = _plan(garden, tmp_path, session)
    entries: list[site.SearchEntry] = [{"location": "career/a/", "title": "A", "text": ""}]
    plan.add_search_fields(entries, "career/a/", "career/a.md")
    entries.append({"location": "career/b/", "title": "B", "text": ""})
    plan.add_search_fields(entries, "career/b/", "career/b.md")
    kept = session.memo.scope("search entries")
    assert kept.last("career/a.md", list) == entries[:1] and kept.last("career/b.md", list) == entries[1:]


def test_a_broken_note_is_published_as_its_problems_alone_out_of_search(tmp_path):
    garden = make_garden(tmp_path, {"career/a.md": "---\ntitle: [unclosed\n---\nSecret text.\n"})
    markdown, meta, title = _plan(garden, tmp_path).page_markdown("career/a.md", "Secret text.", {})
    problems = [str(problem) for problem in garden.problems if problem.path == "career/a.md"]
    assert problems and all(escape(problem) in markdown for problem in problems)
    assert "Secret" not in markdown and meta == {"search": {"exclude": True}} and title is None
