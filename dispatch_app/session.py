"""The composition root: one run of the desk, built from the launch options, free of Qt.

A :class:`DeskSession` owns what lives as long as the application, whichever officer is logged
in: the desk on the database and its parts (petitions, emergencies, alarms, drills), the live
feed's poller with its data-service client, the client the monitoring wall reads series with,
the drill runner, and the wiring between them (observations of the live feed go to the alarm
desk; a drill's observations go to the alarm desk's exercise engine). The UI receives the
session, shows what it holds and listens to its events; it never builds a desk, a client or a
poller, and never wires parts to each other.

Lifecycle, driven by the front end (ui/application.py)::

    session = DeskSession.from_options(options, link)
    session.open()                      # blocking: the database (off the UI thread)
    ... first administrator / login ...
    session.open_parts()                # blocking, once: petitions, emergencies, alarms
    await session.connect_data_service()  # once, after the window is up
    await session.close()               # within the quit budget (dispatch_app/quitting.py)

A part that cannot be opened is recorded in :attr:`DeskSession.problems` and the desk runs
without it; the data service's absence is :attr:`DeskSession.service_problem`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from dispatch_app.config import LaunchOptions
from dispatch_app.desk.alarms import AlarmDesk, FeedWatch
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.drills import DrillDesk, DrillRunner, DrillView
from dispatch_app.desk.emergencies import EmergencyDesk
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.embedded import EmbeddedDataService, make_embedded
from dispatch_app.feed.network_state import StationsBatch, StationSnapshot
from dispatch_app.feed.poller import FeedPoller
from dispatch_app.feed.records import Station
from dispatch_app.quitting import CHILD_GRACE_S, SHUTDOWN_BUDGET_S, STEP_BUDGET_S, in_thread, within

log = logging.getLogger(__name__)

TOKEN_ENV = "DISPATCH_DATASERVICE_TOKEN"
"""The data service's bearer token, when it listens beyond loopback (DESIGN.md)."""

DRILL_LIMIT_S = 2 * 3600
"""A drill plays at most this long unless ended earlier."""


def make_client(base_url: str, token: str | None = None) -> DataServiceClient:
    """The desk's data-service client: short timeouts (a live view must notice a dead service in
    seconds), one retry; the poller's own backoff covers longer outages."""
    return DataServiceClient(
        base_url,
        token=token if token is not None else (os.environ.get(TOKEN_ENV) or None),
        timeouts=ClientTimeouts(connect=2.0, read=5.0, total=20.0),
        retries=1,
    )


def make_poller(base_url: str, token: str | None = None) -> FeedPoller:
    """The desk's live-feed poller on the desk's client (not started)."""
    return FeedPoller(make_client(base_url, token))


# ---- feed → alarms ------------------------------------------------------------------------


class DataServiceLink:
    """The data service the desk talks to: a given URL, or the embedded child process.

    Starting the embedded service waits for its ready line (and its first backfill), which can
    take seconds; the front end therefore calls :meth:`start` off the UI thread after the window
    is up, so the queue is usable at once and the status bar tells when live data arrives.
    """

    def __init__(self, options: LaunchOptions) -> None:
        self.options = options
        self.url: str | None = options.data_service_url
        self.handle: EmbeddedDataService | None = None
        self.problem: str | None = None
        self._stopped = False
        self._starting: EmbeddedDataService | None = None

    @property
    def embedded(self) -> bool:
        return self.options.data_service_url is None

    def start(self) -> str | None:
        """Blocking. Returns the URL, or None with ``problem`` set; never raises, because the
        desk must keep working on its cases when monitoring data is unavailable."""
        if not self.embedded:
            return self.url
        # Held before it starts, so that `stop` (quitting meanwhile) can abandon the start.
        handle = make_embedded(data_dir=self.options.paths.data_dir)
        self._starting = handle
        try:
            if self._stopped:
                return None
            handle.start()
        except Exception as exc:
            if self._stopped:
                return None
            log.exception("embedded data service failed to start")
            self.problem = f"embedded data service failed to start: {exc}"
            return None
        finally:
            self._starting = None
        if self._stopped:  # the desk closed while the child was starting
            handle.stop()
            return None
        self.handle = handle
        self.url = handle.url
        return self.url

    def stop(self, grace_s: float | None = None) -> None:
        """Stop the embedded child (if any), killing it after `grace_s` (the service's own
        default when None); also abandons a start in progress on another thread."""
        self._stopped = True
        handle, self.handle = self.handle, None
        starting = self._starting
        for service in (handle, starting):
            if service is None:
                continue
            try:
                service.stop() if grace_s is None else service.stop(grace_s)
            except Exception:  # stopping must never hide the desk's own exit status
                log.exception("stopping the embedded data service failed")


