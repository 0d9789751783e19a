"""`make serve` serves exactly what a clean build gives, whatever sequence of saves led there.

The hand-picked edits of test_incremental.py cover one change of each kind; here random
sequences mix them: notes written, retitled, retagged, added, deleted, renamed, turned draft
or broken, sections appearing and vanishing, the first trail, source or glossary term added
and the last removed, and saves that keep a file's size and modification time (an edit within
the file system's timestamp resolution). After every save the served site is compared byte for
byte with a clean build of the same files.

The suite runs a fixed set of seeds; `GARDEN_SERVE_SEEDS=20 GARDEN_SERVE_STEPS=60 pytest
tests/test_serve_equivalence.py` runs a longer search on demand, and a failure names its
seed and the steps that led to it, so it can be replayed.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from conftest import copy_fixture, note_text
from test_incremental import Served

from garden import incremental

SEEDS = range(int(os.environ.get("GARDEN_SERVE_SEEDS", "3")))
STEPS = int(os.environ.get("GARDEN_SERVE_STEPS", "14"))
SECTIONS = ("career", "culture", "leadership")
TAGS = ("career", "culture", "leadership")
TERM = "postmortem"


class Gardener:
    """Makes one random save at a time to a served project, and says what it did."""

    def __init__(self, served: Served, seed: int) -> None:
        self.served, self.docs, self.project = served, served.docs, served.project
        self.random = random.Random(seed)
        self.serial = 0

    def notes(self) -> list[Path]:
        return sorted(p for p in self.docs.rglob("*.md") if p.relative_to(self.docs).as_posix() != "index.md")

    def slug(self) -> str:
        notes = self.notes()
        return self.random.choice(notes).stem if notes else "nowhere"

    def step(self) -> str:
        actions: list[Callable[[], str]] = [
            self.add_note, self.write_link, self.write_prose, self.retitle, self.retag, self.rename,
            self.delete_note, self.toggle_draft, self.break_front_matter, self.same_size_same_time,
            self.trails, self.sources, self.glossary]
        return self.random.choice(actions)()

    def add_note(self) -> str:
        self.serial += 1
        section = self.random.choice(SECTIONS)
        path = self.docs / section / f"n{self.serial}.md"
        path.parent.mkdir(exist_ok=True)
        body = f"Note {self.serial} links to [[{self.slug()}]] after a {TERM}."
        path.write_text(note_text(f"Note {self.serial}", f"[{self.random.choice(TAGS)}]", body=body),
                        encoding="utf-8")
        return f"add {path.relative_to(self.docs)}"

    def _edit(self, change: Callable[[str], str]) -> str:
        notes = self.notes()
        if not notes:
            return self.add_note()
        path = self.random.choice(notes)
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        return f"{change.__name__} {path.relative_to(self.docs)}"

    def write_link(self) -> str:
        target = self.slug()

        def link(text: str) -> str:
            return text.rstrip("\n") + f"\n\nIt also leans on [[{target}]].\n"
        return self._edit(link)

    def write_prose(self) -> str:
        def prose(text: str) -> str:
            return text.replace("links to", "points to", 1) if "links to" in text else text + "\nMore.\n"
        return self._edit(prose)

    def retitle(self) -> str:
        word = self.random.choice(("Alpha", "Beta", "Gamma", "Delta"))

        def title(text: str) -> str:
            return "\n".join(f"title: {word} {line[7:]}"[:60] if line.startswith("title: ") else line
                             for line in text.split("\n"))
        return self._edit(title)

    def retag(self) -> str:
        tags = sorted(self.random.sample(TAGS, self.random.randint(1, 2)))

        def tag(text: str) -> str:
            return "\n".join(f"tags: [{', '.join(tags)}]" if line.startswith("tags: ") else line
                             for line in text.split("\n"))
        return self._edit(tag)

    def rename(self) -> str:
        notes = self.notes()
        if not notes:
            return self.add_note()
        self.serial += 1
        old = self.random.choice(notes)
        new = self.docs / self.random.choice(SECTIONS) / f"renamed-{self.serial}.md"
        new.parent.mkdir(exist_ok=True)
        old.rename(new)
        self._drop_empty_sections()
        return f"rename {old.relative_to(self.docs)} → {new.relative_to(self.docs)}"

    def delete_note(self) -> str:
        notes = self.notes()
        if not notes:
            return self.add_note()
        path = self.random.choice(notes)
        path.unlink()
        self._drop_empty_sections()
        return f"delete {path.relative_to(self.docs)}"

    def _drop_empty_sections(self) -> None:
        for folder in self.docs.iterdir():
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def toggle_draft(self) -> str:
        def draft(text: str) -> str:
            return (text.replace("draft: true\n", "") if "draft: true\n" in text
                    else text.replace("created:", "draft: true\ncreated:", 1))
        return self._edit(draft)

    def break_front_matter(self) -> str:
        def front_matter(text: str) -> str:
            return text.replace("title: [", "title: ", 1) if "title: [" in text else text.replace(
                "title: ", "title: [", 1)
        return self._edit(front_matter)

    def same_size_same_time(self) -> str:
        """A save that changes a letter but neither the size nor the modification time: what an
        editor does twice within the file system's timestamp resolution."""
        notes = self.notes()
        if not notes:
            return self.add_note()
        path = self.random.choice(notes)
        status = path.stat()
        text = path.read_text(encoding="utf-8")
        swapped = text.replace("links to", "links To", 1) if "links to" in text else text.replace(
            "links To", "links to", 1)
        path.write_text(swapped, encoding="utf-8")
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
        kept = "changed" if swapped != text else "kept"
        return f"same size and time {path.relative_to(self.docs)} ({kept})"

    def trails(self) -> str:
        """No trail, or one of two notes: the trails index and its nav entry appear and vanish."""
        steps = [note.stem for note in self.notes()[:2]]
        trails = ({} if self.random.random() < 0.5 or len(steps) < 2 else
                  {"a-trail": {"title": "A trail", "description": "Two notes in order.", "steps": steps}})
        (self.project / "trails.yml").write_text(yaml.safe_dump(trails), encoding="utf-8")
        return f"trails: {len(trails)}"

    def sources(self) -> str:
        """No source, or one: the sources index and its nav entry appear and vanish."""
        sources = ({} if self.random.random() < 0.5 else
                   {"a-book": {"title": "A book", "description": "The one book the notes cite."}})
        (self.project / "sources.yml").write_text(yaml.safe_dump(sources), encoding="utf-8")
        return f"sources: {len(sources)}"

    def glossary(self) -> str:
        """No term, or one that some notes use: the glossary page and its nav entry appear and vanish."""
        terms = {} if self.random.random() < 0.5 else {TERM: "A review after an incident."}
        (self.project / "glossary.yml").write_text(yaml.safe_dump(terms), encoding="utf-8")
        return f"glossary: {len(terms)}"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    project = copy_fixture("linked", tmp_path)
    shutil.rmtree(project / "docs" / "culture")  # a smaller garden: more of its pages change per save
    served = Served(project)
    yield served
    incremental.end(str(project / "mkdocs.yml"))


