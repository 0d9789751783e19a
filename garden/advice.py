"""Advice for the next writer: things that read badly but break nothing, reported by
`garden check` as notes (GitHub `::notice` annotations in CI), never as problems that fail it.

A bare `[[slug]]` shows its note's title. Used as the noun of a sentence, a title that is a
whole clause ("Triggers for leaving a job, and why one is not enough") reads as a sentence
inside the sentence; such a link wants a label: `[[slug|the triggers for leaving]]`.
"""

from __future__ import annotations

import re

from garden.markdown_scan import WikiLink
from garden.model import Garden
from garden.problems import Problem

CLAUSE_WORDS = 7
"""A title of this many words or more reads as a clause of its own."""
_VERB = re.compile(r"\b(?:is|are|was|were|be|can|cannot|should|must|might|may|will|does|do|has|have|"
                   r"makes?|needs?|says?|keeps?|carr(?:y|ies)|matters?|cuts?|runs?|comes?)\b", re.I)
_LINE_START = re.compile(r"^\s*(?:[-*+]|\d+\.|>|#+|\|)?\s*$")


def reads_as_clause(title: str) -> bool:
    """Whether a title is a statement rather than a name: long, punctuated or with a verb."""
    return len(title.split()) >= CLAUSE_WORDS or bool(re.search(r"[,:;]", title)) or bool(_VERB.search(title))


def clause_links(garden: Garden) -> list[Problem]:
    """Bare wikilinks used mid-sentence whose note's title is a whole clause."""
    advice = []
    for path, resolved in garden.wikilink_targets.items():
        body = garden.notes[path].body
        tokens = {token.start: token for token in garden.notes[path].wikilinks}
        for start, link in resolved.items():
            token = tokens.get(start)
            if not isinstance(token, WikiLink) or token.label or token.embed:
                continue
            line_before = body[body.rfind("\n", 0, start) + 1:start]
            if _LINE_START.match(line_before) or re.search(r"[.!?:]\s*$", line_before):
                continue  # a link that opens its sentence, list item or cell names the note
            if reads_as_clause(link.target.title):
                advice.append(Problem(path, link.line,
                                      f"the link [[{token.target}]] shows the title "
                                      f"'{link.target.title}' mid-sentence",
                                      f"give it a label that reads as a noun: [[{token.target}|…]]"))
    return advice
