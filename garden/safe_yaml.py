"""The one YAML loader for what contributors write: front matter, `tags.yml`, `charts/*.yml`.

Anyone can open a pull request, and PyYAML's safe loader is safe only from code execution:
a few lines of aliases expand to gigabytes ("billion laughs"), composing recurses once per
nesting level (ten thousand '[' crash the interpreter in the C composer), and a repeated key
silently wins. So the text is first read as an event stream, which the parser produces
iteratively, and anchors, aliases and deep nesting are refused before anything is composed;
the loader that then builds the data refuses merge keys and repeated keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from garden.problems import Problem

MAX_BYTES = 64 * 1024
"""The largest YAML text read: far above any real front matter, vocabulary or chart."""
MAX_DEPTH = 20
"""The deepest nesting of lists and mappings; a note's fields need three levels."""
YAML_HINT = "check quoting and indentation; quote values that contain ':' or '#'"

_MERGE_TAG = "tag:yaml.org,2002:merge"
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The C loader when PyYAML was built with libyaml: the same results, many times faster."""


@dataclass(frozen=True)
class KeyLines:
    """File lines of a top-level mapping's keys and of their lists' items, read from the YAML nodes.

    Messages point at the exact line, and finding it costs nothing: searching the text for a
    key or a value per problem would be quadratic in a hostile note with thousands of them.
    """

    keys: dict[str, int] = field(default_factory=dict)
    items: dict[str, tuple[int, ...]] = field(default_factory=dict)
    nested: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    """Lines of values below the top level, by path of keys and list indices:
    `("a-trail", "steps", 2)` is the third step of a trail (project files only)."""

    def of_key(self, key: str) -> int | None:
        return self.keys.get(key)

    def of_item(self, key: str, index: int) -> int | None:
        """The line of item `index` of the list under `key`, else of the key itself."""
        items = self.items.get(key, ())
        return items[index] if index < len(items) else self.of_key(key)

    def of_path(self, *path: str | int) -> int | None:
        """The line of the value at `path` (keys and indices), else of its nearest known parent."""
        for end in range(len(path), 1, -1):
            if (line := self.nested.get(path[:end])) is not None:
                return line
        return self.of_key(str(path[0])) if path else None


class _Refusal(Exception):
    """Something the YAML may not contain, at a 0-based line of the YAML text."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, noting repeated keys (YAML would keep the last) and refusing merge keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[Any, int, int]] = []
        """(key, 0-based line of its first use, line of the repeat)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                raise _Refusal(key_node.start_mark.line, "YAML merge keys ('<<') are not allowed",
                               "write the keys out in full")
            key = self.construct_object(key_node, deep=deep)
            try:
                first = first_lines.get(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first is None:
                first_lines[key] = key_node.start_mark.line
            else:
                self.repeated.append((key, first, key_node.start_mark.line))
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _refusing_value_errors(construct: Callable[[Any, yaml.ScalarNode], Any], wording: str, hint: str
                           ) -> Callable[[Any, yaml.ScalarNode], Any]:
    """A constructor whose ValueError (2023-02-30, a 5,000-digit number) is a refusal at its line.

    `wording` may name the scalar as {value} and the reason as {error}."""

    def construct_checked(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except ValueError as error:
            message = wording.format(value=node.value, error=error)
            raise _Refusal(node.start_mark.line, message, hint) from None

    return construct_checked


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _refusing_value_errors(
    SafeConstructor.construct_yaml_timestamp, "impossible date '{value}': {error}",
    "use a real calendar date as YYYY-MM-DD"))
_Loader.add_constructor("tag:yaml.org,2002:int", _refusing_value_errors(
    SafeConstructor.construct_yaml_int, "a number with too many digits", "quote it if it is meant as text"))


def _line(event: yaml.Event) -> int:
    """The 0-based line an event starts on (the parser marks every event it produces)."""
    return event.start_mark.line if event.start_mark is not None else 0


def _prescan(text: str) -> None:
    """Refuse anchors, aliases and deep nesting from the event stream, before composing."""
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refusal(_line(event), "YAML anchors and aliases are not allowed",
                           "write the value out in full wherever it is used")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refusal(_line(event), f"the YAML is nested more than {MAX_DEPTH} levels deep",
                               "flatten it: lists and mappings inside each other a few levels at most")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(text: str, path: str, what: str, *, first_line: int = 1, in_docs: bool = True,
              nested_lines: bool = False) -> tuple[Any, KeyLines, list[Problem]]:
    """The data in `text` and the lines of its top-level keys, or None and the problems that refuse it.

    `path`, `first_line` (the file line of the text's first line) and `in_docs` place the
    problems; `what` ("the front matter") names the text in messages. With `nested_lines`,
    the lines of values below the top level are noted too (`KeyLines.nested`).
    """

    def refused(*problems: tuple[int | None, str, str]) -> tuple[Any, KeyLines, list[Problem]]:
        return None, KeyLines(), [Problem(path, None if line is None else first_line + line, message, hint,
                                          in_docs) for line, message, hint in problems]

    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        return refused((0, *_too_large(what, size)))
    try:
        _prescan(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
            lines = _key_lines(loader, node, first_line, nested_lines)
        finally:
            loader.dispose()
    except _Refusal as refusal:
        return refused((refusal.line, refusal.message, refusal.hint))
    except yaml.YAMLError as error:
        # The context mark (e.g. the '[' of an unclosed list) is where the mistake usually is;
        # the problem mark is only where the parser gave up.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        reason = "; ".join(filter(None, [getattr(error, "context", None), getattr(error, "problem", None)]))
        return refused((mark.line if mark is not None else None,
                        f"{what} is not valid YAML: {reason or str(error).splitlines()[0]}", YAML_HINT))
    if loader.repeated:
        return refused(*((second, _twice(key, first_line + first, first_line + second),
                          "keep one: YAML would silently use the last")
                         for key, first, second in loader.repeated))
    return data, lines, []


def _key_lines(loader: _Loader, node: yaml.Node | None, first_line: int, nested_lines: bool) -> KeyLines:
    if not isinstance(node, yaml.MappingNode):
        return KeyLines()
    keys: dict[str, int] = {}
    items: dict[str, tuple[int, ...]] = {}
    nested: dict[tuple[str | int, ...], int] = {}
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))
        keys[key] = first_line + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            items[key] = tuple(first_line + item.start_mark.line for item in value_node.value)
        if nested_lines:
            _nested_lines(value_node, (key,), first_line, nested)
    return KeyLines(keys, items, nested)


def _nested_lines(node: yaml.Node, path: tuple[str | int, ...], first_line: int,
                  nested: dict[tuple[str | int, ...], int]) -> None:
    """Walk the node tree (already bounded in depth by `_prescan`), noting each value's line."""
    children: list[tuple[str | int, yaml.Node, int]] = []
    if isinstance(node, yaml.MappingNode):
        children = [(str(key.value), value, key.start_mark.line) for key, value in node.value
                    if isinstance(key, yaml.ScalarNode)]
    elif isinstance(node, yaml.SequenceNode):
        children = [(index, item, item.start_mark.line) for index, item in enumerate(node.value)]
    for name, child, line in children:
        nested[(*path, name)] = first_line + line
        _nested_lines(child, (*path, name), first_line, nested)


def _twice(key: Any, first: int, second: int) -> str:
    where = f"(lines {first} and {second})" if first != second else f"on line {first}"
    return f"key '{key}' appears twice {where}"


def _too_large(what: str, size: int) -> tuple[str, str]:
    return (f"{what} is {size:,} bytes; the limit is {MAX_BYTES:,} bytes",
            "shorten it: YAML holds short values, and a note's long text belongs in its body")


def read_yaml_file(file: Path, path: str, what: str, how: str, *, nested_lines: bool = False
                   ) -> tuple[Any, KeyLines, list[Problem]]:
    """Read and load a project file (outside `docs/`), as `load_yaml` does a text.

    Only a regular file is read, and at most `MAX_BYTES` of it: a link to `/dev/zero` or a
    named pipe is a problem, not a read that never ends, and a link to a file (a secret outside
    the repository, drawn into a chart) is refused as `docs/` refuses one. `how` says how the file is written.
    """

    def refused(message: str, hint: str, line: int | None = None) -> tuple[Any, KeyLines, list[Problem]]:
        return None, KeyLines(), [Problem(path, line, message, hint, in_docs=False)]

    try:
        if not file.is_file():
            state = "is not a regular file" if file.exists() else (
                "is a broken link" if file.is_symlink() else "is missing")
            return refused(f"{what} file {state}", how)
        if file.is_symlink():  # to a regular file, maybe outside the repository: published as it is
            return refused(f"{what} file is a symbolic link: the garden reads only regular files",
                           "replace the link with the file itself")
        with file.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return refused(*_too_large(what, file.stat().st_size))
    except OSError as error:
        return refused(f"{what} file cannot be read ({error.strerror or error})",
                       "check the file's permissions")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return refused(f"{what} is not UTF-8 text (byte 0x{raw[error.start]:02x})",
                       "re-save the file with UTF-8 encoding", raw.count(b"\n", 0, error.start) + 1)
    return load_yaml(text, path, what, in_docs=False, nested_lines=nested_lines)
