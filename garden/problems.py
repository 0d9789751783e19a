"""Validation problems: values, collected for a whole run and reported together.

A problem is addressed to the person editing a note. It names the file relative to
`docs/`, the line where it is known, what is wrong and how to fix it. How a problem
is printed (terminal, MkDocs log, GitHub annotation) is the adapter's choice.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
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

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}" + (f" — {self.hint}" if self.hint else "")

    def as_github_annotation(self, docs_prefix: str = "docs/") -> str:
        """The workflow command that makes GitHub show this problem on the PR diff."""
        text = self.message + (f" — {self.hint}" if self.hint else "")
        # Workflow commands need %, CR and LF escaped in the message part.
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        location = f"file={docs_prefix if self.in_docs else ''}{self.path}"
        if self.line:
            location += f",line={self.line}"
        return f"::error {location}::{text}"


def did_you_mean(wrong: str, candidates: Iterable[str]) -> str:
    """A "did you mean …" hint for a misspelt name, or "" when nothing is close."""
    close = difflib.get_close_matches(wrong.lower(), sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