@pytest.mark.parametrize("seed", SEEDS)
def test_random_saves_serve_what_a_clean_build_gives(served, seed):
    gardener = Gardener(served, seed)
    done: list[str] = []
    for _ in range(STEPS):
        done.append(gardener.step())
        served.rebuild()
        differences = served.differences()
        assert differences == [], f"seed {seed}, after: " + "; ".join(done)


def test_a_save_keeping_size_and_time_is_read_again(tmp_path):
    """Two saves within the file system's timestamp resolution leave size and time alike: the
    note is read again because its content differs, and only then."""
    from conftest import make_garden

    from garden.build import Settings, build_garden
    from garden.memo import Memo

    make_garden(tmp_path, {"career/a.md": note_text("Alpha", body="Alpha links to nothing.")})
    settings = Settings(docs_dir=tmp_path / "docs", tags_file=tmp_path / "tags.yml")
    memo = Memo()
    first = build_garden(settings, memo=memo)
    assert build_garden(settings, memo=memo).notes["career/a.md"] is first.notes["career/a.md"]
    note = tmp_path / "docs" / "career" / "a.md"
    status = note.stat()
    note.write_text(note.read_text(encoding="utf-8").replace("Alpha links", "Alpha Links"), encoding="utf-8")
    os.utime(note, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert note.stat().st_size == status.st_size and note.stat().st_mtime_ns == status.st_mtime_ns
    assert "Alpha Links" in build_garden(settings, memo=memo).notes["career/a.md"].body
