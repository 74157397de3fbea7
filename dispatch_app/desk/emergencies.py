"""Emergency use cases (突发环境事件): open an emergency, report figures, decide its level,
activate response plans and work their checklists, keep the coordination log, issue and
change the city-wide heavy-pollution weather alert, exchange CAP 1.2 messages.

Built beside the foundation's `Desk` on the same store, in the same discipline as the
petitions part: every write is one transaction holding the change, its case timeline entry,
its audit entry and its change-feed row, published on ``desk.events`` after commit. Rules are
in dispatch_app.domain (emergencies, emergency_plans, heavy_pollution, cap,
emergency_stations); this module reads the resource files and the database.

A drill's emergencies carry ``exercise = True`` in their detail; they export as CAP status
Exercise and are counted apart (``EmergencyView.exercise``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import xmlschema
from sqlalchemy import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from dispatch_app.desk.conflicts import stale_case, update_case
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.events import Changed
from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.desk.views import CaseView, UserView
from dispatch_app.domain import cap
from dispatch_app.domain.cap_distribution import (
    CapChoices,
    CapProblem,
    CapSettings,
    CapSettingsError,
    Recipient,
    apply_choices,
    message_problems,
    parse_cap_settings,
)
from dispatch_app.domain.cases import (
    CaseDraft,
    CaseKind,
    CaseSource,
    EmergencyLevel,
    Priority,
    Status,
    validate_draft,
)
from dispatch_app.domain.districts import District
from dispatch_app.domain.emergencies import (
    DETAIL_KEY,
    LEVEL_KEY,
    LEVEL_ZH,
    Area,
    EmergencyDetail,
    EmergencyType,
    Figures,
    LevelProposal,
    LogKind,
    ResponseLead,
    decide_level,
    detail_from_json,
    emergency_type,
    figures_text_zh,
    parse_log_line,
    propose_level,
    response_lead,
    validate_figures,
    validate_log_text,
    validate_station_ids,
    validate_wind,
)
from dispatch_app.domain.emergency_monitoring import (
    MonitoringTask,
    TaskStatus,
    validate_sample,
    validate_task,
)
from dispatch_app.domain.emergency_plans import (
    ChecklistStep,
    PlanError,
    ResponsePlan,
    StepState,
    StepStatus,
    activate,
    check_finish,
    parse_plan,
    plans_for,
)
from dispatch_app.domain.emergency_stations import (
    AffectedStation,
    StationPoint,
    downstream_stations,
    downwind_stations,
)
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.domain.heavy_pollution import (
    AlertAssessment,
    AlertLevel,
    AlertRules,
    AlertRulesError,
    ForecastDay,
    Transition,
    alert_rules_from_toml,
    assess_forecast,
    transition,
    validate_forecast,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.network.registry import RegistryError, load_registry
from dispatch_app.store import case_records, emergency_records
from dispatch_app.store.audit_records import append_audit
from dispatch_app.store.change_feed import record_change
from dispatch_app.store.errors import ConflictError
from dispatch_app.store.queue import OPEN_STATUSES

ALERT_PLAN = "heavy_pollution_weather"
# A city-wide alert's case needs a district; it is filed under the one of the municipal
# government (新北区) — the alert itself covers the whole city (CAP area 常州市, 320400).
ALERT_DISTRICT = District.XINBEI
# Log entries may be dated back (a call taken before it was typed) but not into the future;
# a minute of slack covers workstation clocks a little ahead of the database's.
LOG_FUTURE_SLACK = timedelta(minutes=1)
_MSG_ZH = {cap.MsgType.ALERT: "发布", cap.MsgType.UPDATE: "更新", cap.MsgType.CANCEL: "撤销"}


class EmergencyResourcesError(ValueError):
    """A plan, rules, schema or registry file is missing or malformed; the message names it."""


@dataclass(frozen=True)
class EmergencyResources:
    plans: Mapping[str, ResponsePlan]
    alert_rules: AlertRules
    cap_schema: xmlschema.XMLSchema11
    stations: tuple[StationPoint, ...]
    station_names: Mapping[str, str]
    station_parameters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parameter_units: Mapping[tuple[str, str], str] = field(default_factory=dict)
    cap_settings: CapSettings = field(default_factory=CapSettings)


def _stations(
    path: Path,
) -> tuple[
    tuple[StationPoint, ...],
    dict[str, str],
    dict[str, tuple[str, ...]],
    dict[tuple[str, str], str],
]:
    if not path.is_file():
        raise EmergencyResourcesError(f"station registry {path} not found")
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        raise EmergencyResourcesError(str(exc)) from None
    points = tuple(StationPoint.of(s) for s in registry)
    names = {s.id: s.name for s in registry}
    params = {s.id: tuple(p.key for p in s.parameters) for s in registry}
    units = {(s.id, p.key): p.unit for s in registry for p in s.parameters}
    return points, names, params, units


def load_emergency_resources(
    resources_dir: Path | None = None, unit_ids: list[str] | None = None
) -> EmergencyResources:
    """Read resources/plans/*.toml, rules/heavy_pollution.toml, rules/cap.toml,
    cap/CAP-v1.2.xsd and stations.json, with errors naming the file (and the step or key)."""
    root = resources_dir or default_resources_dir()
    plans: dict[str, ResponsePlan] = {}
    plan_files = sorted((root / "plans").glob("*.toml"))
    if not plan_files:
        raise EmergencyResourcesError(f"no response plans in {root / 'plans'}")
    for path in plan_files:
        try:
            plan = parse_plan(path.read_text(encoding="utf-8"), str(path), unit_ids)
        except (PlanError, UnicodeDecodeError) as exc:
            raise EmergencyResourcesError(str(exc)) from None
        if plan.id in plans:
            raise EmergencyResourcesError(f"{path}: plan id {plan.id!r} is used twice")
        plans[plan.id] = plan
    rules_path = root / "rules" / "heavy_pollution.toml"
    try:
        rules = alert_rules_from_toml(rules_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EmergencyResourcesError(f"alert rules {rules_path} not found") from None
    except AlertRulesError as exc:
        raise EmergencyResourcesError(f"{rules_path}: {exc}") from None
    xsd = root / "cap" / "CAP-v1.2.xsd"
    try:
        schema = xmlschema.XMLSchema11(str(xsd))
    except (OSError, xmlschema.XMLSchemaException) as exc:
        raise EmergencyResourcesError(f"CAP schema {xsd} cannot be loaded: {exc}") from None
    cap_path = root / "rules" / "cap.toml"
    try:
        settings = parse_cap_settings(
            cap_path.read_text(encoding="utf-8"), frozenset(d.value for d in District)
        )
    except FileNotFoundError:
        raise EmergencyResourcesError(f"CAP recipients {cap_path} not found") from None
    except (CapSettingsError, UnicodeDecodeError) as exc:
        raise EmergencyResourcesError(f"{cap_path}: {exc}") from None
    points, names, params, units = _stations(root / "stations.json")
    return EmergencyResources(plans, rules, schema, points, names, params, units, settings)


# --- views ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelDecisionView:
    level: EmergencyLevel
    proposed: EmergencyLevel
    previous: EmergencyLevel | None
    actor: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class StepView:
    """One checklist step; ``status(now)`` and ``remaining(now)`` drive the live timers."""

    id: int
    activation_id: int
    step: ChecklistStep

    @property
    def version(self) -> int:
        return self.step.version

    def status(self, now: datetime) -> StepStatus:
        return self.step.status(now)

    def remaining(self, now: datetime) -> timedelta:
        return self.step.remaining(now)


@dataclass(frozen=True)
class ActivationView:
    id: int
    plan_id: str
    plan_title: str
    activated_at: datetime
    activated_by: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class LogEntryView:
    id: int
    case_id: int
    at: datetime
    recorded_at: datetime
    author: str
    kind: LogKind
    text: str
    data: dict[str, Any] | None = None


@dataclass(frozen=True)
class MonitoringTaskView:
    """An emergency monitoring task; ``status(now)`` and ``task.next_due_at`` for timers."""

    id: int
    case_id: int
    task: MonitoringTask
    assigned_by: str
    version: int

    def status(self, now: datetime) -> TaskStatus:
        return self.task.status(now)


@dataclass(frozen=True)
class EmergencyView:
    case: CaseView
    detail: EmergencyDetail
    level: EmergencyLevel | None  # decided by a shift leader; None until then
    proposal: LevelProposal  # what the figures call for now
    decisions: tuple[LevelDecisionView, ...]
    activations: tuple[ActivationView, ...]
    tasks: tuple[MonitoringTaskView, ...] = ()

    @property
    def lead(self) -> ResponseLead:
        return response_lead(self.level or self.proposal.level)

    @property
    def exercise(self) -> bool:
        return self.detail.exercise

    @property
    def level_differs_from_proposal(self) -> bool:
        return self.level is not None and self.level is not self.proposal.level


@dataclass(frozen=True)
class AlertView:
    """The city-wide heavy-pollution alert after transition ``seq``."""

    seq: int
    level: AlertLevel | None  # None: no alert in force
    transition: Transition
    previous: AlertLevel | None
    at: datetime
    actor: str
    reason: str
    case_id: int | None
    exercise: bool
    forecast: tuple[ForecastDay, ...] = ()


@dataclass(frozen=True)
class SentTo:
    """A recipient as it was when the message went (names and addresses may change later)."""

    id: str
    name: str
    address: str
    channel: str


@dataclass(frozen=True)
class CapRecord:
    id: int
    direction: str  # sent | received
    identifier: str
    sender: str
    sent_at: datetime
    msg_type: str
    status: str
    reference_key: str
    case_id: int | None
    alert_seq: int | None
    xml: str
    references: tuple[str, ...] = ()
    recipients: tuple[SentTo, ...] = ()
    scope: str | None = None
    recorded_at: datetime | None = None
    recorded_by: str = ""


@dataclass(frozen=True)
class CapDraft:
    """A message ready for the officer's preview, before their choices.

    ``message`` is built as it would go now; `apply` puts the officer's recipients, scope,
    instruction and note in, as `EmergencyDesk.send_cap` does when it sends. ``based_on`` is
    the newest message sent in the chain when the draft was made: if another workstation
    sends in between, the send is refused instead of racing it.
    """

    case_id: int | None
    message: cap.CapMessage
    recipients: tuple[Recipient, ...]  # every configured recipient, in the file's order
    preselected: tuple[str, ...]
    scope: str
    restriction: str
    instruction: str
    based_on: str | None
    earlier: tuple[CapRecord, ...]  # the messages ``references`` points at
    problems: tuple[CapProblem, ...]  # of the message with the default choices

    def choices(
        self,
        recipient_ids: tuple[str, ...] | None = None,
        *,
        scope: str | None = None,
        instruction: str | None = None,
        note: str = "",
    ) -> CapChoices:
        ids = self.preselected if recipient_ids is None else recipient_ids
        return CapChoices(
            tuple(r for r in self.recipients if r.id in ids),
            scope or self.scope,
            self.instruction if instruction is None else instruction,
            note,
        )

    def apply(self, choices: CapChoices) -> cap.CapMessage:
        return apply_choices(self.message, choices, self.restriction)


@dataclass
class CapImportResult:
    record: CapRecord
    action: str  # created | updated | cancelled | duplicate
    case_id: int | None
    problems: list[str] = field(default_factory=list)


class CapRefused(ValidationError):
    """A message the desk would send fails a check; nothing was sent or stored."""

    def __init__(self, problems: list[CapProblem]) -> None:
        super().__init__(
            "cap",
            "error.cap_refused",
            "CAP message not sent, it fails the checks: "
            + "; ".join(p.text("en") for p in problems),
            "CAP消息未发送，未通过校验：" + "；".join(p.text("zh") for p in problems),
            problems=[p.text("en") for p in problems],
        )
        self.problems = problems


class CapConflict(ValidationError):
    """Another workstation sent a message in this chain since the preview was made."""

    def __init__(self, identifier: str) -> None:
        super().__init__(
            "cap",
            "error.cap_conflict",
            f"CAP message {identifier} was sent from another workstation in the meantime; "
            "nothing was sent. Look at it and preview again.",
            f"其他席位刚刚发送了CAP消息{identifier}，本消息未发送。请查看后重新预览。",
            identifier=identifier,
        )


class CapRejected(ValidationError):
    """A received CAP message is refused; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            "cap",
            "error.cap_invalid",
            "CAP message refused: " + "; ".join(problems),
            "CAP消息无效：" + "；".join(problems),
            problems=problems,
        )
        self.problems = problems


class AlertConflict(ConflictError):
    """Another desk changed the alert since this one read it; nothing was written."""

    def __init__(self, your_seq: int, current: AlertView | None) -> None:
        super().__init__(
            "alert",
            0,
            your_version=your_seq,
            their_version=current.seq if current else 0,
            theirs={"level": current.level.value if current and current.level else None},
            yours={},
        )
        self.current = current


@dataclass(frozen=True)
class EmergencyDraft:
    title: str
    district: District | str
    type: EmergencyType | str
    description: str = ""
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    area: Area | None = None
    figures: Figures = field(default_factory=Figures)
    wind_from_deg: float | None = None
    priority: Priority = Priority.P1
    source: CaseSource = CaseSource.OTHER
    exercise: bool = False
    affected_stations: tuple[str, ...] | None = None  # None: proposed from the registry


def _step_from_row(row: Mapping[Any, Any]) -> StepView:
    return StepView(
        id=int(row["id"]),
        activation_id=int(row["activation_id"]),
        step=ChecklistStep(
            key=row["step_key"],
            position=int(row["position"]),
            title=row["title"],
            title_en=row["title_en"],
            owner_unit=row["owner_unit"],
            target_min=int(row["target_min"]),
            due_at=row["due_at"],
            state=StepState(row["state"]),
            finished_at=row["finished_at"],
            finished_by=row["finished_by"],
            skip_reason=row["skip_reason"],
            version=int(row["version"]),
        ),
    )


def _task_from_row(row: Mapping[Any, Any]) -> MonitoringTaskView:
    return MonitoringTaskView(
        id=int(row["id"]),
        case_id=int(row["case_id"]),
        task=MonitoringTask(
            station=row["station"],
            parameters=tuple(row["parameters"]),
            interval_min=int(row["interval_min"]),
            unit_id=row["unit_id"],
            assigned_at=row["assigned_at"],
            last_sample_at=row["last_sample_at"],
            samples=int(row["samples"]),
            ended_at=row["ended_at"],
            end_reason=row["end_reason"],
        ),
        assigned_by=row["assigned_by"],
        version=int(row["version"]),
    )


def _log_from_row(row: Mapping[Any, Any]) -> LogEntryView:
    return LogEntryView(
        id=int(row["id"]),
        case_id=int(row["case_id"]),
        at=row["at"],
        recorded_at=row["recorded_at"],
        author=row["author"],
        kind=LogKind(row["entry_kind"]),
        text=row["text"],
        data=row["data"],
    )


def _alert_from_row(row: Mapping[Any, Any]) -> AlertView:
    forecast = tuple(ForecastDay(date.fromisoformat(d), int(v)) for d, v in (row["forecast"] or []))
    return AlertView(
        seq=int(row["seq"]),
        level=AlertLevel(row["to_level"]) if row["to_level"] else None,
        transition=Transition(row["transition"]),
        previous=AlertLevel(row["from_level"]) if row["from_level"] else None,
        at=row["at"],
        actor=row["actor"],
        reason=row["reason"],
        case_id=row["case_id"],
        exercise=bool(row["exercise"]),
        forecast=forecast,
    )


def _cap_from_row(row: Mapping[Any, Any]) -> CapRecord:
    return CapRecord(
        references=tuple((row["refs"] or "").split()),
        recipients=tuple(
            SentTo(str(r["id"]), str(r["name"]), str(r["address"]), str(r.get("channel", "")))
            for r in row["recipients"] or ()
        ),
        scope=row["scope"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
        id=int(row["id"]),
        direction=row["direction"],
        identifier=row["identifier"],
        sender=row["sender"],
        sent_at=row["sent_at"],
        msg_type=row["msg_type"],
        status=row["status"],
        reference_key=row["reference_key"],
        case_id=row["case_id"],
        alert_seq=row["alert_seq"],
        xml=row["xml"],
    )


class EmergencyDesk:
    """Emergency use cases on a logged-in `Desk`. Synchronous; run calls in an executor."""

    def __init__(
        self, desk: Desk, resources: EmergencyResources, cap_sender: str = cap.SENDER
    ) -> None:
        self.desk = desk
        self.resources = resources
        self.cap_sender = cap_sender

    @classmethod
    def open(cls, desk: Desk, resources_dir: Path | None = None) -> EmergencyDesk:
        unit_ids = [u.id for u in desk.unit_registry.units]
        return cls(desk, load_emergency_resources(resources_dir, unit_ids))

    @property
    def plans(self) -> Mapping[str, ResponsePlan]:
        return self.resources.plans

    def plans_for(self, kind: EmergencyType) -> list[ResponsePlan]:
        return plans_for(self.resources.plans.values(), kind)

    def station_name(self, station_id: str) -> str:
        return self.resources.station_names.get(station_id, station_id)

    # ------------------------------------------------------------------ helpers

    def _now(self) -> datetime:
        return self.desk.clock()

    @staticmethod
    def _require_emergency(row: Mapping[Any, Any]) -> EmergencyDetail:
        if row["kind"] != CaseKind.EMERGENCY.value:
            raise ValidationError(
                "case",
                "error.not_an_emergency",
                f"case {row['reference']} is not an emergency",
                f"事项{row['reference']}不是突发环境事件",
            )
        raw = (row["details"] or {}).get(DETAIL_KEY)
        if raw is None:  # an emergency opened from the generic case form: type unknown yet
            return EmergencyDetail(EmergencyType.OTHER)
        return detail_from_json(raw)

    @staticmethod
    def _require_open(row: Mapping[Any, Any]) -> None:
        if row["status"] not in OPEN_STATUSES:
            raise IllegalTransition(
                "error.case_not_open",
                f"case {row['reference']} is {row['status']}; reopen it first",
                f"事项{row['reference']}已结束，请先重新打开",
                status=row["status"],
            )

    def _publish(self, case_id: int, version: int, action: str) -> None:
        self.desk.events.publish(Changed("case", case_id, version, action, local=True))

    def _system_log(
        self, conn: Connection, case_id: int, now: datetime, actor: str, text: str, data: Any
    ) -> None:
        emergency_records.add_log_entry(
            conn,
            {
                "case_id": case_id,
                "at": now,
                "recorded_at": now,
                "author": actor,
                "entry_kind": LogKind.SYSTEM.value,
                "text": text,
                "data": data,
            },
        )

    def _insert_case(
        self, conn: Connection, draft: CaseDraft, actor: UserView, now: datetime
    ) -> int:
        """A new case inside the caller's transaction (as `Desk.create_case` writes it)."""
        case_id, _ = self.desk.insert_case(conn, validate_draft(draft), actor.username, now)
        return case_id

    def _view(self, conn: Connection, case_id: int) -> EmergencyView:
        row = case_records.get_case(conn, case_id)
        detail = self._require_emergency(row)
        level_raw = (row["details"] or {}).get(LEVEL_KEY)
        steps = emergency_records.steps_for_case(conn, case_id)
        activations = tuple(
            ActivationView(
                id=int(a["id"]),
                plan_id=a["plan_id"],
                plan_title=a["plan_title"],
                activated_at=a["activated_at"],
                activated_by=a["activated_by"],
                steps=tuple(_step_from_row(s) for s in steps if s["activation_id"] == a["id"]),
            )
            for a in emergency_records.activations(conn, case_id)
        )
        decisions = tuple(
            LevelDecisionView(
                EmergencyLevel(d["level"]),
                EmergencyLevel(d["proposed"]),
                EmergencyLevel(d["previous"]) if d["previous"] else None,
                d["actor"],
                d["reason"],
                d["at"],
            )
            for d in emergency_records.level_decisions(conn, case_id)
        )
        return EmergencyView(
            case=CaseView.from_row(row),
            detail=detail,
            level=EmergencyLevel(level_raw) if level_raw else None,
            proposal=propose_level(detail.figures),
            decisions=decisions,
            activations=activations,
            tasks=tuple(_task_from_row(r) for r in emergency_records.tasks_for_case(conn, case_id)),
        )

    def _update_case(
        self,
        conn: Connection,
        row: RowMapping,
        expected_version: int,
        details: dict[str, Any],
        actor: UserView,
        now: datetime,
        audit_action: str,
        payload: dict[str, Any],
    ) -> int:
        """Write new details on the case (version checked), with timeline, audit, change."""
        case_id = int(row["id"])
        version = update_case(
            conn,
            case_id,
            expected_version,
            {"details": details, "updated_at": now, "updated_by": actor.username},
            payload,
        )
        case_records.append_timeline(
            conn,
            case_id,
            {
                "at": now,
                "actor": actor.username,
                "entry_kind": "edit",
                "data": {"emergency": audit_action, **payload},
            },
        )
        append_audit(
            conn,
            now,
            actor.username,
            audit_action,
            "case",
            case_id,
            {**payload, "version": version},
        )
        record_change(conn, now, "case", case_id, version, "edit", self.desk.origin)
        return version

    # ------------------------------------------------------------------ emergencies

    def propose_stations(
        self,
        kind: EmergencyType,
        lon: float | None,
        lat: float | None,
        wind_from_deg: float | None = None,
    ) -> list[AffectedStation]:
        """Stations downstream (water kinds) or downwind (air kinds) of a place. Pure."""
        if lon is None or lat is None:
            return []
        water = kind in (
            EmergencyType.WATER_POLLUTION,
            EmergencyType.ALGAE_BLOOM,
            EmergencyType.DRINKING_WATER_THREAT,
        )
        found: list[AffectedStation] = []
        if water or kind in (EmergencyType.CHEMICAL_RELEASE, EmergencyType.OTHER):
            found += downstream_stations(self.resources.stations, lon, lat)
        if not water and wind_from_deg is not None:
            found += downwind_stations(self.resources.stations, lon, lat, wind_from_deg)
        return found

    def create(self, draft: EmergencyDraft) -> EmergencyView:
        """Open an emergency case with its detail; affected stations are proposed from the
        registry unless given."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        kind = emergency_type(draft.type)
        figures = validate_figures(draft.figures)
        wind = validate_wind(draft.wind_from_deg)
        lon, lat = draft.lon, draft.lat
        if (lon is None or lat is None) and draft.area is not None:
            lon, lat = draft.area.centre()
        known = {s.id for s in self.resources.stations}
        if draft.affected_stations is None:
            affected = tuple(a.id for a in self.propose_stations(kind, lon, lat, wind))
        else:
            affected = validate_station_ids(list(draft.affected_stations), known)
        detail = EmergencyDetail(kind, draft.area, figures, affected, draft.exercise, wind)
        case_draft = CaseDraft(
            kind=CaseKind.EMERGENCY,
            title=draft.title,
            district=cast(District, draft.district),  # validate_draft checks the code
            priority=draft.priority,
            source=draft.source,
            description=draft.description,
            address=draft.address,
            lon=lon,
            lat=lat,
            details={DETAIL_KEY: detail.to_json()},
        )
        now = self._now()
        with self.desk.store.write() as conn:
            case_id = self._insert_case(conn, case_draft, actor, now)
            proposal = propose_level(figures)
            self._system_log(
                conn,
                case_id,
                now,
                actor.username,
                f"事件登记：{kind.name_zh}；建议级别{LEVEL_ZH[proposal.level]}"
                + ("（演练）" if draft.exercise else ""),
                {"event": "created", "proposed": proposal.level.value},
            )
            view = self._view(conn, case_id)
        self._publish(case_id, 1, "create")
        return view

    def get(self, case_id: int) -> EmergencyView:
        self.desk.context.actor(Permission.READ)
        with self.desk.store.read() as conn:
            return self._view(conn, case_id)

    def update_figures(
        self, case_id: int, expected_version: int, figures: Figures | Mapping[str, Any]
    ) -> EmergencyView:
        """Record new reported figures; the proposal follows, the level stays the leader's."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        clean = validate_figures(figures if isinstance(figures, Figures) else dict(figures))
        return self._change_detail(
            case_id,
            expected_version,
            actor,
            lambda d: replace(d, figures=clean),
            "emergency.figures",
            lambda old, new: (
                f"数字更新：{figures_text_zh(new.figures)}；建议级别"
                f"{LEVEL_ZH[propose_level(new.figures).level]}"
            ),
        )

    def set_type(
        self, case_id: int, expected_version: int, kind: EmergencyType | str
    ) -> EmergencyView:
        """Set or correct the type (an emergency opened from the generic case form has none
        yet and reads as "other")."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        new_kind = emergency_type(kind)
        return self._change_detail(
            case_id,
            expected_version,
            actor,
            lambda d: replace(d, type=new_kind),
            "emergency.type",
            lambda old, new: f"事件类型：{old.type.name_zh} → {new.type.name_zh}",
        )

    def set_area(
        self,
        case_id: int,
        expected_version: int,
        area: Area | None,
        wind_from_deg: float | None = None,
    ) -> EmergencyView:
        actor = self.desk.context.actor(Permission.WORK_CASES)
        wind = validate_wind(wind_from_deg)
        return self._change_detail(
            case_id,
            expected_version,
            actor,
            lambda d: replace(d, area=area, wind_from_deg=wind),
            "emergency.area",
            lambda old, new: "影响范围更新",
        )

    def set_affected_stations(
        self, case_id: int, expected_version: int, station_ids: list[str]
    ) -> EmergencyView:
        actor = self.desk.context.actor(Permission.WORK_CASES)
        known = {s.id for s in self.resources.stations}
        ids = validate_station_ids(station_ids, known)
        return self._change_detail(
            case_id,
            expected_version,
            actor,
            lambda d: replace(d, affected_stations=ids),
            "emergency.stations",
            lambda old, new: (
                "受影响站点：" + "、".join(self.station_name(i) for i in new.affected_stations)
            ),
        )

    def _change_detail(
        self,
        case_id: int,
        expected_version: int,
        actor: UserView,
        change: Callable[[EmergencyDetail], EmergencyDetail],
        audit_action: str,
        log_text: Callable[[EmergencyDetail, EmergencyDetail], str],
    ) -> EmergencyView:
        now = self._now()
        with self.desk.store.write() as conn:
            row = case_records.get_case(conn, case_id)
            old = self._require_emergency(row)
            self._require_open(row)
            new = change(old)
            details = dict(row["details"] or {})
            details[DETAIL_KEY] = new.to_json()
            payload = {"before": old.to_json(), "after": new.to_json()}
            version = self._update_case(
                conn, row, expected_version, details, actor, now, audit_action, payload
            )
            self._system_log(
                conn, case_id, now, actor.username, log_text(old, new), {"event": audit_action}
            )
            view = self._view(conn, case_id)
        self._publish(case_id, version, "edit")
        return view

    def decide_level(
        self, case_id: int, expected_version: int, level: EmergencyLevel | str, reason: str = ""
    ) -> EmergencyView:
        """A shift leader confirms the proposed level or sets another one with a reason; the
        decision is recorded with the figures it was made on."""
        actor = self.desk.context.actor(Permission.SET_EMERGENCY_LEVEL)
        now = self._now()
        with self.desk.store.write() as conn:
            row = case_records.get_case(conn, case_id)
            detail = self._require_emergency(row)
            self._require_open(row)
            if row["version"] != expected_version:
                raise stale_case(
                    conn, case_id, expected_version, {"level": str(level), "reason": reason}
                )
            previous_raw = (row["details"] or {}).get(LEVEL_KEY)
            previous = EmergencyLevel(previous_raw) if previous_raw else None
            proposal = propose_level(detail.figures)
            decision = decide_level(
                level=level,
                proposal=proposal,
                previous=previous,
                role=actor.role,
                username=actor.username,
                reason=reason,
                at=now,
            )
            details = dict(row["details"] or {})
            details[LEVEL_KEY] = decision.level.value
            payload = {
                "level": decision.level.value,
                "proposed": proposal.level.value,
                "previous": previous.value if previous else None,
                "reason": decision.reason,
            }
            version = self._update_case(
                conn, row, expected_version, details, actor, now, "emergency.level", payload
            )
            emergency_records.add_level_decision(
                conn,
                {
                    "case_id": case_id,
                    "at": now,
                    "actor": actor.username,
                    "level": decision.level.value,
                    "proposed": proposal.level.value,
                    "previous": payload["previous"],
                    "reason": decision.reason,
                    "figures": detail.figures.to_json(),
                },
            )
            lead = response_lead(decision.level)
            text = (
                f"定级：{LEVEL_ZH[decision.level]}，{lead.name_zh}响应"
                + ("" if decision.follows_proposal else f"（建议{LEVEL_ZH[proposal.level]}）")
                + (f"；理由：{decision.reason}" if decision.reason else "")
            )
            self._system_log(conn, case_id, now, actor.username, text, payload)
            view = self._view(conn, case_id)
        self._publish(case_id, version, "edit")
        return view

    # ------------------------------------------------------------------ plans

    def activate_plan(self, case_id: int, plan_id: str) -> ActivationView:
        """Turn a plan's steps into this emergency's checklist, timed from now."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        plan = self.resources.plans.get(plan_id)
        if plan is None:
            raise ValidationError(
                "plan", "error.unknown_plan", f"no plan {plan_id!r}", f"没有预案“{plan_id}”"
            )
        now = self._now()
        try:
            with self.desk.store.write() as conn:
                activation = self._activate(conn, case_id, plan, actor, now)
                version = int(case_records.get_case(conn, case_id)["version"])
        except IntegrityError:
            raise ValidationError(
                "plan",
                "error.plan_already_active",
                f"plan {plan.title_en} is already active on this emergency",
                f"预案“{plan.title}”已在本事件启动",
            ) from None
        self._publish(case_id, version, "plan")
        return activation

    def _activate(
        self, conn: Connection, case_id: int, plan: ResponsePlan, actor: UserView, now: datetime
    ) -> ActivationView:
        row = case_records.get_case(conn, case_id)
        self._require_emergency(row)
        self._require_open(row)
        units = [
            (u.id, u.kind.value, u.district.value if u.district else None)
            for u in self.desk.unit_registry.units
        ]
        steps = activate(plan, now, row["district"], units)
        activation_id = emergency_records.add_activation(
            conn,
            {
                "case_id": case_id,
                "plan_id": plan.id,
                "plan_title": plan.title,
                "activated_at": now,
                "activated_by": actor.username,
            },
        )
        emergency_records.add_steps(
            conn,
            [
                {
                    "activation_id": activation_id,
                    "case_id": case_id,
                    "step_key": s.key,
                    "position": s.position,
                    "title": s.title,
                    "title_en": s.title_en,
                    "owner_unit": s.owner_unit,
                    "target_min": s.target_min,
                    "due_at": s.due_at,
                    "state": StepState.OPEN.value,
                }
                for s in steps
            ],
        )
        append_audit(
            conn,
            now,
            actor.username,
            "emergency.plan_activate",
            "case",
            case_id,
            {"plan": plan.id, "steps": [s.key for s in steps]},
        )
        self._system_log(
            conn, case_id, now, actor.username, f"启动预案：{plan.title}", {"plan": plan.id}
        )
        record_change(conn, now, "case", case_id, int(row["version"]), "plan", self.desk.origin)
        rows = [
            r
            for r in emergency_records.steps_for_case(conn, case_id)
            if r["activation_id"] == activation_id
        ]
        return ActivationView(
            activation_id,
            plan.id,
            plan.title,
            now,
            actor.username,
            tuple(_step_from_row(r) for r in rows),
        )

    def finish_step(
        self,
        step_id: int,
        expected_version: int,
        outcome: StepState | str,
        reason: str | None = None,
    ) -> StepView:
        """Mark a step done, or skipped with a reason. A stale version is refused."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        state = StepState(outcome)
        now = self._now()
        with self.desk.store.write() as conn:
            row = emergency_records.get_step(conn, step_id)
            case_id = int(row["case_id"])
            case = case_records.get_case(conn, case_id)
            self._require_open(case)
            current = _step_from_row(row)
            if current.version != expected_version:
                raise ConflictError(
                    "plan_step",
                    step_id,
                    expected_version,
                    current.version,
                    dict(row),
                    {"state": state.value, "reason": reason},
                )
            clean = check_finish(current.step, state, reason)
            written = emergency_records.update_step(
                conn,
                step_id,
                expected_version,
                {
                    "state": state.value,
                    "finished_at": now,
                    "finished_by": actor.username,
                    "skip_reason": clean if state is StepState.SKIPPED else None,
                },
            )
            late = now > current.step.due_at
            verb = "完成" if state is StepState.DONE else "跳过"
            text = f"步骤{verb}：{current.step.title}" + ("（超时）" if late else "")
            if clean:
                text += f"；{clean}"
            data = {"step": current.step.key, "state": state.value, "late": late}
            self._system_log(conn, case_id, now, actor.username, text, data)
            append_audit(
                conn,
                now,
                actor.username,
                "emergency.step",
                "case",
                case_id,
                {**data, "reason": clean},
            )
            record_change(
                conn, now, "case", case_id, int(case["version"]), "plan", self.desk.origin
            )
        self._publish(case_id, int(case["version"]), "plan")
        return _step_from_row(written)

    def dispatch_step(self, step_id: int) -> LogEntryView:
        """Dispatch a step's owner unit: a dispatch entry on the log, and the case itself
        dispatched to that unit when nobody holds it yet (new or triaged)."""
        self.desk.context.actor(Permission.WORK_CASES)
        with self.desk.store.read() as conn:
            row = emergency_records.get_step(conn, step_id)
            case = case_records.get_case(conn, int(row["case_id"]))
        self._require_open(case)
        unit_id = row["owner_unit"]
        if unit_id is None:
            raise ValidationError(
                "unit", "error.step_no_owner", "the step names no unit", "该步骤未指定责任单位"
            )
        unit = self.desk.unit_registry.get(unit_id)
        name = unit.name if unit else unit_id
        if case["status"] in (Status.NEW.value, Status.TRIAGED.value):
            self.desk.dispatch(int(case["id"]), unit_id, note=f"预案步骤：{row['title']}")
        return self.log(
            int(case["id"]),
            f"调度{name}：{row['title']}",
            kind=LogKind.DISPATCH,
            data={"step": row["step_key"], "unit": unit_id},
        )

    # ------------------------------------------------------------------ monitoring tasks

    def assign_monitoring(
        self,
        case_id: int,
        station: str,
        parameters: list[str] | tuple[str, ...],
        interval_min: int,
        unit_id: str = "monitoring-center",
    ) -> MonitoringTaskView:
        """Assign an emergency monitoring task: which station, which parameters, how often,
        by whom (the monitoring team by default)."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        station, params, interval, unit = validate_task(
            station,
            parameters,
            interval_min,
            unit_id,
            station_parameters=self.resources.station_parameters,
            unit_ids=[u.id for u in self.desk.unit_registry.units],
        )
        now = self._now()
        with self.desk.store.write() as conn:
            case = case_records.get_case(conn, case_id)
            self._require_emergency(case)
            self._require_open(case)
            row = emergency_records.add_task(
                conn,
                {
                    "case_id": case_id,
                    "station": station,
                    "parameters": list(params),
                    "interval_min": interval,
                    "unit_id": unit,
                    "assigned_at": now,
                    "assigned_by": actor.username,
                    "samples": 0,
                    "version": 1,
                },
            )
            self._system_log(
                conn,
                case_id,
                now,
                actor.username,
                f"应急监测任务：{self.station_name(station)} {'、'.join(params)}，"
                f"每{interval}分钟，{self.desk.unit_registry.get(unit).name}",  # type: ignore[union-attr]
                {"task": int(row["id"])},
            )
            append_audit(
                conn,
                now,
                actor.username,
                "emergency.task_assign",
                "case",
                case_id,
                {
                    "station": station,
                    "parameters": list(params),
                    "interval_min": interval,
                    "unit": unit,
                },
            )
            record_change(
                conn, now, "case", case_id, int(case["version"]), "plan", self.desk.origin
            )
        self._publish(case_id, int(case["version"]), "plan")
        return _task_from_row(row)

    def record_sample(
        self,
        task_id: int,
        expected_version: int,
        values: Mapping[str, float],
        at: datetime | None = None,
    ) -> MonitoringTaskView:
        """Record a sample of a task: a data reading on the log, the task's clock restarts."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        now = self._now()
        when = (at or now).astimezone(UTC)
        if when > now + LOG_FUTURE_SLACK:
            raise ValidationError(
                "at",
                "error.log_in_future",
                "a sample cannot be in the future",
                "采样时间不能晚于当前时间",
            )
        with self.desk.store.write() as conn:
            row = emergency_records.get_task(conn, task_id)
            current = _task_from_row(row)
            clean = validate_sample(current.task, values)
            written = emergency_records.update_task(
                conn,
                task_id,
                expected_version,
                {
                    "last_sample_at": max(when, current.task.last_sample_at or when),
                    "samples": current.task.samples + 1,
                },
            )
            station = current.task.station
            shown = "，".join(
                f"{k} {v:g}{self.resources.parameter_units.get((station, k), '')}"
                for k, v in clean.items()
            )
            emergency_records.add_log_entry(
                conn,
                {
                    "case_id": current.case_id,
                    "at": when,
                    "recorded_at": now,
                    "author": actor.username,
                    "entry_kind": LogKind.READING.value,
                    "text": f"{self.station_name(station)}：{shown}",
                    "data": {"task": task_id, "station": station, "values": clean},
                },
            )
            case = case_records.get_case(conn, current.case_id)
            record_change(
                conn, now, "case", current.case_id, int(case["version"]), "log", self.desk.origin
            )
        self._publish(current.case_id, int(case["version"]), "log")
        return _task_from_row(written)

    def end_monitoring(
        self, task_id: int, expected_version: int, reason: str
    ) -> MonitoringTaskView:
        actor = self.desk.context.actor(Permission.WORK_CASES)
        text = (reason or "").strip()
        if not text:
            raise ValidationError(
                "reason",
                "error.reason_required",
                "ending a task needs a reason",
                "结束监测任务须填写理由",
            )
        now = self._now()
        with self.desk.store.write() as conn:
            row = emergency_records.get_task(conn, task_id)
            if row["ended_at"] is not None:
                raise IllegalTransition(
                    "error.task_ended", "the monitoring task has ended", "该监测任务已结束"
                )
            written = emergency_records.update_task(
                conn,
                task_id,
                expected_version,
                {"ended_at": now, "ended_by": actor.username, "end_reason": text},
            )
            case_id = int(row["case_id"])
            self._system_log(
                conn,
                case_id,
                now,
                actor.username,
                f"结束应急监测：{self.station_name(row['station'])}；{text}",
                {"task": task_id},
            )
            case = case_records.get_case(conn, case_id)
            record_change(
                conn, now, "case", case_id, int(case["version"]), "plan", self.desk.origin
            )
        self._publish(case_id, int(case["version"]), "plan")
        return _task_from_row(written)

    # ------------------------------------------------------------------ coordination log

    def log(
        self,
        case_id: int,
        line: str,
        *,
        kind: LogKind | str | None = None,
        at: datetime | None = None,
        data: dict[str, Any] | None = None,
    ) -> LogEntryView:
        """Append one entry. ``line`` may start with a prefix (/c call, /d decision, /s
        dispatch, /r data reading, /n note); an explicit ``kind`` wins. ``at`` dates the
        activity when it was typed later (never in the future, never before the case)."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        if kind is not None:
            log_kind = LogKind(kind)
            if log_kind is LogKind.SYSTEM:
                raise ValidationError(
                    "kind",
                    "error.log_kind",
                    "system entries are written by the desk",
                    "系统记录由系统生成",
                )
            text = validate_log_text(line)
        else:
            log_kind, text = parse_log_line(line)
        now = self._now()
        when = now if at is None else at
        if when.tzinfo is None:
            raise ValidationError(
                "at", "error.naive_time", "time must carry a zone", "时间须带时区"
            )
        when = when.astimezone(UTC)
        if when > now + LOG_FUTURE_SLACK:
            raise ValidationError(
                "at",
                "error.log_in_future",
                "a log entry cannot be in the future",
                "记录时间不能晚于当前时间",
            )
        with self.desk.store.write() as conn:
            case = case_records.get_case(conn, case_id)
            self._require_emergency(case)
            if when < case["created_at"] - timedelta(days=1):
                raise ValidationError(
                    "at",
                    "error.log_before_case",
                    "a log entry cannot be a day before the emergency was opened",
                    "记录时间早于事件登记时间",
                )
            row = emergency_records.add_log_entry(
                conn,
                {
                    "case_id": case_id,
                    "at": when,
                    "recorded_at": now,
                    "author": actor.username,
                    "entry_kind": log_kind.value,
                    "text": text,
                    "data": data,
                },
            )
            record_change(conn, now, "case", case_id, int(case["version"]), "log", self.desk.origin)
        self._publish(case_id, int(case["version"]), "log")
        return _log_from_row(row)

    def log_entries(self, case_id: int) -> list[LogEntryView]:
        """The whole log in the order things happened (then the order they were entered)."""
        self.desk.context.actor(Permission.READ)
        with self.desk.store.read() as conn:
            return [_log_from_row(r) for r in emergency_records.log_entries(conn, case_id)]

    # ------------------------------------------------------------------ heavy-pollution alert

    def assess_forecast(
        self, forecast: list[tuple[date, int]] | list[ForecastDay]
    ) -> AlertAssessment:
        return assess_forecast(forecast, self.resources.alert_rules)

    def current_alert(self) -> AlertView | None:
        """The latest transition (``level`` None after a lift), or None if never issued."""
        with self.desk.store.read() as conn:
            row = emergency_records.last_alert_transition(conn)
        return None if row is None else _alert_from_row(row)

    def alert_history(self, limit: int = 200) -> list[AlertView]:
        with self.desk.store.read() as conn:
            return [_alert_from_row(r) for r in emergency_records.alert_transitions(conn, limit)]

    def change_alert(
        self,
        level: AlertLevel | str | None,
        reason: str,
        *,
        expected_seq: int,
        forecast: list[tuple[date, int]] | list[ForecastDay] | None = None,
        exercise: bool = False,
        cap_recipients: Sequence[str] | None = None,
        cap_scope: str | None = None,
        cap_instruction: str | None = None,
        cap_note: str = "",
    ) -> AlertView:
        """Issue, upgrade, downgrade or lift the city-wide alert (shift leader).

        ``expected_seq`` is the seq of the alert the leader was looking at (0 when none was
        ever issued): another desk's change in between raises AlertConflict and writes
        nothing. Issuing opens an emergency case (air pollution) with the heavy-pollution
        weather plan activated; later transitions log on that case. Every transition is sent
        as a CAP message (Alert / Update / Cancel referencing the messages before it), to
        ``cap_recipients`` (ids of rules/cap.toml; None: the ones configured for alerts) with
        the scope, instruction and note previewed (`draft_alert_cap`).
        """
        actor = self.desk.context.actor(Permission.SET_EMERGENCY_LEVEL)
        new_level = AlertLevel(level) if level else None
        text = self._alert_reason(reason)
        days = validate_forecast(forecast) if forecast else ()
        settings = self.cap_settings
        chosen = self._recipients(
            settings.preselected("alert") if cap_recipients is None else cap_recipients
        )
        now = self._now()
        try:
            with self.desk.store.write() as conn:
                last = emergency_records.last_alert_transition(conn)
                current = None if last is None else _alert_from_row(last)
                seq = 0 if current is None else current.seq
                if expected_seq != seq:
                    raise AlertConflict(expected_seq, current)
                change = transition(current.level if current else None, new_level)
                if change is None:
                    raise ValidationError(
                        "level",
                        "error.alert_unchanged",
                        "the alert is already at this level",
                        "预警级别未变化",
                    )
                case_id = current.case_id if current and current.level else None
                if change is Transition.ISSUE:
                    assert new_level is not None
                    case_id = self._alert_case(conn, new_level, text, actor, now, exercise)
                elif case_id is not None:
                    shown = new_level.name_zh if new_level else "解除"
                    self._system_log(
                        conn,
                        case_id,
                        now,
                        actor.username,
                        f"重污染天气预警{change.name_zh}：{shown}；{text}",
                        {"alert": change.value},
                    )
                row = emergency_records.add_alert_transition(
                    conn,
                    {
                        "seq": seq + 1,
                        "at": now,
                        "actor": actor.username,
                        "transition": change.value,
                        "from_level": current.level.value if current and current.level else None,
                        "to_level": new_level.value if new_level else None,
                        "reason": text,
                        "forecast": [[d.day.isoformat(), d.aqi] for d in days] or None,
                        "case_id": case_id,
                        "exercise": exercise,
                    },
                )
                chain = emergency_records.sent_cap_chain(conn, alert=True)
                base = self._alert_cap(chain, change, new_level, text, exercise, now)
                choices = CapChoices(
                    chosen,
                    cap_scope or settings.alert_scope,
                    base.infos[0].instruction if cap_instruction is None else cap_instruction,
                    cap_note,
                )
                msg = apply_choices(base, choices, settings.restriction)
                self._store_sent(
                    conn, msg, actor, now, case_id=None, alert_seq=seq + 1, recipients=chosen
                )
                if case_id is not None:
                    self._system_log(
                        conn,
                        case_id,
                        now,
                        actor.username,
                        f"CAP消息{_MSG_ZH[msg.msg_type]}：{msg.identifier}（{msg.status.value}）"
                        f"已发送至：{'、'.join(r.name for r in chosen)}",
                        {"cap": msg.identifier, "recipients": [r.id for r in chosen]},
                    )
                append_audit(
                    conn,
                    now,
                    actor.username,
                    "alert." + change.value,
                    "alert",
                    seq + 1,
                    {
                        "level": new_level.value if new_level else None,
                        "reason": text,
                        "case_id": case_id,
                        "cap": msg.identifier,
                        "cap_msg_type": msg.msg_type.value,
                        "cap_recipients": [r.id for r in chosen],
                    },
                )
                record_change(conn, now, "alert", seq + 1, seq + 1, change.value, self.desk.origin)
                view = _alert_from_row(row)
        except IntegrityError:
            # The unique seq: another desk wrote transition seq + 1 between our read and write.
            raise AlertConflict(expected_seq, self.current_alert()) from None
        self.desk.events.publish(Changed("alert", view.seq, view.seq, change.value, local=True))
        if case_id is not None:
            self._publish(case_id, 0, "alert")
        return view

    @staticmethod
    def _alert_reason(reason: str) -> str:
        text = (reason or "").strip()
        if not text:
            raise ValidationError(
                "reason", "error.alert_reason_required", "a reason is required", "须填写理由"
            )
        return text

    def _alert_cap(
        self,
        chain: list[RowMapping],
        change: Transition,
        level: AlertLevel | None,
        reason: str,
        exercise: bool,
        now: datetime,
    ) -> cap.CapMessage:
        open_chain = bool(chain) and chain[-1]["msg_type"] != cap.MsgType.CANCEL.value
        # With nothing in force to reference (a desk that never sent one), send afresh.
        as_change = change if open_chain or change is Transition.ISSUE else Transition.ISSUE
        return cap.alert_message(
            identifier=self._cap_identifier("HPW"),
            sent=now,
            level=level,
            change=as_change,
            reason=reason,
            references=(
                tuple(r["reference_key"] for r in chain)
                if as_change is not Transition.ISSUE
                else ()
            ),
            exercise=exercise,
            sender=self.cap_sender,
            instruction=self.cap_settings.alert_instruction(level.value if level else None),
        )

    def draft_alert_cap(
        self, level: AlertLevel | str | None, reason: str, *, exercise: bool = False
    ) -> CapDraft:
        """The CAP message that changing the alert to ``level`` would send, for the shift
        leader's preview before `change_alert`; nothing is stored."""
        self.desk.context.actor(Permission.SET_EMERGENCY_LEVEL)
        new_level = AlertLevel(level) if level else None
        text = self._alert_reason(reason)
        now = self._now()
        with self.desk.store.read() as conn:
            last = emergency_records.last_alert_transition(conn)
            current = None if last is None else _alert_from_row(last)
            change = transition(current.level if current else None, new_level)
            if change is None:
                raise ValidationError(
                    "level",
                    "error.alert_unchanged",
                    "the alert is already at this level",
                    "预警级别未变化",
                )
            chain = emergency_records.sent_cap_chain(conn, alert=True)
        msg = self._alert_cap(chain, change, new_level, text, exercise, now)
        settings = self.cap_settings
        draft = CapDraft(
            case_id=current.case_id if current and current.level else None,
            message=msg,
            recipients=settings.recipients,
            preselected=settings.preselected("alert"),
            scope=settings.alert_scope,
            restriction=settings.restriction,
            instruction=msg.infos[0].instruction,
            based_on=chain[-1]["reference_key"] if chain else None,
            earlier=tuple(_cap_from_row(r) for r in chain) if msg.references else (),
            problems=(),
        )
        return replace(draft, problems=tuple(self.cap_problems(draft.apply(draft.choices()))))

    def _alert_case(
        self,
        conn: Connection,
        level: AlertLevel,
        reason: str,
        actor: UserView,
        now: datetime,
        exercise: bool,
    ) -> int:
        detail = EmergencyDetail(EmergencyType.AIR_POLLUTION, exercise=exercise)
        draft = CaseDraft(
            kind=CaseKind.EMERGENCY,
            title=f"常州市重污染天气{level.name_zh}" + ("（演练）" if exercise else ""),
            district=ALERT_DISTRICT,
            priority=Priority.P1,
            source=CaseSource.MONITORING,
            description=reason,
            details={DETAIL_KEY: detail.to_json()},
        )
        case_id = self._insert_case(conn, draft, actor, now)
        self._system_log(
            conn,
            case_id,
            now,
            actor.username,
            f"重污染天气预警发布：{level.name_zh}；{reason}",
            {"alert": "issue", "level": level.value},
        )
        plan = self.resources.plans.get(ALERT_PLAN)
        if plan is not None:
            self._activate(conn, case_id, plan, actor, now)
        return case_id

    # ------------------------------------------------------------------ CAP

    @property
    def cap_settings(self) -> CapSettings:
        return self.resources.cap_settings

    def _cap_identifier(self, prefix: str) -> str:
        return f"{prefix}-{self._now().strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"

    def validate_cap(self, xml: str | bytes) -> list[str]:
        """Every problem the CAP 1.2 schema finds (empty when valid)."""
        try:
            return [
                f"{e.path or '/'}: {e.reason}" for e in self.resources.cap_schema.iter_errors(xml)
            ]
        except Exception as exc:  # xmlschema raises ParseError subclasses for broken XML
            return [f"not well-formed XML: {exc}"]

    def cap_problems(self, msg: cap.CapMessage) -> list[CapProblem]:
        """Everything that stops ``msg`` from going: the desk's own checks (text XML cannot
        carry, a Private message with no recipient …), then the CAP 1.2 schema. Pure CPU:
        the preview asks it again after each edit, in the executor."""
        problems = message_problems(msg)
        if problems:  # the schema would repeat them less clearly, or not parse at all
            return problems
        return [
            CapProblem("CAP 1.2", text, f"不符合CAP 1.2模式：{text}")
            for text in self.validate_cap(cap.to_xml(msg))
        ]

    def _recipients(self, ids: Sequence[str]) -> tuple[Recipient, ...]:
        if not ids:
            raise ValidationError(
                "recipients",
                "error.cap_no_recipients",
                "choose at least one recipient",
                "请至少选择一个收件方",
            )
        chosen = []
        for rid in dict.fromkeys(ids):
            found = self.cap_settings.recipient(rid)
            if found is None:
                raise ValidationError(
                    "recipients",
                    "error.cap_unknown_recipient",
                    f"recipient {rid!r} is not configured (rules/cap.toml)",
                    f"收件方{rid}未配置（rules/cap.toml）",
                )
            chosen.append(found)
        return tuple(chosen)

    def _store_sent(
        self,
        conn: Connection,
        msg: cap.CapMessage,
        actor: UserView,
        now: datetime,
        *,
        case_id: int | None,
        alert_seq: int | None,
        recipients: tuple[Recipient, ...],
    ) -> RowMapping:
        problems = self.cap_problems(msg)
        if problems:  # never sent half-right: the whole transaction is undone
            raise CapRefused(problems)
        return emergency_records.add_cap_message(
            conn,
            {
                "direction": "sent",
                "identifier": msg.identifier,
                "sender": msg.sender,
                "sent_at": msg.sent,
                "msg_type": msg.msg_type.value,
                "status": msg.status.value,
                "reference_key": msg.reference_key,
                "refs": " ".join(msg.references),
                "case_id": case_id,
                "alert_seq": alert_seq,
                "xml": cap.to_xml(msg),
                "recorded_at": now,
                "recorded_by": actor.username,
                "recipients": [
                    {"id": r.id, "name": r.name, "address": r.address, "channel": r.channel}
                    for r in recipients
                ],
                "scope": msg.scope,
            },
        )

    def _emergency_cap(
        self,
        conn: Connection,
        row: RowMapping,
        chain: list[RowMapping],
        msg_type: cap.MsgType,
        now: datetime,
    ) -> cap.CapMessage:
        """The emergency as a CAP message of ``msg_type``: an Alert opens a chain, Updates
        and a Cancel reference every message of it; after a Cancel a new Alert may start one."""
        detail = self._require_emergency(row)
        open_chain = bool(chain) and chain[-1]["msg_type"] != cap.MsgType.CANCEL.value
        if msg_type is cap.MsgType.ALERT and open_chain:
            raise ValidationError(
                "cap",
                "error.cap_already_sent",
                f"CAP message {chain[-1]['identifier']} is in force for this emergency: "
                "send an Update or a Cancel",
                f"本事件的CAP消息{chain[-1]['identifier']}仍有效，请发送更新或撤销",
            )
        if msg_type in (cap.MsgType.UPDATE, cap.MsgType.CANCEL) and not open_chain:
            raise ValidationError(
                "cap",
                "error.cap_nothing_to_change",
                "no CAP message of this emergency is in force: nothing to update or cancel",
                "本事件没有仍有效的CAP消息，无法更新或撤销",
            )
        if msg_type not in (cap.MsgType.ALERT, cap.MsgType.UPDATE, cap.MsgType.CANCEL):
            raise ValueError(f"the desk does not send {msg_type.value} messages")
        case_id = int(row["id"])
        level_raw = (row["details"] or {}).get(LEVEL_KEY)
        number = emergency_records.count_cap_for_case(conn, case_id) + 1
        return cap.emergency_message(
            identifier=f"{row['reference']}-{number}",
            sent=now,
            msg_type=msg_type,
            case_reference=row["reference"],
            title=row["title"],
            description=row["description"],
            address=row["address"],
            detail=detail,
            level=EmergencyLevel(level_raw) if level_raw else None,
            references=(
                tuple(r["reference_key"] for r in chain)
                if msg_type is not cap.MsgType.ALERT
                else ()
            ),
            sender=self.cap_sender,
            instruction=self.cap_settings.emergency_instruction(detail.type.value, msg_type),
        )

    def draft_cap(self, case_id: int, msg_type: cap.MsgType | str) -> CapDraft:
        """The emergency's next CAP message (Alert, Update or Cancel) for the officer's
        preview; nothing is stored. Refused as `send_cap` would refuse it."""
        self.desk.context.actor(Permission.WORK_CASES)
        kind = cap.MsgType(msg_type)
        now = self._now()
        with self.desk.store.read() as conn:
            row = case_records.get_case(conn, case_id)
            chain = emergency_records.sent_cap_chain(conn, case_id=case_id)
            msg = self._emergency_cap(conn, row, chain, kind, now)
        settings = self.cap_settings
        draft = CapDraft(
            case_id=case_id,
            message=msg,
            recipients=settings.recipients,
            preselected=settings.preselected("emergency", row["district"]),
            scope=settings.emergency_scope,
            restriction=settings.restriction,
            instruction=msg.infos[0].instruction,
            based_on=chain[-1]["reference_key"] if chain else None,
            earlier=tuple(_cap_from_row(r) for r in chain) if kind is not cap.MsgType.ALERT else (),
            problems=(),
        )
        return replace(draft, problems=tuple(self.cap_problems(draft.apply(draft.choices()))))

    def send_cap(
        self,
        case_id: int,
        msg_type: cap.MsgType | str,
        *,
        recipients: Sequence[str],
        based_on: str | None,
        scope: str | None = None,
        instruction: str | None = None,
        note: str = "",
    ) -> CapRecord:
        """Send the emergency's CAP message as previewed, to the recipients chosen (ids of
        rules/cap.toml). Sending is recording it as sent, with its recipients, in the
        coordination log, the case timeline and the audit log, in one transaction.

        ``based_on`` is the draft's: if another message of the chain went out since, this
        raises CapConflict and sends nothing. A message failing a check raises CapRefused.
        """
        actor = self.desk.context.actor(Permission.WORK_CASES)
        kind = cap.MsgType(msg_type)
        chosen = self._recipients(recipients)
        settings = self.cap_settings
        now = self._now()
        with self.desk.store.write() as conn:
            row = case_records.get_case(conn, case_id)
            self._require_emergency(row)
            chain = emergency_records.sent_cap_chain(conn, case_id=case_id)
            newest = chain[-1]["reference_key"] if chain else None
            if newest != based_on:
                raise CapConflict(chain[-1]["identifier"] if chain else str(based_on))
            base = self._emergency_cap(conn, row, chain, kind, now)
            choices = CapChoices(
                chosen,
                scope or settings.emergency_scope,
                base.infos[0].instruction if instruction is None else instruction,
                note,
            )
            msg = apply_choices(base, choices, settings.restriction)
            stored = self._store_sent(
                conn, msg, actor, now, case_id=case_id, alert_seq=None, recipients=chosen
            )
            names = "、".join(r.name for r in chosen)
            text = (
                f"CAP消息{_MSG_ZH[kind]}：{msg.identifier}（{msg.status.value}）已发送至：{names}"
            )
            data = {
                "cap": msg.identifier,
                "msg_type": kind.value,
                "status": msg.status.value,
                "scope": msg.scope,
                "recipients": [r.id for r in chosen],
                "references": list(msg.references),
            }
            self._system_log(conn, case_id, now, actor.username, text, data)
            case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "note",
                    "text": text,
                    "data": data,
                },
            )
            append_audit(conn, now, actor.username, "emergency.cap_send", "case", case_id, data)
            version = int(row["version"])
            record_change(conn, now, "case", case_id, version, "cap", self.desk.origin)
        self._publish(case_id, version, "cap")
        return _cap_from_row(stored)

    def cap_messages(self, case_id: int) -> list[CapRecord]:
        """The emergency's CAP history, oldest first: sent and received, and for a
        heavy-pollution alert's case the alert's messages too."""
        self.desk.context.actor(Permission.READ)
        with self.desk.store.read() as conn:
            return [
                _cap_from_row(r) for r in emergency_records.cap_messages_for_case(conn, case_id)
            ]

    def save_cap_xml(self, message_id: int, path: Path) -> Path:
        """Write a stored message's XML to ``path`` as it was sent or received (a partial
        file never takes the name: written beside it, then renamed)."""
        self.desk.context.actor(Permission.READ)
        with self.desk.store.read() as conn:
            xml = str(emergency_records.cap_message(conn, message_id)["xml"])
        part = path.with_name(path.name + ".part")
        try:
            part.write_text(xml, encoding="utf-8")
            os.replace(part, path)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise ValidationError(
                "path",
                "error.cap_export",
                f"cannot write {path}: {exc.strerror or exc}",
                f"无法写入{path}：{exc.strerror or exc}",
            ) from None
        return path

    def import_cap(self, xml: str | bytes, district: District | str) -> CapImportResult:
        """Receive a CAP message from another agency. An Alert opens an emergency case in
        ``district``; an Update or Cancel is logged on the case its reference opened. Invalid
        messages raise CapRejected listing every problem and store nothing; a message already
        received is reported as a duplicate."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        text = xml.decode("utf-8", errors="replace") if isinstance(xml, bytes) else xml
        try:
            msg = cap.from_xml(text)  # refuses DOCTYPEs before the schema parser sees them
        except cap.CapError as exc:
            raise CapRejected(exc.problems) from None
        problems = self.validate_cap(text)
        if problems:
            raise CapRejected(problems)
        try:
            district_code = District(district)
        except ValueError:
            raise ValidationError(
                "district", "error.bad_district", f"unknown district {district!r}", "辖区无效"
            ) from None
        now = self._now()
        with self.desk.store.write() as conn:
            dup = emergency_records.cap_message_by_key(conn, msg.sender, msg.identifier)
            if dup is not None:
                return CapImportResult(_cap_from_row(dup), "duplicate", dup["case_id"])
            case_id: int | None
            if msg.msg_type is cap.MsgType.ALERT:
                try:
                    imported = cap.imported_emergency(msg)
                except cap.CapError as exc:
                    raise CapRejected(exc.problems) from None
                source_level = f"（来文级别：{LEVEL_ZH[imported.level]}）" if imported.level else ""
                draft = CaseDraft(
                    kind=CaseKind.EMERGENCY,
                    title=imported.title or msg.identifier,
                    district=district_code,
                    priority=Priority.P1,
                    source=CaseSource.SUPERIOR,
                    description=imported.description + source_level,
                    lon=imported.detail.area.centre()[0] if imported.detail.area else None,
                    lat=imported.detail.area.centre()[1] if imported.detail.area else None,
                    details={DETAIL_KEY: imported.detail.to_json()},
                )
                case_id = self._insert_case(conn, draft, actor, now)
                action = "created"
            elif msg.msg_type in (cap.MsgType.UPDATE, cap.MsgType.CANCEL):
                case_id = None
                for ref in msg.references:
                    parts = ref.split(",")
                    if len(parts) != 3:
                        continue
                    earlier = emergency_records.cap_message_by_key(conn, parts[0], parts[1])
                    if earlier is not None and earlier["case_id"] is not None:
                        case_id = int(earlier["case_id"])
                        break
                if case_id is None:
                    raise CapRejected(
                        [
                            f"{msg.msg_type.value} references no message received here: "
                            + " ".join(msg.references)
                        ]
                    )
                action = "cancelled" if msg.msg_type is cap.MsgType.CANCEL else "updated"
            else:
                raise CapRejected([f"{msg.msg_type.value} messages are not imported"])
            info = msg.infos[0] if msg.infos else None
            summary = (info.headline or info.event) if info else ""
            self._system_log(
                conn,
                case_id,
                now,
                actor.username,
                f"收到CAP消息（{msg.msg_type.value}，{msg.sender}）：{summary}",
                {"cap": msg.identifier, "sender": msg.sender},
            )
            stored = emergency_records.add_cap_message(
                conn,
                {
                    "direction": "received",
                    "identifier": msg.identifier,
                    "sender": msg.sender,
                    "sent_at": msg.sent,
                    "msg_type": msg.msg_type.value,
                    "status": msg.status.value,
                    "reference_key": msg.reference_key,
                    "refs": " ".join(msg.references),
                    "case_id": case_id,
                    "alert_seq": None,
                    "xml": text,
                    "recorded_at": now,
                    "recorded_by": actor.username,
                },
            )
            append_audit(
                conn,
                now,
                actor.username,
                "emergency.cap_receive",
                "case",
                case_id,
                {"identifier": msg.identifier, "sender": msg.sender, "action": action},
            )
            version = int(case_records.get_case(conn, case_id)["version"])
            if action != "created":
                record_change(conn, now, "case", case_id, version, "log", self.desk.origin)
        self._publish(case_id, version, "create" if action == "created" else "log")
        return CapImportResult(_cap_from_row(stored), action, case_id)


__all__ = [
    "ActivationView",
    "AlertConflict",
    "AlertView",
    "CapConflict",
    "CapDraft",
    "CapImportResult",
    "CapRecord",
    "CapRefused",
    "CapRejected",
    "EmergencyDesk",
    "EmergencyDraft",
    "EmergencyResources",
    "EmergencyResourcesError",
    "EmergencyView",
    "LevelDecisionView",
    "LogEntryView",
    "MonitoringTaskView",
    "SentTo",
    "StepView",
    "load_emergency_resources",
]
