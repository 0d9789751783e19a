"""What the search index holds besides a page's text: a note's aliases, and the other
spellings of the compound words it uses.

Material's search (lunr) matches words, so "postmortem" never finds "post-mortem" (two words
to lunr) and the reverse. The garden knows every hyphenated compound its notes write; each
search entry gets, in a field readers never see, the other forms of the compounds its text
contains: "post-mortems" adds "postmortems", "postmortems" adds "post mortems". Built from
the model once per build (one pass over the notes), then read per page.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from garden.model import Garden, Note

_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]{2,})-([^\W\d_]{2,})(?![\w-])")
"""Two words joined by one hyphen, not part of a longer chain ("safe-to-fail", a slug)."""
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class CompoundWords:
    """Every hyphenated compound the notes write ("post-mortem"), by its joined form ("postmortem")."""

    joined: dict[str, tuple[str, str]]
    pairs: frozenset[tuple[str, str]]


def compound_words(garden: Garden) -> CompoundWords:
    joined: dict[str, tuple[str, str]] = {}
    for note in garden.notes.values():
        for text in (note.title, note.meta.summary, note.body):
            for first, second in _compounds_in(text):
                joined.setdefault(first + second, (first, second))
    return CompoundWords(joined, frozenset(joined.values()))


@functools.lru_cache(maxsize=20_000)
def _compounds_in(text: str) -> list[tuple[str, str]]:
    """The hyphenated compounds of one text. Kept: under `make serve` a save changes one note,
    and the others' texts are the same strings as at the previous build."""
    return _HYPHENATED.findall(text.lower())


def spelling_variants(text: str, compounds: CompoundWords) -> str:
    """The other spellings of the compounds in `text`: joined, and as two words."""
    if not compounds.joined:
        return ""
    words = _WORD.findall(text.lower())
    found: dict[str, None] = {}  # insertion-ordered: the index is the same on every build
    for index, word in enumerate(words):
        if word in compounds.joined:
            found[" ".join(compounds.joined[word])] = None
        if index + 1 < len(words) and (word, words[index + 1]) in compounds.pairs:
            found[word + words[index + 1]] = None
    return " ".join(found)


_INNER_COLON = re.compile(r"(?<=[^\W_]):(?=[^\W_])")


def alias_text(note: Note) -> str:
    """A note's aliases, as one searchable text. A colon inside a word ("1:1") is dropped, as the
    search worker (docs/assets/search-worker.js) drops it from queries: lunr reads "1:" as the
    name of a field, so a query can never hold it."""
    return _INNER_COLON.sub("", " · ".join(note.meta.aliases))
