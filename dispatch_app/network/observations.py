"""An observation as the desk receives it, and the trailing hour of a series.

`Observation` is one accepted value of one parameter at one station (the /latest and /updates
items of the data service's API v1). The data service's own storage keeps its rows in a leaner
shape (epoch seconds, tuples: tens of thousands per page), and the alarm engine takes the
positional arguments of ``AlarmEngine.observe``; both are built from, or turned into, this one at
their edges.

The trailing hour (HJ 633 indexes the real-time AQI on 1-hour averages, and a single minute value
is too noisy to rank stations by) holds, per series, the valid values (flag N) with an
observation time in (newest − 60 min, newest], newest being the latest observation time of that
series whatever its flag. A re-sent time replaces its value (an invalid re-send removes it);
late data inside the window counts; older data is ignored.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Observation:
    """One accepted observation. `seq` is the data service's sequence number (None from /latest)."""

    station: str
    parameter: str
    time: datetime  # aware, UTC
    value: float | None
    flag: str
    seq: int | None = None


HOUR_WINDOW = timedelta(hours=1)
# Values are summed as integers of 10⁻⁶ (exact for any value sent with up to 6 decimals), so the
# mean is the float nearest the exact decimal mean and GB/T 8170 rounding of the average decides
# ties (x.5) as the standard does: a float running sum would drift over days of streaming.
MICRO_UNITS = 1_000_000
# Clipped before scaling (as aqi_batch clips): larger values all index to the top of the scale.
_CLIP = 1e9
# At most one value per distinct time: this caps a series that sends faster than once a second.
WINDOW_MAX_VALUES = 3600


class HourWindow:
    """The valid values of one series in the trailing hour, in time order, with their sum."""

    __slots__ = ("entries", "newest", "total")

    def __init__(self) -> None:
        self.entries: deque[tuple[datetime, int]] = deque()
        self.total = 0  # sum of the entries' values, in 10⁻⁶ units
        self.newest: datetime | None = None

    def fold(self, time: datetime, value: float | None) -> bool:
        """Fold one observation in (`value` None: not valid); True if the window changed."""
        units = None if value is None else round((value if value < _CLIP else _CLIP) * MICRO_UNITS)
        entries = self.entries
        newest = self.newest
        if newest is None or time > newest:  # the common case: the next value of the series
            self.newest = time
            if units is not None:
                entries.append((time, units))
                self.total += units
            cutoff = time - HOUR_WINDOW
            expired = False
            while entries and (entries[0][0] <= cutoff or len(entries) > WINDOW_MAX_VALUES):
                self.total -= entries.popleft()[1]
                expired = True
            return units is not None or expired
        if time <= newest - HOUR_WINDOW:
            return False  # late beyond the window
        # A repeat or late value inside the window: its place, searched from the newest end
        # (late data is usually recent; the window holds at most an hour of values).
        i = len(entries)
        while i and entries[i - 1][0] > time:
            i -= 1
        if i and entries[i - 1][0] == time:
            old = entries[i - 1][1]
            if units == old:
                return False
            self.total -= old
            if units is None:
                del entries[i - 1]
            else:
                entries[i - 1] = (time, units)
                self.total += units
            return True
        if units is None:
            return False
        entries.insert(i, (time, units))
        self.total += units
        if len(entries) > WINDOW_MAX_VALUES:
            self.total -= entries.popleft()[1]
        return True

    @property
    def mean(self) -> float | None:
        """The mean of the window's values (None when it is empty), correctly rounded."""
        n = len(self.entries)
        return self.total / (n * MICRO_UNITS) if n else None
