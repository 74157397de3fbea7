"""AlarmEngine: each rule type on real observations, the delay/count filter, hysteresis,
missing data, late data, restart, and refused input."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from dispatch_app.domain.alarm_rules import (
    AlarmEngine,
    AlarmRule,
    Observation,
    StationInfo,
    stations_from_registry,
    validate_rule,
)

T0 = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
AIR = StationInfo("AQ-N-01", "air_national", "xinbei")
HOURLY_AIR = StationInfo("AQ-P-01", "air_provincial", "wujin", interval_s=3600)
GRID = StationInfo("AQ-G-001", "air_grid", "tianning")
RIVER = StationInfo(
    "WQ-N-01", "water_national", "wujin", target_class=3, waterbody="river", interval_s=14400
)
LAKE = StationInfo(
    "WQ-N-02", "water_national", "wujin", target_class=3, waterbody="lake", interval_s=14400
)


def rule(rule_id: str, type_: str, kinds: list[str], params: dict, **extra: object) -> AlarmRule:
    return validate_rule(
        {
            "id": rule_id,
            "name_zh": rule_id,
            "name_en": rule_id,
            "type": type_,
            "station_kinds": kinds,
            "priority": extra.pop("priority", "medium"),
            "params": params,
            **extra,
        }
    )


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def air_hour(engine: AlarmEngine, station: str, when: datetime, **values: float) -> None:
    for parameter, value in values.items():
        engine.observe(station, parameter.replace("PM25", "PM2.5"), when, value)


CLEAN = dict(SO2=8.0, NO2=30.0, CO=0.6, O3=80.0, PM10=60.0)


def active(conditions: list, rule_id: str | None = None) -> dict[str, object]:
    return {
        c.station_id: c
        for c in conditions
        if c.active and (rule_id is None or c.rule_id == rule_id)
    }


def test_aqi_level_needs_hour_coverage_then_count() -> None:
    heavy = rule("aqi-heavy", "aqi_level", ["air_national"], {"level": 5}, count=2)
    engine = AlarmEngine([heavy], [AIR])
    fired_at = None
    for m in range(60):
        air_hour(engine, AIR.id, minutes(m), PM25=180.0, **CLEAN)
        conditions = engine.evaluate(minutes(m))
        if conditions and fired_at is None:
            fired_at = m
    # 45 minute samples make an hourly average (HJ 663 coverage); the 2nd such sample fires.
    assert fired_at == 45
    condition = engine.evaluate(minutes(59))[0]
    assert condition.active and condition.value == 230.0 and condition.threshold == 201.0
    assert condition.rule_id == "aqi-heavy" and condition.key == "aqi-heavy@AQ-N-01"
    pm = next(e for e in condition.evidence if e.parameter == "PM2.5")
    assert pm.value == 180.0 and "IAQI 230" in pm.basis
    assert "AQI 230" in condition.message_en and "首要污染物 PM2.5" in condition.message_zh


def test_count_filter_resets_and_repeated_evaluation_is_not_a_new_sample() -> None:
    r = rule("aqi", "aqi_level", ["air_provincial"], {"level": 3}, count=3)
    engine = AlarmEngine([r], [HOURLY_AIR])
    pm = [120.0, 120.0, 40.0, 120.0, 120.0]  # AQI 158, 158, 60, 158, 158
    for h, value in enumerate(pm):
        air_hour(engine, HOURLY_AIR.id, minutes(60 * h), PM25=value, **CLEAN)
        for _ in range(3):  # evaluating the same data again is not another sample
            assert engine.evaluate(minutes(60 * h + 1)) == []
    air_hour(engine, HOURLY_AIR.id, minutes(300), PM25=120.0, **CLEAN)
    assert active(engine.evaluate(minutes(301)))  # the third consecutive sample


def test_hysteresis_holds_in_the_deadband_and_clears_below_it() -> None:
    r = rule("aqi", "aqi_level", ["air_provincial"], {"level": 5}, deadband=10)
    engine = AlarmEngine([r], [HOURLY_AIR])
    air_hour(engine, HOURLY_AIR.id, minutes(0), PM25=180.0, **CLEAN)  # AQI 230
    assert active(engine.evaluate(minutes(1)))
    air_hour(engine, HOURLY_AIR.id, minutes(60), PM25=146.0, **CLEAN)  # AQI 195: in deadband
    held = engine.evaluate(minutes(61))
    assert held[0].active and held[0].value == 195.0
    air_hour(engine, HOURLY_AIR.id, minutes(120), PM25=140.0, **CLEAN)  # AQI 186: below 191
    cleared = engine.evaluate(minutes(121))
    assert len(cleared) == 1 and not cleared[0].active and cleared[0].value == 186.0
    assert engine.evaluate(minutes(122)) == []  # a clear is reported once


def test_without_deadband_clears_as_soon_as_below_threshold() -> None:
    r = rule("aqi", "aqi_level", ["air_provincial"], {"level": 5})
    engine = AlarmEngine([r], [HOURLY_AIR])
    air_hour(engine, HOURLY_AIR.id, minutes(0), PM25=150.5, **CLEAN)  # 150 after GB/T 8170 → 200
    assert engine.evaluate(minutes(1)) == []
    air_hour(engine, HOURLY_AIR.id, minutes(60), PM25=151.0, **CLEAN)  # 201
    assert active(engine.evaluate(minutes(61)))
    air_hour(engine, HOURLY_AIR.id, minutes(120), PM25=150.0, **CLEAN)  # 200
    assert not engine.evaluate(minutes(121))[0].active


def test_missing_pollutant_makes_aqi_unknown_and_keeps_state() -> None:
    r = rule("aqi", "aqi_level", ["air_provincial"], {"level": 5})
    engine = AlarmEngine([r], [HOURLY_AIR])
    air_hour(engine, HOURLY_AIR.id, minutes(0), PM25=180.0, **CLEAN)
    assert active(engine.evaluate(minutes(1)))
    # The station goes silent: the alarm neither clears nor fires again.
    for m in (120, 240, 600):
        conditions = engine.evaluate(minutes(m))
        assert len(conditions) == 1 and conditions[0].active


def test_flagged_values_never_enter_an_average() -> None:
    r = rule("aqi", "aqi_level", ["air_provincial"], {"level": 5})
    engine = AlarmEngine([r], [HOURLY_AIR])
    engine.observe(HOURLY_AIR.id, "PM2.5", minutes(0), 900.0, "D")  # analyser fault reading
    air_hour(engine, HOURLY_AIR.id, minutes(0), **CLEAN)
    assert engine.evaluate(minutes(1)) == []  # PM2.5 missing, AQI ≤ 100 → NA, no alarm


def test_limit_one_hour_equal_to_limit_complies() -> None:
    r = rule("no2", "limit", ["air_provincial"], {"pollutant": "NO2", "period": "1h"})
    engine = AlarmEngine([r], [HOURLY_AIR])
    for h, value in enumerate([200.0, 200.4, 200.5]):  # all round to 200 (GB/T 8170)
        engine.observe(HOURLY_AIR.id, "NO2", minutes(60 * h), value)
        assert engine.evaluate(minutes(60 * h + 1)) == []
    engine.observe(HOURLY_AIR.id, "NO2", minutes(180), 201.0)
    condition = engine.evaluate(minutes(181))[0]
    assert condition.active and condition.threshold == 200.0
    assert condition.evidence[0].basis == "1h average"
    assert "above the GB 3095 limit 200" in condition.message_en


def test_limit_daily_needs_twenty_hours() -> None:
    r = rule("pm25-day", "limit", ["air_provincial"], {"pollutant": "PM2.5", "period": "day"})
    engine = AlarmEngine([r], [HOURLY_AIR])
    for h in range(19):
        engine.observe(HOURLY_AIR.id, "PM2.5", minutes(60 * h), 70.0)
        assert engine.evaluate(minutes(60 * h + 1)) == []
    engine.observe(HOURLY_AIR.id, "PM2.5", minutes(60 * 19), 70.0)  # the 20th hour
    condition = engine.evaluate(minutes(60 * 19 + 1))[0]
    assert condition.active and condition.value == pytest.approx(70.0)
    assert condition.threshold == 60.0 and condition.evidence[0].basis == "24h average"


def test_water_section_worse_than_target() -> None:
    r = rule("water", "water_class", ["water_national"], {"max_age_minutes": 480}, priority="high")
    engine = AlarmEngine([r], [RIVER, LAKE])
    sample = {"pH": 7.4, "DO": 6.5, "CODMn": 4.0, "NH3-N": 1.8, "TP": 0.15, "water_temp": 15.0}
    for station in (RIVER, LAKE):
        for parameter, value in sample.items():
            engine.observe(station.id, parameter, minutes(0), value)
    by_station = active(engine.evaluate(minutes(5)))
    river = by_station[RIVER.id]
    assert river.value == 5.0 and river.threshold == 3.0 and river.open_case
    assert [e.parameter for e in river.evidence] == ["NH3-N"]
    assert "1.8" in river.message_en and "0.80" in river.message_en
    lake = by_station[LAKE.id]  # TP 0.15 is Ⅴ in a lake (0.1 < 0.15 ≤ 0.2)
    assert {e.parameter for e in lake.evidence} == {"NH3-N", "TP"}
    # Four hours later the river is back in class; the lake reading is stale and ignored.
    engine.observe(RIVER.id, "NH3-N", minutes(240), 0.9)
    conditions = engine.evaluate(minutes(245))
    assert [(c.station_id, c.active) for c in conditions if c.station_id == RIVER.id] == [
        (RIVER.id, False)
    ]
    # After max_age the lake has no fresh values: not evaluable, so it keeps its state.
    assert active(engine.evaluate(minutes(600)))[LAKE.id].active


def test_water_ignores_flagged_samples() -> None:
    r = rule("water", "water_class", ["water_national"], {})
    engine = AlarmEngine([r], [RIVER])
    engine.observe(RIVER.id, "DO", minutes(0), 7.0)
    engine.observe(RIVER.id, "NH3-N", minutes(0), 5.0, "D")
    assert engine.evaluate(minutes(1)) == []


def test_sudden_rise_on_grid_point() -> None:
    r = rule(
        "rise",
        "sudden_rise",
        ["air_grid"],
        {"parameter": "PM2.5", "rise": 0.5, "window_minutes": 60, "min_increase": 20},
    )
    engine = AlarmEngine([r], [GRID])
    for m in range(30):
        engine.observe(GRID.id, "PM2.5", minutes(m), 40.0)
    assert engine.evaluate(minutes(29)) == []
    engine.observe(GRID.id, "PM2.5", minutes(30), 59.0)  # +47.5 %: not yet
    assert engine.evaluate(minutes(30)) == []
    engine.observe(GRID.id, "PM2.5", minutes(31), 65.0)  # +62.5 %, +25 µg/m³
    condition = engine.evaluate(minutes(31))[0]
    assert condition.active and condition.value == pytest.approx(0.625)
    assert [e.basis for e in condition.evidence] == ["window minimum", "latest"]
    assert condition.evidence[0].value == 40.0 and condition.evidence[1].value == 65.0
    # The low value leaves the 60-minute window: no rise any more, the alarm clears.
    for m in range(32, 95):
        engine.observe(GRID.id, "PM2.5", minutes(m), 65.0)
    assert not engine.evaluate(minutes(94))[0].active


def test_sudden_rise_needs_the_absolute_increase_too() -> None:
    r = rule(
        "rise", "sudden_rise", ["air_grid"], {"parameter": "PM2.5", "rise": 0.5, "min_increase": 20}
    )
    engine = AlarmEngine([r], [GRID])
    engine.observe(GRID.id, "PM2.5", minutes(0), 10.0)
    engine.observe(GRID.id, "PM2.5", minutes(1), 18.0)  # +80 % but only +8 µg/m³
    assert engine.evaluate(minutes(1)) == []


def test_silent_station_and_station_never_heard() -> None:
    r = rule("silent", "silent", ["air_national", "air_grid"], {"minutes": 30})
    engine = AlarmEngine([r], [AIR, GRID], started=T0)
    engine.observe(AIR.id, "PM2.5", minutes(0), 30.0)
    assert engine.evaluate(minutes(30)) == []  # exactly 30 minutes: not longer than 30
    conditions = active(engine.evaluate(minutes(31)))
    assert set(conditions) == {AIR.id, GRID.id}  # GRID never sent anything since start
    assert conditions[AIR.id].value == pytest.approx(31.0)
    assert conditions[GRID.id].evidence[0].basis == "watching since"
    engine.observe(AIR.id, "PM2.5", minutes(32), 30.0)
    after = engine.evaluate(minutes(33))
    assert [(c.station_id, c.active) for c in after] == [(AIR.id, False), (GRID.id, True)]


def test_fault_flag_must_persist() -> None:
    r = rule("fault", "fault_flag", ["air_national"], {"flags": ["D"], "minutes": 60})
    engine = AlarmEngine([r], [AIR])
    engine.observe(AIR.id, "O3", minutes(0), 10.0, "D")
    engine.observe(AIR.id, "O3", minutes(30), 0.0, "D")
    engine.observe(AIR.id, "PM2.5", minutes(30), 30.0, "M")  # maintenance is not a fault
    assert engine.evaluate(minutes(59)) == []
    condition = engine.evaluate(minutes(60))[0]
    assert condition.active and condition.evidence[0].flag == "D"
    assert condition.evidence[0].time == minutes(0)  # since when the flag is set
    engine.observe(AIR.id, "O3", minutes(61), 80.0, "N")
    assert not engine.evaluate(minutes(62))[0].active


def test_late_and_repeated_data() -> None:
    r = rule("no2", "limit", ["air_national"], {"pollutant": "NO2", "period": "1h"})
    engine = AlarmEngine([r], [AIR])
    for m in range(60):
        if m % 10 != 0:  # every tenth minute is held back by the data logger
            engine.observe(AIR.id, "NO2", minutes(m), 190.0)
    assert engine.evaluate(minutes(59)) == []  # 190 without the late values
    late = [Observation(AIR.id, "NO2", minutes(m), 340.0) for m in range(0, 60, 10)]
    assert engine.observe_many(late) == []
    assert engine.observe_many(late) == []  # sent twice: counted once
    condition = engine.evaluate(minutes(60))[0]
    # (54·190 + 6·340) / 60 = 205; counting the resend twice would give 217.3.
    assert condition.active and condition.value == pytest.approx(205.0)


def test_bad_input_is_refused_and_loses_nothing_else() -> None:
    r = rule("no2", "limit", ["air_provincial"], {"pollutant": "NO2", "period": "1h"})
    engine = AlarmEngine([r], [HOURLY_AIR])
    with pytest.raises(ValueError, match="unknown station"):
        engine.observe("AQ-X", "NO2", T0, 1.0)
    with pytest.raises(ValueError, match="naive"):
        engine.observe(HOURLY_AIR.id, "NO2", datetime(2026, 11, 28), 1.0)
    with pytest.raises(ValueError, match="finite"):
        engine.observe(HOURLY_AIR.id, "NO2", T0, math.nan)
    with pytest.raises(ValueError, match="finite"):
        engine.observe(HOURLY_AIR.id, "NO2", T0, True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="flag"):
        engine.observe(HOURLY_AIR.id, "NO2", T0, 1.0, "")
    with pytest.raises(ValueError, match="naive"):
        engine.evaluate(datetime(2026, 11, 28))
    rejected = engine.observe_many(
        [
            Observation("AQ-X", "NO2", T0, 1.0),
            Observation(HOURLY_AIR.id, "NO2", T0, 250.0),
            (HOURLY_AIR.id, "NO2", "yesterday", 1.0),
        ]
    )
    assert [reason.split(" ")[0] for _, reason in rejected] == ["unknown", "time"]
    assert active(engine.evaluate(minutes(1)))  # the good observation was taken


def test_restart_reports_the_clearing_of_restored_alarms() -> None:
    r = rule("no2", "limit", ["air_provincial"], {"pollutant": "NO2", "period": "1h"})
    engine = AlarmEngine([r], [HOURLY_AIR], active=[("no2", HOURLY_AIR.id)])
    assert engine.evaluate(minutes(0)) == []  # nothing known yet: nothing said
    engine.observe(HOURLY_AIR.id, "NO2", minutes(1), 50.0)
    conditions = engine.evaluate(minutes(2))
    assert [(c.key, c.active) for c in conditions] == [(f"no2@{HOURLY_AIR.id}", False)]
    assert engine.active_pairs() == []


def test_rule_edit_keeps_state_of_unchanged_rules() -> None:
    r = rule("no2", "limit", ["air_provincial"], {"pollutant": "NO2", "period": "1h"})
    other = rule("silent", "silent", ["air_provincial"], {"minutes": 60})
    engine = AlarmEngine([r], [HOURLY_AIR])
    engine.observe(HOURLY_AIR.id, "NO2", minutes(0), 300.0)
    assert active(engine.evaluate(minutes(1)))
    engine.set_rules([r, other])
    assert engine.active_pairs() == [("no2", HOURLY_AIR.id)]
    engine.set_rules([other])
    assert engine.active_pairs() == []
    with pytest.raises(ValueError, match="share an id"):
        engine.set_rules([other, other])


def test_registry_parsing(resources_dir) -> None:
    import json

    doc = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    stations = stations_from_registry(doc)
    assert len(stations) == len(doc["stations"])
    water = [s for s in stations if s.kind.startswith("water_")]
    assert water and all(s.target_class in (1, 2, 3, 4, 5) for s in water)
    with pytest.raises(ValueError, match="unknown kind"):
        StationInfo.from_registry({"id": "X", "kind": "air_city"})
    with pytest.raises(ValueError, match="incomplete"):
        StationInfo.from_registry({"kind": "air_grid"})
    with pytest.raises(ValueError, match="listed twice"):
        AlarmEngine([], [AIR, AIR])
    with pytest.raises(ValueError, match="'stations' list"):
        stations_from_registry({})


def test_aqi_rule_follows_the_version_of_the_data_date() -> None:
    # PM2.5 70 µg/m³: HJ 633—2026 → IAQI 110 (level 3); HJ 633—2012 indexes the 24 h moving
    # average 70 → IAQI 94 (level 2). Same data, different verdicts, by date.
    r = rule("aqi", "aqi_level", ["air_provincial"], {"level": 3})
    for start, expected in [(T0, True), (datetime(2025, 11, 28, tzinfo=UTC), False)]:
        engine = AlarmEngine([r], [HOURLY_AIR])
        for h in range(21):
            when = start + timedelta(hours=h)
            air_hour(engine, HOURLY_AIR.id, when, PM25=70.0, **CLEAN)
            conditions = engine.evaluate(when + timedelta(minutes=1))
        assert bool(active(conditions)) is expected, start


def test_running_hour_average_matches_an_exact_sum() -> None:
    import random

    r = rule("no2", "limit", ["air_national"], {"pollutant": "NO2", "period": "1h"})
    engine = AlarmEngine([r], [AIR])
    series_of = engine._stations[AIR.id].series  # internal window, read for this check only
    rng = random.Random(3)
    values: dict[int, float] = {}
    held: list[int] = []
    for m in range(3000):
        values[m] = round(rng.uniform(0, 400), 1)
        if rng.random() < 0.05:
            held.append(m)  # the logger holds it back: sent three minutes later
        else:
            engine.observe(AIR.id, "NO2", minutes(m), values[m])
        for late in [h for h in held if h <= m - 3]:
            engine.observe(AIR.id, "NO2", minutes(late), values[late])
            held.remove(late)
        if m % 50 == 49 and m > 60 and not held:
            got = series_of["NO2"].hour_average(1)
            assert got is not None
            exact = math.fsum(values[k] for k in range(m - 59, m + 1)) / 60
            assert got[0] == pytest.approx(exact, rel=1e-12), m


def test_edited_rule_rejudges_current_data() -> None:
    heavy = rule("aqi", "aqi_level", ["air_provincial"], {"level": 5})
    engine = AlarmEngine([heavy], [HOURLY_AIR])
    air_hour(engine, HOURLY_AIR.id, minutes(0), PM25=120.0, **CLEAN)  # AQI 158, level 4
    assert engine.evaluate(minutes(1)) == []
    # The administrator lowers the rule to level 3: no new data, yet the verdict changes.
    engine.set_rules([rule("aqi", "aqi_level", ["air_provincial"], {"level": 3})])
    conditions = engine.evaluate(minutes(2))
    assert active(conditions) and conditions[0].value == 158.0


def test_window_minimum_kept_across_calls_matches_a_scan() -> None:
    import random

    r = rule("rise", "sudden_rise", ["air_grid"], {"parameter": "PM2.5", "rise": 0.5})
    engine = AlarmEngine([r], [GRID])
    series_of = engine._stations[GRID.id].series  # internal window, read for this check only
    rng = random.Random(11)
    seen: dict[int, float] = {}
    held: list[int] = []
    for m in range(1500):
        seen[m] = round(rng.uniform(5, 300), 1)
        if rng.random() < 0.03:
            held.append(m)
        else:
            engine.observe(GRID.id, "PM2.5", minutes(m), seen[m])
        for late in [h for h in held if h <= m - 4]:
            engine.observe(GRID.id, "PM2.5", minutes(late), seen[late])
            held.remove(late)
        got = series_of["PM2.5"].window_minimum(3600.0)
        assert got is not None
        # The window is (latest − 60 min, latest]; held samples have not arrived yet.
        latest = max(k for k in range(m + 1) if k not in held)
        low = min(seen[k] for k in range(latest - 59, latest + 1) if k >= 0 and k not in held)
        assert got[0] == low, m
        assert seen[int((got[1] - T0.timestamp()) // 60)] == low


def test_time_driven_rules_wait_while_the_feed_catches_up() -> None:
    """A feed replaying a backlog (old data in time order) must not be judged on the clock:
    silent and fault rules hold every pair, raising nothing and clearing nothing, until the
    feed says it is caught up; then the picture it holds is judged."""
    silent = rule("silent", "silent", ["air_national", "air_grid"], {"minutes": 30})
    fault = rule("fault", "fault_flag", ["air_national"], {"flags": ["D"], "minutes": 60})
    engine = AlarmEngine([silent, fault], [AIR, GRID], started=minutes(-3000))
    # The replay has reached two days ago: an old fault flag, old data from both stations.
    engine.observe(AIR.id, "O3", minutes(-2880), 10.0, "D")
    engine.observe(GRID.id, "PM2.5", minutes(-2880), 30.0)
    assert engine.evaluate(minutes(0), caught_up=False) == []
    # The rest of the backlog arrives: both are fresh and the flag is back to N.
    engine.observe(AIR.id, "O3", minutes(-1), 12.0, "N")
    engine.observe(GRID.id, "PM2.5", minutes(-1), 31.0)
    assert engine.evaluate(minutes(0), caught_up=True) == []
    # A real silence is raised once caught up …
    conditions = active(engine.evaluate(minutes(40), caught_up=True))
    assert set(conditions) == {AIR.id, GRID.id}
    # … and a held round (the feed fell behind again) neither clears nor re-raises it.
    engine.observe(GRID.id, "PM2.5", minutes(39), 31.0)
    held = engine.evaluate(minutes(41), caught_up=False)
    assert [(c.station_id, c.active) for c in held] == [(AIR.id, True), (GRID.id, True)]
    after = engine.evaluate(minutes(42), caught_up=True)
    assert [(c.station_id, c.active) for c in after] == [(AIR.id, True), (GRID.id, False)]


def test_silence_is_not_longer_than_the_data_service_has_listened() -> None:
    """A data service that just started (the embedded one, with the desk) holds data from its
    last run hours ago and its stations are still re-sending their buffers: no station is
    silent before the service has listened for the rule's minutes. Then a station still not
    heard is, with its true age; one heard meanwhile is not; one already in alarm stays."""
    r = rule("silent", "silent", ["air_national", "air_grid"], {"minutes": 30})
    engine = AlarmEngine([r], [AIR, GRID], active=[("silent", GRID.id)], started=minutes(-5))
    started = minutes(0)  # the service's start
    engine.observe(AIR.id, "PM2.5", minutes(-1038), 30.0)  # last run, 17 h ago
    engine.observe(GRID.id, "PM2.5", minutes(-1038), 30.0)
    # Not raised for AIR; GRID's stored alarm is held (not reported), never cleared.
    assert engine.evaluate(minutes(1), listening_since=started) == []
    assert engine.evaluate(minutes(10), listening_since=started) == []
    assert engine.active_pairs() == [("silent", GRID.id)]
    engine.observe(GRID.id, "PM2.5", minutes(29), 30.0)  # GRID's logger came back
    later = engine.evaluate(minutes(31), listening_since=started)
    by_station = {c.station_id: c for c in later}
    assert by_station[AIR.id].active and by_station[AIR.id].value == pytest.approx(1069.0)
    assert not by_station[GRID.id].active
    # A service listening for long (a desk started against it) judges at once.
    fresh = AlarmEngine([r], [AIR], started=minutes(0))
    fresh.observe(AIR.id, "PM2.5", minutes(-45), 30.0)
    assert active(fresh.evaluate(minutes(0), listening_since=minutes(-600)))[AIR.id]


def test_a_fault_flag_from_before_the_service_listened_waits_for_the_rest_of_the_buffer() -> None:
    """The embedded service's first seconds: a water section's history arrives, a D flag two
    days ago first and the N samples after it a moment later. The flag is not called
    persisting meanwhile; one set while the service listens is judged as before."""
    r = rule("fault", "fault_flag", ["water_national"], {"flags": ["D"], "minutes": 60})
    engine = AlarmEngine([r], [RIVER], started=minutes(0))
    listening = minutes(0)
    engine.observe(RIVER.id, "CODMn", minutes(-2660), 21.9, "D")
    assert engine.evaluate(minutes(0.2), listening_since=listening) == []
    engine.observe(RIVER.id, "CODMn", minutes(-2420), 4.0, "N")  # the rest of the buffer
    assert engine.evaluate(minutes(0.4), listening_since=listening) == []
    # Live now: a fault flag that starts while the service listens, and persists an hour.
    engine.observe(RIVER.id, "CODMn", minutes(1), 25.0, "D")
    assert engine.evaluate(minutes(30), listening_since=listening) == []
    condition = engine.evaluate(minutes(62), listening_since=listening)[0]
    assert condition.active and condition.value == pytest.approx(61.0)
    # A service listening for long: an old flag still set is a real, persisting fault.
    old = AlarmEngine([r], [RIVER], started=minutes(0))
    old.observe(RIVER.id, "CODMn", minutes(-2660), 21.9, "D")
    assert old.evaluate(minutes(0), listening_since=minutes(-5000))[0].active
