"""Worker processes draw the notes' chrome ahead in a clean build, then the share cards the
disk cache lacks, and change nothing published.

garden/pool.py on its own: values come from the workers, in any order asked; a worker that
fails, crashes or cannot fork leaves the build to compute those values itself, raising what it
would have raised without a pool; work shared before the runs is done once, by a worker or by the
build. Then real builds: the site is the same file for file, byte for byte, with one process
and with workers (the cards the workers drew are the ones published), and `mkdocs serve`
starts none.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Literal

import pytest
from conftest import copy_fixture, copy_real_garden, engine_command, project_config, subprocess_env

from garden.pool import RUN, Prerendered, SharedWork, can_fork, pool_size, worker_count

KEYS = [f"note-{index}" for index in range(3 * RUN + 5)]
"""Enough keys for four runs: with three workers, one of them draws two."""


def drawn_by(key: str) -> tuple[str, int]:
    return key.upper(), os.getpid()


@pytest.fixture
def parent() -> int:
    return os.getpid()


def test_the_variable_sets_the_processes_and_one_core_or_one_means_no_pool():
    assert worker_count({}, cpus=2) == (2, None)
    assert worker_count({}, cpus=16) == (4, None)
    assert worker_count({}, cpus=1) == (1, None)
    assert worker_count({"GARDEN_WORKERS": "1"}, cpus=8) == (1, None)
    assert worker_count({"GARDEN_WORKERS": " 6 "}, cpus=2) == (6, None)


@pytest.mark.parametrize("given", ["0", "two", "-1", "1.5"])
def test_a_value_that_is_no_number_of_processes_is_said_and_the_default_used(given):
    count, wrong = worker_count({"GARDEN_WORKERS": given}, cpus=2)
    assert count == 2
    assert wrong is not None and repr(given) in wrong and "GARDEN_WORKERS" in wrong


@pytest.mark.site
def test_workers_draw_every_value_and_the_build_takes_them_in_any_order(parent):
    ahead = Prerendered(KEYS, drawn_by, workers=4)
    try:
        values = {key: ahead.get(key) for key in [*KEYS[RUN:], *KEYS[:RUN]]}
    finally:
        ahead.close()
    assert {key: value[0] for key, value in values.items()} == {key: key.upper() for key in KEYS}
    pids = {pid for _, pid in values.values()}
    assert parent not in pids and len(pids) == 3  # three workers, none of it drawn by the build


@pytest.mark.site
def test_one_process_draws_nothing_ahead_and_starts_no_worker(parent):
    ahead = Prerendered(KEYS, drawn_by, workers=1)
    assert ahead.get(KEYS[0]) == (KEYS[0].upper(), parent)
    ahead.close()


@pytest.mark.site
def test_a_run_a_worker_fails_is_computed_by_the_build_which_meets_the_same_error(parent):
    """The key failing in the worker brings its run to the build; a key failing everywhere
    raises its own exception from `get`, as the build would without a pool."""

    def fragile(key: str) -> tuple[str, int]:
        if (key == KEYS[1] and os.getpid() != parent) or key == KEYS[-1]:
            raise ValueError(f"cannot draw {key}")
        return drawn_by(key)

    ahead = Prerendered(KEYS, fragile, workers=2)
    try:
        assert ahead.get(KEYS[0]) == (KEYS[0].upper(), parent)  # the run of the failed key
        assert ahead.get(KEYS[1]) == (KEYS[1].upper(), parent)
        assert ahead.get(KEYS[RUN])[1] != parent  # the next run is the worker's
        with pytest.raises(ValueError, match=f"cannot draw {KEYS[-1]}"):
            ahead.get(KEYS[-1])
    finally:
        ahead.close()


@pytest.mark.site
def test_a_worker_that_dies_leaves_its_runs_to_the_build(parent):
    def fatal(key: str) -> tuple[str, int]:
        if key == KEYS[RUN] and os.getpid() != parent:
            os._exit(3)
        return drawn_by(key)

    ahead = Prerendered(KEYS, fatal, workers=2)
    try:
        assert ahead.get(KEYS[0])[1] != parent  # drawn before the worker died
        assert [ahead.get(key)[1] for key in KEYS[RUN:]] == [parent] * len(KEYS[RUN:])
    finally:
        ahead.close()


@pytest.mark.site
def test_without_a_process_to_fork_the_build_draws_everything(monkeypatch, parent):
    def no_fork() -> int:
        raise BlockingIOError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    ahead = Prerendered(KEYS, drawn_by, workers=2)
    assert [ahead.get(key)[1] for key in KEYS] == [parent] * len(KEYS)
    ahead.close()


@pytest.mark.site
def test_closing_ends_the_workers_and_removes_their_files():
    ahead = Prerendered(KEYS, drawn_by, workers=3)
    folder, pids = ahead._folder, [pid for pid, _ in ahead._workers]
    assert folder is not None and len(pids) == 2
    ahead.get(KEYS[0])
    ahead.close()
    assert not folder.exists()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped
    assert ahead.get(KEYS[1])[0] == KEYS[1].upper()  # computed by the build from now on


SHARED = [f"card-{index}" for index in range(40)]


class Ledger:
    """Who did each key of shared work: a line per key done ("key pid"), appended whole by any
    process; `do` makes the key's value, the build's process id."""

    def __init__(self, folder: Path, fails_in_a_worker: str = "", ends_a_worker: str = "",
                 seconds: float = 0.0) -> None:
        self.file, self.parent = folder / "ledger", os.getpid()
        self.fails_in_a_worker, self.ends_a_worker, self.seconds = fails_in_a_worker, ends_a_worker, seconds

    def do(self, key: str) -> int:
        in_a_worker = os.getpid() != self.parent
        if in_a_worker and key == self.ends_a_worker:
            os._exit(3)
        if in_a_worker and key == self.fails_in_a_worker:
            raise ValueError(f"cannot do {key}")
        time.sleep(self.seconds)
        with self.file.open("a") as ledger:
            ledger.write(f"{key} {os.getpid()}\n")
        return os.getpid()

    def done(self) -> list[tuple[str, int]]:
        lines = self.file.read_text().split("\n") if self.file.exists() else []
        return [(key, int(pid)) for key, pid in (line.split() for line in lines if line)]

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while len(self.done()) < count and time.monotonic() < deadline:
            time.sleep(0.01)


def _shared(ledger: Ledger, workers: int, done_ahead: int) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Shared work before the chrome's runs, needed by the build once the workers did `done_ahead`
    keys: what `finish` returned (the build's own), and who did what."""
    work = SharedWork(SHARED, ledger.do)
    ahead = Prerendered(KEYS, drawn_by, workers, first=work)
    try:
        ledger.wait_for(done_ahead)
        mine = work.finish()
    finally:
        ahead.close()
    return mine, ledger.done()


