"""Every scanner over note text is linear: hostile bodies cannot stall check, build or serve.

Each case below is one long line that a backtracking regular expression took quadratic or
cubic time on (minutes to hours at this size). There is no wall-clock assertion: a
regression shows as a suite that does not finish, which CI's time limit turns into a failure.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from garden.html_policy import inspect_html
from garden.links import LinkParser, _written_links
from garden.markdown_scan import MarkdownLink, WikiLink, scan_body

GRAMMAR = LinkParser()._locator
"""Python-Markdown's link grammar, as garden/links.py applies it to find where links are written."""

N = 1_000_000
"""A megabyte: four times the largest note the garden accepts."""

PATHOLOGICAL = {
    "backticks": "`" * N,
    "spaced backticks": "` " * (N // 2),
    "backtick runs of every length": "".join("`" * (i % 7 + 1) + "a" for i in range(N // 5)),
    "open brackets": "[" * N,
    "wikilink openers": "[[" * (N // 2),
    "link openers": "[a](" * (N // 4),
    "asterisks": "*" * N,
    "comment openers": "<!--" * (N // 4),
    "fences": "```\n" * (N // 4),
    "mixed fences": "```\n~~~\n" * (N // 8),
    "heading of spaces and tabs": "# a" + " \t" * (N // 2) + "x",
    "heading of brackets": "# " + "[" * N,
    "heading of angle brackets": "# " + "<" * N,
    "heading of attribute lists": "# a {" + "#a " * (N // 3),
    "the same heading again and again": "## h\n" * (N // 5),
}


HEADINGS = {"heading of spaces and tabs": 1, "heading of brackets": 1, "heading of angle brackets": 1,
            "heading of attribute lists": 1, "the same heading again and again": N // 5}
"""How many headings each case holds (the others hold none); no case holds a complete link."""


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_megabyte_of_one_pathological_line_is_scanned(name):
    body = PATHOLOGICAL[name]
    scanned = scan_body(body, 1)
    assert scanned.wikilinks == () and list(_written_links(body, 1, {}, GRAMMAR, ())) == []
    assert len(scanned.headings) == HEADINGS.get(name, 0)


def test_the_html_walk_of_a_megabyte_of_tags_finishes():
    report = inspect_html("<script>" * (N // 8))
    assert report.violations and report.violations[0].what == "the HTML element <script>"


MARKDOWNISH = st.text(alphabet=st.sampled_from("[]()`#*!<>-|~{}:.\n \\a1é"), max_size=400)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_any_body_scans_without_raising_and_links_stay_inside_it(body):
    scanned = scan_body(body, 5)
    written = _written_links(body, 5, {"a": "a.md"}, GRAMMAR, ())
    links: list[WikiLink | MarkdownLink] = [*scanned.wikilinks, *written]
    for link in links:
        assert 0 <= link.start < link.end <= len(body) and link.line >= 5
    for heading in scanned.headings:
        assert heading.line >= 5



@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["h", "h_1", "h_2", "h_10", "", "_1", "h_1_1", "k", "k_2"]), max_size=40))
def test_repeated_heading_ids_are_numbered_as_markdown_numbers_them(ids):
    """The scanner's ids must be the page's ids (links to `#h_2` are checked against them)."""
    from markdown.extensions.toc import unique

    from garden.markdown_scan import _unique

    markdown_ids: set[str] = set()
    ours: set[str] = set()
    numbered: dict[str, int] = {}
    for anchor in ids:
        expected = unique(anchor, markdown_ids)
        assert _unique(anchor, ours, numbered) == expected
        ours.add(expected)


def test_a_note_of_too_many_headings_is_refused_and_never_rendered():
    from garden.build import MAX_HEADINGS, read_note
    from garden.model import BrokenNote

    text = "---\ntitle: T\nsummary: S.\ntags: [career]\ncreated: 2024-01-01\n---\n" + "## h\n" * 2000
    note, problems = read_note("career/t.md", text, {"career": "Career."})
    assert isinstance(note, BrokenNote)
    first_body_line = 7
    assert [p.line for p in problems if "headings" in p.message] == [first_body_line + MAX_HEADINGS]
