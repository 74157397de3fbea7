"""The client against a misbehaving service: every fault is a typed error with a clear message."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from dispatch_app.feed.client import (
    ClientTimeouts,
    DataServiceBadResponse,
    DataServiceClient,
    DataServiceError,
    DataServiceTimeout,
    DataServiceUnavailable,
)
from tests.feed.fault_server import FaultServer, fault_server


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with fault_server() as s:
        yield s


def _client(url: str, **kw: object) -> DataServiceClient:
    kw.setdefault("timeouts", ClientTimeouts(connect=1.0, read=0.5, total=2.0))
    kw.setdefault("backoff_s", 0.01)
    return DataServiceClient(url, **kw)  # type: ignore[arg-type]


def test_valid_answers_become_records(server: FaultServer) -> None:
    server.add_items(3)
    with _client(server.url) as client:
        assert [s.id for s in client.stations()] == ["AQ-N-01"]
        page = client.updates(0, limit=2)
        assert [o.seq for o in page.items] == [1, 2]
        assert page.cursor == 2 and page.more
        assert page.items[0].time.utcoffset() is not None
        assert page.items[0].time.hour == 2  # 10:00+08:00 is 02:00 UTC
        assert client.health().cursor == 3


def test_connection_reuse_one_socket_for_many_calls(server: FaultServer) -> None:
    """Keep-alive: ten polls, one connection (the server sees one client port)."""
    ports: set[int] = set()
    original = server.handle

    def record(h):  # type: ignore[no-untyped-def]
        ports.add(h.client_address[1])
        original(h)

    server.handle = record  # type: ignore[method-assign]
    with _client(server.url) as client:
        for _ in range(10):
            client.health()
    assert len(ports) == 1


def test_bearer_token_is_sent(server: FaultServer) -> None:
    seen: list[str | None] = []
    original = server.handle

    def record(h):  # type: ignore[no-untyped-def]
        seen.append(h.headers.get("Authorization"))
        original(h)

    server.handle = record  # type: ignore[method-assign]
    with _client(server.url, token="s3cret") as client:
        client.health()
    assert seen == ["Bearer s3cret"]


@pytest.mark.parametrize(
    ("mode", "error", "words"),
    [
        ("500", DataServiceUnavailable, "error 500"),
        ("malformed", DataServiceBadResponse, "malformed JSON"),
        ("wrong_shape", DataServiceBadResponse, "unexpected body"),
        ("html", DataServiceBadResponse, "not JSON"),
        ("string_values", DataServiceBadResponse, "finite number"),
        ("naive_time", DataServiceBadResponse, "without an offset"),
        ("duplicate_seq", DataServiceBadResponse, "strictly increasing"),
    ],
)
def test_bad_answers_are_typed_errors(
    server: FaultServer, mode: str, error: type[DataServiceError], words: str
) -> None:
    server.add_items(3)
    server.mode = mode
    with _client(server.url, retries=0) as client, pytest.raises(error) as info:
        client.updates(0)
    assert words in str(info.value)
    assert "/api/v1/updates" in str(info.value) or "updates" in str(info.value)


def test_500_is_not_retried_but_503_is(server: FaultServer) -> None:
    server.mode = "500"
    with _client(server.url, retries=2) as client:
        with pytest.raises(DataServiceUnavailable) as info:
            client.health()
        assert info.value.status == 500
        assert len(server.requests) == 1
        server.requests.clear()
        server.mode = "503"
        with pytest.raises(DataServiceUnavailable):
            client.health()
        assert len(server.requests) == 3  # first try + 2 retries


def test_retry_recovers_when_the_service_comes_back(server: FaultServer) -> None:
    server.mode = "503"
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        server.mode = "ok"  # the service recovers during the backoff

    with _client(server.url, retries=3, backoff_s=0.2, sleep=sleep) as client:
        assert client.health().status == "ok"
    assert sleeps == [0.2]


def test_backoff_grows_exponentially() -> None:
    port = _free_port()
    sleeps: list[float] = []
    with (
        _client(f"http://127.0.0.1:{port}", retries=3, backoff_s=0.1, sleep=sleeps.append) as c,
        pytest.raises(DataServiceUnavailable) as info,
    ):
        c.health()
    assert sleeps == [0.1, 0.2, 0.4]
    assert "unreachable" in str(info.value)
    assert info.value.status is None


def test_hang_is_a_timeout_not_a_freeze(server: FaultServer) -> None:
    server.mode = "hang"
    with _client(server.url, retries=0) as client:
        t0 = time.monotonic()
        with pytest.raises(DataServiceTimeout) as info:
            client.health()
        elapsed = time.monotonic() - t0
    assert elapsed < 2.0
    assert "did not answer within 0.5 s" in str(info.value)


def test_trickling_body_hits_the_total_deadline(server: FaultServer) -> None:
    """One byte every 50 ms never trips the read timeout; the total deadline still ends it."""
    server.add_items(20)
    server.mode = "trickle"
    timeouts = ClientTimeouts(connect=1.0, read=0.5, total=1.0)
    with _client(server.url, retries=0, timeouts=timeouts) as client:
        t0 = time.monotonic()
        with pytest.raises(DataServiceTimeout) as info:
            client.updates(0)
        elapsed = time.monotonic() - t0
    assert elapsed < 2.5
    assert "longer than 1 s" in str(info.value)


def test_oversized_body_is_refused(server: FaultServer) -> None:
    server.mode = "huge"
    with (
        _client(server.url, retries=0, max_body_bytes=100_000) as client,
        pytest.raises(DataServiceBadResponse) as info,
    ):
        client.health()
    assert "exceeds 100000 bytes" in str(info.value)


def test_404_is_a_bad_response_with_the_problem_title(server: FaultServer) -> None:
    with _client(server.url) as client:
        client.rebase(server.url + "/nope")
        with pytest.raises(DataServiceBadResponse) as info:
            client.health()
    assert info.value.status == 404
    assert "Not Found" in str(info.value)


@pytest.mark.parametrize("url", ["", "ftp://x", "127.0.0.1:8080", "http://"])
def test_bad_base_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        DataServiceClient(url)


def test_negative_cursor_is_refused(server: FaultServer) -> None:
    with _client(server.url) as client, pytest.raises(ValueError):
        client.updates(-1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
