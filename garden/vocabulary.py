"""The tag vocabulary: every tag a note may carry, with the line its tag page shows.

Tags are data (as in Hugo's taxonomies), not free text: a tag must be listed before a
note may use it, so a typo becomes an error with a suggestion instead of a stray page.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from garden.problems import Problem

TAG_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_vocabulary(path: Path, shown_as: str) -> tuple[dict[str, str], list[Problem]]:
    """Read `slug: description` pairs; `shown_as` is the name problems use for the file."""
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except FileNotFoundError:
        return {}, [_problem(shown_as, None, "the tag vocabulary file is missing",
                            "create it with one 'slug: description' line per tag")]
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        return {}, [_problem(shown_as, line + 1 if line is not None else None,
                            f"the tag vocabulary is not valid YAML ({_first_line(error)})",
                            "write one 'slug: description' line per tag")]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, [_problem(shown_as, 1, "the tag vocabulary must be a mapping",
                            "write one 'slug: description' line per tag")]
    key_lines = {line.split(":", 1)[0]: number
                 for number, line in enumerate(text.splitlines(), start=1) if ":" in line}
    vocabulary: dict[str, str] = {}
    for slug, description in data.items():
        line = key_lines.get(str(slug))
        if not isinstance(slug, str) or not TAG_SLUG.match(slug):
            problems.append(_problem(shown_as, line, f"tag '{slug}' is not a valid slug",
                                    "use lowercase letters and digits joined by hyphens"))
        elif slug == "index":
            problems.append(_problem(shown_as, line, "'index' cannot be a tag: tags/index is the tag index",
                                     "choose another name"))
        elif not isinstance(description, str) or not description.strip():
            problems.append(_problem(shown_as, line, f"tag '{slug}' has no description",
                                    "add the one line its tag page shows"))
        else:
            vocabulary[slug] = description.strip()
    return vocabulary, problems


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _problem(shown_as: str, line: int | None, message: str, hint: str) -> Problem:
    return Problem(shown_as, line, message, hint, in_docs=False)
