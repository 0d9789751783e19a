"""Unit tests of the garden model: parsing, validation messages, link resolution, backlinks, tags."""

from __future__ import annotations

import dataclasses
import datetime as dt

import markdown
import pytest
import yaml
from conftest import VOCABULARY, make_garden, note_text
from hypothesis import given, settings
from hypothesis import strategies as st

from garden.links import LinkParser
from garden.markdown_scan import scan_body
from garden.metadata import MAX_LENGTHS, split_note
from garden.problems import Problem, did_you_mean

ONE_LINE = st.text(st.characters(blacklist_categories=("Cc", "Zl", "Zp", "Cs", "Cn"),
                                  blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
                   min_size=1, max_size=MAX_LENGTHS["title"]).filter(str.strip)
"""Any one-line text a title or summary may be: anything but line breaks, bidirectional
controls and non-characters (unassigned code points, "Cn", include them), within the title's
length limit (the shorter of the two)."""


def messages(garden) -> list[str]:
    return [str(p) for p in garden.problems]


class TestFrontMatter:
    def test_a_valid_note_parses_into_typed_fields(self):
        text = note_text("Job-leave triggers", "[career, culture]", aliases="[leave triggers]",
                         updated="2025-01-10", changes="[{date: 2025-01-10, what: Added figures}]")
        split, problems = split_note("career/x.md", text, VOCABULARY)
        assert problems == []
        meta = split.front_matter
        assert meta is not None
        assert meta.title == "Job-leave triggers" and meta.tags == ("career", "culture")
        assert meta.created == dt.date(2024, 3, 2) and meta.updated == dt.date(2025, 1, 10)
        assert meta.aliases == ("leave triggers",)
        assert [(c.date, c.what) for c in meta.changes] == [(dt.date(2025, 1, 10), "Added figures")]
        assert split.body.strip() == "Some text."
        assert split.body_line + split.body.count("\n", 0, split.body.index("Some")) == 11

    def test_theme_keys_pass_through_and_other_unknown_keys_are_errors(self):
        split, problems = split_note("x.md", note_text(hide="[toc]", tittle="Oops"), VOCABULARY)
        assert split.front_matter is not None and split.front_matter.theme_meta() == {"hide": ["toc"]}
        assert [str(p) for p in problems] == [
            "x.md:7: unknown front-matter field 'tittle' — did you mean 'title'?"]

    def test_render_macros_is_refused_in_a_note(self):
        _, problems = split_note("x.md", note_text(render_macros="true"), VOCABULARY)
        assert "notes are never templates" in str(problems[0])

    def test_a_required_field_left_empty_is_reported_not_silently_dropped(self):
        split, problems = split_note("x.md", note_text(summary=""), VOCABULARY)
        assert split.front_matter is None
        assert [str(p) for p in problems] == [
            "x.md:3: the required field 'summary' is empty — "
            "add 'summary: <one line for indexes, search and the feed>'"]

    def test_all_problems_of_one_note_are_reported_together(self):
        text = "---\ntitle: ''\nsummary: 3\ntags: [carreer, leadrship]\ncreated: 2024-13-01\n---\n"
        split, problems = split_note("x.md", text, VOCABULARY)
        assert split.front_matter is None
        assert len(problems) == 1 and "impossible date" in problems[0].message and problems[0].line == 5
        text = "---\ntitle: ''\nsummary: 3\ntags: [carreer, leadrship]\ncreated: 2024-12-01\n---\n"
        _, problems = split_note("x.md", text, VOCABULARY)
        assert [str(p) for p in problems] == [
            "x.md:2: 'title' must be non-empty text — quote it if it looks like a number or date",
            "x.md:3: 'summary' must be non-empty text — quote it if it looks like a number or date",
            "x.md:4: unknown tag 'carreer' — did you mean 'career'?",
            "x.md:4: unknown tag 'leadrship' — did you mean 'leadership'?",
        ]

    def test_a_multi_line_title_is_refused(self):
        split, problems = split_note("x.md", note_text(title="|\n  one\n  two"), VOCABULARY)
        assert split.front_matter is None and problems[0].message == "'title' must be one line"

    def test_a_datetime_is_not_a_date(self):
        _, problems = split_note("x.md", note_text(created="2024-03-02 10:00:00"), VOCABULARY)
        assert problems[0].message == "'created' must be a date without a time"

    def test_quoted_iso_dates_are_accepted(self):
        split, problems = split_note("x.md", note_text(created="'2024-03-02'"), VOCABULARY)
        assert problems == [] and split.front_matter is not None
        assert split.front_matter.created == dt.date(2024, 3, 2)

    def test_a_multi_line_summary_is_refused(self):
        _, problems = split_note("x.md", note_text(summary="|\n  one\n  two"), VOCABULARY)
        assert problems[0].message == "'summary' must be one line"

    @given(title=ONE_LINE, summary=ONE_LINE,
           tags=st.lists(st.sampled_from(sorted(VOCABULARY)), min_size=1, unique=True),
           created=st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2100, 1, 1)))
    def test_any_valid_front_matter_round_trips(self, title, summary, tags, created):
        data = {"title": title, "summary": summary, "tags": tags, "created": created}
        text = "---\n" + yaml.safe_dump(data, allow_unicode=True, width=10_000) + "---\nBody\n"
        split, problems = split_note("x.md", text, VOCABULARY)
        assert problems == []
        meta = split.front_matter
        assert meta is not None
        assert (meta.title, meta.summary, list(meta.tags), meta.created) == (
            title.strip(), summary.strip(), tags, created)

    @settings(max_examples=300)
    @given(st.text())
    def test_any_text_gives_a_note_or_problems_never_an_exception(self, text):
        split, problems = split_note("x.md", text, VOCABULARY)
        assert split.front_matter is not None or problems
        assert all(p.path == "x.md" and p.message for p in problems)


