"""The poller against a misbehaving service: state goes degraded/down and back, the cursor never
skips or repeats, and the asyncio loop keeps running while the service hangs."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable, Iterator

import pytest

from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.network_state import StationsBatch
from dispatch_app.feed.poller import ConnectionState, FeedPoller, FeedStatus
from dispatch_app.feed.records import Observation
from tests.feed.fault_server import FaultServer, fault_server


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with fault_server() as s:
        yield s


def _poller(url: str, **kw: object) -> FeedPoller:
    client = DataServiceClient(
        url, timeouts=ClientTimeouts(connect=0.5, read=0.4, total=2.0), retries=0
    )
    kw.setdefault("poll_interval_s", 0.02)
    kw.setdefault("max_backoff_s", 0.1)
    kw.setdefault("slow_after_s", 0.15)
    return FeedPoller(client, **kw)  # type: ignore[arg-type]


async def _until(cond: Callable[[], bool], timeout: float = 5.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or cond}")
        await asyncio.sleep(0.01)


def _run(coro: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(coro())


def test_faults_move_state_and_lose_nothing(server: FaultServer) -> None:
    server.add_items(5)
    states: list[FeedStatus] = []
    seqs: list[int] = []

    async def scenario() -> None:
        poller = _poller(server.url, down_after_failures=3)
        poller.subscribe_state(states.append)
        poller.subscribe_observations(lambda items: seqs.extend(o.seq or 0 for o in items))
        await poller.start()
        try:
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED, what="up")
            server.add_items(5, start_minute=5)
            await _until(lambda: poller.cursor == 10, what="cursor 10")
            for mode in ("500", "malformed", "wrong_shape", "duplicate_seq"):
                server.add_items(1, start_minute=len(server.items))
                server.mode = mode
                await _until(
                    lambda: poller.status.state is not ConnectionState.CONNECTED,
                    what=f"degraded on {mode}",
                )
                cursor_during_fault = poller.cursor
                await asyncio.sleep(0.1)
                assert poller.cursor == cursor_during_fault  # nothing delivered, nothing skipped
                server.mode = "ok"
                await _until(
                    lambda: (
                        poller.status.state is ConnectionState.CONNECTED
                        and poller.cursor == len(server.items)
                    ),
                    what=f"recovered from {mode}",
                )
        finally:
            await poller.stop()

    _run(scenario)
    # The seqs delivered after the initial /latest (cursor 5) are exactly 6..14, once each.
    assert seqs == list(range(6, len(server.items) + 1))
    kinds = [s.state for s in states]
    assert kinds[0] is ConnectionState.CONNECTED
    assert ConnectionState.DEGRADED in kinds
    assert kinds[-1] is ConnectionState.CONNECTED
    errors = [s.last_error for s in states if s.state is not ConnectionState.CONNECTED]
    assert any("error 500" in (e or "") for e in errors)
    assert any("malformed JSON" in (e or "") for e in errors)


def test_repeated_failures_go_down_since_the_first_failure(server: FaultServer) -> None:
    states: list[FeedStatus] = []

    async def scenario() -> None:
        poller = _poller(server.url, down_after_failures=3)
        poller.subscribe_state(states.append)
        await poller.start()
        try:
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED)
            server.mode = "500"
            await _until(lambda: poller.status.state is ConnectionState.DOWN, what="down")
            server.mode = "ok"
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED, what="up")
        finally:
            await poller.stop()

    _run(scenario)
    degraded = next(s for s in states if s.state is ConnectionState.DEGRADED)
    down = next(s for s in states if s.state is ConnectionState.DOWN)
    assert down.since == degraded.since  # dated from the first failure
    assert down.failures >= 3
    assert states[-1].failures == 0
    assert states[-1].since > down.since


def test_unreachable_service_is_down_at_once() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    states: list[FeedStatus] = []

    async def scenario() -> None:
        poller = _poller(f"http://127.0.0.1:{port}")
        poller.subscribe_state(states.append)
        await poller.start()
        try:
            await _until(lambda: bool(states))
        finally:
            await poller.stop()

    _run(scenario)
    assert states[0].state is ConnectionState.DOWN
    assert "unreachable" in (states[0].last_error or "")


def test_hang_never_blocks_the_loop(server: FaultServer) -> None:
    """While every call hangs, another task keeps ticking at its period, and the state says the
    service is not answering long before the request times out."""
    ticks: list[float] = []
    states: list[FeedStatus] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    async def scenario() -> None:
        poller = _poller(server.url, down_after_failures=2)
        poller.subscribe_state(states.append)
        await poller.start()
        await _until(lambda: poller.status.state is ConnectionState.CONNECTED)
        server.mode = "hang"
        tick_task = asyncio.create_task(ticker())
        try:
            await _until(
                lambda: poller.status.state is ConnectionState.DEGRADED, timeout=1, what="slow"
            )
            await _until(lambda: poller.status.state is ConnectionState.DOWN, what="down")
        finally:
            tick_task.cancel()
            server.release.set()
            await poller.stop()

    _run(scenario)
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20
    # A blocked loop would show a gap of at least one read timeout (0.4 s); a busy shared
    # machine alone stays well below 0.3 s.
    assert max(gaps) < 0.3, f"loop blocked for {max(gaps):.3f} s"
    slow = next(s for s in states if s.state is ConnectionState.DEGRADED)
    assert "no answer to /updates" in (slow.last_error or "")
    down = next(s for s in states if s.state is ConnectionState.DOWN)
    assert "did not answer" in (down.last_error or "")


def test_batches_are_coalesced_and_rate_limited(server: FaultServer) -> None:
    """200 observations of one station over many pages become a few batches, each with the latest
    value, at most max_batches_per_s a second."""
    batches: list[tuple[float, StationsBatch]] = []

    async def scenario() -> None:
        poller = _poller(server.url, page_limit=7, max_batches_per_s=4.0)
        poller.subscribe_stations(lambda b: batches.append((time.monotonic(), b)))
        await poller.start()
        try:
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED)
            server.add_items(200)
            await _until(lambda: poller.cursor == 200, what="caught up")
            await _until(
                lambda: batches[-1][1].cursor == 200, timeout=2, what="last batch delivered"
            )
        finally:
            await poller.stop()

    _run(scenario)
    assert batches[0][1].initial
    live = [b for _, b in batches[1:]]
    # 29 pages, coalesced into far fewer batches (how few depends on the machine's speed; the
    # rate bound below is what holds everywhere).
    assert 1 <= len(live) <= 15
    last = live[-1].snapshots["AQ-N-01"].readings["PM2.5"]
    assert last.value == 200.0 and last.seq == 200
    times = [t for t, _ in batches]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(g >= 0.24 for g in gaps), gaps


def test_a_failing_subscriber_does_not_stop_the_feed(server: FaultServer) -> None:
    server.add_items(3)
    good: list[Observation] = []

    def bad(items: tuple[Observation, ...]) -> None:
        raise RuntimeError("subscriber bug")

    async def scenario() -> None:
        poller = _poller(server.url)
        poller.subscribe_observations(bad)
        poller.subscribe_observations(good.extend)
        await poller.start()
        try:
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED)
            server.add_items(4, start_minute=3)
            await _until(lambda: poller.cursor == 7)
        finally:
            await poller.stop()

    _run(scenario)
    assert [o.seq for o in good] == [4, 5, 6, 7]


def test_service_that_lost_its_history_is_reloaded(server: FaultServer) -> None:
    """A service back with a fresh database (its cursor went backwards) triggers a full reload
    instead of polling forever after a cursor that will never come."""
    server.add_items(10)
    batches: list[StationsBatch] = []

    async def scenario() -> None:
        poller = _poller(server.url, health_every_s=0.05)
        poller.subscribe_stations(batches.append)
        await poller.start()
        try:
            await _until(lambda: poller.cursor == 10)
            server.items.clear()
            server.add_items(2)
            await _until(lambda: poller.cursor == 2, what="reloaded")
            await _until(lambda: sum(b.initial for b in batches) == 2, timeout=2)
        finally:
            await poller.stop()

    _run(scenario)


def test_cursor_ahead_409_triggers_a_reload_not_a_failure(server: FaultServer) -> None:
    """The service answers /updates with 409 (our cursor is beyond its history): the poller
    reloads from /latest at once, without ever reporting the service as failing."""
    server.add_items(10)
    states: list[FeedStatus] = []

    async def scenario() -> None:
        poller = _poller(server.url, health_every_s=3600)
        poller.subscribe_state(states.append)
        await poller.start()
        try:
            await _until(lambda: poller.cursor == 10)
            server.items.clear()
            server.add_items(3)
            await _until(lambda: poller.cursor == 3, what="reloaded")
            assert sum(r.startswith("/api/v1/latest") for r in server.requests) == 2
        finally:
            await poller.stop()

    _run(scenario)
    assert all(s.state is ConnectionState.CONNECTED for s in states)


def test_service_reporting_itself_unwell_shows_degraded(server: FaultServer) -> None:
    """/health says "degraded" (the service cannot store what it ingests): the desk says so even
    though every call succeeds, and returns to connected when the service recovers."""
    states: list[FeedStatus] = []

    async def scenario() -> None:
        poller = _poller(server.url, health_every_s=0.05)
        poller.subscribe_state(states.append)
        await poller.start()
        try:
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED)
            server.health_status = "degraded"
            await _until(lambda: poller.status.state is ConnectionState.DEGRADED, what="unwell")
            assert "reports status 'degraded'" in (poller.status.last_error or "")
            server.health_status = "ok"
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED, what="well")
        finally:
            await poller.stop()

    _run(scenario)
    assert [s.state for s in states] == [
        ConnectionState.CONNECTED,
        ConnectionState.DEGRADED,
        ConnectionState.CONNECTED,
    ]
