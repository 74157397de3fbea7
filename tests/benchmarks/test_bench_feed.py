"""Feed benchmarks against the real data service (a child process on loopback).

- Catch-up after a 1-hour outage of the whole network: while the desk's poller is away, every
  station's past hour arrives over HJ 212 (air every minute, water once); the poller then resumes
  from its cursor and the clock runs until the coalesced state holds everything (last batch
  delivered). Target ≤ 3 s.
- Desk event-loop lag while the whole network streams: a qasync loop on a QApplication with the
  station table shown offscreen, fed by the poller through the Qt bridge, while the simulator runs
  at 60× (a simulated minute of the whole network every real second). A periodic asyncio task
  measures how late it wakes. Target p99 ≤ 50 ms.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.feed.network_state import StationsBatch
from dispatch_app.feed.poller import ConnectionState, FeedPoller
from dispatch_app.feed.records import Observation, Station
from tests.feed.live_service import packet, registry, running_service, send


def _client(url: str) -> DataServiceClient:
    return DataServiceClient(url, timeouts=ClientTimeouts(connect=2, read=20, total=60), retries=1)


async def _until(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def _one_hour_of_the_network(stations: tuple[Station, ...]) -> list[bytes]:
    """Every station's packets for the past hour: air every minute, water once (4 h interval)."""
    t0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=70)
    packets = []
    for minute in range(60):
        for st in stations:
            if minute * 60 % st.interval_s == 0:
                packets.append(packet(st, t0 + timedelta(minutes=minute), 20.0 + minute))
    return packets


def _send_parallel(port: int, packets: list[bytes], links: int = 8) -> None:
    threads = [
        threading.Thread(target=send, args=(port, packets[i::links], 180.0)) for i in range(links)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_catch_up_after_one_hour_outage(tmp_path: Path, bench: Callable[..., None]) -> None:
    stations = registry()
    packets = _one_hour_of_the_network(stations)
    with running_service(tmp_path / "ds.db", tmp_path / "ds.log") as service:
        url, port = service.url, service.status.hj212_port
        assert url is not None and port is not None
        received: list[int] = []
        result: dict[str, float] = {}

        async def scenario() -> None:
            poller = FeedPoller(_client(url), poll_interval_s=0.5)
            poller.subscribe_observations(lambda items: received.append(len(items)))
            last_batch: list[StationsBatch] = []
            poller.subscribe_stations(last_batch.append)
            await poller.start()
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED, 30, "up")
            await poller.stop()  # the desk loses the service...
            # ... while the whole network's past hour arrives (every reply means committed).
            await asyncio.to_thread(_send_parallel, port, packets)
            target = await asyncio.to_thread(lambda: _client(url).health().cursor)
            lags: list[float] = []

            async def ticker() -> None:
                expected = time.perf_counter() + 0.01
                while True:
                    await asyncio.sleep(0.01)
                    now = time.perf_counter()
                    lags.append(max(0.0, now - expected))
                    expected = now + 0.01

            tick = asyncio.create_task(ticker())
            t0 = time.perf_counter()
            cpu0 = time.process_time()
            await poller.start()  # ... and gets it back
            await _until(lambda: poller.cursor >= target, 60, "caught up")
            await _until(lambda: bool(last_batch) and last_batch[-1].cursor >= target, 10, "batch")
            result["seconds"] = time.perf_counter() - t0
            result["desk_cpu_s"] = time.process_time() - cpu0
            tick.cancel()
            ordered = sorted(lags)
            result["lag_p99_ms"] = ordered[int(0.99 * (len(ordered) - 1))] * 1000
            result["observations"] = sum(received)
            result["expected"] = target
            result["stations_with_data"] = sum(
                1 for sid in poller.network.stations if poller.network.last_time(sid) is not None
            )
            result["stations"] = len(poller.network.stations)
            await poller.stop()
            poller.client.close()

        # A thread of its own: an earlier benchmark in this session may have left a Qt loop
        # registered as running on the main thread, and asyncio.run refuses to nest.
        with ThreadPoolExecutor(max_workers=1) as runner:
            runner.submit(asyncio.run, scenario()).result()
    assert result["observations"] == result["expected"]  # all of it, once
    assert result["stations_with_data"] == result["stations"]
    seconds = result["seconds"]
    bench(
        "catch-up after 1 h outage of the whole network",
        seconds,
        "s",
        "≤ 3 s",
        met=seconds <= 3.0,
    )
    bench("catch-up observations (1 h, 360 stations)", result["observations"], "obs")
    bench("catch-up throughput", result["observations"] / seconds, "obs/s")
    bench("loop lag p99 during the catch-up", result["lag_p99_ms"], "ms")
    bench("desk CPU time for the catch-up (all its threads)", result["desk_cpu_s"], "s")
    bench("machine load (1 min, 2 cores shared)", os.getloadavg()[0], "")


