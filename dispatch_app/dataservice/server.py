"""The data service as one program: HJ 212 ingest, the writer and the HTTP API on one asyncio loop.

Start-up order makes the ready line a promise: the registry is loaded and checked, the database
is opened, both listeners are bound, and only then is ``{"event": "ready", ...}`` printed on
stdout (docs/contracts.md). A parent (the desk) can therefore connect as soon as it reads it.

Shutdown (SIGTERM, SIGINT, or stdin closing with ``--exit-with-stdin``) runs in the reverse order
and loses nothing accepted: the simulator stops, the HJ 212 listener stops taking packets, the
writer commits what it holds, the HTTP server finishes its requests, the database is closed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import uvicorn

from dispatch_app.dataservice.api import ServiceState, create_app, guarded
from dispatch_app.dataservice.ingest import (
    IngestLimits,
    IngestServer,
    IngestStats,
    ObservationWriter,
)
from dispatch_app.dataservice.registry import (
    DEFAULT_REGISTRY,
    Registry,
    RegistryError,
    load_registry,
)
from dispatch_app.dataservice.storage import Storage, StorageError

log = logging.getLogger("dispatch_app.dataservice")

VERSION = "0.1.0"
TOKEN_ENV = "DISPATCH_DATASERVICE_TOKEN"
EXIT_CONFIG = 2  # bad arguments, registry or database: nothing was started


class ConfigError(Exception):
    """A start-up problem the operator must fix; the message says what."""


@dataclass(frozen=True)
class ServiceConfig:
    host: str = "127.0.0.1"
    http_port: int = 0
    hj212_port: int = 0
    db_url: str = ""
    registry_path: Path = DEFAULT_REGISTRY
    simulate: bool = False
    scenario: str | None = None
    speed: float = 1.0
    seed: int = 0
    backfill_hours: int = 0
    exit_with_stdin: bool = False
    token: str | None = None
    limits: IngestLimits = field(default_factory=IngestLimits)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
            raw = stream.buffer if hasattr(stream, "buffer") else None
            while raw.read(1) if raw is not None else stream.read(1):
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
    sock = socket.socket(family, socket.SOCK_STREAM)
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
    token = config.token
    if not is_loopback(config.host) and not token:
        raise ConfigError(
            f"listening on {config.host} (beyond loopback) needs a bearer token: "
            f"--token or {TOKEN_ENV}"
        )
    if config.speed <= 0:
        raise ConfigError("--speed must be positive")
    if config.backfill_hours < 0:
        raise ConfigError("--backfill-hours must not be negative")
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

    stop = asyncio.Event()
    stats = IngestStats()
    writer = ObservationWriter(storage, stats)
    ingest = IngestServer(registry, writer, config.limits, stats)
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


# --- command line -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dispatch_app.dataservice",
        description=(
            "Reference data service of the dispatch desk: HJ 212—2017 ingest over TCP, "
            "observation storage and the HTTP API v1. Prints one JSON ready line on stdout "
            "when both listeners are up."
        ),
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address of both listeners (default 127.0.0.1; beyond loopback a "
        "bearer token is required)",
    )
    p.add_argument("--http-port", type=int, default=0, help="HTTP API port (0: a free port)")
    p.add_argument("--hj212-port", type=int, default=0, help="HJ 212 TCP port (0: a free port)")
    p.add_argument(
        "--db",
        required=True,
        metavar="URL",
        help="database URL: sqlite:///path/file.db or postgresql+psycopg://...",
    )
    p.add_argument(
        "--registry",
        type=Path,
        default=DEFAULT_REGISTRY,
        metavar="PATH",
        help=f"station registry JSON (default {DEFAULT_REGISTRY})",
    )
    p.add_argument(
        "--simulate",
        action="store_true",
        help="run the network simulator, sending HJ 212 to the ingest port",
    )
    p.add_argument("--scenario", metavar="NAME", help="drill scenario to play (with --simulate)")
    p.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="simulated seconds per real second (with --simulate)",
    )
    p.add_argument("--seed", type=int, default=0, help="simulator random seed")
    p.add_argument(
        "--backfill-hours",
        type=int,
        default=0,
        metavar="H",
        help="simulate the past H hours first (with --simulate)",
    )
    p.add_argument(
        "--exit-with-stdin",
        action="store_true",
        help="exit when standard input closes (when embedded in the desk)",
    )
    p.add_argument(
        "--token",
        default=None,
        help=f"bearer token required from HTTP clients (or env {TOKEN_ENV})",
    )
    p.add_argument(
        "--idle-timeout",
        type=float,
        default=IngestLimits.idle_timeout_s,
        metavar="S",
        help="close an HJ 212 connection silent for S seconds",
    )
    p.add_argument(
        "--max-connections",
        type=int,
        default=IngestLimits.max_connections,
        help="most HJ 212 connections at once",
    )
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return p


def config_from_args(argv: Sequence[str] | None = None) -> ServiceConfig:
    args = build_parser().parse_args(argv)
    for name in ("http_port", "hj212_port"):
        port = getattr(args, name)
        if not 0 <= port <= 65535:
            build_parser().error(f"--{name.replace('_', '-')} must be 0–65535")
    if (args.scenario or args.backfill_hours) and not args.simulate:
        build_parser().error("--scenario and --backfill-hours need --simulate")
    if args.idle_timeout <= 0 or args.max_connections <= 0:
        build_parser().error("--idle-timeout and --max-connections must be positive")
    limits = IngestLimits(idle_timeout_s=args.idle_timeout, max_connections=args.max_connections)
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return ServiceConfig(
        host=args.host,
        http_port=args.http_port,
        hj212_port=args.hj212_port,
        db_url=args.db,
        registry_path=args.registry,
        simulate=args.simulate,
        scenario=args.scenario,
        speed=args.speed,
        seed=args.seed,
        backfill_hours=args.backfill_hours,
        exit_with_stdin=args.exit_with_stdin,
        token=args.token or os.environ.get(TOKEN_ENV) or None,
        limits=limits,
    )


def main(argv: Sequence[str] | None = None) -> int:
    config = config_from_args(argv)
    try:
        asyncio.run(serve(config))
    except ConfigError as exc:
        print(f"data service: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    return 0