class AlarmFeedLink:
    """Feeds an alarm desk from a live poller: every page of observations is queued on the alarm
    desk (``AlarmDesk.feed`` only queues; the rounds take them in); the registry of every full
    load becomes the engine's stations, and the latest readings of that load seed it; every
    round asks the poller whether it is caught up with the data service and since when the
    service has listened (``AlarmDesk.watch_feed``), so a desk replaying a backlog, or an
    embedded service still receiving its stations' history, never calls a station silent.

    The engine is rebuilt on a thread of the link's own, never on the caller's (the UI's), which
    must not wait behind a round's database write. ``on_problem`` hears (on that thread) why a
    registry was refused."""

    def __init__(
        self,
        alarms: AlarmDesk,
        poller: FeedPoller,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        self.alarms = alarms
        self.poller = poller
        self.on_problem = on_problem
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alarm-stations")
        self._seeding: Future[None] | None = None
        alarms.watch_feed(lambda: FeedWatch(poller.caught_up, poller.service_started))
        self._unsubscribe: list[Callable[[], None]] = [
            lambda: alarms.watch_feed(None),
            poller.subscribe_observations(alarms.feed),
            poller.subscribe_stations(self._on_stations),
        ]
        network = poller.network
        if network.stations:
            self._seed(network.stations.values(), network.snapshots())

    def _on_stations(self, batch: StationsBatch) -> None:
        if batch.initial:
            self._seed([s.station for s in batch.snapshots.values()], batch.snapshots)

    def _seed(self, stations: Iterable[Station], snapshots: Mapping[str, StationSnapshot]) -> None:
        """The registry of a full load, and its latest readings (a full load delivers them
        through /latest, not as observation pages)."""
        self._seeding = self._executor.submit(self.alarms.set_stations, list(stations))
        self._seeding.add_done_callback(self._seeded)
        self.alarms.feed(
            (sid, parameter, reading.time, reading.value, reading.flag)
            for sid, snapshot in snapshots.items()
            for parameter, reading in snapshot.readings.items()
        )

    def _seeded(self, future: Future[None]) -> None:
        exc = None if future.cancelled() else future.exception()
        if exc is not None:  # a registry the engine cannot take: say so
            log.warning("alarm engine cannot take the registry: %s", exc)
            if self.on_problem is not None:
                self.on_problem(str(exc))

    def wait_seeded(self, timeout_s: float | None = None) -> None:
        """Blocks until the last registry was taken (tests, and a round that must see it)."""
        if self._seeding is not None:
            self._seeding.result(timeout_s)

    def close(self) -> None:
        """Stop feeding the alarm desk (safe to call twice)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)


# ---- drills ---------------------------------------------------------------------------------


class DrillControl:
    """The drill runner of the run: one drill at a time, played through a simulating data
    service in a worker thread until ended (at most ``DRILL_LIMIT_S``). Its alarms go to the
    session's alarm desk, marked exercise."""

    def __init__(self, drills: DrillDesk) -> None:
        self.drills = drills
        self.drill_id: int | None = None
        """The drill last started (or chosen): what the report and the removal are about."""
        self._runner: DrillRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, scenario: str, speed: float) -> bool:
        """Start playing ``scenario`` at ``speed``; False when a drill is already running."""
        if self.running:
            return False
        runner = DrillRunner(
            self.drills, scenario, speed, Path(tempfile.mkdtemp(prefix="desk-drill-"))
        )
        self._runner = runner

        def play() -> None:
            try:
                drill: DrillView = runner.run(DRILL_LIMIT_S)
                self.drill_id = drill.id
            except Exception:
                log.exception("drill failed")

        self._thread = threading.Thread(target=play, name="drill", daemon=True)
        self._thread.start()
        return True

    def end(self) -> bool:
        """Ask the running drill to end (its data service stops with it); False when none ran."""
        runner = self._runner
        if runner is None:
            return False
        runner.stop()
        if runner.drill is not None:
            self.drill_id = runner.drill.id
        return True


