"""What gets published: "edit this page" only where there is a page to edit, and reproducible builds."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, build_project, copy_fixture, engine_command, subprocess_env

REPOSITORY = "https://github.com/acme/career-leadership-garden"
EDIT_BASE = REPOSITORY + "/edit/main/docs/"
NOT_BUILD_INPUTS = shutil.ignore_patterns(".git", ".venv", "site", "tests", "test-artifacts", ".*cache",
                                          ".hypothesis", "__pycache__")


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory):
    project = copy_fixture("linked", tmp_path_factory.mktemp("edit"))
    return build_project(project, overrides={"repo_url": REPOSITORY})


def edit_links(site, url: str) -> list[str]:
    return [a["href"] for a in site.page(url).select("a[rel=edit]")]


@pytest.mark.parametrize(("url", "source"), [
    ("career/leave/", "career/leave.md"),
    ("culture/lonely/", "culture/lonely.md"),
    ("", "index.md"),
])
def test_a_page_with_a_source_file_links_to_its_editor_on_github(linked_site, url, source):
    assert edit_links(linked_site, url) == [EDIT_BASE + source]


def test_the_header_links_to_the_repository(linked_site):
    header_and_drawer = linked_site.page("career/leave/").select("a.md-source")
    assert {a["href"] for a in header_and_drawer} == {REPOSITORY}


def test_the_placeholder_repository_is_never_published(tmp_path, caplog):
    """The repository mkdocs.yml ships with (github.com/example/…): a build warns, and the
    strict build still succeeds, without the header link or any edit button."""
    site = build_project(copy_fixture("linked", tmp_path))
    assert not site.aborted, site.warnings
    placeholder = "repo_url https://github.com/example/career-leadership-garden is a placeholder"
    assert any(placeholder in record.message for record in caplog.records if record.levelname == "WARNING")
    for url in ("", "career/leave/", "tags/career/"):
        page = site.page(url)
        assert page.select("a[rel=edit], a.md-source") == [], url
        assert "github.com/example" not in str(page), url


def test_generated_pages_have_no_edit_link(linked_site):
    sources = {f"{path.relative_to(linked_site.project / 'docs').with_suffix('').as_posix()}/"
               for path in (linked_site.project / "docs").rglob("*.md")}
    generated = [path.parent.relative_to(linked_site.site).as_posix() + "/"
                 for path in linked_site.site.rglob("index.html")]
    generated = [url for url in generated if url not in sources and url != "./"]
    assert {"tags/", "tags/career/", "career/", "culture/"} <= set(generated)
    for url in generated:
        assert edit_links(linked_site, url) == [], url


def test_the_sitemap_dates_each_note_by_its_last_change_not_by_the_build(tmp_path):
    project = copy_fixture("linked", tmp_path)
    growth = project / "docs" / "career" / "growth.md"
    text = growth.read_text(encoding="utf-8")
    growth.write_text(re.sub(r"(?m)^(created: .*)$", r"\1\nupdated: 2024-06-30", text), encoding="utf-8")
    site = build_project(project)
    assert not site.aborted, site.warnings
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    dates = dict(re.findall(r"<loc>https://example.org/garden/([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>",
                            sitemap))
    assert dates["career/growth/"] == "2024-06-30"
    leave = (project / "docs" / "career" / "leave.md").read_text(encoding="utf-8")
    assert dates["career/leave/"] == yaml.safe_load(leave.split("---")[1])["created"].isoformat()


def build_in_a_fresh_copy(destination: Path, hash_seed: str, timezone: str,
                          epoch: str | None) -> dict[str, str]:
    """Build the real garden from a copy of the project in `destination`, in a separate process
    (its own hash seed: set order must not leak into the output), and hash every file."""
    project = destination / "project"
    shutil.copytree(REPO, project, ignore=NOT_BUILD_INPUTS)
    site = destination / "site"
    env = subprocess_env(project, PYTHONHASHSEED=hash_seed, TZ=timezone)
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    command = engine_command("build", "--strict", "--quiet", "-f", "mkdocs.yml", "-d", str(site))
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def test_two_builds_of_the_same_sources_are_byte_identical_whenever_they_run(tmp_path):
    """Every date comes from front matter: not even SOURCE_DATE_EPOCH or the clock changes a byte,
    so the site main deploys is the one its pull request built, in another place and at another time."""
    first = build_in_a_fresh_copy(tmp_path / "first", hash_seed="1", timezone="UTC", epoch="1700000000")
    second = build_in_a_fresh_copy(tmp_path / "second", hash_seed="2", timezone="Asia/Tokyo", epoch=None)
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "tags/index.html"} <= set(first)
    assert sorted(path for path in first.keys() | second.keys() if first.get(path) != second.get(path)) == []
