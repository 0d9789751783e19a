"""Validation problems: values, collected for a whole run and reported together.

A problem is addressed to the person editing a note. It names the file relative to
`docs/`, the line where it is known, what is wrong and how to fix it. How a problem
is printed (terminal, MkDocs log, GitHub annotation) is the adapter's choice.

A problem quotes what the editor wrote (a tag, a file name), and anyone can open a pull
request, so every printed form escapes that text: a quoted newline must not start a line
of its own in a CI log, where a line beginning with `::` is a GitHub workflow command.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF)
                                           for plane in range(0, 0x110000, 0x10000))
"""The Unicode non-characters, as the inside of a regular expression's character class:
never text, and XML (the feeds) cannot hold U+FFFE and U+FFFF."""
UNSAFE_CHARACTERS = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069{NONCHARACTERS}]")
"""C0 and C1 control characters (tab, line breaks, NUL, DEL…), the Unicode line and paragraph
separators, the bidirectional overrides and isolates that make text display in another
order than it reads ("Trojan Source"), and the non-characters. None belongs in a one-line
value or a log line."""


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that `UNSAFE_CHARACTERS` refuses, if any."""
    found = UNSAFE_CHARACTERS.search(text)
    return found.group() if found else None


def code_point(character: str) -> str:
    """How a message names an invisible character: U+000A."""
    return f"U+{ord(character):04X}"


@functools.total_ordering
@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    path: str
    """File relative to `docs/` (or to the project, for the tag vocabulary)."""
    line: int | None
    """1-based line in that file, when known."""
    message: str
    """What is wrong, in the editor's terms."""
    hint: str = ""
    """How to fix it, e.g. "did you mean 'career'?"."""
    in_docs: bool = True
    """False for project files outside `docs/` (the tag vocabulary, chart data)."""

    def sort_key(self) -> tuple[str, int, str, str, bool]:
        """File, then line (a problem on the whole file first): never compares a line with None."""
        return self.path, self.line or 0, self.message, self.hint, self.in_docs

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        """The human line (terminal, MkDocs log): one line, never a workflow command."""
        # A runner reads a line as a command when it starts with '::' after leading blanks.
        path = f"./{self.path}" if self.path.startswith(":") or self.path[:1].isspace() else self.path
        where = f"{path}:{self.line}" if self.line else path
        return UNSAFE_CHARACTERS.sub(_escaped, f"{where}: {self._text()}")

    def as_github_annotation(self, docs_prefix: str = "docs/",
                             command: Literal["error", "notice"] = "error") -> str:
        """The workflow command that makes GitHub show this problem on the PR diff (a `notice`
        for advice, which fails nothing)."""
        file = (docs_prefix if self.in_docs else "") + self.path
        location = f"file={_escape_property(file)}"
        if self.line:
            location += f",line={self.line}"
        return f"::{command} {location}::{_escape_data(self._text())}"

    def _text(self) -> str:
        return self.message + (f" — {self.hint}" if self.hint else "")


def _escaped(match: re.Match[str]) -> str:
    """A character as Python would write it in a string literal: \\n, \\x00, \\u202e."""
    return match.group().encode("unicode_escape").decode("ascii")


def escaped(text: str) -> str:
    """`text` with every character `UNSAFE_CHARACTERS` refuses written as an escape: one line."""
    return UNSAFE_CHARACTERS.sub(_escaped, text)


def _escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command's message (%, CR and LF); the other invisible
    characters as in the human line, since some readers of the log break lines at them too."""
    return UNSAFE_CHARACTERS.sub(_escaped, text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value: the message's, plus ':' and ','."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def did_you_mean(wrong: str, candidates: Iterable[str]) -> str:
    """A "did you mean …" hint for a misspelt name, or "" when nothing is close."""
    close = difflib.get_close_matches(wrong.lower(), sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
