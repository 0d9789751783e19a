"""HTML (and SVG) from views, through Jinja templates with autoescape: the only way markup
leaves Python.

The templates live in `garden/templates/`; a project overrides any of them by putting a
file of the same name in `overrides/garden/` (the theme's custom_dir), as it would a
Material partial. Escaping is the environment's job, not each line's: a value can only
reach the page unescaped by being marked safe in a template, which none is.
"""

from __future__ import annotations

import functools
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

from garden.memo import Memo
from garden.metadata import STAGE_MEANINGS

TEMPLATES = Path(__file__).parent / "templates"
OVERRIDES_FOLDER = "garden"
"""Where, inside the theme's custom_dir, a project's own versions of the templates go."""


class Renderer:
    """One Jinja environment: templates are compiled once and reused for every page of a build
    (and, under `make serve`, of every build while the templates are the same: the session
    keeps one renderer per signature)."""

    def __init__(self, custom_dir: Path | None = None, pieces: Memo | None = None) -> None:
        self._pieces = Memo() if pieces is None else pieces
        search = [custom_dir / OVERRIDES_FOLDER] if custom_dir else []
        self._environment = Environment(
            loader=ChoiceLoader([FileSystemLoader([*map(str, search), str(TEMPLATES)])]),
            autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
            # A renderer lives for one build or command, or (`make serve`) while the build's
            # signature holds, which a changed template changes: no template changes meanwhile,
            # so Jinja need not look at each template's file again on every page (five per note).
            auto_reload=False)
        # Every template that shows a stage says what it means, in the words the validator uses.
        self._environment.globals["stage_meanings"] = STAGE_MEANINGS

    def render(self, template: str, **values: Any) -> Markup:
        return Markup(self._environment.get_template(template).render(**values))

    def render_pieces(self, template: str, pieces: Iterable[Hashable]) -> list[Markup]:
        """`template` drawn once per piece (as `piece`), for a page too long to draw whole on
        every save of `make serve`: a piece equal to one drawn before (kept in the `pieces`
        memo of a session) is reused. A page asks for its pieces of a template in one call,
        which keeps only them: the pieces kept stay the size of the page."""
        kept = self._pieces.scope(template)
        drawn = [kept.get(piece, None, functools.partial(self.render, template, piece=piece))
                 for piece in pieces]
        kept.sweep()
        return drawn


DEFAULT = Renderer()
"""For callers without a theme (the command line, tests)."""


class CompiledTemplates(BytecodeCache):
    """The engine's (the theme's) templates compiled, kept in a memo between the rebuilds of
    one `make serve` (the engine makes its Jinja environment anew for each build): Jinja checks
    each template's source checksum, so an edited template is compiled again."""

    def __init__(self, memo: Memo) -> None:
        self._memo = memo

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._memo.last(bucket.key, bytes)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._memo.keep(bucket.key, bucket.bytecode_to_string())
