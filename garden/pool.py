"""Work drawn ahead in forked processes while the engine goes on with its own.

A clean build has two cores' worth of work on a machine with two, but MkDocs renders pages one
after another in one process. Work that depends on the garden alone (a note's chrome), known
once the model and the site's plan are made and read-only, can be done meanwhile by copies of
the build process (`fork`: they start with the model in memory, nothing is sent to them). Each
worker writes its values to a file per run of keys; the build reads a run when it first needs
one of its keys, and lets each value go once taken, so it holds about one run at a time.

Nothing here may change what is published: a value a worker made is the value the build would
have made itself, by the same code on the same model. Anything that goes wrong in a worker (an
exception, a crash, a file that cannot be written or read) only means the build computes those
values itself when it needs them, where the same exception is raised as without a pool.

Work the build needs all at once, before it asks for the first value, and whose results it can
find by itself (share cards, in the content-addressed disk cache), is `SharedWork`: the workers
do it first, and the build, when it needs it, does what no worker has begun, from the other end.

`GARDEN_WORKERS` sets how many processes do the work, the build's own included: `1` is no
pool. The default is the number of cores, at most 4; one core, no pool.
"""

from __future__ import annotations

import atexit
import gc
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection, Pipe
from pathlib import Path
from typing import Any, Generic, TypeVar

WORKERS_VARIABLE = "GARDEN_WORKERS"
MAX_DEFAULT_WORKERS = 4
RUN = 48
"""Keys per run: a note's chrome takes about 2 ms, so a run is about 0.1 s of a worker's work."""

WAIT = 0.002
"""Seconds between two looks at a key a worker is doing (a share card takes about 8 ms)."""

Value = TypeVar("Value")


def worker_count(environ: Mapping[str, str] = os.environ, cpus: int | None = None) -> tuple[int, str | None]:
    """How many processes share the garden's work, and why the variable was not used when it is
    set to something other than a whole number from 1 up."""
    cores = (os.cpu_count() or 1) if cpus is None else cpus
    default = max(1, min(cores, MAX_DEFAULT_WORKERS))
    given = environ.get(WORKERS_VARIABLE, "").strip()
    if not given:
        return default, None
    if given.isdecimal() and int(given) >= 1:
        return int(given), None
    return default, (f"{WORKERS_VARIABLE}={given!r} is not a number of processes: using {default}; "
                     "set it to a whole number from 1 (1: no worker processes)")


def pool_size(serving: bool) -> tuple[int, str | None]:
    """How many processes a build's pool has (`worker_count`, and its complaint about
    `GARDEN_WORKERS`): one under `make serve`, which renders a few pages per save, runs its
    server in threads and would wait for the workers to start; one when forking is not safe."""
    workers, wrong = worker_count()
    return (1 if serving or not can_fork() else workers), wrong


def can_fork() -> bool:
    """Whether copying this process is safe: only from the main thread of a process that has no
    other (a thread holding a lock when the copy is made would leave it held in the copy)."""
    return (hasattr(os, "fork") and threading.current_thread() is threading.main_thread()
            and threading.active_count() == 1)


class Prerendered(Generic[Value]):
    """`compute(key)` for each key, drawn ahead by `workers - 1` forked processes, the keys
    shared out in runs in the order given (the order the build will ask for them), so the first
    runs are ready first. `get` returns a worker's value, or computes it when there is none.
    Before their runs, the workers share in `first`, if given: work the build needs whole
    before it asks for the first value (MkDocs fills files, share cards among them, before it
    lays out the first page, and asks for its chrome)."""

    def __init__(self, keys: Sequence[str], compute: Callable[[str], Value], workers: int,
                 first: SharedWork[Any] | None = None) -> None:
        self._compute = compute
        self._first = first
        self._runs = [list(keys[start:start + RUN]) for start in range(0, len(keys), RUN)]
        self._run_of = {key: index for index, run in enumerate(self._runs) for key in run}
        self._held: dict[int, dict[str, Value]] = {}
        """The runs read so far and not yet handed out whole, by index."""
        self._finished: dict[int, bool] = {}
        """Runs a worker has finished, and whether it wrote their values."""
        self._workers: list[tuple[int, Connection]] = []
        self._folder: Path | None = None
        self.started = 0
        """How many worker processes were started."""
        self.drawn_ahead = 0
        """How many of the values handed out a worker made."""
        count = min(workers - 1, max(len(self._runs), len(first) if first else 0))
        if count < 1:
            return
        atexit.register(self.close)  # a build stopped by an error or Ctrl-C leaves no worker behind
        try:
            self._folder = Path(tempfile.mkdtemp(prefix="garden-pool-"))
            if first is not None:
                first.folder = self._folder
            for worker in range(count):
                self._start(worker, count)
            self.started = count
        except OSError:  # no room for the folder, or no process to be had: the build does it all
            self.close()

    def _start(self, worker: int, count: int) -> None:
        receiving, sending = Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # else the copy would write what is buffered again
            stream.flush()
        pid = os.fork()
        if pid == 0:  # the copy
            receiving.close()
            status = 1
            try:
                self._work(range(worker, len(self._runs), count), sending)
                status = 0
            finally:
                os._exit(status)  # never the parent's exit handlers, nor its `finally` blocks
        sending.close()
        self._workers.append((pid, receiving))

    def _work(self, runs: range, report: Connection) -> None:
        """In a worker: its share of `first`, then compute each run, write it whole, say whether it could."""
        gc.freeze()  # collections pass over the model's objects, which they would copy by touching
        assert self._folder is not None
        if self._first is not None:
            self._first.help()
        for index in runs:
            try:
                values = {key: self._compute(key) for key in self._runs[index]}
                partial = self._folder / f"{index}.partial"
                partial.write_bytes(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL))
                partial.replace(self._folder / f"{index}.pickle")
                written = True
            except Exception:  # the build computes this run itself, and meets the error there
                written = False
            report.send((index, written))

    def get(self, key: str) -> Value:
        """The value of `key`: taken from its run (waiting for the worker drawing it), else computed."""
        index = self._run_of.get(key)
        if index is not None and index not in self._held:
            self._held[index] = self._read(index)
        held = self._held.get(index, {}) if index is not None else {}
        if key in held:
            value = held.pop(key)
            if not held:
                del self._held[index]  # type: ignore[arg-type]  # index is set when held is not empty
            self.drawn_ahead += 1
            return value
        return self._compute(key)

    def _read(self, index: int) -> dict[str, Value]:
        """Run `index` as its worker wrote it; empty when it could not be made or read."""
        if not self._workers or not self._wait_for(index):
            return {}
        assert self._folder is not None
        file = self._folder / f"{index}.pickle"
        try:
            values: dict[str, Value] = pickle.loads(file.read_bytes())
        except Exception:  # a file gone or damaged: computed again, as if never drawn
            return {}
        file.unlink(missing_ok=True)  # read once (the temporary folder may be held in memory)
        return values

    def _wait_for(self, index: int) -> bool:
        """Whether the worker drawing run `index` wrote it; reads its reports until it says."""
        _, connection = self._workers[index % len(self._workers)]
        while index not in self._finished:
            try:
                finished, written = connection.recv()
            except (EOFError, OSError):  # the worker ended early: its remaining runs are not drawn
                return False
            self._finished[finished] = written
        return self._finished[index]

    def close(self) -> None:
        """End the workers (done or not) and remove their files."""
        for pid, connection in self._workers:
            connection.close()
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
        self._workers = []
        if self._first is not None:
            self._first.folder = None  # what is left of it, the build does itself
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._held.clear()
        atexit.unregister(self.close)


