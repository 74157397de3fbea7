"""The live poller: keeps the desk's picture of the network current from the data service.

Runs on whatever asyncio loop is current (qasync in the desk, plain asyncio in tests). Every
blocking call goes to a single-thread executor of its own, so a hung data service ties up that one
thread and never the loop, nor the loop's default executor that other parts share; one thread also
keeps requests in order on the client's one session.

The no-gap, no-duplicate guarantee: the cursor is the seq of the last observation delivered, and
it advances only after a page of /updates has been folded into the network state and handed to
observation subscribers. A failed or abandoned request leaves it where it was, so the next pull
after an outage starts exactly after the last delivered observation and pages until `more` is
false.

Connection state (what the status bar shows):
- CONNECTING until the first full load succeeds;
- CONNECTED while calls succeed;
- DEGRADED after a failed call (a 5xx, a bad body, a timeout) or while a call hangs longer than
  `slow_after_s`: the service is there but not well;
- DOWN when the service cannot be reached at all (connection refused after the client's retries)
  or after `down_after_failures` failures in a row. `since` is the first failure of the run, so
  "down since 14:02" is when it stopped answering, not when we gave up.

The state follows the polls, not the last answer of a health check: when no poll has succeeded
for `stall_after_s` (a few poll intervals) while the state still says CONNECTED, it turns
DEGRADED with `since` = the last successful poll. That covers the cases where nothing fails
but nothing succeeds either (a poll task that hangs), so a green light always means "a poll
succeeded a moment ago".

The tasks are watched (`dispatch_app.feed.supervisor`): a task that died or hangs is logged and
started again, and a call that never returns (a worker thread stuck in a socket) is given up
after `call_timeout_s`, its thread abandoned for a fresh one. `stop()` returns within about a
second whatever state the tasks are in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from dispatch_app.feed.client import (
    DataServiceClient,
    DataServiceCursorAhead,
    DataServiceError,
    DataServiceTimeout,
)
from dispatch_app.feed.connection import ConnectionState, ConnectionTracker, FeedStatus
from dispatch_app.feed.network_state import NetworkState, Staleness, StationsBatch
from dispatch_app.feed.records import Observation
from dispatch_app.feed.supervisor import TaskSupervisor

log = logging.getLogger(__name__)

T = TypeVar("T")

POLL_TASK = "feed-poll"
FLUSH_TASK = "feed-flush"

# The connection's state and status are the poller's public face; they live in connection.py.
__all__ = [
    "FLUSH_TASK",
    "POLL_TASK",
    "ConnectionState",
    "FeedPoller",
    "FeedStatus",
]


StateSubscriber = Callable[[FeedStatus], None]
StationsSubscriber = Callable[[StationsBatch], None]
ObservationsSubscriber = Callable[[tuple[Observation, ...]], None]


def _next_cursor(body: Any, after: int) -> int | None:
    """The cursor to prefetch from, read from a not-yet-validated body; None when there is no
    next page or the body is too odd to guess (validation will say what is wrong)."""
    if isinstance(body, dict) and body.get("more") is True:
        cursor = body.get("cursor")
        if type(cursor) is int and cursor > after:
            return cursor
    return None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FeedPoller:
    """Polls one data service; see the module docstring for the guarantees.

    Subscribers are plain callables called on the loop's thread; one that raises is logged and does
    not stop the feed or the other subscribers.
    """

    DELIVERY_CHUNK = 1000

    def __init__(
        self,
        client: DataServiceClient,
        *,
        poll_interval_s: float = 1.0,
        page_limit: int = 5000,
        max_batches_per_s: float = 4.0,
        down_after_failures: int = 3,
        max_backoff_s: float = 10.0,
        slow_after_s: float = 3.0,
        health_every_s: float = 30.0,
        stall_after_s: float | None = None,
        call_timeout_s: float | None = None,
        watchdog_every_s: float = 1.0,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """`clock` dates the statuses and judges the stations' staleness (a simulation's clock
        in tests); how long ago a poll succeeded is measured on the loop's monotonic clock."""
        if poll_interval_s <= 0 or max_batches_per_s <= 0 or page_limit <= 0:
            raise ValueError("poll interval, batch rate and page limit must be positive")
        self.client = client
        self.poll_interval_s = poll_interval_s
        self.page_limit = page_limit
        self.min_batch_gap_s = 1.0 / max_batches_per_s
        self.down_after_failures = max(1, down_after_failures)
        self.max_backoff_s = max(max_backoff_s, poll_interval_s)
        self.slow_after_s = slow_after_s
        self.health_every_s = health_every_s
        # "A few poll intervals" without a successful poll and the light is not green.
        self.stall_after_s = (
            stall_after_s if stall_after_s is not None else max(3 * poll_interval_s, 2.0)
        )
        # The longest a call may take on the client's own terms (every attempt at its total
        # deadline, the backoffs between them), and a little more.
        t = client.timeouts
        attempts = client.retries + 1
        self.call_timeout_s = (
            call_timeout_s
            if call_timeout_s is not None
            else t.total * attempts + client.backoff_s * (2**attempts) + 1.0
        )
        self._clock = clock
        self.network = NetworkState()
        self._cursor = 0
        self._loaded = False
        self._caught_up = False
        self._service_started: datetime | None = None
        self._state_subs: list[StateSubscriber] = []
        self._stations_subs: list[StationsSubscriber] = []
        self._obs_subs: list[ObservationsSubscriber] = []
        self._executor: ThreadPoolExecutor | None = None  # HTTP, in order, one session
        self._parser: ThreadPoolExecutor | None = None  # validation of /updates pages
        self._supervisor = TaskSupervisor(
            every_s=watchdog_every_s,
            on_restart=self._task_restarted,
            checks=[self._check_polls_succeed],
        )
        self._dirty = asyncio.Event()
        self._initial_pending = False
        self._wake = asyncio.Event()
        self._last_health = 0.0
        self._calling_since: float | None = None  # loop time the call in flight began
        self._conn = ConnectionTracker(
            client.base_url,
            clock,
            self._publish_status,
            down_after_failures=self.down_after_failures,
            stall_after_s=self.stall_after_s,
        )
        self.batches_delivered = 0

    # --- subscriptions ----------------------------------------------------------------------

    def subscribe_state(self, callback: StateSubscriber) -> Callable[[], None]:
        """Called with the new `FeedStatus` on every change. Returns an unsubscribe function."""
        return self._add(self._state_subs, callback)

    def subscribe_stations(self, callback: StationsSubscriber) -> Callable[[], None]:
        """Called with coalesced `StationsBatch`es, at most `max_batches_per_s` times a second."""
        return self._add(self._stations_subs, callback)

    def subscribe_observations(self, callback: ObservationsSubscriber) -> Callable[[], None]:
        """Called with every page of /updates, in seq order, before the cursor advances: each
        observation exactly once (barring a resync after the service lost its history). For
        consumers that must see every observation, such as alarm rules; a view wants
        `subscribe_stations`."""
        return self._add(self._obs_subs, callback)

    @staticmethod
    def _add(subs: list[T], callback: T) -> Callable[[], None]:
        subs.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                subs.remove(callback)

        return unsubscribe

    # --- public state -----------------------------------------------------------------------

    @property
    def status(self) -> FeedStatus:
        return self._conn.status

    @property
    def cursor(self) -> int:
        """The seq of the last observation delivered."""
        return self._cursor

    @property
    def caught_up(self) -> bool:
        """True once a pull of /updates ended with nothing more to fetch and no call has failed
        since: the network state (and every observation subscriber) then holds what the data
        service held a moment ago. False while connecting, replaying a backlog after the first
        load or an outage, and while the service does not answer. Observations are delivered
        before this turns True, on the same thread, so a consumer that reads it first and its
        queue second never misses any. Rules that compare data with the clock (a silent
        station) must wait for it."""
        return self._caught_up

    @property
    def service_started(self) -> datetime | None:
        """When the data service started (its /health), read at every full load and health
        check; None until known. Before it, nobody received the stations' data."""
        return self._service_started

    @property
    def running(self) -> bool:
        return self._supervisor.running

    @property
    def supervisor(self) -> TaskSupervisor:
        """The watchdog of the poll and flush tasks (restart counts, the tasks themselves)."""
        return self._supervisor

    def seconds_since_success(self) -> float | None:
        """Seconds since a poll last succeeded (monotonic); None before the first one."""
        try:
            now = asyncio.get_running_loop().time()
        except RuntimeError:
            return None
        return self._conn.seconds_since_success(now)

    def staleness(self, station_id: str) -> Staleness:
        return self.network.staleness(station_id, self._clock())

    def stale_stations(self) -> dict[str, Staleness]:
        """Stations that are late, stale or have no data at all, right now."""
        now = self._clock()
        out: dict[str, Staleness] = {}
        for sid in self.network.stations:
            level = self.network.staleness(sid, now)
            if level is not Staleness.FRESH:
                out[sid] = level
        return out

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Start polling in the background; returns at once. The first load happens in the
        background too: watch the state (CONNECTING → CONNECTED)."""
        if self.running:
            return
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-http")
        self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-parse")
        # Events must belong to the running loop (qasync or asyncio alike).
        self._dirty = asyncio.Event()
        self._wake = asyncio.Event()
        if self.network.has_dirty:
            self._dirty.set()
        self._supervisor.add(POLL_TASK, self._poll_loop)
        self._supervisor.add(FLUSH_TASK, self._flush_loop)

    async def stop(self, timeout_s: float = 1.0) -> None:
        """Stop polling, in at most about `timeout_s`. A request in flight is abandoned (its
        thread ends at its timeout); a task that hangs is left behind, never waited for."""
        await self._supervisor.stop(timeout_s)
        for executor in (self._executor, self._parser):
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._parser = None

    def poll_now(self) -> None:
        """Skip the current wait (after a failure, a user asked to retry)."""
        self._wake.set()

    def rebase(self, base_url: str) -> None:
        """Follow the data service to a new address (an embedded restart on other ports). The
        cursor is kept: the same database behind it resumes where we left off."""
        self.client.rebase(base_url)
        self._conn.rebase(base_url)
        self._wake.set()

    # --- the watchdog's side -----------------------------------------------------------------

    def _task_restarted(self, name: str, reason: str) -> None:
        if name == POLL_TASK:
            # The old task may have left a thread stuck in a call, and the one HTTP thread
            # serialises every call: the new task gets fresh threads.
            self._renew_executors()
            self._calling_since = None
        else:
            self._dirty.set()  # whatever the old flush task had not handed on yet

    def _renew_executors(self) -> None:
        for executor in (self._executor, self._parser):
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-http")
        self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-parse")

    def _check_polls_succeed(self) -> None:
        now = asyncio.get_running_loop().time()
        calling = self._calling_since
        self._conn.check_stalled(now, None if calling is None else now - calling, self.slow_after_s)

    def _beat(self, within_s: float) -> None:
        self._supervisor.beat(POLL_TASK, within_s)

    # --- the poll loop ----------------------------------------------------------------------

    async def _poll_loop(self) -> None:
        while True:
            delay = self.poll_interval_s
            try:
                if not self._loaded:
                    await self._full_load()
                    self._succeeded()
                else:
                    if self._conn.status.failures or self._health_due():
                        await self._check_service_restart()
                    await self._pull_pages()
            except asyncio.CancelledError:
                raise
            except DataServiceCursorAhead as exc:
                # The service came back with another database: start over from /latest (after
                # the usual interval, not at once: a service that keeps refusing must not spin us).
                log.warning("%s; reloading", exc)
                self._loaded = False
            except DataServiceError as exc:
                self._failed(exc)
                delay = min(
                    self.poll_interval_s * 2 ** (self._conn.status.failures - 1), self.max_backoff_s
                )
            except Exception as exc:  # a bug must not kill the feed silently
                log.exception("feed poll failed unexpectedly")
                self._failed(exc)
                delay = self.max_backoff_s
            self._wake.clear()
            self._beat(delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    def _submit(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        if self._executor is None:
            self._renew_executors()
        assert self._executor is not None
        future = asyncio.get_running_loop().run_in_executor(self._executor, fn)
        # An abandoned request (prefetch discarded, poller stopped) must not log "exception was
        # never retrieved"; the error that matters is raised where the result is awaited.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        return future

    async def _await(self, what: str, future: asyncio.Future[T]) -> T:
        """Wait for a call; while it hangs past `slow_after_s`, say so (DEGRADED) at once rather
        than only when the timeout finally fires. A call that outlives `call_timeout_s` (its
        thread stuck beyond the client's own deadlines) is given up, and its thread with it."""
        loop = asyncio.get_running_loop()
        self._calling_since = loop.time()
        self._beat(self.call_timeout_s)
        try:
            done, _ = await asyncio.wait({future}, timeout=self.slow_after_s)
            if not done:
                self._conn.slow(what, self.slow_after_s)
                rest = max(0.0, self.call_timeout_s - self.slow_after_s)
                done, _ = await asyncio.wait({future}, timeout=rest)
            if not done:
                future.cancel()
                self._renew_executors()
                raise DataServiceTimeout(
                    f"no answer to {what} within {self.call_timeout_s:g} s",
                    url=self.client.base_url,
                )
            return future.result()
        finally:
            self._calling_since = None

    async def _call(self, what: str, fn: Callable[[], T]) -> T:
        return await self._await(what, self._submit(fn))

    async def _full_load(self) -> None:
        self._caught_up = False
        # The service's start first: whoever judges a station silent needs to know how long
        # the service has been listening (an embedded one started with the desk has not).
        health = await self._call("/health", self.client.health)
        self._service_started = health.started
        stations = await self._call("/stations", self.client.stations)
        latest = await self._call("/latest", self.client.latest)
        self.network.set_stations(stations)
        self.network.clear_readings()
        self.network.apply(latest.items)
        self._cursor = latest.cursor
        self._loaded = True
        self._initial_pending = True
        self._mark_dirty()
        self._last_health = asyncio.get_running_loop().time()
        log.info(
            "feed loaded %d stations, %d latest readings, cursor %d",
            len(stations),
            len(latest.items),
            latest.cursor,
        )

    def _health_due(self) -> bool:
        return asyncio.get_running_loop().time() - self._last_health >= self.health_every_s

    async def _check_service_restart(self) -> None:
        """After an outage (and now and then), make sure the service still has our history. One
        that came back with an empty or other database would answer every /updates with nothing;
        its cursor going backwards is the sign, and the cure is a full reload."""
        health = await self._call("/health", self.client.health)
        self._last_health = asyncio.get_running_loop().time()
        # The service answers but says it is not well (its ingest cannot store): the numbers on
        # screen may stop moving, so the desk must say "degraded", not "connected".
        self._conn.service_problem = (
            None if health.status == "ok" else f"data service reports status {health.status!r}"
        )
        restarted = self._service_started is not None and health.started != self._service_started
        self._service_started = health.started
        if health.cursor < self._cursor:
            log.warning(
                "data service cursor went back from %d to %d (restarted=%s): reloading",
                self._cursor,
                health.cursor,
                restarted,
            )
            await self._full_load()

    async def _pull_pages(self) -> None:
        """Pull /updates until `more` is false, pipelined: as soon as a page's body arrives, the
        next page is requested (its cursor is in the body) while this one is validated on the
        parse thread and delivered on the loop. The service works while we parse; a catch-up
        costs about the service's time alone. The prefetch is only a request: the cursor still
        advances strictly after delivery, and a page that fails validation discards it."""
        loop = asyncio.get_running_loop()
        limit = self.page_limit
        after = self._cursor
        pending: asyncio.Future[Any] | None = self._submit(
            lambda: self.client.updates_body(after, limit)
        )
        try:
            while pending is not None:
                body = await self._await("/updates", pending)
                pending = None
                ahead = _next_cursor(body, after)
                if ahead is not None:
                    # A backlog: say so before its first page is handed on, so a consumer
                    # never takes a half-delivered backlog for the service's present.
                    self._caught_up = False
                    pending = self._submit(partial(self.client.updates_body, ahead, limit))
                assert self._parser is not None
                self._beat(self.call_timeout_s)
                page = await loop.run_in_executor(
                    self._parser, self.client.parse_updates_body, body, after, limit
                )
                self._beat(self.call_timeout_s)
                await self._deliver_page(page.items)
                # Advance only now that the page is delivered.
                self._cursor = after = page.cursor
                self._succeeded()
                if not page.more:
                    self._caught_up = True
                    return
                self._caught_up = False  # (set above already, unless the body was odd)
                if ahead != page.cursor:  # cannot happen with a validated body; be safe
                    if pending is not None:
                        pending.cancel()
                    pending = self._submit(partial(self.client.updates_body, after, limit))
                await asyncio.sleep(0)  # let the UI breathe between pages
        finally:
            if pending is not None:
                pending.cancel()

    async def _deliver_page(self, items: tuple[Observation, ...]) -> None:
        """Fold a page in and hand it to observation subscribers in chunks, yielding to the loop
        between them, so a 5 000-item catch-up page never holds the UI for long. The cursor
        follows each delivered chunk: if the poller is stopped mid-page, the rest is pulled
        again later, and nothing delivered is delivered twice."""
        chunk = self.DELIVERY_CHUNK
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk] if len(items) > chunk else items
            self.network.apply(part)
            for cb in list(self._obs_subs):
                self._deliver(cb, part)
            self._mark_dirty()
            last = part[-1].seq
            if last is not None:
                self._cursor = last
            if start + chunk < len(items):
                await asyncio.sleep(0)

    def _mark_dirty(self) -> None:
        """Stations changed: the flush task owes a batch within a moment."""
        if not self._supervisor.expects(FLUSH_TASK):
            self._supervisor.beat(FLUSH_TASK, self.min_batch_gap_s + 1.0)
        self._dirty.set()

    def _succeeded(self) -> None:
        at = asyncio.get_running_loop().time()
        self._conn.succeeded(self._cursor, self.client.base_url, at)

    def _failed(self, exc: Exception) -> None:
        self._caught_up = False  # what the service received meanwhile is not here
        self._conn.failed(exc, self._cursor, self.client.base_url)

    def _publish_status(self, status: FeedStatus) -> None:
        for cb in list(self._state_subs):
            self._deliver(cb, status)

    @staticmethod
    def _deliver(cb: Callable[[T], None], arg: T) -> None:
        try:
            cb(arg)
        except Exception:
            log.exception("feed subscriber %r failed", cb)

    # --- coalesced delivery -----------------------------------------------------------------

    async def _flush_loop(self) -> None:
        """Hands changed stations to subscribers, at most once per `min_batch_gap_s`: a burst of
        pages becomes a few batches instead of a storm of repaints."""
        while True:
            if not self._dirty.is_set():
                self._supervisor.idle(FLUSH_TASK)
            await self._dirty.wait()
            self._dirty.clear()
            snapshots = self.network.take_dirty()
            if snapshots:
                initial, self._initial_pending = self._initial_pending, False
                batch = StationsBatch(snapshots, self._cursor, initial=initial)
                self.batches_delivered += 1
                for cb in list(self._stations_subs):
                    self._deliver(cb, batch)
            self._supervisor.beat(FLUSH_TASK, self.min_batch_gap_s + 1.0)
            await asyncio.sleep(self.min_batch_gap_s)
