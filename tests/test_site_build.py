"""Integration: build real sites from fixture gardens and assert on what a reader sees."""

from __future__ import annotations

import json
import re
from typing import ClassVar

from conftest import site_fixture


def _links(soup, selector: str) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), a["href"]) for a in soup.select(selector)]


def _backlinks(site, url: str) -> set[str]:
    section = site.page(url).select_one("#backlinks")
    assert section is not None, f"{url} has no backlinks section"
    return {a.get_text(strip=True) for a in section.select("a")}


class TestLinkedGarden:
    site = site_fixture("linked")

    def test_builds_strictly_without_warnings(self, site):
        assert not site.aborted, site.warnings
        assert site.warnings == []

    def test_every_wikilink_form_renders_as_a_normal_link(self, site):
        links = _links(site.article("career/leave/"), ".md-typeset p a")
        assert ("Safe to fail cultures", "../../culture/safe-to-fail/") in links  # [[slug]] shows the title
        assert ("the safety note", "../../culture/safe-to-fail/") in links  # [[Title|label]]
        assert ("Growing as an engineer › How to grow", "../growth/#how-to-grow") in links  # [[slug#heading]]
        assert ("the growth note", "../growth/") in links  # a plain Markdown link still works
        growth = _links(site.article("career/growth/"), ".md-typeset p a")
        assert ("leave triggers", "../leave/") in growth  # [[alias]] shows the alias as typed

    def test_links_inside_code_stay_as_written(self, site):
        article = site.article("career/leave/")
        assert "[[not-a-link]]" in article.select_one("p code").get_text()
        assert "[[also-not-a-link]]" in article.select_one("pre").get_text()

    def test_backlinks_list_exactly_the_published_notes_that_link_here(self, site):
        assert _backlinks(site, "career/leave/") == {"Growing as an engineer"}  # not itself, not the draft
        assert _backlinks(site, "career/growth/") == {"Job-leave triggers", "A lonely note"}
        assert _backlinks(site, "culture/safe-to-fail/") == {"Job-leave triggers"}
        assert _backlinks(site, "culture/lonely/") == set()
        backlinks = site.page("culture/lonely/").select_one("#backlinks")
        assert "No other note links here yet." in backlinks.get_text()

    def test_backlinks_come_after_the_note_and_stay_out_of_search(self, site):
        html = str(site.page("career/growth/"))
        assert html.index("How to grow") < html.index('id="backlinks"')
        index = json.loads((site.site / "search" / "search_index.json").read_text())
        assert not any("Linked from" in doc["title"] or "Linked from" in doc["text"] for doc in index["docs"])

    def test_notes_show_their_tags_as_links_to_tag_pages(self, site):
        chips = _links(site.page("career/leave/"), ".garden-tags a")
        assert chips == [("career", "../../tags/career/"), ("culture", "../../tags/culture/")]

    def test_section_indexes_and_navigation_list_sections_not_notes(self, site):
        career = site.article("career/")
        assert [a.get_text() for a in career.select("li a")] == [
            "Growing as an engineer", "Job-leave triggers"]
        nav = [a.get_text(strip=True) for a in site.page("career/leave/").select("nav.md-nav--primary a")]
        assert "Career" in nav and "Culture" in nav and "Tags" in nav
        assert "Job-leave triggers" not in nav and "Growing as an engineer" not in nav

    def test_backlinks_quote_the_sentence_that_links_here_with_the_link_marked(self, site):
        item = next(li for li in site.page("career/growth/").select("#backlinks li")
                    if li.a.get_text() == "Job-leave triggers")
        context = item.select_one("blockquote")
        assert context.get_text() == "The way to grow is in Growing as an engineer › How to grow."
        assert context.mark.get_text() == "Growing as an engineer › How to grow"

    def test_links_to_notes_carry_a_preview_of_the_target(self, site):
        article = site.article("career/leave/")
        preview = "Growing as an engineer — What the note 'Growing as an engineer' says in one line."
        assert article.select_one('a[href="../growth/#how-to-grow"]')["title"] == preview
        assert article.select_one('a[href="../growth/"]')["title"] == preview  # a hand-written Markdown link
        backlink = site.page("career/growth/").select_one("#backlinks a")
        assert backlink["title"].startswith("A lonely note — ")

    def test_related_notes_share_tags_and_leave_out_linked_notes(self, site):
        related = [a.get_text() for a in site.page("career/leave/").select(".garden-related a")]
        assert related == ["A lonely note"]

    def test_the_summary_opens_the_note_and_search_finds_it(self, site):
        lead = site.article("career/leave/").select_one("p.garden-lead")
        assert lead.get_text() == "What the note 'Job-leave triggers' says in one line."
        docs = json.loads((site.site / "search" / "search_index.json").read_text())["docs"]
        assert any(d["location"] == "career/leave/" and "says in one line" in d["text"] for d in docs)

    def test_notes_show_dates_and_reading_time(self, site):
        dates = site.page("career/leave/").select_one(".garden-dates")
        assert dates.get_text() == "Created and last tended 2024-03-02 · 1 min read"

    def test_the_graph_page_draws_every_note_and_lists_the_same_links(self, site):
        page = site.page("graph/")
        nodes = {a["href"] for a in page.select(".garden-graph a.garden-dot")}
        assert nodes == {"../career/leave/", "../career/growth/", "../culture/safe-to-fail/",
                         "../culture/lonely/"}
        listing = {li.a.get_text(): li.get_text() for li in page.select("details li")}
        assert listing["A lonely note"] == "A lonely note → Growing as an engineer"
        local = site.page("culture/lonely/").select(".garden-local-graph a.garden-node")
        assert [a["href"] for a in local] == ["../../career/growth/"]

    def test_home_page_shows_recent_changes_and_sections(self, site):
        home = site.article("")
        assert "This garden holds 4 notes." in home.get_text()
        recent = [a.get_text() for a in home.select("h2#recent-changes + div.garden-recent ul a")]
        # Same day: the note other notes link to comes before the one nothing links to.
        assert recent == ["Growing as an engineer", "Safe to fail cultures", "Job-leave triggers",
                          "A lonely note"]

    def test_every_published_note_is_reachable_from_an_index(self, site):
        indexed = {a["href"] for url in ("career/", "culture/") for a in site.article(url).select("li a")}
        assert indexed == {"leave/", "growth/", "safe-to-fail/", "lonely/"}


