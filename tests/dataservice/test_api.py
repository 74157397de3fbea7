"""The HTTP API against the real data service, started as a subprocess on loopback."""

from __future__ import annotations

import asyncio
import io
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from dispatch_app.dataservice.cli import (
    DEFAULT_IDLE_TIMEOUT_S,
    DEFAULT_MAX_CONNECTIONS,
    TOKEN_ENV,
    ConfigError,
    config_from_args,
    is_loopback,
)
from dispatch_app.dataservice.hj212 import encode, parse
from dispatch_app.dataservice.ingest import IngestLimits
from dispatch_app.dataservice.server import serve
from dispatch_app.dataservice.storage import Observation, Storage
from dispatch_app.network.reporting import DEFAULT_REPORTING
from tests.dataservice.conftest import (
    ROOT,
    RunningService,
    registry_document,
    start_service,
    stop_service,
)

MN1 = "32040000TEST000000000001"
MN2 = "32040000TEST000000000002"


def mn(i: int) -> str:
    return f"32040000TEST{i:012d}"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    """One service for the tests that each use their own stations (starting one costs seconds)."""
    tmp = tmp_path_factory.mktemp("api")
    registry = tmp / "stations.json"
    registry.write_text(json.dumps(registry_document(n_air=8), ensure_ascii=False), "utf-8")
    svc = start_service(tmp, registry, f"sqlite:///{tmp / 'obs.db'}")
    try:
        yield svc
    finally:
        assert stop_service(svc) == 0


PROBLEM = "application/problem+json"


def stamp(minutes_ago: int) -> str:
    return time.strftime("%Y%m%d%H%M00", time.gmtime(time.time() + 8 * 3600 - minutes_ago * 60))


