"""Fixtures of the data-service tests: a small registry file written by the test itself, and the
real data service started as a subprocess on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

AIR_PARAMS = [
    {"key": "PM2.5", "code": "a34004", "unit": "µg/m³"},
    {"key": "PM10", "code": "a34002", "unit": "µg/m³"},
    {"key": "O3", "code": "a05024", "unit": "µg/m³"},
]
WATER_PARAMS = [
    {"key": "DO", "code": "w01009", "unit": "mg/L"},
    {"key": "TP", "code": "w21011", "unit": "mg/L"},
]


def station_entry(i: int, kind: str = "air_national", **over: Any) -> dict[str, Any]:
    water = kind.startswith("water")
    entry: dict[str, Any] = {
        "id": f"{'WQ' if water else 'AQ'}-T-{i:02d}",
        "mn": f"32040000TEST{i:012d}",
        "name": f"测试{i}",
        "name_en": f"Test {i}",
        "kind": kind,
        "district": "xinbei",
        "lon": 119.9 + i * 0.01,
        "lat": 31.8,
        "interval_s": 14400 if water else 60,
        "sample": True,
        "parameters": WATER_PARAMS if water else AIR_PARAMS,
        "target_class": 3 if water else None,
        "waterbody": "river" if water else None,
        "river": "京杭运河" if water else None,
        "downstream": [],
    }
    entry.update(over)
    return entry


def registry_document(n_air: int = 3, n_water: int = 1) -> dict[str, Any]:
    stations = [station_entry(i) for i in range(1, n_air + 1)]
    stations += [station_entry(100 + i, "water_national") for i in range(1, n_water + 1)]
    return {"attribution": "test registry", "stations": stations}


@pytest.fixture
def registry_path(tmp_path: Path) -> Path:
    path = tmp_path / "stations.json"
    path.write_text(json.dumps(registry_document(), ensure_ascii=False), encoding="utf-8")
    return path


@dataclass
class RunningService:
    process: subprocess.Popen[str]
    http: str
    hj212_port: int
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


def start_service(
    tmp_path: Path,
    registry: Path,
    db_url: str,
    *extra: str,
    env: dict[str, str] | None = None,
    timeout_s: float = 30.0,
) -> RunningService:
    """Start ``python -m dispatch_app.dataservice`` and wait for its ready line."""
    err = tmp_path / f"service-{time.monotonic_ns()}.err"
    cmd = [
        sys.executable,
        "-m",
        "dispatch_app.dataservice",
        "--host",
        "127.0.0.1",
        "--http-port",
        "0",
        "--hj212-port",
        "0",
        "--db",
        db_url,
        "--registry",
        str(registry),
        "--exit-with-stdin",
        *extra,
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=err.open("w"),
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout_s
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line or proc.poll() is not None:
            break
    if not line:
        proc.kill()
        raise AssertionError(f"no ready line; stderr:\n{err.read_text()}")
    ready = json.loads(line)
    assert ready["event"] == "ready"
    return RunningService(proc, ready["http"], int(ready["hj212_port"]), err)


def stop_service(service: RunningService) -> int:
    """Close stdin (the embedded child's leash) and wait for a clean exit."""
    proc = service.process
    if proc.poll() is None:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
            raise AssertionError("the data service did not exit when stdin closed") from None
    return proc.returncode


@pytest.fixture
def service(tmp_path: Path, registry_path: Path) -> Iterator[RunningService]:
    svc = start_service(tmp_path, registry_path, f"sqlite:///{tmp_path / 'obs.db'}")
    try:
        yield svc
    finally:
        stop_service(svc)
