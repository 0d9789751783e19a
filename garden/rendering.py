"""HTML (and SVG) from views, through Jinja templates with autoescape: the only way markup
leaves Python.

The templates live in `garden/templates/`; a project overrides any of them by putting a
file of the same name in `overrides/garden/` (the theme's custom_dir), as it would a
Material partial. Escaping is the environment's job, not each line's: a value can only
reach the page unescaped by being marked safe in a template, which none is.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
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

from garden.metadata import STAGE_MEANINGS

TEMPLATES = Path(__file__).parent / "templates"
OVERRIDES_FOLDER = "garden"
"""Where, inside the theme's custom_dir, a project's own versions of the templates go."""


KeptPieces = dict[str, dict[Hashable, Markup]]
"""Pieces of pages drawn by the last build, by template, then by what each was drawn from."""


class Renderer:
    """One Jinja environment per build: templates are compiled once and reused for every page."""

    def __init__(self, custom_dir: Path | None = None,
                 bytecode_cache: BytecodeCache | None = None, kept_pieces: KeptPieces | None = None) -> None:
        self._kept_pieces: KeptPieces = {} if kept_pieces is None else kept_pieces
        search = [custom_dir / OVERRIDES_FOLDER] if custom_dir else []
        self._environment = Environment(
            bytecode_cache=bytecode_cache,
            loader=ChoiceLoader([FileSystemLoader([*map(str, search), str(TEMPLATES)])]),
            autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
            # A renderer lives for one build (or one command), during which no template changes:
            # Jinja need not look at each template's file again on every page (five per note).
            auto_reload=False)
        # Every template that shows a stage says what it means, in the words the validator uses.
        self._environment.globals["stage_meanings"] = STAGE_MEANINGS

    def render(self, template: str, **values: Any) -> Markup:
        return Markup(self._environment.get_template(template).render(**values))

    def render_pieces(self, template: str, pieces: Iterable[Hashable]) -> list[Markup]:
        """`template` drawn once per piece (as `piece`), for a page too long to draw whole on
        every save of `make serve`: a piece equal to one the previous build drew (given the
        `kept_pieces` of a session) is reused. A page asks for its pieces of a template in one
        call, which keeps only them: the pieces kept stay the size of the page."""
        kept = self._kept_pieces.get(template, {})
        drawn: dict[Hashable, Markup] = {}
        listed = list(pieces)
        for piece in listed:
            if piece not in drawn:
                html = kept.get(piece)
                drawn[piece] = self.render(template, piece=piece) if html is None else html
        self._kept_pieces[template] = drawn
        return [drawn[piece] for piece in listed]


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
