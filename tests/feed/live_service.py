"""The real data service for feed tests: started as a child process (through the desk's own
EmbeddedDataService, the code path the desk uses), fed with real HJ 212 packets over TCP."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dispatch_app.dataservice.hj212 import encode, now_qn
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.feed.records import Station, parse_stations
from dispatch_app.resources import resources_dir

REGISTRY = resources_dir() / "stations.json"
CST_OFFSET = timedelta(hours=8)


def registry() -> tuple[Station, ...]:
    return parse_stations(json.loads(REGISTRY.read_text("utf-8")))


@contextmanager
def running_service(
    db: str | Path, log_path: Path, **options: object
) -> Iterator[EmbeddedDataService]:
    options.setdefault("simulate", False)
    options.setdefault("ready_timeout_s", 30.0)
    options.setdefault("stop_grace_s", 5.0)
    service = EmbeddedDataService(db, log_path=log_path, **options)  # type: ignore[arg-type]
    service.start()
    try:
        yield service
    finally:
        service.stop()


def packet(station: Station, when: datetime, value: float, flag: str = "N") -> bytes:
    """One real-time data packet (CN 2011) with every parameter of the station, reply asked."""
    cp = {"DataTime": (when.astimezone(UTC) + CST_OFFSET).strftime("%Y%m%d%H%M%S")}
    for i, p in enumerate(station.parameters):
        cp[f"{p.code}-Rtd"] = f"{value + i:.3f}"
        cp[f"{p.code}-Flag"] = flag
    st = "21" if station.kind.startswith("water") else "22"
    return encode(st=st, cn="2011", mn=station.mn, cp=cp, flag=5, qn=now_qn())


def send(port: int, packets: Iterable[bytes], timeout: float = 20.0) -> int:
    """Send packets on one connection and wait for a data reply to each: the service replies only
    once the observations are committed, so afterwards they are visible through the API."""
    data = list(packets)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"".join(data))
        buffer = b""
        replies = 0
        while replies < len(data):
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"service closed after {replies}/{len(data)} replies")
            buffer += chunk
            while b"\r\n" in buffer:
                line, buffer = buffer.split(b"\r\n", 1)
                if b"CN=9011" in line and b"QnRtn=1" not in line:
                    raise AssertionError(f"packet refused: {line!r}")
                if b"CN=9014" in line:
                    replies += 1
    return replies
