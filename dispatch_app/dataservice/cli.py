"""The data service's command line: arguments, checks, and the configuration they make.

Kept apart from server.py so that ``--help`` and argument errors answer without importing the
web and database stacks.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dispatch_app.dataservice.config import (
    DEFAULT_IDLE_TIMEOUT_S,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_REGISTRY,
    EXIT_CONFIG,
    TOKEN_ENV,
    VERSION,
    ConfigError,
    ServiceConfig,
    check_config,
    is_loopback,
)

__all__ = [
    "DEFAULT_IDLE_TIMEOUT_S",
    "DEFAULT_MAX_CONNECTIONS",
    "EXIT_CONFIG",
    "TOKEN_ENV",
    "VERSION",
    "ConfigError",
    "ServiceConfig",
    "build_parser",
    "check_config",
    "config_from_args",
    "is_loopback",
    "main",
]


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
        "--history-days",
        type=int,
        default=0,
        metavar="D",
        help="before the ready line, store D days of hourly history of the national and "
        "provincial air stations and the water sections, computed from the simulator's models "
        "(at least back to 1 January of last year); once per database, later starts add only "
        "the days since (with --simulate)",
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
        default=DEFAULT_IDLE_TIMEOUT_S,
        metavar="S",
        help="close an HJ 212 connection silent for S seconds",
    )
    p.add_argument(
        "--max-connections",
        type=int,
        default=DEFAULT_MAX_CONNECTIONS,
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
    if (args.scenario or args.backfill_hours or args.history_days) and not args.simulate:
        build_parser().error("--scenario, --backfill-hours and --history-days need --simulate")
    if args.idle_timeout <= 0 or args.max_connections <= 0:
        build_parser().error("--idle-timeout and --max-connections must be positive")
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
        history_days=args.history_days,
        exit_with_stdin=args.exit_with_stdin,
        token=args.token or os.environ.get(TOKEN_ENV) or None,
        idle_timeout_s=args.idle_timeout,
        max_connections=args.max_connections,
    )


def main(argv: Sequence[str] | None = None) -> int:
    config = config_from_args(argv)
    try:
        check_config(config)
    except ConfigError as exc:
        print(f"data service: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    # The service itself (FastAPI, SQLAlchemy, uvicorn) is imported only now, so --help and
    # argument errors answer at once.
    from dispatch_app.dataservice.server import serve

    try:
        asyncio.run(serve(config))
    except ConfigError as exc:
        print(f"data service: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    return 0
