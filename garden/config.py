"""The garden's options (`extra.garden` in mkdocs.yml), typed and validated like a note.

One loader for the MkDocs hook, the macros and the command line: a misspelt option
(`sectoins:`) or a wrong type is a problem with a "did you mean", never silently ignored.
`read_project` reads mkdocs.yml without MkDocs, for the commands that run without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from garden.problems import Problem, did_you_mean

CONFIG_FILE = "mkdocs.yml"
PLACEHOLDER_OWNERS = frozenset({"example", "your-name", "owner"})
"""Owners of the repositories a template names (github.com/example/…): never a real one."""


def placeholder_repository(repo_url: str | None) -> str | None:
    """Why `repo_url` must not be published (it names a placeholder repository), or None.
    The header's repository link and every "edit this page" would lead readers nowhere."""
    if not repo_url:
        return None
    parts = urlsplit(repo_url)
    owner = parts.path.strip("/").split("/")[0].lower()
    host = (parts.hostname or "").removeprefix("www.")
    if host in ("example.org", "example.com") or owner in PLACEHOLDER_OWNERS:
        return (f"{CONFIG_FILE}: repo_url {repo_url} is a placeholder: the repository link and the edit "
                f"buttons are left out; set repo_url to the garden's repository")
    return None


@dataclass(frozen=True)
class GardenConfig:
    """Every option of `extra.garden`, with its default."""

    tags_file: str = "tags.yml"
    """The tag vocabulary, relative to mkdocs.yml: every tag a note may carry."""
    sources_file: str = "sources.yml"
    """The source vocabulary: every document a note may cite in `sources:` (missing: none)."""
    trails_file: str = "trails.yml"
    """Curated reading paths through the notes (missing: no trails)."""
    glossary_file: str = "glossary.yml"
    """Terms and their definitions, shown on hover wherever a note uses them (missing: none)."""
    pages: tuple[str, ...] = ()
    """Markdown files of `docs/` that are project pages, not notes (the home page): a front-matter
    schema of their own, and they may call the garden's macros (garden/project_pages.py)."""
    sections: dict[str, str] = field(default_factory=dict)
    """The title of each section (top folder of `docs/`); a missing one is the folder's name."""
    feed_items: int = 50
    """How many changes each RSS feed carries, newest first."""

    def section_title(self, section: str) -> str:
        return self.sections.get(section) or section.replace("-", " ").capitalize()


@dataclass(frozen=True)
class Project:
    """What the commands need of mkdocs.yml when MkDocs is not running."""

    config_file: Path
    docs_dir: Path
    garden: GardenConfig
    markdown_extensions: list[Any]
    use_directory_urls: bool = True
    """MkDocs' option: a page `a/b.md` is written at `a/b/index.html`, else at `a/b.html`."""


def garden_config(raw: Any, shown_as: str = CONFIG_FILE) -> tuple[GardenConfig, list[Problem]]:
    """`extra.garden` as typed options; every unknown key or wrong value is a problem."""
    problems: list[Problem] = []

    def problem(message: str, hint: str) -> None:
        problems.append(Problem(shown_as, None, f"extra.garden: {message}", hint, in_docs=False))

    if raw is None:
        return GardenConfig(), []
    if not isinstance(raw, dict):
        problem("must be a mapping of options", "see garden/config.py for the options")
        return GardenConfig(), problems
    names = [option.name for option in fields(GardenConfig)]
    for key in raw:
        if key not in names:
            problem(f"unknown option '{key}'",
                    did_you_mean(str(key), names) or f"the options are: {', '.join(names)}")
    values: dict[str, Any] = {}
    for option, example in (("tags_file", "tags.yml"), ("sources_file", "sources.yml"),
                            ("trails_file", "trails.yml"), ("glossary_file", "glossary.yml")):
        if option in raw:
            if isinstance(raw[option], str) and raw[option].strip():
                values[option] = raw[option]
            else:
                problem(f"'{option}' must be a file name", f"e.g. {option}: {example}")
    if "pages" in raw:
        pages = raw["pages"]
        if isinstance(pages, list) and all(isinstance(p, str) and p.endswith(".md") for p in pages):
            values["pages"] = tuple(raw["pages"])
        else:
            problem("'pages' must be a list of Markdown files of docs/", "e.g. pages: [index.md]")
    if "sections" in raw:
        sections = raw["sections"]
        if isinstance(sections, dict) and all(isinstance(k, str) and isinstance(v, str)
                                              for k, v in sections.items()):
            values["sections"] = dict(sections)
        else:
            problem("'sections' must map each folder to its title", "e.g. sections: {career: Career}")
    if "feed_items" in raw:
        items = raw["feed_items"]
        if isinstance(items, int) and not isinstance(items, bool) and 1 <= items <= 1000:
            values["feed_items"] = items
        else:
            problem("'feed_items' must be a whole number from 1 to 1000", "e.g. feed_items: 50")
    return GardenConfig(**values), problems


def read_project(config_file: Path) -> tuple[Project | None, list[Problem]]:
    """mkdocs.yml as plain data, for the commands: None with a problem when it cannot be read."""
    shown_as = config_file.name

    class _Loader(yaml.SafeLoader):
        """mkdocs.yml may carry `!!python/name:` tags for Markdown extensions: read them as None."""

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, [Problem(shown_as, None, f"cannot read the MkDocs configuration: {first}",
                              "run the command from the project folder, or pass -f path/to/mkdocs.yml",
                              in_docs=False)]
    if not isinstance(data, dict):
        return None, [Problem(shown_as, None, "the MkDocs configuration must be a mapping",
                              "restore mkdocs.yml", in_docs=False)]
    extra = data.get("extra")
    if not isinstance(extra, dict):
        extra = {}
    options, problems = garden_config(extra.get("garden"), shown_as)
    docs_dir = data.get("docs_dir", "docs")
    extensions = data.get("markdown_extensions") or []
    return Project(config_file, config_file.parent / str(docs_dir), options,
                   extensions if isinstance(extensions, list) else [],
                   data.get("use_directory_urls") is not False), problems
