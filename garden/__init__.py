"""The garden model: notes, tags, links and backlinks, with no MkDocs in sight.

`build_garden(Settings(...))` reads and validates every note once; the result is a
`Garden` that MkDocs hooks, macros and the command line only read.
"""

from garden.build import Settings, build_garden
from garden.model import ChangeEntry, Garden, Note
from garden.problems import Problem

__all__ = ["ChangeEntry", "Garden", "Note", "Problem", "Settings", "build_garden"]
