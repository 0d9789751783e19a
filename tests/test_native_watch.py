"""`make serve` notices a save through the system's file events (hooks/native_watch.py).

The observer passes on changes and never reads (a build reads every note: passing reads on would
rebuild forever), `on_serve` moves every watched path to it with its count of watchers, and
`make serve POLL=1` or a system that cannot watch keeps MkDocs' polling. The last test serves a
garden with `mkdocs serve --dirty` and counts its builds while two saves reach the browser.
"""

from __future__ import annotations

import logging
import queue
import shlex
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from conftest import (
    REPO,
    copy_fixture,
    engine_command,
    make_dry_run,
    project_config,
    repo_mkdocs_yml,
    subprocess_env,
)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

sys.path.insert(0, str(REPO / "hooks"))
import native_watch  # hooks/ is no package: MkDocs loads its files by path

WAIT = 60.0
"""Seconds to wait for what must happen; a correct run waits a fraction of one."""


class _Recorder(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: queue.Queue[FileSystemEvent] = queue.Queue()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.put(event)

    def paths_until(self, path: Path) -> list[str]:
        """Names of the files events came for, up to and including the first for `path`."""
        names: list[str] = []
        while not names or names[-1] != path.name:
            names.append(Path(str(self.events.get(timeout=WAIT).src_path)).name)
        return names


def test_the_observer_passes_on_changes_and_never_reads(tmp_path):
    note, later = tmp_path / "note.md", tmp_path / "later.md"
    note.write_text("before", encoding="utf-8")
    recorder = _Recorder()
    observer = native_watch.ChangeObserver()
    observer.schedule(recorder, str(tmp_path), recursive=True)
    observer.start()
    try:
        note.read_text(encoding="utf-8")
        later.write_text("a change after the read", encoding="utf-8")  # events arrive in order
        assert "note.md" not in recorder.paths_until(later)
        note.write_text("after", encoding="utf-8")
        assert recorder.paths_until(note)[-1] == "note.md"
    finally:
        observer.stop()
        observer.join()


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[LiveReloadServer, str, str]]:
    """A server watching docs/ twice (as MkDocs and a plugin may) and mkdocs.yml once; its
    (never bound) socket is closed after the test."""
    docs, config = tmp_path / "docs", tmp_path / "mkdocs.yml"
    docs.mkdir()
    config.write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    for path in (docs, docs, config):
        server.watch(str(path))
    yield server, str(docs), str(config)
    server.server_close()


def _watched(server: LiveReloadServer) -> set[str]:
    return {emitter.watch.raw_path for emitter in server.observer.emitters}


def test_serving_moves_every_watched_path_to_the_native_observer_with_its_watchers(watching):
    server, docs, config = watching
    assert native_watch.on_serve(server, MkDocsConfig(), None) is server
    assert isinstance(server.observer, native_watch.ChangeObserver)
    assert _watched(server) == {docs, config}
    server.unwatch(docs)
    assert _watched(server) == {docs, config}  # a second watcher still holds it
    server.unwatch(docs)
    assert _watched(server) == {config}


@pytest.mark.parametrize("cause", ["POLL=1", "the system cannot watch"])
def test_polling_is_kept_when_asked_for_or_when_the_system_cannot_watch(watching, monkeypatch, caplog, cause):
    if cause == "POLL=1":
        monkeypatch.setenv(native_watch.POLL_VARIABLE, "1")
    else:
        def cannot_start(self: object) -> None:
            raise OSError(28, "inotify watch limit reached")
        monkeypatch.setattr(native_watch.ChangeObserver, "start", cannot_start)
    server, docs, config = watching
    with caplog.at_level(logging.WARNING):
        native_watch.on_serve(server, MkDocsConfig(), None)
    assert type(server.observer) is PollingObserver
    assert _watched(server) == {docs, config}
    warned = [record.getMessage() for record in caplog.records]
    assert warned == ([] if cause == "POLL=1" else [
        "garden: the system does not report file changes here ([Errno 28] inotify watch limit "
        "reached): make serve polls for them every 0.5 s instead"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _shows(url: str, text: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return text in response.read().decode("utf-8")
    except OSError:
        return False


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT * 5  # the first build of a cold machine included
    while not condition():
        assert time.monotonic() < deadline, "mkdocs serve never showed it"
        time.sleep(0.05)


def test_mkdocs_serve_rebuilds_once_per_save(tmp_path):
    project = copy_fixture("linked", tmp_path)
    config = project_config(project)
    port = _free_port()
    address = f"http://127.0.0.1:{port}{urllib.parse.urlsplit(repo_mkdocs_yml()['site_url']).path}"
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            engine_command("serve", "--dirty", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}"),
            stdout=output, stderr=subprocess.STDOUT, env=subprocess_env())
    try:
        note, url = project / "docs" / "career" / "growth.md", f"{address}career/growth/"
        _wait_for(partial(_shows, url, "Growing as an engineer"))
        for save in ("first-save-x", "second-save-x"):
            note.write_text(note.read_text(encoding="utf-8") + f"\n{save}\n", encoding="utf-8")
            _wait_for(partial(_shows, url, save))
        time.sleep(1.0)  # a server taking its builds' reads for saves would go on building meanwhile
    finally:
        server.terminate()
        server.wait(timeout=WAIT)
    logged = log.read_text(encoding="utf-8")
    assert logged.count("Building documentation") == 3, logged  # the first build and one per save
    # What the hooks keep quiet, whichever engine serves (their loggers are the engine's own):
    # the engine's warning on each dirty rebuild, and mkdocs-macros' INFO chatter.
    assert "'dirty' build" not in logged and "[macros" not in logged, logged


def test_make_serve_poll_reaches_the_hook():
    """`make serve POLL=1`, as the README offers it, sets the variable the hook reads."""
    [serve] = [shlex.split(command) for command in make_dry_run("serve", "POLL=1") if " serve " in command]
    assert f"{native_watch.POLL_VARIABLE}=1" in serve
    assert "`make serve POLL=1`" in (REPO / "README.md").read_text(encoding="utf-8")
