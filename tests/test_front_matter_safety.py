"""Hostile or odd YAML and text in front matter, tags.yml and charts: always a verdict, never a crash.

Each case states the exact verdict: the file, the line and what the message says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import note_text
from hypothesis import given, settings
from hypothesis import strategies as st

from garden import safe_yaml
from garden.build import Settings, build_garden
from garden.charts import load_charts
from garden.metadata import split_note
from garden.problems import Problem
from garden.safe_yaml import MAX_BYTES, MAX_DEPTH, load_yaml
from garden.vocabulary import load_vocabulary

VOCABULARY = {"career": "Careers.", "culture": "Culture."}
BILLION_LAUGHS = "\n".join(
    ['lol0: &lol0 "lol"'] + [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, 10)])


def verdict(text: str, vocabulary: dict[str, str] | None = VOCABULARY) -> list[tuple[int | None, str]]:
    """(line, message) of each problem of a note at x.md, checking every problem names x.md."""
    _, problems = split_note("x.md", text, vocabulary)
    assert all(problem.path == "x.md" for problem in problems)
    return [(problem.line, problem.message) for problem in problems]


def front_matter_bytes(text: str) -> int:
    """The size of the YAML between a note's '---' lines, line breaks around it included."""
    return len(text.split("---")[1].encode("utf-8"))


def vocabulary_file(tmp_path: Path, text: str) -> tuple[dict[str, str] | None, list[Problem]]:
    (tmp_path / "tags.yml").write_text(text, encoding="utf-8")
    return load_vocabulary(tmp_path / "tags.yml", "tags.yml")


class TestAnchorsAndAliases:
    def test_the_billion_laughs_is_refused_at_its_first_anchor_and_fast(self):
        front = "\n".join(f"{key}: {value}" for key, value in [
            ("title", "T"), ("summary", "S"), ("tags", "[career]"), ("created", "2024-03-02")])
        problems = verdict(f"---\n{front}\n{BILLION_LAUGHS}\n---\nBody\n")  # expanded: gigabytes
        assert problems == [(6, "YAML anchors and aliases are not allowed")]

    @pytest.mark.parametrize("fields", [
        {"aliases": "&names [a, b]"},                       # an anchor alone
        {"aliases": "[a]", "sources": "*names"},            # an alias alone (undefined, still refused)
        {"changes": "[{date: 2024-03-02, what: &w x}]"},    # an anchor deep inside
    ])
    def test_any_anchor_or_alias_is_refused_at_its_line(self, fields):
        assert verdict(note_text(**fields)) == [(5 + len(fields), "YAML anchors and aliases are not allowed")]

    def test_a_merge_of_an_alias_is_refused_and_so_is_a_merge_key_without_one(self):
        assert verdict(note_text(search="{<<: *a}")) == [(6, "YAML anchors and aliases are not allowed")]
        assert verdict(note_text(search="{<<: {boost: 2}}")) == [
            (6, "YAML merge keys ('<<') are not allowed")]

    def test_the_tag_vocabulary_and_charts_refuse_them_too(self, tmp_path):
        assert vocabulary_file(tmp_path, BILLION_LAUGHS)[1] == [Problem(
            "tags.yml", 1, "YAML anchors and aliases are not allowed",
            "write the value out in full wherever it is used", in_docs=False)]
        (tmp_path / "charts").mkdir()
        (tmp_path / "charts" / "bomb.yml").write_text(BILLION_LAUGHS, encoding="utf-8")
        charts, problems = load_charts(tmp_path / "charts")
        assert charts == {} and [(p.path, p.line, p.message) for p in problems] == [
            ("charts/bomb.yml", 1, "YAML anchors and aliases are not allowed")]


