"""`make serve` starts a rebuild when the operating system reports a save, not at MkDocs' next poll.

MkDocs 1.6 watches with watchdog's polling observer: every 0.5 s it lists and stats every file
under docs/ (README, "Performance", has its cost), so a save waits a quarter of a second on
average before its rebuild starts, and the idle server keeps polling. `on_serve` is where
MkDocs lets a plugin change its server before it starts: this hook moves every watched path to
watchdog's native observer (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows), which reports a save at once and costs nothing while nobody types.

Native observers also report reads (a file opened, closed without writing). MkDocs' server takes
any event as a change, and every build reads every note: passed on, reads would rebuild forever.
Only changes are passed on.

MkDocs' polling stays where native events are unavailable (the system's limit on watches is
reached: the observer cannot start) and where they never arrive (a network drive, a folder
mounted into a container from another system): `make serve POLL=1` asks for it.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

log = get_plugin_logger("garden")

CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]
"""Events that change what a build reads; opening or reading a file is not one of them."""

POLL_VARIABLE = "GARDEN_SERVE_POLL"
"""Set to a non-empty value (`make serve POLL=1`) to keep MkDocs' polling observer."""


class ChangeObserver(Observer):  # type: ignore[misc,valid-type]  # watchdog's per-platform alias
    """watchdog's native observer, passing on only the events in `CHANGES`."""

    def schedule(self, event_handler: FileSystemEventHandler, path: str | os.PathLike[str], *,
                 recursive: bool = False, event_filter: list[type[FileSystemEvent]] | None = None,
                 follow_symlink: bool = False) -> ObservedWatch:
        """Schedule as watchdog does, with `CHANGES` as the filter unless the caller gives one."""
        watch: ObservedWatch = super().schedule(
            event_handler, path, recursive=recursive, follow_symlink=follow_symlink,
            event_filter=CHANGES if event_filter is None else event_filter)
        return watch


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Move every path the server watches so far (docs/, mkdocs.yml, what plugins added) to a
    `ChangeObserver`; paths watched later (mkdocs.yml's `watch:`) go to it directly."""
    if os.environ.get(POLL_VARIABLE):
        return server
    # A watch keeps the path it was given (`raw_path`): watchdog watches a file's folder.
    watches = {(emitter.watch.raw_path, emitter.watch.is_recursive) for emitter in server.observer.emitters}
    if not _native_events_available({path for path, _ in watches}):
        return server
    counts = {watch: _unwatch(server, watch[0]) for watch in watches}
    server.observer = ChangeObserver()
    for (path, recursive), count in counts.items():
        for _ in range(count):
            server.watch(path, recursive=recursive)
    return server


def _unwatch(server: LiveReloadServer, path: str) -> int:
    """Stop watching `path` and say how many watchers it had: MkDocs counts them, and raises
    KeyError for a path it does not watch."""
    count = 0
    while True:
        try:
            server.unwatch(path)
        except KeyError:
            return count
        count += 1


def _native_events_available(paths: set[str]) -> bool:
    """Whether a native observer can watch `paths`: it only finds out when it starts, which the
    server does after this hook, where an error would stop `make serve` with a traceback."""
    probe = ChangeObserver()
    try:
        for path in paths:
            probe.schedule(FileSystemEventHandler(), path, recursive=True)
        probe.start()
    except OSError as error:
        log.warning(f"the system does not report file changes here ({error}): "
                    "make serve polls for them every 0.5 s instead")
        return False
    finally:
        probe.stop()  # also stops the watches of a probe that failed to start
    probe.join()
    return True
