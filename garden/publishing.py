"""A build replaces the published site whole, or leaves it as it was.

MkDocs empties the site folder first and then writes page after page: a build killed halfway
(a CI job cancelled, a laptop closing, `kill -9`) left a site with some of its files, which a
deploy step or a local preview would serve as if it were whole. So a clean build writes into
a staging folder beside the site, and only a build that got to its end swaps it in: two
renames on one file system, with the previous site kept aside between them, so even a kill
between the renames leaves a whole site, which the next build puts back.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    """Where a clean build writes before it is published: a hidden folder beside the site."""
    return site_dir.with_name(f".{site_dir.name}.building")


def _previous_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.previous")


def prepare(site_dir: Path) -> Path:
    """An empty staging folder for a build of `site_dir`, after putting right what an
    interrupted build left: its half-written staging folder is removed, and a site set aside
    by a publish that was stopped between its two renames is put back."""
    staging, previous = staging_dir(site_dir), _previous_dir(site_dir)
    if previous.is_dir():
        if site_dir.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(site_dir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, site_dir: Path) -> None:
    """Put the finished build in `staging` where the site is, and remove the old site."""
    previous = _previous_dir(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)


def abandon(staging: Path) -> None:
    """A build that failed publishes nothing: its staging folder goes, the site stays."""
    shutil.rmtree(staging, ignore_errors=True)
