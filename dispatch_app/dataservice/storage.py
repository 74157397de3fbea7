"""Observation storage of the reference data service (SQLAlchemy 2; SQLite by default, PostgreSQL
by URL). The data service is a separate program: it owns these tables and shares nothing with
dispatch_app.store.

Sequence numbers. Every accepted observation gets a ``seq``; the desk follows /updates by seq, so
seqs must become visible in increasing order with no later commit slipping in below a seq a
reader has already seen. Seqs are therefore allocated inside the write transaction from the
table's own maximum, and there is one writer at a time: SQLite takes the write lock first
(BEGIN IMMEDIATE), PostgreSQL serialises writers on an advisory lock held for the life of the
`Storage`. A station that re-sends an observation (same station, parameter, data kind and time)
with a different value or flag replaces the stored row and the row takes a new seq, so a client
sees the correction as an update; an identical re-send changes nothing.

Times are stored as integer seconds since the epoch (UTC): cheap to index, to bucket and to
compare on both databases. Data flags are the HJ 212 ones (N, F, M, S, D, C, T, B).

Averages and data validity. Only flag N values count (HJ 212—2017 data flags; REFERENCE.md §5).
The coverage rules follow GB 3095—2012 §8 Table 4 "污染物浓度数据有效性的最低要求", kept by
GB 3095—2026 (REFERENCE.md §3):

- hourly average: at least 45 minutes of valid sampling in the hour. With data every
  ``interval_s`` seconds that is ``ceil(2700 / interval_s)`` valid values (45 for minute data);
  data already reported hourly (CN 2061), or stations reporting less often than hourly (water
  sections every 4 h), need one valid value in the hour;
- daily average (natural day in China Standard Time, UTC+8): at least 20 valid hourly averages,
  the mean of those hourly averages. For stations reporting less often than hourly the same
  share (20 of 24) of the expected values applies: 5 of 6 for a section sampled every 4 h.

A bucket that misses its rule gets flag "H" (insufficient data) and no value. The O3 8-hour rule
(at least 6 hourly values in 8 h) belongs to the standards module's evaluation of O3 and is not a
resolution of this service.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError

from dispatch_app.standards.center_time import CENTER_UTC_OFFSET_S
from dispatch_app.standards.validity import DAY_MIN_VALID_HOURS, HOUR_MIN_VALID_S

"""China Standard Time, UTC+8 all year (no daylight saving since 1991)."""

# Data kinds (HJ 212 CN) from finest to coarsest: series and averages use the finest present.
CN_REALTIME = "2011"
CN_MINUTE = "2051"
CN_HOUR = "2061"
CN_DAY = "2031"
DATA_CNS = (CN_REALTIME, CN_MINUTE, CN_HOUR, CN_DAY)

FLAG_VALID = "N"
FLAG_INSUFFICIENT = "H"

metadata = MetaData()

observations = Table(
    "ds_observations",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("station", String(32), nullable=False),
    Column("parameter", String(32), nullable=False),
    Column("cn", String(4), nullable=False),
    Column("time_s", BigInteger, nullable=False),
    Column("value", Float, nullable=True),
    Column("flag", String(2), nullable=False),
    Column("received_s", Float, nullable=False),
    Index("ux_ds_obs_series", "station", "parameter", "time_s", "cn", unique=True),
)

latest = Table(
    "ds_latest",
    metadata,
    Column("station", String(32), primary_key=True),
    Column("parameter", String(32), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("cn", String(4), nullable=False),
    Column("time_s", BigInteger, nullable=False),
    Column("value", Float, nullable=True),
    Column("flag", String(2), nullable=False),
)

# The simulated network's history (dispatch_app.dataservice.history): one row per station,
# parameter and China Standard Time day, the day's slots as little-endian float64 (NaN missing).
# An archive beside the observations, not observations: it has no seq, never appears in
# /updates or /latest, and a series uses it only for hours without any observation.
history = Table(
    "ds_history",
    metadata,
    Column("station", String(32), primary_key=True),
    Column("parameter", String(32), primary_key=True),
    Column("day_s", BigInteger, primary_key=True),
    Column("step_s", Integer, nullable=False),
    Column("vals", LargeBinary, nullable=False),
)

service_meta = Table(
    "ds_meta",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("value", String(2000), nullable=False),
)

_PG_WRITER_LOCK = 0x44535732  # advisory lock key: one writing data service per database


class StorageError(RuntimeError):
    """The database cannot be used as asked (another writer, bad URL, unreachable)."""


@dataclass(frozen=True, slots=True)
class Observation:
    """One observation as ingest hands it over: ``time_s`` is seconds since the epoch (UTC)."""

    station: str
    parameter: str
    time_s: int
    value: float | None
    flag: str
    cn: str = CN_MINUTE


# Bounds of the log of recent changes to the latest values (`Storage.latest_since`): a few
# whole-network minutes, so readers polling every few seconds always catch up incrementally.
LATEST_LOG_ROWS = 20_000
LATEST_LOG_COMMITS = 4096


class StoredObservation(NamedTuple):
    """A stored observation (a tuple: tens of thousands are built per /updates page)."""

    seq: int
    station: str
    parameter: str
    time_s: int
    value: float | None
    flag: str
    cn: str


@dataclass(frozen=True, slots=True)
class WriteResult:
    accepted: int  # observations in the batch after removing in-batch repeats
    cursor: int  # highest seq committed so far


@dataclass(frozen=True, slots=True)
class HistoryRange:
    """What the stored history covers: [start_s, end_s), generated with ``seed``."""

    start_s: int
    end_s: int
    seed: int


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    time_s: int
    value: float | None
    flag: str
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Series:
    resolution: str
    truncated: bool
    points: tuple[SeriesPoint, ...]


def hour_required(interval_s: int, cn: str) -> int:
    """Valid values an hourly average needs (GB 3095 Table 4: 45 minutes of the hour)."""
    if cn in (CN_HOUR, CN_DAY) or interval_s >= 3600:
        return 1
    return math.ceil(HOUR_MIN_VALID_S / interval_s)


def day_required(interval_s: int) -> int:
    """Valid hourly values a daily average needs (GB 3095 Table 4: 20 of 24)."""
    if interval_s <= 3600:
        return DAY_MIN_VALID_HOURS
    expected = max(1, 86400 // interval_s)
    return math.ceil(expected * DAY_MIN_VALID_HOURS / 24)


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver level so that SQLAlchemy's "begin" event decides how a
    # transaction starts (the pysqlite recipe of the SQLAlchemy docs).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # replies confirm storage: survive power loss too
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
    event.listen(engine, "connect", _set_sqlite_pragmas)

    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    event.listen(engine, "begin", _begin)
    return engine


class Storage:
    """The observation store. Thread-safe: one writer thread calls `write`, any thread reads."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except SQLAlchemyError as exc:
            raise StorageError(f"not a database URL: {url!r} ({exc})") from exc
        self.url = url
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StorageError(f"unsupported database {self.dialect!r}: use sqlite or postgresql")
        self._write_lock = threading.Lock()
        self._pg_lock_conn: Connection | None = None
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database in ("", ":memory:"):
                raise StorageError("an in-memory SQLite database cannot be shared: give a file")
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self._writer = _sqlite_engine(url, "BEGIN IMMEDIATE")
            self._reader = _sqlite_engine(url, "BEGIN")
        else:
            self._writer = create_engine(url, pool_pre_ping=True)
            self._reader = create_engine(url, pool_pre_ping=True, isolation_level="REPEATABLE READ")
        try:
            metadata.create_all(self._writer)
            if self.dialect == "postgresql":
                self._take_pg_writer_lock()
            with self._reader.begin() as conn:
                self._cursor = int(conn.execute(select(func.max(observations.c.seq))).scalar() or 0)
                last = conn.execute(select(func.max(observations.c.received_s))).scalar()
        except SQLAlchemyError as exc:
            self.close()
            raise StorageError(f"cannot open {parsed.render_as_string()}: {exc}") from exc
        self.last_ingest_s: float | None = float(last) if last is not None else None
        # The latest value of every station and parameter, kept in memory by the one writer and
        # updated under _state_lock together with the cursor, so /latest needs no database
        # round trip and its (cursor, items) pair is always consistent. The ds_latest table is
        # its durable copy, read back here at start.
        self._state_lock = threading.Lock()
        self._latest: dict[tuple[str, str], StoredObservation] = {
            (o.station, o.parameter): o for o in self.latest_from_db()[1]
        }
        # What each recent commit changed in those values, (cursor after it, rows in the order
        # they entered _latest), so a reader holding a snapshot can catch up on the few values
        # that changed instead of walking all of them (`latest_since`). Bounded by rows; a reader
        # further behind than the log reads `latest` again.
        self._latest_log: deque[tuple[int, list[StoredObservation]]] = deque()
        self._latest_log_rows = 0
        self._latest_log_floor = self._cursor  # the log holds every change after this cursor

    def _take_pg_writer_lock(self) -> None:
        conn = self._writer.connect()
        # Keyed by schema too, so separate schemas of one server (tests) are separate stores.
        got = conn.execute(
            text("SELECT pg_try_advisory_lock(:k, hashtext(current_schema()))"),
            {"k": _PG_WRITER_LOCK},
        )
        if not got.scalar():
            conn.close()
            raise StorageError("another data service is already writing to this database")
        conn.commit()
        self._pg_lock_conn = conn

    def close(self) -> None:
        if self._pg_lock_conn is not None:
            try:
                self._pg_lock_conn.execute(
                    text("SELECT pg_advisory_unlock(:k, hashtext(current_schema()))"),
                    {"k": _PG_WRITER_LOCK},
                )
                self._pg_lock_conn.commit()
            except SQLAlchemyError:
                pass  # the connection is gone, and the lock with it
            self._pg_lock_conn.close()
            self._pg_lock_conn = None
        self._writer.dispose()
        self._reader.dispose()

    @property
    def cursor(self) -> int:
        """The highest seq committed by this process (or found at open)."""
        return self._cursor

    # --- writing -------------------------------------------------------------------------------

    def write(self, batch: Iterable[Observation], received_s: float | None = None) -> WriteResult:
        """Store a batch in one transaction; seqs follow the batch order.

        A repeat inside the batch (same station, parameter, kind and time) keeps the last one, as
        a later packet corrects an earlier one. Raises `StorageError` and stores nothing when the
        database refuses the transaction, so the caller can retry the same batch.
        """
        received = time.time() if received_s is None else received_s
        unique: dict[tuple[str, str, int, str], Observation] = {}
        for o in batch:
            key = (o.station, o.parameter, o.time_s, o.cn)
            unique.pop(key, None)
            unique[key] = o
        if not unique:
            return WriteResult(0, self._cursor)
        with self._write_lock:
            try:
                with self._writer.begin() as conn:
                    base = int(conn.execute(select(func.max(observations.c.seq))).scalar() or 0)
                    stored = [
                        StoredObservation(
                            base + i, o.station, o.parameter, o.time_s, o.value, o.flag, o.cn
                        )
                        for i, o in enumerate(unique.values(), start=1)
                    ]
                    conn.execute(
                        self._upsert_observation(),
                        [row._asdict() | {"received_s": received} for row in stored],
                    )
                    newest: dict[tuple[str, str], StoredObservation] = {}
                    for row in stored:
                        k = (row.station, row.parameter)
                        held = newest.get(k)
                        if held is None or row.time_s >= held.time_s:
                            newest[k] = row
                    conn.execute(self._upsert_latest(), [row._asdict() for row in newest.values()])
                    top = int(conn.execute(select(func.max(observations.c.seq))).scalar() or 0)
            except SQLAlchemyError as exc:
                raise StorageError(f"write of {len(unique)} observations failed: {exc}") from exc
            with self._state_lock:
                mem = self._latest
                changed = []
                for k, row in newest.items():
                    current = mem.get(k)
                    if current is None or row.time_s >= current.time_s:
                        mem[k] = row
                        changed.append(row)
                self._cursor = max(self._cursor, top)
                self.last_ingest_s = received
                self._log_latest(self._cursor, changed)
            return WriteResult(len(unique), self._cursor)

    def _log_latest(self, cursor: int, changed: list[StoredObservation]) -> None:
        """Record one commit's changes to the latest values (caller holds _state_lock)."""
        log = self._latest_log
        log.append((cursor, changed))
        self._latest_log_rows += len(changed)
        while self._latest_log_rows > LATEST_LOG_ROWS or len(log) > LATEST_LOG_COMMITS:
            dropped_cursor, dropped = log.popleft()
            self._latest_log_rows -= len(dropped)
            self._latest_log_floor = dropped_cursor

    def _insert(self) -> Any:
        return sqlite.insert if self.dialect == "sqlite" else postgresql.insert

    def _upsert_observation(self) -> Any:
        stmt = self._insert()(observations)
        ex = stmt.excluded
        return stmt.on_conflict_do_update(
            index_elements=["station", "parameter", "time_s", "cn"],
            set_={
                "seq": ex.seq,
                "value": ex.value,
                "flag": ex.flag,
                "received_s": ex.received_s,
            },
            where=or_(
                observations.c.value.is_distinct_from(ex.value),
                observations.c.flag != ex.flag,
            ),
        )

    def _upsert_latest(self) -> Any:
        stmt = self._insert()(latest)
        ex = stmt.excluded
        return stmt.on_conflict_do_update(
            index_elements=["station", "parameter"],
            set_={c: ex[c] for c in ("seq", "cn", "time_s", "value", "flag")},
            where=ex.time_s >= latest.c.time_s,
        )

    # --- reading -------------------------------------------------------------------------------

    def latest(
        self, stations: Collection[str] | None = None
    ) -> tuple[int, list[StoredObservation]]:
        """(cursor, latest observation of every station and parameter), one consistent snapshot:
        a client that starts /updates from this cursor misses nothing newer than the snapshot.

        Served from memory (see __init__); `latest_from_db` reads the durable table instead.
        """
        with self._state_lock:
            cursor = self._cursor
            items = list(self._latest.values())
        if stations is not None:
            wanted = stations if isinstance(stations, set | frozenset) else set(stations)
            items = [o for o in items if o.station in wanted]
        return cursor, items

    def latest_since(self, cursor: int) -> tuple[int, list[StoredObservation]] | None:
        """(cursor now, the latest values that changed after ``cursor``, in the order `latest`
        lists them), or None when ``cursor`` is older than the recent changes kept (or not one
        of this store's): then read `latest`. Applying the rows in order to a `latest` snapshot
        taken at ``cursor`` (replace a known key in place, append a new one) gives `latest` now.
        """
        with self._state_lock:
            if not self._latest_log_floor <= cursor <= self._cursor:
                return None
            rows = [o for top, changed in self._latest_log if top > cursor for o in changed]
            return self._cursor, rows

    def latest_from_db(
        self, stations: Sequence[str] | None = None
    ) -> tuple[int, list[StoredObservation]]:
        """Like `latest`, from the ds_latest table in one database snapshot."""
        q = select(
            latest.c.seq,
            latest.c.station,
            latest.c.parameter,
            latest.c.time_s,
            latest.c.value,
            latest.c.flag,
            latest.c.cn,
        ).order_by(latest.c.station, latest.c.parameter)
        if stations is not None:
            q = q.where(latest.c.station.in_(list(stations)))
        with self._reader.begin() as conn:
            cursor = int(conn.execute(select(func.max(observations.c.seq))).scalar() or 0)
            rows = conn.execute(q).all()
        return cursor, [StoredObservation._make(r) for r in rows]

    def updates(self, after: int, limit: int) -> tuple[list[StoredObservation], bool]:
        """Observations with seq > after in seq order, at most ``limit``; and whether more exist."""
        q = (
            select(
                observations.c.seq,
                observations.c.station,
                observations.c.parameter,
                observations.c.time_s,
                observations.c.value,
                observations.c.flag,
                observations.c.cn,
            )
            .where(observations.c.seq > after)
            .order_by(observations.c.seq)
            .limit(limit + 1)
        )
        with self._reader.begin() as conn:
            rows = conn.execute(q).all()
        more = len(rows) > limit
        return [StoredObservation._make(r) for r in rows[:limit]], more

    def max_seq(self) -> int:
        """The highest seq committed, as readers see it. Raises `StorageError` when the
        database cannot answer."""
        try:
            with self._reader.begin() as conn:
                return int(conn.execute(select(func.max(observations.c.seq))).scalar() or 0)
        except SQLAlchemyError as exc:
            raise StorageError(f"reading the last sequence number failed: {exc}") from exc

    # --- history -------------------------------------------------------------------------------

    def history_range(self) -> HistoryRange | None:
        """What the stored history covers, or None when none was written."""
        with self._reader.begin() as conn:
            raw = conn.execute(
                select(service_meta.c.value).where(service_meta.c.key == "history")
            ).scalar()
        if raw is None:
            return None
        data = json.loads(raw)
        return HistoryRange(int(data["start_s"]), int(data["end_s"]), int(data["seed"]))

    def write_history(
        self,
        rows: Iterable[tuple[str, str, int, int, bytes]],
        covered: HistoryRange,
        chunk: int = 20_000,
    ) -> int:
        """Store history day rows (station, parameter, day start, step, float64 bytes), replacing
        rows of the same day, and record what the history now covers; one transaction, so a
        history is there whole or not at all. Returns the number of rows written."""
        if self.dialect == "sqlite":
            sql = "INSERT OR REPLACE INTO ds_history VALUES (?, ?, ?, ?, ?)"
        else:
            sql = (
                "INSERT INTO ds_history VALUES (%s, %s, %s, %s, %s) ON CONFLICT "
                "(station, parameter, day_s) DO UPDATE SET step_s = EXCLUDED.step_s, "
                "vals = EXCLUDED.vals"
            )
        written = 0
        value = json.dumps(
            {"start_s": covered.start_s, "end_s": covered.end_s, "seed": covered.seed}
        )
        with self._write_lock:
            try:
                with self._writer.begin() as conn:
                    batch: list[tuple[str, str, int, int, bytes]] = []
                    for row in rows:
                        batch.append(row)
                        if len(batch) >= chunk:
                            conn.exec_driver_sql(sql, batch)
                            written += len(batch)
                            batch = []
                    if batch:
                        conn.exec_driver_sql(sql, batch)
                        written += len(batch)
                    conn.execute(delete(service_meta).where(service_meta.c.key == "history"))
                    conn.execute(insert(service_meta).values(key="history", value=value))
            except SQLAlchemyError as exc:
                raise StorageError(f"writing the history failed: {exc}") from exc
        return written

    def _history_days(
        self, conn: Connection, station: str, parameter: str, start_s: int, end_s: int
    ) -> list[tuple[int, int, Any]]:
        """(day start, step, values) of the stored history days overlapping [start, end)."""
        first = (start_s + CENTER_UTC_OFFSET_S) // 86400 * 86400 - CENTER_UTC_OFFSET_S
        rows = conn.execute(
            select(history.c.day_s, history.c.step_s, history.c.vals)
            .where(
                history.c.station == station,
                history.c.parameter == parameter,
                history.c.day_s >= first,
                history.c.day_s < end_s,
            )
            .order_by(history.c.day_s)
        ).all()
        return [(int(d), int(step), np.frombuffer(v, dtype="<f8")) for d, step, v in rows]

    def _history_points(
        self, conn: Connection, station: str, parameter: str, start_s: int, end_s: int
    ) -> list[tuple[int, float]]:
        """(slot start, value) of the stored history in [start, end), oldest first."""
        out: list[tuple[int, float]] = []
        for day_s, step_s, values in self._history_days(conn, station, parameter, start_s, end_s):
            times = day_s + step_s * np.arange(len(values), dtype=np.int64)
            keep = np.isfinite(values) & (times >= start_s) & (times < end_s)
            out.extend(zip(times[keep].tolist(), values[keep].tolist(), strict=True))
        return out

    # --- series --------------------------------------------------------------------------------

    def _finest_per_hour(
        self, station: str, parameter: str, start_s: int, end_s: int
    ) -> tuple[Any, Any, Any, Any]:
        """(hour-bucket expression, window condition, subquery of each hour's finest data kind,
        join condition picking that kind's rows).

        Data kinds are never mixed within an hour: an hour with minute data uses only its
        minutes even when an hourly value was also sent. Hours differ, though: the hourly values
        a station re-sent for the past (补传) stand beside the live minutes of the last hours.
        """
        rank = case(
            *((observations.c.cn == cn, i) for i, cn in enumerate(DATA_CNS)),
            else_=len(DATA_CNS),
        )
        bucket = observations.c.time_s // 3600
        where = and_(
            observations.c.station == station,
            observations.c.parameter == parameter,
            observations.c.time_s >= start_s,
            observations.c.time_s < end_s,
        )
        best = (
            select(bucket.label("b"), func.min(rank).label("r"))
            .where(where)
            .group_by(bucket)
            .subquery()
        )
        return bucket, where, best, and_(bucket == best.c.b, rank == best.c.r)

    def series_raw(
        self, station: str, parameter: str, start_s: int, end_s: int, limit: int
    ) -> Series:
        """Observations in [start, end), oldest first: in each hour those of the finest data
        kind present; hours without any observation from the stored history, if any."""
        _, where, best, on = self._finest_per_hour(station, parameter, start_s, end_s)
        with self._reader.begin() as conn:
            rows = conn.execute(
                select(observations.c.time_s, observations.c.value, observations.c.flag)
                .select_from(observations.join(best, on))
                .where(where)
                .order_by(observations.c.time_s)
                .limit(limit + 1)
            ).all()
            points = [SeriesPoint(int(t), v, f) for t, v, f in rows]
            filler = self._history_points(conn, station, parameter, start_s, end_s)
            if filler:
                hours = {int(b) for b in conn.execute(select(best.c.b)).scalars()}
                extra = [SeriesPoint(t, v, FLAG_VALID) for t, v in filler if t // 3600 not in hours]
                if extra:
                    points = sorted([*points, *extra], key=lambda p: p.time_s)
        return Series("raw", len(points) > limit, tuple(points[:limit]))

    def _hourly(
        self,
        conn: Connection,
        station: str,
        parameter: str,
        start_s: int,
        end_s: int,
        interval_s: int,
        with_history: bool = True,
    ) -> dict[int, tuple[float | None, int, bool]]:
        """hour start → (mean of valid values or None, number of valid values, whether the
        hour meets its coverage rule), from each hour's finest data kind; hours without any
        observation from the stored history (unless ``with_history`` is False)."""
        bucket, where, best, on = self._finest_per_hour(station, parameter, start_s, end_s)
        valid = observations.c.flag == FLAG_VALID
        rows = conn.execute(
            select(
                bucket,
                func.min(observations.c.cn),
                func.avg(case((valid, observations.c.value))),
                func.count(case((valid, observations.c.value))),
            )
            .select_from(observations.join(best, on))
            .where(where)
            .group_by(bucket)
        ).all()
        hours: dict[int, tuple[float | None, int, bool]] = {}
        for b, cn, a, n in rows:
            mean = float(a) if a is not None else None
            ok = mean is not None and int(n) >= hour_required(interval_s, str(cn))
            hours[int(b) * 3600] = (mean, int(n), ok)
        if not with_history:
            return hours
        for t, v in self._history_points(conn, station, parameter, start_s, end_s):
            hour = t - t % 3600
            if hour not in hours:
                hours[hour] = (v, 1, True)
        return hours

    def series_hourly(
        self,
        station: str,
        parameter: str,
        start_s: int,
        end_s: int,
        limit: int,
        interval_s: int,
    ) -> Series:
        start = start_s - start_s % 3600
        with self._reader.begin() as conn:
            hours = self._hourly(conn, station, parameter, start, end_s, interval_s)
        if interval_s <= 3600:
            buckets: Iterable[int] = range(start, end_s, 3600)
        else:
            buckets = sorted(hours)
        points: list[SeriesPoint] = []
        truncated = False
        for b in buckets:
            if len(points) >= limit:
                truncated = True
                break
            mean, n, ok = hours.get(b, (None, 0, False))
            points.append(
                SeriesPoint(b, mean if ok else None, FLAG_VALID if ok else FLAG_INSUFFICIENT, n)
            )
        return Series("hour", truncated, tuple(points))

    def series_daily(
        self,
        station: str,
        parameter: str,
        start_s: int,
        end_s: int,
        limit: int,
        interval_s: int,
    ) -> Series:
        """Daily means of valid hourly means, natural days in China Standard Time."""
        day_start = (start_s + CENTER_UTC_OFFSET_S) // 86400 * 86400 - CENTER_UTC_OFFSET_S
        with self._reader.begin() as conn:
            hours = self._hourly(
                conn, station, parameter, day_start, end_s, interval_s, with_history=False
            )
            stored = self._history_days(conn, station, parameter, day_start, end_s)
        need_day = day_required(interval_s)
        valid_by_day: dict[int, list[float]] = {}
        for b, (mean, _n, ok) in hours.items():
            if ok and mean is not None:
                d = (b + CENTER_UTC_OFFSET_S) // 86400 * 86400 - CENTER_UTC_OFFSET_S
                valid_by_day.setdefault(d, []).append(mean)
        # History fills the hours without observations; a day with none is summed by numpy
        # (a two-year daily series reads 700 rows, not 17 000 hours one by one).
        observed_days = {
            (b + CENTER_UTC_OFFSET_S) // 86400 * 86400 - CENTER_UTC_OFFSET_S for b in hours
        }
        for d, step_s, slots in stored:
            times = d + step_s * np.arange(len(slots), dtype=np.int64)
            keep = np.isfinite(slots) & (times < end_s)
            if d in observed_days:
                keep &= np.array([t - t % 3600 not in hours for t in times.tolist()])
            if keep.any():
                valid_by_day.setdefault(d, []).extend(slots[keep].tolist())
        points: list[SeriesPoint] = []
        truncated = False
        for d in range(day_start, end_s, 86400):
            if len(points) >= limit:
                truncated = True
                break
            values = valid_by_day.get(d, [])
            ok = len(values) >= need_day
            mean = sum(values) / len(values) if ok else None
            points.append(
                SeriesPoint(d, mean, FLAG_VALID if ok else FLAG_INSUFFICIENT, len(values))
            )
        return Series("day", truncated, tuple(points))
