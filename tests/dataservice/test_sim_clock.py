"""The simulator's clock against the wall clock, on real TCP: at speed 1 simulated time is the
wall clock's (the history it first sends does not make the live network lag behind), and a
station's minute goes out seconds after the minute closes, as a data logger sends it, not at the
next minute. A desk judging lateness by the wall clock sees an on-time network as on time."""

from __future__ import annotations

import asyncio
import time

import pytest

from dispatch_app.dataservice.hj212 import parse
from dispatch_app.dataservice.ingest import data_time_s
from dispatch_app.dataservice.simulator import NO_FAULTS, Simulation
from tests.dataservice.test_sim_tcp import small_registry


async def _sink(received: list[tuple[float, bytes]]) -> tuple[asyncio.Server, int]:
    """A platform that takes every packet, noting when it came."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        buffer = b""
        while data := await reader.read(65536):
            buffer += data
            *frames, buffer = buffer.split(b"\r\n")
            now = time.time()
            received.extend((now, f + b"\r\n") for f in frames if f)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_at_speed_one_the_simulated_clock_is_the_wall_clock_after_a_backfill() -> None:
    async def main() -> float:
        received: list[tuple[float, bytes]] = []
        server, port = await _sink(received)
        sim = Simulation(
            small_registry(), "127.0.0.1", port, speed=1.0, backfill_hours=6, rates=NO_FAULTS
        )
        stop = asyncio.Event()
        task = asyncio.create_task(sim.run(stop))
        deadline = time.monotonic() + 20
        while sim.stats.backfill_sent == 0 or sim.stats.sim_time < time.time() - 5:
            assert time.monotonic() < deadline, (sim.stats.sim_time, time.time())
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)
        behind = time.time() - sim.stats.sim_time
        stop.set()
        await asyncio.wait_for(task, 10)
        server.close()
        return behind

    behind = asyncio.run(main())
    assert behind < 2.0, f"simulated time {behind:.1f} s behind the wall clock"


@pytest.mark.slow
def test_a_minute_goes_out_seconds_after_it_closes() -> None:
    async def main() -> tuple[float, float]:
        received: list[tuple[float, bytes]] = []
        server, port = await _sink(received)
        now = time.time()
        # Started just before a minute closes: that minute's packets are the first live ones.
        origin = (now // 60) * 60 + 50 if now % 60 < 50 else (now // 60 + 1) * 60 + 50
        await asyncio.sleep(max(0.0, origin - time.time()))
        sim = Simulation(small_registry(), "127.0.0.1", port, speed=1.0, rates=NO_FAULTS)
        minute = sim.start
        stop = asyncio.Event()
        task = asyncio.create_task(sim.run(stop))
        closes = minute + 60
        deadline = time.monotonic() + 60
        arrived: list[float] = []
        while len(arrived) < 12:  # the twelve air stations of the small registry
            assert time.monotonic() < deadline, "the minute's packets never came"
            await asyncio.sleep(0.2)
            arrived = [
                at
                for at, frame in received
                if (packet := parse(frame)).cn == "2051"
                and data_time_s(packet.cp["DataTime"]) == minute
            ]
        stop.set()
        await asyncio.wait_for(task, 10)
        server.close()
        return min(arrived) - closes, max(arrived) - closes

    first, last = asyncio.run(main())
    # Loggers send 5–25 s after the minute closes (and the live loop wakes every 2 s).
    assert first >= 0 and last < 35, (first, last)
