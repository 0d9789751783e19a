"""The changelog page and the RSS feeds, checked structurally as a feed reader would read them."""

from __future__ import annotations

import email.utils
from urllib.parse import urlsplit

import feedparser
from conftest import build_project, copy_fixture, site_fixture

SITE_URL = "https://example.org/garden/"


site = site_fixture("changelog", scope="module")


def _feed(site, path: str = "feed.xml"):
    parsed = feedparser.parse((site.site / path).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_the_feed_has_the_required_channel_fields(site):
    feed = _feed(site)
    assert feed.version == "rss20"
    assert feed.feed.title == "Career & Leadership Garden"
    assert feed.feed.link == SITE_URL
    assert feed.feed.description
    assert feed.feed.language == "en"


def test_one_item_per_new_note_and_per_listed_change_newest_first(site):
    titles = [entry.title for entry in _feed(site).entries]
    # On one day, new notes come first (2024-02-10: the new note, then the change of an older one).
    assert titles == ["Updated: First note", "New: <b>&</b> second", "Updated: First note", "New: First note"]


def test_item_dates_are_rfc_822_from_front_matter_never_the_build_date(site):
    entries = _feed(site).entries
    dates = [email.utils.parsedate_to_datetime(entry.published).date().isoformat() for entry in entries]
    assert dates == ["2024-03-01", "2024-02-10", "2024-02-10", "2024-01-15"]
    assert all(entry.published.endswith("+0000") for entry in entries)
    assert "Fri, 01 Mar 2024 00:00:00 +0000" in (site.site / "feed.xml").read_text()  # lastBuildDate too


def test_links_are_absolute_and_resolve_to_pages_of_the_site(site):
    entries = _feed(site).entries
    assert entries
    for entry in entries:
        assert entry.link.startswith(SITE_URL)
        path = urlsplit(entry.link).path.removeprefix(urlsplit(SITE_URL).path)
        assert (site.site / path / "index.html").exists(), entry.link


def test_guids_are_unique_and_the_same_across_builds(site, tmp_path):
    guids = [entry.id for entry in _feed(site).entries]
    assert guids and len(set(guids)) == len(guids)
    again = build_project(copy_fixture("changelog", tmp_path))
    assert [entry.id for entry in _feed(again).entries] == guids
    assert all(entry.guidislink is False for entry in _feed(site).entries)


def test_titles_and_summaries_are_escaped_exactly_once(site):
    xml = (site.site / "feed.xml").read_text()
    assert "<title>New: &lt;b&gt;&amp;&lt;/b&gt; second</title>" in xml
    second = next(e for e in _feed(site).entries if e.title.startswith("New: <b>"))
    assert second.summary == "Summary of <b>&</b> second & more."


def test_updates_say_what_changed_and_items_carry_tags(site):
    update = _feed(site).entries[0]
    assert update.summary.startswith("Added a section on pay")
    assert [t.term for t in _feed(site).entries[1].tags] == ["leadership", "career"]  # the new second note


def test_drafts_are_in_no_feed_and_no_changelog(site):
    for path in ("feed.xml", "feed-leadership.xml", "changelog/index.html"):
        assert "Zebradraft" not in (site.site / path).read_text()


def test_each_tag_has_its_own_feed_with_only_its_notes(site):
    feed = _feed(site, "feed-leadership.xml")
    assert [entry.title for entry in feed.entries] == ["New: <b>&</b> second"]
    assert feed.feed.title == "Career & Leadership Garden: leadership"


def test_the_feed_is_capped(tmp_path):
    project = copy_fixture("changelog", tmp_path)
    site = build_project(project, overrides={"extra": {"garden": {"pages": ["index.md"], "feed_items": 2}}})
    assert len(_feed(site).entries) == 2


def test_every_page_advertises_the_feed_and_tag_pages_their_own(site):
    for url in ("", "career/first/", "changelog/", "tags/leadership/"):
        links = site.page(url).select('link[rel="alternate"][type="application/rss+xml"]')
        assert any(link["href"].endswith("/feed.xml") or link["href"] == "feed.xml" for link in links), url
    tag_links = [link["href"]
                 for link in site.page("tags/leadership/").select('link[type="application/rss+xml"]')]
    assert "../../feed-leadership.xml" in tag_links


def test_the_home_page_offers_a_subscribe_link(site):
    assert site.page("").select_one('article a[href="feed.xml"]').get_text() == "Subscribe"


def test_the_changelog_page_groups_by_month_and_marks_new_and_updated(site):
    page = site.page("changelog/")
    assert [h.get_text() for h in page.select("article h2")] == [
        "March 2024", "February 2024", "January 2024"]
    rows = [li.get_text(" ", strip=True) for li in page.select("ul.garden-changelog li")]
    assert rows[0] == "2024-03-01 Updated First note — Added a section on pay"
    assert rows[-1].startswith("2024-01-15 New First note")
    assert page.select_one('article a[href="../feed.xml"]').get_text() == "Subscribe to the changelog (RSS)"