class TestScanning:
    def test_wikilinks_in_code_and_comments_are_ignored(self):
        body = "[[a]] `[[b]]` ``x [[c]] y``\n\n```\n[[d]]\n```\n\n~~~~\n[[e]]\n~~~~\n<!-- [[f]] -->\n[[g|G]]"
        assert [link.target for link in scan_body(body, 1).wikilinks] == ["a", "g"]

    def test_wikilink_parts_and_lines(self):
        links = scan_body("x\n\n[[Some Note#A heading|the label]] and [[b]]\n| [[t\\|shown]] |", 5).wikilinks
        assert [(w.target, w.heading, w.label, w.line) for w in links] == [
            ("Some Note", "A heading", "the label", 7), ("b", None, None, 7), ("t", None, "shown", 8)]

    def test_markdown_links_and_images_are_told_apart(self):
        parser = LinkParser()
        body = "[a](x.md) ![img](p.png) [b](../y.md#h \"t\")"
        links = parser.locate(body, 1, parser.parse(body))
        assert [(m.text, m.url, m.image) for m in links] == [
            ("a", "x.md", False), ("img", "p.png", True), ("b", "../y.md#h", False)]

    @given(st.text(st.characters(blacklist_characters="[]|#\n`\\<>!", blacklist_categories=("Cs", "Cc")),
                   min_size=1).filter(lambda t: t.strip()),
           st.one_of(st.none(), st.text(st.characters(blacklist_characters="[]|\n`\\",
                                                      blacklist_categories=("Cs", "Cc")),
                                        min_size=1).filter(lambda t: t.strip())))
    def test_any_wikilink_outside_code_is_found_and_none_inside(self, target, label):
        written = f"[[{target}|{label}]]" if label else f"[[{target}]]"
        found = scan_body(f"Before {written} after.", 1).wikilinks
        assert [(w.target, w.label) for w in found] == [(target.strip(), label.strip() if label else None)]
        assert scan_body(f"Code `` {written} `` and\n\n```\n{written}\n```\n", 1).wikilinks == ()

    @settings(max_examples=200)
    @given(st.lists(st.text(st.characters(whitelist_categories=("L", "N", "Zs", "Pd", "Po"),
                                          blacklist_characters="\\"), min_size=1)
                    .map(str.strip).filter(bool), min_size=1, max_size=4))
    def test_heading_anchors_match_what_python_markdown_generates(self, texts):
        body = "\n\n".join(f"## {t}" for t in texts)
        md = markdown.Markdown(extensions=["toc"])
        md.convert(body)
        expected = [entry["id"] for entry in _flatten(md.toc_tokens)]  # type: ignore[attr-defined]
        assert [h.anchor for h in scan_body(body, 1).headings] == expected


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token["children"])


