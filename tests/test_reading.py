"""Reading the garden, second pass (issue 9), on built fixture sites: what a shared link shows,
where to subscribe and what a feed item carries, what search indexes, the home title, the
404 page. Orders and ranking are in test_model.py; searching in a browser in test_browser.py."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import feedparser
from conftest import site_fixture

SITE_URL = "https://example.org/garden/"


def _meta(page, key: str) -> str | None:
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return None if tag is None else str(tag["content"])


class TestSharing:
    site = site_fixture("linked")

    def test_a_note_is_shared_as_an_article_dated_from_its_front_matter(self, site):
        page = site.page("career/leave/")
        assert _meta(page, "og:title") == "Job-leave triggers"
        assert _meta(page, "og:description") == "What the note 'Job-leave triggers' says in one line."
        assert _meta(page, "og:url") == SITE_URL + "career/leave/"
        assert _meta(page, "og:type") == "article"
        assert _meta(page, "og:site_name") == "Career & Leadership Garden"
        assert _meta(page, "article:published_time") == "2024-03-02"
        assert _meta(page, "article:modified_time") == "2024-03-02"
        assert _meta(page, "twitter:card") == "summary_large_image"  # its card: tests/test_cards.py
        assert _meta(page, "og:image") == SITE_URL + "cards/career/leave.png"

    def test_other_pages_are_shared_as_the_website(self, site):
        page = site.page("tags/career/")
        assert _meta(page, "og:type") == "website"
        assert _meta(page, "og:title") == "Tag: career"
        assert _meta(page, "og:url") == SITE_URL + "tags/career/"
        assert _meta(page, "article:published_time") is None

    def test_the_home_page_title_is_the_site_name_once(self, site):
        home = site.page("")
        assert home.title.get_text() == "Career & Leadership Garden"
        assert _meta(home, "og:title") == "Career & Leadership Garden"
        assert _meta(home, "og:url") == SITE_URL
        note_title = site.page("career/leave/").title.get_text()
        assert note_title == "Job-leave triggers - Career & Leadership Garden"

    def test_the_404_page_offers_search_and_the_way_home(self, site):
        page = site.page("404.html")
        article = page.select_one("article")
        assert article.h1.get_text() == "Page not found"
        assert article.select_one('label[for="__search"]').get_text() == "Search the garden"
        links = {a.get_text(): a["href"] for a in article.select("a")}
        assert links["Go to the home page"] == "/garden/"  # absolute: the page answers at any depth
        assert links["Browse by tag"] == "/garden/tags/"


class TestHostileSharing:
    site = site_fixture("hostile")

    def test_shared_values_are_escaped(self, site):
        page = site.page("career/evil/")
        assert _meta(page, "og:title") == "<img src=x onerror=alert(1)>"
        assert _meta(page, "og:description") == "<b>&</b> and {{ 7*7 }}"
        assert _meta(page, "og:image:alt") == "<img src=x onerror=alert(1)> — Career & Leadership Garden"
        assert "<img src=x" not in str(page.head).replace("&lt;img src=x", "")


class TestSubscribing:
    site = site_fixture("changelog")

    def test_every_tag_page_links_to_its_own_feed(self, site):
        link = site.article("tags/career/").select_one("a.garden-subscribe")
        assert link.get_text() == "Subscribe to notes tagged career (RSS)"
        assert link["href"] == "../../feed-career.xml"
        assert (site.site / "feed-career.xml").is_file()

    def test_every_page_footer_links_to_the_changelog_feed(self, site):
        for url in ("", "career/first/", "tags/career/", "changelog/"):
            link = site.page(url).select_one("footer .garden-footer-subscribe a")
            assert link.get_text() == "Subscribe to the changelog (RSS)"
            assert urljoin(SITE_URL + url, link["href"]) == SITE_URL + "feed.xml"

    def test_a_tag_feed_links_to_its_tag_page(self, site):
        parsed = feedparser.parse((site.site / "feed-career.xml").read_bytes())
        assert parsed.feed.link == SITE_URL + "tags/career/"
        assert feedparser.parse((site.site / "feed.xml").read_bytes()).feed.link == SITE_URL

    def test_new_note_items_carry_the_rendered_sanitised_note_with_absolute_links(self, site):
        entries = feedparser.parse((site.site / "feed.xml").read_bytes()).entries
        new = next(entry for entry in entries if entry.title == "New: First note")
        html = new.content[0].value
        assert '<p class="garden-lead">Summary of First note &amp; more.</p>' in html
        assert f'<a href="{SITE_URL}leadership/second/"' in html  # [[second]], as an absolute link
        assert "<script" not in html and "headerlink" not in html
        assert new.summary == "Summary of First note & more."

    def test_updated_items_say_what_changed_first_and_carry_no_text(self, site):
        entries = feedparser.parse((site.site / "feed.xml").read_bytes()).entries
        updated = [entry for entry in entries if entry.title.startswith("Updated:")]
        assert updated[0].summary.startswith("Added a section on pay — ")
        assert all("content" not in entry for entry in updated)

    def test_feeds_are_the_same_on_every_build(self, site, tmp_path_factory):
        from conftest import build_project, copy_fixture

        again = build_project(copy_fixture("changelog", tmp_path_factory.mktemp("again")))
        for name in ("feed.xml", "feed-career.xml"):
            assert (again.site / name).read_bytes() == (site.site / name).read_bytes()


class TestSearchIndex:
    site = site_fixture("linked")

    def _docs(self, site) -> list[dict[str, object]]:
        index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == ["en", "ja"]
        fields = index["config"]["fields"]
        assert fields["aliases"] == fields["title"]  # a note's other names weigh like its title
        assert fields["tags"]["boost"] < fields["title"]["boost"]  # Material's 1e6 outranked every title
        docs: list[dict[str, object]] = index["docs"]
        return docs

    def test_a_note_is_indexed_with_its_aliases_and_tags(self, site):
        entry = next(d for d in self._docs(site) if d["location"] == "career/leave/")
        assert entry["aliases"] == "leave triggers"
        assert entry["tags"] == ["career", "culture"]

    def test_hyphenated_compounds_are_indexed_in_their_other_spellings(self, site):
        entry = next(d for d in self._docs(site) if d["location"] == "career/leave/")
        assert "jobleave" in str(entry.get("variants", "")).split()  # "Job-leave" in the summary

    def test_the_home_pages_recent_changes_stay_out_of_the_index(self, site):
        home = [d for d in self._docs(site) if str(d["location"]).split("#")[0] == ""]
        assert home, "the home page itself is indexed"
        assert not any("Growing as an engineer" in str(d["text"]) for d in home)
        assert site.article("").select_one("div.garden-recent li") is not None  # still shown
