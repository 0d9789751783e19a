"""The tag vocabulary: every tag a note may carry, with the line its tag page shows.

Tags are data (as in Hugo's taxonomies), not free text: a tag must be listed before a
note may use it, so a typo becomes an error with a suggestion instead of a stray page.
"""

from __future__ import annotations

import re
from pathlib import Path

from garden.problems import Problem, code_point, unsafe_character
from garden.safe_yaml import read_yaml_file

TAG_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HOW = "write one 'slug: description' line per tag"


def load_vocabulary(path: Path, shown_as: str) -> tuple[dict[str, str] | None, list[Problem]]:
    """Read `slug: description` pairs; `shown_as` is the name problems use for the file.

    The vocabulary is None when the file gives no usable tag at all (missing, empty, not
    YAML): notes' tags cannot be checked then, and one problem on the file says why, rather
    than an "unknown tag" on every note.
    """
    data, lines, problems = read_yaml_file(path, shown_as, "the tag vocabulary", _HOW)
    if problems:
        return None, problems
    if not data:
        return None, [_problem(shown_as, 1, "the tag vocabulary is empty", _HOW)]
    if not isinstance(data, dict):
        return None, [_problem(shown_as, 1, "the tag vocabulary must be a mapping", _HOW)]
    vocabulary: dict[str, str] = {}
    for slug, description in data.items():
        line = lines.of_key(str(slug))
        if not isinstance(slug, str) or not TAG_SLUG.fullmatch(slug):
            problems.append(_problem(shown_as, line, f"tag '{slug}' is not a valid slug",
                                    "use lowercase letters and digits joined by hyphens"))
        elif slug == "index":
            problems.append(_problem(shown_as, line, "'index' cannot be a tag: tags/index is the tag index",
                                     "choose another name"))
        elif not isinstance(description, str) or not description.strip():
            problems.append(_problem(shown_as, line, f"tag '{slug}' has no description",
                                    "add the one line its tag page shows"))
        elif (character := unsafe_character(description.strip())) is not None:
            problems.append(_problem(shown_as, line, f"the description of tag '{slug}' contains the "
                                     f"control character {code_point(character)}",
                                     "make it one line of plain text"))
        else:
            vocabulary[slug] = description.strip()
    return vocabulary or None, problems


def _problem(shown_as: str, line: int | None, message: str, hint: str) -> Problem:
    return Problem(shown_as, line, message, hint, in_docs=False)
