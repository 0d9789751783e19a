"""A build publishes the whole site or nothing: an interrupted build leaves the previous one whole."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import build_project, copy_fixture, engine_command, note_text, project_config, subprocess_env

from garden import publishing


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.timeout(900)  # two builds of 300 notes and a wait of up to 300 s for the third to start
def test_a_build_killed_halfway_leaves_the_previous_site_whole(tmp_path):
    project = copy_fixture("linked", tmp_path)
    for index in range(300):  # long enough to be caught writing
        body = f"Note {index} links to [[n{(index + 1) % 300}]]."
        (project / "docs" / "career" / f"n{index}.md").write_text(note_text(f"Note {index}", body=body),
                                                                  encoding="utf-8")
    config = project_config(project)
    built = build_project(project, strict=False)
    before = files_of(built.site)
    assert len(before) > 300
    changed = note_text("Changed", body="Changed.")
    (project / "docs" / "career" / "n0.md").write_text(changed, encoding="utf-8")
    build = subprocess.Popen(engine_command("build", "-q", "-f", str(config), "-d", str(built.site)),
                             cwd=project, env=subprocess_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    staging = publishing.staging_dir(built.site)
    deadline = time.monotonic() + 300  # a bound, not a benchmark: the kill needs the build under way
    while build.poll() is None and time.monotonic() < deadline and not any(staging.glob("**/index.html")):
        time.sleep(0.005)
    assert build.poll() is None, "the build ended before it could be interrupted"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert files_of(built.site) == before
    # The next build clears what the killed one left, and publishes the change.
    assert build_project(project, strict=False).aborted is False
    assert not staging.exists()
    assert "Changed" in (built.site / "career" / "n0" / "index.html").read_text(encoding="utf-8")


def test_a_publish_stopped_between_its_renames_is_put_right_by_the_next_build(tmp_path):
    site = tmp_path / "site"
    staging = publishing.prepare(site)
    (staging / "page.html").write_text("old", encoding="utf-8")
    publishing.publish(staging, site)
    # Killed after setting the old site aside, before the new one took its place:
    site.rename(tmp_path / ".site.previous")
    staging = publishing.prepare(site)
    assert (site / "page.html").read_text(encoding="utf-8") == "old"
    assert list(staging.iterdir()) == []


def test_a_failed_build_publishes_nothing(tmp_path):
    site = tmp_path / "site"
    staging = publishing.prepare(site)
    (staging / "page.html").write_text("first", encoding="utf-8")
    publishing.publish(staging, site)
    staging = publishing.prepare(site)
    (staging / "page.html").write_text("half", encoding="utf-8")
    publishing.abandon(staging)
    assert (site / "page.html").read_text(encoding="utf-8") == "first"
    assert not staging.exists()