@pytest.mark.site
def test_shared_work_done_by_the_workers_is_not_done_again(tmp_path, parent):
    mine, done = _shared(Ledger(tmp_path), workers=3, done_ahead=len(SHARED))
    assert mine == {}
    assert sorted(key for key, _ in done) == sorted(SHARED)  # each key once
    assert parent not in {pid for _, pid in done}


@pytest.mark.site
def test_the_build_and_a_worker_share_the_work_from_both_ends_each_key_once(tmp_path, parent):
    """The build needs the work at once: it does keys from the back while the worker does them
    from the front; the build waits only for the key being done."""
    mine, done = _shared(Ledger(tmp_path, seconds=0.005), workers=2, done_ahead=0)
    assert sorted(key for key, _ in done) == sorted(SHARED)
    by_build = [key for key, pid in done if pid == parent]
    assert sorted(mine) == sorted(by_build) and set(mine.values()) <= {parent}
    assert by_build == SHARED[len(SHARED) - len(by_build):][::-1]  # from the back, in order


@pytest.mark.site
def test_a_key_a_worker_fails_is_done_by_the_build(tmp_path, parent):
    mine, done = _shared(Ledger(tmp_path, fails_in_a_worker=SHARED[3]), workers=2, done_ahead=len(SHARED) - 1)
    assert mine == {SHARED[3]: parent}
    assert sorted(key for key, _ in done) == sorted(SHARED)


@pytest.mark.site
def test_the_keys_of_a_worker_that_dies_are_done_by_the_build(tmp_path, parent):
    mine, done = _shared(Ledger(tmp_path, ends_a_worker=SHARED[5]), workers=2, done_ahead=5)
    assert sorted(mine) == sorted(SHARED[5:])
    assert sorted(key for key, _ in done) == sorted(SHARED)


@pytest.mark.site
def test_without_workers_the_build_does_the_shared_work_as_it_reads_it(tmp_path):
    ledger = Ledger(tmp_path)
    work = SharedWork(SHARED, ledger.do)
    ahead = Prerendered(KEYS, drawn_by, workers=1, first=work)
    assert work.finish() == {} and ledger.done() == []
    ahead.close()


