"""End to end: the simulator's drill scenarios → HJ 212 over real TCP → the real data service
(a subprocess on loopback) → /updates → the real feed poller → AlarmDesk → the database.

The data service runs without its own simulator; the test plays the drill with
``Simulation(start=…)`` started hours in the past at high speed, because the ingest refuses
DataTime more than an hour ahead of its wall clock. Only the stations a drill needs are in the
registry, to keep the shared machine quiet. The alarm desk evaluates on the data's clock
(``data_clock``), as a drill played at speed requires.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.dataservice.simulator import Simulation
from dispatch_app.desk import Desk
from dispatch_app.desk.alarms import CASE_DETAILS_KEY, AlarmDesk, AlarmUpdate
from dispatch_app.domain.alarms import FLOOD_LIMIT, FLOOD_WINDOW, AlarmState
from dispatch_app.feed.client import DataServiceClient
from dispatch_app.feed.poller import FeedPoller
from dispatch_app.network.registry import registry_from_json
from dispatch_app.network.scenarios import Scenario, load_scenario, scenario_from_toml
from dispatch_app.resources import resources_dir
from tests.desk.conftest import PASSWORD, Clock

ROOT = Path(__file__).resolve().parents[2]
FLOOD_WINDOW_S = FLOOD_WINDOW.total_seconds()


@dataclass
class Service:
    http: str
    hj212_port: int
    registry_doc: dict[str, Any]


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[Callable[[list[str]], Service]]:
    """Start the real data service (ingest and HTTP only) for a subset of the registry."""
    processes: list[subprocess.Popen[str]] = []
    full = json.loads((resources_dir() / "stations.json").read_text(encoding="utf-8"))

    def start(ids_or_kinds: list[str]) -> Service:
        chosen = [
            s for s in full["stations"] if s["id"] in ids_or_kinds or s["kind"] in ids_or_kinds
        ]
        doc = {"stations": chosen}
        path = tmp_path / f"registry_{len(processes)}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        command = [
            sys.executable, "-m", "dispatch_app.dataservice",
            "--host", "127.0.0.1", "--http-port", "0", "--hj212-port", "0",
            "--db", f"sqlite:///{tmp_path / f'ds_{len(processes)}.db'}",
            "--registry", str(path), "--exit-with-stdin", "--log-level", "WARNING",
        ]  # fmt: skip
        process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        processes.append(process)
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert ready["event"] == "ready"
        return Service(ready["http"], int(ready["hj212_port"]), doc)

    yield start
    for process in processes:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def play(
    service: Service,
    alarm_desk: AlarmDesk,
    scenario: str | Scenario,
    *,
    hours_back: float,
    speed: float,
    done: Callable[[], bool],
    timeout_s: float = 60.0,
) -> None:
    """Play ``scenario`` from ``hours_back`` ago through the service while the poller feeds
    the alarm desk and a loop evaluates it off the event loop, until ``done()``."""
    registry = registry_from_json(service.registry_doc)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        start = time.time() - hours_back * 3600
        simulation = Simulation(
            registry,
            "127.0.0.1",
            service.hj212_port,
            speed=speed,
            scenario=scenario,
            start=start,
            links=4,
        )
        sim_task = asyncio.create_task(simulation.run(stop))
        client = DataServiceClient(service.http)
        poller = FeedPoller(client, poll_interval_s=0.2)
        poller.subscribe_observations(alarm_desk.feed)
        await poller.start()
        deadline = time.monotonic() + timeout_s
        try:
            while time.monotonic() < deadline:
                await asyncio.sleep(0.3)
                await loop.run_in_executor(None, alarm_desk.evaluate)
                await loop.run_in_executor(None, alarm_desk.tick)
                if done():
                    return
            raise AssertionError(
                f"drill did not reach its goal in {timeout_s} s; data time "
                f"{alarm_desk.latest_data_time}, alarms {[a.key for a in alarm_desk.alarms()]}"
            )
        finally:
            stop.set()
            await poller.stop()
            client.close()
            await asyncio.wait_for(sim_task, 15)

    asyncio.run(main())


def drill_desk(desk: Desk, clock: Clock, service: Service, hours_back: float) -> AlarmDesk:
    # The desk's own clock at the drill's start, the alarm desk on the data's clock.
    clock.now = datetime.fromtimestamp(time.time() - hours_back * 3600, UTC)
    desk.login("officer", PASSWORD)
    alarm_desk = AlarmDesk.open(desk)
    alarm_desk.clock = alarm_desk.data_clock
    with DataServiceClient(service.http) as client:
        alarm_desk.set_stations(client.stations())
    return alarm_desk


# The two workstations and both databases are covered in test_alarm_desk.py; these drills
# exercise the data path, so one database is enough for them and the suite stays quick.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_spill_drill_raises_water_alarms_and_opens_a_case(
    db_url: str, desk: Desk, clock: Clock, service_factory: Callable[[list[str]], Service]
) -> None:
    """spill_grand_canal: 奔牛 exceeds first (medium alarm, no case); when the plume reaches
    the national section 连江桥 the high alarm opens a quality case with the data."""
    service = service_factory(["water_national", "water_provincial", "water_boundary"])
    alarm_desk = drill_desk(desk, clock, service, hours_back=8)
    national = "water-national-below-target@WQ-N-01"

    def case_opened() -> bool:
        return any(a.key == national and a.case_id for a in alarm_desk.alarms())

    play(service, alarm_desk, "spill_grand_canal", hours_back=8, speed=12000, done=case_opened)
    benniu = alarm_desk.get("water-below-target@WQ-B-01")
    assert benniu.priority.value == "medium" and benniu.case_id is None
    assert benniu.raised_at < alarm_desk.get(national).raised_at  # upstream first
    alarm = alarm_desk.get(national)
    assert alarm.state.active and alarm.count == 1
    case = desk.get_case(int(alarm.case_id or 0))
    assert case.kind == "quality" and case.district == "zhonglou"
    evidence = case.details[CASE_DETAILS_KEY]["evidence"]
    assert "NH3-N" in {e["parameter"] for e in evidence}
    # One case per alarm that asked for one, never two for the same alarm.
    with desk.store.read() as conn:
        opened = conn.exec_driver_sql("SELECT count(*) FROM cases").scalar_one()
    linked = {a.case_id for a in alarm_desk.alarms() if a.case_id}
    assert opened == len(linked), [(a.key, a.case_id) for a in alarm_desk.alarms()]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_offline_drill_raises_a_silent_station_alarm(
    db_url: str, desk: Desk, clock: Clock, service_factory: Callable[[list[str]], Service]
) -> None:
    """station_offline: 安家 (AQ-N-01) stops sending 10 minutes in; 30 minutes later the
    silent-station alarm is raised, while its neighbours keep the data clock going."""
    service = service_factory(["AQ-N-01", "AQ-N-02", "WQ-N-03"])
    alarm_desk = drill_desk(desk, clock, service, hours_back=1.5)
    key = "air-core-silent@AQ-N-01"

    def silent() -> bool:
        return any(a.key == key for a in alarm_desk.alarms())

    play(service, alarm_desk, "station_offline", hours_back=1.5, speed=1800, done=silent)
    alarm = alarm_desk.get(key)
    assert alarm.state is AlarmState.ACTIVE_UNACKNOWLEDGED
    assert alarm.value is not None and alarm.value > 30
    assert not any(a.key == "air-core-silent@AQ-N-02" for a in alarm_desk.alarms())


FLOOD_SCENARIO = """
name = "alarm_flood"
title = { zh = "测试：网格点集中断电", en = "Test: grid points lose power together" }
description = "Fourteen grid monitoring points lose power at once (a district-wide outage)."

