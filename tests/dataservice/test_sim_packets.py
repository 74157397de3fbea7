"""The simulator's packets (no network): codec-valid, registry-true, deterministic, on schedule,
with flags, dropouts and late data at the configured rates."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime

import pytest

from dispatch_app.dataservice.hj212 import parse
from dispatch_app.dataservice.ingest import data_time_s
from dispatch_app.dataservice.simulator import (
    CN_HOUR,
    CN_MINUTE,
    NO_FAULTS,
    FaultRates,
    NetworkSimulator,
    SimPacket,
    generate_packets,
)
from dispatch_app.network.registry import Registry, load_registry

START = datetime(2026, 11, 28, 0, 0, tzinfo=UTC).timestamp()  # 08:00 in Changzhou


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def twenty_minutes(registry: Registry) -> list[SimPacket]:
    """The whole network for twenty minutes with the default fault rates."""
    return list(generate_packets(registry, START, START + 1200, seed=7))


def test_packets_parse_and_carry_registry_mns_codes_and_times(
    registry: Registry, twenty_minutes: list[SimPacket]
) -> None:
    assert len(twenty_minutes) > 250 * 18
    for sp in twenty_minutes:
        packet = parse(sp.data)
        station = registry.by_mn(packet.mn)
        assert station is not None and station.id == sp.station_id
        assert packet.st == ("21" if station.is_water else "22")
        assert packet.cn == (CN_HOUR if station.is_water else CN_MINUTE) == sp.cn
        assert packet.flag == sp.flag and packet.flag in (4, 5)
        assert packet.qn == sp.qn and len(packet.qn) == 17
        assert data_time_s(packet.cp["DataTime"]) == sp.data_time
        codes = {name.split("-")[0] for name in packet.cp if "-" in name}
        assert codes == {p.code for p in station.parameters}
        for p in station.parameters:
            assert packet.cp[f"{p.code}-Flag"] in {"N", "M", "D", "C"}
            float(packet.cp[f"{p.code}-Avg"])
        assert sp.send_time >= sp.data_time + 60 or station.is_water
    sends = [p.send_time for p in twenty_minutes]
    assert sends == sorted(sends), "packets come out in send order"


def test_some_stations_ask_for_replies(registry: Registry, twenty_minutes: list[SimPacket]) -> None:
    asking = {p.station_id for p in twenty_minutes if p.flag == 5}
    share = len(asking) / len({p.station_id for p in twenty_minutes})
    assert 0.04 < share < 0.2  # default reply_share 0.1


def test_same_seed_same_bytes_other_seed_other_values(registry: Registry) -> None:
    window = (START + 3600, START + 3600 + 600)
    a = [p.data for p in generate_packets(registry, *window, seed=3)]
    b = [p.data for p in generate_packets(registry, *window, seed=3)]
    c = [p.data for p in generate_packets(registry, *window, seed=4)]
    assert a == b
    assert a != c and len(set(a) & set(c)) < len(a) // 10


def test_cutting_a_window_into_pieces_loses_and_duplicates_nothing(registry: Registry) -> None:
    """Late packets held across a cut are delivered once, in the piece where they are sent."""
    rates = FaultRates(late=0.3, dropout=0.1)
    stations = registry.by_kind("air_township")[:30]
    whole = list(
        generate_packets(registry, START, START + 5400, seed=5, rates=rates, stations=stations)
    )
    pieces = []
    for i in range(3):
        pieces += list(
            generate_packets(
                registry,
                START + i * 1800,
                START + (i + 1) * 1800,
                seed=5,
                rates=rates,
                stations=stations,
            )
        )
    assert [p.data for p in pieces] == [p.data for p in whole]
    assert any(p.late for p in whole)
    # Replies are matched by MN and QN: a held batch still gives each packet its own QN.
    assert len({(p.station_id, p.qn) for p in whole}) == len(whole)


def test_every_station_sends_at_its_interval_without_faults(registry: Registry) -> None:
    water = registry.by_kind("water_national")
    air = registry.by_kind("air_national")[:4] + registry.by_kind("air_grid")[:4]
    packets = list(
        generate_packets(
            registry, START, START + 9 * 3600, seed=1, rates=NO_FAULTS, stations=air + water
        )
    )
    # Air: one per minute, sent within half a minute after the minute closes: the window holds
    # the minute before it and not its own last minute.
    for s in air:
        times = [p.data_time for p in packets if p.station_id == s.id]
        assert times == [START - 60 + 60 * i for i in range(9 * 60)]
    # Water: every 4 h at 00:00, 04:00, 08:00 ... China time; 08:00 and 12:00 fall in the window
    # (08:00–17:00 local) and 16:00 too.
    for s in water:
        times = sorted(p.data_time for p in packets if p.station_id == s.id)
        assert [(t - START) / 3600 for t in times] == [0.0, 4.0, 8.0]
    assert all(p.flag in (4, 5) for p in packets)
    flags = Counter(v for p in packets for k, v in parse(p.data).cp.items() if k.endswith("-Flag"))
    assert set(flags) == {"N"}


def _station_hours(packets: list[SimPacket]) -> dict[tuple[str, int], set[str]]:
    out: dict[tuple[str, int], set[str]] = {}
    for sp in packets:
        flags = {v for k, v in parse(sp.data).cp.items() if k.endswith("-Flag")}
        out.setdefault((sp.station_id, int(sp.data_time // 3600)), set()).update(flags)
    return out


def test_instrument_flags_occur_at_the_configured_rates(registry: Registry) -> None:
    # High rates keep the sample small (and the test fast) while still measuring them.
    rates = FaultRates(maintenance=0.2, calibration=0.3, fault=0.05, dropout=0, late=0)
    stations = registry.by_kind("air_township")[:40]  # six parameters, four of them gases
    packets = list(
        generate_packets(registry, START, START + 4 * 3600, seed=11, rates=rates, stations=stations)
    )
    hours = _station_hours(packets)
    n = len(hours)
    assert n >= 40 * 4
    maintenance = sum(1 for f in hours.values() if f == {"M"}) / n
    calibration = sum(1 for f in hours.values() if "C" in f) / n
    fault = sum(1 for f in hours.values() if "D" in f) / n
    assert 0.1 < maintenance < 0.3, maintenance
    # Calibration and faults show only in hours not already all maintenance: 0.3 × 0.8.
    assert 0.13 < calibration < 0.36, calibration
    # Six parameters: P(any D in an hour) = (1 - 0.95^6) × 0.8 ≈ 0.21.
    assert 0.1 < fault < 0.33, fault
    with_faults = {p.station_id for p in packets}
    assert len(with_faults) == 40
    # Calibration flags only the gas analysers, and only in the first quarter hour.
    for sp in packets:
        cp = parse(sp.data).cp
        if cp.get("a21026-Flag") == "C":
            assert sp.data_time % 3600 < 900
            assert cp["a34004-Flag"] in ("N", "D")


def test_dropouts_and_late_data_occur_at_the_configured_rates(registry: Registry) -> None:
    rates = FaultRates(maintenance=0, calibration=0, fault=0, dropout=0.2, late=0.2)
    stations = registry.by_kind("air_grid")[:40]
    hours = 4
    packets = list(
        generate_packets(
            registry, START, START + hours * 3600, seed=13, rates=rates, stations=stations
        )
    )
    expected_total = len(stations) * hours * 60
    missing = 1 - len(packets) / expected_total
    # A dropout starts in 20 % of station-hours and lasts 5–90 min (47.5 on average): about
    # 16 % of the minutes are lost (a little less where windows overlap).
    assert 0.08 < missing < 0.25, missing
    late = [p for p in packets if p.late]
    late_share = len(late) / len(packets)
    # Holds start in 20 % of station-hours and last 10–60 min (35 on average): about 12 %.
    assert 0.05 < late_share < 0.2, late_share
    # Held packets of one station come out together, in data-time order, once the link is back.
    by_station: dict[str, list[SimPacket]] = {}
    for p in packets:
        by_station.setdefault(p.station_id, []).append(p)
    for ps in by_station.values():
        times = [p.data_time for p in ps]
        assert times == sorted(times)
        assert len(set(times)) == len(times)


def test_backfill_sends_hourly_history_through_the_codec(registry: Registry) -> None:
    sim = NetworkSimulator(registry, START, seed=2, rates=NO_FAULTS)
    history = sim.backfill(8)
    air = [s for s in registry if not s.is_water]
    water = [s for s in registry if s.is_water]
    assert len(history) == 8 * len(air) + 2 * len(water)
    assert {p.cn for p in history} == {CN_HOUR}
    assert min(p.data_time for p in history) == START - 8 * 3600
    assert max(p.data_time for p in history) < START
    for sp in history[:: max(1, len(history) // 300)]:
        packet = parse(sp.data)
        assert packet.cn == "2061"
        assert data_time_s(packet.cp["DataTime"]) % 3600 == 0
    # The hourly mean agrees with the minute stream it summarises (same model, same seed).
    station = registry.by_id("AQ-N-01")
    assert station is not None
    hour = START - 3600
    minutes = [sim.air.values(station, hour + 30 + 60 * i)["PM2.5"] for i in range(60)]
    backfilled = next(p for p in history if p.station_id == "AQ-N-01" and p.data_time == hour)
    hourly = float(parse(backfilled.data).cp["a34004-Avg"])
    assert abs(hourly - sum(minutes) / 60) < 0.05 * hourly


def test_air_stations_report_at_their_own_interval(registry: Registry) -> None:
    """A station configured for 5-minute or hourly data sends that, aligned in local time."""
    base = registry.by_id("AQ-T-001")
    assert base is not None
    five = dataclasses.replace(base, id="AQ-T-901", mn="32040000AQT9000000000901", interval_s=300)
    hourly = dataclasses.replace(
        base, id="AQ-T-902", mn="32040000AQT9000000000902", interval_s=3600
    )
    test_registry = Registry("test", (five, hourly))
    packets = list(
        generate_packets(test_registry, START, START + 3 * 3600, seed=1, rates=NO_FAULTS)
    )
    five_times = [p.data_time for p in packets if p.station_id == five.id]
    # Periods sent after the window closes are not in it: the last five minutes, the last hour.
    assert five_times == [START - 300 + 300 * i for i in range(36)]
    assert {p.cn for p in packets if p.station_id == five.id} == {CN_MINUTE}
    hours = [p for p in packets if p.station_id == hourly.id]
    assert [p.data_time for p in hours] == [START - 3600, START, START + 3600]
    assert {p.cn for p in hours} == {CN_HOUR}
    assert all(p.send_time >= p.data_time + 3600 and not p.late for p in hours)
