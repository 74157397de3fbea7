"""The embedded data service: the reference data service run as a child process of the desk.

A child process, never threads inside the desk (DESIGN.md): ingest and simulation would otherwise
compete with the UI for the interpreter, and a crash in one would take down the other. The desk
starts it on free loopback ports, reads its ready line, watches it and restarts it with backoff
when it dies, and stops it with itself.

Threads here only *watch* the child: one drains its stdout (a full pipe would block it), one waits
for it to exit. State callbacks therefore arrive on the watcher thread; a Qt receiver gets them
through a queued signal (ui/feed_bridge.py).

`--exit-with-stdin` ties the child's life to ours: if the desk is killed outright, the pipe closes
and the child exits, so no orphan keeps the ports and the database file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

DATABASE_FILE = "dataservice.db"
LOG_FILE = "dataservice.log"
STDERR_TAIL_BYTES = 4000
LOG_ROTATE_BYTES = 5 * 1024 * 1024
HISTORY_DAYS = 400  # the desk's embedded service: a year and more of curves and indicators
HISTORY_READY_TIMEOUT_S = 180.0  # the first start computes and stores that history


class EmbeddedServiceError(RuntimeError):
    """The embedded data service could not be started; the message carries its stderr tail."""


class EmbeddedState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    RESTARTING = "restarting"  # died; waiting out the backoff or starting again
    FAILED = "failed"  # gave up (restart disabled or too many failures)


@dataclass(frozen=True, slots=True)
class EmbeddedStatus:
    state: EmbeddedState
    url: str | None = None
    hj212_port: int | None = None
    pid: int | None = None
    restarts: int = 0
    last_error: str | None = None


StatusSubscriber = Callable[[EmbeddedStatus], None]


class EmbeddedDataService:
    """Start, watch and stop the reference data service as a child process."""

    def __init__(
        self,
        database: Path | str,
        *,
        simulate: bool = True,
        backfill_hours: int | None = 48,
        history_days: int | None = None,
        speed: float | None = None,
        scenario: str | None = None,
        extra_args: Sequence[str] = (),
        python: str = sys.executable,
        host: str = "127.0.0.1",
        log_path: Path | None = None,
        ready_timeout_s: float = 60.0,
        stop_grace_s: float = 5.0,
        restart: bool = True,
        restart_backoff_s: float = 1.0,
        max_restart_backoff_s: float = 30.0,
        max_restarts: int | None = None,
    ) -> None:
        """`database` is a file path (SQLite) or a SQLAlchemy URL."""
        self.database_url = (
            database
            if isinstance(database, str) and "://" in database
            else f"sqlite:///{Path(database)}"
        )
        self.simulate = simulate
        self.backfill_hours = backfill_hours
        self.history_days = history_days
        self.speed = speed
        self.scenario = scenario
        self.extra_args = tuple(extra_args)
        self.python = python
        self.host = host
        self.log_path = log_path
        self.ready_timeout_s = ready_timeout_s
        self.stop_grace_s = stop_grace_s
        self.restart = restart
        self.restart_backoff_s = restart_backoff_s
        self.max_restart_backoff_s = max_restart_backoff_s
        self.max_restarts = max_restarts
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self._status = EmbeddedStatus(EmbeddedState.STOPPED)
        self._subs: list[StatusSubscriber] = []
        self._ports: tuple[int, int] = (0, 0)
        self._restarts = 0

    # --- public -----------------------------------------------------------------------------

    @property
    def status(self) -> EmbeddedStatus:
        return self._status

    @property
    def url(self) -> str | None:
        return self._status.url

    @property
    def pid(self) -> int | None:
        return self._status.pid

    def subscribe(self, callback: StatusSubscriber) -> Callable[[], None]:
        """Called on every state change, on the watcher thread (or the caller's, for start/stop)."""
        self._subs.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subs.remove(callback)

        return unsubscribe

    def command(self, http_port: int = 0, hj212_port: int = 0) -> list[str]:
        cmd = [
            self.python,
            "-m",
            "dispatch_app.dataservice",
            "--host",
            self.host,
            "--http-port",
            str(http_port),
            "--hj212-port",
            str(hj212_port),
            "--db",
            self.database_url,
            "--exit-with-stdin",
        ]
        if self.simulate:
            cmd.append("--simulate")
            if self.backfill_hours:
                cmd += ["--backfill-hours", str(int(self.backfill_hours))]
            if self.history_days:
                cmd += ["--history-days", str(int(self.history_days))]
        if self.speed is not None:
            cmd += ["--speed", f"{self.speed:g}"]
        if self.scenario:
            cmd += ["--scenario", self.scenario]
        cmd += list(self.extra_args)
        return cmd

    def start(self) -> EmbeddedStatus:
        """Start the child and wait for its ready line; then watch it. Raises
        `EmbeddedServiceError` (with the child's stderr tail) when it does not come up."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return self._status
            self._stopping.clear()
            self._set(EmbeddedStatus(EmbeddedState.STARTING))
            try:
                self._spawn(0, 0)
            except EmbeddedServiceError as exc:
                self._set(replace(self._status, state=EmbeddedState.FAILED, last_error=str(exc)))
                raise
            self._watcher = threading.Thread(
                target=self._watch, name="dataservice-watch", daemon=True
            )
            self._watcher.start()
            return self._status

    def stop(self, grace_s: float | None = None) -> None:
        """Stop the child: close its stdin and terminate it, kill it after the grace period
        (`grace_s`, default `stop_grace_s`; the desk's quit gives it less). A start in progress
        on another thread is abandoned within half a second."""
        self._stopping.set()
        grace = self.stop_grace_s if grace_s is None else grace_s
        # Not under the lock: a start in progress holds it while it waits for the ready line.
        proc = self._proc
        self._proc = None
        if proc is not None:
            self._terminate(proc, grace)
        watcher, self._watcher = self._watcher, None
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join(timeout=grace + 1.0)
        self._close_stderr()
        if self._status.state is not EmbeddedState.STOPPED:
            self._set(replace(self._status, state=EmbeddedState.STOPPED, pid=None))

    close = stop

    def __enter__(self) -> EmbeddedDataService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- child process ----------------------------------------------------------------------

    def _open_stderr(self) -> IO[bytes]:
        """stderr goes to a log file (appended), so it can neither fill a pipe nor be lost; on a
        failed start its tail is what the error message shows."""
        self._close_stderr()
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                if self.log_path.stat().st_size > LOG_ROTATE_BYTES:
                    self.log_path.replace(self.log_path.with_suffix(".log.1"))
            handle: IO[bytes] = open(self.log_path, "a+b")  # noqa: SIM115 - kept open for the child
        else:
            import tempfile

            handle = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the child
        self._stderr = handle
        return handle

    def _close_stderr(self) -> None:
        if self._stderr is not None:
            with contextlib.suppress(OSError):
                self._stderr.close()
            self._stderr = None

    def _stderr_tail(self, start: int) -> str:
        handle = self._stderr
        if handle is None:
            return ""
        try:
            handle.flush()
            end = handle.seek(0, os.SEEK_END)
            handle.seek(max(start, end - STDERR_TAIL_BYTES))
            data = handle.read()
            handle.seek(0, os.SEEK_END)
        except (OSError, ValueError):
            return ""
        return data.decode("utf-8", "replace").strip()

    def _spawn(self, http_port: int, hj212_port: int) -> None:
        cmd = self.command(http_port, hj212_port)
        stderr = self._open_stderr()
        stderr.seek(0, os.SEEK_END)
        stderr.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
        stderr.flush()
        start_offset = stderr.tell()
        # The child must import this very dispatch_app, installed or not.
        root = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH")
        env = dict(
            os.environ,
            PYTHONUNBUFFERED="1",
            PYTHONPATH=root + (os.pathsep + path if path else ""),
        )
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
            )
        except OSError as exc:
            raise EmbeddedServiceError(
                f"could not start the embedded data service ({cmd[0]}): {exc}"
            ) from exc
        assert proc.stdout is not None
        lines: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(
            target=self._drain_stdout,
            args=(proc.stdout, lines),
            name="dataservice-stdout",
            daemon=True,
        ).start()
        deadline = time.monotonic() + self.ready_timeout_s
        ready: dict[str, object] | None = None
        while ready is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._terminate(proc)
                raise EmbeddedServiceError(
                    f"embedded data service gave no ready line within {self.ready_timeout_s:g} s"
                    + self._tail_suffix(start_offset)
                )
            if self._stopping.is_set():  # the desk is closing while the child starts
                self._terminate(proc)
                raise EmbeddedServiceError("embedded data service start abandoned: desk stopping")
            try:
                line = lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                if proc.poll() is not None:
                    line = None
                else:
                    continue
            if line is None:
                code = proc.wait()
                raise EmbeddedServiceError(
                    f"embedded data service exited with code {code} before it was ready"
                    + self._tail_suffix(start_offset)
                )
            ready = _ready_event(line)
        try:
            url = str(ready["http"])
            hj212 = int(str(ready["hj212_port"]))
        except (KeyError, ValueError) as exc:
            self._terminate(proc)
            raise EmbeddedServiceError(f"embedded data service ready line lacks {exc}") from exc
        with self._lock:
            self._proc = proc
        if self._stopping.is_set():  # stop() ran while the child came up: it missed this one
            self._proc = None
            self._terminate(proc)
            raise EmbeddedServiceError("embedded data service start abandoned: desk stopping")
        self._ports = (int(url.rsplit(":", 1)[-1].split("/")[0]), hj212)
        self._set(
            replace(
                self._status,
                state=EmbeddedState.RUNNING,
                url=url,
                hj212_port=hj212,
                pid=proc.pid,
                restarts=self._restarts,
            )
        )
        log.info("embedded data service ready at %s (pid %d)", url, proc.pid)

    def _tail_suffix(self, start: int) -> str:
        tail = self._stderr_tail(start)
        return f"; its last output:\n{tail}" if tail else "; it wrote nothing to stderr"

    @staticmethod
    def _drain_stdout(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
        try:
            for line in iter(stream.readline, b""):
                lines.put(line)
                text = line.decode("utf-8", "replace").rstrip()
                if text:
                    log.debug("dataservice: %s", text)
        except (OSError, ValueError):
            pass
        finally:
            lines.put(None)
            with contextlib.suppress(OSError):
                stream.close()

    def _terminate(self, proc: subprocess.Popen[bytes], grace_s: float | None = None) -> None:
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.terminate()
            grace = self.stop_grace_s if grace_s is None else grace_s
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                log.warning(
                    "embedded data service did not stop within %g s; killing pid %d",
                    grace,
                    proc.pid,
                )
                with contextlib.suppress(OSError):
                    proc.kill()
                proc.wait()

    # --- watching ---------------------------------------------------------------------------

    def _watch(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            with self._lock:
                proc = self._proc
            if proc is None:
                return
            started = time.monotonic()
            code = proc.wait()
            if self._stopping.is_set():
                return
            tail = self._stderr_tail(0)[-1000:]
            error = f"embedded data service exited with code {code}" + (
                f"; its last output:\n{tail}" if tail else ""
            )
            log.error("%s", error)
            if time.monotonic() - started > 60:
                failures = 0  # it ran a good while: this is a new incident, not a crash loop
            if not self.restart or (
                self.max_restarts is not None and self._status.restarts >= self.max_restarts
            ):
                self._set(
                    replace(self._status, state=EmbeddedState.FAILED, pid=None, last_error=error)
                )
                return
            while not self._stopping.is_set():
                delay = min(self.restart_backoff_s * 2**failures, self.max_restart_backoff_s)
                self._set(
                    replace(
                        self._status, state=EmbeddedState.RESTARTING, pid=None, last_error=error
                    )
                )
                if self._stopping.wait(delay):
                    return
                failures += 1
                # Same ports first, so a poller keeps its URL; any free port if they are taken.
                attempts = [self._ports, (0, 0)] if self._ports != (0, 0) else [(0, 0)]
                for http_port, hj212_port in attempts:
                    try:
                        with self._lock:
                            if self._stopping.is_set():
                                return
                            self._restarts += 1
                            self._spawn(http_port, hj212_port)
                        break
                    except EmbeddedServiceError as exc:
                        self._restarts -= 1
                        error = str(exc)
                        log.error("restart of the embedded data service failed: %s", exc)
                else:
                    continue
                break

    def _set(self, status: EmbeddedStatus) -> None:
        if status == self._status:
            return
        self._status = status
        for cb in list(self._subs):
            try:
                cb(status)
            except Exception:
                log.exception("embedded data service subscriber failed")


def _ready_event(line: bytes) -> dict[str, object] | None:
    try:
        event = json.loads(line)
    except ValueError:
        return None
    if isinstance(event, dict) and event.get("event") == "ready":
        return event
    return None


def make_embedded(data_dir: Path, **options: object) -> EmbeddedDataService:
    """The desk's embedded data service, not started yet: free loopback ports, a simulated
    network with 48 h of history sent over HJ 212 and more than a year of hourly history stored
    at its first start, its database and log in `data_dir`. The desk holds it before starting
    it, so that quitting during the start can stop it."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    options.setdefault("history_days", HISTORY_DAYS)
    if options["history_days"]:
        options.setdefault("ready_timeout_s", HISTORY_READY_TIMEOUT_S)
    return EmbeddedDataService(
        data_dir / DATABASE_FILE,
        log_path=data_dir / LOG_FILE,
        **options,  # type: ignore[arg-type]
    )


def start_embedded(data_dir: Path, **options: object) -> EmbeddedDataService:
    """`make_embedded`, started (waits for the ready line)."""
    service = make_embedded(data_dir, **options)
    service.start()
    return service
