"""Views and templates without a site build: model in, what a reader sees out (milliseconds each)."""

from __future__ import annotations

import dataclasses

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import make_garden, note_text
from markupsafe import Markup

from garden.charts import Chart, Series
from garden.chrome import Chrome
from garden.glossary import Term
from garden.graph import local_graph, section_colours
from garden.memo import Memo
from garden.pages import changelog_page
from garden.rendering import DEFAULT, Renderer
from garden.search import CompoundWords, compound_words, spelling_variants
from garden.site import page_href
from garden.views import changelog_months, chart_view, listed_notes, note_footer, note_header, sharing_view

HOSTILE = "<img src=x onerror=alert(1)> & {{ 7*7 }}"


def href(from_path: str, to_path: str) -> str:
    """URLs as source paths: enough to see which page links where."""
    return f"/{to_path}"


@pytest.fixture(scope="module")
def garden(tmp_path_factory: pytest.TempPathFactory):
    return make_garden(tmp_path_factory.mktemp("views"), {
        "career/a.md": note_text("A", body="A links to [[b]]. Another sentence.",
                                 changes="[{date: 2024-05-01, what: More}]", updated="2024-05-01"),
        "career/b.md": note_text("B", tags="[career, culture]", body="B stands alone."),
        "culture/hostile.md": note_text('"' + HOSTILE.replace('"', '\\"') + '"', tags="[culture]",
                                        body="Links to [[b]] too."),
    })


