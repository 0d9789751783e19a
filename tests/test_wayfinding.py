"""Wayfinding: where a reader is, how to get back, and old addresses that still lead somewhere.

Breadcrumbs (Material's `navigation.path`) from home through the index above a page, the
current section active in the navigation (and on no other page), a note's headings reachable
on a phone, a redirect page at every alias's address (a renamed note's old name), and tables
that scroll on a phone reachable by keyboard. Fixture sites and the model, then the real
garden in Chromium.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest
from bs4 import BeautifulSoup
from conftest import (
    PHONE,
    REPO,
    BuiltSite,
    build_project,
    copy_fixture,
    make_garden,
    note_text,
    real_note_title,
)
from test_gate import run_check
from test_incremental import Served

from garden import incremental
from garden.conventions import index_above
from garden.redirects import alias_redirects, redirect_problems
from garden.views import page_contents

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
TRICKY = note_text('"<b>x</b> & y"', aliases="\n  - old tricky name\n  - Old Tricky Name!\n  - 日本語",
                   body="Back to [[first-step]].\n\n## First heading\n\nText.\n\n## Second & more\n\n"
                        "More.\n\n### Below it\n\nLast.")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The references fixture (sources, trails, a glossary) and a note with a title made of
    markup, three headings and aliases."""
    project = copy_fixture("references", tmp_path_factory.mktemp("wayfinding"))
    (project / "docs" / "career" / "tricky.md").write_text(TRICKY, encoding="utf-8")
    built = build_project(project)
    assert not built.aborted, built.warnings
    return built


def crumbs(site: BuiltSite, url: str) -> list[tuple[str, str | None]]:
    """The breadcrumbs of a page: (text, link target resolved against the page's URL)."""
    path = site.page(url).select_one("nav.md-path")
    assert path is not None, f"{url} has no breadcrumbs"
    shown = []
    for item in path.select("li.md-path__item"):
        link = item.select_one("a")
        target = posixpath.normpath(posixpath.join(url, str(link["href"]))) if link else None
        shown.append((item.get_text(" ", strip=True), target))
    return shown


def active_nav(page: BeautifulSoup) -> list[str]:
    """The navigation entries shown as the current ones."""
    return [link.get_text(" ", strip=True) for link in page.select(
        ".md-nav--primary .md-nav__item--active > a.md-nav__link")]


class TestBreadcrumbs:
    def test_a_note_leads_home_through_its_section_and_its_title_shows_literally(self, site):
        assert crumbs(site, "career/tricky/") == [("Home", "."), ("Career", "career"), ("<b>x</b> & y", None)]
        path = site.page("career/tricky/").select_one("nav.md-path")
        assert path is not None and path.select("b") == []
        assert path.select_one("[aria-current=page]") is not None

    def test_a_tag_page_leads_home_through_the_tag_index(self, site):
        assert crumbs(site, "tags/career/") == [("Home", "."), ("Tags", "tags"), ("Tag: career", None)]

    def test_a_source_page_leads_home_through_the_sources_index(self, site):
        assert crumbs(site, "sources/handbook/") == [("Home", "."), ("Sources", "sources"),
                                                     ("Source: The Handbook", None)]

    def test_a_trail_page_leads_home_through_the_trails_index(self, site):
        assert crumbs(site, "trails/walk/") == [("Home", "."), ("Trails", "trails"),
                                                ("Trail: A short walk", None)]

    @pytest.mark.parametrize("url", ["", "career/", "tags/", "changelog/"])
    def test_pages_the_navigation_lists_need_none(self, site, url):
        assert site.page(url).select_one("nav.md-path") is None


