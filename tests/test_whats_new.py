""""What's new" says what a reader gains: the home page's recent changes, the changelog and the
feeds label a change as its `what` opens ("Expanded: …"), and list a day's new notes first."""

from __future__ import annotations

import feedparser
from conftest import build_project, copy_fixture, make_garden, note_text

from garden.changelog import FeedInfo, rss_feed
from garden.views import changelog_months

CHANGES = ('changes:\n'
           '  - {date: 2024-03-01, what: "Expanded: a section on pay"}\n'
           '  - {date: 2024-02-01, what: "Corrected: the 2022 figure"}\n'
           '  - {date: 2024-01-20, what: "Links to the hiring note"}')


def _garden(tmp_path):
    return make_garden(tmp_path, {
        "career/old.md": note_text("Old note", created="2024-01-15", updated="2024-03-01",
                                   changes=CHANGES.removeprefix("changes:")),
        "career/fresh.md": note_text("Fresh note", created="2024-03-01"),
    })


def test_a_change_is_labelled_with_what_a_reader_gains(tmp_path):
    garden = _garden(tmp_path)
    assert not garden.problems, garden.problems
    assert [(entry.label, entry.note.title, entry.gain) for entry in garden.changes()] == [
        ("New", "Fresh note", garden.notes["career/fresh.md"].meta.summary),  # a day's new notes first
        ("Expanded", "Old note", "a section on pay"),
        ("Corrected", "Old note", "the 2022 figure"),
        ("Updated", "Old note", "Links to the hiring note"),
        ("New", "Old note", garden.notes["career/old.md"].meta.summary),
    ]
    months = changelog_months("changelog.md", garden.changes(), lambda _, path: path)
    items = [item for month in months.values() for item in month]
    assert [(item.label, item.what) for item in items][1] == ("Expanded", "a section on pay")


def test_feed_items_are_titled_with_the_gain_and_say_it_without_the_label(tmp_path):
    garden = _garden(tmp_path)
    info = FeedInfo("t", "d", "https://example.org/", "feed.xml")
    feed = feedparser.parse(rss_feed(garden.changes(), info, lambda path: "https://example.org/" + path, 10))
    assert [entry.title for entry in feed.entries][:3] == ["New: Fresh note", "Expanded: Old note",
                                                          "Corrected: Old note"]
    assert feed.entries[1].description.startswith("a section on pay — ")


def test_the_home_pages_recent_changes_show_the_gain(tmp_path):
    project = copy_fixture("changelog", tmp_path)
    first = project / "docs" / "career" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace(
        "what: Added a section on pay", 'what: "Expanded: a section on pay"'), encoding="utf-8")
    site = build_project(project)
    rows = [li.get_text(" ", strip=True) for li in site.page("").select(".garden-recent li")]
    assert rows[0].startswith("2024-03-01 · Expanded: First note — a section on pay"), rows
