"""The glossary (`glossary.yml`): terms defined once, met in place.

Each term becomes a Markdown abbreviation (`*[MTTR]: Mean time to resolution…`) appended to
every note that uses it, so Python-Markdown's `abbr` extension wraps each occurrence in
`<abbr title>` and Material's tooltips show the definition on hover. The glossary page lists
every term with its definition and the notes that use it. Terms match as `abbr` matches them:
whole words, case-sensitive, outside code; `also` lists other written forms (plurals,
a capitalised form at the start of a sentence).

A term says where it comes from: `source` cites the document that uses it (an id of
`sources.yml`, or `feed/essay`, checked as a note's citations are), or `ours: true` marks a
term the garden coined itself, so that a reader can tell the sources' vocabulary from ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garden.problems import Problem, code_point, unsafe_character
from garden.safe_yaml import read_yaml_file
from garden.sources import Source, citation_problem

_HOW = "write one 'term: definition' line per term (or 'term: {definition: …, also: [other forms]}')"
_FIELDS = ("definition", "also", "source", "ours")
MAX_TERMS = 500
"""Terms in the glossary: each is matched in every note and may be appended to it; thirty times
the garden's count."""
MAX_FORMS = 10
"""Written forms of one term (the term and its `also` forms)."""
MAX_LENGTHS = {"term": 100, "definition": 500}
"""The longest term or form and definition, in characters: a definition is in every use's tooltip."""
_TERM = re.compile(r"^\w(?:[^\[\]\\\n]*\w)?$")
"""A term starts and ends with a word character (so it matches as a whole word) and holds no
bracket or backslash (which would end an abbreviation definition)."""


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    forms: tuple[str, ...]
    """Every written form that shows the definition: the term first, then its `also` forms."""
    line: int | None = None
    source: str | None = None
    """The citation of the document the term comes from (`source:`)."""
    ours: bool = False
    """The garden's own term, found in no source (`ours: true`)."""

    @property
    def shown_definition(self) -> str:
        """What a reader sees on hover: a term of ours says so, so it is not taken for a source's."""
        return f"{self.definition} (The garden's own term.)" if self.ours else self.definition

    @property
    def anchor(self) -> str:
        """The term's id on the glossary page."""
        return "term-" + "-".join(re.findall(r"\w+", self.term.casefold()))


def load_glossary(path: Path, shown_as: str,
                  sources: dict[str, Source] | None = None) -> tuple[dict[str, Term], list[Problem]]:
    """Read the glossary; a missing file means no glossary. A term (or form) defined twice,
    even in another case or as another term's `also`, is a problem on the second line; so is a
    `source` that `sources` (the source vocabulary, None when unusable) does not hold."""
    if not path.exists() and not path.is_symlink():
        return {}, []
    data, lines, problems = read_yaml_file(path, shown_as, "the glossary", _HOW, nested_lines=True)
    if problems or data is None:
        return {}, problems
    if not isinstance(data, dict):
        return {}, [_problem(shown_as, 1, "the glossary must be a mapping of terms to definitions", _HOW)]
    if len(data) > MAX_TERMS:
        return {}, [_problem(shown_as, 1, f"the glossary has {len(data):,} terms, over the limit of "
                             f"{MAX_TERMS}", "keep the terms readers meet in several notes")]
    terms: dict[str, Term] = {}
    seen: dict[str, tuple[str, int | None]] = {}
    for key, entry in data.items():
        term = str(key)
        line = lines.of_key(term)

        def report(message: str, hint: str, *where: str | int, term: str = term) -> None:
            problems.append(_problem(shown_as, lines.of_path(term, *where), message, hint))

        definition, also = _entry(entry, term, report)
        if definition is None:
            continue
        source, ours = _origin(entry, term, sources, report)
        if len(also) >= MAX_FORMS:
            report(f"the glossary's '{term}' has {len(also):,} other forms, over the limit of "
                   f"{MAX_FORMS - 1}",
                   "keep the forms notes use (a plural, a capitalised form)", "also")
            continue
        forms: list[str] = []
        for index, form in enumerate([term, *also]):
            where: tuple[str | int, ...] = () if index == 0 else ("also", index - 1)
            if len(form) > MAX_LENGTHS["term"]:
                report(f"'{form[:40]}…' is {len(form):,} characters long; a term has at most "
                       f"{MAX_LENGTHS['term']}", "shorten it: a term is a word or a short phrase", *where)
                continue
            if not _TERM.fullmatch(form):
                report(f"'{form}' cannot be a glossary term",
                       "start and end it with a letter or digit, without brackets or backslashes", *where)
                continue
            earlier = seen.get(form.casefold())
            if earlier is not None and (earlier[0] != term or form in forms):
                at = f" on line {earlier[1]}" if earlier[1] else ""
                report(f"'{form}' is defined twice: it is already the glossary's '{earlier[0]}'{at}",
                       "define each term once; merge the two definitions", *where)
                continue
            seen.setdefault(form.casefold(), (term, lines.of_path(term, *where) if where else line))
            forms.append(form)
        if forms and forms[0] == term:
            terms[term] = Term(term, definition, tuple(forms), line, source, ours)
    return terms, problems


