"""The data-service connection as the desk sees it: the state the poller's outcomes lead to.

The poll loop reports what happened (a poll succeeded, a call failed, a call is slow) and the
supervisor's ticks ask whether polls still succeed; `ConnectionTracker` turns that into one
`FeedStatus` and tells subscribers when it changes. The rules are in the poller's module
docstring (dispatch_app/feed/poller.py). Pure bookkeeping: no I/O, no asyncio; times are
passed in (`monotonic` seconds for "how long ago", the clock's datetimes for display).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from dispatch_app.feed.client import DataServiceUnavailable

log = logging.getLogger(__name__)


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DEGRADED = "degraded"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """The data-service connection as the desk sees it."""

    state: ConnectionState
    since: datetime  # when this state began; for DEGRADED/DOWN the first failure of the run
    base_url: str
    cursor: int
    last_error: str | None = None
    last_success: datetime | None = None
    failures: int = 0  # consecutive failed calls


class ConnectionTracker:
    """One `FeedStatus`, moved by the poll loop's outcomes; `publish(status)` on each change a
    subscriber should hear of (a routine success updates the record quietly)."""

    def __init__(
        self,
        base_url: str,
        clock: Callable[[], datetime],
        publish: Callable[[FeedStatus], None],
        *,
        down_after_failures: int,
        stall_after_s: float,
    ) -> None:
        self._clock = clock
        self._publish = publish
        self.down_after_failures = down_after_failures
        self.stall_after_s = stall_after_s
        self.status = FeedStatus(ConnectionState.CONNECTING, clock(), base_url, 0)
        self.service_problem: str | None = None  # the service says it is not well (/health)
        self.last_success_at: float | None = None  # monotonic seconds of the last good poll

    def set(self, status: FeedStatus, *, notify: bool = True) -> None:
        changed = status != self.status
        self.status = status
        if notify and changed:
            self._publish(status)

    def rebase(self, base_url: str) -> None:
        self.set(replace(self.status, base_url=base_url))

    def succeeded(self, cursor: int, base_url: str, at: float) -> None:
        """A poll succeeded (monotonic time `at`); the cursor now stands at `cursor`."""
        self.last_success_at = at
        now = self._clock()
        st = self.status
        problem = self.service_problem
        if problem is not None:
            if st.state is not ConnectionState.DEGRADED or st.last_error != problem:
                self.set(
                    FeedStatus(
                        ConnectionState.DEGRADED,
                        since=st.since if st.state is ConnectionState.DEGRADED else now,
                        base_url=base_url,
                        cursor=cursor,
                        last_error=problem,
                        last_success=now,
                        failures=0,
                    )
                )
            else:
                self.status = replace(st, last_success=now, cursor=cursor)
            return
        if st.state is not ConnectionState.CONNECTED or st.cursor != cursor:
            became = st.state is not ConnectionState.CONNECTED
            self.set(
                FeedStatus(
                    ConnectionState.CONNECTED,
                    since=now if became else st.since,
                    base_url=base_url,
                    cursor=cursor,
                    last_error=st.last_error,
                    last_success=now,
                    failures=0,
                ),
                notify=became,
            )
        else:
            # Routine success: keep the record current without waking subscribers.
            self.status = replace(st, last_success=now, failures=0)

    def failed(self, exc: Exception, cursor: int, base_url: str) -> None:
        now = self._clock()
        st = self.status
        failures = st.failures + 1
        # An outage is dated from its first sign: the first failed call, or the hang that made us
        # call the service degraded before the call failed.
        ongoing = st.failures > 0 or st.state is ConnectionState.DEGRADED
        since = st.since if ongoing else now
        unreachable = isinstance(exc, DataServiceUnavailable) and exc.status is None
        state = (
            ConnectionState.DOWN
            if unreachable or failures >= self.down_after_failures
            else ConnectionState.DEGRADED
        )
        message = str(exc) or type(exc).__name__
        log.warning("data service %s: %s", state.value, message)
        self.set(
            FeedStatus(
                state,
                since=since,
                base_url=base_url,
                cursor=cursor,
                last_error=message,
                last_success=st.last_success,
                failures=failures,
            )
        )

    def slow(self, what: str, slow_after_s: float) -> None:
        """A call has hung past `slow_after_s`: say so at once, not only when it times out."""
        if self.status.state is ConnectionState.CONNECTED:
            self.set(
                replace(
                    self.status,
                    state=ConnectionState.DEGRADED,
                    since=self._clock(),
                    last_error=f"no answer to {what} for {slow_after_s:g} s",
                )
            )

    def seconds_since_success(self, now: float) -> float | None:
        if self.last_success_at is None:
            return None
        return max(0.0, now - self.last_success_at)

    def check_stalled(self, now: float, in_call_for: float | None, slow_after_s: float) -> None:
        """CONNECTED means a poll succeeded a moment ago: when none has for `stall_after_s`,
        say so (DEGRADED since the last success), whatever the reason. A call hanging right now
        (`in_call_for` seconds) is `slow`'s to report, unless it hangs far past that report."""
        age = self.seconds_since_success(now)
        if age is None or age <= self.stall_after_s:
            return
        if self.status.state is not ConnectionState.CONNECTED:
            return
        if in_call_for is not None and in_call_for <= slow_after_s + self.stall_after_s:
            return
        last = self.status.last_success
        log.warning("no successful poll of the data service for %.1f s", age)
        self.set(
            replace(
                self.status,
                state=ConnectionState.DEGRADED,
                since=last if last is not None else self._clock(),
                last_error=f"no successful poll for {age:.0f} s",
            )
        )
