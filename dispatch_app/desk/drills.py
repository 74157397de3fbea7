"""Drills (演练): a scenario from resources/scenarios played by the real data service's
simulator (``--simulate --scenario NAME --speed X``), watched by the desk, which opens exercise
emergencies the way the duty room would; then a report and, afterwards, removal as a whole.

Everything a drill produces is marked exercise: its emergencies carry ``exercise = True``
(CAP status Exercise, 【演练】 in every title the queue shows) and are linked to the drill in
``emergency_drill_cases``, so real figures never include them and ``remove`` deletes exactly
them (the audit log keeps the record that they existed and were removed).

What the drill watches: every water observation from /updates is graded against GB 3838
(single factor); the first section to exceed its target class opens the drill's emergency (a
water pollution emergency at that section, the water-pollution plan activated, the reading
logged); later exceedances at other sections are logged on it as data readings, once per
section and parameter. The data service runs as a child process, never in the desk.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update

from dispatch_app.dataservice.registry import RegistryError, load_registry
from dispatch_app.dataservice.scenarios import (
    ScenarioError,
    ScenarioTimeline,
    affected_stations,
    load_scenario,
)
from dispatch_app.desk.emergencies import EmergencyDesk, EmergencyDraft
from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.domain.emergencies import EmergencyType, LogKind
from dispatch_app.domain.emergency_plans import StepStatus
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.reference import SHANGHAI
from dispatch_app.domain.roles import Permission
from dispatch_app.feed.client import DataServiceClient, DataServiceError
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.standards import water
from dispatch_app.store.audit_records import append_audit
from dispatch_app.store.change_feed import record_change
from dispatch_app.store.emergency_models import (
    cap_messages,
    emergency_drill_cases,
    emergency_drills,
    emergency_level_decisions,
    emergency_log_entries,
    emergency_monitoring_tasks,
    emergency_plan_activations,
    emergency_plan_steps,
)
from dispatch_app.store.errors import NotFound
from dispatch_app.store.models import cases, timeline

DRILL_PLAN = "water_pollution"
# Parameters a drill watches: the ones a spill or a bloom moves (GB 3838 classifies them).
WATCHED = frozenset({"CODMn", "COD", "NH3-N", "TP", "DO"})
MAX_SPEED = 3600


@dataclass(frozen=True)
class WaterSection:
    id: str
    name: str
    district: str
    lon: float
    lat: float
    target_class: int
    waterbody: str


def load_sections(path: Path | None = None) -> dict[str, WaterSection]:
    """The water sections of the registry with what grading needs."""
    path = path or default_resources_dir() / "stations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        s["id"]: WaterSection(
            s["id"],
            s["name"],
            s["district"],
            float(s["lon"]),
            float(s["lat"]),
            int(s["target_class"]),
            s.get("waterbody") or "river",
        )
        for s in data["stations"]
        if s["kind"].startswith("water_") and s.get("target_class")
    }


def scenario_scope(name: str, resources_dir: Path | None = None) -> tuple[str, tuple[str, ...]]:
    """The scenario's Chinese title and the water sections its spills and blooms reach (the
    drill watches those: elsewhere the simulated network has its everyday exceedances, which
    are not the drill's). A clear error when the scenario does not exist or is malformed."""
    root = resources_dir or default_resources_dir()
    try:
        registry = load_registry(root / "stations.json")
        scenario = load_scenario(name, registry, root / "scenarios")
    except (ScenarioError, FileNotFoundError, RegistryError) as exc:
        raise ValidationError(
            "scenario",
            "error.unknown_scenario",
            f"scenario {name!r} cannot be played: {exc}",
            f"演练场景“{name}”无法使用：{exc}",
        ) from None
    title = scenario.title_zh or scenario.title_en or name
    # The start time does not change which sections a scenario reaches.
    stations = tuple(affected_stations(ScenarioTimeline(scenario, registry, 0.0)))
    return str(title), stations


@dataclass(frozen=True)
class DrillView:
    id: int
    scenario: str
    title: str
    speed: int
    started_at: datetime
    started_by: str
    ended_at: datetime | None
    removed_at: datetime | None
    case_ids: tuple[int, ...]
    stations: tuple[str, ...]  # watched: the sections the scenario reaches
    events: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class StepTiming:
    case_reference: str
    plan_id: str
    step: str
    target_min: int
    took_min: float | None  # None while open
    status: StepStatus
    late: bool


_STATUS_ZH = {
    StepStatus.OPEN: "进行中",
    StepStatus.OVERDUE: "已超时",
    StepStatus.DONE: "已完成",
    StepStatus.SKIPPED: "已跳过",
}