def text_of(page: Tag, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return found.get_text()


def html(template: str, **values) -> BeautifulSoup:
    return BeautifulSoup(DEFAULT.render(template, **values), "html.parser")


@pytest.mark.parametrize(("path", "dates", "chips"), [
    ("career/a.md", "Last tended 2024-05-01 · created 2024-03-02 · 1 min read", ["career"]),
    ("career/b.md", "Created and last tended 2024-03-02 · 1 min read", ["career", "culture"]),
])
def test_the_header_shows_tags_dates_and_reading_time(garden, path, dates, chips):
    page = html("note_header.html", header=note_header(garden.notes[path], href))
    assert text_of(page, ".garden-dates") == dates
    assert [a.get_text() for a in page.select("a.garden-tag")] == chips
    assert [a["href"] for a in page.select("a.garden-tag")] == [f"/tags/{tag}.md" for tag in chips]


def test_the_header_says_when_a_note_was_last_tended_and_what_its_stage_means(tmp_path):
    """A reader sees the date of the last tending (the newest of updated and changes, else created)
    and, on the stage, how settled and tested the idea is: not a bare word."""
    garden = make_garden(tmp_path, {
        "career/grown.md": note_text("Grown", changes="[{date: 2024-04-01, what: More}]",
                                     updated="2024-06-01", stage="evergreen"),
        "career/new.md": note_text("New", body="Links to [[grown]].", stage="seedling"),
    })
    grown = html("note_header.html", header=note_header(garden.notes["career/grown.md"], href))
    assert [t["datetime"] for t in grown.select(".garden-dates time")] == ["2024-06-01", "2024-03-02"]
    assert text_of(grown, ".garden-dates").startswith("Last tended 2024-06-01")
    stages = {}
    for path in ("career/grown.md", "career/new.md"):
        header = html("note_header.html", header=note_header(garden.notes[path], href))
        shown = header.select_one(".garden-stage")
        assert shown is not None
        stages[shown.get_text()] = shown["title"]
    assert stages == {
        "evergreen": "Evergreen: settled: supported by more than one source or well-tested across several "
                     "notes, its limits stated, unlikely to change with further reading",
        "seedling": "Seedling: an idea noted from a single source passage; not yet developed, connected or "
                    "tested against other notes or sources; may change a lot",
    }


def test_backlinks_quote_the_linking_sentence_and_mark_the_link(garden):
    footer = note_footer(garden.notes["career/b.md"], garden, href)
    page = html("note_footer.html", footer=footer, local_graph=None)
    quotes = {text_of(li, "a"): text_of(li, "blockquote") for li in page.select("#backlinks li")}
    assert quotes == {"A": "A links to B.", HOSTILE: "Links to B too."}
    assert [m.get_text() for m in page.select("#backlinks mark")] == ["B", "B"]
    assert {a["title"] for a in page.select("#backlinks li > a")} == {
        "A — What A says.", f'{HOSTILE} — What "{HOSTILE}" says.'}


def test_a_note_nobody_links_to_says_so(garden):
    footer = note_footer(garden.notes["career/a.md"], garden, href)
    page = html("note_footer.html", footer=footer, local_graph=None)
    assert text_of(page, "#backlinks p") == "No other note links here yet."


def test_values_from_notes_are_text_in_every_template(garden):
    hostile = garden.notes["culture/hostile.md"]
    rendered = DEFAULT.render("note_list.html", notes=listed_notes("x.md", [hostile], href))
    assert "<img" not in rendered and "&lt;img src=x onerror=alert(1)&gt; &amp; {{ 7*7 }}" in rendered


def test_the_changelog_groups_changes_by_month_newest_first(garden):
    months = changelog_months("changelog/index.md", garden.changes(), href)
    assert list(months) == ["May 2024", "March 2024"]
    page = BeautifulSoup(changelog_page(garden, href, DEFAULT).html_after, "html.parser")
    assert [h2.get_text() for h2 in page.select("h2")] == ["May 2024", "March 2024"]
    assert [li.get_text(" ", strip=True) for li in page.select("ul")[0].select("li")] == [
        "2024-05-01 Updated A — More"]


def test_the_local_graph_is_absent_without_neighbours_and_labels_each_dot(garden, tmp_path):
    alone = make_garden(tmp_path, {"career/x.md": note_text("X")})
    assert local_graph(alone.notes["career/x.md"], alone, href, section_colours(alone)) is None
    picture = local_graph(garden.notes["career/b.md"], garden, href, section_colours(garden))
    page = html("note_footer.html", footer=note_footer(garden.notes["career/b.md"], garden, href),
                local_graph=picture)
    assert [" ".join(text.stripped_strings) for text in page.select(".garden-local-graph svg text")] == [
        HOSTILE, "A"]
    names = [a.get_text() for a in page.select("a.garden-node")]
    assert names == [f"{HOSTILE} (links here)", "A (links here)"] and not page.select("img")


def test_the_chart_shows_its_source_and_scales_bars_to_the_largest_value():
    chart = Chart("c", "Title", "Description", "%", ("one", "two"),
                  (Series("2020", (10.0, 40.0)), Series("2022", (20.0, 5.0))), source="A survey & <its> year")
    view = chart_view(chart)
    widths = [bar.width for row in view.rows for bar in row.bars]
    assert widths[1] / widths[2] == pytest.approx(0.5) and max(widths) == view.width - 16 - 72
    svg = DEFAULT.render("chart.svg", chart=view)
    assert "Source: A survey &amp; &lt;its&gt; year" in svg and svg.startswith("<svg")
    without_source = Chart("c", "Title", "Description", "%", chart.categories, chart.series)
    assert chart_view(without_source).height == view.height - 20


def test_a_project_overrides_a_template_from_its_custom_dir(tmp_path):
    (tmp_path / "garden").mkdir()
    (tmp_path / "garden" / "tag_index.html").write_text("{% for tag in tags %}[{{ tag.name }}]{% endfor %}")
    tag = type("Tag", (), {"name": "<b>"})()
    assert Renderer(tmp_path).render("tag_index.html", tags=[tag]) == "[&lt;b&gt;]"



def test_a_note_is_shared_as_an_article_and_any_other_page_as_the_website(garden):
    note = garden.notes["career/a.md"]
    shared = sharing_view("ignored", "ignored", "https://x.org/career/a/", "Site", note)
    assert (shared.title, shared.description, shared.type) == ("A", note.meta.summary, "article")
    assert (shared.published, shared.modified) == (note.meta.created, note.last_changed)
    page = sharing_view("Tag: career", "Careers.", "https://x.org/tags/career/", "Site")
    assert (page.type, page.published, page.modified) == ("website", None, None)


@pytest.mark.parametrize(("text", "variants"), [
    ("Run blameless post-mortems.", "postmortems"),
    ("We hold postmortems.", "post mortems"),
    ("Post mortems, twice: post mortems.", "postmortems"),
    ("A job-leave list.", ""),  # a compound the garden does not write
    ("Nothing here.", ""),
])
def test_search_gets_the_other_spellings_of_the_gardens_compounds(text, variants):
    compounds = CompoundWords({"postmortems": ("post", "mortems")}, frozenset({("post", "mortems")}))
    assert spelling_variants(text, compounds) == variants


def test_compounds_come_from_the_notes_hyphenated_words_not_from_longer_chains(tmp_path):
    compounds = compound_words(make_garden(tmp_path, {
        "a.md": note_text("Post-mortems", body="A safe-to-fail team writes follow-ups.")}))
    assert compounds.joined == {"postmortems": ("post", "mortems"), "followups": ("follow", "ups")}


def test_feed_text_is_the_published_html_with_absolute_addresses_and_no_permalinks():
    from garden.changelog import feed_item_html

    page = ('<p><img alt="chart" src="../../charts/c.svg"> and <a href="../b/">B</a>, '
            '<a href="#why">below</a>.</p>\n<h2 id="why">Why<a class="headerlink" href="#why" '
            'title="Permanent link">¶</a></h2>\n<p>Text.</p>')
    html = feed_item_html(page, "https://site.example/garden/career/a/")
    assert 'src="https://site.example/garden/charts/c.svg"' in html
    assert 'href="https://site.example/garden/career/b/"' in html
    assert 'href="https://site.example/garden/career/a/#why"' in html
    assert "¶" not in html and "headerlink" not in html
    assert '<h2 id="why">Why</h2>' in html


def test_feed_text_is_held_to_the_html_policy_again():
    from garden.changelog import feed_item_html

    html = feed_item_html('<p onclick="x()">Hi <a href="javascript:alert(1)">x</a></p>', "https://s.example/a/")
    assert "onclick" not in html and "javascript" not in html


def test_kept_pieces_are_reused_and_only_the_last_pages_kept(tmp_path):
    """`make serve` draws again only the pieces of a long page an edit changed."""
    (tmp_path / "garden").mkdir()
    (tmp_path / "garden" / "piece.html").write_text("{{ piece[0] }}<{{ piece[1] }}>", encoding="utf-8")
    kept = Memo()
    pieces = [("a", "<"), ("b", 2), ("a", "<")]
    first = Renderer(tmp_path, kept).render_pieces("piece.html", pieces)
    assert first == ["a<&lt;>", "b<2>", "a<&lt;>"]  # escaped, in order, repeats kept
    kept.scope("piece.html").keep(("a", "<"), Markup("kept"))
    second = Renderer(tmp_path, kept).render_pieces("piece.html", [("c", 3), ("a", "<")])
    assert second == ["c<3>", "kept"]
    assert len(kept.scope("piece.html")) == 2  # ("b", 2) is no longer on the page


def test_glossary_terms_outside_links_link_to_their_entry_from_every_folder(garden):
    """A note's terms become links to the glossary page, as seen from the note's folder (a
    build draws each once per folder: never a link drawn for one folder on another's page)."""
    glossed = dataclasses.replace(garden, glossary={
        "MTTR": Term("MTTR", "Mean time to resolution.", ("MTTR", "MTTRs"))})
    chrome = Chrome(glossed, page_href, DEFAULT, section_colours(glossed))
    term, plural = ('<abbr title="Mean time to resolution.">MTTR</abbr>',
                    '<abbr title="Mean time to resolution.">MTTRs</abbr>')
    content = f'<p>{term}, <a href="x/">{term}</a>, {plural} and <abbr title="Other">SLO</abbr>.</p>'
    note = glossed.notes["career/a.md"]
    for path, glossary in [("career/a.md", "../../glossary/"), ("top.md", "../glossary/"),
                           ("career/b.md", "../../glossary/"), ("a/b/c.md", "../../../glossary/")]:
        assert chrome.link_glossary_terms(content, dataclasses.replace(note, path=path)) == (
            f'<p><a class="garden-term" href="{glossary}#term-mttr">{term}</a>, <a href="x/">{term}</a>, '
            f'<a class="garden-term" href="{glossary}#term-mttr">{plural}</a> and '
            '<abbr title="Other">SLO</abbr>.</p>')
