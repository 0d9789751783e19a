"""`garden check|diff|new` (or `python -m garden …`): validate the notes, diff the garden, start a note.

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

from garden.advice import clause_links
from garden.build import Settings, build_garden
from garden.config import read_project
from garden.conventions import JOURNAL_SECTION
from garden.diff import DiffError, diff_gardens, garden_at, render_markdown
from garden.problems import Problem
from garden.scaffold import NewNote, ScaffoldError, create_note, note_tags
from garden.site_markdown import markdown_renderer, render
from garden.vocabulary import load_vocabulary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="garden", description=__doc__.splitlines()[0])
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

    project, problems = read_project(args.config_file)
    if project is None:
        return _report(problems, 0, 0)
    renderer, render_problems = markdown_renderer(project.markdown_extensions)
    garden = build_garden(Settings.for_project(project),
                          (lambda text: render(renderer, text)) if renderer else None)
    return _report([*problems, *render_problems, *garden.problems], len(garden.notes), len(garden.drafts),
                   docs_prefix=project.docs_dir.relative_to(args.config_file.parent).as_posix() + "/",
                   advice=clause_links(garden))


def _report(problems: list[Problem], notes: int, drafts: int, docs_prefix: str = "docs/",
            advice: list[Problem] | None = None) -> int:
    """Every problem, one per line (and as a GitHub annotation in Actions); 1 when there is any.
    Advice (garden/advice.py) is shown the same way, marked "note:" and as a `::notice`, and
    never fails the check."""
    in_github = os.environ.get("GITHUB_ACTIONS") == "true"
    for note in sorted(advice or [], key=Problem.sort_key):
        print(f"note: {note}", file=sys.stderr)
        if in_github:
            print(note.as_github_annotation(docs_prefix, command="notice"))
    for problem in sorted(problems, key=Problem.sort_key):
        print(problem, file=sys.stderr)
        if in_github:
            print(problem.as_github_annotation(docs_prefix))
    count = len(problems)
    print(f"{notes} notes, {drafts} drafts: {count} problem{'s' * (count != 1)}", file=sys.stderr)
    return 1 if count else 0


def _diff(base: str, config_file: Path) -> int:
    project, problems = read_project(config_file)
    if project is None:
        return _report(problems, 0, 0) and 2
    try:
        old = garden_at(base, config_file)
    except DiffError as error:
        print(f"python -m garden diff: {error}", file=sys.stderr)
        return 2
    print(render_markdown(diff_gardens(old, build_garden(Settings.for_project(project))), base))
    return 0


def _new(args: argparse.Namespace) -> int:
    project, problems = read_project(args.config_file)
    if project is None:
        return _report(problems, 0, 0) and 2
    settings = Settings.for_project(project)
    vocabulary, _ = load_vocabulary(settings.tags_file, settings.tags_file_shown_as)
    tags = note_tags(args.section, filter(None, (tag.strip() for tag in args.tags.split(","))))
    note = NewNote(args.title.strip(), args.summary.strip(), args.section, tags, args.date)
    try:
        file = create_note(settings.docs_dir, note, vocabulary, project.garden.sections)
    except ScaffoldError as error:
        print(f"python -m garden new: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"python -m garden new: cannot write {note.path}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"Created {file.relative_to(args.config_file.parent)}: write the note, link it from another note, "
          "then run `make check`.")
    return 0
