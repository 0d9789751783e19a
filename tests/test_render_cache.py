"""The render cache on disk (garden/render_cache.py): a build with it publishes the same site,
byte for byte, as a build without it; a damaged or foreign cache is ignored and repaired; an
edit re-renders only the notes whose Markdown it changes; and a warm build reports every
problem a cold one does (policy violations, MkDocs' own link and anchor warnings), so the
strict build fails alike."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import BuiltSite, build_project, copy_fixture, note_text
from mkdocs.structure.pages import Page
from PIL import Image

from garden import render_cache
from garden.links import FoundLink, LinkParser, ParsedHeading
from garden.render_cache import CachedLinkParser, Store, cache_root, salt

ANCHORS = """Read [how to grow](growth.md#how-to-grow), [when to leave](leave.md) and [[growth]];
or [further down](#second-part), or [the sections](../index.md#sections).[^1]

![A diagram](diagram.png)

## First part

| a | b |
|:--|--:|
| 1 | 2 |

!!! note "Kept"
    An admonition.

## Second part { #second-part }

Text with ==a mark==.

[^1]: A footnote.
"""


NOTES = {"career/anchors.md", "career/growth.md", "career/leave.md", "culture/handler.md",
         "culture/lonely.md", "culture/safe-to-fail.md"}
"""The published notes of `_project`: the pages the render cache holds."""


def _project(tmp_path: Path) -> Path:
    """The `linked` fixture, and two notes more: one with headings, a table of contents, links to
    other notes' anchors and a footnote; one with an event handler (a policy violation)."""
    project = copy_fixture("linked", tmp_path)
    docs = project / "docs"
    (docs / "career" / "anchors.md").write_text(note_text("Anchors and links", body=ANCHORS),
                                                encoding="utf-8")
    Image.new("RGB", (4, 4), "white").save(docs / "career" / "diagram.png")
    (docs / "culture" / "handler.md").write_text(
        note_text("A handler", tags="[culture]", body='Press <span onclick="alert(1)">here</span>.'),
        encoding="utf-8")
    return project


def _build(project: Path, cache: Path, strict: bool = False) -> tuple[BuiltSite, dict[str, bytes]]:
    """The site built with `cache` as GARDEN_CACHE_DIR, and every file it holds."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GARDEN_CACHE_DIR", str(cache))
        built = build_project(project, strict=strict)
    files = {path.relative_to(built.site).as_posix(): path.read_bytes()
             for path in sorted(built.site.rglob("*")) if path.is_file()}
    return built, files


def _assert_same_site(expected: dict[str, bytes], actual: dict[str, bytes]) -> None:
    assert sorted(actual) == sorted(expected)
    assert [path for path in expected if actual[path] != expected[path]] == []


def _entries(cache: Path, kind: str) -> set[str]:
    return {entry.name for entry in (cache / kind).glob("*.json")}


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The Markdown MkDocs renders for each page it renders, by source path."""
    markdown: dict[str, str] = {}
    render = Page.render

    def spy(page: Page, *arguments: Any) -> None:
        markdown[page.file.src_uri] = page.markdown or ""
        render(page, *arguments)

    monkeypatch.setattr(Page, "render", spy)
    return markdown


def test_warm_and_cold_builds_publish_the_same_site(tmp_path, rendered):
    project, cache = _project(tmp_path), tmp_path / "cache"
    cold, cold_files = _build(project, cache)
    assert set(rendered) >= NOTES and len(_entries(cache, "pages")) == len(NOTES)
    assert _entries(cache, "parses")
    rendered.clear()
    warm, warm_files = _build(project, cache)
    assert NOTES.isdisjoint(rendered)  # no note rendered again
    _, uncached_files = _build(project, tmp_path / "empty")
    _assert_same_site(cold_files, warm_files)
    _assert_same_site(cold_files, uncached_files)
    # The policy's verdict is the cache's on a warm build: reported alike.
    assert warm.warnings == cold.warnings
    assert any("culture/handler.md:8: the attribute 'onclick' on <span> is not allowed" in warning
               for warning in warm.warnings)


def _damage(entry: Path, how: str, other: Path) -> None:
    data = entry.read_bytes()
    stored = json.loads(data)
    if how == "corrupt":
        entry.write_bytes(b"\x80\xff not JSON" + data[10:])
    elif how == "truncated":
        entry.write_bytes(data[:len(data) // 2])
    elif how == "other format":
        entry.write_text(json.dumps({**stored, "format": render_cache.ENTRY_FORMAT + 1}), encoding="utf-8")
    elif how == "another key's":
        entry.write_bytes(other.read_bytes())
    elif how == "wrong shape":
        entry.write_text(json.dumps({**stored, "value": {"html": 5}}), encoding="utf-8")
    else:
        entry.write_text("[[[" * 100_000, encoding="utf-8")


DAMAGES = ("corrupt", "truncated", "other format", "another key's", "wrong shape", "deeply nested")


def test_a_damaged_or_foreign_cache_is_ignored_and_repaired(tmp_path):
    project, cache = _project(tmp_path), tmp_path / "cache"
    cold, cold_files = _build(project, cache)
    damaged: list[tuple[Store, str]] = []
    for kind in ("pages", "parses"):
        entries = sorted((cache / kind).glob("*.json"))
        for entry, how in zip(entries, DAMAGES, strict=False):
            _damage(entry, how, entries[-1])
            damaged.append((Store(cache / kind), entry.stem))
        (cache / kind / "notes.txt").write_text("not an entry", encoding="utf-8")
        (cache / kind / f"{'0' * 64}.json").write_bytes(b"\x00\x01")
    warm, warm_files = _build(project, cache)
    _assert_same_site(cold_files, warm_files)
    assert warm.warnings == cold.warnings
    assert len(damaged) == 2 * len(DAMAGES)
    assert [key for store, key in damaged if store.read(key) is None] == []  # each made again
    # A cache folder that cannot be a folder (here, a file) only costs the renders.
    blocked = tmp_path / "blocked"
    blocked.write_text("a file", encoding="utf-8")
    blocked_build, blocked_files = _build(project, blocked)
    _assert_same_site(cold_files, blocked_files)
    assert blocked_build.warnings == cold.warnings


def test_an_edit_re_renders_only_the_notes_whose_markdown_it_changes(tmp_path, rendered):
    project, cache = _project(tmp_path), tmp_path / "cache"
    docs = project / "docs"
    _build(project, cache)
    pages, parses = _entries(cache, "pages"), _entries(cache, "parses")
    anchors = docs / "career" / "anchors.md"
    anchors.write_text(anchors.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    rendered.clear()
    _build(project, cache)
    assert len(_entries(cache, "pages") - pages) == 1 and len(_entries(cache, "parses") - parses) == 1
    assert sorted(NOTES & set(rendered)) == ["career/anchors.md"]
    # A new title changes the label of every wikilink to the note, so the linking notes'
    # Markdown: they are rendered again (growth itself, lonely's and anchors' [[growth]], and
    # leave's [[growth#How to grow]]); the others are not.
    growth = docs / "career" / "growth.md"
    growth.write_text(growth.read_text(encoding="utf-8").replace("Growing as an engineer", "Growing up"),
                      encoding="utf-8")
    pages = _entries(cache, "pages")
    rendered.clear()
    warm, warm_files = _build(project, cache)
    changed = sorted(NOTES & set(rendered))
    assert changed == ["career/anchors.md", "career/growth.md", "career/leave.md", "culture/lonely.md"]
    assert len(_entries(cache, "pages") - pages) == len(changed)
    assert "Growing up" in warm.article("culture/lonely/").get_text()
    _, cold_files = _build(project, tmp_path / "empty")
    _assert_same_site(cold_files, warm_files)


def test_a_warm_strict_build_fails_on_a_broken_link_as_a_cold_one_does(tmp_path, rendered):
    project, cache = _project(tmp_path), tmp_path / "cache"
    (project / "docs" / "culture" / "handler.md").unlink()
    built, _ = _build(project, cache, strict=True)
    assert not built.aborted, built.warnings

    def warm_and_cold(expected: str) -> bool:
        """A warm build and a cold one fail alike, with MkDocs' own warning `expected`; so does
        the next warm build (a render during which MkDocs warned is not cached). Whether the
        warm build rendered anchors.md again."""
        rendered.clear()
        warm, _ = _build(project, cache, strict=True)
        anchors_rendered = "career/anchors.md" in rendered
        cold, _ = _build(project, tmp_path / f"empty-{len(expected)}", strict=True)
        again, _ = _build(project, cache, strict=True)
        assert warm.aborted and cold.aborted and again.aborted
        assert warm.warnings == cold.warnings == again.warnings
        assert any(expected in warning for warning in warm.warnings), warm.warnings
        return anchors_rendered

    # anchors.md is unchanged, so is the Markdown MkDocs renders for it (a link to a project
    # page or a file is left as written), but what it links to is not. The home page loses the
    # heading it links to: its render is the cache's, and its links to anchors are checked.
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8").replace("## Sections", "## All sections"),
                    encoding="utf-8")
    assert not warm_and_cold("the doc 'index.md' does not contain an anchor '#sections'")
    # The image it shows is gone: the cached render looked it up, so it is rendered again.
    (project / "docs" / "career" / "diagram.png").unlink()
    assert warm_and_cold("contains a link 'diagram.png', but the target 'career/diagram.png' is not found")


# --- the store, keys and parses, without a build -----------------------------------------------


def test_the_store_keeps_whole_entries_and_misses_anything_else(tmp_path):
    store = Store(tmp_path / "kind")
    assert store.read("a" * 64) is None
    store.write("a" * 64, {"x": [1, "two"]})
    assert store.read("a" * 64) == {"x": [1, "two"]}
    entry = tmp_path / "kind" / f"{'a' * 64}.json"
    for damaged in (b"", b"{", b"\xff\xfe", b"[]", b'{"format": 1, "key": "b", "value": 1}', b"1" * 10):
        entry.write_bytes(damaged)
        assert store.read("a" * 64) is None
    entry.unlink()
    entry.mkdir()  # an entry's name taken by a folder: read and write fail, quietly
    store.write("a" * 64, 1)
    assert store.read("a" * 64) is None


def test_the_store_keeps_the_most_recently_used_entries(tmp_path):
    store = Store(tmp_path)
    keys = [f"{index:064x}" for index in range(render_cache.KEPT_AT_LEAST + 10)]
    for age, key in enumerate(keys):
        store.write(key, age)
        os.utime(tmp_path / f"{key}.json", (1_000_000 + age, 1_000_000 + age))
    store.read(keys[0])  # used now: the newest
    (tmp_path / ".left-behind.tmp").write_text("", encoding="utf-8")
    os.utime(tmp_path / ".left-behind.tmp", (0, 0))
    store.prune(notes=1)
    kept = {path.stem for path in tmp_path.iterdir()}
    assert kept == {keys[0], *keys[11:]}


def test_parses_come_back_from_the_cache_equal(tmp_path):
    extensions = ["attr_list", "footnotes", {"toc": {"permalink": True}}]
    text = ("# Title {#top}\n\nA [link](a.md 'title') and ![image](i.png).[^1]\n\n[^1]: Note.\n\n"
            '[ref]: b.md\n\n<p><a href="c.md">c</a></p>\n')
    parsed = LinkParser(extensions).parse(text)
    cached = CachedLinkParser(extensions, tmp_path)
    assert cached.parse(text) == parsed and len(list((tmp_path / "parses").iterdir())) == 1
    again = CachedLinkParser(extensions, tmp_path).parse(text)
    assert again == parsed and again.references == parsed.references == {"ref": "b.md"}
    # Every field came back: links of each kind, ids, headings.
    links = {FoundLink("a.md"), FoundLink("i.png", image=True), FoundLink("c.md", raw_html=True)}
    assert links <= set(again.links)
    assert {"top", "fn:1"} <= again.anchors and again.headings == (ParsedHeading(1, "top", "Title"),)
    # Other extensions, another key: parsed again.
    CachedLinkParser(["attr_list"], tmp_path).parse(text)
    assert len(list((tmp_path / "parses").iterdir())) == 2


def test_what_has_no_version_cannot_be_keyed():
    assert salt(["toc", "pymdownx.mark"], {}, (), "") is not None
    assert salt(["conftest"], {}, (), "") is None  # a module of the project: its code has no version
    from markdown.extensions.toc import slugify  # a function of an installed package: named
    assert salt([], {"toc": {"slugify": slugify}}, (), "") is not None
    assert salt([], {"x": {"format": test_what_has_no_version_cannot_be_keyed}}, (), "") is None
    assert salt([], {"x": {"value": object()}}, (), "") is None
    from markdown.extensions.toc import TocExtension  # an object holds a configuration unseen
    assert salt([TocExtension(permalink=True)], {}, (), "") is None


def test_the_cache_folder_is_named_once(tmp_path, monkeypatch):
    from garden.cards import cache_folder
    monkeypatch.delenv("GARDEN_CACHE_DIR", raising=False)
    assert cache_root(tmp_path) == tmp_path / ".cache" / "garden"
    monkeypatch.setenv("GARDEN_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_folder(tmp_path) == cache_root(tmp_path) / "cards" == tmp_path / "elsewhere" / "cards"


def test_a_page_is_found_only_under_its_markdown_address_and_lookups(tmp_path):
    pages = render_cache.PageCache(tmp_path, ["toc"], {}, ())
    lookups: dict[str, render_cache.Target] = {"b.md": ("b/", False)}
    render = pages.find("# A", "a.md", "a/", lookups.get)
    assert render.key is not None and render.found is None  # nothing stored yet: the engine renders
    stored = render_cache.RenderedPage("<h1>A</h1>", (), [], frozenset(), "A", {}, lookups)
    pages.write(render.key, stored)
    assert pages.find("# A", "a.md", "a/", lookups.get).found == stored
    assert pages.find("# A", "a.md", "other/", lookups.get).found is None
    assert pages.find("# A", "a.md", "a/", {"b.md": ("moved/", False)}.get).found is None