class TestResolutionAndBacklinks:
    def test_links_resolve_by_slug_path_title_and_alias_case_insensitively(self, tmp_path):
        garden = make_garden(tmp_path, {
            "career/target.md": note_text("The Target Note", aliases="[bullseye]", body="## Deep Dive\n"),
            "a.md": note_text("A", body="[[TARGET]] [[career/target]] [[the target note]] [[Bullseye]] "
                                        "[[target#deep dive]] [[target#Deep-Dive]]"),
        })
        assert messages(garden) == []
        resolved = garden.wikilink_targets["a.md"].values()
        assert {link.target.path for link in resolved} == {"career/target.md"}
        assert [link.anchor for link in resolved] == [None] * 4 + ["deep-dive"] * 2

    def test_backlinks_are_unique_sorted_and_never_self_or_draft(self, tmp_path):
        garden = make_garden(tmp_path, {
            "t.md": note_text("Target", body="[[t]] self"),
            "b.md": note_text("Beta", body="[[t]] and again [[Target]] and [md](t.md)"),
            "a.md": note_text("alpha", body="[[t]]"),
            "d.md": note_text("Draft", draft="true", body="[[t]]"),
        })
        target = garden.notes["t.md"]
        assert [n.title for n in garden.backlinks_of(target)] == ["alpha", "Beta"]
        assert "d.md" not in garden.notes and "d.md" in garden.drafts
        # The graphs' neighbours: both directions, once each, never the note itself or a draft.
        assert garden.neighbours("t.md") == {"a.md", "b.md"}
        assert garden.neighbours("b.md") == {"t.md"} and garden.neighbours("d.md") == frozenset()

    def test_notes_tagged_are_newest_first_and_tags_in_use_alphabetical(self, tmp_path):
        garden = make_garden(tmp_path, {
            "old.md": note_text("Old", "[leadership, career]", created="2020-01-01"),
            "new.md": note_text("New", "[career]", created="2024-01-01"),
        })
        assert [n.title for n in garden.notes_tagged("career")] == ["New", "Old"]
        assert list(garden.tags_in_use()) == ["career", "leadership"]
        assert garden.notes_tagged("culture") == []

    def test_related_notes_rank_by_shared_tags_and_links_and_skip_linked_notes(self, tmp_path):
        garden = make_garden(tmp_path, {
            "a.md": note_text("A", "[career, culture, leadership]", body="[[linked]] [[hub]]"),
            "links.md": note_text("One tag, two shared links", "[leadership]", body="[[linked]] [[hub]]",
                                  created="2019-01-01"),
            "two.md": note_text("Two shared tags", "[career, culture]", created="2020-01-01"),
            "one.md": note_text("One shared tag", "[leadership]", created="2025-01-01"),
            "none.md": note_text("No shared tag", "[policy]", body="[[linked]] [[hub]]"),
            "linked.md": note_text("Linked", "[career, culture, leadership]"),
            "hub.md": note_text("Hub", "[culture]"),
        }, tags="{career: C., culture: C., leadership: L., policy: P.}")
        related = garden.related_to(garden.notes["a.md"], limit=5)
        assert [n.title for n in related] == ["One tag, two shared links", "Two shared tags",
                                              "One shared tag"]

    def test_the_garden_is_read_only_and_derived_values_come_with_it(self, tmp_path):
        """Built in two stages (the linked garden, then what is derived from it), and never
        changed once made: every output may read it, and `make serve` compares two of them."""
        garden = make_garden(tmp_path, {
            "a.md": note_text("A", body="A links to [[b]] and embeds it:\n\n![[b]]\n"),
            "b.md": note_text("B", body="B stands alone."),
        })
        assert messages(garden) == []
        assert "B stands alone." in garden.embedded["a.md"][garden.notes["a.md"].body.index("![[b]]")][1]
        assert [note.path for note in garden.backlinks_of(garden.notes["b.md"])] == ["a.md"]
        for field, value in (("problems", []), ("embedded", {}), ("notes", {})):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(garden, field, value)

    def test_related_candidacy_is_symmetric(self, tmp_path):
        # make serve asks only the notes an edit changed for their candidates, trusting this
        garden = make_garden(tmp_path, {
            "a.md": note_text("A", "[career, culture, leadership]", body="[[linked]] [[hub]]"),
            "links.md": note_text("Links", "[leadership]", body="[[linked]] [[hub]] [[a]]"),
            "two.md": note_text("Two", "[career, culture]", body="[[hub]]"),
            "one.md": note_text("One", "[leadership]", body="[[two]]"),
            "none.md": note_text("None", "[culture]", body="[[linked]] [[hub]]"),
            "linked.md": note_text("Linked", "[career, culture, leadership]", body="[[linked]]"),
            "hub.md": note_text("Hub", "[culture]", body="[[one]]"),
        })
        notes = garden.notes.values()
        candidates = {note.path: garden.related_candidates(note) for note in notes}
        pairs = {(a, b) for a, theirs in candidates.items() for b in theirs if a != b}
        assert len(pairs) >= 10 and pairs == {(b, a) for a, b in pairs}

    def test_related_notes_favour_no_title_among_equals(self, tmp_path):
        names = [f"{letter} note" for letter in "ABCDEFGHIJKL"]
        garden = make_garden(tmp_path, {f"{name[0].lower()}.md": note_text(name) for name in names})
        first_picks = {garden.related_to(note, limit=1)[0].title for note in garden.notes.values()}
        assert len(first_picks) >= 4  # alphabetical ties would suggest "A note" (or "B note") everywhere

    def test_ties_in_dates_go_to_the_latest_change_then_the_most_linked_note(self, tmp_path):
        garden = make_garden(tmp_path, {
            "a.md": note_text("A plain", created="2024-01-01"),
            "b.md": note_text("B linked twice", created="2024-01-01"),
            "c.md": note_text("C changed", created="2024-01-01", updated="2024-03-01"),
            "x.md": note_text("X", created="2020-01-01", body="[[b]]"),
            "y.md": note_text("Y", created="2020-01-01", body="[[b]]"),
        })
        tagged = [n.title for n in garden.notes_tagged("career")]
        assert tagged[:3] == ["C changed", "B linked twice", "A plain"]
        new = [e.note.title for e in garden.changes() if e.kind == "new" and e.date.year == 2024]
        assert new == ["C changed", "B linked twice", "A plain"]

    def test_changes_are_one_entry_per_new_note_and_listed_change_newest_first(self, tmp_path):
        garden = make_garden(tmp_path, {
            "a.md": note_text("A", created="2024-01-01", updated="2024-06-01",
                              changes="[{date: 2024-06-01, what: Added a table}, "
                                      "{date: 2024-02-01, what: Fixed a figure}]"),
            "b.md": note_text("B", created="2024-03-01"),
        })
        assert [(c.date.isoformat(), c.kind, c.note.title, c.what) for c in garden.changes()] == [
            ("2024-06-01", "updated", "A", "Added a table"),
            ("2024-03-01", "new", "B", "What B says."),
            ("2024-02-01", "updated", "A", "Fixed a figure"),
            ("2024-01-01", "new", "A", "What A says."),
        ]

    def test_unknown_ambiguous_and_draft_targets_are_reported_with_lines(self, tmp_path):
        garden = make_garden(tmp_path, {
            "a.md": note_text("Twin"), "b.md": note_text("Twin"), "d.md": note_text("D", draft="true"),
            "x.md": note_text("X", body="[[twin]]\n[[d]]\n[[carer]]\n[[a#nope]]"),
            "career.md": note_text("Career"),
        })
        assert messages(garden) == [
            "x.md:8: [[twin]] matches several notes: a.md, b.md — link by path instead, e.g. [[a]]",
            "x.md:9: [[d]] links to a draft (d.md) — publish the draft first, or remove the link",
            "x.md:10: [[carer]] links to no note — did you mean 'career'?",
            "x.md:11: [[a#nope]]: a.md has no heading 'nope' — "
            "link to one of its headings, or to the note itself",
        ]

    def test_a_journal_entry_s_file_name_date_must_match_created(self, tmp_path):
        garden = make_garden(tmp_path, {
            "journal/2023-08-30-interview.md": note_text("Interview", created="2023-08-31"),
            "journal/2023-09-01-next.md": note_text("Next", created="2023-09-01"),
        })
        assert messages(garden) == [
            "journal/2023-08-30-interview.md: the file name says 2023-08-30 but 'created' is 2023-08-31"
            " — a journal entry's 'created' is the entry's date: make the two agree"]

    def test_a_broken_note_stays_visible_as_broken_not_dropped(self, tmp_path):
        garden = make_garden(tmp_path, {"bad.md": "no front matter", "ok.md": note_text("Ok")})
        assert list(garden.broken) == ["bad.md"] and list(garden.notes) == ["ok.md"]