def test_event_loop_lag_while_the_network_streams(
    tmp_path: Path, bench: Callable[..., None], qapp: object
) -> None:
    from ui.shell.event_loop import DeskEventLoop
    from ui.shell.feed_bridge import FeedBridge, connect_station_table
    from ui.stations.station_table import StationTableView

    service = EmbeddedDataService(
        tmp_path / "ds.db",
        simulate=True,
        backfill_hours=None,
        speed=60.0,
        log_path=tmp_path / "ds.log",
        extra_args=["--seed", "11"],
    )
    service.start()
    lags: list[float] = []
    baseline: list[float] = []
    observations: list[Observation] = []
    batches: list[int] = []
    loop = DeskEventLoop(qapp)  # type: ignore[arg-type]
    try:
        url = service.url
        assert url is not None
        view = StationTableView()
        view.resize(1600, 900)
        view.show()

        async def measure(seconds: float, into: list[float]) -> None:
            period = 0.01
            end = time.perf_counter() + seconds
            expected = time.perf_counter() + period
            while time.perf_counter() < end:
                await asyncio.sleep(period)
                now = time.perf_counter()
                into.append(max(0.0, now - expected))
                expected = now + period

        async def scenario() -> None:
            # Baseline: the same loop and machine (service streaming, other work on the box),
            # the desk's feed not running. What the feed adds is the difference.
            await measure(5.0, baseline)
            poller = FeedPoller(_client(url), poll_interval_s=0.5)
            bridge = FeedBridge(poller)
            connect_station_table(bridge, view)
            bridge.stationsUpdated.connect(lambda b: batches.append(len(b.snapshots)))
            poller.subscribe_observations(observations.extend)
            await poller.start()
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED, 30, "up")
            await measure(20.0, lags)
            await poller.stop()
            bridge.detach()
            poller.client.close()

        loop.run_until_complete(scenario())
        view.close()
    finally:
        loop.close()
        service.stop()
    assert len(observations) > 10_000, "the network did not stream"
    assert batches, "the station table got no batches"
    lags_ms = sorted(x * 1000 for x in lags)
    p99 = lags_ms[int(0.99 * (len(lags_ms) - 1))]
    bench(
        "desk loop lag p99 while the network streams (60×)",
        p99,
        "ms",
        "≤ 50 ms",
        met=p99 <= 50.0,
    )
    bench("machine load (1 min, 2 cores shared)", os.getloadavg()[0], "")
    base_ms = sorted(x * 1000 for x in baseline)
    bench(
        "same loop, feed not running (baseline) p99",
        base_ms[int(0.99 * (len(base_ms) - 1))],
        "ms",
    )
    bench("desk loop lag median", statistics.median(lags_ms), "ms")
    bench("desk loop lag max", lags_ms[-1], "ms")
    bench("observations streamed in 20 s", len(observations), "obs")
    bench(
        "station batches delivered in 20 s",
        len(batches),
        "batches",
        "≤ 80 (4/s)",
        len(batches) <= 80,
    )
