"""Check runs what the build runs: every link form Markdown accepts, and every anchor, judged alike.

`garden check` once read links with its own regular expression and guessed anchors from heading
lines, while the build resolved them with Python-Markdown and MkDocs: the cases below each got a
different verdict from the two. Now both take links, ids and headings from one parse
(garden/links.py); each case has its expected verdict, and `check` and the strict build must name
the same files. A table of snippets pins what the parse finds, and a reference-style link is a
backlink like any other.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from conftest import BuiltSite, build_project, copy_fixture, note_text
from test_gate import files_named, run_check

from garden.build import Settings, build_garden
from garden.diff import diff_gardens
from garden.links import LinkParser

MATERIAL = importlib.util.find_spec("material")
assert MATERIAL is not None and MATERIAL.origin is not None
THEME_BUNDLE = next((Path(MATERIAL.origin).parent / "templates" / "assets" / "javascripts")
                    .glob("bundle.*.min.js")).name
"""Material's own script, which MkDocs counts among the site's files."""

TARGET = note_text("Target", body="""Text.

## snake_case

<div markdown="1">

## Inside a block

</div>

<div>
## Raw block
</div>

## An ![icon](pic.png) image

```html
<a id="in-code"></a>
```

Inline `<span id="in-span">` code.

## Custom {#custom-id}
""")

# path → (note body, the fragment its problem must contain; None: accepted)
CASES: dict[str, tuple[str, str | None]] = {
    "links/angle.md": ("[x](<a b.md>)", None),
    "links/angle-missing.md": ("[x](<no such.md>)", "points at no page"),
    "links/titled.md": ("[x](m.md 'T') and [y](m.md \"T\")", None),
    "links/titled-missing.md": ("[x](gone.md 'T')", "points at no page"),
    "links/reference.md": ("[x][r], [m][] and [m].\n\n[r]: m.md\n[m]: m.md#custom-id", None),
    "links/reference-missing.md": ("[x][r]\n\n[r]: gone.md", "points at no page"),
    "links/reference-anchor.md": ("[x][r]\n\n[r]: m.md#nowhere", "no heading or id 'nowhere'"),
    "links/parens.md": ("[x](m(1).md)", None),
    "links/parens-missing.md": ("[x](n(1).md)", "points at no page"),
    "links/snake.md": ("[x](m.md#snake_case)", None),
    "links/md-in-html.md": ("[x](m.md#inside-a-block)", None),
    "links/raw-block.md": ("[x](m.md#raw-block)", "no heading or id 'raw-block'"),
    "links/image-heading.md": ("[x](m.md#an-image)", None),
    "links/code-id.md": ("[x](m.md#in-code)", "no heading or id 'in-code'"),
    "links/span-in-code.md": ("[x](m.md#in-span)", "no heading or id 'in-span'"),
    "links/custom-id.md": ("[x](m.md#custom-id)", None),
    "links/footnote.md": ("A claim.[^1]\n\n[^1]: Its source.", None),
    "links/self-anchor.md": ("[x](#nowhere)", "this page has no heading or id 'nowhere'"),
    "links/previews.md": ("[x](../previews/000.json)", "no page or file"),
    "links/theme.md": (f"[x](../assets/javascripts/{THEME_BUNDLE})", "no page or file"),
    "links/search-index.md": ("[x](../search/search_index.json)", "no page or file"),
    "links/feed.md": ("[x](../feed.xml) and ![a picture](pic.png)", None),
    "links/folder.md": ("[x](../career/)", "names a folder"),
    "links/raw-html-note.md": ('<a href="m.md">x</a>', "HTML link"),
    "links/raw-html-missing.md": ('<img src="nothing.png" alt="x">', "points at no page or file"),
    "links/absolute.md": ("[x](/career/growth.md)", "absolute"),
    "links/image-missing.md": ("![x](nothing.png)", "points at no page or file"),
}
TARGETS = {"links/m.md": TARGET, "links/a b.md": note_text("A b"), "links/m(1).md": note_text("M one")}
AT_PAGE_ADDRESSES = {"index.html": "the address of index.md",
                     "links/m/index.html": "the address of links/m.md"}
"""Files of docs/ that would be written where a page is: MkDocs keeps one of the two (refused by
the output namespace, garden/outputs.py; here for check ≡ build with MkDocs' own warning)."""


def write_cases(docs: Path) -> None:
    for path, text in TARGETS.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    for path, (body, _) in CASES.items():
        (docs / path).write_text(note_text(Path(path).stem.title(), body=body), encoding="utf-8")
    for path in AT_PAGE_ADDRESSES:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text("<p>Which one is published?</p>", encoding="utf-8")
    (docs / "links" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # a file of the site to link to


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("linked", tmp_path_factory.mktemp("links"))
    write_cases(project / "docs")
    return project


@pytest.fixture(scope="module")
def check_lines(project: Path) -> list[str]:
    return run_check(project).stderr.splitlines()


@pytest.mark.parametrize("path", CASES)
def test_check_gives_each_link_case_its_verdict(check_lines, path):
    expected = CASES[path][1]
    own = [line for line in check_lines if line.startswith(f"{path}:")]
    if expected is None:
        assert own == [], own
    else:
        assert any(expected in line for line in own), f"expected '{expected}' in {own}"


@pytest.mark.parametrize("path", AT_PAGE_ADDRESSES)
def test_a_file_at_a_page_address_is_refused(check_lines, path):
    assert any(AT_PAGE_ADDRESSES[path] in line for line in check_lines if line.startswith(f"{path}:"))


@pytest.fixture(scope="module")
def strict_site(project: Path) -> BuiltSite:
    return build_project(project, strict=True)


def test_check_and_the_strict_build_name_the_same_files(project, check_lines, strict_site):
    site = strict_site
    assert site.aborted
    candidates = [*CASES, *TARGETS, *AT_PAGE_ADDRESSES]
    named = files_named(check_lines, candidates)
    refused = {path for path, (_, expected) in CASES.items() if expected is not None}
    assert named == refused | set(AT_PAGE_ADDRESSES)
    assert files_named(site.warnings, candidates) == named


def test_generated_pages_and_feeds_warn_of_nothing_check_does_not_say(strict_site, check_lines):
    """Why `check` need not render the generated pages and feeds: they are made from the model
    the check validated, so the strict build's only warnings are the garden's own (which check
    prints) and MkDocs' about files of docs/ that check names too."""
    named_by_check = {line.split(":", 1)[0] for line in check_lines}
    for warning in strict_site.warnings:
        if warning.startswith("garden: "):
            assert warning.removeprefix("garden: ") in check_lines, warning
        else:
            about = re.match(r"(?:Doc file|Excluding) '([^']+)'", warning)
            assert about is not None and about.group(1) in named_by_check, warning


def test_a_reference_style_link_is_a_backlink_with_a_preview(tmp_path):
    project = copy_fixture("linked", tmp_path)
    (project / "docs" / "career" / "ref.md").write_text(note_text(
        "By reference", body="Growth is [the growth note][g] (and [[leave]]).\n\n[g]: growth.md"))
    settings = Settings(docs_dir=project / "docs", tags_file=project / "tags.yml")
    before = build_garden(settings)
    lonely = project / "docs" / "culture" / "lonely.md"
    lonely.write_text(lonely.read_text() + "\nAnd to [the triggers][t].\n\n[t]: ../career/leave.md\n")
    garden = build_garden(settings)
    assert "career/growth.md" in garden.link_targets("career/ref.md")
    assert [(link.source.path, link.target.path) for link in diff_gardens(before, garden).links_added] == [
        ("culture/lonely.md", "career/leave.md")]  # a line of `python -m garden diff`
    site = build_project(project, strict=True)
    assert not site.aborted, site.warnings
    backlinks = site.page("career/growth/").select_one("#backlinks")
    assert backlinks is not None and "By reference" in backlinks.get_text()
    link = next(a for a in site.article("career/ref/").select("a") if a.get_text() == "the growth note")
    assert link["href"] == "../growth/" and link.get("title")  # the preview's title, as a wikilink gets


SITE_EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "footnotes", {"toc": {"permalink": True}},
                   "pymdownx.superfences", "pymdownx.details"]

# snippet → (links found as (url, image), anchors found)
PARSE_TABLE: list[tuple[str, list[tuple[str, bool]], set[str]]] = [
    ("[x](<a b.md>)", [("a b.md", False)], set()),
    ("[x](m.md 'T')", [("m.md", False)], set()),
    ('[x](m.md "T")', [("m.md", False)], set()),
    ("[x](m(1).md)", [("m(1).md", False)], set()),
    ("[x][r] [y][] [r]\n\n[r]: m.md\n[y]: n.md#h",
     [("m.md", False), ("n.md#h", False), ("m.md", False)], set()),
    ("[x][undefined]", [], set()),
    ("<https://example.org/a>", [("https://example.org/a", False)], set()),
    ("![alt](p.png) and ![r][p]\n\n[p]: q.png", [("p.png", True), ("q.png", True)], set()),
    ("`[x](code.md)` and\n\n    [y](indented.md)\n\n```\n[z](fenced.md)\n```", [], set()),
    ("## snake_case", [], {"snake_case"}),
    ("## A ![i](p.png) b", [("p.png", True)], {"a-b"}),
    ("Setext\n======", [], {"setext"}),
    ('<div markdown="1">\n\n## In\n\n</div>\n\n<div>\n## Out\n</div>', [], {"in"}),
    ("## H {#mine}\n\nPara.\n{: #para }", [], {"mine", "para"}),
    ("```\n<a id=\"x\"></a>\n```", [], set()),
    ('Raw <span id="s">x</span> <a name="n"></a> <a href="r.md">r</a>', [("r.md", False)], {"s", "n"}),
    ("A[^1]\n\n[^1]: B.", [("#fn:1", False), ("#fnref:1", False)], {"fn:1", "fnref:1"}),
    ("## Twice\n\n## Twice", [], {"twice", "twice_1"}),
]


@pytest.fixture(scope="module")
def parser() -> LinkParser:
    return LinkParser(SITE_EXTENSIONS)


@pytest.mark.parametrize(("snippet", "links", "anchors"), PARSE_TABLE,
                         ids=[row[0][:30] for row in PARSE_TABLE])
def test_the_parse_finds_the_links_and_ids_the_page_has(parser, snippet, links, anchors):
    parsed = parser.parse(snippet)
    assert [(link.url, link.image) for link in parsed.links] == links
    assert parsed.anchors == anchors


def test_each_link_is_placed_where_it_is_written(parser):
    body = "Intro [a](<x y.md> 'T') then\n[b][r] and ![c](p.png) [[wiki]]\n\n[r]: m(1).md\n"
    placed = parser.locate(body, 10, parser.parse(body))
    assert [(body[link.start:link.end], link.line, link.text, link.url, link.reference, link.titled)
            for link in placed] == [
        ("[a](<x y.md> 'T')", 10, "a", "x y.md", False, True),
        ("[b][r]", 11, "b", "m(1).md", True, False),
        ("![c](p.png)", 11, "c", "p.png", False, False)]