@pytest.mark.site
def test_workers_start_for_shared_work_alone(tmp_path, parent):
    ledger = Ledger(tmp_path)
    work = SharedWork(SHARED, ledger.do)
    ahead = Prerendered([], drawn_by, workers=2, first=work)
    try:
        assert ahead.started == 1
        ledger.wait_for(len(SHARED))
        assert work.finish() == {}
    finally:
        ahead.close()
    assert parent not in {pid for _, pid in ledger.done()}


def test_a_process_running_another_thread_is_not_copied():
    """(The test process may run threads of its own, a browser test's server: a fresh process
    says whether one without them may be copied.)"""
    fresh = subprocess.run([sys.executable, "-c", "from garden.pool import can_fork; print(can_fork())"],
                           env=subprocess_env(), capture_output=True, text=True, check=True)
    assert fresh.stdout.strip() == "True"
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not can_fork()
    finally:
        release.set()
        other.join()


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in site.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def real_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_real_garden(tmp_path_factory.mktemp("pool") / "garden")
    project_config(project)
    return project


def test_a_build_with_workers_publishes_the_same_site_byte_for_byte(real_project):
    """The real garden (trails, sources, glossary terms linked in the text, local graphs),
    built by `mkdocs build` as `make build` runs it, with one process and with three."""
    sites = {}
    for workers in ("1", "3"):
        site = real_project / f"site-{workers}"
        run = subprocess.run(engine_command("build", "--strict", "-v", "-f", str(real_project / "mkdocs.yml"),
                                            "-d", str(site)),
                             env=subprocess_env(GARDEN_WORKERS=workers), capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        drawn = [line for line in run.stderr.splitlines() if "drawn ahead" in line]
        if workers == "1":
            assert drawn == []
        else:  # 76 notes: two runs, one for each of two workers
            assert len(drawn) == 1 and "by 2 worker processes" in drawn[0], run.stderr
        sites[workers] = _files(site)
    assert sites["1"].keys() == sites["3"].keys()
    assert [path for path in sites["1"] if sites["1"][path] != sites["3"][path]] == []


BUILDS = """
import importlib, os, sys
if os.environ.get("GARDEN_ENGINE", "mkdocs") != "mkdocs":  # as tests/conftest.py does
    importlib.import_module(os.environ["GARDEN_ENGINE"] + ".replacement")
import time
from garden import cards, site as garden_site
from garden.chrome import Chrome
from mkdocs.commands.build import build
from mkdocs.config import load_config

forks, parent, note = [], os.getpid(), Chrome.note
real_fork = os.fork
def counted():
    forks.append(1)
    return real_fork()
os.fork = counted

def fails_in_a_worker(self, shown):
    if os.getpid() != parent:
        raise RuntimeError("a worker's failure")
    return note(self, shown)

def fails(self, shown):
    raise RuntimeError(f"the chrome of {shown.path} cannot be drawn")

draw, share_cards = cards.draw_card, garden_site.share_cards
def logged(card):
    if os.getpid() != parent and failure == "a card in a worker":
        raise RuntimeError("a worker's failure")
    if os.getpid() != parent and failure == "a worker ending at a card":
        os._exit(3)
    with open(ledger, "a") as drawn:
        drawn.write(("build " if os.getpid() == parent else "worker ") + card.title + "\\n")
    return draw(card)

def after_the_workers(texts, folder, session, drawn_ahead):
    deadline = time.monotonic() + 60
    while len(open(ledger).readlines()) < len(drawn_ahead) and time.monotonic() < deadline:
        time.sleep(0.01)
    return share_cards(texts, folder, session, drawn_ahead)

config_file, site, command, failure, ledger = sys.argv[1:]
open(ledger, "w").close()
Chrome.note = {"in a worker": fails_in_a_worker, "always": fails}.get(failure, note)
cards.draw_card = logged
if failure == "cards needed after the workers":
    garden_site.share_cards = after_the_workers
config = load_config(config_file, site_dir=site)
config.plugins.on_startup(command=command, dirty=False)
try:
    build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
except RuntimeError as error:
    print(f"failed: {error}")
print(f"forks: {len(forks)}")
"""
"""A build by MkDocs' `build` in a fresh process (no thread of the test process's), as a command
starts it, counting the processes it forks and writing who drew which card in a ledger; the
notes' chrome fails nowhere, in a worker or always; or a worker fails at a card or ends there;
or the cards are needed only once the workers drew them all."""


def _build(project: Path, site: str, command: Literal["build", "serve"], failure: str = "none",
           workers: str = "2") -> tuple[list[str], dict[str, bytes]]:
    """What the build printed, and the site it published; a cold build (an empty cache)."""
    ledger = project / f"{site}.drawn"
    arguments = [str(project / "mkdocs.yml"), str(project / site), command, failure, str(ledger)]
    run = subprocess.run([sys.executable, "-c", BUILDS, *arguments], capture_output=True, text=True,
                         env=subprocess_env(GARDEN_WORKERS=workers, TMPDIR=str(project / "tmp"),
                                            GARDEN_CACHE_DIR=str(project / f"{site}.cache")))
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines(), _files(project / site) if (project / site).is_dir() else {}


def _drawn(project: Path, site: str) -> list[tuple[str, str]]:
    """Each card drawn in a `_build`: by which process ("build", "worker"), with which title."""
    lines = (project / f"{site}.drawn").read_text(encoding="utf-8").splitlines()
    return [(who, title) for who, _, title in (line.partition(" ") for line in lines)]


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """Notes on a trail, citing sources and using glossary terms; a temporary folder of its own."""
    project = copy_fixture("references", tmp_path)
    project_config(project)
    (project / "tmp").mkdir()
    return project


def test_a_clean_build_forks_a_worker_and_mkdocs_serve_does_not(small_project):
    assert _build(small_project, "served", "serve")[0] == ["forks: 0"]
    assert _build(small_project, "clean", "build")[0] == ["forks: 1"]


def test_a_worker_failing_leaves_the_build_to_draw_the_chrome_itself(small_project):
    printed, expected = _build(small_project, "expected", "build", workers="1")
    assert printed == ["forks: 0"]
    printed, fallback = _build(small_project, "fallback", "build", failure="in a worker")
    assert printed == ["forks: 1"]
    assert fallback == expected
    assert list((small_project / "tmp").iterdir()) == []  # no worker's folder left


def test_an_error_drawing_the_chrome_stops_the_build_as_it_would_without_workers(small_project):
    failed = "failed: the chrome of career/first-step.md cannot be drawn"
    assert _build(small_project, "one", "build", failure="always", workers="1")[0] == [failed, "forks: 0"]
    assert _build(small_project, "two", "build", failure="always", workers="2")[0] == [failed, "forks: 1"]
    assert list((small_project / "tmp").iterdir()) == []


def _cards(site: dict[str, bytes]) -> dict[str, bytes]:
    return {path: content for path, content in site.items() if path.startswith("cards/")}


def test_the_cards_a_worker_draws_are_the_ones_published_byte_for_byte(small_project):
    """Cold builds: the build reads from the cache every card the worker drew, and draws none."""
    printed, expected = _build(small_project, "one", "build", workers="1")
    assert printed == ["forks: 0"]
    printed, site = _build(small_project, "two", "build", failure="cards needed after the workers")
    assert printed == ["forks: 1"]
    assert len(_cards(site)) > 10 and site == expected
    by_one, by_two = _drawn(small_project, "one"), _drawn(small_project, "two")
    assert {who for who, _ in by_one} == {"build"} and {who for who, _ in by_two} == {"worker"}
    assert sorted(title for _, title in by_two) == sorted(title for _, title in by_one)  # each once
    assert list((small_project / "tmp").iterdir()) == []


def test_the_build_and_a_worker_draw_the_cards_between_them_each_once(small_project):
    expected = _build(small_project, "one", "build", workers="1")[1]
    printed, site = _build(small_project, "two", "build")
    assert printed == ["forks: 1"]
    assert site == expected
    assert sorted(title for _, title in _drawn(small_project, "two")) == \
        sorted(title for _, title in _drawn(small_project, "one"))


@pytest.mark.parametrize("failure", ["a card in a worker", "a worker ending at a card"])
def test_a_worker_failing_at_a_card_leaves_the_build_to_draw_it(small_project, failure):
    expected = _build(small_project, "one", "build", workers="1")[1]
    printed, site = _build(small_project, "fallback", "build", failure=failure)
    assert printed == ["forks: 1"]
    assert site == expected
    assert {who for who, _ in _drawn(small_project, "fallback")} == {"build"}
    assert list((small_project / "tmp").iterdir()) == []


def test_a_served_build_or_one_that_cannot_fork_has_no_pool(monkeypatch):
    monkeypatch.setenv("GARDEN_WORKERS", "3")
    assert pool_size(serving=True) == (1, None)
    assert pool_size(serving=False) == (3 if can_fork() else 1, None)
