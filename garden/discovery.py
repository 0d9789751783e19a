"""Which files of `docs/` the garden reads, and which it refuses before reading a byte.

A pull request can add any kind of file: a symbolic link to `/dev/zero` or to a secret
outside the repository, a FIFO, a folder named `x.md`, a hidden note, a 50 MB note. Only
regular files inside `docs/` are ever opened, each bounded in size, and besides notes only
the types garden/assets.py allows (images, fonts, the site's own scripts and styles) are
published; a name with a control character is refused before anything prints it.
Everything else is a problem naming the file, and the MkDocs adapter drops it from the
site, so `check` and every build mode see exactly the same set of files.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from garden.assets import MAX_CODE_BYTES, code_digest, is_code, refused_because, stylesheet_problems
from garden.conventions import MARKDOWN_SUFFIXES, reserved_because
from garden.problems import UNSAFE_CHARACTERS, Problem, code_point, unsafe_character

UNPRINTABLE_PATH = re.compile("(?s).*" + UNSAFE_CHARACTERS.pattern)
"""A path with an unsafe character (a line break then `::error …`): refused here with its name
escaped, and never to be listed by an engine that prints names raw while it lists docs/
(MkDocs: "Excluding 'x' … because it conflicts with 'y'"), before any adapter sees the files."""

MAX_NOTE_BYTES = 256 * 1024
"""A note is an idea in a few hundred words (the largest today is under 10 KB)."""


@dataclass
class DocsFiles:
    """The files of `docs/`, sorted into what the garden reads and what it refused."""

    markdown: list[str] = field(default_factory=list)
    """Regular `.md` files of a readable size, by path relative to `docs/`."""
    stamps: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """(modification time in ns, size, inode) of each Markdown file: whether it changed."""
    other: set[str] = field(default_factory=set)
    """Every other published file: images, fonts, the site's own scripts and styles
    (garden/assets.py)."""
    code: dict[str, str] = field(default_factory=dict)
    """The site's own scripts and styles (`assets/*.js`, `assets/*.css`), each with a digest
    of its content: `garden diff` reports a change to them as a change to the site's code."""
    refused: set[str] = field(default_factory=set)
    """Files that must not reach the site, each with a problem below."""
    problems: list[Problem] = field(default_factory=list)


def discover(docs_dir: Path, project_pages: frozenset[str]) -> DocsFiles:
    """Walk `docs_dir` without following links; MkDocs leaves out hidden files and
    `templates/`, so those are skipped too (a hidden note is reported: it would vanish)."""
    found = DocsFiles()
    if not docs_dir.is_dir():
        found.problems.append(Problem(docs_dir.name, None, "the docs folder is missing",
                                      "create it, or fix 'docs_dir' in mkdocs.yml", in_docs=False))
        return found
    for folder, folders, files in os.walk(docs_dir, followlinks=False):
        relative_folder = Path(folder).relative_to(docs_dir).as_posix()
        prefix = "" if relative_folder == "." else f"{relative_folder}/"
        for name in sorted(folders):
            if os.path.islink(os.path.join(folder, name)):
                files.append(name)  # a link to a folder is judged like a link to a file
        folders[:] = sorted(name for name in folders if not _skipped(prefix + name)
                            and not os.path.islink(os.path.join(folder, name)))
        for name in sorted(files):
            path = prefix + name
            if not _skipped(path) or path.endswith(MARKDOWN_SUFFIXES):
                _sort_file(os.path.join(folder, name), path, project_pages, found)
    found.markdown.sort()
    return found


def _skipped(path: str) -> bool:
    """What MkDocs itself never publishes: dotfiles, dot-folders and `templates/`."""
    return any(part.startswith(".") for part in path.split("/")) or path.startswith("templates/")


def _sort_file(file: str, path: str, project_pages: frozenset[str], found: DocsFiles) -> None:
    """Sort one file of `docs/` as a note, another published file, or a refused one. `file` is
    a string, not a `Path`: `make serve` sorts every file of the garden on every save."""
    def refuse(message: str, hint: str) -> None:
        found.refused.add(path)
        found.problems.append(Problem(path, None, message, hint))

    if character := unsafe_character(path):
        return refuse(f"the file name contains the invisible character {code_point(character)}",
                      "rename it with visible characters only: file names are printed in logs, "
                      "where such a character could start a line of its own")
    try:
        status = os.lstat(file)
    except OSError as error:
        return refuse(f"the file cannot be read ({error.strerror})", "check its permissions")
    if stat.S_ISLNK(status.st_mode):
        return refuse("is a symbolic link: the site publishes only regular files inside docs/",
                      "replace the link with the file itself")
    if not stat.S_ISREG(status.st_mode):
        return refuse("is not a regular file (a device, pipe or socket)", "remove it from docs/")
    if _skipped(path):
        return refuse("is hidden (or under templates/): MkDocs never publishes it",
                      "rename it without the leading dot, or move it out of docs/")
    is_markdown = path.endswith(MARKDOWN_SUFFIXES)
    if is_markdown and not path.endswith(".md"):
        return refuse(f"a note must end in '.md', not '{Path(path).suffix}'",
                      f"rename it to {Path(path).stem}.md")
    if reason := reserved_because(path, project_pages):
        return refuse(f"this path is reserved: {reason}", "rename or move the file")
    if is_markdown and status.st_size > MAX_NOTE_BYTES:
        return refuse(f"the note is {status.st_size:,} bytes, over the limit of {MAX_NOTE_BYTES:,}",
                      "split it into several notes that link to each other")
    if is_markdown:
        found.markdown.append(path)
        found.stamps[path] = (status.st_mtime_ns, status.st_size, status.st_ino)
        return None
    if refused := refused_because(path):
        return refuse(*refused)
    if is_code(path):
        return _read_code(file, path, status.st_size, found)
    found.other.add(path)
    return None


def _read_code(file: str, path: str, size: int, found: DocsFiles) -> None:
    """One of the site's own scripts or styles: its digest, and a stylesheet held to the rule
    that the site loads nothing from another host (a refused one is not published)."""
    try:
        with open(file, "rb") as handle:
            data = handle.read(MAX_CODE_BYTES + 1)
    except OSError as error:
        found.refused.add(path)
        found.problems.append(Problem(path, None, f"the file cannot be read ({error.strerror})",
                                      "check its permissions"))
        return
    problems = ([Problem(path, None, f"the file is {size:,} bytes, over the limit of {MAX_CODE_BYTES:,}",
                         "keep the site's scripts and styles small")] if len(data) > MAX_CODE_BYTES else
                stylesheet_problems(path, data.decode("utf-8", errors="replace"))
                if path.lower().endswith(".css") else [])
    if problems:
        found.refused.add(path)
        found.problems += problems
        return
    found.code[path] = code_digest(data)
    found.other.add(path)