class TestLinkContext:
    def test_the_sentence_around_a_link_is_plain_text_with_the_link_apart(self, tmp_path):
        from garden.context import link_context
        garden = make_garden(tmp_path, {
            "t.md": note_text("Target"), "o.md": note_text("Other"),
            "s.md": note_text("Source", body="First sentence. The *second* one names [[t|the target]] and "
                                             "[[o|another note]] too. Third sentence.\n\n| a | [[t]] |"),
        })
        links = [link for link in garden.links["s.md"] if link.target.path == "t.md"]
        first = link_context(links[0], garden)
        assert (first.before, first.linked, first.after) == (
            "The second one names ", "the target", " and another note too.")
        in_table = link_context(links[1], garden)
        assert (in_table.before, in_table.linked, in_table.after) == ("", "Target", "")


class TestVocabulary:
    def test_bad_slugs_and_missing_descriptions_are_reported(self, tmp_path):
        garden = make_garden(tmp_path, {}, tags="career: Careers.\nBad Tag: x\nempty:\nindex: All.\n")
        assert messages(garden) == [
            "tags.yml:2: tag 'Bad Tag' is not a valid slug — "
            "use lowercase letters and digits joined by hyphens",
            "tags.yml:3: tag 'empty' has no description — add the one line its tag page shows",
            "tags.yml:4: 'index' cannot be a tag: tags/index is the tag index — choose another name",
        ]
        assert garden.vocabulary == {"career": "Careers."}


class TestProblems:
    def test_github_annotation_format(self):
        problem = Problem("career/x.md", 4, "unknown tag 'carreer'", "did you mean 'career'?")
        assert problem.as_github_annotation() == (
            "::error file=docs/career/x.md,line=4::unknown tag 'carreer' — did you mean 'career'?")
        assert Problem("tags.yml", None, "50% off\nnext", in_docs=False).as_github_annotation() == (
            "::error file=tags.yml::50%25 off%0Anext")

    @pytest.mark.parametrize(("wrong", "hint"), [("carreer", "did you mean 'career'?"), ("zzz", "")])
    def test_did_you_mean(self, wrong, hint):
        assert did_you_mean(wrong, VOCABULARY) == hint
