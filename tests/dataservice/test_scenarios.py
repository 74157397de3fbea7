"""Drill scenarios: every shipped file loads; bad files are refused naming file and field; each
kind of event changes what it should, where and when it should."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_app.dataservice.hj212 import parse
from dispatch_app.dataservice.sim_air import AirModel, local_hour
from dispatch_app.dataservice.sim_water import WaterModel
from dispatch_app.dataservice.simulator import NO_FAULTS, SimPacket, generate_packets
from dispatch_app.network.registry import Registry, Station, load_registry
from dispatch_app.network.scenarios import (
    BloomEvent,
    EpisodeEvent,
    OfflineEvent,
    ScenarioError,
    ScenarioTimeline,
    SpillEvent,
    available_scenarios,
    load_scenario,
    scenario_from_toml,
)
from dispatch_app.standards.aqi import iaqi

START = datetime(2026, 11, 28, 16, 0, tzinfo=UTC).timestamp()  # local midnight
HOUR = 3600.0


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def test_every_shipped_scenario_loads_against_the_registry(registry: Registry) -> None:
    names = available_scenarios()
    assert set(names) >= {
        "spill_grand_canal",
        "heavy_pollution",
        "algae_bloom_zhushan",
        "station_offline",
    }
    kinds = set()
    for name in names:
        scenario = load_scenario(name, registry)
        assert scenario.name == name
        assert scenario.title_zh and scenario.title_en and scenario.description
        assert scenario.events and scenario.duration_minutes > 0
        kinds |= {e.kind for e in scenario.events}
        text = Path(scenario.source or "").read_text(encoding="utf-8")
        assert text.startswith("# Drill scenario"), "each file describes the format at its top"
    assert kinds == {"spill", "episode", "bloom", "offline"}


GOOD = """
name = "x"
title = { zh = "演练", en = "Drill" }
description = "d"
[[events]]
kind = "spill"
at_minutes = 0
station = "WQ-B-01"
duration_minutes = 60
travel_minutes_per_link = 30
attenuation_per_link = 0.8
[events.increase]
"NH3-N" = 2.0
"""


def test_the_minimal_good_scenario_parses(registry: Registry) -> None:
    scenario = scenario_from_toml(GOOD, source="x.toml", registry=registry)
    (event,) = scenario.events
    assert isinstance(event, SpillEvent) and event.increase == {"NH3-N": 2.0}


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ('name = "x"', 'name = "x', "", "not valid TOML"),
        ('name = "x"', "", "name", "missing"),
        ('name = "x"', 'name = "a b"', "name", "ASCII"),
        ('title = { zh = "演练", en = "Drill" }', 'title = "演练"', "title", "table"),
        ('title = { zh = "演练", en = "Drill" }', 'title = { zh = "演练" }', "title.en", "missing"),
        ('description = "d"', "description = 3", "description", "string"),
        ('kind = "spill"', 'kind = "flood"', "events[0].kind", "unknown event kind"),
        ('station = "WQ-B-01"', 'station = "WQ-X-99"', "events[0].station", "unknown station"),
        ('station = "WQ-B-01"', 'station = "AQ-N-01"', "events[0].station", "not a water"),
        ("at_minutes = 0", "at_minutes = -5", "events[0].at_minutes", ">= 0"),
        ("at_minutes = 0", 'at_minutes = "soon"', "events[0].at_minutes", "number"),
        ("attenuation_per_link = 0.8", "attenuation_per_link = 1.5", "attenuation", "<= 1"),
        ("duration_minutes = 60", "duration_minutes = 0", "events[0].duration_minutes", "> 0"),
        ('"NH3-N" = 2.0', "PM25 = 2.0", "events[0].increase.PM25", "unknown water parameter"),
        ('"NH3-N" = 2.0', '"NH3-N" = -1', "events[0].increase.NH3-N", "positive"),
        ("at_minutes = 0", "at_minutes = 0\nat_minute = 5", "events[0].at_minute", "unknown field"),
        ("travel_minutes_per_link = 30", "", "events[0].travel_minutes_per_link", "missing"),
    ],
)
def test_bad_scenarios_are_refused_naming_file_and_field(
    registry: Registry, old: str, new: str, field: str, problem: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    with pytest.raises(ScenarioError) as info:
        scenario_from_toml(text, source="drills/bad.toml", registry=registry)
    message = str(info.value)
    assert message.startswith("drills/bad.toml")
    assert field in message and problem in message, message


@pytest.mark.parametrize(
    ("events", "field", "problem"),
    [
        ("", "events", "missing"),
        ("events = []", "events", "non-empty"),
        (
            '[[events]]\nkind = "bloom"\nat_minutes = 0\nlake = "西湖"\nramp_hours = 1\n'
            "duration_hours = 2\n[events.increase]\nTP = 0.1\n",
            "events[0].lake",
            "no lake sections",
        ),
        (
            '[[events]]\nkind = "offline"\nat_minutes = 0\nstations = []\nduration_minutes = 5\n',
            "events[0].stations",
            "non-empty",
        ),
        (
            '[[events]]\nkind = "offline"\nat_minutes = 0\nstations = ["AQ-N-01", 7]\n'
            "duration_minutes = 5\n",
            "events[0].stations[1]",
            "station id",
        ),
        (
            '[[events]]\nkind = "offline"\nat_minutes = 0\nstations = ["AQ-N-01"]\n'
            'duration_minutes = 5\nhold = "yes"\n',
            "events[0].hold",
            "true or false",
        ),
        (
            '[[events]]\nkind = "episode"\nat_minutes = 0\npeak_pm25 = 180\nramp_hours = 1\n'
            "plateau_hours = 1\nclear_hours = 1\nfrom_direction = 400\n",
            "events[0].from_direction",
            "<= 360",
        ),
    ],
)
def test_bad_events_of_other_kinds_are_refused(
    registry: Registry, events: str, field: str, problem: str
) -> None:
    head = GOOD.split("[[events]]")[0]
    with pytest.raises(ScenarioError) as info:
        scenario_from_toml(head + events, source="bad.toml", registry=registry)
    message = str(info.value)
    assert message.startswith("bad.toml") and field in message and problem in message, message


def test_loading_by_name_and_path_refuses_unknown_mismatched_and_unreadable_files(
    tmp_path: Path, registry: Registry
) -> None:
    with pytest.raises(ScenarioError, match=r"no scenario 'nope'.*spill_grand_canal"):
        load_scenario("nope", registry)
    with pytest.raises(ScenarioError, match="bad scenario name"):
        load_scenario("../etc/passwd", registry)
    other = tmp_path / "other.toml"
    other.write_text(GOOD, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"other\.toml: name: 'x' differs from the file name"):
        load_scenario(other, registry)
    binary = tmp_path / "x.toml"
    binary.write_bytes(b"\xff\xfe name")
    with pytest.raises(ScenarioError, match=r"x\.toml: not UTF-8"):
        load_scenario(binary, registry)
    # A good file outside the shipped directory loads by path, and by name from its directory.
    binary.write_text(GOOD, encoding="utf-8")
    assert load_scenario(binary, registry).name == "x"
    assert load_scenario("x", registry, directory=tmp_path).source == binary


# --- what the events do -----------------------------------------------------------------------


def _chain(registry: Registry, first: str) -> list[Station]:
    out = []
    station = registry.by_id(first)
    while station is not None:
        out.append(station)
        station = registry.by_id(station.downstream[0]) if station.downstream else None
    return out


def _series(packets: list[SimPacket], station: Station, key: str) -> list[tuple[float, float]]:
    code = next(p.code for p in station.parameters if p.key == key)
    return [
        (sp.data_time, float(parse(sp.data).cp[f"{code}-Avg"]))
        for sp in packets
        if sp.station_id == station.id
    ]


def test_the_spill_reaches_each_downstream_section_later_and_weaker(registry: Registry) -> None:
    scenario = load_scenario("spill_grand_canal", registry)
    canal = _chain(registry, "WQ-B-01")
    assert [s.name for s in canal][:3] == ["奔牛", "九里", "连江桥"] and canal[-1].name == "五牧"
    bystander = registry.by_id("WQ-N-04")  # 魏村闸 on the 德胜河, upstream of the canal
    assert bystander is not None
    stations = [*canal, bystander]
    end = START + 40 * HOUR
    with_spill = list(
        generate_packets(
            registry, START, end, seed=3, scenario=scenario, rates=NO_FAULTS, stations=stations
        )
    )
    without = list(
        generate_packets(registry, START, end, seed=3, rates=NO_FAULTS, stations=stations)
    )
    arrivals, peaks = [], []
    calm = WaterModel(seed=3)
    for hops, station in enumerate(canal):
        nh3 = _series(with_spill, station, "NH3-N")
        base = dict(_series(without, station, "NH3-N"))
        # Emergency monitoring: the sections on the plume's path sample hourly.
        assert len(nh3) > len(base) + 8
        over = [t for t, v in nh3 if v > calm.values(station, t)["NH3-N"] + 0.3]
        assert over, f"the plume never reached {station.name}"
        arrivals.append(over[0])
        peaks.append(max(v for _, v in nh3))
        # DO falls by the spill's 4.5 mg/L, diluted by 0.8 per link and spread along the way.
        drop = max(calm.values(station, t)["DO"] - v for t, v in _series(with_spill, station, "DO"))
        assert drop > 0.7 * 4.5 * 0.8**hops / (1 + 0.3 * hops) ** 0.5, (station.name, drop)
    assert arrivals == sorted(arrivals) and len(set(arrivals)) == len(arrivals)
    assert arrivals[-1] - arrivals[0] >= 6 * 3 * HOUR  # three hours per link, seven links
    assert peaks == sorted(peaks, reverse=True)
    # Before the spill and off its path nothing changes.
    assert _series(with_spill, bystander, "NH3-N") == _series(without, bystander, "NH3-N")
    first = canal[0]
    assert _series(with_spill, first, "NH3-N")[0] == _series(without, first, "NH3-N")[0]


def test_the_heavy_pollution_episode_pushes_the_city_past_aqi_200_upwind_first(
    registry: Registry,
) -> None:
    scenario = load_scenario("heavy_pollution", registry)
    (event,) = scenario.events
    assert isinstance(event, EpisodeEvent)
    timeline = ScenarioTimeline(scenario, registry, START)
    stations = registry.by_kind("air_national") + registry.by_kind("air_provincial")
    model = AirModel(stations, seed=5, timeline=timeline)
    calm = AirModel(stations, seed=5)

    def daily_mean(m: AirModel, s: Station, day: int) -> float:
        return statistics.mean(
            m.values(s, START + day * 86400 + h * HOUR + 1800)["PM2.5"] for h in range(24)
        )

    # Day 3 (hours 49–72 after the start) is at the plateau for the whole city.
    peak_day = [daily_mean(model, s, 2) for s in stations]
    aqis = [iaqi("PM2.5", v, "day") for v in peak_day]
    assert sum(1 for a in aqis if a is not None and a > 200) >= len(stations) - 2, aqis
    calm_day = [daily_mean(calm, s, 2) for s in stations]
    assert all(p > c + 40 for p, c in zip(peak_day, calm_day, strict=True))
    before = [daily_mean(calm, s, 0) for s in stations]
    assert statistics.mean(peak_day) > 2.5 * statistics.mean(before)
    # The air mass comes from the north-west: 孟河 (north-west) passes 100 µg/m³ before 雪堰
    # (south-east).
    menghe = registry.by_id("AQ-P-01")
    xueyan = registry.by_id("AQ-P-02")
    assert menghe is not None and xueyan is not None

    def first_over(s: Station, level: float) -> float:
        return next(h for h in range(0, 72) if model.values(s, START + h * HOUR)["PM2.5"] > level)

    assert first_over(menghe, 100) < first_over(xueyan, 100)
    # And it ends: after ramp + plateau + clearing the city is back to its calm self.
    # (Stations downwind see it start and end up to (30 + 40 km) / 12 km/h ≈ 6 h later.)
    after = START + (1 + 48 + 24 + 12 + 8) * HOUR
    s = stations[0]
    assert model.values(s, after) == calm.values(s, after)


def test_the_algae_bloom_raises_tp_and_nh3n_in_its_lake_only(registry: Registry) -> None:
    scenario = load_scenario("algae_bloom_zhushan", registry)
    (event,) = scenario.events
    assert isinstance(event, BloomEvent) and event.lake == "竺山湖"
    timeline = ScenarioTimeline(scenario, registry, START)
    bloom = WaterModel(seed=1, timeline=timeline)
    calm = WaterModel(seed=1)
    zhushan = [s for s in registry if s.river == "竺山湖"]
    gehu = [s for s in registry if s.river == "滆湖"]
    assert len(zhushan) == 3 and gehu
    full = START + 48 * HOUR  # full bloom, local midnight
    for s in zhushan:
        b, c = bloom.values(s, full), calm.values(s, full)
        assert b["TP"] - c["TP"] == pytest.approx(0.15, abs=0.01)
        assert b["NH3-N"] - c["NH3-N"] == pytest.approx(0.8, abs=0.01)
        # DO: supersaturated in the afternoon, depleted before dawn.
        afternoon = START + 48 * HOUR + 14 * HOUR
        dawn = START + 48 * HOUR + 5 * HOUR
        assert 13 <= local_hour(afternoon) < 15 and 4 <= local_hour(dawn) < 6
        assert bloom.values(s, afternoon)["DO"] > calm.values(s, afternoon)["DO"] + 2
        assert bloom.values(s, dawn)["DO"] < calm.values(s, dawn)["DO"] - 3
        assert bloom.values(s, afternoon)["pH"] > calm.values(s, afternoon)["pH"] + 0.4
    for s in gehu:
        assert bloom.values(s, full) == calm.values(s, full)


def test_offline_stations_go_silent_or_send_their_held_data_late(registry: Registry) -> None:
    scenario = load_scenario("station_offline", registry)
    silent, held = scenario.events
    assert isinstance(silent, OfflineEvent) and isinstance(held, OfflineEvent)
    assert not silent.hold and held.hold
    anjia = registry.by_id("AQ-N-01")
    wumu = registry.by_id("WQ-N-03")
    assert anjia is not None and wumu is not None
    end = START + 12 * HOUR
    packets = list(
        generate_packets(
            registry,
            START,
            end,
            seed=2,
            scenario=scenario,
            rates=NO_FAULTS,
            stations=[anjia, wumu],
        )
    )
    off_from, off_to = START + 10 * 60, START + 190 * 60
    anjia_times = [p.data_time for p in packets if p.station_id == anjia.id]
    assert not [t for t in anjia_times if off_from <= t < off_to]
    # Three hours lost, and the minute that was being sent when the power went.
    assert len(anjia_times) == 12 * 60 - 181
    back = START + (40 + 480) * 60
    wumu_packets = [p for p in packets if p.station_id == wumu.id]
    during = [p for p in wumu_packets if START + 40 * 60 <= p.data_time < back]
    assert [(p.data_time - START) / HOUR for p in during] == [4.0, 8.0]
    assert all(p.send_time >= back and p.late for p in during)
    assert [(p.data_time - START) / HOUR for p in wumu_packets] == [0.0, 4.0, 8.0]


def test_a_scenario_describes_itself_and_knows_when_it_is_over(registry: Registry) -> None:
    scenario = load_scenario("spill_grand_canal", registry)
    doc = scenario.to_json()
    assert doc["name"] == "spill_grand_canal"
    assert doc["title"] == {"zh": scenario.title_zh, "en": scenario.title_en}
    (event,) = doc["events"]
    assert event["kind"] == "spill" and event["station"] == "WQ-B-01"
    assert event["increase"]["NH3-N"] == 6.0 and event["decrease"] == {"DO": 4.5}
    timeline = ScenarioTimeline(scenario, registry, START)
    # The plume needs seven links of three hours to reach 五牧, and then has to pass it.
    assert timeline.end > START + (30 + 7 * 180 + 240) * 60
    wumu = registry.by_id("WQ-N-03")
    assert wumu is not None
    calm = WaterModel(seed=0).values(wumu, timeline.end)
    assert WaterModel(seed=0, timeline=timeline).values(wumu, timeline.end) == pytest.approx(
        calm, rel=0.01
    )