class TestTags:
    site = site_fixture("tagged")

    def test_tag_page_shows_description_and_notes_newest_first(self, site):
        page = site.article("tags/career/")
        assert page.h1.get_text() == "Tag: career"
        assert "Choosing and growing a career." in page.get_text()
        assert [a.get_text() for a in page.select("li a")] == [
            "Newest career note", "Middle leadership note", "Oldest career note"]
        assert [s.get_text() for s in page.select("li time")] == ["2025-06-30", "2022-02-02", "2020-01-01"]

    def test_tag_index_lists_tags_in_use_with_counts(self, site):
        items = [li.get_text(" ", strip=True) for li in site.article("tags/").select("li")]
        assert items == ["career (3) — Choosing and growing a career.", "leadership (2) — Leading engineers."]

    def test_search_finds_tag_pages_by_name_and_notes_by_tag_without_list_noise(self, site):
        docs = json.loads((site.site / "search" / "search_index.json").read_text())["docs"]
        tag_page = [d for d in docs if d["location"] == "tags/career/"]
        assert tag_page and tag_page[0]["title"] == "Tag: career"
        assert not any("Newest career note" in d["text"] for d in docs if d["location"].startswith("tags/"))
        note = [d for d in docs if d["location"] == "career/newest/"]
        assert note[0]["tags"] == ["career"]

    def test_unused_tags_get_no_page(self, site):
        assert not (site.site / "tags" / "unused").exists()
        assert (site.site / "tags" / "leadership" / "index.html").exists()


def test_drafts_leave_no_trace_in_the_site(build_fixture):
    site = build_fixture("drafts")
    assert not site.aborted, site.warnings
    assert not (site.site / "strategy").exists()
    for path, text in site.all_text_files().items():
        assert "zebradraft" not in text.lower(), f"the draft leaks into {path}"
    assert not (site.site / "tags" / "strategy").exists()
    assert _backlinks(site, "career/published/") == set()


class TestHostileInput:
    site = site_fixture("hostile")

    def test_front_matter_values_are_escaped_everywhere(self, site):
        assert not site.aborted, site.warnings
        for path, text in site.all_text_files().items():
            assert "<img src=x" not in text, f"unescaped title in {path}"
            assert "<b>&" not in text, f"unescaped summary in {path}"
            assert "<script>alert(2)" not in text, f"unescaped alias in {path}"

    def test_escaped_title_reads_as_text(self, site):
        page = site.page("career/evil/")
        assert page.select_one("article h1").get_text() == "<img src=x onerror=alert(1)>"
        assert page.title.get_text().startswith("&lt;img src=x onerror=alert(1)&gt;") or \
            page.title.get_text().startswith("<img src=x onerror=alert(1)>")
        assert page.select_one('meta[name="description"]')["content"] == "<b>&</b> and {{ 7*7 }}"

    def test_note_text_is_never_a_template(self, site):
        text = site.article("career/evil/").get_text()
        assert "{{ 7*7 }}" in text and "{% if true %}yes{% endif %}" in text
        assert "49" not in text

    def test_titles_with_braces_work_in_links_and_macros(self, site):
        assert ("Braces {{ title }} in a title", "../braces/") in _links(site.article("career/evil/"), "p a")
        recent = [a.get_text() for a in site.article("").select("h2#recent-changes + div.garden-recent ul a")]
        assert "Braces {{ title }} in a title" in recent


def test_journal_index_groups_entries_by_year_newest_first(build_fixture):
    site = build_fixture("journal")
    journal = site.article("journal/")
    assert [h.get_text(strip=True).rstrip("¶") for h in journal.select("h2")] == ["2024", "2023"]
    assert [a.get_text() for a in journal.select("li a")] == [
        "New year entry", "A September entry", "After the finance interview"]