def test_the_c_loader_is_used_when_pyyaml_has_libyaml():
    assert issubclass(safe_yaml._Loader, yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


class TestSizeAndDepth:
    def test_a_hundred_thousand_nested_lists_are_refused_in_this_process(self):
        # PyYAML's C composer recurses once per level: this text alone kills the interpreter.
        text = note_text(extra="[" * 100_000)
        assert verdict(text) == [(1, f"the front matter is {front_matter_bytes(text):,} bytes; "
                                     f"the limit is {MAX_BYTES:,} bytes")]

    def test_nesting_deeper_than_the_limit_is_refused_at_its_line_before_composing(self):
        for depth in (MAX_DEPTH + 1, 30_000):
            assert verdict(note_text(extra="[" * depth + "]" * depth)) == [
                (6, f"the YAML is nested more than {MAX_DEPTH} levels deep")]
        deep = "\n".join(" " * level + f"k{level}:" for level in range(MAX_DEPTH + 1)) + " x"
        assert load_yaml(deep, "tags.yml", "the tag vocabulary", in_docs=False)[2] == [Problem(
            "tags.yml", MAX_DEPTH + 1, f"the YAML is nested more than {MAX_DEPTH} levels deep",
            "flatten it: lists and mappings inside each other a few levels at most", in_docs=False)]

    def test_nesting_up_to_the_limit_is_data(self):
        nested = "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1)  # inside the mapping: one level more
        data, _, problems = load_yaml(f"k: {nested}", "x.md", "the front matter")
        assert problems == [] and str(data).count("[") == MAX_DEPTH - 1

    def test_front_matter_over_the_limit_is_refused_with_its_size(self):
        text = note_text(summary="é" * (MAX_BYTES // 2))
        assert verdict(text) == [(1, f"the front matter is {front_matter_bytes(text):,} bytes; "
                                     "the limit is 65,536 bytes")]

    def test_a_huge_tag_vocabulary_is_refused_after_a_bounded_read(self, tmp_path):
        vocabulary, problems = vocabulary_file(tmp_path, "a: " + "[" * 100_000)
        assert vocabulary is None and [(p.line, p.message) for p in problems] == [
            (None, "the tag vocabulary is 100,003 bytes; the limit is 65,536 bytes")]

    def test_a_tag_vocabulary_that_is_no_regular_file_is_never_read(self, tmp_path):
        (tmp_path / "tags.yml").symlink_to("/dev/zero")
        assert [p.message for p in load_vocabulary(tmp_path / "tags.yml", "tags.yml")[1]] == [
            "the tag vocabulary file is not a regular file"]
        (tmp_path / "loop.yml").symlink_to(tmp_path / "loop.yml")
        assert [p.message for p in load_vocabulary(tmp_path / "loop.yml", "loop.yml")[1]] == [
            "the tag vocabulary file is a broken link"]

    def test_a_number_too_long_for_python_is_a_problem_not_a_value_error(self):
        assert verdict(note_text(extra="1" * 5000)) == [(6, "a number with too many digits")]

    def test_an_impossible_date_is_reported_at_its_own_line(self):
        assert verdict(note_text(changes="\n  - {date: 2024-02-30, what: x}")) == [
            (7, "impossible date '2024-02-30': day is out of range for month")]


class TestBoundedCost:
    @pytest.mark.parametrize("fields", [
        {"tags": "[" + ", ".join(f"t{n}" for n in range(8_000)) + "]"},
        {f"k{n}": "1" for n in range(5_000)},
        {"aliases": "\n" + "\n".join(f"  - \"a\\x07{n}\"" for n in range(3_500))},
    ])
    def test_front_matter_at_the_size_limit_is_checked(self, fields):
        # No clock here (tests never time themselves): a quadratic line search took minutes.
        text = note_text(**fields)
        assert front_matter_bytes(text) <= MAX_BYTES
        _, problems = split_note("x.md", text, VOCABULARY)
        assert problems

    def test_more_fields_than_a_note_has_are_one_problem(self):
        assert verdict(note_text(**{f"k{n}": "1" for n in range(27)})) == [
            (1, "the front matter has 31 fields; a note uses at most 17")]
        assert len(verdict(note_text(**{f"k{n}": "1" for n in range(26)}))) == 26

    def test_a_note_carries_at_most_twenty_tags(self):
        assert verdict(note_text(tags="[" + ", ".join(["career"] * 21) + "]")) == [
            (4, "'tags' lists 21 tags; a note carries at most 20")]

    def test_a_problem_in_a_list_names_the_line_of_its_item(self):
        assert verdict(note_text(tags="\n  - career\n  - carreer", aliases='\n  - ok\n  - "a\\tb"')) == [
            (6, "unknown tag 'carreer'"), (10, "'aliases' contains the control character U+0009")]


class TestDuplicateKeys:
    def test_a_repeated_field_names_the_key_and_both_lines(self):
        assert verdict(note_text(tags="[career]\nsummary: Again.\ntags: [culture]")) == [
            (5, "key 'summary' appears twice (lines 3 and 5)"),
            (6, "key 'tags' appears twice (lines 4 and 6)")]

    def test_a_repeated_key_at_any_depth_is_refused(self):
        assert verdict(note_text(changes="\n  - date: 2024-03-02\n    what: x\n    date: 2024-03-03")) == [
            (9, "key 'date' appears twice (lines 7 and 9)")]
        assert verdict(note_text(search="{boost: 1, boost: 2}")) == [
            (6, "key 'boost' appears twice on line 6")]

    def test_keys_are_compared_as_yaml_reads_them(self):
        assert verdict(note_text(extra="{'a': 1, a: 2}")) == [(6, "key 'a' appears twice on line 6")]
        assert verdict(note_text(extra="{1: x, '1': y}")) == [(6, "unknown front-matter field 'extra'")]

    def test_a_repeated_tag_in_the_vocabulary_is_refused(self, tmp_path):
        vocabulary, problems = vocabulary_file(tmp_path, "career: Careers.\nculture: C.\ncareer: Again.\n")
        assert vocabulary is None and problems == [Problem(
            "tags.yml", 3, "key 'career' appears twice (lines 1 and 3)",
            "keep one: YAML would silently use the last", in_docs=False)]


class TestDates:
    @pytest.mark.parametrize("date", ["1970-01-01", "2100-12-31"])
    def test_the_first_and_last_publishable_days_are_accepted(self, date):
        text = note_text(created=date, updated="2100-12-31", changes=f"[{{date: {date}, what: x}}]")
        assert verdict(text) == []

    @pytest.mark.parametrize("date", ["1969-12-31", "2101-01-01"])
    def test_a_date_the_sitemap_and_feeds_cannot_hold_is_refused_with_the_range(self, date):
        outside = "is outside 1970-01-01 … 2100-12-31"
        assert verdict(note_text(created=date)) == [(5, f"'created' ({date}) {outside}")]
        assert verdict(note_text(updated=f"'{date}'")) == [(6, f"'updated' ({date}) {outside}")]
        assert verdict(note_text(changes=f"\n  - {{date: {date}, what: x}}")) == [
            (7, f"the change of {date} {outside}")]


UNSAFE = ["\t", "\x00", "\x1b", "\x7f", "\x9b", "\u202a", "\u202e", "\u2066", "\u2069"]
"""A tab, NUL, ESC, DEL, a C1 control, and bidirectional embeddings, overrides and isolates."""


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, invisible characters escaped."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


class TestControlCharacters:
    @pytest.mark.parametrize("character", UNSAFE)
    @pytest.mark.parametrize(("field", "written", "line"), [
        ("title", "{}", 2), ("summary", "{}", 3), ("tags", "[{}]", 4), ("aliases", "[{}]", 6),
        ("sources", "[{}]", 6), ("changes", "[{{date: 2024-03-02, what: {}}}]", 6)])
    def test_an_invisible_character_in_any_text_value_is_refused_by_its_code_point(
            self, field, written, line, character):
        value = quoted(f"a{character}b") if field != "tags" else quoted(f"career{character}")
        code = f"U+{ord(character):04X}"
        assert verdict(note_text(**{field: written.format(value)})) == [
            (line, f"'{field}' contains the control character {code}")]

    @pytest.mark.parametrize("character", ["\n", "\r", "\u2028", "\x85"])
    def test_a_line_break_in_a_title_says_it_must_be_one_line(self, character):
        _, problems = split_note("x.md", note_text(title=quoted(f"one{character}two")), VOCABULARY)
        assert [(p.line, p.message, p.hint) for p in problems] == [
            (2, "'title' must be one line", f"remove the line break (U+{ord(character):04X})")]

    def test_an_invisible_character_in_a_tag_description_is_refused(self, tmp_path):
        vocabulary, problems = vocabulary_file(tmp_path, 'career: "Careers\\u202e."\nculture: Culture.\n')
        assert vocabulary == {"culture": "Culture."} and [(p.line, p.message) for p in problems] == [
            (1, "the description of tag 'career' contains the control character U+202E")]


class TestThemeKeys:
    def test_good_values_are_handed_to_the_page(self):
        split, problems = split_note("x.md", note_text(
            hide="[navigation, toc, footer, path, tags, feedback]", search="{exclude: true, boost: 2.5}",
            icon="material/leaf", status="new", subtitle="A short line"), VOCABULARY)
        assert split.front_matter is not None
        assert problems == [] and split.front_matter.theme_meta() == {
            "hide": ["navigation", "toc", "footer", "path", "tags", "feedback"],
            "search": {"exclude": True, "boost": 2.5}, "icon": "material/leaf", "status": "new",
            "subtitle": "A short line"}

    def test_template_is_not_a_note_field(self):
        _, problems = split_note("x.md", note_text(template="main.html"), VOCABULARY)
        assert problems == [Problem("x.md", 6, "'template' is not a note field",
                                    "notes use the garden's note layout")]

    @pytest.mark.parametrize(("key", "value", "message"), [
        ("hide", "toc", "'hide' must be a list of: navigation, toc, footer, path, tags, feedback"),
        ("hide", "[toc, sidebar]", "'hide' must be a list of: navigation, toc, footer, path, tags, feedback"),
        ("hide", "[[toc]]", "'hide' must be a list of: navigation, toc, footer, path, tags, feedback"),
        ("search", "5", "'search' must be a mapping of 'exclude' (true or false) and/or 'boost' (a number)"),
        ("search", "{exclude: maybe}", "'search' must be a mapping of"),
        ("search", "{boost: high}", "'search' must be a mapping of"),
        ("search", "{boost: true}", "'search' must be a mapping of"),
        ("search", "{boost: .inf}", "'search' must be a mapping of"),
        ("search", "{rank: 1}", "'search' must be a mapping of"),
        ("icon", "''", "'icon' must be non-empty text"),
        ("icon", "[a]", "'icon' must be non-empty text"),
        ("status", "3", "'status' must be non-empty text"),
        ("subtitle", '"one\\ntwo"', "'subtitle' must be one line"),
        ("subtitle", '"\\u202eevil"', "'subtitle' contains the control character U+202E"),
    ])
    def test_a_wrong_value_is_a_problem_at_its_line_and_never_reaches_the_page(self, key, value, message):
        split, problems = split_note("x.md", note_text(**{key: value}), VOCABULARY)
        assert [(p.line, p.message[:len(message)], bool(p.hint)) for p in problems] == [(6, message, True)]
        assert split.front_matter is not None and split.front_matter.theme == ()


class TestProblemsPrintSafely:
    def test_problems_with_and_without_lines_sort_file_by_file(self):
        problems = [Problem("b.md", 3, "z"), Problem("a.md", None, "y"), Problem("b.md", None, "x"),
                    Problem("a.md", 2, "w")]
        assert [(p.path, p.line) for p in sorted(problems)] == [
            ("a.md", None), ("a.md", 2), ("b.md", None), ("b.md", 3)]

    def test_a_build_with_both_kinds_sorts(self, tmp_path):
        garden = make_garden(tmp_path, {"empty.md": "", "bad.md": "no front matter", "a.md": "   "})
        assert {p.path: p.line for p in garden.problems} == {"a.md": None, "bad.md": 1, "empty.md": None}
        assert garden.problems == sorted(garden.problems, key=Problem.sort_key)

    def test_the_annotation_escapes_the_file_name_and_the_message(self):
        problem = Problem("a,b:c\nd%.md", 4, "100% wrong\r\n::warning::x", "fix\nit")
        assert problem.as_github_annotation() == (
            "::error file=docs/a%2Cb%3Ac%0Ad%25.md,line=4::100%25 wrong%0D%0A::warning::x — fix%0Ait")
        assert problem.as_github_annotation().count("\n") == 0

    @pytest.mark.parametrize("path", ["::warning x.md", ":x.md", " ::x.md", "\u3000::x.md", "\n::x.md"])
    def test_the_human_line_never_starts_a_workflow_command(self, path):
        shown = str(Problem(path, None, "tag 'a\n::error::b' \u202e", "x\ty"))
        assert not shown.lstrip().startswith("::") and "\n" not in shown and "\u202e" not in shown
        assert shown.endswith(": tag 'a\\n::error::b' \\u202e — x\\ty")

    def test_a_path_that_could_start_a_command_is_shown_from_the_current_folder(self):
        assert str(Problem("::warning::x.md", 2, "m", "h")) == "./::warning::x.md:2: m — h"
        assert str(Problem(" ::x.md", None, "m")) == "./ ::x.md: m"

    @given(st.text(), st.one_of(st.none(), st.integers(1, 10**6)), st.text(), st.text())
    def test_no_text_makes_a_line_that_starts_with_two_colons(self, path, line, message, hint):
        problem = Problem(path, line, message, hint)
        assert len(problem.as_github_annotation().splitlines()) == 1
        assert len(str(problem).splitlines()) == 1 and not str(problem).lstrip().startswith("::")


def make_garden(tmp_path: Path, notes: dict[str, str], tags: str = "career: Careers.\n"):
    docs = tmp_path / "docs"
    docs.mkdir()
    for path, text in notes.items():
        (docs / path).write_text(text, encoding="utf-8")
    (tmp_path / "tags.yml").write_text(tags, encoding="utf-8")
    return build_garden(Settings(docs_dir=docs, tags_file=tmp_path / "tags.yml"))


class TestUnusableVocabulary:
    @pytest.mark.parametrize(("tags", "message"), [
        ("", "the tag vocabulary is empty"),
        ("# only a comment\n", "the tag vocabulary is empty"),
        ("{}", "the tag vocabulary is empty"),
        ("[career]", "the tag vocabulary must be a mapping"),
        ("career: [", "the tag vocabulary is not valid YAML"),
    ])
    def test_one_problem_on_the_file_and_none_on_the_notes(self, tmp_path, tags, message):
        garden = make_garden(tmp_path, {"a.md": note_text("A"), "b.md": note_text("B", "[culture]")}, tags)
        assert [(p.path, p.message[:len(message)], p.in_docs) for p in garden.problems] == [
            ("tags.yml", message, False)]
        assert sorted(garden.notes) == ["a.md", "b.md"]

    def test_a_vocabulary_with_no_valid_tag_is_unusable_too(self, tmp_path):
        garden = make_garden(tmp_path, {"a.md": note_text("A")}, "Bad Tag: x\n")
        assert [(p.path, p.line, p.message) for p in garden.problems] == [
            ("tags.yml", 1, "tag 'Bad Tag' is not a valid slug")]

    def test_without_a_vocabulary_tags_are_accepted_only_as_slugs(self):
        assert verdict(note_text(tags="[career, Not/A/Slug, '../x']"), vocabulary=None) == [
            (4, "tag 'Not/A/Slug' is not a valid slug"), (4, "tag '../x' is not a valid slug")]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_any_text_as_front_matter_gives_a_verdict_never_an_exception(front, body):
    for text in (f"---\n{front}\n---\n{body}", front):
        split, problems = split_note("x.md", text, VOCABULARY)
        assert split.front_matter is not None or problems
        assert all(p.path == "x.md" and p.message for p in problems)