class TestCurrentSection:
    def test_a_note_shows_its_section_as_the_current_entry(self, site):
        assert active_nav(site.page("career/tricky/")) == ["Career"]

    @pytest.mark.parametrize(("url", "entry"), [
        ("tags/career/", "Tags"), ("sources/handbook/", "Sources"), ("trails/walk/", "Trails"),
        ("culture/third-step/", "Culture")])
    def test_a_page_below_an_index_shows_that_index_as_current(self, site, url, entry):
        assert active_nav(site.page(url)) == [entry]

    def test_no_page_shows_another_pages_entry_as_current(self, site):
        """MkDocs renders pages one after another with one shared navigation: an entry made
        current for one page must not stay current on the pages rendered after it."""
        for file in site.site.rglob("index.html"):
            url = file.parent.relative_to(site.site).as_posix()
            page = site.page("" if url == "." else f"{url}/")
            if page.select_one(".md-nav--primary") is None:
                continue  # a redirect page
            index = "index.md" if url == "." else index_above(f"{url}.md") or f"{url}/index.md"
            expected = "Home" if index == "index.md" else index.split("/")[0].capitalize()
            assert active_nav(page) == [expected], url


class TestContents:
    def test_a_note_with_headings_lists_them_for_phones(self, site):
        contents = site.article("career/tricky/").select_one("details.garden-toc")
        assert contents is not None
        assert contents.select_one("summary").get_text(strip=True) == "On this page"
        links = [(a.get_text(), a["href"]) for a in contents.select("a")]
        assert links == [("First heading", "#first-heading"), ("Second & more", "#second-more"),
                         ("Below it", "#below-it")]
        assert contents.select("ul ul a")[0]["href"] == "#below-it"  # nested under its heading
        assert "&amp;amp;" not in str(contents)

    def test_it_sits_under_the_notes_header_and_before_its_text(self, site):
        article = str(site.article("career/tricky/"))
        assert article.index("garden-meta") < article.index("garden-toc") < article.index("Back to")

    def test_a_note_with_fewer_than_two_headings_has_none(self, site):
        assert site.article("career/first-step/").select_one("details.garden-toc") is None

    def test_search_does_not_index_it(self, site):
        index = (site.site / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "On this page" not in index


class TestRedirectPages:
    def test_an_alias_leads_to_its_note_from_the_address_a_note_of_that_name_would_have(self, site):
        page = site.page("career/old-tricky-name/")
        refresh = page.select_one("meta[http-equiv=refresh]")
        assert refresh is not None and refresh["content"] == "0; url=../tricky/"
        canonical = page.select_one("link[rel=canonical]")
        assert canonical is not None and canonical["href"] == "../tricky/"
        robots = page.select_one("meta[name=robots]")
        assert robots is not None and robots["content"] == "noindex"
        link = page.select_one("body a")
        assert link is not None and link["href"] == "../tricky/" and link.get_text() == "<b>x</b> & y"
        assert page.select("body b") == []
        target = posixpath.normpath(posixpath.join("career/old-tricky-name/", "../tricky/"))
        assert (site.site / target / "index.html").is_file()

    def test_another_spelling_of_the_same_alias_and_an_alias_without_letters_make_no_page(self, site):
        redirects = sorted(p.parent.relative_to(site.site).as_posix()
                           for p in site.site.glob("career/*/index.html")
                           if "http-equiv" in p.read_text(encoding="utf-8"))
        assert redirects == ["career/old-tricky-name"]

    def test_redirects_stay_out_of_search_and_the_sitemap(self, site):
        for name in ("search/search_index.json", "sitemap.xml"):
            assert "old-tricky-name" not in (site.site / name).read_text(encoding="utf-8")


class TestAnAliasWhoseAddressIsTaken:
    NOTES: ClassVar[dict[str, str]] = {"career/b-note.md": note_text("B note", body="Links to [[a-note]]."),
                                       "career/a-note.md": note_text(
                                           "A note", aliases="\n  - first name\n  - B note!",
                                           body="Links to [[b-note]].")}

    def project(self, tmp_path: Path) -> Path:
        project = copy_fixture("linked", tmp_path)
        for old in (project / "docs").rglob("*.md"):
            if old.name != "index.md":
                old.unlink()
        for path, text in self.NOTES.items():
            (project / "docs" / path).write_text(text, encoding="utf-8")
        return project

    def test_check_and_the_strict_build_report_it_on_the_aliass_line(self, tmp_path):
        project = self.project(tmp_path)
        expected = ("career/a-note.md:8: the alias 'B note!' would redirect from 'career/b-note/', which is "
                    "already the address of career/b-note.md")
        check = run_check(project)
        assert check.returncode != 0
        assert [line for line in check.stderr.splitlines() if line.startswith(expected)]
        site = build_project(project, strict=True)
        assert site.aborted
        assert [line for line in site.warnings if line.removeprefix("garden: ").startswith(expected)]

    def test_a_served_site_keeps_the_note_and_the_other_aliases_redirect(self, tmp_path):
        site = build_project(self.project(tmp_path), strict=False)
        heading = site.article("career/b-note/").select_one("h1")
        assert heading is not None and heading.get_text() == "B note"
        assert site.page("career/first-name/").select_one("meta[http-equiv=refresh]") is not None


def test_make_serve_adds_and_removes_redirects_as_aliases_change(tmp_path):
    """Under `mkdocs serve --dirty` a new alias gets its page, a removed one loses it, and the
    served site stays what a clean build gives."""
    served = Served(copy_fixture("linked", tmp_path))
    note = served.docs / "career" / "leave.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("aliases: [leave triggers]", "aliases: [leave triggers, First name]"),
                    encoding="utf-8")
    served.rebuild()
    assert (served.site / "career" / "first-name" / "index.html").is_file()
    assert served.differences() == []
    note.write_text(text, encoding="utf-8")
    served.rebuild()
    assert not (served.site / "career" / "first-name" / "index.html").exists()
    assert served.differences() == []
    incremental.end(str(served.serve_config))