@dataclass(frozen=True)
class DrillReport:
    drill: DrillView
    timeline: tuple[tuple[datetime, str], ...]  # what happened when (desk times, UTC)
    steps: tuple[StepTiming, ...]

    @property
    def on_time(self) -> int:
        return sum(1 for s in self.steps if s.status is StepStatus.DONE and not s.late)

    @property
    def late(self) -> int:
        return sum(1 for s in self.steps if s.late or s.status is StepStatus.OVERDUE)

    def text(self) -> str:
        lines = [f"演练报告：{self.drill.title}（{self.drill.scenario}，{self.drill.speed}倍速）"]
        lines += [
            f"{t.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}  {what}" for t, what in self.timeline
        ]
        lines.append("响应步骤：")
        for s in self.steps:
            took = "—" if s.took_min is None else f"{s.took_min:.0f}分钟"
            flag = "（超时）" if s.late and s.status is StepStatus.DONE else ""
            lines.append(
                f"  {s.case_reference} {s.step}：时限{s.target_min}分钟，用时{took}，"
                f"{_STATUS_ZH[s.status]}{flag}"
            )
        lines.append(f"按时完成{self.on_time}项，超时{self.late}项")
        return "\n".join(lines)


class DrillDesk:
    """Drill use cases on an `EmergencyDesk`. Synchronous; run calls in an executor."""

    def __init__(
        self,
        emergencies: EmergencyDesk,
        sections: dict[str, WaterSection] | None = None,
        resources_dir: Path | None = None,
    ) -> None:
        self.em = emergencies
        self.desk = emergencies.desk
        self.sections = sections if sections is not None else load_sections()
        self.resources_dir = resources_dir
        self._lock = threading.Lock()  # observe() from a watcher thread and the UI thread

    def _actor(self, permission: Permission = Permission.WORK_CASES) -> Any:
        return self.em._actor(permission)

    # ------------------------------------------------------------------ lifecycle

    def start(self, scenario: str, speed: float) -> DrillView:
        actor = self._actor()
        if not 1 <= speed <= MAX_SPEED:
            raise ValidationError(
                "speed",
                "error.drill_speed",
                f"speed must be 1..{MAX_SPEED}, got {speed}",
                f"演练倍速须在1到{MAX_SPEED}之间",
            )
        title, stations = scenario_scope(scenario, self.resources_dir)
        now = self.desk.clock()
        event = {"at": now.isoformat(), "what": f"演练开始：{title}（{speed:g}倍速）"}
        with self.desk.store.write() as conn:
            drill_id = int(
                conn.execute(
                    insert(emergency_drills).returning(emergency_drills.c.id),
                    {
                        "scenario": scenario,
                        "title": title,
                        "speed": int(speed),
                        "started_at": now,
                        "started_by": actor.username,
                        "stations": list(stations),
                        "events": [event],
                        "version": 1,
                    },
                ).scalar_one()
            )
            append_audit(
                conn,
                now,
                actor.username,
                "drill.start",
                "drill",
                drill_id,
                {"scenario": scenario, "speed": speed},
            )
        return self.get(drill_id)

    def get(self, drill_id: int) -> DrillView:
        with self.desk.store.read() as conn:
            row = (
                conn.execute(select(emergency_drills).where(emergency_drills.c.id == drill_id))
                .mappings()
                .first()
            )
            if row is None:
                raise NotFound("drill", drill_id)
            links = conn.execute(
                select(emergency_drill_cases.c.case_id)
                .where(emergency_drill_cases.c.drill_id == drill_id)
                .order_by(emergency_drill_cases.c.case_id)
            ).scalars()
            case_ids = tuple(int(c) for c in links)
        return DrillView(
            id=int(row["id"]),
            scenario=row["scenario"],
            title=row["title"],
            speed=int(row["speed"]),
            started_at=row["started_at"],
            started_by=row["started_by"],
            ended_at=row["ended_at"],
            removed_at=row["removed_at"],
            case_ids=case_ids,
            stations=tuple(row["stations"] or ()),
            events=tuple(row["events"] or ()),
        )

    def _event(self, drill_id: int, what: str, at: datetime | None = None) -> None:
        at = at or self.desk.clock()
        with self.desk.store.write() as conn:
            row = conn.execute(
                select(emergency_drills.c.events).where(emergency_drills.c.id == drill_id)
            ).scalar_one()
            events = [*(row or []), {"at": at.isoformat(), "what": what}]
            conn.execute(
                update(emergency_drills)
                .where(emergency_drills.c.id == drill_id)
                .values(events=events, version=emergency_drills.c.version + 1)
            )

    def end(self, drill_id: int) -> DrillView:
        self._actor()
        now = self.desk.clock()
        self._event(drill_id, "演练结束", now)
        with self.desk.store.write() as conn:
            conn.execute(
                update(emergency_drills)
                .where(emergency_drills.c.id == drill_id, emergency_drills.c.ended_at.is_(None))
                .values(ended_at=now)
            )
        return self.get(drill_id)

    # ------------------------------------------------------------------ watching

    def exceedance(self, station: str, parameter: str, value: float | None) -> str | None:
        """The text of an exceedance of the section's target class, or None."""
        section = self.sections.get(station)
        if section is None or value is None or parameter not in WATCHED:
            return None
        try:
            grade = water.parameter_grade(parameter, value, section.waterbody)
        except ValueError:
            return None
        if grade <= section.target_class:
            return None
        shown = water.label(grade)
        target = water.label(section.target_class)
        return f"{section.name}（{station}）{parameter} {value:g}，{shown}，超过目标{target}"

    def observe(
        self,
        drill_id: int,
        observations: Iterable[tuple[str, str, datetime, float | None]],
    ) -> list[int]:
        """Feed observations (station, parameter, time, value) seen during the drill; returns
        the ids of emergencies opened. Each section/parameter is reported once per drill."""
        opened: list[int] = []
        with self._lock:
            drill = self.get(drill_id)
            if drill.ended_at is not None or drill.removed_at is not None:
                return opened
            seen = {e.get("key") for e in drill.events if e.get("key")}
            case_id = drill.case_ids[0] if drill.case_ids else None
            watched = set(drill.stations)
            for station, parameter, at, value in observations:
                if station not in watched:
                    continue
                text = self.exceedance(station, parameter, value)
                key = f"{station}/{parameter}"
                if text is None or key in seen:
                    continue
                seen.add(key)
                if case_id is None:
                    case_id = self._open_case(drill, station, text)
                    opened.append(case_id)
                self.em.log(
                    case_id,
                    f"【演练】{text}（监测时间{at.astimezone(UTC):%H:%M}Z）",
                    kind=LogKind.READING,
                    data={"drill": drill_id, "station": station, "parameter": parameter},
                )
                self._event_keyed(drill_id, f"超标：{text}", key)
        return opened

    def _event_keyed(self, drill_id: int, what: str, key: str) -> None:
        now = self.desk.clock()
        with self.desk.store.write() as conn:
            row = conn.execute(
                select(emergency_drills.c.events).where(emergency_drills.c.id == drill_id)
            ).scalar_one()
            events = [*(row or []), {"at": now.isoformat(), "what": what, "key": key}]
            conn.execute(
                update(emergency_drills)
                .where(emergency_drills.c.id == drill_id)
                .values(events=events, version=emergency_drills.c.version + 1)
            )

    def _open_case(self, drill: DrillView, station: str, text: str) -> int:
        section = self.sections[station]
        view = self.em.create(
            EmergencyDraft(
                title=f"【演练】{drill.title}：{section.name}断面超标",
                district=section.district,
                type=EmergencyType.WATER_POLLUTION,
                description=f"演练场景{drill.scenario}。{text}",
                lon=section.lon,
                lat=section.lat,
                exercise=True,
            )
        )
        case_id = view.case.id
        with self.desk.store.write() as conn:
            conn.execute(
                insert(emergency_drill_cases),
                {
                    "drill_id": drill.id,
                    "case_id": case_id,
                    "reference": view.case.reference,
                    "station": station,
                },
            )
        self._event(drill.id, f"开启演练事件{view.case.reference}（{section.name}）")
        self.em.activate_plan(case_id, DRILL_PLAN)  # logged on the case, read by the report
        return case_id

    # ------------------------------------------------------------------ report and removal

    def report(self, drill_id: int) -> DrillReport:
        """What happened when, and each response step's time against its target."""
        self._actor(Permission.READ)
        drill = self.get(drill_id)
        now = self.desk.clock()
        timeline_items: list[tuple[datetime, str]] = [
            (datetime.fromisoformat(e["at"]), str(e["what"])) for e in drill.events
        ]
        steps: list[StepTiming] = []
        for case_id in drill.case_ids:
            view = self.em.get(case_id)
            for entry in self.em.log_entries(case_id):
                if entry.kind is not LogKind.READING:  # readings are already drill events
                    timeline_items.append((entry.at, f"{view.case.reference} {entry.text}"))
            for act in view.activations:
                for s in act.steps:
                    took = s.step.took(act.activated_at)
                    status = s.status(now)
                    steps.append(
                        StepTiming(
                            view.case.reference,
                            act.plan_id,
                            s.step.title,
                            s.step.target_min,
                            None if took is None else took / timedelta(minutes=1),
                            status,
                            s.step.late(),
                        )
                    )
        timeline_items.sort(key=lambda x: x[0])
        return DrillReport(drill, tuple(timeline_items), tuple(steps))

    def remove(self, drill_id: int) -> DrillView:
        """Delete every case the drill produced, with their log, steps, decisions and CAP
        messages (shift leader). The drill row and its links stay, stamped removed, and the
        audit log records what was removed."""
        actor = self._actor(Permission.CLOSE)
        drill = self.get(drill_id)
        if drill.removed_at is not None:
            raise ValidationError(
                "drill", "error.drill_removed", "this drill was already removed", "该演练已删除"
            )
        now = self.desk.clock()
        ids = list(drill.case_ids)
        with self.desk.store.write() as conn:
            refs = [
                r
                for r in conn.execute(
                    select(cases.c.reference).where(cases.c.id.in_(ids))
                ).scalars()
            ]
            # Only exercise cases may go: a real case linked by mistake stops the removal.
            for row in conn.execute(select(cases.c.id, cases.c.details).where(cases.c.id.in_(ids))):
                detail = (row.details or {}).get("emergency") or {}
                if not detail.get("exercise"):
                    raise ValidationError(
                        "drill",
                        "error.drill_real_case",
                        f"case {row.id} is not an exercise; nothing removed",
                        "演练关联了非演练事项，未删除任何内容",
                    )
            if ids:
                conn.execute(
                    delete(emergency_plan_steps).where(emergency_plan_steps.c.case_id.in_(ids))
                )
                conn.execute(
                    delete(emergency_plan_activations).where(
                        emergency_plan_activations.c.case_id.in_(ids)
                    )
                )
                conn.execute(
                    delete(emergency_log_entries).where(emergency_log_entries.c.case_id.in_(ids))
                )
                conn.execute(
                    delete(emergency_level_decisions).where(
                        emergency_level_decisions.c.case_id.in_(ids)
                    )
                )
                conn.execute(delete(cap_messages).where(cap_messages.c.case_id.in_(ids)))
                conn.execute(
                    delete(emergency_monitoring_tasks).where(
                        emergency_monitoring_tasks.c.case_id.in_(ids)
                    )
                )
                conn.execute(delete(timeline).where(timeline.c.case_id.in_(ids)))
                conn.execute(delete(cases).where(cases.c.id.in_(ids)))
            conn.execute(
                update(emergency_drills)
                .where(emergency_drills.c.id == drill_id)
                .values(removed_at=now, removed_by=actor.username, ended_at=drill.ended_at or now)
            )
            append_audit(
                conn,
                now,
                actor.username,
                "drill.remove",
                "drill",
                drill_id,
                {"scenario": drill.scenario, "cases": refs},
            )
            for case_id in ids:
                record_change(conn, now, "case", case_id, 0, "delete", self.desk.origin)
        for case_id in ids:
            from dispatch_app.desk.events import Changed

            self.desk.events.publish(Changed("case", case_id, 0, "delete", local=True))
        return self.get(drill_id)