[[events]]
kind = "offline"
at_minutes = 5
stations = [{stations}]
duration_minutes = 120
hold = false
"""


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_many_stations_failing_at_once_are_announced_as_a_flood_summary(
    db_url: str, desk: Desk, clock: Clock, service_factory: Callable[[list[str]], Service]
) -> None:
    full = json.loads((resources_dir() / "stations.json").read_text(encoding="utf-8"))
    grid = [s["id"] for s in full["stations"] if s["kind"] == "air_grid"][:16]
    down, alive = grid[:14], grid[14:]
    service = service_factory(grid)
    scenario = scenario_from_toml(
        FLOOD_SCENARIO.replace("{stations}", ", ".join(f'"{s}"' for s in down)),
        registry=registry_from_json(service.registry_doc),
    )
    alarm_desk = drill_desk(desk, clock, service, hours_back=1.5)
    updates: list[AlarmUpdate] = []
    alarm_desk.subscribe(updates.append)

    def all_silent() -> bool:
        return sum(a.key.startswith("air-silent@") for a in alarm_desk.alarms()) >= len(down)

    play(service, alarm_desk, scenario, hours_back=1.5, speed=2400, done=all_silent)
    announcements = [a for u in updates for a in u.announcements]
    singles = [a for a in announcements if not a.summary]
    summaries = [a for a in announcements if a.summary]
    silent = {f"air-silent@{s}" for s in down}
    announced = [k for a in announcements for k in a.keys]
    assert silent <= set(announced) and len(announced) == len(set(announced))
    # Some of the outage went into a summary ("N more alarms") …
    grouped = [s for s in summaries if set(s.keys) & silent]
    assert grouped and grouped[0].text_zh.startswith("另有") and grouped[0].count >= 1
    # … and no ten-minute window announced more than ten alarms one by one.
    first = grouped[0].at
    near = [a for a in singles if abs((a.at - first).total_seconds()) < FLOOD_WINDOW_S]
    assert len(near) <= FLOOD_LIMIT
    silent_at = {a.station_id for a in alarm_desk.alarms() if a.rule_id == "air-silent"}
    assert silent_at == set(down) and not set(alive) & silent_at


def test_shipped_scenarios_load_for_these_drills() -> None:
    """The drills above use the shipped files; a renamed or broken one fails here first."""
    full = json.loads((resources_dir() / "stations.json").read_text(encoding="utf-8"))
    registry = registry_from_json(full)
    for name in ("spill_grand_canal", "station_offline"):
        assert load_scenario(name, registry).name == name
