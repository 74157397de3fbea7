"""The feed against the real data service, a child process on loopback, fed by real HJ 212 over
TCP: initial load, live updates, and a service killed and restarted while the desk polls."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_app.feed.client import ClientTimeouts, DataServiceBadResponse, DataServiceClient
from dispatch_app.feed.embedded import EmbeddedState, EmbeddedStatus
from dispatch_app.feed.network_state import Staleness, StationsBatch
from dispatch_app.feed.poller import ConnectionState, FeedPoller, FeedStatus
from dispatch_app.feed.records import Observation
from tests.feed.live_service import packet, registry, running_service, send

STATIONS = registry()
AIR = [s for s in STATIONS if s.kind == "air_national"]


def _start_time() -> datetime:
    """A recent whole minute, so the observations are fresh (and not in the future)."""
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=30)


async def _until(cond: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def _client(url: str) -> DataServiceClient:
    return DataServiceClient(
        url, timeouts=ClientTimeouts(connect=1.0, read=3.0, total=10.0), retries=1, backoff_s=0.05
    )


def _all_seqs(url: str, after: int) -> list[int]:
    seqs: list[int] = []
    with _client(url) as client:
        while True:
            page = client.updates(after, limit=5000)
            seqs.extend(o.seq or 0 for o in page.items)
            after = page.cursor
            if not page.more:
                return seqs


def test_initial_load_then_live_updates(tmp_path: Path, db_url: str) -> None:
    t0 = _start_time()
    with running_service(db_url, tmp_path / "ds.log") as service:
        assert service.status.hj212_port is not None and service.url is not None
        port, url = service.status.hj212_port, service.url
        send(port, [packet(s, t0, 10.0) for s in AIR[:3]])
        batches: list[StationsBatch] = []
        observed: list[Observation] = []

        async def scenario() -> None:
            poller = FeedPoller(_client(url), poll_interval_s=0.1)
            poller.subscribe_stations(batches.append)
            poller.subscribe_observations(observed.extend)
            await poller.start()
            try:
                await _until(lambda: poller.status.state is ConnectionState.CONNECTED, what="up")
                await _until(lambda: bool(batches), what="initial batch")
                initial = batches[0]
                assert initial.initial
                assert len(initial.snapshots) == len(STATIONS)
                snap = initial.snapshots[AIR[0].id]
                assert snap.readings[AIR[0].parameters[0].key].value == 10.0
                assert snap.last_time == t0
                # Stations that never reported have no data; the three that did are fresh-ish
                # (30 minutes old at a 60 s interval is stale, by design of the test clock).
                assert poller.staleness(AIR[5].id) is Staleness.NO_DATA
                # Live: a newer observation flows through /updates into a coalesced batch.
                await asyncio.to_thread(
                    send, port, [packet(AIR[0], t0 + timedelta(minutes=1), 55.0, flag="M")]
                )
                await _until(lambda: len(observed) == len(AIR[0].parameters), what="live")
                await _until(
                    lambda: len(batches) > 1 and AIR[0].id in batches[-1].snapshots,
                    what="live batch",
                )
                assert not batches[-1].initial
                reading = batches[-1].snapshots[AIR[0].id].readings[AIR[0].parameters[0].key]
                assert (reading.value, reading.flag) == (55.0, "M")
                assert reading.time == t0 + timedelta(minutes=1)
                assert poller.cursor == max(o.seq or 0 for o in observed)
            finally:
                await poller.stop()
                poller.client.close()

        asyncio.run(scenario())


def test_service_killed_and_restarted_desk_catches_up_without_gap_or_duplicate(
    tmp_path: Path,
) -> None:
    t0 = _start_time()
    db = tmp_path / "ds.db"
    states: list[FeedStatus] = []
    embedded_states: list[EmbeddedStatus] = []
    received: list[int] = []
    with running_service(db, tmp_path / "ds.log", restart=True, restart_backoff_s=0.5) as service:
        service.subscribe(embedded_states.append)
        url, port = service.url, service.status.hj212_port
        assert url is not None and port is not None
        first_pid = service.pid
        send(port, [packet(s, t0, 1.0) for s in AIR])
        initial_cursor: list[int] = []

        async def scenario() -> None:
            poller = FeedPoller(_client(url), poll_interval_s=0.1, max_backoff_s=0.5, page_limit=7)
            poller.subscribe_state(states.append)
            poller.subscribe_observations(lambda items: received.extend(o.seq or 0 for o in items))
            await poller.start()
            try:
                await _until(lambda: poller.status.state is ConnectionState.CONNECTED)
                initial_cursor.append(poller.cursor)
                for i in range(1, 4):
                    await asyncio.to_thread(
                        send, port, [packet(s, t0 + timedelta(minutes=i), float(i)) for s in AIR]
                    )
                await _until(lambda: len(received) > 0, what="first live page")
                # Kill the service outright while the desk polls.
                assert first_pid is not None
                os.kill(first_pid, signal.SIGKILL)
                await _until(lambda: poller.status.state is ConnectionState.DOWN, what="down")
                await _until(
                    lambda: (
                        service.status.state is EmbeddedState.RUNNING and service.pid != first_pid
                    ),
                    what="restarted",
                )
                assert service.url == url  # same port, so the poller keeps its address
                # More data arrives at the restarted service.
                for i in range(4, 8):
                    await asyncio.to_thread(
                        send, port, [packet(s, t0 + timedelta(minutes=i), float(i)) for s in AIR]
                    )
                await _until(
                    lambda: poller.status.state is ConnectionState.CONNECTED, what="reconnected"
                )
                final = await asyncio.to_thread(lambda: _client(url).health().cursor)
                await _until(lambda: poller.cursor == final, what="caught up")
            finally:
                await poller.stop()
                poller.client.close()

        asyncio.run(scenario())
        expected = _all_seqs(url, initial_cursor[0])
    assert received == expected  # no gap, no duplicate, in order
    assert len(expected) == 7 * sum(len(s.parameters) for s in AIR)
    kinds = [s.state for s in states]
    down_at = kinds.index(ConnectionState.DOWN)
    assert ConnectionState.CONNECTED in kinds[down_at:]
    assert any(e.state is EmbeddedState.RESTARTING for e in embedded_states)
    assert embedded_states[-1].state is EmbeddedState.STOPPED
    assert max(e.restarts for e in embedded_states) == 1


def test_bearer_token_against_the_real_service(tmp_path: Path) -> None:
    """A service that requires a token refuses the desk without it, with a clear message, and
    serves it with it."""
    with running_service(
        tmp_path / "ds.db", tmp_path / "ds.log", extra_args=["--token", "s3cret-token"]
    ) as service:
        url = service.url
        assert url is not None
        with _client(url) as anonymous, pytest.raises(DataServiceBadResponse) as info:
            anonymous.stations()
        assert info.value.status == 401
        with DataServiceClient(url, token="s3cret-token") as client:
            assert len(client.stations()) == len(STATIONS)
