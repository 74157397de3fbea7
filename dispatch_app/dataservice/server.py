"""The data service as one program: HJ 212 ingest, the writer and the HTTP API on one asyncio loop.

Start-up order makes the ready line a promise: the registry is loaded and checked, the database
is opened, both listeners are bound, and only then is ``{"event": "ready", ...}`` printed on
stdout (docs/contracts.md). A parent (the desk) can therefore connect as soon as it reads it.

Shutdown (SIGTERM, SIGINT, or stdin closing with ``--exit-with-stdin``) runs in the reverse order
and loses nothing accepted: the simulator stops, the HJ 212 listener stops taking packets, the
writer commits what it holds, the HTTP server finishes its requests, the database is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Generator
from typing import Any, TextIO

import uvicorn

from dispatch_app.dataservice.api import ServiceState, create_app, guarded
from dispatch_app.dataservice.config import VERSION, ConfigError, ServiceConfig, check_config
from dispatch_app.dataservice.ingest import (
    MAX_FUTURE_S,
    IngestLimits,
    IngestServer,
    IngestStats,
    ObservationWriter,
)
from dispatch_app.dataservice.storage import Storage, StorageError
from dispatch_app.network.registry import Registry, RegistryError, load_registry

log = logging.getLogger("dispatch_app.dataservice")


class _QuietUvicorn(uvicorn.Server):
    """uvicorn without its own signal handling: the service owns SIGTERM/SIGINT and shuts the
    ingest and the writer down before the HTTP side."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _watch_stdin(stream: TextIO, on_close: Callable[[], None]) -> threading.Thread:
    """Call ``on_close`` when the parent closes our stdin (or dies): the embedded child's leash."""

    def run() -> None:
        with contextlib.suppress(Exception):
            fd = stream.fileno()
            while os.read(fd, 65536):
                pass
        on_close()

    thread = threading.Thread(target=run, name="ds-stdin", daemon=True)
    thread.start()
    return thread


def _load_simulation() -> Callable[..., Any]:
    try:
        from dispatch_app.dataservice.simulator import run_simulation
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("dispatch_app.dataservice.simulator"):
            raise ConfigError(
                "--simulate: the network simulator (dispatch_app/dataservice/simulator.py) "
                "is not installed in this build"
            ) from exc
        raise
    return run_simulation


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose protocol
    # says TCP, and without it small answers wait ~40 ms on the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen for HTTP on {host}:{port}: {exc}") from exc
    sock.listen(1024)
    sock.setblocking(False)
    return sock


async def serve(config: ServiceConfig, out: TextIO = sys.stdout) -> None:
    """Run the service until ``stop`` is requested by a signal or stdin; raises `ConfigError`."""
    check_config(config)
    token = config.token
    run_simulation = _load_simulation() if config.simulate else None
    try:
        registry: Registry = load_registry(config.registry_path)
    except RegistryError as exc:
        raise ConfigError(str(exc)) from exc
    if not config.db_url:
        raise ConfigError("--db URL is required (e.g. sqlite:///path/observations.db)")
    loop = asyncio.get_running_loop()
    try:
        storage = await loop.run_in_executor(None, Storage, config.db_url)
    except StorageError as exc:
        raise ConfigError(str(exc)) from exc

    if run_simulation is not None and config.history_days > 0:
        # Before the ready line: a desk that connects finds a year of curves and indicators.
        from dispatch_app.dataservice.history import ensure_history

        try:
            await loop.run_in_executor(
                None,
                lambda: ensure_history(
                    storage,
                    registry.stations,
                    config.history_days,
                    seed=config.seed,
                ),
            )
        except StorageError as exc:
            storage.close()
            raise ConfigError(str(exc)) from exc

    stop = asyncio.Event()
    stats = IngestStats()
    writer = ObservationWriter(storage, stats)
    limits = IngestLimits(
        idle_timeout_s=config.idle_timeout_s,
        max_connections=config.max_connections,
        # An accelerated simulation stamps its data ahead of the wall clock on purpose.
        max_future_s=None if config.simulate and config.speed > 1 else MAX_FUTURE_S,
    )
    ingest = IngestServer(registry, writer, limits, stats)
    http_sock: socket.socket | None = None
    http: _QuietUvicorn | None = None
    http_task: asyncio.Task[None] | None = None
    sim_task: asyncio.Task[Any] | None = None
    installed: list[signal.Signals] = []
    try:
        writer.start()
        try:
            hj212_port = await ingest.start(config.host, config.hj212_port)
        except OSError as exc:
            raise ConfigError(
                f"cannot listen for HJ 212 on {config.host}:{config.hj212_port}: {exc}"
            ) from exc
        http_sock = _bind(config.host, config.http_port)
        http_port = http_sock.getsockname()[1]
        state = ServiceState(registry, storage, stats, VERSION, time.time(), token)
        app = guarded(create_app(state), token)
        http = _QuietUvicorn(
            uvicorn.Config(
                app,
                log_level="warning",
                log_config=None,  # our logging (stderr); stdout carries only the ready line
                access_log=False,
                lifespan="off",
                timeout_graceful_shutdown=5,
                limit_concurrency=256,
            )
        )
        http_task = loop.create_task(http.serve(sockets=[http_sock]), name="ds-http")
        while not http.started:
            if http_task.done():
                http_task.result()
                raise ConfigError("the HTTP server stopped during start-up")
            await asyncio.sleep(0.01)

        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
                installed.append(sig)
        if config.exit_with_stdin:
            _watch_stdin(sys.stdin, lambda: _call_soon(loop, stop.set))

        # Everything loaded so far (modules, registry, app) lives as long as the process: move
        # it out of the collector's reach so full collections stay short (API latency).
        gc.freeze()
        host_for_url = f"[{config.host}]" if ":" in config.host else config.host
        ready = {
            "event": "ready",
            "http": f"http://{host_for_url}:{http_port}",
            "hj212_port": hj212_port,
        }
        out.write(json.dumps(ready) + "\n")
        out.flush()
        log.info("data service ready: %s", ready)

        if run_simulation is not None:
            sim_host = "127.0.0.1" if config.host in ("0.0.0.0", "::") else config.host
            sim_task = loop.create_task(
                run_simulation(
                    registry,
                    sim_host,
                    hj212_port,
                    speed=config.speed,
                    scenario=config.scenario,
                    seed=config.seed,
                    backfill_hours=config.backfill_hours,
                    stop=stop,
                ),
                name="ds-simulator",
            )
            sim_task.add_done_callback(_report_simulation_end)

        stop_wait = loop.create_task(stop.wait())
        await asyncio.wait({stop_wait, http_task}, return_when=asyncio.FIRST_COMPLETED)
        stop_wait.cancel()
    finally:
        stop.set()
        log.info("data service stopping")
        if sim_task is not None:
            try:
                await asyncio.wait_for(sim_task, 10)
            except (TimeoutError, Exception):
                sim_task.cancel()
                with contextlib.suppress(BaseException):
                    await sim_task
        await ingest.close()
        await writer.stop()
        if http is not None and http_task is not None:
            http.should_exit = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(http_task, 10)
        if http_sock is not None:
            http_sock.close()
        for sig in installed:
            loop.remove_signal_handler(sig)
        await loop.run_in_executor(None, storage.close)
        log.info("data service stopped")


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    with contextlib.suppress(RuntimeError):  # the loop already closed: nothing left to stop
        loop.call_soon_threadsafe(callback)


def _report_simulation_end(task: asyncio.Task[Any]) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        log.error("the simulator stopped with an error; the service keeps running", exc_info=exc)