class TestBrokenNotes:
    """One mistake per file; every mistake is reported in one run, with file, line and fix."""

    EXPECTED: ClassVar[dict[str, tuple[int | None, str]]] = {
        "bad-yaml.md": (2, "the front matter is not valid YAML"),
        "no-front-matter.md": (1, "the note has no front matter"),
        "unclosed.md": (1, "the front matter is never closed"),
        "missing-title.md": (1, "the required field 'title' is missing"),
        "tags-not-a-list.md": (4, "'tags' must be a list"),
        "impossible-date.md": (5, "impossible date"),
        "not-a-date.md": (5, "'created' is not a date"),
        "updated-before-created.md": (6, "'updated' (2024-01-01) is before 'created' (2024-03-02)"),
        "unknown-tag.md": (4, "unknown tag 'carreer' — did you mean 'career'?"),
        "unknown-key.md": (6, "unknown front-matter field 'tgas' — did you mean 'tags'?"),
        "change-before-created.md": (7, "the change of 2024-01-01 is before 'created'"),
        "updated-before-change.md": (6, "'updated' (2024-03-05) is before the latest change (2024-04-01)"),
        "not-utf8.md": (9, "the file is not UTF-8 text"),
        "empty.md": (None, "the file is empty"),
        "link-to-nothing.md": (10, "[[no-such-note]] links to no note"),
        "link-to-missing-heading.md": (8, "good.md has no heading 'No such heading'"),
        "link-to-draft.md": (8, "[[a-draft]] links to a draft (a-draft.md)"),
        "markdown-link-to-nothing.md": (8, "the link to nowhere.md points at no page"),
        "ambiguous-link.md": (8, "[[Same title]] matches several notes: twin-a.md, twin-b.md"),
    }

    site = site_fixture("broken", strict=False)

    def test_each_mistake_gives_one_message_with_file_and_line(self, site):
        garden = [w.removeprefix("garden: ") for w in site.warnings if w.startswith("garden: ")]
        for path, (line, message) in self.EXPECTED.items():
            mine = [w for w in garden if w.startswith(f"{path}:") or w.startswith(f"{path} ")]
            assert len(mine) == 1, (path, mine)
            where = f"{path}:{line}: " if line else f"{path}: "
            assert mine[0].startswith(where) and message in mine[0], (path, mine[0])
        assert len(garden) == len(self.EXPECTED)

    def test_every_message_says_how_to_fix_it(self, site):
        for warning in site.warnings:
            if warning.startswith("garden: "):
                assert " — " in warning, warning

    def test_serving_keeps_the_good_notes_and_shows_the_broken_ones_with_their_problems(self, site):
        assert (site.site / "good" / "index.html").exists()
        page = site.article("bad-yaml/")
        assert "This note has problems" in page.get_text()
        assert "title: [unclosed" not in page.get_text()  # broken YAML is never rendered as text

    def test_a_strict_build_fails_and_lists_every_problem(self, tmp_path):
        from conftest import build_project, copy_fixture
        site = build_project(copy_fixture("broken", tmp_path), strict=True)
        assert site.aborted
        assert sum(w.startswith("garden: ") for w in site.warnings) == len(self.EXPECTED)


def test_the_chart_is_drawn_from_its_data_file(tmp_path):
    from conftest import build_project, copy_fixture
    project = copy_fixture("tagged", tmp_path)
    (project / "charts").mkdir()
    (project / "charts" / "uptake.yml").write_text(
        "title: Uptake <by group>\ndescription: Share who used it\nunit: '%'\n"
        "categories: [Women, Men]\nseries:\n  - {name: '2020', values: [40.8, 12.3]}\n"
        "  - {name: '2022', values: [51.2, 7.6]}\n", encoding="utf-8")
    site = build_project(project)
    svg = (site.site / "charts" / "uptake.svg").read_text()
    assert "<title id=\"title\">Uptake &lt;by group&gt;</title>" in svg
    assert re.findall(r">(\d+(?:\.\d+)?)%<", svg) == ["40.8", "51.2", "12.3", "7.6"]


def test_a_rebuild_in_the_same_process_reflects_every_edit(tmp_path):
    """What `mkdocs serve` does on save: the hook module is reused, the garden rebuilt."""
    from conftest import build_project, copy_fixture, note_text
    project = copy_fixture("tagged", tmp_path)
    first = build_project(project)
    assert [a.get_text() for a in first.page("tags/leadership/").select("ul.garden-list a")] == [
        "Middle leadership note", "Oldest career note"]
    (project / "docs" / "leadership" / "middle.md").write_text(
        note_text("Middle leadership note", "[career]"))
    (project / "docs" / "career" / "added.md").write_text(
        note_text("Added later", "[leadership]", created="2026-01-01", body="Links to [[oldest]]."))
    second = build_project(project)
    assert [a.get_text() for a in second.page("tags/leadership/").select("ul.garden-list a")] == [
        "Added later", "Oldest career note"]
    assert "Added later" in [a.get_text() for a in second.article("career/").select("li a")]
    backlinks = second.page("career/oldest/").select("#backlinks li > a")
    assert [a.get_text() for a in backlinks] == ["Added later"]
    assert "Added later" in (second.site / "feed.xml").read_text()
