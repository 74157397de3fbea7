"""Series data for the charts, and the narrow interface the charts fetch it through.

The charts never talk to the network: they ask a `SeriesSource` for one station's parameter
between two times. `FeedSeriesSource` answers from the data service through the feed's client
(docs/contracts.md, /api/v1/series); `MemorySeriesSource` answers from observations held in
memory (the live tail, demos, benchmarks). Fetches run on a worker thread (see
`ui.wall.charts.loader`), so an implementation may block.

Arrays rather than lists of records: a month of minute data is 43 200 points per series and the
plot items take numpy arrays directly.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import numpy as np

from dispatch_app.feed.records import Series as WireSeries
from dispatch_app.standards.center_time import CENTER_UTC_OFFSET_S

RESOLUTIONS = ("raw", "hour", "day")
# Nominal spacing of aggregated points: a jump wider than this (times a margin) is a gap.
NOMINAL_STEP_S = {"hour": 3600.0, "day": 86400.0}
NORMAL_FLAG = "N"


@dataclass(frozen=True, slots=True)
class SeriesArrays:
    """One station's parameter over a period: times in UTC epoch seconds, NaN for no value."""

    station: str
    parameter: str
    unit: str
    resolution: str
    times: np.ndarray  # float64, ascending
    values: np.ndarray  # float64, NaN where the value is null
    flags: np.ndarray  # unicode, one flag per point ("N" normal; "H" insufficient data, ...)
    truncated: bool = False

    def __post_init__(self) -> None:
        if not (len(self.times) == len(self.values) == len(self.flags)):
            raise ValueError("times, values and flags must have the same length")

    def __len__(self) -> int:
        return len(self.times)

    @property
    def normal(self) -> np.ndarray:
        """Mask of the points that count: flag N and a value."""
        return (self.flags == NORMAL_FLAG) & np.isfinite(self.values)

    @property
    def flagged(self) -> np.ndarray:
        """Mask of the points carrying a value under a flag other than N (drawn apart)."""
        return (self.flags != NORMAL_FLAG) & np.isfinite(self.values)

    @classmethod
    def empty(
        cls, station: str, parameter: str, unit: str = "", resolution: str = "raw"
    ) -> SeriesArrays:
        return cls(
            station,
            parameter,
            unit,
            resolution,
            np.empty(0, dtype=np.float64),
            np.empty(0, dtype=np.float64),
            np.empty(0, dtype="<U1"),
        )

    @classmethod
    def from_wire(cls, series: WireSeries) -> SeriesArrays:
        """From the feed's validated /series record."""
        n = len(series.points)
        times = np.fromiter((p.time.timestamp() for p in series.points), np.float64, n)
        values = np.fromiter(
            (np.nan if p.value is None else p.value for p in series.points), np.float64, n
        )
        flags = np.array([p.flag for p in series.points], dtype="<U2") if n else np.empty(0, "<U2")
        return cls(
            series.station,
            series.parameter,
            series.unit,
            series.resolution,
            times,
            values,
            flags,
            series.truncated,
        )

    def gap_step(self) -> float:
        """The time step beyond which two neighbours are not joined by a line."""
        nominal = NOMINAL_STEP_S.get(self.resolution)
        if nominal is None:
            if len(self.times) < 3:
                return float("inf")
            nominal = float(np.median(np.diff(self.times)))
        # 2.5 steps: one late or missing sample is already a gap a duty officer should see.
        return 2.5 * nominal if nominal > 0 else float("inf")


def curve_arrays(series: SeriesArrays) -> tuple[np.ndarray, np.ndarray]:
    """The x/y arrays of the line: only N values, NaN at every gap and every flagged point.

    The line is drawn with connect='finite', so a NaN breaks it: a flagged value (maintenance,
    calibration, fault ...) and a hole in time are never bridged by interpolation. At each time gap
    a NaN point is inserted midway, which keeps x ascending for clip-to-view.
    """
    y = np.where(series.normal, series.values, np.nan)
    x = series.times
    if len(x) < 2:
        return x.copy(), y
    gaps = np.nonzero(np.diff(x) > series.gap_step())[0]
    if len(gaps) == 0:
        return x.copy(), y
    mid = (x[gaps] + x[gaps + 1]) / 2.0
    return np.insert(x, gaps + 1, mid), np.insert(y, gaps + 1, np.nan)


class SeriesSource(Protocol):
    """Where the charts get their data. May block: it is called on a worker thread."""

    def fetch_series(
        self, station: str, parameter: str, start: datetime, end: datetime, resolution: str
    ) -> SeriesArrays: ...


class SeriesClient(Protocol):
    """The part of `dispatch_app.feed.client.DataServiceClient` the charts use."""

    def series(
        self,
        station: str,
        parameter: str,
        start: str,
        end: str,
        resolution: str = "raw",
        limit: int | None = None,
    ) -> WireSeries: ...


