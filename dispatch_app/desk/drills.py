"""Drills (演练): a scenario from resources/scenarios played by the real data service's
simulator (``--simulate --scenario NAME --speed X``), watched by the desk, which opens exercise
emergencies the way the duty room would; then a report and, afterwards, removal as a whole.

Everything a drill produces is marked exercise: its emergencies carry ``exercise = True``
(CAP status Exercise, 【演练】 in every title the queue shows) and are linked to the drill in
``emergency_drill_cases``, so real figures never include them and ``remove`` deletes exactly
them (the audit log keeps the record that they existed and were removed).

What the drill watches depends on what its scenario does (``DrillScope``):

* spills and blooms: every water observation of the sections they reach is graded against
  GB 3838 (single factor); the first section to exceed its target class opens the drill's
  emergency (water pollution for a spill, algae bloom / 湖泛 for a bloom, with its plan
  activated and the reading logged); later exceedances elsewhere are logged on it as data
  readings, once per section and parameter;
* a heavy-pollution episode: the national and provincial air stations; the first exercise
  alarm of an AQI level (the alarm rules' own AQI judgement) opens an air-pollution emergency
  with the heavy-pollution-weather plan, later stations are logged on it;
* stations going offline: those stations; each silent-station exercise alarm opens a case
  from the alarm, as the duty officer would to send the maintainer.

With an `AlarmDesk`, the drill's observations also go through the alarm rules in an exercise
engine (``AlarmDesk.start_exercise``): its alarms carry the drill's tag (``drill-<id>``) and
【演练】, sit on the same panel as real ones, and go with the drill's removal, together with the
cases they opened. The data service runs as a child process, never in the desk.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update

from dispatch_app.desk.alarms import TOPIC as ALARM_TOPIC
from dispatch_app.desk.alarms import AlarmDesk, RoundResult
from dispatch_app.desk.emergencies import ALERT_DISTRICT, EmergencyDesk, EmergencyDraft
from dispatch_app.desk.events import Changed
from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.domain.alarm_rules import RuleType
from dispatch_app.domain.alarms import Alarm
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.emergencies import EmergencyType, LogKind
from dispatch_app.domain.emergency_plans import StepStatus
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.roles import Permission
from dispatch_app.feed.client import DataServiceClient, DataServiceError
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.network.registry import RegistryError, load_registry
from dispatch_app.network.scenarios import (
    OfflineEvent,
    ScenarioError,
    ScenarioTimeline,
    affected_stations,
    load_scenario,
    source_stations,
)
from dispatch_app.standards import water
from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.store import alarm_records
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

# The emergency a drill opens, and the plan it activates, by what its scenario does.
WATER_DRILL = {
    "spill": (EmergencyType.WATER_POLLUTION, "water_pollution"),
    "bloom": (EmergencyType.ALGAE_BLOOM, "algae_bloom"),
}
AIR_DRILL = (EmergencyType.AIR_POLLUTION, "heavy_pollution_weather")
# An episode is watched at the stations whose AQI the city reports (the aqi alarm rules' own).
EPISODE_KINDS = ("air_national", "air_provincial")
# Parameters a drill watches: the ones a spill or a bloom moves (GB 3838 classifies them).
WATCHED = frozenset({"CODMn", "COD", "NH3-N", "TP", "DO"})
MAX_SPEED = 3600


@dataclass(frozen=True)
class WaterSection:
    """A section of the registry (network.registry.Station) as grading needs it: a target
    class always, and a water body (a river unless the registry says otherwise)."""

    id: str
    name: str
    district: str
    lon: float
    lat: float
    target_class: int
    waterbody: str


def load_sections(path: Path | None = None) -> dict[str, WaterSection]:
    """The water sections of the registry with what grading needs."""
    registry = load_registry(path or default_resources_dir() / "stations.json")
    return {
        s.id: WaterSection(
            s.id, s.name, s.district, s.lon, s.lat, s.target_class, s.waterbody or "river"
        )
        for s in registry
        if s.is_water and s.target_class
    }


@dataclass(frozen=True)
class DrillScope:
    """What a scenario does, as a drill needs it: its title, what kinds of event it has, and
    the stations it reaches (the drill watches those only: elsewhere the simulated network has
    its everyday exceedances and alarms, which are not the drill's)."""

    title: str
    kinds: frozenset[str]
    water: tuple[str, ...]  # sections its spills and blooms reach
    air: tuple[str, ...]  # stations an episode is watched at
    offline: tuple[str, ...]  # stations it takes offline
    # Where its spills and blooms happen: only an exceedance there opens the drill's emergency.
    # Downstream sections are logged on it once it is open, never open it: the simulated
    # network's everyday exceedance at one of them must not pose as the drill's.
    sources: tuple[str, ...] = ()

    @property
    def stations(self) -> tuple[str, ...]:
        return tuple(sorted({*self.water, *self.air, *self.offline}))

    @property
    def water_drill(self) -> tuple[EmergencyType, str]:
        """The water emergency and plan: a spill's when it has one, else a bloom's."""
        return WATER_DRILL["spill" if "spill" in self.kinds else "bloom"]


def scenario_scope(name: str, resources_dir: Path | None = None) -> DrillScope:
    """The scenario's scope (see ``DrillScope``). A clear error when the scenario does not
    exist or is malformed."""
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
    kinds = frozenset(e.kind for e in scenario.events)
    # The start time does not change which sections a scenario reaches.
    timeline = ScenarioTimeline(scenario, registry, 0.0)
    water = tuple(affected_stations(timeline))
    sources = tuple(source_stations(timeline))
    air = (
        tuple(s.id for kind in EPISODE_KINDS for s in registry.by_kind(kind))
        if "episode" in kinds
        else ()
    )
    offline = tuple(
        sorted({sid for e in scenario.events if isinstance(e, OfflineEvent) for sid in e.stations})
    )
    return DrillScope(str(title), kinds, water, air, offline, sources)


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
    alarms: tuple[Alarm, ...] = ()  # the drill's exercise alarms

    @property
    def acknowledged_min(self) -> tuple[float, ...]:
        """Minutes from each exercise alarm's raising to its acknowledgement (those acked)."""
        return tuple(
            (a.acknowledged_at - a.raised_at) / timedelta(minutes=1)
            for a in self.alarms
            if a.acknowledged_at is not None
        )

    @property
    def on_time(self) -> int:
        return sum(1 for s in self.steps if s.status is StepStatus.DONE and not s.late)

    @property
    def late(self) -> int:
        return sum(1 for s in self.steps if s.late or s.status is StepStatus.OVERDUE)

    def text(self) -> str:
        lines = [f"演练报告：{self.drill.title}（{self.drill.scenario}，{self.drill.speed}倍速）"]
        lines += [
            f"{t.astimezone(CENTER_TZ):%Y-%m-%d %H:%M:%S}  {what}" for t, what in self.timeline
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
        if self.alarms:
            acked = self.acknowledged_min
            mean = f"，平均确认用时{sum(acked) / len(acked):.1f}分钟" if acked else ""
            lines.append(f"演练告警{len(self.alarms)}条，已确认{len(acked)}条{mean}")
        return "\n".join(lines)


class DrillDesk:
    """Drill use cases on an `EmergencyDesk`. Synchronous; run calls in an executor."""

    def __init__(
        self,
        emergencies: EmergencyDesk,
        sections: dict[str, WaterSection] | None = None,
        resources_dir: Path | None = None,
        alarms: AlarmDesk | None = None,
    ) -> None:
        self.em = emergencies
        self.desk = emergencies.desk
        self.sections = sections if sections is not None else load_sections()
        self.resources_dir = resources_dir
        self.alarms = alarms
        self._scopes: dict[str, DrillScope] = {}
        self._lock = threading.Lock()  # observe() from a watcher thread and the UI thread

    @staticmethod
    def tag(drill_id: int) -> str:
        """The drill's exercise tag: its alarms' keys start with it."""
        return f"drill-{drill_id}"

    def scope(self, scenario: str) -> DrillScope:
        if scenario not in self._scopes:
            self._scopes[scenario] = scenario_scope(scenario, self.resources_dir)
        return self._scopes[scenario]

    # ------------------------------------------------------------------ lifecycle

    def start(self, scenario: str, speed: float) -> DrillView:
        actor = self.desk.context.actor(Permission.WORK_CASES)
        if not 1 <= speed <= MAX_SPEED:
            raise ValidationError(
                "speed",
                "error.drill_speed",
                f"speed must be 1..{MAX_SPEED}, got {speed}",
                f"演练倍速须在1到{MAX_SPEED}之间",
            )
        scope = self.scope(scenario)
        title, stations = scope.title, scope.stations
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

    def _event(
        self, drill_id: int, what: str, at: datetime | None = None, key: str | None = None
    ) -> None:
        """Append to the drill's events; ``key`` marks what may be reported once per drill."""
        at = at or self.desk.clock()
        event = {"at": at.isoformat(), "what": what, **({"key": key} if key else {})}
        with self.desk.store.write() as conn:
            row = conn.execute(
                select(emergency_drills.c.events).where(emergency_drills.c.id == drill_id)
            ).scalar_one()
            events = [*(row or []), event]
            conn.execute(
                update(emergency_drills)
                .where(emergency_drills.c.id == drill_id)
                .values(events=events, version=emergency_drills.c.version + 1)
            )

    def end(self, drill_id: int) -> DrillView:
        self.desk.context.actor(Permission.WORK_CASES)
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
            case_id = self._emergency_of(drill)
            scope = self.scope(drill.scenario)
            watched, sources = set(scope.water), set(scope.sources)
            for station, parameter, at, value in observations:
                if station not in watched or (case_id is None and station not in sources):
                    continue
                text = self.exceedance(station, parameter, value)
                key = f"{station}/{parameter}"
                if text is None or key in seen:
                    continue
                seen.add(key)
                if case_id is None:
                    case_id = self._open_water_emergency(drill, station, text)
                    opened.append(case_id)
                self.em.log(
                    case_id,
                    f"【演练】{text}（监测时间{at.astimezone(UTC):%H:%M}Z）",
                    kind=LogKind.READING,
                    data={"drill": drill_id, "station": station, "parameter": parameter},
                )
                self._event(drill_id, f"超标：{text}", key=key)
        return opened

    def _emergency_of(self, drill: DrillView) -> int | None:
        """The drill's emergency (its other cases are those its alarms opened)."""
        if not drill.case_ids:
            return None
        with self.desk.store.read() as conn:
            found = conn.execute(
                select(cases.c.id)
                .where(cases.c.id.in_(drill.case_ids), cases.c.kind == CaseKind.EMERGENCY.value)
                .order_by(cases.c.id)
                .limit(1)
            ).scalar()
        return None if found is None else int(found)

    def _link(self, drill_id: int, case_id: int, reference: str, station: str | None) -> None:
        with self.desk.store.write() as conn:
            known = conn.execute(
                select(emergency_drill_cases.c.case_id).where(
                    emergency_drill_cases.c.drill_id == drill_id,
                    emergency_drill_cases.c.case_id == case_id,
                )
            ).first()
            if known is None:
                conn.execute(
                    insert(emergency_drill_cases),
                    {
                        "drill_id": drill_id,
                        "case_id": case_id,
                        "reference": reference,
                        "station": station,
                    },
                )

    def _open_water_emergency(self, drill: DrillView, station: str, text: str) -> int:
        section = self.sections[station]
        kind, plan = self.scope(drill.scenario).water_drill
        return self._open_emergency(
            drill,
            EmergencyDraft(
                title=f"【演练】{drill.title}：{section.name}断面超标",
                district=section.district,
                type=kind,
                description=f"演练场景{drill.scenario}。{text}",
                lon=section.lon,
                lat=section.lat,
                exercise=True,
            ),
            plan,
            station,
            section.name,
        )

    def _open_emergency(
        self, drill: DrillView, draft: EmergencyDraft, plan: str, station: str, where: str
    ) -> int:
        view = self.em.create(draft)
        case_id = view.case.id
        self._link(drill.id, case_id, view.case.reference, station)
        self._event(drill.id, f"开启演练事件{view.case.reference}（{where}）")
        self.em.activate_plan(case_id, plan)  # logged on the case, read by the report
        return case_id

    # ------------------------------------------------------------------ the drill's alarms

    def on_alarms(self, drill_id: int, result: RoundResult) -> list[int]:
        """What a round of the drill's exercise alarms means for the drill: each raising is a
        drill event; cases the alarms opened join the drill; an AQI alarm in an episode opens
        (or adds a reading to) the air-pollution emergency; a silent station in an offline
        drill gets a case opened from its alarm. Returns the ids of cases opened."""
        opened: list[int] = []
        alarms = self.alarms
        if alarms is None:
            return opened
        tag = self.tag(drill_id)
        raised = [
            c.after for c in result.written if c.after.exercise == tag and c.kind.value == "raised"
        ]
        with self._lock:
            drill = self.get(drill_id)
            if drill.removed_at is not None:
                return opened
            scope = self.scope(drill.scenario)
            # The round judged only the drill's data: every case it opened is the drill's.
            for case_id in result.opened_cases:
                self._link(drill_id, case_id, self.desk.get_case(case_id).reference, None)
                opened.append(case_id)
            for alarm in raised:
                self._event(drill_id, f"告警：{alarm.message_zh}")
                rule = alarms.rule(alarm.rule_id)
                kind = rule.type if rule is not None else None
                if kind is RuleType.AQI_LEVEL and alarm.station_id in scope.air:
                    new_case = self._air_reading(drill.id, alarm)
                    if new_case is not None:
                        opened.append(new_case)
                elif kind is RuleType.SILENT and alarm.station_id in scope.offline:
                    view = alarms.open_case(alarm.key)
                    self._link(drill_id, view.id, view.reference, alarm.station_id)
                    self._event(drill_id, f"开启演练事项{view.reference}（{view.title}）")
                    opened.append(view.id)
        return opened

    def _air_reading(self, drill_id: int, alarm: Alarm) -> int | None:
        """The episode's emergency opened at the first AQI alarm, the reading logged on it."""
        assert self.alarms is not None
        place = self.alarms.station(alarm.station_id)
        name = place.name if place is not None else alarm.station_id
        drill = self.get(drill_id)  # fresh: an earlier alarm of this round may have opened it
        case_id = self._emergency_of(drill)
        opened = None
        if case_id is None:
            opened = case_id = self._open_emergency(
                drill,
                EmergencyDraft(
                    title=f"【演练】{drill.title}：{name}空气质量超标",
                    district=(place.district if place is not None else None) or ALERT_DISTRICT,
                    type=AIR_DRILL[0],
                    description=f"演练场景{drill.scenario}。{alarm.message_zh}",
                    lon=place.lon if place is not None else None,
                    lat=place.lat if place is not None else None,
                    exercise=True,
                ),
                AIR_DRILL[1],
                alarm.station_id,
                name,
            )
        self.em.log(
            case_id,
            alarm.message_zh,
            kind=LogKind.READING,
            data={"drill": drill.id, "station": alarm.station_id, "alarm": alarm.key},
        )
        return opened

    # ------------------------------------------------------------------ report and removal

    def report(self, drill_id: int) -> DrillReport:
        """What happened when, and each response step's time against its target."""
        self.desk.context.actor(Permission.READ)
        drill = self.get(drill_id)
        now = self.desk.clock()
        timeline_items: list[tuple[datetime, str]] = [
            (datetime.fromisoformat(e["at"]), str(e["what"])) for e in drill.events
        ]
        steps: list[StepTiming] = []
        for case_id in drill.case_ids:
            try:
                view = self.em.get(case_id)
            except ValidationError:
                continue  # a case its alarms opened, not an emergency: already a drill event
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
        alarms = tuple(self.alarms.exercise_alarms(self.tag(drill_id))) if self.alarms else ()
        return DrillReport(drill, tuple(timeline_items), tuple(steps), alarms)

    def remove(self, drill_id: int) -> DrillView:
        """Delete every alarm and case the drill produced, the cases with their log, steps,
        decisions and CAP messages (shift leader). The drill row and its links stay, stamped
        removed, and the audit log records what was removed."""
        actor = self.desk.context.actor(Permission.CLOSE)
        drill = self.get(drill_id)
        if drill.removed_at is not None:
            raise ValidationError(
                "drill", "error.drill_removed", "this drill was already removed", "该演练已删除"
            )
        now = self.desk.clock()
        tag = self.tag(drill_id)
        with self.desk.store.write() as conn:
            alarm_rows = alarm_records.exercise_alarms(conn, tag)
            alarm_ids = [int(r["id"]) for r in alarm_rows]
            ids = sorted(
                {*drill.case_ids, *(int(r["case_id"]) for r in alarm_rows if r["case_id"])}
            )
            refs = [
                r
                for r in conn.execute(
                    select(cases.c.reference).where(cases.c.id.in_(ids))
                ).scalars()
            ]
            # Only exercise cases may go: a real case linked by mistake stops the removal.
            for row in conn.execute(select(cases.c.id, cases.c.details).where(cases.c.id.in_(ids))):
                detail = (row.details or {}).get("emergency") or {}
                if not (detail.get("exercise") or (row.details or {}).get("exercise")):
                    raise ValidationError(
                        "drill",
                        "error.drill_real_case",
                        f"case {row.id} is not an exercise; nothing removed",
                        "演练关联了非演练事项，未删除任何内容",
                    )
            # The alarms first: they point at their cases.
            alarm_records.delete_alarms(conn, alarm_ids)
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
                {
                    "scenario": drill.scenario,
                    "cases": refs,
                    "alarms": [str(r["key"]) for r in alarm_rows],
                },
            )
            for case_id in ids:
                record_change(conn, now, "case", case_id, 0, "delete", self.desk.origin)
            for alarm_id in alarm_ids:
                record_change(conn, now, ALARM_TOPIC, alarm_id, 0, "delete", self.desk.origin)
        if self.alarms is not None:
            self.alarms.forget_exercise(tag)
        for case_id in ids:
            self.desk.events.publish(Changed("case", case_id, 0, "delete", local=True))
        return self.get(drill_id)


class DrillRunner:
    """Runs a drill end to end: the data service as a child process with ``--simulate
    --scenario NAME --speed X`` on its own database, /updates polled, observations fed to
    ``DrillDesk.observe`` and, when the drill desk has an `AlarmDesk`, to its exercise engine
    (evaluated about once a second). ``run(seconds)`` blocks (call it from a worker thread)."""

    ALARM_ROUND_S = 1.0

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
        drill = self.drill = self.drills.start(self.scenario, self.speed)
        alarms = self.drills.alarms
        self.service.start()
        cursor = 0
        deadline = time.monotonic() + seconds
        next_round = time.monotonic() + self.ALARM_ROUND_S
        judging = False
        try:
            url = self.service.url
            assert url is not None
            with DataServiceClient(url) as client:
                if alarms is not None:
                    watched = set(drill.stations)
                    stations = [s for s in self._stations(client) if s.id in watched]
                    alarms.start_exercise(self.drills.tag(drill.id), stations)
                    judging = True
                while time.monotonic() < deadline and not self._stop.is_set():
                    try:
                        page = client.updates(cursor)
                    except DataServiceError:
                        time.sleep(0.5)
                        continue
                    cursor = page.cursor
                    opened = self.drills.observe(
                        drill.id,
                        ((o.station, o.parameter, o.time, o.value) for o in page.items),
                    )
                    if alarms is not None:
                        alarms.feed_exercise(page.items)
                        if time.monotonic() >= next_round:
                            next_round = time.monotonic() + self.ALARM_ROUND_S
                            opened += self.drills.on_alarms(drill.id, alarms.evaluate_exercise())
                    for case_id in opened:
                        if self.on_opened is not None:
                            self.on_opened(case_id)
                    if until is not None and until():
                        break
                    if not page.more:
                        time.sleep(0.3)
        finally:
            self.service.stop()
            if judging and alarms is not None:
                alarms.end_exercise()
        return self.drills.end(drill.id)

    def _stations(self, client: DataServiceClient) -> list[Any]:
        """The drill service's registry (retried: the child may still be starting)."""
        for _ in range(20):
            try:
                return list(client.stations())
            except DataServiceError:
                if self._stop.wait(0.5):
                    break
        raise DataServiceError("the drill's data service gave no station registry")
