"""Keep mkdocs-macros' start-up chatter out of `make serve` and `make build`.

mkdocs-macros logs six INFO lines on every build (modules found, functions, variables, macros,
filters), whatever its `verbose` option says, which only affects `env.make_chatter`. An author
needs problems, the address and rebuild times: its warnings and errors still show.

MkDocs imports hook files while it loads mkdocs.yml, before any plugin's `on_config`, so setting
the level here is in time for the first build.
"""

from __future__ import annotations

import logging

logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.WARNING)
