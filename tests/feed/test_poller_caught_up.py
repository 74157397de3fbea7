"""FeedPoller.caught_up and service_started against the real data service: the alarm
rules that compare data with the clock may judge only a feed that holds what the service holds,
and never longer than the service has listened. Real service subprocess, real HJ 212 over TCP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.poller import FeedPoller
from dispatch_app.feed.records import Observation
from tests.feed.live_service import packet, registry, running_service, send

AIR = [s for s in registry() if s.kind == "air_national"][:4]


async def _until(cond: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def _client(url: str) -> DataServiceClient:
    return DataServiceClient(
        url, timeouts=ClientTimeouts(connect=1.0, read=3.0, total=10.0), retries=0, backoff_s=0.05
    )


def test_caught_up_only_after_a_backlog_is_delivered_and_false_while_the_service_is_away(
    tmp_path: Path,
) -> None:
    t0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=50)
    with running_service(tmp_path / "ds.db", tmp_path / "ds.log", restart=False) as service:
        url, port = service.url, service.status.hj212_port
        assert url is not None and port is not None
        send(port, [packet(s, t0, 10.0) for s in AIR])
        seen_while_delivering: list[bool] = []

        def on_page(items: tuple[Observation, ...]) -> None:
            seen_while_delivering.append(poller.caught_up)

        poller = FeedPoller(_client(url), poll_interval_s=0.1, page_limit=20, max_backoff_s=0.3)
        poller.subscribe_observations(on_page)

        async def scenario() -> None:
            assert not poller.caught_up and poller.service_started is None
            await poller.start()
            try:
                await _until(lambda: poller.caught_up, what="caught up after the first load")
                health = await asyncio.to_thread(lambda: _client(url).health())
                assert poller.service_started == health.started
                # A backlog of 40 minutes × 4 stations arrives at once: many pages of 20.
                backlog = [
                    packet(s, t0 + timedelta(minutes=m), 20.0) for m in range(1, 41) for s in AIR
                ]
                await asyncio.to_thread(send, port, backlog)
                final = (await asyncio.to_thread(lambda: _client(url).health())).cursor
                await _until(
                    lambda: poller.cursor >= final and poller.caught_up, what="backlog delivered"
                )
                # Every page of the backlog was handed on while the poller said "behind".
                assert len(seen_while_delivering) > 3
                assert not any(seen_while_delivering)
                # The service goes away: what it receives meanwhile is not here.
                service.stop()
                await _until(lambda: not poller.caught_up, what="not caught up when down")
            finally:
                await poller.stop()
                poller.client.close()

        asyncio.run(scenario())