class DrillRunner:
    """Runs a drill end to end: the data service as a child process with ``--simulate
    --scenario NAME --speed X`` on its own database, /updates polled, observations fed to
    ``DrillDesk.observe``. ``run(seconds)`` blocks (call it from a worker thread)."""

    def __init__(
        self,
        drills: DrillDesk,
        scenario: str,
        speed: float,
        data_dir: Path,
        *,
        extra_args: tuple[str, ...] = (),
        on_opened: Callable[[int], None] | None = None,
    ) -> None:
        self.drills = drills
        self.scenario = scenario
        self.speed = speed
        self.service = EmbeddedDataService(
            data_dir / "drill-dataservice.db",
            simulate=True,
            backfill_hours=None,
            speed=speed,
            scenario=scenario,
            extra_args=extra_args,
            log_path=data_dir / "drill-dataservice.log",
            restart=False,
        )
        self.on_opened = on_opened
        self.drill: DrillView | None = None
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self, seconds: float, until: Callable[[], bool] | None = None) -> DrillView:
        """Play the drill for up to ``seconds`` of real time (or until ``until()``)."""
        self.drill = self.drills.start(self.scenario, self.speed)
        self.service.start()
        cursor = 0
        deadline = time.monotonic() + seconds
        try:
            url = self.service.url
            assert url is not None
            with DataServiceClient(url) as client:
                while time.monotonic() < deadline and not self._stop.is_set():
                    try:
                        page = client.updates(cursor)
                    except DataServiceError:
                        time.sleep(0.5)
                        continue
                    cursor = page.cursor
                    opened = self.drills.observe(
                        self.drill.id,
                        ((o.station, o.parameter, o.time, o.value) for o in page.items),
                    )
                    for case_id in opened:
                        if self.on_opened is not None:
                            self.on_opened(case_id)
                    if until is not None and until():
                        break
                    if not page.more:
                        time.sleep(0.3)
        finally:
            self.service.stop()
        return self.drills.end(self.drill.id)
