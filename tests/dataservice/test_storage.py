"""Observation storage on a real SQLite file and a real PostgreSQL: seqs, upserts, latest, averages."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from pathlib import Path

import pytest

from dispatch_app.dataservice.storage import (
    CN_HOUR,
    CN_MINUTE,
    Observation,
    Storage,
    StorageError,
    day_required,
    hour_required,
)
from dispatch_app.standards.center_time import CENTER_UTC_OFFSET_S

# 2026-11-28T00:00:00+08:00 = 2026-11-27T16:00:00Z
MIDNIGHT = calendar.timegm((2026, 11, 27, 16, 0, 0, 0, 0, 0))
assert (MIDNIGHT + CENTER_UTC_OFFSET_S) % 86400 == 0


@pytest.fixture
def store(db_url: str) -> Iterator[Storage]:
    s = Storage(db_url)
    try:
        yield s
    finally:
        s.close()


def obs(minute: int, value: float | None = 1.0, flag: str = "N", **kw: object) -> Observation:
    args: dict[str, object] = {
        "station": "S1",
        "parameter": "PM2.5",
        "time_s": MIDNIGHT + minute * 60,
        "value": value,
        "flag": flag,
        "cn": CN_MINUTE,
    }
    args.update(kw)
    return Observation(**args)  # type: ignore[arg-type]


def test_seqs_increase_in_batch_order_across_batches(store: Storage) -> None:
    r1 = store.write([obs(0), obs(1), obs(2, parameter="PM10")])
    r2 = store.write([obs(3)])
    assert (r1.accepted, r1.cursor, r2.cursor) == (3, 3, 4)
    rows, more = store.updates(0, 100)
    assert [r.seq for r in rows] == [1, 2, 3, 4] and not more
    assert [r.time_s - MIDNIGHT for r in rows] == [0, 60, 120, 180]
    assert store.cursor == store.max_seq() == 4


def test_updates_pages_have_no_gap_and_no_duplicate(store: Storage) -> None:
    store.write([obs(m) for m in range(250)])
    seen: list[int] = []
    cursor, more = 0, True
    while more:
        rows, more = store.updates(cursor, 40)
        seen += [r.seq for r in rows]
        cursor = rows[-1].seq if rows else cursor
    assert seen == list(range(1, 251))


def test_corrected_resend_takes_a_new_seq_identical_resend_changes_nothing(
    store: Storage,
) -> None:
    store.write([obs(0, 10.0), obs(1, 11.0)])
    store.write([obs(0, 10.0)])  # identical re-send
    rows, _ = store.updates(0, 100)
    assert [(r.seq, r.value) for r in rows] == [(1, 10.0), (2, 11.0)]
    store.write([obs(0, 12.0, "M")])  # correction
    rows, _ = store.updates(2, 100)
    assert [(r.time_s - MIDNIGHT, r.value, r.flag) for r in rows] == [(0, 12.0, "M")]
    assert rows[0].seq > 2
    # the corrected row replaced the old one: one row per station/parameter/time/kind
    all_rows, _ = store.updates(0, 100)
    assert len(all_rows) == 2


def test_repeats_inside_one_batch_keep_the_last(store: Storage) -> None:
    result = store.write([obs(0, 1.0), obs(0, 2.0), obs(1, 3.0)])
    assert result.accepted == 2
    rows, _ = store.updates(0, 10)
    assert sorted((r.time_s - MIDNIGHT, r.value) for r in rows) == [(0, 2.0), (60, 3.0)]


def test_latest_keeps_the_newest_time_not_the_newest_arrival(store: Storage) -> None:
    store.write([obs(5, 50.0), obs(5, 7.0, parameter="PM10", station="S2")])
    store.write([obs(1, 10.0)])  # late data for an older minute
    cursor, rows = store.latest()
    assert cursor == 3
    by_key = {(r.station, r.parameter): r for r in rows}
    assert by_key[("S1", "PM2.5")].value == 50.0
    assert by_key[("S2", "PM10")].value == 7.0
    _, only_s2 = store.latest(["S2"])
    assert [r.station for r in only_s2] == ["S2"]


def test_null_values_are_kept(store: Storage) -> None:
    store.write([obs(0, None, "D")])
    rows, _ = store.updates(0, 10)
    assert rows[0].value is None and rows[0].flag == "D"


def test_raw_series_is_bounded_and_uses_the_finest_kind(store: Storage) -> None:
    store.write([obs(m, float(m)) for m in range(120)])
    store.write([obs(0, 999.5, cn=CN_HOUR)])
    s = store.series_raw("S1", "PM2.5", MIDNIGHT, MIDNIGHT + 7200, 1000)
    assert len(s.points) == 120 and not s.truncated
    assert all(p.value != 999.5 for p in s.points)
    s = store.series_raw("S1", "PM2.5", MIDNIGHT, MIDNIGHT + 7200, 50)
    assert len(s.points) == 50 and s.truncated
    assert [p.time_s for p in s.points] == sorted(p.time_s for p in s.points)
    # hourly data alone is raw data too
    only_hour = store.series_raw("S1", "PM2.5", MIDNIGHT - 3600, MIDNIGHT, 10)
    assert only_hour.points == ()
    store.write([obs(-60, 5.0, cn=CN_HOUR)])
    assert [
        p.value for p in store.series_raw("S1", "PM2.5", MIDNIGHT - 3600, MIDNIGHT, 10).points
    ] == [5.0]


def test_hourly_average_needs_45_valid_minutes(store: Storage) -> None:
    batch = []
    # hour 0: 45 valid minutes (value 10) + 15 minutes flagged M (value 1000, must not count)
    batch += [obs(m, 10.0) for m in range(45)] + [obs(m, 1000.0, "M") for m in range(45, 60)]
    # hour 1: 44 valid minutes only
    batch += [obs(60 + m, 20.0) for m in range(44)]
    # hour 2: nothing at all
    store.write(batch)
    s = store.series_hourly("S1", "PM2.5", MIDNIGHT, MIDNIGHT + 3 * 3600, 100, 60)
    assert [(p.flag, p.value, p.count) for p in s.points] == [
        ("N", 10.0, 45),
        ("H", None, 44),
        ("H", None, 0),
    ]
    assert [p.time_s - MIDNIGHT for p in s.points] == [0, 3600, 7200]


def test_hourly_rule_for_sparse_stations_and_hourly_data() -> None:
    assert hour_required(60, CN_MINUTE) == 45
    assert hour_required(30, "2011") == 90
    assert hour_required(300, CN_MINUTE) == 9
    assert hour_required(60, CN_HOUR) == 1
    assert hour_required(14400, CN_MINUTE) == 1
    assert day_required(60) == 20
    assert day_required(14400) == 5  # 20/24 of the 6 samples a day


def test_daily_average_needs_20_valid_hours_in_the_cst_day(store: Storage) -> None:
    batch = []
    # day 1: 20 valid hours of hourly data (CN 2061), values 1..20
    batch += [obs(h * 60, float(h + 1), cn=CN_HOUR) for h in range(20)]
    # day 2: 19 valid hours and 5 hours flagged D
    batch += [obs(1440 + h * 60, 5.0, cn=CN_HOUR) for h in range(19)]
    batch += [obs(1440 + h * 60, 5.0, "D", cn=CN_HOUR) for h in range(19, 24)]
    store.write(batch)
    s = store.series_daily("S1", "PM2.5", MIDNIGHT, MIDNIGHT + 2 * 86400, 10, 60)
    assert [(p.time_s - MIDNIGHT, p.flag, p.count) for p in s.points] == [
        (0, "N", 20),
        (86400, "H", 19),
    ]
    assert s.points[0].value == pytest.approx(10.5)
    assert s.points[1].value is None


def test_daily_average_from_minute_data_is_the_mean_of_hourly_means(store: Storage) -> None:
    batch = [obs(h * 60 + m, float(h), station="S9") for h in range(24) for m in range(50)]
    store.write(batch)
    s = store.series_daily("S9", "PM2.5", MIDNIGHT + 3600, MIDNIGHT + 86400, 10, 60)
    # the day starts at CST midnight even when asked from 01:00
    assert [p.time_s for p in s.points] == [MIDNIGHT]
    assert s.points[0].value == pytest.approx(11.5) and s.points[0].count == 24


def test_series_limits_truncate(store: Storage) -> None:
    s = store.series_hourly("S1", "PM2.5", MIDNIGHT, MIDNIGHT + 100 * 3600, 24, 60)
    assert len(s.points) == 24 and s.truncated
    d = store.series_daily("S1", "PM2.5", MIDNIGHT, MIDNIGHT + 400 * 86400, 7, 60)
    assert len(d.points) == 7 and d.truncated


def test_reopen_continues_the_sequence(db_url: str) -> None:
    s = Storage(db_url)
    s.write([obs(0), obs(1)])
    s.close()
    s = Storage(db_url)
    try:
        assert s.cursor == 2
        assert s.write([obs(2)]).cursor == 3
        assert s.last_ingest_s is not None
    finally:
        s.close()


def test_second_writer_on_postgresql_is_refused(pg_url: str) -> None:
    first = Storage(pg_url)
    try:
        with pytest.raises(StorageError, match="another data service"):
            Storage(pg_url)
    finally:
        first.close()
    Storage(pg_url).close()  # the lock goes with the first


def test_bad_urls_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a database URL"):
        Storage("not a url")
    with pytest.raises(StorageError, match="unsupported"):
        Storage("mysql://x/y")
    with pytest.raises(StorageError, match="in-memory"):
        Storage("sqlite://")
    with pytest.raises(StorageError, match="cannot open"):
        Storage("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    s = Storage(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'o.db'}")
    try:
        with s._reader.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        s.close()


def test_latest_in_memory_matches_the_durable_table_and_survives_reopen(db_url: str) -> None:
    s = Storage(db_url)
    try:
        s.write([obs(m, float(m), station=f"S{m % 3}") for m in range(30)])
        s.write([obs(2, 99.0, station="S2")])  # late correction: not the latest
        s.write([obs(40, 7.0, "D", station="S0", parameter="PM10")])
        mem_cursor, mem = s.latest()
        db_cursor, db = s.latest_from_db()
        assert mem_cursor == db_cursor == s.cursor
        assert sorted(mem) == sorted(db)
        assert {(o.station, o.parameter): o.value for o in mem} == {
            ("S0", "PM2.5"): 27.0,
            ("S1", "PM2.5"): 28.0,
            ("S2", "PM2.5"): 29.0,
            ("S0", "PM10"): 7.0,
        }
    finally:
        s.close()
    again = Storage(db_url)
    try:
        assert sorted(again.latest()[1]) == sorted(mem)
        assert again.latest({"S1"})[1] == [o for o in mem if o.station == "S1"]
    finally:
        again.close()


def test_latest_since_brings_a_snapshot_up_to_date(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applying the rows of `latest_since` to an earlier snapshot (replace in place, append what
    is new) gives `latest` exactly, order included; a cursor older than the log kept gives None."""
    import random

    from dispatch_app.dataservice import storage as storage_module

    monkeypatch.setattr(storage_module, "LATEST_LOG_COMMITS", 6)
    rng = random.Random(5)
    s = Storage(db_url)
    try:
        snapshots = [s.latest()]
        for _ in range(12):
            batch = [
                obs(
                    rng.randrange(60),
                    rng.choice([None, round(rng.uniform(0, 50), 1)]),
                    station=f"S{rng.randrange(4)}",
                    parameter=rng.choice(["PM2.5", "PM10", "O3"]),
                )
                for _ in range(rng.randrange(1, 5))
            ]
            s.write(batch)
            snapshots.append(s.latest())
        now = s.latest()
        caught_up = 0
        for cursor, rows in snapshots:
            since = s.latest_since(cursor)
            if since is None:
                continue
            caught_up += 1
            view = {(o.station, o.parameter): o for o in rows}
            for o in since[1]:
                view[(o.station, o.parameter)] = o
            assert (since[0], list(view.values())) == now
        assert caught_up == 7  # the last 6 commits are kept: snapshots taken after commit 6 on
        assert s.latest_since(snapshots[0][0]) is None
        assert s.latest_since(s.cursor) == (s.cursor, [])
        assert s.latest_since(s.cursor + 1) is None  # not a cursor of this store
    finally:
        s.close()
