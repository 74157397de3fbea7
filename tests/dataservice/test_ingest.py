"""HJ 212 ingest over real TCP into a real SQLite file: replies, faults, limits, slow clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.dataservice.hj212 import (
    Hj212Error,
    crc16,
    encode,
    frame,
    parse,
)
from dispatch_app.dataservice.ingest import (
    IngestLimits,
    IngestServer,
    IngestStats,
    ObservationWriter,
    data_time_s,
    observations_from_packet,
)
from dispatch_app.dataservice.storage import Storage
from dispatch_app.network.registry import Registry, load_registry

MN1 = "32040000TEST000000000001"
MN2 = "32040000TEST000000000002"
WATER_MN = "32040000TEST000000000101"


def now_stamp(offset_s: int = 0) -> str:
    return time.strftime("%Y%m%d%H%M00", time.gmtime(time.time() + 8 * 3600 + offset_s))


def packet(
    mn: str = MN1,
    *,
    flag: int | None = 4,
    qn: str | None = "20261128140000001",
    cp: dict[str, str] | None = None,
    cn: str = "2051",
    stamp: str | None = None,
    **kw: Any,
) -> bytes:
    if cp is None:
        cp = {
            "DataTime": stamp or now_stamp(),
            "a34004-Avg": "35.2",
            "a34004-Flag": "N",
            "a34002-Avg": "60.1",
            "a34002-Flag": "N",
        }
    return encode(st="22", cn=cn, mn=mn, cp=cp, flag=flag, qn=qn, **kw)


@dataclass
class Rig:
    server: IngestServer
    writer: ObservationWriter
    storage: Storage
    stats: IngestStats
    port: int

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def stored(self) -> int:
        await self.writer.drain()
        return self.storage.max_seq()


@asynccontextmanager
async def rig(
    registry: Registry, db: Path | str, limits: IngestLimits | None = None
) -> AsyncIterator[Rig]:
    storage = Storage(db if isinstance(db, str) else f"sqlite:///{db}")
    stats = IngestStats()
    writer = ObservationWriter(storage, stats, linger_s=0.01)
    writer.start()
    server = IngestServer(registry, writer, limits or IngestLimits(), stats)
    port = await server.start("127.0.0.1", 0)
    try:
        yield Rig(server, writer, storage, stats, port)
    finally:
        await server.close()
        await writer.stop()
        storage.close()


def run(
    registry_path: Path,
    tmp_path: Path,
    body: Callable[[Rig], Awaitable[None]],
    limits: IngestLimits | None = None,
) -> None:
    async def main() -> None:
        async with rig(load_registry(registry_path), tmp_path / "obs.db", limits) as r:
            await asyncio.wait_for(body(r), 30)

    asyncio.run(main())


async def read_packet(reader: asyncio.StreamReader, timeout: float = 5.0) -> bytes:
    return await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)


# --- packets to observations -------------------------------------------------------------------


def test_data_time_is_china_standard_time() -> None:
    assert data_time_s("20261128080000") == data_time_s("20261128000000") + 8 * 3600
    assert time.gmtime(data_time_s("20261128080000"))[:4] == (2026, 11, 28, 0)
    for bad in ("2026112808000", "2026113108000x", "20261131080000", "20261128250000"):
        with pytest.raises(Hj212Error):
            data_time_s(bad)


def test_observations_from_packet(registry_path: Path) -> None:
    reg = load_registry(registry_path)
    station = reg.by_mn(MN1)
    assert station is not None
    cp = {
        "DataTime": now_stamp(),
        "a34004-Avg": "35.2",
        "a34004-Flag": "M",
        "a34004-Max": "40",
        "a34002-Avg": "",  # no value, kept as null
        "a05024-Avg": "abc",  # refused
        "w21011-Avg": "0.1",  # not a parameter of this station: refused
        "a34004x": "ignored",
    }
    got, problems = observations_from_packet(parse(packet(cp=cp)), station)
    assert [(o.parameter, o.value, o.flag, o.cn) for o in got] == [
        ("PM2.5", 35.2, "M", "2051"),
        ("PM10", None, "N", "2051"),
    ]
    assert len(problems) == 2 and any("abc" in p for p in problems)
    rtd = {"DataTime": now_stamp(), "a34004-Rtd": "12.5", "a34004-Flag": "Q"}
    got, problems = observations_from_packet(parse(packet(cp=rtd, cn="2011")), station)
    assert got == [] and "data flag" in problems[0]
    with pytest.raises(Hj212Error, match="DataTime"):
        observations_from_packet(parse(packet(cp={"a34004-Avg": "1"})), station)
    with pytest.raises(Hj212Error, match="future"):
        observations_from_packet(parse(packet(stamp=now_stamp(3 * 3600))), station)
    # an accelerated simulation turns the check off on purpose
    ahead = observations_from_packet(
        parse(packet(stamp=now_stamp(3 * 3600))), station, max_future_s=None
    )[0]
    assert {o.parameter for o in ahead} == {"PM2.5", "PM10"}
    inf = {"DataTime": now_stamp(), "a34004-Avg": "inf"}
    assert observations_from_packet(parse(packet(cp=inf)), station)[0] == []


# --- over TCP ----------------------------------------------------------------------------------


def test_reply_9014_after_commit_and_none_without_the_flag(
    registry_path: Path, tmp_path: Path
) -> None:
    async def body(r: Rig) -> None:
        reader, writer = await r.connect()
        writer.write(packet(flag=4, qn="20261128140000001"))
        writer.write(packet(flag=5, qn="20261128140000002", stamp=now_stamp(-60)))
        await writer.drain()
        reply = parse(await read_packet(reader))
        assert (reply.cn, reply.st, reply.qn, reply.mn) == ("9014", "91", "20261128140000002", MN1)
        # the reply promises the data is stored
        assert r.storage.max_seq() == 4
        assert r.stats.replies_sent == 1 and r.stats.packets_ok == 2
        writer.close()

    run(registry_path, tmp_path, body)


def test_packets_split_across_reads_and_several_in_one_read(
    registry_path: Path, tmp_path: Path
) -> None:
    async def body(r: Rig) -> None:
        reader, writer = await r.connect()
        data = b"".join(
            packet(flag=5, qn=f"2026112814000{i:04d}", stamp=now_stamp(-60 * i)) for i in range(6)
        )
        for i in range(0, len(data), 7):  # many tiny writes, then everything at once
            writer.write(data[i : i + 7])
            await writer.drain()
        replies = [parse(await read_packet(reader)).qn for _ in range(6)]
        assert replies == [f"2026112814000{i:04d}" for i in range(6)]
        assert await r.stored() == 12
        writer.close()

    run(registry_path, tmp_path, body)


def test_bad_packets_are_counted_answered_and_the_listener_keeps_going(
    registry_path: Path, tmp_path: Path
) -> None:
    async def body(r: Rig) -> None:
        reader, writer = await r.connect()
        good = packet(flag=5, qn="20261128140000009")
        bad_crc = good[:-6] + b"%04X\r\n" % ((int(good[-6:-2], 16) + 1) % 65536)
        writer.write(bad_crc)
        reply = parse(await read_packet(reader))
        assert (reply.cn, reply.cp["QnRtn"], reply.mn) == ("9011", "9", MN1)
        writer.write(b"\x00\x01garbage\r\n##9999zzz\r\n")
        writer.write(packet(mn="32040000UNKNOWN000000000", flag=5))
        reply = parse(await read_packet(reader))
        assert (reply.cn, reply.cp["QnRtn"]) == ("9011", "4")
        writer.write(good)
        assert parse(await read_packet(reader)).cn == "9014"
        assert await r.stored() == 2
        assert r.stats.packets_bad["crc"] == 1
        assert r.stats.packets_bad["framing"] >= 1
        assert r.stats.packets_unknown_mn == 1
        writer.close()
        # a fresh connection is served as before
        reader2, writer2 = await r.connect()
        writer2.write(packet(flag=5, qn="20261128140000010", stamp=now_stamp(-60)))
        assert parse(await read_packet(reader2)).cn == "9014"
        writer2.close()

    run(registry_path, tmp_path, body)


def test_random_bytes_over_tcp_never_stop_the_listener(registry_path: Path, tmp_path: Path) -> None:
    import random

    async def body(r: Rig) -> None:
        rng = random.Random(5)
        for _ in range(5):
            _, writer = await r.connect()
            for _ in range(20):
                writer.write(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000))))
            await writer.drain()
            writer.close()
        reader, writer = await r.connect()
        writer.write(packet(flag=5))
        assert parse(await read_packet(reader)).cn == "9014"
        assert sum(r.stats.packets_bad.values()) > 0
        writer.close()

    run(registry_path, tmp_path, body)


def test_a_client_trickling_bytes_is_cut_off_and_blocks_no_one(
    registry_path: Path, tmp_path: Path
) -> None:
    limits = IngestLimits(packet_timeout_s=0.6, idle_timeout_s=5)

    async def body(r: Rig) -> None:
        slow_reader, slow = await r.connect()
        slow_data = packet(flag=5, qn="20261128140000077")

        async def trickle() -> None:
            for b in slow_data:
                if slow.is_closing():
                    return
                slow.write(bytes([b]))
                await asyncio.sleep(0.1)  # "one byte a minute", scaled down

        trickler = asyncio.create_task(trickle())
        # meanwhile a normal station is served at once, again and again
        reader, writer = await r.connect()
        for i in range(5):
            t0 = time.monotonic()
            writer.write(packet(flag=5, qn=f"2026112814000{i:04d}", stamp=now_stamp(-60 * i)))
            assert parse(await read_packet(reader)).cn == "9014"
            assert time.monotonic() - t0 < 0.5
            await asyncio.sleep(0.1)
        # the trickler never completed its packet and was disconnected
        assert await asyncio.wait_for(slow_reader.read(), 3) == b""
        trickler.cancel()
        assert r.stats.closed_slow_packet == 1
        writer.close()

    run(registry_path, tmp_path, body, limits)


def test_idle_connections_are_closed(registry_path: Path, tmp_path: Path) -> None:
    async def body(r: Rig) -> None:
        reader, _ = await r.connect()
        assert await asyncio.wait_for(reader.read(), 3) == b""
        assert r.stats.closed_idle == 1

    run(registry_path, tmp_path, body, IngestLimits(idle_timeout_s=0.3))


def test_connection_count_is_limited(registry_path: Path, tmp_path: Path) -> None:
    async def body(r: Rig) -> None:
        held = [await r.connect() for _ in range(2)]
        for _, w in held:
            w.write(packet(flag=4))
            await w.drain()
        await asyncio.sleep(0.1)
        reader, _ = await r.connect()
        assert await asyncio.wait_for(reader.read(), 3) == b""
        assert r.stats.connections_rejected == 1
        for _, w in held:
            w.close()
        await asyncio.sleep(0.1)
        reader, writer = await r.connect()
        writer.write(packet(flag=5))
        assert parse(await read_packet(reader)).cn == "9014"
        writer.close()

    run(registry_path, tmp_path, body, IngestLimits(max_connections=2))
    # the same from one address when the per-address cap is the lower one
    run(
        registry_path,
        tmp_path / "per-host",
        body,
        IngestLimits(max_connections=50, max_connections_per_host=2),
    )


def test_oversize_and_a_stream_of_faults_close_the_connection(
    registry_path: Path, tmp_path: Path
) -> None:
    async def body(r: Rig) -> None:
        reader, writer = await r.connect()
        writer.write(b"##0101" + b"A" * 5000)
        await writer.drain()
        for _ in range(10):
            writer.write(frame("ST=22;CN=2051;PW=1;MN=X;CP=&&a&&"))  # malformed CP
        await writer.drain()
        # the server answers what it can address, then hangs up: read to EOF, never a hang
        await asyncio.wait_for(reader.read(-1), 3)
        await asyncio.sleep(0.1)
        assert r.stats.packets_bad["oversize"] == 1
        assert r.stats.closed_faults == 1

    run(registry_path, tmp_path, body, IngestLimits(max_consecutive_faults=5))


def test_split_packets_are_reassembled_over_tcp(registry_path: Path, tmp_path: Path) -> None:
    async def body(r: Rig) -> None:
        reader, writer = await r.connect()
        stamp = now_stamp()
        parts = [
            packet(cp={"DataTime": stamp, "a34004-Avg": "11"}, flag=5, pnum=2, pno=1),
            packet(cp={"DataTime": stamp, "a05024-Avg": "33"}, flag=5, pnum=2, pno=2),
        ]
        for p in reversed(parts):
            writer.write(p)
        for _ in parts:
            assert parse(await read_packet(reader)).cn == "9014"
        assert await r.stored() == 2
        _, latest = r.storage.latest()
        assert sorted((o.parameter, o.value) for o in latest) == [("O3", 33.0), ("PM2.5", 11.0)]
        assert r.stats.split_parts == 2
        writer.close()

    run(registry_path, tmp_path, body)


def test_2005_style_packets_and_water_data_are_stored(registry_path: Path, tmp_path: Path) -> None:
    async def body(r: Rig) -> None:
        reader, writer = await r.connect()
        stamp = now_stamp()
        seg = f"ST=21;CN=2061;PW=123456;MN={WATER_MN};CP=&&DataTime={stamp};w21011-Avg=0.12&&"
        writer.write(b"##%04d%s%04X\r\n" % (len(seg), seg.encode(), crc16(seg.encode())))
        writer.write(packet(mn=MN2, flag=5))
        assert parse(await read_packet(reader)).cn == "9014"
        assert await r.stored() == 3
        _, latest = r.storage.latest(["WQ-T-101"])
        assert [(o.parameter, o.value, o.cn) for o in latest] == [("TP", 0.12, "2061")]
        writer.close()

    run(registry_path, tmp_path, body)


def test_non_data_commands_are_acknowledged_not_stored(registry_path: Path, tmp_path: Path) -> None:
    async def body(r: Rig) -> None:
        reader, writer = await r.connect()
        writer.write(packet(cn="1062", flag=5, cp={"RtdInterval": "30"}))
        assert parse(await read_packet(reader)).cn == "9014"
        assert await r.stored() == 0 and r.stats.packets_other_cn == 1
        writer.close()

    run(registry_path, tmp_path, body)


def test_a_failing_database_loses_nothing_and_recovers(registry_path: Path, pg_url: str) -> None:
    """The table vanishes under the writer (renamed by another session): writes fail and are
    retried; no reply goes out for data not stored; once the table is back, everything lands."""
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_url)

    def rename(a: str, b: str) -> None:
        with admin.begin() as conn:
            conn.execute(text(f"ALTER TABLE {a} RENAME TO {b}"))

    async def main() -> None:
        async with rig(load_registry(registry_path), pg_url) as r:
            reader, writer = await r.connect()
            writer.write(packet(flag=5, qn="20261128140000001", stamp=now_stamp(-120)))
            assert parse(await read_packet(reader)).cn == "9014"
            await asyncio.get_running_loop().run_in_executor(
                None, rename, "ds_observations", "ds_observations_away"
            )
            writer.write(packet(flag=5, qn="20261128140000002", stamp=now_stamp(-60)))
            with pytest.raises(TimeoutError):  # not stored, so not acknowledged
                await read_packet(reader, timeout=1.0)
            assert r.stats.write_failures >= 1
            await asyncio.get_running_loop().run_in_executor(
                None, rename, "ds_observations_away", "ds_observations"
            )
            reply = parse(await read_packet(reader, timeout=15))
            assert reply.qn == "20261128140000002"
            assert r.storage.max_seq() == 4
            writer.close()

    try:
        asyncio.run(main())
    finally:
        admin.dispose()