def _entry(entry: Any, term: str, report: Any) -> tuple[str | None, list[str]]:
    also: Any = []
    if isinstance(entry, dict):
        unknown = [str(key) for key in entry if str(key) not in _FIELDS]
        if unknown:
            report(f"unknown field '{unknown[0]}' in the glossary's '{term}'",
                   f"the fields are: {', '.join(_FIELDS)}", unknown[0])
        also = entry.get("also", [])
        entry = entry.get("definition")
        if not isinstance(also, list) or not all(isinstance(form, str) for form in also):
            report(f"'also' of '{term}' must be a list of other written forms", "write 'also: [form, form]'",
                   "also")
            also = []
    if not isinstance(entry, str) or not entry.strip():
        report(f"the glossary's '{term}' has no definition", "write 'term: <one line that defines it>'")
        return None, []
    if len(entry.strip()) > MAX_LENGTHS["definition"]:
        report(f"the definition of '{term}' is {len(entry.strip()):,} characters long; the limit is "
               f"{MAX_LENGTHS['definition']}", "make it one short line: it shows as a tooltip")
        return None, []
    if (character := unsafe_character(entry.strip())) is not None:
        report(f"the definition of '{term}' contains the control character {code_point(character)}",
               "make it one line of plain text")
        return None, []
    return entry.strip(), [form.strip() for form in also]


def _origin(entry: Any, term: str, sources: dict[str, Source] | None,
            report: Any) -> tuple[str | None, bool]:
    """Where the term comes from: a valid citation, or the garden itself; never both."""
    if not isinstance(entry, dict):
        return None, False
    ours = entry.get("ours", False)
    if not isinstance(ours, bool):
        report(f"'ours' of '{term}' must be true or false", "write 'ours: true' for a term the garden coined",
               "ours")
        ours = False
    source = entry.get("source")
    if source is None:
        return None, ours
    if ours:
        report(f"the glossary's '{term}' has a source and is marked as ours",
               "keep 'source' for a term a source uses, or 'ours: true' for one the garden coined", "ours")
        return None, False
    if not isinstance(source, str):
        report(f"'source' of '{term}' must be one source id", "write 'source: <id from sources.yml>'",
               "source")
        return None, False
    wrong = citation_problem(source, sources)
    if wrong is not None:
        report(wrong[0] + f" in the glossary's '{term}'", wrong[1], "source")
        return None, False
    return source, False


def term_pattern(terms: dict[str, Term]) -> re.Pattern[str] | None:
    """What `abbr` matches: any form, as a whole word, longest first."""
    forms = sorted((form for term in terms.values() for form in term.forms), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, forms))})\b") if forms else None


_OWN_ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[([^\]\n]+)\][ ]{0,3}:", re.M)
"""A note's own `*[ABBR]: …` definition, as `abbr` reads one."""


def own_abbreviations(markup: str) -> set[str]:
    """The abbreviations a note defines itself (`markup`: its body with code blanked out). A
    glossary term among them is not appended: `abbr` keeps the last definition, so the
    glossary's would silently replace the note's own."""
    return {match.group(1).strip() for match in _OWN_ABBREVIATION.finditer(markup)}


def abbreviations(terms: list[Term]) -> str:
    """The Markdown abbreviation definitions for `terms`, appended to a note's Markdown.

    One paragraph each: Python-Markdown takes one definition off a paragraph per pass and
    tries every block processor on the rest again, so n definitions in one paragraph cost n²."""
    lines = [f"*[{form}]: {term.shown_definition}" for term in terms for form in term.forms]
    return "\n\n" + "\n\n".join(lines) + "\n" if lines else ""


def _problem(shown_as: str, line: int | None, message: str, hint: str) -> Problem:
    return Problem(shown_as, line, message, hint, in_docs=False)