@dataclass
class _Toc:
    title: str
    url: str
    children: list[_Toc] = field(default_factory=list)


class TestModel:
    def test_an_alias_redirects_from_its_slug_in_the_notes_section(self, tmp_path):
        garden = make_garden(tmp_path, {"career/new-name.md": note_text(
            "New name", aliases="[Old Name, old name, new-name, 日本語, \"Don't stop!\"]")})
        redirects, conflicts = alias_redirects(garden)
        assert [(r.path, r.target.path, r.alias) for r in redirects] == [
            ("career/old-name.md", "career/new-name.md", "Old Name"),
            ("career/dont-stop.md", "career/new-name.md", "Don't stop!")]
        assert conflicts == []

    def test_two_notes_claiming_one_address_the_first_keeps_it(self, tmp_path):
        garden = make_garden(tmp_path, {"career/a.md": note_text("A", aliases="[old-name]"),
                                        "career/b.md": note_text("B", aliases="[Old name?]")})
        redirects, conflicts = alias_redirects(garden)
        assert [r.target.path for r in redirects] == ["career/a.md"]
        assert [(c.note.path, c.reason) for c in conflicts] == [
            ("career/b.md", "which the alias 'old-name' of career/a.md already redirects from")]
        assert [str(p) for p in redirect_problems(garden)] == [
            "career/b.md:6: the alias 'Old name?' would redirect from 'career/old-name/', which the alias "
            "'old-name' of career/a.md already redirects from — choose another alias, or remove it"]

    @pytest.mark.parametrize(("path", "alias", "reason"), [
        ("career/a.md", "Index", "but the index of 'career/' is generated"),
        ("a.md", "career", "which is the address of the section's generated index"),
        ("a.md", "tags", "but it would be published at 'tags/'"),
        ("career/a.md", "b draft", "which is already the address of career/b-draft.md"),
    ])
    def test_an_address_already_taken_is_a_conflict(self, tmp_path, path, alias, reason):
        garden = make_garden(tmp_path, {path: note_text("A", aliases=f"[{alias}]"),
                                        "career/x.md": note_text("X"),
                                        "career/b-draft.md": note_text("Draft", draft="true")})
        redirects, conflicts = alias_redirects(garden)
        assert redirects == []
        assert len(conflicts) == 1 and conflicts[0].reason.startswith(reason)
        assert any(str(p).startswith(f"{path}:6: the alias '{alias}'") for p in garden.problems)

    @pytest.mark.parametrize(("path", "index"), [
        ("career/a.md", "career/index.md"), ("tags/career.md", "tags/index.md"), ("career/index.md", None),
        ("index.md", None), ("a.md", None)])
    def test_a_page_sits_under_the_index_of_its_top_folder(self, path, index):
        assert index_above(path) == index

    def test_the_contents_list_needs_two_headings_and_holds_plain_text(self):
        one = [_Toc("Only", "#only")]
        assert page_contents(one) == ()
        nested = [_Toc("Ups &amp; downs", "#ups", [_Toc("&lt;b&gt;", "#b")])]
        contents = page_contents(nested)
        assert [(e.title, e.url) for e in contents] == [("Ups & downs", "#ups")]
        assert [(e.title, e.url) for e in contents[0].children] == [("<b>", "#b")]


