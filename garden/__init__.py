"""The garden model: notes, tags, links and backlinks, with no MkDocs in sight.

`build_garden(Settings(...))` reads and validates every note once; the result is a
`Garden` that MkDocs hooks, macros and the command line only read.
"""

import time

from garden.build import Settings, build_garden
from garden.model import ChangeEntry, Garden, Note
from garden.problems import Problem

IMPORTED_AT = time.time()
"""When this process loaded the garden's code: `mkdocs serve` keeps it loaded across rebuilds."""

__all__ = ["IMPORTED_AT", "ChangeEntry", "Garden", "Note", "Problem", "Settings", "build_garden"]