class FeedSeriesSource:
    """Series from the data service through the feed's client.

    The client is not thread-safe, so calls are serialised here; give this source a client of its
    own (not the poller's) so that a long fetch never delays the live updates.
    """

    def __init__(self, client: SeriesClient, *, limit: int | None = None) -> None:
        self._client = client
        self._limit = limit
        self._lock = threading.Lock()

    def fetch_series(
        self, station: str, parameter: str, start: datetime, end: datetime, resolution: str
    ) -> SeriesArrays:
        _check_request(start, end, resolution)
        with self._lock:
            wire = self._client.series(
                station,
                parameter,
                start.astimezone(UTC).isoformat(),
                end.astimezone(UTC).isoformat(),
                resolution,
                self._limit,
            )
        return SeriesArrays.from_wire(wire)


def _check_request(start: datetime, end: datetime, resolution: str) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("series times must be timezone-aware")
    if end <= start:
        raise ValueError(f"series end {end.isoformat()} is not after start {start.isoformat()}")
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}, got {resolution!r}")


@dataclass
class _Column:
    unit: str
    times: list[float] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


class MemorySeriesSource:
    """Observations held in memory, answered as series; raw only, or hour/day means of N values.

    Thread-safe: the live tail appends on the UI thread while fetches run on a worker.
    Late observations are inserted in time order, a repeat of a time replaces the earlier value.
    """

    def __init__(self) -> None:
        self._columns: dict[tuple[str, str], _Column] = {}
        self._lock = threading.Lock()

    def add(
        self,
        station: str,
        parameter: str,
        unit: str,
        times: Sequence[float] | np.ndarray,
        values: Sequence[float | None] | np.ndarray,
        flags: Sequence[str] | np.ndarray | None = None,
    ) -> None:
        """Bulk load (sorted or not) — used to seed demos and benchmarks."""
        n = len(times)
        flag_list = list(flags) if flags is not None else [NORMAL_FLAG] * n
        if not (len(values) == n == len(flag_list)):
            raise ValueError("times, values and flags must have the same length")
        for t, v, f in zip(times, values, flag_list, strict=True):
            self.append(station, parameter, unit, float(t), v, str(f))

    def append(
        self, station: str, parameter: str, unit: str, time: float, value: float | None, flag: str
    ) -> None:
        y = float("nan") if value is None else float(value)
        with self._lock:
            col = self._columns.setdefault((station, parameter), _Column(unit))
            if not col.times or time > col.times[-1]:
                col.times.append(time)
                col.values.append(y)
                col.flags.append(flag)
                return
            i = bisect.bisect_left(col.times, time)
            if i < len(col.times) and col.times[i] == time:
                col.values[i], col.flags[i] = y, flag
            else:
                col.times.insert(i, time)
                col.values.insert(i, y)
                col.flags.insert(i, flag)

    def stations(self) -> Iterable[tuple[str, str]]:
        with self._lock:
            return list(self._columns)

    def fetch_series(
        self, station: str, parameter: str, start: datetime, end: datetime, resolution: str
    ) -> SeriesArrays:
        _check_request(start, end, resolution)
        t0, t1 = start.timestamp(), end.timestamp()
        with self._lock:
            col = self._columns.get((station, parameter))
            if col is None:
                raise KeyError(f"no data for {station} {parameter}")
            lo = bisect.bisect_left(col.times, t0)
            hi = bisect.bisect_right(col.times, t1)
            times = np.array(col.times[lo:hi], dtype=np.float64)
            values = np.array(col.values[lo:hi], dtype=np.float64)
            flags = np.array(col.flags[lo:hi], dtype="<U2")
            unit = col.unit
        raw = SeriesArrays(station, parameter, unit, "raw", times, values, flags)
        if resolution == "raw":
            return raw
        return aggregate(raw, NOMINAL_STEP_S[resolution], resolution)


def aggregate(
    raw: SeriesArrays, step_s: float, resolution: str, min_share: float = 0.75
) -> SeriesArrays:
    """Period means of N values, aligned to Asia/Shanghai periods.

    A period with fewer N values than `min_share` of the points received in it gets flag "H"
    (insufficient data) and no value, as the data service marks its own averages.
    """
    if len(raw) == 0:
        return SeriesArrays.empty(raw.station, raw.parameter, raw.unit, resolution)
    offset = float(CENTER_UTC_OFFSET_S)
    bins = np.floor((raw.times + offset) / step_s)
    starts, index = np.unique(bins, return_inverse=True)
    normal = raw.normal
    total = np.bincount(index, minlength=len(starts)).astype(np.float64)
    good = np.bincount(index, weights=normal.astype(np.float64), minlength=len(starts))
    sums = np.bincount(index, weights=np.where(normal, raw.values, 0.0), minlength=len(starts))
    ok = (good > 0) & (good >= min_share * total)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(ok, sums / np.maximum(good, 1), np.nan)
    flags = np.where(ok, NORMAL_FLAG, "H").astype("<U2")
    return SeriesArrays(
        raw.station, raw.parameter, raw.unit, resolution, starts * step_s - offset, values, flags
    )