# --- The real garden in Chromium (fixtures `server` and `browser` from conftest.py) -------------

NOTE = "career/job-leave-triggers/"
JAPAN_NOTE = "policy/japan-reduced-hours-for-parents/"


def test_on_a_phone_a_notes_headings_are_reached_from_its_contents(browser, server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(server + NOTE)
    contents = page.locator("details.garden-toc")
    assert contents.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "phone-note.png")
    contents.locator("summary").tap()
    link = contents.locator("a").nth(1)
    link.wait_for()
    page.screenshot(path=SCREENSHOTS / "phone-note-contents.png")
    anchor = "#" + str(link.get_attribute("href")).split("#")[1]
    link.tap()
    page.wait_for_url(server + NOTE + anchor)
    heading = page.locator(anchor)
    page.wait_for_function("h => Math.abs(h.getBoundingClientRect().top) < 200", arg=heading.element_handle())
    assert heading.is_visible()
    page.locator("label.md-header__button[for=__drawer]").tap()
    page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    page.screenshot(path=SCREENSHOTS / "phone-note-menu.png")
    assert page.locator(".md-sidebar--primary .md-nav__item--active").inner_text().strip() == "Career"
    context.close()


def test_wide_screens_show_materials_table_of_contents_instead(page, server):
    page.goto(server + NOTE)
    assert page.locator("details.garden-toc").is_hidden()
    assert page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()


def test_on_a_phone_the_breadcrumbs_show_and_lead_home(browser, server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(server + NOTE)
    path = page.locator("nav.md-path")
    assert path.is_visible()
    assert path.locator("li").all_inner_texts()[:2] == ["Home", "Career"]
    assert page.evaluate("document.querySelector('nav.md-path').scrollWidth <= 375")
    path.locator("a", has_text="Home").tap()
    page.wait_for_url(server)
    context.close()


def test_with_instant_navigation_the_current_section_follows_the_page(page, server):
    page.goto(server + NOTE)
    active = page.locator(".md-nav--primary .md-nav__item--active")
    assert active.all_inner_texts() == ["Career"]
    colours = page.eval_on_selector_all(".md-sidebar--primary .md-nav__list > li > a.md-nav__link",
                                        "links => links.map(a => [a.innerText, getComputedStyle(a).color])")
    current = [text for text, colour in colours if colour != colours[0][1]]
    assert current == ["Career"]  # shown in the colour Material gives the current page, on a wide screen too
    page.locator(".garden-tags a", has_text="culture").click()
    page.wait_for_url(server + "tags/culture/")
    assert [text.strip() for text in active.all_inner_texts()] == ["Tags"]
    assert page.locator("nav.md-path li").all_inner_texts()[-1].strip() == "Tag: culture"


def test_an_alias_address_lands_on_the_note(page, server):
    page.goto(server + "career/reasons-to-leave-a-job/")
    page.wait_for_url(server + NOTE)
    assert page.locator("article h1").inner_text() == real_note_title("career/job-leave-triggers.md")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_table_that_scrolls_on_a_phone_is_reachable_by_keyboard(browser, server, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme, **PHONE)
    page = context.new_page()
    page.goto(server + JAPAN_NOTE)
    page.locator(".md-typeset__scrollwrap[role=region]").first.wait_for(state="attached")
    wrappers = page.eval_on_selector_all(".md-typeset__scrollwrap", """wrappers => wrappers.map(w => [
        w.scrollWidth > w.clientWidth, w.tabIndex, w.getAttribute("role"), w.getAttribute("aria-label")])""")
    assert [w[0] for w in wrappers] == [False, True]  # the second table is wider than the phone
    assert wrappers[1][1:] == [0, "region", "Table: How long parents keep it"]
    assert wrappers[0][1:] == [-1, None, None]  # a table that fits stays out of the tab order
    violations = Axe().run(page).response["violations"]
    context.close()
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []
