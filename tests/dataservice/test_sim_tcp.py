"""The simulator on real TCP into the real ingest server and a real database: every packet it
sends is stored exactly once, replies are read, and a platform restart loses nothing queued."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from dispatch_app.dataservice.hj212 import encode, parse
from dispatch_app.dataservice.ingest import (
    IngestLimits,
    IngestServer,
    IngestStats,
    ObservationWriter,
    data_time_s,
)
from dispatch_app.dataservice.simulator import (
    FaultRates,
    NetworkSimulator,
    SimPacket,
    Simulation,
    run_simulation,
)
from dispatch_app.dataservice.storage import Storage
from dispatch_app.network.registry import Registry, load_registry

# A reply from everyone makes the reply path certain to be exercised; no losses so the
# database can be compared packet for packet.
RATES = FaultRates(
    maintenance=0.01, calibration=0.05, fault=0.01, dropout=0, late=0, reply_share=0.5
)


def small_registry() -> Registry:
    """Twelve air stations and four water sections of the real registry (links cut)."""
    full = load_registry()
    chosen = (
        full.by_kind("air_national")[:4]
        + full.by_kind("air_township")[:4]
        + full.by_kind("air_grid")[:4]
        + full.by_kind("water_national")[:4]
    )
    return Registry(full.attribution, tuple(dataclasses.replace(s, downstream=()) for s in chosen))


@dataclass
class Platform:
    server: IngestServer
    writer: ObservationWriter
    storage: Storage
    stats: IngestStats
    port: int


@asynccontextmanager
async def platform(registry: Registry, url: str, port: int = 0) -> AsyncIterator[Platform]:
    storage = Storage(url)
    stats = IngestStats()
    writer = ObservationWriter(storage, stats, linger_s=0.01)
    writer.start()
    server = IngestServer(registry, writer, IngestLimits(), stats)
    bound = await server.start("127.0.0.1", port)
    try:
        yield Platform(server, writer, storage, stats, bound)
    finally:
        await server.close()
        await writer.stop()
        storage.close()


def expected_rows(
    registry: Registry, sim: Simulation, backfill: int
) -> set[tuple[str, str, int, float, str]]:
    """What the simulator must have delivered, recomputed without the network (same seed)."""
    net = NetworkSimulator(registry, sim.start, seed=sim.seed, rates=sim.rates)
    packets: list[SimPacket] = net.backfill(backfill) + net.advance(sim.stats.sim_time)
    rows = set()
    for sp in packets:
        packet = parse(sp.data)
        station = registry.by_mn(packet.mn)
        assert station is not None
        t = data_time_s(packet.cp["DataTime"])
        for p in station.parameters:
            rows.add(
                (
                    station.id,
                    p.key,
                    t,
                    float(packet.cp[f"{p.code}-Avg"]),
                    packet.cp[f"{p.code}-Flag"],
                )
            )
    return rows


def stored_rows(storage: Storage) -> list[tuple[str, str, int, float, str]]:
    items, more = storage.updates(0, 1_000_000)
    assert not more
    return [(o.station, o.parameter, o.time_s, float(o.value or 0.0), o.flag) for o in items]


async def wait_for(condition: object, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.slow
def test_simulation_delivers_every_packet_once_into_the_real_ingest(db_url: str) -> None:
    registry = small_registry()

    async def main() -> tuple[Simulation, set[tuple[str, str, int, float, str]], list]:
        async with platform(registry, db_url) as plat:
            # Half past the hour, so the backfill carries both hourly history and minutes.
            start = (time.time() // 3600) * 3600 - 1800
            sim = Simulation(
                registry,
                "127.0.0.1",
                plat.port,
                speed=300.0,
                seed=9,
                backfill_hours=3,
                start=start,
                rates=RATES,
                links=3,
            )
            stop = asyncio.Event()
            task = asyncio.create_task(sim.run(stop))
            # Until twenty simulated minutes have gone by (four real seconds at speed 300).
            await wait_for(lambda: sim.stats.sim_time >= sim.start + 1200)
            stop.set()
            await asyncio.wait_for(task, 10)
            await plat.writer.drain()
            expected = expected_rows(registry, sim, 3)
            return sim, expected, stored_rows(plat.storage)

    sim, expected, stored = asyncio.run(main())
    stats = sim.stats
    assert stats.backfill_sent > 3 * 12
    assert stats.packets_sent >= stats.backfill_sent + 12 * 18
    # Exactly what was sent, each observation once.
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    assert {r[0] for r in stored} == {s.id for s in registry}
    # Flag=5 stations got their 9014 replies, and nothing unexpected came back.
    assert stats.replies_expected > 50
    assert stats.replies_received == stats.replies_expected
    assert stats.replies_bad == 0
    flags = {r[4] for r in stored}
    assert "N" in flags and flags <= {"N", "M", "D", "C"}


@pytest.mark.slow
def test_the_simulator_reconnects_and_resends_what_waited_during_an_outage(
    sqlite_url: str,
) -> None:
    registry = small_registry()
    rates = dataclasses.replace(RATES, reply_share=0.0)

    async def main() -> tuple[Simulation, list, list[SimPacket], float, float]:
        async with platform(registry, sqlite_url) as first:
            port = first.port
            sim = Simulation(
                registry,
                "127.0.0.1",
                port,
                speed=120.0,
                seed=4,
                start=time.time() - 120,
                rates=rates,
                links=2,
            )
            stop = asyncio.Event()
            task = asyncio.create_task(sim.run(stop))
            await wait_for(lambda: first.stats.packets_ok >= 24)
            await first.writer.drain()
        # The platform is down: the stations keep measuring and queue their packets.
        down_at = sim.stats.sim_time
        await wait_for(lambda: sim.stats.sim_time >= down_at + 300)
        async with platform(registry, sqlite_url, port) as second:
            up_at = sim.stats.sim_time
            await wait_for(lambda: sim.stats.sim_time >= up_at + 180)
            stop.set()
            await asyncio.wait_for(task, 10)
            await second.writer.drain()
            rows = stored_rows(second.storage)
        net = NetworkSimulator(registry, sim.start, seed=4, rates=rates)
        sent = net.advance(sim.stats.sim_time)
        return sim, rows, sent, down_at, up_at

    sim, rows, sent, down_at, up_at = asyncio.run(main())
    assert sim.stats.reconnects >= 1
    stored = {(r[0], r[2]) for r in rows}
    assert len(rows) == len(set(rows))
    during = {(p.station_id, p.data_time) for p in sent if down_at + 5 <= p.send_time < up_at}
    after = {(p.station_id, p.data_time) for p in sent if p.send_time >= up_at}
    assert len(during) >= 4 * 12
    # Everything the stations produced while the platform was down arrived after the restart.
    assert during <= stored, sorted(during - stored)[:5]
    assert after <= stored
    # At most what was in flight as the server went down can be missing.
    assert len({(p.station_id, p.data_time) for p in sent} - stored) <= len(registry)


def test_run_simulation_refuses_an_unknown_scenario_and_a_bad_speed() -> None:
    registry = small_registry()
    from dispatch_app.network.scenarios import ScenarioError

    with pytest.raises(ScenarioError, match="no scenario 'nope'"):
        asyncio.run(run_simulation(registry, "127.0.0.1", 9, scenario="nope"))
    with pytest.raises(ValueError, match="speed"):
        asyncio.run(run_simulation(registry, "127.0.0.1", 9, speed=0))
    with pytest.raises(ValueError, match="backfill_hours"):
        asyncio.run(run_simulation(registry, "127.0.0.1", 9, backfill_hours=-1))


def test_with_no_platform_listening_the_simulator_waits_and_stops_cleanly() -> None:
    registry = small_registry()

    async def main() -> Simulation:
        # A port that was free a moment ago: nothing listens there.
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        sim = Simulation(registry, "127.0.0.1", port, speed=600.0, rates=RATES, links=2)
        stop = asyncio.Event()
        task = asyncio.create_task(sim.run(stop))
        await wait_for(lambda: sim.stats.sim_time >= sim.start + 600)
        stop.set()
        await asyncio.wait_for(task, 10)
        return sim

    sim = asyncio.run(main())
    assert sim.stats.packets_sent == 0 and sim.stats.replies_received == 0


def test_garbage_replies_are_counted_and_do_not_stop_the_stations() -> None:
    """A platform that answers with noise and wrong replies: counted, never fatal."""
    registry = small_registry()
    received = bytearray()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            received.extend(data)
            writer.write(b"\x00garbage\r\n##0010QN=1;CN=1FFFF\r\n")
            writer.write(
                encode(st="91", cn="9014", mn="32040000AQN0000000000001", cp={}, qn="1" * 17)
            )
            await writer.drain()

    async def main() -> Simulation:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        sim = Simulation(registry, "127.0.0.1", port, speed=300.0, rates=RATES, links=1)
        stop = asyncio.Event()
        task = asyncio.create_task(sim.run(stop))
        await wait_for(lambda: sim.stats.sim_time >= sim.start + 900)
        stop.set()
        await asyncio.wait_for(task, 10)
        server.close()
        await server.wait_closed()
        return sim

    sim = asyncio.run(main())
    assert sim.stats.replies_bad >= 3
    assert sim.stats.replies_received == 0
    assert sim.stats.packets_sent >= 12 * 12
    # Everything sent arrived as valid packets, garbage coming back notwithstanding.
    frames = [f for f in bytes(received).split(b"\r\n") if f]
    assert len(frames) == sim.stats.packets_sent
    assert all(parse(f + b"\r\n").mn for f in frames)