class SharedWork(Generic[Value]):
    """`do(key)` for each key, once, by whichever process claims the key first. A worker keeps
    nothing it does: `do` puts its result where the build finds it by itself (a share card in
    the content-addressed disk cache). Workers claim keys from the front before their own runs;
    the build, when it needs the work done (`finish`), claims keys from the back until
    it meets the workers, then waits only for the keys a worker is doing at that moment, and
    does itself those of a worker that ended without doing them. A claim is a symbolic link to
    the claimer's process id in the pool's folder (made or refused at once, whole); a key done
    by a worker gets a second one, "done" or "failed" (the build does that one again). With no
    worker (`folder` unset), `finish` does nothing: the build does each key as it reads it."""

    def __init__(self, keys: Sequence[str], do: Callable[[str], Value]) -> None:
        self._keys = list(dict.fromkeys(keys))
        self._do = do
        self.folder: Path | None = None
        """Where the claims are made; set by `Prerendered` while its workers run."""

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def shared(self) -> bool:
        """Whether workers share in the work (they may yet fail at it: `finish` sees to that)."""
        return self.folder is not None

    def help(self) -> None:
        """In a worker: do every key no other process has claimed, from the front. One that
        fails is marked so: the build does it again, and meets the error there."""
        for index, key in enumerate(self._keys):
            if not self._mark(index, "claimed"):
                continue
            try:
                self._do(key)
            except Exception:
                self._mark(index, "failed")
            else:
                self._mark(index, "done")

    def finish(self) -> dict[str, Value]:
        """In the build, once the work is needed: the values of the keys it did itself (those
        the workers did are where `do` put them, for the build to read); none without workers."""
        mine: dict[str, Value] = {}
        if self.folder is None:
            return mine
        index = len(self._keys) - 1
        while index >= 0 and self._mark(index, "claimed", unmarkable=True):
            mine[self._keys[index]] = self._do(self._keys[index])
            index -= 1
        # The workers claim in order: every key before the first one the build could not claim is theirs.
        for earlier in range(index + 1):
            if not self._wait(earlier):
                mine[self._keys[earlier]] = self._do(self._keys[earlier])
        return mine

    def _mark(self, index: int, state: str, unmarkable: bool = False) -> bool:
        """Whether this process made key `index`'s marker of `state` ("claimed", "done"): a
        symbolic link to its process id, made whole or refused when another process made it;
        `unmarkable` when none can be made (the build then does the key itself, a worker not)."""
        assert self.folder is not None
        try:
            os.symlink(str(os.getpid()), self.folder / f"{index}.{state}")
        except FileExistsError:
            return False
        except OSError:
            return unmarkable
        return True

    def _wait(self, index: int) -> bool:
        """Wait while the worker that claimed key `index` does it: False if it failed at it or
        ended first."""
        assert self.folder is not None
        done, failed = self.folder / f"{index}.done", self.folder / f"{index}.failed"
        try:
            claimer = int(os.readlink(self.folder / f"{index}.claimed"))
        except (OSError, ValueError):
            return done.is_symlink()
        while not done.is_symlink():
            if failed.is_symlink() or _ended(claimer):
                return done.is_symlink()
            time.sleep(WAIT)
        return True


def _ended(pid: int) -> bool:
    """Whether the worker `pid` has ended (left for `Prerendered.close` to collect)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True
