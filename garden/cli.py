"""`python -m garden check`: validate the notes without building the site.

Fast enough for a pre-commit hook; in GitHub Actions each problem is also printed as a
workflow command so it shows up as an annotation on the pull request's diff.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from garden.build import Settings, build_garden
from garden.charts import CHARTS_DIR


def settings_from_mkdocs_yml(config_file: Path) -> Settings:
    """Read the garden's settings from `extra.garden` in mkdocs.yml, without MkDocs."""
    # mkdocs.yml may carry `!!python/name:` tags for Markdown extensions; ignore them here.
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    return settings_from_config(config_file.parent, config.get("docs_dir", "docs"),
                                (config.get("extra") or {}).get("garden") or {})


def settings_from_config(project_dir: Path, docs_dir: str, garden: dict) -> Settings:
    """The one place that turns `extra.garden` into `Settings` (used by the hook too)."""
    tags_file = garden.get("tags_file", "tags.yml")
    return Settings(docs_dir=project_dir / docs_dir, tags_file=project_dir / tags_file,
                    pages=frozenset(garden.get("pages", [])), tags_file_shown_as=tags_file,
                    charts_dir=project_dir / CHARTS_DIR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m garden", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every note and report all problems")
    check.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)

    settings = settings_from_mkdocs_yml(args.config_file)
    garden = build_garden(settings)
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
