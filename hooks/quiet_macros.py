"""Keep mkdocs-macros' start-up chatter out of `make serve` and `make build`.

mkdocs-macros logs six INFO lines on every build (modules found, functions, variables, macros,
filters), whatever its `verbose` option says, which only affects `env.make_chatter`. An author
needs problems, the address and rebuild times: its warnings and errors still show.

The level is set on the logger mkdocs-macros itself logs through, not on a name spelled here:
that name starts with `mkdocs.` under either engine (ProperDocs' command line routes `mkdocs.…`
into its own logger), and would be wrong here the day mkdocs-macros renames it.

The engine imports hook files while it loads mkdocs.yml, before any plugin's `on_config`, so
setting the level here is in time for the first build.
"""

from __future__ import annotations

import logging

from mkdocs_macros.util import LOG as MACROS_LOG

MACROS_LOG.setLevel(logging.WARNING)