# ---- the session ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartProblem:
    """A part of the desk that could not be opened: the desk runs without it."""

    part: str
    error: Exception


@dataclass
class LiveFeed:
    """The live feed of the run: the poller (on a client of its own), the embedded service it
    follows (None for a given URL), and the client the monitoring wall reads series with (a
    long series fetch never delays a poll)."""

    url: str
    poller: FeedPoller
    series_client: DataServiceClient
    embedded: EmbeddedDataService | None = None


@dataclass
class DeskParts:
    """The desk's parts beside the cases; each None when it could not be opened."""

    petitions: PetitionDesk | None = None
    emergencies: EmergencyDesk | None = None
    alarms: AlarmDesk | None = None
    drills: DrillControl | None = None
    problems: list[PartProblem] = field(default_factory=list)


class DeskSession:
    """One run of the desk (see the module's docstring)."""

    def __init__(
        self,
        database_url: str,
        link: DataServiceLink | None = None,
        *,
        open_desk: Callable[[str], Desk] = Desk.open,
        resources_dir: Path | None = None,
    ) -> None:
        self.database_url = database_url
        self.link = link
        self.resources_dir = resources_dir
        self._open_desk = open_desk
        self._desk: Desk | None = None
        self.parts: DeskParts | None = None
        self.feed: LiveFeed | None = None
        self.service_problem: str | None = None
        """Why there is no live feed (no data service), once that is known."""
        self.alarm_feed: AlarmFeedLink | None = None
        self._problem_listeners: list[Callable[[str], None]] = []
        self._connecting: asyncio.Future[LiveFeed | None] | None = None
        self._closing = False
        self.closed = False

    @classmethod
    def from_options(cls, options: LaunchOptions, link: DataServiceLink | None) -> DeskSession:
        return cls(options.database_url, link)

    # ---- the database and the parts ----------------------------------------------------
    def open(self) -> Desk:
        """Blocking: open (and upgrade) the database. Raises what ``Desk.open`` raises."""
        if self._desk is None:
            self._desk = self._open_desk(self.database_url)
        return self._desk

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise RuntimeError("the session is not open")
        return self._desk

    @property
    def is_open(self) -> bool:
        return self._desk is not None

    def open_parts(self) -> DeskParts:
        """Blocking, once: the petitions, emergencies and alarms on the desk (the drills when
        there are emergencies). A part that fails is recorded and left out."""
        if self.parts is not None:
            return self.parts
        desk = self.desk
        parts = DeskParts()
        try:
            parts.petitions = PetitionDesk.open(desk, self.resources_dir)
        except Exception as exc:
            log.exception("opening the petitions failed")
            parts.problems.append(PartProblem("petitions", exc))
        try:
            parts.emergencies = EmergencyDesk.open(desk, self.resources_dir)
        except Exception as exc:
            log.exception("opening the emergencies failed")
            parts.problems.append(PartProblem("emergencies", exc))
        try:
            parts.alarms = AlarmDesk.open(desk, self.resources_dir)
            parts.alarms.start()  # follows other workstations' alarms and rules
        except Exception as exc:
            log.exception("opening the alarms failed")
            parts.problems.append(PartProblem("alarms", exc))
        if parts.emergencies is not None:
            # A drill's alarms are judged by the desk's alarm desk, marked exercise.
            parts.drills = DrillControl(
                DrillDesk(parts.emergencies, resources_dir=self.resources_dir, alarms=parts.alarms)
            )
        self.parts = parts
        if self.feed is not None:
            self._wire_alarms(self.feed)
        return parts

    def subscribe_problems(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Hear what goes wrong in the wiring after start (any thread); returns unsubscribe."""
        self._problem_listeners.append(listener)
        return partial(self._unsubscribe_problems, listener)

    def _unsubscribe_problems(self, listener: Callable[[str], None]) -> None:
        if listener in self._problem_listeners:
            self._problem_listeners.remove(listener)

    def _problem(self, text: str) -> None:
        for listener in list(self._problem_listeners):
            listener(text)

    # ---- the data service and the live feed ----------------------------------------------
    async def connect_data_service(self) -> LiveFeed | None:
        """Once per run: start (or reach) the data service, start the live feed's poller and
        feed the alarms from it. None (with ``service_problem``) without a data service."""
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._connect())
        return await asyncio.shield(self._connecting)

    async def _connect(self) -> LiveFeed | None:
        link = self.link
        if link is None:
            return None
        # On a thread of its own: the embedded child can take a while to come up, and quitting
        # meanwhile must neither wait for it nor leave the loop's executor busy at close.
        url = await in_thread(link.start, "dataservice-start")
        if self._closing:
            return None
        if url is None:
            self.service_problem = link.problem or "?"
            return None
        feed = LiveFeed(url, make_poller(url), make_client(url), link.handle)
        await feed.poller.start()
        self.feed = feed
        if self.parts is not None:
            self._wire_alarms(feed)
        return feed

    def _wire_alarms(self, feed: LiveFeed) -> None:
        alarms = self.parts.alarms if self.parts is not None else None
        if alarms is None or self.alarm_feed is not None:
            return
        try:
            self.alarm_feed = AlarmFeedLink(alarms, feed.poller, self._problem)
        except Exception as exc:
            log.exception("feeding the alarms from the live feed failed")
            self._problem(str(exc))

    # ---- closing ------------------------------------------------------------------------------
    def stop_data_service(self) -> asyncio.Future[None] | None:
        """Start stopping the embedded child at once, on a thread of its own (it is the slowest
        part and needs nothing of the desk): terminated, killed if it lingers."""
        if self.link is None:
            return None
        return in_thread(partial(self.link.stop, CHILD_GRACE_S), "dataservice-stop")

    async def close(
        self,
        child: asyncio.Future[None] | None = None,
        started: float | None = None,
    ) -> None:
        """Stop the drill, the live feed, the alarms and the database, then wait what is left of
        the quit budget for the embedded child (``child``, from ``stop_data_service``, when the
        caller started stopping it earlier). Each step gets its share and is left behind, logged,
        when it overruns."""
        if self.closed:
            return
        self._closing = True
        loop = asyncio.get_running_loop()
        started = loop.time() if started is None else started
        if child is None:
            child = self.stop_data_service()
        parts = self.parts
        if parts is not None and parts.drills is not None:
            parts.drills.end()
        if self.alarm_feed is not None:
            self.alarm_feed.close()
        feed = self.feed
        if feed is not None:
            try:
                await within(feed.poller.stop(), STEP_BUDGET_S, "stopping the live feed")
                feed.poller.client.close()
                feed.series_client.close()
            except Exception:
                log.exception("stopping the live feed failed")
        if parts is not None and parts.alarms is not None:
            parts.alarms.close()
        if self._desk is not None:
            # Not through the desk's call worker: it may be stuck in a call of its own.
            await within(in_thread(self._desk.close, "desk-close"), STEP_BUDGET_S, "the database")
        if child is not None:
            rest = max(0.1, SHUTDOWN_BUDGET_S - (loop.time() - started))
            await within(child, rest, "stopping the embedded data service")
        self.closed = True
