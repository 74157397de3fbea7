"""Staleness against the running simulator: the real data service on loopback with --simulate,
the desk's poller and station table on the simulation's clock.

What is checked, for every station kind:
- a station whose reports all came on schedule, each within its allowed delay (read from what
  actually arrived, not from the rule under test), is never late or offline at any moment;
- a station whose data stops (a drill scenario takes it offline) turns late when its next report
  is overdue and offline after the missed reports its kind allows, and not before;
- a water value five hours old is flagged.

The simulation runs faster than the wall clock (its speed factor), so the desk is given the
simulation's clock: the service logs where simulated time stands against the wall clock when
its simulator starts.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from qasync import QEventLoop

from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.network_state import Staleness
from dispatch_app.feed.poller import ConnectionState, FeedPoller
from dispatch_app.feed.records import Observation, Station
from dispatch_app.network.reporting import PERIOD_START
from dispatch_app.resources import resources_dir
from tests.feed.live_service import running_service
from ui.shell.feed_bridge import FeedBridge, connect_station_table
from ui.stations.station_table import StationTableView

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = json.loads((resources_dir() / "stations.json").read_text("utf-8"))
CLOCK_LINE = re.compile(
    r"simulation clock: simulated ([\d.]+) at wall clock ([\d.]+), speed ([\d.]+)"
)
WARM_UP = timedelta(minutes=3)  # simulated: the desk's first load and the backfill settle


@dataclass
class SimClock:
    """The simulation's "now", from the service's log line."""

    sim0: float = 0.0
    wall0: float = 0.0
    speed: float = 1.0

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(self.sim0 + (time.time() - self.wall0) * self.speed, UTC)

    def read(self, log_path: Path, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            text = log_path.read_text("utf-8", "replace") if log_path.exists() else ""
            found = CLOCK_LINE.search(text)
            if found:
                self.sim0, self.wall0, self.speed = (float(g) for g in found.groups())
                return
            time.sleep(0.1)
        raise AssertionError(f"no simulation clock line in {log_path}")


@dataclass
class Watch:
    """What arrived from each station (stamp, arrival on the simulation's clock), and what the
    desk said about each station at each sampled moment."""

    clock: SimClock
    stop_minutes: int = 0
    started: datetime | None = None
    stamps: dict[str, set[datetime]] = field(default_factory=dict)
    arrivals: dict[str, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    verdicts: dict[str, list[tuple[datetime, Staleness]]] = field(default_factory=dict)

    def observe(self, items: tuple[Observation, ...]) -> None:
        now = self.clock()
        for o in items:
            self.stamps.setdefault(o.station, set()).add(o.time)
            self.arrivals.setdefault(o.station, []).append((o.time, now))

    def sample(self, poller: FeedPoller) -> None:
        now = self.clock()
        if self.started is None or now < self.started + WARM_UP:
            return
        for sid in poller.network.stations:
            self.verdicts.setdefault(sid, []).append((now, poller.staleness(sid)))

    def on_schedule(self, station: Station, end: datetime) -> bool:
        """From the data alone: every report of the run came, each within its allowed delay
        after its period closed (or its sample was taken), and the newest is recent."""
        rules = station.schedule
        stamps = sorted(self.stamps.get(station.id, ()))
        if not stamps:
            return False
        period = rules.interval_s if rules.time_basis == PERIOD_START else 0
        assert self.started is not None
        for stamp, arrived in self.arrivals.get(station.id, []):
            # What came once the desk had caught up (the history sent at the start is in by
            # then): each report within its delay, a sample held back before the start included.
            late = (arrived - stamp).total_seconds() > period + rules.delay_s
            if arrived >= self.started + WARM_UP and late:
                return False
        # From the value on screen when the run began: it must have been a current one (the
        # report before it came too), and no report may be missing after it.
        before = [s for s in stamps if s <= self.started]
        if not before or before[-1] < self.started - timedelta(
            seconds=rules.lag_s + rules.interval_s
        ):
            return False
        recent = [s for s in stamps if s >= before[-1]]
        for a, b in itertools.pairwise(recent):
            if (b - a).total_seconds() > rules.interval_s:
                return False  # a report never came
        return stamps[-1] >= end - timedelta(seconds=rules.lag_s + rules.interval_s)


def write_scenario(path: Path, stations: list[str], at_minutes: int) -> Path:
    path.write_text(
        f'name = "{path.stem}"\n'
        'title = { zh = "测试：站点停报", en = "Test: stations stop reporting" }\n'
        'description = "Stations stop sending; the desk must flag them late, then offline."\n'
        "[[events]]\n"
        'kind = "offline"\n'
        f"at_minutes = {at_minutes}\n"
        f"stations = {json.dumps(stations)}\n"
        "duration_minutes = 900\n"
        "hold = false\n",
        encoding="utf-8",
    )
    return path


def run_network(
    qtbot: QtBot,
    tmp_path: Path,
    *,
    speed: float,
    registry: dict[str, object],
    stopped: list[str],
    stop_at_minutes: int,
    backfill_hours: int,
    until: Callable[[Watch, FeedPoller], bool],
    poll_interval_s: float,
    timeout_s: float,
) -> tuple[Watch, FeedPoller, StationTableView, dict[str, Station]]:
    registry_path = tmp_path / "registry.json"
    registry_path.write_text(json.dumps(registry, ensure_ascii=False), encoding="utf-8")
    scenario = write_scenario(tmp_path / "stop_reporting.toml", stopped, stop_at_minutes)
    log_path = tmp_path / "ds.log"
    clock = SimClock()
    watch = Watch(clock, stop_minutes=stop_at_minutes)
    view = StationTableView(clock=clock)
    qtbot.addWidget(view)
    with running_service(
        tmp_path / "ds.db",
        log_path,
        simulate=True,
        speed=speed,
        backfill_hours=backfill_hours,
        restart=False,
        extra_args=["--registry", str(registry_path), "--scenario", str(scenario)],
        ready_timeout_s=60.0,
    ) as service:
        assert service.url is not None
        clock.read(log_path)
        client = DataServiceClient(
            service.url, timeouts=ClientTimeouts(connect=1, read=5, total=10), retries=0
        )
        poller = FeedPoller(client, poll_interval_s=poll_interval_s, clock=clock)
        bridge = FeedBridge(poller)
        connect_station_table(bridge, view)
        poller.subscribe_observations(watch.observe)

        async def scenario_run() -> None:
            await poller.start()
            deadline = time.monotonic() + timeout_s
            while poller.status.state is not ConnectionState.CONNECTED:
                assert time.monotonic() < deadline, "the desk never connected"
                await asyncio.sleep(0.1)
            while not poller.caught_up:  # the backfill is in
                assert time.monotonic() < deadline, "the desk never caught up"
                await asyncio.sleep(0.1)
            watch.started = clock()
            for sid in poller.network.stations:  # what the first load brought (/latest)
                newest = poller.network.last_time(sid)
                if newest is not None:
                    watch.stamps.setdefault(sid, set()).add(newest)
            while not until(watch, poller):
                assert time.monotonic() < deadline, "the run did not reach its end in time"
                watch.sample(poller)
                await asyncio.sleep(0.25)
            view.model.refresh_staleness()
            await poller.stop()

        try:
            # On the desk's own loop (the tests' one qasync loop), as the desk runs it.
            task = asyncio.ensure_future(scenario_run())
            qtbot.waitUntil(task.done, timeout=int(timeout_s * 1000) + 30_000)
            task.result()
        finally:
            bridge.detach()
            client.close()
    stations = dict(poller.network.stations)
    return watch, poller, view, stations


def phases(
    watch: Watch, station: Station, tolerance: timedelta
) -> tuple[datetime, datetime, dict[str, list[Staleness]]]:
    """The desk's verdicts on a station whose data stopped, sorted into the phases its rules
    give: before its next report is due, late, offline (moments within `tolerance` of a
    boundary are left out: the desk polls, it does not see instantly)."""
    last = max(watch.stamps[station.id])
    due = station.schedule.next_due(last)
    offline = station.schedule.offline_from(last)
    seen: dict[str, list[Staleness]] = {"on_time": [], "late": [], "offline": []}
    for at, verdict in watch.verdicts[station.id]:
        if at < due - tolerance:
            seen["on_time"].append(verdict)
        elif due + tolerance < at < offline - tolerance:
            seen["late"].append(verdict)
        elif at > offline + tolerance:
            seen["offline"].append(verdict)
    return due, offline, seen


def stopped_and_offline(
    watch: Watch, poller: FeedPoller, stopped: list[str], tolerance: timedelta
) -> datetime:
    """When every stopped station should be offline for a while: its newest value cannot be
    newer than the scenario's stop (stop_at_minutes after the simulation's start)."""
    stop = datetime.fromtimestamp(watch.clock.sim0, UTC) + timedelta(minutes=watch.stop_minutes)
    rules = [poller.network.stations[s].schedule for s in stopped if s in poller.network.stations]
    if len(rules) < len(stopped):
        return datetime.max.replace(tzinfo=UTC)
    return max(r.offline_from(stop) for r in rules) + 3 * tolerance


def row_text(view: StationTableView, sid: str) -> str:
    row = view.model.row_of(sid)
    assert row is not None
    return str(view.model.index(row, view.model.col_updated).data())


@pytest.mark.slow
def test_air_stations_on_time_are_never_late_and_a_stopped_one_goes_late_then_offline(
    qtbot: QtBot, qloop: QEventLoop, tmp_path: Path
) -> None:
    """The whole network at 15×: minute data from every air kind, water samples from the
    backfill (five hours: the last four-hourly sample is always in it). One
    station of each air kind stops eight simulated minutes in."""
    stopped = ["AQ-N-01", "AQ-P-01", "AQ-T-001", "AQ-G-001"]
    speed = 15.0
    tolerance = timedelta(seconds=3 * speed)  # three real seconds of polling and scheduling

    def until(watch: Watch, poller: FeedPoller) -> bool:
        return watch.clock() > stopped_and_offline(watch, poller, stopped, tolerance)

    watch, _, view, stations = run_network(
        qtbot,
        tmp_path,
        speed=speed,
        registry=REGISTRY,
        stopped=stopped,
        stop_at_minutes=8,
        backfill_hours=5,  # a four-hourly water sample is always in it
        until=until,
        poll_interval_s=0.25,
        timeout_s=240,
    )
    end = watch.clock()
    by_kind: dict[str, list[str]] = {}
    for sid, st in stations.items():
        by_kind.setdefault(st.kind, []).append(sid)
    # Stations whose every report came on schedule: never flagged, at any sampled moment.
    false_flags: dict[str, list[tuple[datetime, Staleness]]] = {}
    on_schedule: set[str] = set()
    for sid, st in stations.items():
        if sid in stopped or not watch.on_schedule(st, end):
            continue
        on_schedule.add(sid)
        flagged = [(t, v) for t, v in watch.verdicts[sid] if v is not Staleness.FRESH]
        if flagged:
            false_flags[sid] = flagged[:3]
    assert not false_flags, (
        f"{len(false_flags)} on-time stations flagged, e.g. {dict(list(false_flags.items())[:3])}"
    )
    for kind, ids in by_kind.items():
        running = set(ids) - set(stopped)
        share = len(on_schedule & running) / len(running)
        # Nearly all: the simulator's own faults (a dropout, a held batch) take out a few.
        assert share >= 0.9, f"{kind}: only {share:.0%} of stations on schedule"
        assert len(watch.verdicts[ids[0]]) > 100  # sampled all along the run
    for sid in on_schedule:
        # The desk in Chinese: no 迟报 (late), 断报 (offline) or 无数据 (no data).
        assert not row_text(view, sid).startswith(("迟报", "断报", "无数据")), sid
    # Each stopped station: on time until its next minute is overdue, late (迟报) from then,
    # offline (断报) once 16 minutes are missing.
    for sid in stopped:
        due, offline, seen = phases(watch, stations[sid], tolerance)
        assert seen["on_time"] and set(seen["on_time"]) == {Staleness.FRESH}, (sid, seen)
        assert seen["late"] and set(seen["late"]) == {Staleness.LATE}, (sid, due, seen)
        assert seen["offline"] and set(seen["offline"]) == {Staleness.STALE}, (sid, seen)
        assert (offline - due) == timedelta(minutes=15)
        assert row_text(view, sid).startswith("断报 · "), row_text(view, sid)


@pytest.mark.slow
def test_water_sections_on_their_four_hour_schedule_and_a_five_hour_old_value_is_late(
    qtbot: QtBot, qloop: QEventLoop, tmp_path: Path
) -> None:
    """The water sections alone at 900× (a four-hour interval passes in 16 s): every kind of
    section, one of which stops sampling five simulated minutes in."""
    water = {
        **REGISTRY,
        "stations": [s for s in REGISTRY["stations"] if str(s["kind"]).startswith("water")],
    }
    stopped = ["WQ-N-03", "WQ-P-01", "WQ-B-01"]
    speed = 900.0
    tolerance = timedelta(seconds=2 * speed)

    def until(watch: Watch, poller: FeedPoller) -> bool:
        return watch.clock() > stopped_and_offline(watch, poller, stopped, tolerance)

    watch, _, view, stations = run_network(
        qtbot,
        tmp_path,
        speed=speed,
        registry=water,
        stopped=stopped,
        stop_at_minutes=5,
        backfill_hours=5,
        until=until,
        poll_interval_s=0.25,
        timeout_s=240,
    )
    end = watch.clock()
    on_schedule = {
        sid for sid, st in stations.items() if sid not in stopped and watch.on_schedule(st, end)
    }
    assert len(on_schedule) >= 0.9 * (len(stations) - len(stopped))
    for kind in ("water_national", "water_provincial", "water_boundary"):
        assert any(stations[s].kind == kind for s in on_schedule), kind
    false_flags = {
        sid: [v for _, v in watch.verdicts[sid] if v is not Staleness.FRESH][:3]
        for sid in on_schedule
        if any(v is not Staleness.FRESH for _, v in watch.verdicts[sid])
    }
    assert not false_flags, (
        f"{len(false_flags)} on-time sections flagged, e.g. {dict(list(false_flags.items())[:3])}"
    )
    # More than one sample arrived during the run: the schedule was really exercised.
    assert all(len(watch.arrivals.get(s, [])) >= 2 for s in on_schedule)
    for sid in stopped:
        _, _, seen = phases(watch, stations[sid], tolerance)
        assert set(seen["on_time"]) <= {Staleness.FRESH}, (sid, seen)
        assert seen["late"] and set(seen["late"]) == {Staleness.LATE}, (sid, seen)
        assert seen["offline"] and set(seen["offline"]) == {Staleness.STALE}, (sid, seen)
        # The moment its newest value was five hours old, it was flagged.
        last = max(watch.stamps[sid])
        five_hours = [v for at, v in watch.verdicts[sid] if at >= last + timedelta(hours=5)]
        assert five_hours and five_hours[0] is Staleness.LATE, (sid, five_hours[:3])
        assert row_text(view, sid).startswith("断报 · "), row_text(view, sid)
