"""The data service's configuration, its defaults and its checks.

The one place the command line (cli), the server, the HJ 212 listener (ingest) and the API
take them from: cli imports the server (lazily, to start it), so the server and the listener
must not import cli back.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from dispatch_app.network.registry import DEFAULT_REGISTRY

DEFAULT_IDLE_TIMEOUT_S = 900.0  # longer than a minute-data station's silence; water reconnects
DEFAULT_MAX_CONNECTIONS = 2000

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
    history_days: int = 0
    exit_with_stdin: bool = False
    token: str | None = None
    idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
    max_connections: int = DEFAULT_MAX_CONNECTIONS


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_config(config: ServiceConfig) -> None:
    """Refuse a configuration that must not start; raises `ConfigError` saying why."""
    if not is_loopback(config.host) and not config.token:
        raise ConfigError(
            f"listening on {config.host} (beyond loopback) needs a bearer token: "
            f"--token or {TOKEN_ENV}"
        )
    if config.speed <= 0:
        raise ConfigError("--speed must be positive")
    if config.backfill_hours < 0:
        raise ConfigError("--backfill-hours must not be negative")
    if config.history_days < 0:
        raise ConfigError("--history-days must not be negative")
