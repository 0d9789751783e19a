"""`make serve` rebuilds only what an edit touches, and the site it serves equals a clean build.

Each step edits the garden, rebuilds incrementally exactly as `mkdocs serve --dirty` does
(a fresh configuration per rebuild, one output folder kept), builds the same notes cleanly
into another folder, and compares the two sites file by file. A second assertion keeps the
test honest: pages the edit does not touch were not rewritten.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from conftest import copy_fixture, note_text, project_config
from mkdocs.commands.build import build
from mkdocs.config import load_config

from garden import incremental
from garden.incremental import pages_to_rebuild

SERVE_URL = "http://127.0.0.1:8000/"


def notes() -> dict[str, str]:
    """Ten notes in two sections: enough for most pages to have nothing to do with an edit."""
    texts = {
        "career/a.md": note_text("Alpha", "[career]", body="Alpha links to [[beta]] in this sentence."),
        "career/b.md": note_text("Beta", "[career, culture]", body="Beta stands on its own.",
                                 aliases="[beta]"),
        "career/c.md": note_text("Gamma", "[career]", body="Gamma links to [[Alpha]]."),
        "culture/d.md": note_text("Delta", "[culture]", body="Delta links to [[Beta]]."),
    }
    for index in range(6):
        body = f"Quiet note {index} links to [[quiet-{(index + 1) % 6}]]. It keeps a postmortem."
        texts[f"culture/quiet-{index}.md"] = note_text(f"Quiet {index}", "[leadership]", body=body)
    return texts


class Served:
    """A project served incrementally into `site`, and built cleanly into `clean` for comparison."""

    def __init__(self, project: Path, given_relatively: bool = False) -> None:
        self.project = project
        self.docs = project / "docs"
        self.serve_config = project_config(project)
        self.clean_config = project / "mkdocs-clean.yml"
        shutil.copy(self.serve_config, self.clean_config)
        self.site, self.clean = project / "served", project / "clean"
        # What MkDocs loads each configuration from; `mkdocs serve -f project/mkdocs.yml` gives
        # an open file, named relatively, which MkDocs closes and then reopens by its absolute path.
        self.config_file: str | IO[bytes] = (
            open(os.path.relpath(self.serve_config), "rb")  # noqa: SIM115  # closed by load_config
            if given_relatively else str(self.serve_config))
        config = load_config(self.config_file, site_dir=str(self.site))
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url=SERVE_URL, dirty=True)

    def rebuild(self) -> dict[str, int]:
        """One save under `mkdocs serve --dirty`; returns the modification times before it."""
        before = {p.relative_to(self.site).as_posix(): p.stat().st_mtime_ns
                  for p in self.site.rglob("*.html")}
        build(load_config(self.reopened(), site_dir=str(self.site)), serve_url=SERVE_URL, dirty=True)
        return before

    def reopened(self) -> str | IO[bytes]:
        """What a rebuild loads the configuration from: the file given, or, once the first load
        closed it, its name as given (ProperDocs' `serve` reopens it so; MkDocs' loader does the
        same when handed the closed file)."""
        if isinstance(self.config_file, str) or not self.config_file.closed:
            return self.config_file
        return str(self.config_file.name)

    def rewritten(self, before: dict[str, int]) -> set[str]:
        return {path for path, mtime in before.items()
                if (self.site / path).exists() and (self.site / path).stat().st_mtime_ns != mtime}

    def differences(self) -> list[str]:
        build(load_config(str(self.clean_config), site_dir=str(self.clean)), serve_url=SERVE_URL)
        served = {p.relative_to(self.site).as_posix() for p in self.site.rglob("*") if p.is_file()}
        clean = {p.relative_to(self.clean).as_posix() for p in self.clean.rglob("*") if p.is_file()}
        differ = {path for path in served & clean
                  if (self.site / path).read_bytes() != (self.clean / path).read_bytes()}
        return sorted(served ^ clean) + sorted(differ)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    project = copy_fixture("linked", tmp_path)
    shutil.rmtree(project / "docs" / "career")
    shutil.rmtree(project / "docs" / "culture")
    for path, text in notes().items():
        (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / path).write_text(text, encoding="utf-8")
    yield Served(project)
    incremental.end(str(project / "mkdocs.yml"))


def edit(path: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(docs: Path) -> None:
        file = docs / path
        file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")
    return apply


def rename(old: str, new: str) -> Callable[[Path], object]:
    return lambda docs: (docs / old).rename(docs / new)


EDITS: dict[str, Callable[[Path], object]] = {
    "add a link": edit("culture/d.md", lambda t: t.replace("[[Beta]].", "[[Beta]] and [[Gamma]].")),
    "write away from the links": edit("career/a.md", lambda t: t + "\nA paragraph that links nowhere.\n"),
    "embed a note": edit("culture/quiet-0.md", lambda t: t + "\n![[beta]]\n"),
    "edit an embedded note": edit("career/b.md", lambda t: t.replace("on its own.", "on its own, embedded.")),
    "remove a link": edit("career/a.md", lambda t: t.replace("[[beta]]", "Beta")),
    "change a title": edit("career/b.md", lambda t: t.replace("title: Beta", "title: Beta renamed")),
    "change tags": edit("career/c.md", lambda t: t.replace("tags: [career]", "tags: [culture]")),
    "rename a note": rename("career/c.md", "career/gamma.md"),
    "make a note a draft": edit("culture/d.md", lambda t: t.replace("created:", "draft: true\ncreated:")),
    "break front matter": edit("career/a.md", lambda t: t.replace("title: Alpha", "title: [Alpha")),
    "fix front matter": edit("career/a.md", lambda t: t.replace("title: [Alpha", "title: Alpha")),
    # Search finds "postmortem" as "post-mortem" once a note writes it so: every page's entry may change.
    "write a new compound": edit("career/a.md", lambda t: t.replace("sentence.", "sentence, post-mortem.")),
    "add a note": lambda docs: (docs / "career" / "e.md").write_text(
        note_text("Epsilon", "[career]", body="Epsilon links to [[Alpha]] and [[beta]].")),
    "delete a note": lambda docs: (docs / "career" / "e.md").unlink(),
}


def test_a_sequence_of_edits_serves_exactly_what_a_clean_build_gives(served):
    assert served.differences() == []
    for name, apply in EDITS.items():
        apply(served.docs)
        served.rebuild()
        assert served.differences() == [], name


def test_a_configuration_named_relatively_is_served_incrementally(tmp_path, monkeypatch):
    """`mkdocs serve -f project/mkdocs.yml` hands MkDocs an open file named relatively: the first
    build knows the configuration by that name, the rebuilds (reopening it) by its absolute path."""
    project = copy_fixture("linked", tmp_path)
    monkeypatch.chdir(tmp_path)
    served = Served(project, given_relatively=True)
    try:
        (served.docs / "career" / "new.md").write_text(
            note_text("Newly linking", "[career]", body="It links to [[Growing as an engineer]]."),
            encoding="utf-8")
        served.rebuild()
        assert served.differences() == []
    finally:
        incremental.end(str(project / "mkdocs.yml"))


def test_an_edit_rewrites_the_pages_it_touches_and_no_other_note(served):
    EDITS["add a link"](served.docs)
    rewritten = served.rewritten(served.rebuild())
    notes_rewritten = {path for path in rewritten
                       if path.startswith(("career/", "culture/")) and path.count("/") == 2}
    # Delta itself, Gamma (a new backlink) and Beta (Delta's sentence quoted under it changed).
    assert notes_rewritten == {"culture/d/index.html", "career/c/index.html", "career/b/index.html"}
    assert not any(path.startswith("culture/quiet-") for path in rewritten)


def test_the_pages_an_edit_touches_are_named_from_the_two_gardens(tmp_path):
    from conftest import make_garden

    before = make_garden(tmp_path / "before", notes())
    changed = notes()
    changed["career/b.md"] = changed["career/b.md"].replace("summary: What Beta", "summary: Now Beta")
    after = make_garden(tmp_path / "after", changed)
    # Beta's summary shows on its own page, in the previews of the notes linking to it (Alpha,
    # Delta) and in the related notes of Gamma, which shares its tag; not on the quiet notes.
    assert pages_to_rebuild(before, after) == {"career/b.md", "career/a.md", "culture/d.md", "career/c.md"}


@pytest.mark.parametrize(("change", "touched"), [
    # Beta's "Linked from" quotes Alpha's sentence, which stays; Gamma shows Alpha's title only.
    (lambda text: text + "\nA paragraph that links nowhere.\n", {"career/a.md"}),
    (lambda text: text.replace("in this sentence", "in this longer sentence"),
     {"career/a.md", "career/b.md"}),
    (lambda text: text.replace("title: Alpha", "title: Alpha renamed"),
     {"career/a.md", "career/b.md", "career/c.md"}),
], ids=["a paragraph away from links", "the sentence around a link", "the title"])
def test_notes_around_an_edited_note_are_touched_only_when_they_show_the_change(tmp_path, change, touched):
    from conftest import make_garden

    before = make_garden(tmp_path / "before", notes())
    changed = notes()
    changed["career/a.md"] = change(changed["career/a.md"])
    assert pages_to_rebuild(before, make_garden(tmp_path / "after", changed)) == touched


def test_the_related_notes_a_session_keeps_are_those_the_new_garden_ranks(tmp_path):
    """A save ranks again only the related notes it may change; the lists kept for the next
    save are those the new garden gives, the others the very lists of the previous one."""
    from conftest import make_garden

    from garden.memo import Memo

    before = make_garden(tmp_path / "before", notes())
    related = Memo()
    kept_before = {path: before.related_to(note) for path, note in before.notes.items()}
    for path, lists in kept_before.items():
        related.keep(path, lists)
    changed = notes()
    # Gamma now links to Beta: it leaves Beta's related notes, the very list of the quiet notes stays.
    changed["career/c.md"] = changed["career/c.md"].replace("[[Alpha]].", "[[Alpha]] and [[beta]].")
    after = make_garden(tmp_path / "after", changed)
    pages_to_rebuild(before, after, related)
    kept = {path: lists for path in after.notes if (lists := related.last(path, list)) is not None}
    assert {path for path in kept if path.startswith("culture/quiet-")} == {
        f"culture/quiet-{index}.md" for index in range(6)}  # another tag: not ranked again
    assert all(kept[path] is kept_before[path] for path in kept if path.startswith("culture/quiet-"))
    assert "career/c.md" in {note.path for note in kept_before["career/b.md"]}
    assert all([note.path for note in lists] == [note.path for note in after.related_to(after.notes[path])]
               for path, lists in kept.items())


def test_links_are_resolved_again_only_for_notes_whose_targets_changed(tmp_path):
    from conftest import make_garden

    from garden.build import Settings, build_garden
    from garden.memo import Memo

    make_garden(tmp_path, notes())
    settings = Settings(docs_dir=tmp_path / "docs", tags_file=tmp_path / "tags.yml")
    memo = Memo()
    before = build_garden(settings, memo=memo)
    beta = tmp_path / "docs" / "career" / "b.md"
    text = beta.read_text(encoding="utf-8")
    beta.write_text(text.replace("title: Beta", "title: Beta renamed"), encoding="utf-8")
    after = build_garden(settings, memo=memo)
    # The quiet notes' links are the very objects of the previous build; Alpha's and Delta's,
    # which name the renamed note, were resolved again and show its new title.
    assert after.links["culture/quiet-0.md"][0] is before.links["culture/quiet-0.md"][0]
    assert after.links["career/a.md"][0] is not before.links["career/a.md"][0]
    assert after.links["career/a.md"][0].target.title == "Beta renamed"
    assert [link.label for link in after.links["culture/d.md"]] == ["Beta"]  # typed as a name: kept
    assert after.links == build_garden(settings).links  # the same as a build without the memo


@pytest.mark.parametrize("folder", incremental.CODE_FOLDERS)
def test_the_server_asks_for_a_restart_when_any_of_its_code_changes(tmp_path, folder):
    """MkDocs loads hook files once per process, and what they import stays loaded: a change to
    the code of any of the three folders needs a restart, which the server says."""
    for name in incremental.CODE_FOLDERS:
        (tmp_path / name).mkdir()
        (tmp_path / name / "code.py").write_text("", encoding="utf-8")
        os.utime(tmp_path / name / "code.py", (1_000_000, 1_000_000))
    assert not incremental.code_changed_since(tmp_path, imported_at=2_000_000.0)
    os.utime(tmp_path / folder / "code.py", (3_000_000, 3_000_000))
    assert incremental.code_changed_since(tmp_path, imported_at=2_000_000.0)
