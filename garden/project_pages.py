"""Project pages (the home page): their macros, rendered the same way by `check` and the build.

A project page is a file of `docs/` like any note, so anyone who opens a pull request can
edit it: its text is a template only when its front matter says `render_macros: true`, and
even then it is untrusted. It is rendered here, in Jinja's immutable sandbox, and a template
may do one thing only: call one of the garden's macros with plain values
(`{{ recent_changes(8) }}`). Anything else (an attribute, a filter, a loop, an unknown name)
is a problem naming the line, before anything runs; the sandbox stands behind that rule.

The macros see a published-only view of the garden: no draft, no broken note's text, no
problem. The template sees the macro functions alone, never the garden or the view. What
they return is Markdown with every value escaped, and the page's HTML is then held to the
same policy as a note's (garden/html_policy.py), by `check` and by the build alike.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from garden.conventions import GLOSSARY_PAGE, SOURCE_INDEX, TRAIL_INDEX, section_index_path, trail_page_path
from garden.metadata import PageFrontMatter
from garden.model import ChangeEntry, Garden, ProjectPage, Trail
from garden.problems import Problem, did_you_mean
from garden.text import markdown_text, relative_link

Macro = Callable[..., str | int]


@dataclass(frozen=True)
class PublishedView:
    """What a project page may show of the garden: published notes, and pages that exist."""

    note_count: int
    changes: tuple[ChangeEntry, ...]
    """The changelog, newest first."""
    sections: tuple[tuple[str, str, int], ...]
    """Each section's index page, title and number of notes."""
    trails: tuple[Trail, ...]
    reference_pages: tuple[tuple[str, str], ...]
    """(name, path) of the trails index, the sources and the glossary, for those the garden has."""


def published_view(garden: Garden, section_title: Callable[[str], str]) -> PublishedView:
    """The view of `garden` that project pages' macros read: `garden.notes` holds published
    notes only, and nothing else of the garden reaches the view."""
    references = (("Every trail", TRAIL_INDEX, garden.trails), ("Sources", SOURCE_INDEX, garden.sources),
                  ("Glossary", GLOSSARY_PAGE, garden.glossary))
    return PublishedView(
        note_count=len(garden.notes), changes=tuple(garden.changes()),
        sections=tuple((section_index_path(section), section_title(section), len(notes))
                       for section, notes in garden.sections().items() if section),
        trails=tuple(garden.trails.values()),
        reference_pages=tuple((name, path) for name, path, present in references if present))


class MacroError(ValueError):
    """A macro called with a value it cannot use: the message is shown to the editor."""


def page_macros(view: PublishedView, page_path: str) -> dict[str, Macro]:
    """The macros a project page at `page_path` may call, by name: Markdown with escaped values."""

    def recent_changes(limit: int = 10) -> str:
        """The newest changelog entries, kept out of the search index (Material's
        data-search-exclude): search finds the notes themselves."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise MacroError(f"recent_changes() takes a whole number of entries of at least 1, not {limit!r}")
        lines = []
        for entry in view.changes[:limit]:
            link = relative_link(page_path, entry.note.path)
            kind = entry.label  # what a reader gains: "New", "Expanded", "Corrected"…
            title, what = markdown_text(entry.note.title), markdown_text(entry.gain)
            lines.append(f"- {entry.date.isoformat()} · **{kind}:** [{title}]({link}) — {what}")
        items = "\n".join(lines)
        return f'<div class="garden-recent" data-search-exclude markdown>\n\n{items}\n\n</div>'

    def section_list() -> str:
        """Every section with its note count, linking to the section index."""
        return "\n".join(f"- [{markdown_text(title)}]({relative_link(page_path, index)}) "
                         f"({count} note{'s' * (count != 1)})" for index, title, count in view.sections)

    def trail_list() -> str:
        """Every trail with its description and length, linking to the trail's page."""
        lines = []
        for trail in view.trails:
            link = relative_link(page_path, trail_page_path(trail.id))
            lines.append(f"- [{markdown_text(trail.title)}]({link}) — {markdown_text(trail.description)} "
                         f"({len(trail.notes)} notes)")
        return "\n".join(lines)

    def reference_links() -> str:
        """Links to the trails index, the sources and the glossary, for those the garden has."""
        return " · ".join(f"[{name}]({relative_link(page_path, path)})"
                          for name, path in view.reference_pages)

    def note_count() -> int:
        return view.note_count

    return {macro.__name__: macro for macro in (recent_changes, section_list, trail_list, reference_links,
                                                 note_count)}


