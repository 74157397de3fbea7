"""Coalescing and staleness, on their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dispatch_app.feed.network_state import NetworkState, Staleness, staleness_of
from dispatch_app.feed.records import Observation, Station, StationParameter
from dispatch_app.network.reporting import Reporting, default_reporting

T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _station(sid: str, interval: int = 60, kind: str = "air_national") -> Station:
    return Station(
        id=sid,
        mn="0" * 24,
        name=sid,
        name_en=sid,
        kind=kind,
        district="xinbei",
        lon=119.9,
        lat=31.8,
        interval_s=interval,
        sample=True,
        parameters=(StationParameter("PM2.5", "a34004", "µg/m³"),),
    )


def _obs(sid: str, minute: int, value: float, seq: int, param: str = "PM2.5") -> Observation:
    return Observation(sid, param, T0 + timedelta(minutes=minute), value, "N", seq)


def test_latest_by_observation_time_wins_and_late_data_does_not_overwrite() -> None:
    net = NetworkState()
    net.set_stations([_station("A"), _station("B")])
    net.take_dirty()
    net.apply([_obs("A", 5, 50.0, 1), _obs("A", 6, 60.0, 2), _obs("A", 4, 40.0, 3)])
    dirty = net.take_dirty()
    assert list(dirty) == ["A"]
    assert dirty["A"].readings["PM2.5"].value == 60.0
    assert dirty["A"].last_time == T0 + timedelta(minutes=6)
    assert net.take_dirty() == {}


def test_unknown_station_is_counted_not_shown() -> None:
    net = NetworkState()
    net.set_stations([_station("A")])
    net.take_dirty()
    assert net.apply([_obs("ZZ", 1, 1.0, 1)]) == 0
    assert net.unknown_stations == {"ZZ"}
    assert net.take_dirty() == {}


def test_snapshots_do_not_change_after_delivery() -> None:
    net = NetworkState()
    net.set_stations([_station("A")])
    net.apply([_obs("A", 1, 1.0, 1)])
    snap = net.take_dirty()["A"]
    net.apply([_obs("A", 2, 2.0, 2)])
    assert snap.readings["PM2.5"].value == 1.0


def test_staleness_follows_each_stations_schedule_and_time_basis() -> None:
    """Minute averages are stamped with the minute's start and come in about two minutes after
    it ends; water samples with the sampling moment, every four hours, within half an hour."""
    air = default_reporting("air_national")
    water = default_reporting("water_national")
    assert staleness_of(None, air, T0) is Staleness.NO_DATA
    # An air station on time: the minute stamped T0 arrives around T0 + 2 min, the next one
    # a minute later; it is never late while that holds.
    assert staleness_of(T0, air, T0 + timedelta(seconds=190)) is Staleness.FRESH
    assert staleness_of(T0, air, T0 + timedelta(seconds=240)) is Staleness.FRESH
    # The next minute is overdue: late (迟报), until 16 minutes are missing (断报: the hour can
    # no longer reach its 45 valid minutes).
    assert staleness_of(T0, air, T0 + timedelta(seconds=241)) is Staleness.LATE
    assert staleness_of(T0, air, T0 + timedelta(seconds=240 + 14 * 60 + 59)) is Staleness.LATE
    assert staleness_of(T0, air, T0 + timedelta(seconds=240 + 15 * 60 + 1)) is Staleness.STALE
    assert air.offline_from(T0) == T0 + timedelta(seconds=240 + 15 * 60)
    # A water section sampled at T0 is on time for 4 h 30 min; a value five hours old is late,
    # and with two samples missing (the day's average lost) it is offline.
    assert staleness_of(T0, water, T0 + timedelta(hours=4, minutes=30)) is Staleness.FRESH
    assert staleness_of(T0, water, T0 + timedelta(hours=5)) is Staleness.LATE
    assert staleness_of(T0, water, T0 + timedelta(hours=8, minutes=29)) is Staleness.LATE
    assert staleness_of(T0, water, T0 + timedelta(hours=8, minutes=31)) is Staleness.STALE
    net = NetworkState()
    net.set_stations([_station("W", 4 * 3600, kind="water_national")])
    net.apply([_obs("W", 0, 7.0, 1, "pH")])
    assert net.staleness("W", T0 + timedelta(hours=4)) is Staleness.FRESH
    assert net.staleness("W", T0 + timedelta(hours=5)) is Staleness.LATE
    assert net.staleness("W", T0 + timedelta(hours=21)) is Staleness.STALE


def test_a_station_follows_its_own_interval_and_rules() -> None:
    """An air station reporting hourly averages (stamped with the hour's start, sent after the
    hour) keeps its kind's rules at its own interval; a station's own rules override its kind."""
    hourly = _station("H", 3600)
    assert hourly.schedule.interval_s == 3600
    assert hourly.schedule.time_basis == "period_start"
    # The 10:00 average comes after 11:00; the 11:00 one after 12:00 (+ delay): on time then.
    assert staleness_of(T0, hourly.schedule, T0 + timedelta(hours=2, minutes=1)) is (
        Staleness.FRESH
    )
    assert staleness_of(T0, hourly.schedule, T0 + timedelta(hours=2, minutes=3)) is (Staleness.LATE)
    strict = Reporting(60, "sample", delay_s=0, offline_after_missed=1)
    assert staleness_of(T0, strict, T0 + timedelta(seconds=61)) is Staleness.STALE


# --- the trailing hour of valid values ------------------------------------------------------------


def _flagged(minute: float, value: float | None, flag: str, param: str = "PM2.5") -> Observation:
    return Observation("A", param, T0 + timedelta(minutes=minute), value, flag, None)


def _hour(net: NetworkState, param: str = "PM2.5") -> tuple[float | None, int]:
    reading = net.snapshot("A").readings[param]
    return reading.hour_mean, reading.hour_count


def _net() -> NetworkState:
    net = NetworkState()
    net.set_stations([_station("A")])
    net.take_dirty()
    return net


def test_hour_mean_of_the_valid_values_received() -> None:
    net = _net()
    net.apply([_obs("A", m, 10.0 * (m + 1), m) for m in range(4)])  # 10, 20, 30, 40
    assert _hour(net) == (25.0, 4)
    assert net.snapshot("A").readings["PM2.5"].value == 40.0  # the latest value is kept as is


def test_values_older_than_an_hour_before_the_newest_leave_the_window() -> None:
    net = _net()
    net.apply([_obs("A", m, float(m), m) for m in range(70)])
    # (newest − 60 min, newest]: minutes 10..69, sixty values; minute 9 is exactly 60 min old.
    assert _hour(net) == (sum(range(10, 70)) / 60, 60)
    # A gap: the next value two hours later stands alone.
    net.apply([_obs("A", 190, 7.0, 100)])
    assert _hour(net) == (7.0, 1)


def test_flags_other_than_n_do_not_count_but_move_the_window() -> None:
    net = _net()
    net.apply(
        [
            _flagged(0, 10.0, "N"),
            _flagged(1, 900.0, "M"),  # maintenance
            _flagged(2, 800.0, "D"),  # fault
            _flagged(3, None, "N"),  # no value
            _flagged(4, 20.0, "N"),
        ]
    )
    assert _hour(net) == (15.0, 2)
    # An invalid value an hour on still ages the valid ones out: no valid value in the hour.
    net.apply([_flagged(64, 700.0, "C")])
    assert _hour(net) == (None, 0)
    reading = net.snapshot("A").readings["PM2.5"]
    assert reading.flag == "C" and reading.value == 700.0


def test_late_values_inside_the_hour_count_and_older_ones_are_ignored() -> None:
    net = _net()
    net.apply([_obs("A", m, 10.0, m) for m in (0, 1, 3)])
    net.take_dirty()
    net.apply([_obs("A", 2, 50.0, 9)])  # late, inside the hour
    assert _hour(net) == (20.0, 4)
    dirty = net.take_dirty()
    assert list(dirty) == ["A"]
    assert dirty["A"].readings["PM2.5"].time == T0 + timedelta(minutes=3)  # still the latest
    assert dirty["A"].readings["PM2.5"].value == 10.0
    net.apply([_obs("A", 70, 10.0, 10)])  # minutes 0..3 leave the window
    net.take_dirty()
    assert net.apply([_obs("A", 5, 99.0, 11)]) == 0  # late beyond the hour: nothing changes
    assert _hour(net) == (10.0, 1) and net.take_dirty() == {}


def test_a_repeated_time_replaces_its_value() -> None:
    net = _net()
    net.apply([_obs("A", m, 10.0, m) for m in range(4)])
    net.apply([_obs("A", 1, 30.0, 10)])  # a correction of minute 1
    assert _hour(net) == (15.0, 4)
    net.take_dirty()
    assert net.apply([_obs("A", 1, 30.0, 11)]) == 0  # an identical re-send changes nothing
    assert net.take_dirty() == {}
    net.apply([_flagged(1, 30.0, "M")])  # minute 1 re-sent as invalid: it leaves the mean
    assert _hour(net) == (10.0, 3)
    net.apply([_flagged(3, 70.0, "N")])  # a correction of the latest minute
    assert _hour(net) == (30.0, 3)
    assert net.snapshot("A").readings["PM2.5"].value == 70.0


def test_hour_mean_is_the_exact_decimal_mean_after_a_day_of_streaming() -> None:
    from decimal import Decimal

    net = _net()
    values = [round(35.0 + ((m * 37) % 23) / 10, 1) for m in range(24 * 60)]
    net.apply(_obs("A", m, v, m) for m, v in enumerate(values))
    mean, count = _hour(net)
    exact = sum(Decimal(repr(v)) for v in values[-60:]) / 60
    assert count == 60 and mean == float(exact)
    # A tie stays a tie: GB/T 8170 rounds the average half to even, not a float's drift.
    net.apply([_obs("A", 24 * 60 + 120, 35.2, 1), _obs("A", 24 * 60 + 121, 35.8, 2)])
    assert _hour(net) == (35.5, 2)
    net.apply(
        [_flagged(0, 0.1, "N", "CO"), _flagged(1, 0.2, "N", "CO")]  # CO in mg/m³: 0.15 exactly
    )
    assert repr(_hour(net, "CO")[0]) == "0.15"


def test_clearing_and_leaving_the_registry_forget_the_hour() -> None:
    net = _net()
    net.apply([_obs("A", m, 10.0, m) for m in range(3)])
    net.clear_readings()
    net.apply([_obs("A", 3, 40.0, 3)])
    assert _hour(net) == (40.0, 1)
    net.set_stations([_station("B")])
    net.set_stations([_station("A")])
    net.apply([_obs("A", 4, 20.0, 4)])
    assert _hour(net) == (20.0, 1)


def test_a_series_faster_than_once_a_second_keeps_a_bounded_window() -> None:
    from dispatch_app.network.observations import WINDOW_MAX_VALUES

    net = _net()
    n = WINDOW_MAX_VALUES + 400
    net.apply(_flagged(k / 120, float(k), "N") for k in range(n))  # every half second
    # The newest WINDOW_MAX_VALUES values, not all of the last hour's.
    assert _hour(net) == (
        sum(range(n - WINDOW_MAX_VALUES, n)) / WINDOW_MAX_VALUES,
        WINDOW_MAX_VALUES,
    )