def send_minutes(port: int, mn: str, minutes: range, value: float = 30.0) -> None:
    """Send one minute packet per minute over real TCP; wait for the 9014 of the last one."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for i, m in enumerate(minutes):
            cp = {
                "DataTime": stamp(m),
                "a34004-Avg": f"{value + i:.1f}",
                "a34004-Flag": "N",
                "a34002-Avg": f"{2 * value:.1f}",
                "a34002-Flag": "N",
            }
            last = i == len(minutes) - 1
            sock.sendall(encode(st="22", cn="2051", mn=mn, cp=cp, flag=5 if last else 4))
        buf = b""
        while not buf.endswith(b"\r\n"):
            chunk = sock.recv(4096)
            assert chunk, "connection closed before the data reply"
            buf += chunk
        assert parse(buf).cn == "9014"


def get(svc: RunningService, path: str, **params: Any) -> requests.Response:
    return requests.get(svc.http + path, params=params, timeout=10)


def assert_problem(resp: requests.Response, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = resp.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


def test_ready_line_health_openapi_and_stations(
    service: RunningService, registry_path: Path
) -> None:
    assert service.http.startswith("http://127.0.0.1:") and service.hj212_port > 0
    health = get(service, "/api/v1/health").json()
    assert health["status"] == "ok" and health["stations"] == 4
    assert health["cursor"] == 0 and health["last_ingest"] is None
    assert "+08:00" in health["started"]
    spec = get(service, "/openapi.json").json()
    assert {
        "/api/v1/health",
        "/api/v1/stations",
        "/api/v1/latest",
        "/api/v1/series",
        "/api/v1/updates",
    } <= set(spec["paths"])
    doc = json.loads(registry_path.read_text(encoding="utf-8"))
    # The entries as registered, each with its resolved reporting rules.
    assert get(service, "/api/v1/stations").json() == {
        "stations": [
            {**e, "reporting": DEFAULT_REPORTING[e["kind"]].to_json()} for e in doc["stations"]
        ]
    }
    water = get(service, "/api/v1/stations", kind="water_national").json()["stations"]
    assert [s["id"] for s in water] == ["WQ-T-101"]
    body = assert_problem(get(service, "/api/v1/stations", kind="air_secret"), 422)
    assert body["errors"][0]["loc"] == ["query", "kind"]


def test_unknown_route_is_a_problem(shared: RunningService) -> None:
    assert_problem(get(shared, "/api/v1/nothing"), 404)
    assert_problem(requests.post(shared.http + "/api/v1/latest", timeout=5), 405)


def test_latest_after_ingest(shared: RunningService) -> None:
    before = get(shared, "/api/v1/latest").json()["cursor"]
    send_minutes(shared.hj212_port, mn(1), range(5, 0, -1))
    send_minutes(shared.hj212_port, mn(2), range(2, 0, -1), value=50.0)
    body = get(shared, "/api/v1/latest").json()
    assert body["cursor"] == before + 14
    items = {
        (i["station"], i["parameter"]): i
        for i in body["items"]
        if i["station"] in ("AQ-T-01", "AQ-T-02")
    }
    assert set(items) == {
        ("AQ-T-01", "PM2.5"),
        ("AQ-T-01", "PM10"),
        ("AQ-T-02", "PM2.5"),
        ("AQ-T-02", "PM10"),
    }
    assert items[("AQ-T-01", "PM2.5")]["value"] == 34.0  # the newest minute, not the first sent
    assert items[("AQ-T-01", "PM2.5")]["flag"] == "N"
    assert items[("AQ-T-01", "PM2.5")]["time"].endswith("+08:00")
    assert items[("AQ-T-02", "PM10")]["value"] == 100.0
    assert get(shared, "/api/v1/latest", kind="water_national").json()["items"] == []
    health = get(shared, "/api/v1/health").json()
    assert health["cursor"] == before + 14 and health["last_ingest"] is not None
    assert health["ingest"]["packets_ok"] >= 7


def test_updates_cursor_has_no_gap_no_duplicate(shared: RunningService) -> None:
    service = shared
    start = get(service, "/api/v1/health").json()["cursor"]
    send_minutes(service.hj212_port, mn(3), range(30, 0, -1))
    seen: list[int] = []
    after = start
    pages = 0
    while True:
        body = get(service, "/api/v1/updates", after=after, limit=7).json()
        pages += 1
        seqs = [i["seq"] for i in body["items"]]
        assert len(seqs) <= 7
        if seqs:
            assert body["cursor"] == seqs[-1]
        else:
            assert body["cursor"] == after
        seen += seqs
        after = body["cursor"]
        if not body["more"]:
            break
    assert seen == list(range(start + 1, start + 61)) and pages == 9
    # more data later continues exactly where the client stopped
    send_minutes(service.hj212_port, mn(4), range(3, 0, -1))
    body = get(service, "/api/v1/updates", after=after).json()
    assert [i["seq"] for i in body["items"]] == list(range(start + 61, start + 67))
    assert not body["more"] and {i["station"] for i in body["items"]} == {"AQ-T-04"}
    end = start + 66
    assert get(service, "/api/v1/updates", after=end).json() == {
        "cursor": end,
        "more": False,
        "items": [],
    }
    # parameters are validated
    assert_problem(get(service, "/api/v1/updates", after=-1), 422)
    assert_problem(get(service, "/api/v1/updates", after="abc"), 422)
    assert_problem(get(service, "/api/v1/updates", limit=0), 422)
    assert_problem(get(service, "/api/v1/updates", limit=10001), 422)
    # a cursor from another database (the service was replaced): say so instead of silence
    body = assert_problem(get(service, "/api/v1/updates", after=end + 500), 409)
    assert body["type"].endswith("cursor-ahead")


def test_series_raw_and_hourly(shared: RunningService) -> None:
    service = shared
    send_minutes(service.hj212_port, mn(5), range(10, 0, -1))
    now = time.time()
    start = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(now + 8 * 3600 - 3 * 3600))
    end = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(now + 8 * 3600 + 60))
    raw = get(
        service, "/api/v1/series", station="AQ-T-05", parameter="PM2.5", start=start, end=end
    ).json()
    assert raw["unit"] == "µg/m³" and raw["resolution"] == "raw" and not raw["truncated"]
    assert [p["value"] for p in raw["points"]] == [30.0 + i for i in range(10)]
    cut = get(
        service,
        "/api/v1/series",
        station="AQ-T-05",
        parameter="PM2.5",
        start=start,
        end=end,
        limit=4,
    ).json()
    assert len(cut["points"]) == 4 and cut["truncated"]
    hourly = get(
        service,
        "/api/v1/series",
        station="AQ-T-05",
        parameter="PM2.5",
        start=start,
        end=end,
        resolution="hour",
    ).json()
    assert hourly["resolution"] == "hour" and len(hourly["points"]) >= 3
    # ten minutes of data is far from the 45 a valid hourly average needs
    assert all(p["flag"] == "H" and p["value"] is None for p in hourly["points"])
    assert sum(p["count"] for p in hourly["points"]) == 10


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"station": "NOPE", "parameter": "PM2.5"}, 404),
        ({"station": "AQ-T-01", "parameter": "TP"}, 404),
        ({"station": "AQ-T-01", "parameter": "PM2.5", "resolution": "week"}, 422),
        ({"station": "AQ-T-01", "parameter": "PM2.5", "start": "2026-11-28T00:00:00"}, 422),
        ({"station": "AQ-T-01", "parameter": "PM2.5", "end": "2026-11-27T00:00:00+08:00"}, 422),
        ({"station": "AQ-T-01", "parameter": "PM2.5", "start": "yesterday"}, 422),
        ({"station": "AQ-T-01", "parameter": "PM2.5", "limit": 50001}, 422),
        ({"station": "AQ-T-01"}, 422),
    ],
)
def test_series_bad_parameters(shared: RunningService, params: dict[str, Any], status: int) -> None:
    query = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"} | params
    assert_problem(get(shared, "/api/v1/series", **query), status)


def test_beyond_loopback_needs_a_token(tmp_path: Path, registry_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "dispatch_app.dataservice",
        "--host",
        "0.0.0.0",
        "--db",
        f"sqlite:///{tmp_path / 'o.db'}",
        "--registry",
        str(registry_path),
    ]
    env = {k: v for k, v in __import__("os").environ.items() if k != "DISPATCH_DATASERVICE_TOKEN"}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=30, env=env)
    assert done.returncode == 2 and done.stdout == ""
    assert "token" in done.stderr
    # with the token from the environment it starts, and demands it
    svc = start_service(
        tmp_path,
        registry_path,
        f"sqlite:///{tmp_path / 'o2.db'}",
        "--host",
        "0.0.0.0",
        env={"DISPATCH_DATASERVICE_TOKEN": "t0k"},
    )
    try:
        url = svc.http.replace("0.0.0.0", "127.0.0.1")
        body = assert_problem(requests.get(url + "/api/v1/latest", timeout=5), 401)
        assert "Bearer" in body["detail"]
        for wrong in ("Bearer nope", "Bearer t0k0", "Bearer  t0k", "t0k", "Basic dDBrOg=="):
            resp = requests.get(url + "/api/v1/latest", headers={"Authorization": wrong}, timeout=5)
            assert_problem(resp, 401)
        assert_problem(requests.get(url + "/openapi.json", timeout=5), 401)
        ok = requests.get(
            url + "/api/v1/latest", headers={"Authorization": "Bearer t0k"}, timeout=5
        )
        assert ok.status_code == 200
    finally:
        assert stop_service(svc) == 0


def test_bad_start_up_exits_2_with_a_message(tmp_path: Path, registry_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "dispatch_app.dataservice",
        "--db",
        f"sqlite:///{tmp_path / 'o.db'}",
        "--registry",
        "/nonexistent/stations.json",
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "cannot read" in done.stderr and done.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--registry", "/nonexistent/stations.json"], "cannot read"),
        (["--db", "mysql://x/y"], "unsupported"),
        (["--db", "sqlite://"], "in-memory"),
        (["--speed", "0", "--simulate"], "speed"),
        (["--host", "192.0.2.1"], "token"),
    ],
)
def test_bad_configuration_is_refused_before_anything_starts(
    tmp_path: Path, registry_path: Path, args: list[str], message: str
) -> None:
    argv = ["--db", f"sqlite:///{tmp_path / 'o.db'}", "--registry", str(registry_path), *args]
    config = config_from_args(argv)
    with pytest.raises(ConfigError, match=message):
        asyncio.run(serve(config, io.StringIO()))


def test_token_from_the_command_line_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert config_from_args(["--db", "sqlite:///x.db"]).token is None
    assert config_from_args(["--db", "sqlite:///x.db", "--token", "abc"]).token == "abc"
    monkeypatch.setenv(TOKEN_ENV, "fromenv")
    assert config_from_args(["--db", "sqlite:///x.db"]).token == "fromenv"
    assert config_from_args(["--db", "sqlite:///x.db", "--token", "abc"]).token == "abc"


def test_cli_defaults_are_the_ingest_defaults() -> None:
    assert IngestLimits().idle_timeout_s == DEFAULT_IDLE_TIMEOUT_S
    assert IngestLimits().max_connections == DEFAULT_MAX_CONNECTIONS
    config = config_from_args(["--db", "sqlite:///x.db", "--idle-timeout", "5"])
    assert config.idle_timeout_s == 5 and config.max_connections == DEFAULT_MAX_CONNECTIONS


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3") and not is_loopback("::")


def test_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dispatch_app.dataservice", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0
    for flag in ("--hj212-port", "--http-port", "--simulate", "--exit-with-stdin", "--token"):
        assert flag in done.stdout


def test_simulate_feeds_the_service(tmp_path: Path, registry_path: Path) -> None:
    try:
        import dispatch_app.dataservice.simulator  # noqa: F401
    except ImportError:
        pytest.skip("the simulator is not in this build")
    svc = start_service(
        tmp_path, registry_path, f"sqlite:///{tmp_path / 'o.db'}", "--simulate", "--speed", "60"
    )
    try:
        deadline = time.monotonic() + 20
        cursor = 0
        while time.monotonic() < deadline and cursor == 0:
            cursor = get(svc, "/api/v1/health").json()["cursor"]
            time.sleep(0.2)
        assert cursor > 0, svc.stderr()
    finally:
        assert stop_service(svc) == 0


def test_service_on_both_databases_survives_sigterm_and_restart(
    tmp_path: Path, registry_path: Path, db_url: str
) -> None:
    svc = start_service(tmp_path, registry_path, db_url)
    try:
        send_minutes(svc.hj212_port, MN1, range(4, 0, -1))
        body = get(svc, "/api/v1/updates", after=0, limit=5).json()
        assert [i["seq"] for i in body["items"]] == [1, 2, 3, 4, 5] and body["more"]
        body = get(svc, "/api/v1/updates", after=5).json()
        assert [i["seq"] for i in body["items"]] == [6, 7, 8] and not body["more"]
        assert get(svc, "/api/v1/latest").json()["cursor"] == 8
    finally:
        svc.process.send_signal(signal.SIGTERM)
        assert svc.process.wait(15) == 0
    assert "data service stopped" in svc.stderr()
    # while it is down, the database gets a row of a station the registry no longer has
    store = Storage(db_url)
    store.write([Observation("GONE-01", "PM2.5", int(time.time()) - 600, 1.0, "N")])
    store.close()
    # restarted on the same database, the cursor continues where it was
    again = start_service(tmp_path, registry_path, db_url)
    try:
        assert get(again, "/api/v1/health").json()["cursor"] == 9
        send_minutes(again.hj212_port, MN1, range(10, 9, -1))
        assert [i["seq"] for i in get(again, "/api/v1/updates", after=9).json()["items"]] == [
            10,
            11,
        ]
        latest = get(again, "/api/v1/latest").json()
        assert latest["cursor"] == 11
        assert {i["station"] for i in latest["items"]} == {"AQ-T-01"}  # not GONE-01
    finally:
        assert stop_service(again) == 0


def test_http_listener_is_a_tcp_socket_so_answers_are_not_delayed() -> None:
    # asyncio sets TCP_NODELAY only on sockets whose protocol is TCP; without it, small answers
    # on a keep-alive connection (the desk's poller) wait for the client's delayed ACK.
    from dispatch_app.dataservice.server import _bind

    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def test_health_says_degraded_while_the_database_refuses_writes(
    tmp_path: Path, registry_path: Path, pg_url: str
) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_url)
    svc = start_service(tmp_path, registry_path, pg_url)
    try:
        send_minutes(svc.hj212_port, MN1, range(2, 0, -1))
        assert get(svc, "/api/v1/health").json()["status"] == "ok"
        with admin.begin() as conn:
            conn.execute(text("ALTER TABLE ds_observations RENAME TO ds_observations_away"))
        with socket.create_connection(("127.0.0.1", svc.hj212_port), timeout=10) as sock:
            cp = {"DataTime": stamp(5), "a34004-Avg": "1.0"}
            sock.sendall(encode(st="22", cn="2051", mn=MN1, cp=cp, flag=4))
            deadline = time.monotonic() + 10
            health: dict[str, Any] = {}
            while time.monotonic() < deadline:
                health = get(svc, "/api/v1/health").json()
                if health["status"] == "degraded":
                    break
                time.sleep(0.1)
            assert health["status"] == "degraded" and health["ingest"]["write_failures"] >= 1
            with admin.begin() as conn:
                conn.execute(text("ALTER TABLE ds_observations_away RENAME TO ds_observations"))
            while time.monotonic() < deadline + 10:
                health = get(svc, "/api/v1/health").json()
                if health["status"] == "ok":
                    break
                time.sleep(0.1)
            assert health["status"] == "ok" and health["cursor"] == 5
    finally:
        stop_service(svc)
        admin.dispose()


def test_latest_kept_up_to_date_equals_a_plain_reading(tmp_path: Path) -> None:
    """/latest is rewritten only where a commit changed it; after every commit each answer
    (whole network, each kind) must be exactly the JSON of the store's latest values, in order,
    with every kind of value the encoder can meet. The plain poll skips the router
    (`LatestFastPath`): a query the fast path does not take goes through the route, and both
    answers must be the same, headers included."""
    import random

    from dispatch_app.dataservice.api import ServiceState, _observation_json, create_app
    from dispatch_app.network.registry import registry_from_json

    registry = registry_from_json(registry_document(n_air=5, n_water=2))
    storage = Storage(f"sqlite:///{tmp_path / 'obs.db'}")
    app = create_app(ServiceState(registry, storage))

    async def get_latest(query: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        sent: list[dict[str, Any]] = []
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/api/v1/latest",
            "raw_path": b"/api/v1/latest",
            "query_string": query,
            "headers": [],
            "http_version": "1.1",
            "scheme": "http",
            "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 1),
            "root_path": "",
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        body = b"".join(m.get("body", b"") for m in sent)
        return sent[0]["status"], list(sent[0]["headers"]), body

    kinds = {None: None} | {k: k for k in ("air_national", "water_national")}
    ids = {k: {s.id for s in registry if k is None or s.kind == k} for k in kinds}
    rng = random.Random(11)
    values = [None, 0.0, -0.0, 0.1, 1e-7, 1e22, 35.25, -3.0, 123456.789]
    t0 = 1_790_000_000

    async def run() -> None:
        for step in range(40):
            batch = []
            for _ in range(rng.randrange(1, 6)):
                station = rng.choice(registry.stations)
                p = rng.choice(station.parameters)
                flag = rng.choice("NNNMD")
                t = t0 + 60 * rng.randrange(30)
                batch.append(Observation(station.id, p.key, t, rng.choice(values), flag))
            if step == 20:  # a station outside the registry: never listed
                batch.append(Observation("GONE-01", "pm25", t0, 1.0, "N"))
            storage.write(batch)
            for key, kind in kinds.items():
                if rng.random() < 0.3:
                    continue  # some answers fall several commits behind
                query = f"kind={kind}".encode() if kind else b""
                cursor, rows = storage.latest(ids[key])
                expected = {"cursor": cursor, "items": [_observation_json(o) for o in rows]}
                plain = json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
                fast = await get_latest(query)
                assert fast[0] == 200 and fast[2] == plain
                assert await get_latest(query) == fast  # unchanged: same bytes
                routed = await get_latest(query + b"&_=1" if query else b"_=1")
                assert routed == fast
        assert (await get_latest(b"kind=nonsense"))[0] == 422  # validated by the route

    try:
        asyncio.run(run())
    finally:
        storage.close()


def test_health_cursor_is_what_readers_can_already_see(tmp_path: Path) -> None:
    """A commit is visible to /updates a moment before the writer notes its cursor; /health
    must never report less than /updates has handed out, or a desk takes it for a replaced
    database and reloads everything. A second writer on the file stands for that moment."""
    from fastapi.routing import APIRoute

    from dispatch_app.dataservice.api import ServiceState, create_app
    from dispatch_app.network.registry import load_registry

    registry_path = tmp_path / "stations.json"
    registry_path.write_text(json.dumps(registry_document(n_air=1), ensure_ascii=False), "utf-8")
    url = f"sqlite:///{tmp_path / 'obs.db'}"
    serving, other = Storage(url), Storage(url)
    try:
        app = create_app(ServiceState(load_registry(registry_path), serving))
        endpoints = {r.path: r.endpoint for r in app.routes if isinstance(r, APIRoute)}
        moment = int(time.time()) // 60 * 60
        other.write([Observation("S1", "PM2.5", moment, 1.0, "N")])
        handed_out = json.loads(endpoints["/api/v1/updates"](after=0, limit=10).body)["cursor"]
        assert handed_out == other.cursor and serving.cursor < handed_out
        answer = endpoints["/api/v1/health"]()
        if asyncio.iscoroutine(answer):
            answer = asyncio.run(answer)
        health = json.loads(answer.body)
        assert health["cursor"] >= handed_out
    finally:
        serving.close()
        other.close()