_ENVIRONMENT = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
"""Jinja's defaults otherwise (no autoescape: the output is Markdown, escaped by the macros)."""


def publish_pages(garden: Garden, pages: Iterable[tuple[str, PageFrontMatter | None, str, int]],
                  section_title: Callable[[str], str]) -> tuple[dict[str, ProjectPage], list[Problem]]:
    """Every project page (path, front matter or None when unusable, body, body's first line)
    as the site publishes it, and the problems of their templates."""
    view = published_view(garden, section_title)
    published: dict[str, ProjectPage] = {}
    problems: list[Problem] = []
    for path, meta, body, body_line in pages:
        markdown: str | None = None
        if meta is not None:
            markdown, page_problems = render_page(path, meta, body, body_line, page_macros(view, path))
            problems += page_problems
        published[path] = ProjectPage(path, meta or PageFrontMatter(), body, body_line, markdown)
    return published, problems


def render_page(path: str, meta: PageFrontMatter, body: str, body_line: int,
                macros: dict[str, Macro]) -> tuple[str | None, list[Problem]]:
    """The page's Markdown with its macros run (its body as written without `render_macros`),
    or None and the problems that keep it from being published."""
    if not meta.render_macros:
        return body, []
    try:
        template = _ENVIRONMENT.parse(body)
    except TemplateSyntaxError as error:
        return None, [Problem(path, body_line + (error.lineno or 1) - 1,
                              f"the page's template cannot be read: {error.message or error}",
                              "write a macro as {{ name(…) }}; braces to show go in {% raw %}…{% endraw %}")]
    except RecursionError:
        return None, [Problem(path, body_line, "the page's template is nested too deeply",
                              "a project page may only call the garden's macros")]
    refused = [Problem(path, body_line + node.lineno - 1, message, hint)
               for node, message, hint in _refused(template, macros)]
    if refused:
        return None, refused
    try:
        return _ENVIRONMENT.from_string(template).render(**macros), []
    except TemplateError as error:  # the sandbox's last word (SecurityError), an undefined name
        return None, [Problem(path, _template_line(error, body_line), f"the page's template failed: {error}",
                              _ONLY_MACROS)]
    except (MacroError, TypeError) as error:
        return None, [Problem(path, _template_line(error, body_line), f"a macro failed: {error}",
                              "call the macro as the project page's documentation shows")]


_ONLY_MACROS = "a project page may only call the garden's macros, e.g. {{ recent_changes(8) }}"


def _refused(template: nodes.Template, macros: dict[str, Macro]) -> Iterable[tuple[nodes.Node, str, str]]:
    """Everything in the template that is not text or a call of a macro with plain values:
    (node, message, hint)."""
    for node in template.body:
        if not isinstance(node, nodes.Output):
            statement = type(node).__name__.lower()
            yield node, f"'{{% {statement} %}}' is not allowed on a project page", _ONLY_MACROS
            continue
        for part in node.nodes:
            if not isinstance(part, nodes.TemplateData):
                refused = _refused_expression(part, macros)
                if refused is not None:
                    yield part, *refused


def _refused_expression(expression: nodes.Node, macros: dict[str, Macro]) -> tuple[str, str] | None:
    """Why `{{ expression }}` is refused, or None for a call of a macro with plain values."""
    known = f"the macros are: {', '.join(sorted(macros))}"
    if isinstance(expression, nodes.Name):
        return ((f"'{expression.name}' is a macro: call it", f"write {{{{ {expression.name}() }}}}")
                if expression.name in macros else
                (f"unknown macro '{expression.name}'", did_you_mean(expression.name, macros) or known))
    if not (isinstance(expression, nodes.Call) and isinstance(expression.node, nodes.Name)):
        return "only a macro call may be written between {{ and }}", _ONLY_MACROS
    name = expression.node.name
    if name not in macros:
        return f"unknown macro '{name}'", did_you_mean(name, macros) or known
    values = [*expression.args, *(keyword.value for keyword in expression.kwargs)]
    if expression.dyn_args or expression.dyn_kwargs or not all(
            isinstance(value, nodes.Const) and type(value.value) in (int, str) for value in values):
        return f"{name}() may only be given plain numbers or text", f"e.g. {{{{ {name}(8) }}}}"
    return None


def _template_line(error: BaseException, body_line: int) -> int | None:
    """The file line of the template code that raised `error` (Jinja names its frames
    `<template>`), or None when no template line is known."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == "<template>"]
    return body_line + lines[-1] - 1 if lines and lines[-1] else None
