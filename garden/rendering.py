"""HTML (and SVG) from views, through Jinja templates with autoescape: the only way markup
leaves Python.

The templates live in `garden/templates/`; a project overrides any of them by putting a
file of the same name in `overrides/garden/` (the theme's custom_dir), as it would a
Material partial. Escaping is the environment's job, not each line's: a value can only
reach the page unescaped by being marked safe in a template, which none is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
OVERRIDES_FOLDER = "garden"
"""Where, inside the theme's custom_dir, a project's own versions of the templates go."""


class Renderer:
    """One Jinja environment per build: templates are compiled once and reused for every page."""

    def __init__(self, custom_dir: Path | None = None,
                 bytecode_cache: BytecodeCache | None = None) -> None:
        search = [custom_dir / OVERRIDES_FOLDER] if custom_dir else []
        self._environment = Environment(
            bytecode_cache=bytecode_cache,
            loader=ChoiceLoader([FileSystemLoader([*map(str, search), str(TEMPLATES)])]),
            autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)

    def render(self, template: str, **values: Any) -> Markup:
        return Markup(self._environment.get_template(template).render(**values))


DEFAULT = Renderer()
"""For callers without a theme (the command line, tests)."""


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory between the rebuilds of one `make serve`: Jinja
    checks each template's source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()
