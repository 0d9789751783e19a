"""The gate, third pass: every file a pull request can touch besides a note's text.

Issue 19, items 2, 3, 4 and 8: the site's outputs are one namespace (a folder named
`feed.xml`, an `index.html`, two names equal up to case or Unicode normalisation), files of
`docs/` other than notes are an allowlist of types (no HTML, SVG or unknown file; the site's
stylesheets load nothing from another host), ids, classes and URLs are judged by what they
mean to a browser, and a file name is never printed raw. As in tests/test_gate.py, one hostile
garden holds every case with its expected verdict; `garden check` and the strict build must
name the same files, and a non-strict build must publish nothing that runs, loads from
another host, or replaces a generated page.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, build_project, copy_fixture, make_garden, note_text
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.structure.files import File
from test_gate import run_check

from garden.assets import refused_because, stylesheet_problems
from garden.build import Settings, build_garden
from garden.config import read_project
from garden.diff import diff_gardens, render_markdown
from garden.html_policy import browser_url, inspect_html, sanitize, url_allowed
from garden.outputs import Claim, Namespace, output_path, site_namespace
from garden.problems import escaped
from garden.redirects import alias_redirects
from garden.vocabulary import load_vocabulary

FRONT = note_text
PNG = b"\x89PNG\r\n\x1a\n"
NEWLINE_NAME = "evil\n::error title=x::pwned"
CHART = ("title: T\ndescription: D\nunit: '%'\ncategories: [a, b]\n"
         "series:\n  - name: s\n    values: [1, 2]\n")

# path (relative to docs/, or to the project for charts/) → (content, or None for a file
# made below; the fragment its problem must contain, or None: accepted)
CASES: dict[str, tuple[str | bytes | None, str | None]] = {
    # Item 2: one namespace of outputs.
    "feed.xml/x.png": (PNG, "under 'feed.xml/', but 'feed.xml' is the generated feed"),
    "sitemap.xml/x.png": (PNG, "under 'sitemap.xml/'"),
    "previews.json/x.png": (PNG, "under 'previews.json/'"),
    "404.html/x.png": (PNG, "under '404.html/'"),
    "feed.xml/note.md": (FRONT("In a feed"), "its section's index (feed.xml/index.md)"),
    "Assets/Javascripts/x.png": (PNG, "Material's theme folder"),
    "index.html": ("<p>PWNED home</p>", "the address of index.md"),
    "career/index.html": ("<p>PWNED section</p>", "the section's generated index career/index.md"),
    "career/growth/index.html": ("<p>PWNED note</p>", "the address of career/growth.md"),
    "career/Growth.md": (FRONT("Growth twin", body="PWNED twin"), "case-insensitive file system"),
    "career/caf\u00e9.md": (FRONT("Cafe composed"), None),
    "career/cafe\u0301.md": (FRONT("Cafe decomposed", body="PWNED decomposed"), "Unicode forms"),
    "career/Big-Move.md": (FRONT("Big move"), None),
    "career/mover.md": (FRONT("Mover", aliases="[big move]"), "case-insensitive file system"),
    # Item 3: files other than notes are an allowlist of types.
    "career/ok.png": (PNG, None),
    "career/ok.webp": (b"RIFF", None),
    "career/ok.woff2": (b"wOF2", None),
    "assets/ok.css": ("a { background: url(ok.png) } b { background: url(data:image/png;base64,AA==) }",
                      None),
    "assets/ok.js": ("console.log(1)", None),
    "career/drawing.svg": ('<svg xmlns="http://www.w3.org/2000/svg"><script>PWNED()</script></svg>', "SVG"),
    "career/page.html": ("<script>PWNED()</script>", "'.html' file"),
    "career/page.htm": ("<script>PWNED()</script>", "'.htm' file"),
    "career/page.xhtml": ('<html xmlns="http://www.w3.org/1999/xhtml"><script>PWNED()</script></html>',
                          "'.xhtml' file"),
    "career/data.xml": ("<x>PWNED</x>", "'.xml' file"),
    "career/paper.pdf": ("%PDF PWNED", "'.pdf' files are not published"),
    "career/notes.txt": ("PWNED", "'.txt' files are not published"),
    "career/no-suffix": ("PWNED", "no suffix"),
    "career/upper.MD": (FRONT("Upper", body="PWNED upper"), "a note must end in '.md'"),
    "career/script.js": ("PWNED()", "runs on every page"),
    "assets/deeper/more.css": ("a{} /* PWNED */", "runs on every page"),
    "assets/import.css": ("@import url(theirs.css); /* PWNED */", "'@import'"),
    "assets/escaped-import.css": ("@\\69mport 'theirs.css'; /* PWNED */", "'@import'"),
    "assets/remote.css": ("a { background: url(https://evil.example/x.png) } /* PWNED */", "another host"),
    "assets/backslash.css": ("a { background: url('\\\\\\\\evil.example/x.png') } /* PWNED */",
                             "another host"),
    "assets/hex.css": ("a { background: url(ht\\74ps://evil.example/x.png) } /* PWNED */", "another host"),
    "assets/image-set.css": ('a { background: image-set("//evil.example/x.png" 1x) } /* PWNED */',
                             "another host"),
    # Item 4: attributes by meaning.
    "career/config-id.md": (FRONT("Config", body='<div id="__config" class="md-typeset">'
                                  '{"base":"http://evil.example/"}</div>'), "the id '__config'"),
    "career/search-id.md": (FRONT("Search id", body="## Find {: #__search }\n\nText."), "the id '__search'"),
    "career/md-class.md": (FRONT("Md class", body="A paragraph.\n{: .md-button }"), "the class 'md-button'"),
    "career/graph-class.md": (FRONT("Graph", body='<div class="garden-graph garden-graph--page">x</div>'),
                              "the class 'garden-graph'"),
    "career/backslash.md": (FRONT("Backslash", body='<img src="\\\\evil.example/x.png">'), "<img src>"),
    "career/slash-backslash.md": (FRONT("Slash", body='<img src="/\\evil.example/x.png">'), "<img src>"),
    "career/entities.md": (FRONT("Entities", body='<img src="&#92;&#92;evil.example/x.png" alt="x">'),
                           "<img src>"),
    "career/tab.md": (FRONT("Tab", body='<img src="/&#9;/evil.example/x.png" alt="x">'), "<img src>"),
    "career/md-image.md": (FRONT("Md image", body="![x](\\\\\\\\evil.example/x.png)"), "<img src>"),
    "career/odd-file.md": (FRONT("Odd file", body='<img src="\\\\evil.example/x.png" alt="x">'), "<img src>"),
    "career/\\\\evil.example/x.png": (PNG, None),  # the file the URL above names, read as a path
    # Item 8: file names.
    f"career/{NEWLINE_NAME}.md": (FRONT("Evil name", tags="[nope]"), "U+000A"),
    f"{NEWLINE_NAME}/index.md": (FRONT("Evil index"), "U+000A"),
    f"{NEWLINE_NAME}/README.md": (FRONT("Evil readme"), "U+000A"),
    "career/bidi\u202egnp.png": (PNG, "U+202E"),
    "charts/bars.yml": (CHART, None),
    "charts/Bars.yml": (CHART, "case-insensitive file system"),
    "charts/wrong.yaml": (CHART, "end in '.yml'"),
    "charts/readme.txt": ("x", "only chart data files"),
    "charts/linked.yml": (None, "symbolic link"),
}


def write_cases(project: Path) -> None:
    for path, (content, _) in CASES.items():
        file = project / ("" if path.startswith("charts/") else "docs") / path
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        elif content is not None:
            file.write_text(content, encoding="utf-8")
    outside = project.parent / "outside-chart.yml"
    outside.write_text(CHART.replace("title: T", "title: PWNED secret"), encoding="utf-8")
    (project / "charts" / "linked.yml").symlink_to(outside)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("linked", tmp_path_factory.mktemp("outputs"))
    write_cases(project)
    return project


@pytest.fixture(scope="module")
def check(hostile):
    return run_check(hostile, github=True)


@pytest.fixture(scope="module")
def published(hostile):
    return build_project(hostile, strict=False)


def named(lines: Iterable[str], candidates: Iterable[str] = CASES) -> set[str]:
    """The cases whose file a problem line names (problems print names escaped)."""
    lines = [line.removeprefix("garden: ") for line in lines]
    return {path for path in candidates if any(line.startswith(f"{escaped(path)}:") for line in lines)}


def test_check_gives_each_case_its_verdict(check):
    assert check.returncode == 1
    lines = check.stderr.splitlines()
    for path, (_, expected) in CASES.items():
        own = [line for line in lines if line.startswith(f"{escaped(path)}:")]
        if expected is None:
            assert own == [], path
        else:
            assert any(expected in line for line in own), f"{path!r}: expected '{expected}' in {own}"


def test_check_and_the_strict_build_name_the_same_files(hostile, check):
    site = build_project(hostile, strict=True)
    assert site.aborted
    assert named(site.warnings) == named(check.stderr.splitlines())


def test_no_file_name_starts_a_workflow_command_in_either_log(published, check):
    for message in published.warnings:  # MkDocs' own lines too: it lists docs/ before any hook runs
        assert not any(line.lstrip().startswith("::") for line in message.splitlines()[1:]), message
    for line in (check.stdout + check.stderr).splitlines():
        assert not line.startswith("::") or line.startswith("::error file="), line


def test_a_non_strict_build_publishes_nothing_that_runs_or_was_refused(published):
    for path, content in published.all_text_files().items():
        assert "PWNED" not in content, path
    for path, (_, expected) in CASES.items():
        if expected is not None and not path.endswith(".md") and not path.startswith("charts/"):
            kept = published.site / path
            assert not kept.is_file() or "PWNED" not in kept.read_text(errors="replace"), path
    assert (published.site / "feed.xml").is_file()
    assert not (published.site / "career" / "Growth").exists()
    assert {p.name for p in (published.site / "career").iterdir()} >= {"growth", "ok.png", "caf\u00e9"}
    assert not (published.site / "career" / unicodedata.normalize("NFD", "caf\u00e9")).exists()
    assert published.article("career/").select_one('a[href="growth/"]') is not None  # the generated index
    assert published.article("career/growth/").find("h1").get_text(strip=True).startswith("Growing")


def test_a_non_strict_build_loads_nothing_from_another_host_and_keeps_one_config(published):
    for page in published.site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert len(soup.select('[id="__config"]')) <= 1, page  # alias redirect pages have none
        for element in soup.select("[src]"):
            assert "evil.example" not in element["src"], (page, element)
        assert not soup.select('[id="__search"]:not(input)'), page
    for sheet in published.site.rglob("*.css"):
        assert "evil.example" not in sheet.read_text(encoding="utf-8"), sheet


# --- The namespace of outputs -------------------------------------------------------------

_NAME = st.text(alphabet="abAB\u00e9-_.", min_size=1, max_size=6).filter(lambda n: n not in (".", ".."))


@settings(max_examples=60, deadline=None)
@given(st.lists(_NAME, max_size=2), st.one_of(_NAME, st.sampled_from(["index", "README"])),
       st.sampled_from([".md", ".png", ".css"]), st.booleans())
def test_an_output_path_is_where_mkdocs_writes_the_file(folders, name, suffix, directory_urls):
    source = "/".join([*folders, name + suffix])
    assert output_path(source, directory_urls) == File(source, "", "", directory_urls).dest_uri


@pytest.mark.parametrize(("first", "second"), [
    ("career/growth/index.html", "career/Growth/index.html"),
    ("career/caf\u00e9/index.html", "career/cafe\u0301/index.html"),
    ("career/\ufb01le.png", "career/file.png"),
    ("feed.xml", "feed.xml/x.png"),
    ("career/x/y.png", "career/x"),
    ("career/STRASSE.png", "career/stra\u00dfe.png"),
])
def test_names_equal_up_to_case_or_normalisation_or_a_folder_collide(first, second):
    namespace = Namespace()
    held = Claim(first, "first")
    assert namespace.claim(held) is None
    assert namespace.claim(Claim(second, "second")) == held


def test_distinct_names_and_shared_folders_do_not_collide():
    namespace = Namespace()
    for output in ("career/a/index.html", "career/b/index.html", "career/a/x.png", "career/index.html"):
        assert namespace.claim(Claim(output, output)) is None
    assert len(namespace) == 4
    assert namespace.holder("CAREER/A/X.PNG") == Claim("career/a/x.png", "career/a/x.png")


def test_the_site_claims_its_own_files_and_the_themes_folders_first():
    namespace = site_namespace(True, tags=["career"])
    for output in ("feed.xml", "feed-career.xml", "previews.json", "sitemap.xml", "404.html",
                   "tags/career/index.html", "changelog/index.html", "graph/index.html"):
        assert namespace.claim(Claim(output, "a file of docs/")) is not None, output
    theme = namespace.holder("assets/javascripts/bundle.js")
    assert theme is not None and "theme folder" in theme.owner
    assert namespace.copy().claim(Claim("career/x/index.html", "x")) is None
    assert namespace.holder("career/x/index.html") is None  # a copy's claims are its own


def test_every_file_the_build_wrote_was_claimed_before_writing(published):
    project, _ = read_project(published.project / "mkdocs.yml")
    assert project is not None
    garden = build_garden(Settings.for_project(project))
    redirects = {output_path(redirect.path) for redirect in alias_redirects(garden)[0]}
    written = [p.relative_to(published.site).as_posix() for p in published.site.rglob("*") if p.is_file()]
    assert redirects and len(written) > 50
    assert [path for path in written if garden.outputs.holder(path) is None and path not in redirects] == []
    assert not [w for w in published.warnings if "does not know it" in w]


def test_an_alias_and_a_note_equal_up_to_case_are_a_conflict(tmp_path):
    garden = make_garden(tmp_path, {"career/Old-Name.md": note_text("Old"),
                                    "career/new.md": note_text("New", aliases="[old name]")})
    assert any("career/new.md:6: the alias 'old name'" in str(p) and "case-insensitive" in str(p)
               for p in garden.problems)


# --- URLs as a browser reads them ---------------------------------------------------------

@pytest.mark.parametrize("url", [  # each also passed the same-host test before browsers' reading
    "\\\\evil.example/x.png", "/\\evil.example/x.png", "\\/evil.example/x.png", "\\\\\\evil.example/x.png",
    " \\\t\\evil.example/x.png", "/\n\\evil.example/x.png", "\x01\\\\evil.example/x.png",
    "\x1f\\\\evil.example/",
])
def test_a_url_that_leaves_the_site_is_refused_however_it_is_written(url):
    assert not url_allowed("img", "src", url)
    written = html.escape(url).replace("\\", "&#92;").replace("\t", "&#9;")
    report = inspect_html(f'<img src="{written}" alt="x">')
    assert [v.what for v in report.violations if "<img src>" in v.what]
    assert "evil.example" not in sanitize(f'<img src="{written}" alt="x">')


@pytest.mark.parametrize("url", ["x.png", "../career/x.png", "%68ttps://evil.example/x.png",
                                 "https%3A//evil.example/x.png", "data:image/png;base64,AA=="])
def test_a_url_a_browser_reads_as_ours_stays_allowed(url):
    assert url_allowed("img", "src", url)
    assert not browser_url(url).startswith("//")


_SLASH = st.sampled_from(["/", "\\"])
_NOISE = st.sampled_from(["", "\t", "\n", "\r"])


@settings(max_examples=80, deadline=None)
@given(_SLASH, _NOISE, _SLASH, st.sampled_from(["", " ", "\x00", "\x1f"]),
       st.sampled_from(["", "https:", "HTTP:"]))
def test_any_slash_and_whitespace_spelling_of_another_host_is_refused(first, noise, second, lead, scheme):
    url = f"{lead}{scheme}{first}{noise}{second}evil.example/x.png"
    assert browser_url(url).lower().startswith(("//", "https://", "http://"))
    assert not url_allowed("img", "src", url)


def test_a_stylesheet_line_is_named():
    css = "a {}\n/* a\ncomment */\nb { background: url(//evil.example/a) }"
    problems = stylesheet_problems("assets/x.css", css)
    assert [(p.line, p.message) for p in problems] == [
        (4, "the stylesheet loads '//evil.example/a' from another host")]


# --- The pull request's summary -------------------------------------------------------------

def test_a_change_to_the_sites_scripts_or_styles_is_flagged_as_code(tmp_path):
    def garden(name: str, assets: dict[str, str]):
        folder = tmp_path / name
        (folder / "docs" / "assets").mkdir(parents=True)
        for path, text in assets.items():
            (folder / "docs" / "assets" / path).write_text(text, encoding="utf-8")
        return make_garden(folder, {"career/a.md": note_text("A")})

    old = garden("old", {"x.js": "1", "y.css": "a{}", "gone.js": "2"})
    new = garden("new", {"x.js": "1 + fetch('/')", "y.css": "a{}", "added.css": "b{}"})
    diff = diff_gardens(old, new)
    assert diff.code_changed == (("assets/added.css", "added"), ("assets/gone.js", "removed"),
                                 ("assets/x.js", "changed"))
    summary = render_markdown(diff, "main")
    assert "> [!CAUTION]" in summary and "edits the site's own code" in summary
    assert "> - assets/x\\.js (changed)" in summary  # escaped as every value from the garden
    same = diff_gardens(old, garden("same", {"x.js": "1", "y.css": "a{}", "gone.js": "2"}))
    assert same.code_changed == () and "site's own code" not in render_markdown(same, "main")


def test_the_real_gardens_other_files_are_its_own_scripts_and_styles():
    docs = REPO / "docs"
    others = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file() and p.suffix != ".md"]
    assert others and all(re.fullmatch(r"assets/[\w-]+\.(js|css)", path) for path in others)
    assert all(refused_because(path) is None for path in others)


def test_a_data_file_linked_to_a_regular_file_is_refused(tmp_path):
    real = tmp_path / "elsewhere.yml"
    real.write_text("career: Careers.\n", encoding="utf-8")
    (tmp_path / "tags.yml").symlink_to(real)
    vocabulary, problems = load_vocabulary(tmp_path / "tags.yml", "tags.yml")
    assert vocabulary is None
    assert [p.message for p in problems] == [
        "the tag vocabulary file is a symbolic link: the garden reads only regular files"]
