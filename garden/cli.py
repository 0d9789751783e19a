"""`python -m garden check|diff|new`: validate the notes, diff the garden, start a note.

`check` validates without building the site: fast enough for a pre-commit hook; in GitHub
Actions each problem is also printed as a workflow command so it shows up as an annotation
on the pull request's diff. `diff BASE` prints, as Markdown for the job summary, what the
working tree changes in the garden against a git ref (garden/diff.py). `new` writes a note
with valid front matter (garden/scaffold.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from garden.build import Settings, build_garden
from garden.conventions import JOURNAL_SECTION
from garden.render import markdown_renderer, render
from garden.scaffold import NewNote, ScaffoldError, create_note, note_tags
from garden.vocabulary import load_vocabulary


def read_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data, without MkDocs."""
    # mkdocs.yml may carry `!!python/name:` tags for Markdown extensions; ignore them here.
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}


def settings_from_mkdocs_yml(config_file: Path) -> Settings:
    """Read the garden's settings from `extra.garden` in mkdocs.yml, without MkDocs."""
    config = read_mkdocs_yml(config_file)
    return Settings.from_config(config_file.parent, config.get("docs_dir", "docs"),
                                (config.get("extra") or {}).get("garden") or {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m garden", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every note and report all problems")
    diff = commands.add_parser("diff", help="what the working tree changes in the garden against a git ref, "
                                            "as Markdown (the pull request's job summary)")
    diff.add_argument("base", help="the git ref to compare with, e.g. origin/main or HEAD^1")
    new = commands.add_parser("new", help="start a note (or a journal entry) with valid front matter")
    new.add_argument("title", help="what the note says, in a few words; it becomes the file name")
    new.add_argument("--summary", required=True, help="one line for indexes, search and the feed")
    where = new.add_mutually_exclusive_group(required=True)
    where.add_argument("--section", help="the folder under docs/, e.g. career")
    where.add_argument("--journal", dest="section", action="store_const", const=JOURNAL_SECTION,
                       help="a journal entry: dated file name, tagged 'journal'")
    new.add_argument("--tags", default="", help="comma-separated tags from the tag vocabulary")
    new.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today(),
                     help="the created date, YYYY-MM-DD (default: today)")
    for command in (check, diff, new):
        command.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    if args.command == "diff":
        return _diff(args.base, args.config_file)
    if args.command == "new":
        return _new(args)

    settings = settings_from_mkdocs_yml(args.config_file)
    renderer, problems = markdown_renderer(read_mkdocs_yml(args.config_file).get("markdown_extensions") or [])
    garden = build_garden(settings, (lambda text: render(renderer, text)) if renderer else None)
    garden.problems = sorted([*problems, *garden.problems])
    in_github = os.environ.get("GITHUB_ACTIONS") == "true"
    docs_prefix = settings.docs_dir.relative_to(args.config_file.parent).as_posix() + "/"
    for problem in garden.problems:
        print(problem, file=sys.stderr)
        if in_github:
            print(problem.as_github_annotation(docs_prefix))
    count = len(garden.problems)
    print(f"{len(garden.notes)} notes, {len(garden.drafts)} drafts: "
          f"{count} problem{'s' * (count != 1)}", file=sys.stderr)
    return 1 if count else 0


def _diff(base: str, config_file: Path) -> int:
    from garden.diff import DiffError, diff_gardens, garden_at, render_markdown  # diff imports this module

    try:
        old = garden_at(base, config_file)
    except DiffError as error:
        print(f"python -m garden diff: {error}", file=sys.stderr)
        return 2
    print(render_markdown(diff_gardens(old, build_garden(settings_from_mkdocs_yml(config_file))), base))
    return 0


def _new(args: argparse.Namespace) -> int:
    settings = settings_from_mkdocs_yml(args.config_file)
    vocabulary, _ = load_vocabulary(settings.tags_file, settings.tags_file_shown_as)
    garden_config = (read_mkdocs_yml(args.config_file).get("extra") or {}).get("garden") or {}
    sections = garden_config.get("sections", {})
    tags = note_tags(args.section, filter(None, (tag.strip() for tag in args.tags.split(","))))
    note = NewNote(args.title.strip(), args.summary.strip(), args.section, tags, args.date)
    try:
        file = create_note(settings.docs_dir, note, vocabulary, sections)
    except ScaffoldError as error:
        print(f"python -m garden new: {error}", file=sys.stderr)
        return 2
    print(f"Created {file.relative_to(args.config_file.parent)}: write the note, link it from another note, "
          "then run `make check`.")
    return 0
