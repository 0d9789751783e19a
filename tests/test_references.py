"""Sources, trails, the glossary and growth stages: validated like tags and links, shown as readers see them.

Problems name the file and the line; views and templates are checked without a site build;
one fixture garden (`tests/fixtures/references`) is built to see the pages themselves.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import VOCABULARY, build_project, copy_fixture, note_text, site_fixture
from test_gate import run_check

from garden.build import Settings, build_garden
from garden.config import GardenConfig, garden_config
from garden.conventions import generated_paths, reserved_because
from garden.model import Garden
from garden.rendering import DEFAULT
from garden.views import glossary_entries, journal_gaps, listed_notes, note_footer, note_header, source_page
from garden.wikilinks import note_markdown

SOURCES = """\
handbook:
  title: The Handbook
  author: A. Writer
  date: 2020-05-01
  description: A book about steps.
feed:
  title: A feed of essays
  titled: false
  description: Essays on walking.
  essays:
    - {id: on-steps, title: On steps}
"""
TRAILS = """\
walk:
  title: A short walk
  description: Three steps in order.
  steps:
    - first
    - second
    - third
"""
GLOSSARY = """\
MTTR: Mean time to resolution.
one-way door:
  definition: A decision that cannot be undone.
  also: [One-way doors]
"""
NOTES = {
    "career/first.md": note_text("First", body="First links to [[second]]; MTTR matters.",
                                 sources="[handbook]", stage="seedling"),
    "career/second.md": note_text("Second", body="Second links to [[first]]. `MTTR` in code stays.",
                                  sources="[feed/on-steps, handbook]", stage="budding"),
    "culture/third.md": note_text("Third <b>", tags="[culture]", sources="[feed]",
                                  body="One-way doors are rare, see [[first]]."),
}


def href(from_path: str, to_path: str) -> str:
    return f"/{to_path}"


def make(tmp_path: Path, notes: dict[str, str] | None = None, sources: str = SOURCES, trails: str = TRAILS,
         glossary: str = GLOSSARY) -> Garden:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for path, text in (NOTES if notes is None else notes).items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    tags = yaml.safe_dump({**VOCABULARY, "journal": "Entries."})
    (tmp_path / "tags.yml").write_text(tags, encoding="utf-8")
    for name, text in (("sources.yml", sources), ("trails.yml", trails), ("glossary.yml", glossary)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return build_garden(Settings.from_config(tmp_path, "docs", GardenConfig()))


def problems(garden: Garden) -> list[str]:
    return [str(problem) for problem in garden.problems]


@pytest.fixture(scope="module")
def garden(tmp_path_factory: pytest.TempPathFactory) -> Garden:
    built = make(tmp_path_factory.mktemp("references"))
    assert problems(built) == []
    return built


def text(html: Tag, selector: str) -> str:
    found = html.select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return found.get_text()


def page(template: str, **values) -> BeautifulSoup:
    return BeautifulSoup(DEFAULT.render(template, **values), "html.parser")


class TestProblemsNameTheFileAndLine:
    def test_an_unknown_source_is_a_problem_with_a_suggestion(self, tmp_path):
        garden = make(tmp_path, {"career/x.md": note_text("X", sources="[handbok, feed/on-step]")})
        assert problems(garden) == [
            "career/x.md:6: unknown source 'feed/on-step' — did you mean 'feed/on-steps'?",
            "career/x.md:6: unknown source 'handbok' — did you mean 'handbook'?",
            "trails.yml:5: trail 'walk': step 'first' names no note — write the slug of a published note"]

    def test_a_citation_that_is_not_an_id_says_how_to_cite(self, tmp_path):
        garden = make(tmp_path, {"career/x.md": note_text("X", sources='["The Handbook, p. 3"]')}, trails="")
        assert problems(garden) == ["career/x.md:6: source 'The Handbook, p. 3' is not a source id — cite a "
                                    "source by its id in sources.yml, e.g. 'career-thoughts' or 'feed/essay'"]

    def test_a_broken_trail_step_names_trails_yml_and_its_line(self, tmp_path):
        garden = make(tmp_path, trails=TRAILS.replace("- second", "- secnd"))
        assert problems(garden) == [
            "trails.yml:6: trail 'walk': step 'secnd' names no note — did you mean 'second'?"]
        assert garden.trails == {}

    def test_a_trail_step_twice_or_a_trail_without_steps_is_a_problem(self, tmp_path):
        garden = make(tmp_path, trails=TRAILS.replace("- third", "- first") + "short:\n  title: S\n"
                      "  description: D.\n  steps: [first]\n")
        assert problems(garden) == [
            "trails.yml:7: trail 'walk': 'first' is already a step of this trail — "
            "a trail visits each note once",
            "trails.yml:11: trail 'short' needs 'steps': a list of at least two notes — write 'steps: "
            "[first-note, second-note]' with note slugs"]

    def test_a_glossary_term_defined_twice_is_a_problem_on_the_second_line(self, tmp_path):
        garden = make(tmp_path, glossary=GLOSSARY + "MTTR: Again.\n")
        assert problems(garden) == [
            "glossary.yml:5: key 'MTTR' appears twice (lines 1 and 5) — "
            "keep one: YAML would silently use the last"]
        again = "mttr: Again.\nother:\n  definition: X.\n  also: [MTTR]\n"
        twice = "is defined twice: it is already the glossary's 'MTTR' on line 1 — define each term once; " \
                "merge the two definitions"
        assert problems(make(tmp_path, glossary=GLOSSARY + again)) == [
            f"glossary.yml:5: 'mttr' {twice}", f"glossary.yml:8: 'MTTR' {twice}"]

    def test_a_glossary_term_names_a_real_source_or_is_marked_as_ours(self, tmp_path):
        glossary = ("nudge:\n  definition: N.\n  source: feed/on-stepz\n"
                    "coined:\n  definition: C.\n  source: handbook\n  ours: true\n"
                    "odd:\n  definition: O.\n  ours: yes please\n")
        assert problems(make(tmp_path, glossary=glossary)) == [
            "glossary.yml:3: unknown source 'feed/on-stepz' in the glossary's 'nudge' — "
            "did you mean 'feed/on-steps'?",
            "glossary.yml:7: the glossary's 'coined' has a source and is marked as ours — keep 'source' for "
            "a term a source uses, or 'ours: true' for one the garden coined",
            "glossary.yml:10: 'ours' of 'odd' must be true or false — write 'ours: true' for a term the "
            "garden coined"]

    def test_the_glossary_says_where_each_term_comes_from(self, tmp_path):
        glossary = ("MTTR:\n  definition: Mean time to resolution.\n  source: feed/on-steps\n"
                    "one-way door:\n  definition: A decision that cannot be undone.\n"
                    "  also: [One-way doors]\n  ours: true\n")
        garden = make(tmp_path, glossary=glossary)
        assert problems(garden) == []
        html = page("glossary.html", entries=glossary_entries(garden, href))
        assert [text(dd, ".garden-term-source") for dd in html.select("dd")] == [
            "Source: On steps (in A feed of essays)", "The garden's own term: no source uses it."]
        assert [a["href"] for a in html.select(".garden-term-source a")] == ["/sources/feed.md#on-steps"]
        assert note_markdown(garden.notes["culture/third.md"], garden).endswith(
            "*[One-way doors]: A decision that cannot be undone. (The garden's own term.)\n")

    def test_a_wrong_stage_is_a_problem_with_did_you_mean(self, tmp_path):
        garden = make(tmp_path, {"career/x.md": note_text("X", stage="buding")}, trails="")
        assert problems(garden) == ["career/x.md:6: 'stage' must be one of seedling, budding, evergreen, not "
                                    "'buding' — did you mean 'budding'?"]

    def test_the_source_vocabulary_is_checked_field_by_field(self, tmp_path):
        sources = ("a:\n  title: A\n  description: D.\n  date: 2020-13-01\n"
                   "b:\n  description: D.\n  autor: Someone\n"
                   "c:\n  title: C\n  description: D.\n  essays: [{id: Bad Id, title: T}]\n")
        assert problems(make(tmp_path, {}, sources=sources, trails="")) == [
            "sources.yml:4: impossible date '2020-13-01': month must be in 1..12 — use a real calendar date "
            "as YYYY-MM-DD"]
        sources = sources.replace("2020-13-01", "2020-12-01")
        assert problems(make(tmp_path, {}, sources=sources, trails="")) == [
            "sources.yml:5: 'title' is missing in source 'b' — add 'title: <one line of text>'",
            "sources.yml:7: unknown field 'autor' in source 'b' — did you mean 'author'?",
            "sources.yml:11: essay id 'Bad Id' of source 'c' is not a slug — "
            "use lowercase letters and digits joined by hyphens"]

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/sources/a/", "ftp://x.org/a",
                                     "https:///no-host", "https://x.org/a b"])
    def test_a_source_url_must_be_an_http_address(self, tmp_path, url):
        sources = f"a:\n  title: A\n  description: D.\n  url: '{url}'\n"
        garden = make(tmp_path, {}, sources=sources, trails="")
        assert problems(garden) == ["sources.yml:4: the url of source 'a' is not an http(s) address — "
                                    "write the document's address as 'url: https://…'"]
        assert garden.sources["a"].url is None

    def test_a_source_page_links_to_the_document(self, tmp_path):
        sources = "a:\n  title: A\n  description: D.\n  url: https://example.org/essay?x=1&y=2\n"
        garden = make(tmp_path, {}, sources=sources, trails="")
        assert problems(garden) == []
        html = page("source_page.html", page=source_page(garden.sources["a"], garden, href))
        assert [(a["href"], a.get_text()) for a in html.select(".garden-source-url a")] == [
            ("https://example.org/essay?x=1&y=2", "Read the source")]
        view = source_page(garden.sources["a"], garden, href)
        bare = page("source_page.html", page=dataclasses.replace(view, url=None))
        assert bare.select(".garden-source-url") == []

    def test_a_source_may_not_claim_a_journal_entry_is_missing_when_it_is_there(self, tmp_path):
        entry = note_text("Entry", tags="[journal]", created="2024-03-02")
        sources = "diary:\n  title: Diary\n  description: D.\n  mentions_entries: [2024-03-01, 2024-03-02]\n"
        garden = make(tmp_path, {"journal/2024-03-02-entry.md": entry}, sources=sources, trails="")
        assert problems(garden) == [
            "sources.yml:1: source 'diary' lists 2024-03-02 under 'mentions_entries', "
            "but the journal has that entry: journal/2024-03-02-entry.md — "
            "remove the date from 'mentions_entries'"]
        assert [when.isoformat() for when, _ in garden.journal_gaps()] == ["2024-03-01", "2024-03-02"]

    def test_the_file_options_are_typed(self):
        _, found = garden_config({"trails_file": 3})
        assert [str(p) for p in found] == [
            "mkdocs.yml: extra.garden: 'trails_file' must be a file name — e.g. trails_file: trails.yml"]

    def test_missing_data_files_mean_no_sources_trails_or_glossary(self, tmp_path):
        (tmp_path / "docs").mkdir()
        (tmp_path / "tags.yml").write_text("career: Careers.\n", encoding="utf-8")
        (tmp_path / "docs" / "x.md").write_text(note_text("X", sources="[handbook]"), encoding="utf-8")
        garden = build_garden(Settings.from_config(tmp_path, "docs", GardenConfig()))
        assert problems(garden) == [
            "x.md:6: unknown source 'handbook' — add it to sources.yml, or fix the id"]

    def test_generated_pages_have_reserved_paths_and_resolve_as_links(self):
        assert reserved_because("sources/handbook.md", frozenset()) == "'sources/' is generated by the build"
        assert reserved_because("trails.md", frozenset()) is not None
        assert reserved_because("glossary/index.md", frozenset()) is not None
        paths = generated_paths((), (), (), sources=["handbook"], trails=["walk"], glossary=True)
        assert {"sources/index.md", "sources/handbook.md", "trails/index.md", "trails/walk.md",
                "glossary/index.md"} <= paths
        assert not {"sources/index.md", "trails/index.md", "glossary/index.md"} & generated_paths((), (), ())


class TestViewsAndTemplates:
    def test_a_note_shows_its_sources_as_links_to_their_pages(self, garden):
        footer = note_footer(garden.notes["career/second.md"], garden, href)
        sources = page("note_footer.html", footer=footer, local_graph=None).select_one(".garden-sources")
        assert sources is not None
        assert [(a["href"], a.get_text(), a.cite is not None) for a in sources.select("a")] == [
            ("/sources/feed.md#on-steps", "On steps", True), ("/sources/handbook.md", "The Handbook", True)]
        assert sources.get_text() == "Sources: On steps (in A feed of essays); The Handbook"

    def test_a_note_on_a_trail_shows_previous_and_next(self, garden):
        def trail_nav(path: str) -> list[str]:
            footer = note_footer(garden.notes[path], garden, href)
            nav = page("note_footer.html", footer=footer, local_graph=None).select_one("nav.garden-trail")
            assert nav is not None
            return [nav.p.get_text() if nav.p else "", *(li.get_text() for li in nav.select("li"))]

        assert trail_nav("career/first.md") == ["On the trail A short walk, step 1 of 3", "Next: Second"]
        assert trail_nav("career/second.md") == ["On the trail A short walk, step 2 of 3", "Previous: First",
                                                 "Next: Third <b>"]
        # the last step: back to the trail (the garden's only trail, so no next one)
        assert trail_nav("culture/third.md") == ["On the trail A short walk, step 3 of 3", "Previous: Second",
                                                 "The end of the trail: back to A short walk"]

    def test_the_stage_is_shown_in_the_header_and_in_lists(self, garden):
        header = page("note_header.html", header=note_header(garden.notes["career/first.md"], href))
        assert text(header, ".garden-growth") == "Growth stage: seedling"
        notes = [garden.notes[path] for path in ("career/first.md", "career/second.md", "culture/third.md")]
        listed = page("note_list.html", notes=listed_notes("x.md", notes, href))
        assert [span.get_text() for span in listed.select(".garden-stage")] == ["seedling", "budding"]
        plain = page("note_header.html", header=note_header(garden.notes["culture/third.md"], href))
        assert plain.select_one(".garden-growth") is None

    def test_a_source_page_lists_the_notes_citing_it_essay_by_essay(self, garden):
        view = source_page(garden.sources["feed"], garden, href)
        html = page("source_page.html", page=view)
        assert [h2.get_text() for h2 in html.select("h2")] == ["Notes citing it as a whole", "On steps"]
        assert [a.get_text() for a in html.select("#on-steps + ul a")] == ["Second"]
        assert text(html, "ul a") == "Third <b>"

    def test_notes_get_abbreviations_only_for_the_terms_they_use_outside_code(self, garden):
        assert note_markdown(garden.notes["career/first.md"], garden).endswith(
            "\n\n*[MTTR]: Mean time to resolution.\n")
        assert "*[" not in note_markdown(garden.notes["career/second.md"], garden)
        assert note_markdown(garden.notes["culture/third.md"], garden).endswith(
            "*[one-way door]: A decision that cannot be undone.\n\n"
            "*[One-way doors]: A decision that cannot be undone.\n")  # a paragraph each: linear for Markdown

    def test_the_glossary_lists_each_term_with_its_definition_and_notes(self, garden):
        html = page("glossary.html", entries=glossary_entries(garden, href))
        assert [(dt["id"], dt.get_text()) for dt in html.select("dt")] == [
            ("term-mttr", "MTTR"), ("term-one-way-door", "one-way door (also One-way doors)")]
        assert [text(dd, ".garden-used-in") for dd in html.select("dd")] == [
            "Used in: First", "Used in: Third <b>"]

    def test_the_journal_index_names_the_entries_the_sources_lack(self, tmp_path):
        sources = ("diary:\n  title: Diary\n  titled: false\n  description: D.\n"
                   "  mentions_entries: [2024-03-01]\n")
        garden = make(tmp_path, {}, sources=sources, trails="")
        html = page("journal_index.html", years={}, gaps=journal_gaps("journal/index.md", garden, href))
        assert text(html, ".garden-journal-gaps") == ("2024-03-01: named by Diary, which does not contain "
                                                      "its text; the garden has no entry for that day.")


class TestTheBuiltSite:
    site = site_fixture("references")

    def test_a_source_page_lists_its_notes(self, site):
        handbook = site.article("sources/handbook/")
        assert "By A. Writer." in handbook.get_text() and "Dated 2020-05-01." in handbook.get_text()
        assert [a.get_text() for a in handbook.select("ul.garden-list a")] == [
            "The first step", "The second step"]
        feed = site.article("sources/feed/")
        assert [a.get_text() for a in feed.select("#on-steps + ul a")] == [
            "The second step", "The third step"]
        assert text(feed, "#unread + p") == "No note cites this one yet."
        index = site.article("sources/")
        assert [a.get_text() for a in index.select(".garden-source-index a")] == [
            "A feed of essays", "The diary", "The Handbook"]

    def test_the_trail_page_and_previous_next_on_its_notes(self, site):
        trail = site.article("trails/walk/")
        assert [a.get_text() for a in trail.select("ol.garden-list > li > a")] == [
            "The first step", "The second step", "The third step"]
        nav = site.article("career/second-step/").select_one("nav.garden-trail")
        assert nav is not None
        assert [(li.get_text(), li.a["href"]) for li in nav.select("li")] == [
            ("Previous: The first step", "../first-step/"),
            ("Next: The third step", "../../culture/third-step/")]
        home = site.article("")
        assert [a.get_text() for a in home.select("a") if "trails/" in a["href"]] == [
            "A short walk", "Every trail"]

    def test_the_glossary_page_and_abbreviations_in_notes(self, site):
        glossary = site.article("glossary/")
        assert [dt.get_text() for dt in glossary.select("dt")] == [
            "MTTR", "one-way door (also One-way doors)", "unused term"]
        assert [a.get_text() for a in glossary.select("#term-mttr + dd a")] == ["The first step"]
        abbr = site.article("career/first-step/").select("abbr")
        assert [(a.get_text(), a["title"]) for a in abbr] == [("MTTR", "Mean time to resolution.")]
        assert site.article("career/second-step/").select("code abbr") == []
        assert [a.get_text() for a in site.article("culture/third-step/").select("abbr")] == ["One-way doors"]

    def test_the_journal_index_says_which_entries_the_sources_lack(self, site):
        gaps = site.article("journal/").select(".garden-journal-gaps li")
        assert [li.time.get_text() for li in gaps] == ["2024-03-03", "2024-03-05"]

    def test_the_stage_shows_on_the_note_and_the_build_is_clean(self, site):
        assert not site.aborted and site.warnings == []
        assert text(site.article("culture/third-step/"), ".garden-growth") == "Growth stage: evergreen"


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("trails.yml", "second-step, third-step", "second-step, thrid-step",
     "trails.yml:4: trail 'walk': step 'thrid-step' names no note — did you mean 'third-step'?"),
    ("glossary.yml", "unused term:", "mttr:", "glossary.yml:5: 'mttr' is defined twice"),
    ("sources.yml", "date: 2024-03-04", "date: someday", "sources.yml:15: 'date' of source 'diary' must be"),
    ("docs/career/first-step.md", "sources: [handbook]", "sources: [handbok]",
     "career/first-step.md:7: unknown source 'handbok' — did you mean 'handbook'?"),
    ("docs/career/first-step.md", "stage: seedling", "stage: sapling",
     "career/first-step.md:6: 'stage' must be one of seedling, budding, evergreen, not 'sapling'"),
])
def test_check_and_the_strict_build_both_fail_on_a_data_file_problem(tmp_path, file, old, new, expected):
    project = copy_fixture("references", tmp_path)
    path = project / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    check = run_check(project)
    assert check.returncode == 1 and any(line.startswith(expected) for line in check.stderr.splitlines()), \
        check.stderr
    site = build_project(project, strict=True)
    assert site.aborted and any(expected in warning for warning in site.warnings), site.warnings


def test_a_source_or_trail_title_is_text_on_every_page(tmp_path):
    """Material prints page titles unescaped (the <h1>, the header, the breadcrumbs): a title from
    sources.yml or trails.yml, which any pull request may edit, must reach them escaped."""
    project = copy_fixture("references", tmp_path)
    hostile = '"</title><img src=x onerror=alert(1)>"'
    for name in ("sources.yml", "trails.yml"):
        text = (project / name).read_text(encoding="utf-8")
        first_title = text.index("title:")
        line_end = text.index("\n", first_title)
        hostile_text = f"{text[:first_title]}title: {hostile}{text[line_end:]}"
        (project / name).write_text(hostile_text, encoding="utf-8")
    site = build_project(project, strict=False)
    pages = list(site.site.rglob("*.html"))
    assert pages and not [page for page in pages if "<img src=x" in page.read_text(encoding="utf-8")]
    shown = site.page("sources/handbook/").find("h1")
    assert shown is not None and shown.get_text() == "Source: </title><img src=x onerror=alert(1)>"


def test_without_a_vocabulary_the_problem_is_reported_and_tag_feeds_are_still_made(tmp_path):
    """`make serve` keeps serving a garden with problems: a missing tags.yml is reported, and
    each tag's feed gets a description of its own instead of stopping the build."""
    project = copy_fixture("linked", tmp_path)
    (project / "tags.yml").unlink()
    site = build_project(project, strict=False)
    assert any("tags.yml" in warning for warning in site.warnings)
    feed = (site.site / "feed-career.xml").read_text(encoding="utf-8")
    assert "<description>Notes tagged career.</description>" in feed
