"""Response plans (应急预案) and their checklists.

A plan is a TOML file in resources/plans (format at the top of each file): its steps, each
with an owner (a unit id of resources/units.toml, or a unit kind resolved to the district's
unit at activation) and a time target in minutes from activation. Activating a plan turns the
steps into a checklist; each step is open (with a countdown), done, skipped with a reason, or
overdue (open past its target). Pure: the desk reads the files and stores the checklist.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from dispatch_app.domain.emergencies import EmergencyType
from dispatch_app.domain.errors import IllegalTransition, ValidationError

_ID = re.compile(r"^[a-z0-9_]{1,40}$")
UNIT_KINDS = ("branch", "field_station", "monitoring")
MAX_TARGET_MIN = 30 * 24 * 60


class PlanError(ValueError):
    """A plan file is malformed; the message names the file, the step and the field."""


@dataclass(frozen=True)
class PlanStep:
    key: str
    title: str
    title_en: str
    target_min: int  # minutes from activation
    owner_unit: str | None  # a unit id
    owner_kind: str | None  # or a unit kind: the district's unit of that kind
    detail: str = ""


@dataclass(frozen=True)
class ResponsePlan:
    id: str
    title: str
    title_en: str
    types: tuple[EmergencyType, ...]  # emergency types it answers ("" for alert-only plans)
    alert: bool  # opened by a heavy-pollution weather alert
    scope: Mapping[str, int]  # what the plan covers (e.g. tributaries = 61)
    steps: tuple[PlanStep, ...]


def _need(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise PlanError(f"{where}: '{key}' is missing")
    value = table[key]
    if isinstance(value, bool) and kind is not bool:
        raise PlanError(f"{where}: '{key}' must be {kind.__name__}")
    if not isinstance(value, kind):
        raise PlanError(f"{where}: '{key}' must be {kind.__name__}, got {value!r}")
    return value


def parse_plan(
    text: str,
    where: str,
    unit_ids: Iterable[str] | None = None,
) -> ResponsePlan:
    """Parse one plan file. ``unit_ids`` (the registry) lets an unknown owner fail here, at
    load time, not when a duty officer activates the plan in the middle of an emergency."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{where}: not valid TOML: {exc}") from None
    plan_id = _need(data, "id", str, where)
    if not _ID.match(plan_id):
        raise PlanError(f"{where}: id {plan_id!r} must be 1–40 of a-z, 0-9, _")
    title = _need(data, "title", str, where).strip()
    title_en = str(data.get("title_en", title)).strip()
    raw_types = data.get("types", [])
    if not isinstance(raw_types, list):
        raise PlanError(f"{where}: 'types' must be a list")
    types: list[EmergencyType] = []
    for t in raw_types:
        try:
            types.append(EmergencyType(t))
        except ValueError:
            raise PlanError(f"{where}: unknown emergency type {t!r} in 'types'") from None
    alert = data.get("alert", False)
    if not isinstance(alert, bool):
        raise PlanError(f"{where}: 'alert' must be true or false")
    scope_raw = data.get("scope", {})
    if not isinstance(scope_raw, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in scope_raw.values()
    ):
        raise PlanError(f"{where}: 'scope' must be a table of counts")
    known = set(unit_ids) if unit_ids is not None else None
    raw_steps = data.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise PlanError(f"{where}: a plan needs at least one [[step]]")
    steps: list[PlanStep] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_steps, start=1):
        at = f"{where} step {i}"
        if not isinstance(raw, dict):
            raise PlanError(f"{at}: must be a table")
        key = _need(raw, "key", str, at)
        if not _ID.match(key):
            raise PlanError(f"{at}: key {key!r} must be 1–40 of a-z, 0-9, _")
        if key in seen:
            raise PlanError(f"{at}: key {key!r} is used twice")
        seen.add(key)
        target = _need(raw, "target_min", int, at)
        if not 0 < target <= MAX_TARGET_MIN:
            raise PlanError(f"{at}: target_min must be 1..{MAX_TARGET_MIN}, got {target}")
        owner = raw.get("owner")
        owner_kind = raw.get("owner_kind")
        if (owner is None) == (owner_kind is None):
            raise PlanError(f"{at}: give exactly one of 'owner' (unit id) or 'owner_kind'")
        if owner is not None and (not isinstance(owner, str) or (known and owner not in known)):
            raise PlanError(f"{at}: owner {owner!r} is not a unit of the registry")
        if owner_kind is not None and owner_kind not in UNIT_KINDS:
            raise PlanError(f"{at}: owner_kind must be one of {UNIT_KINDS}, got {owner_kind!r}")
        step_title = _need(raw, "title", str, at).strip()
        steps.append(
            PlanStep(
                key=key,
                title=step_title,
                title_en=str(raw.get("title_en", step_title)).strip(),
                target_min=target,
                owner_unit=owner,
                owner_kind=owner_kind,
                detail=str(raw.get("detail", "")).strip(),
            )
        )
    return ResponsePlan(
        id=plan_id,
        title=title,
        title_en=title_en,
        types=tuple(types),
        alert=alert,
        scope=dict(scope_raw),
        steps=tuple(steps),
    )


def plans_for(plans: Iterable[ResponsePlan], kind: EmergencyType) -> list[ResponsePlan]:
    """The plans that answer an emergency type (the panel offers these first)."""
    return [p for p in plans if kind in p.types]


# --- the checklist ---------------------------------------------------------------------------


class StepState(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class StepStatus(StrEnum):
    """What the panel shows: the stored state, plus OVERDUE for an open step past target."""

    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    position: int
    title: str
    title_en: str
    owner_unit: str | None
    target_min: int
    due_at: datetime
    state: StepState = StepState.OPEN
    finished_at: datetime | None = None
    finished_by: str | None = None
    skip_reason: str | None = None
    version: int = 1

    def status(self, now: datetime) -> StepStatus:
        if self.state is StepState.DONE:
            return StepStatus.DONE
        if self.state is StepState.SKIPPED:
            return StepStatus.SKIPPED
        return StepStatus.OVERDUE if now > self.due_at else StepStatus.OPEN

    def remaining(self, now: datetime) -> timedelta:
        """Time left to the target (negative when overdue)."""
        return self.due_at - now

    def took(self, activated_at: datetime) -> timedelta | None:
        """How long the step took from activation (for the drill report)."""
        return None if self.finished_at is None else self.finished_at - activated_at

    def late(self) -> bool:
        return self.finished_at is not None and self.finished_at > self.due_at


def resolve_owner(
    step: PlanStep, district: str, units: Iterable[tuple[str, str, str | None]]
) -> str | None:
    """The unit id owning a step: the named unit, or the district's unit of the step's kind
    (city-wide units, without a district, serve any district). ``units`` are
    (id, kind, district) triples."""
    if step.owner_unit is not None:
        return step.owner_unit
    candidates = [(uid, d) for uid, kind, d in units if kind == step.owner_kind]
    for uid, d in candidates:
        if d == district:
            return uid
    for uid, d in candidates:
        if d is None:
            return uid
    return candidates[0][0] if candidates else None


def activate(
    plan: ResponsePlan,
    at: datetime,
    district: str,
    units: Iterable[tuple[str, str, str | None]] = (),
) -> tuple[ChecklistStep, ...]:
    """The checklist of a plan activated at ``at``: every step open, due at its target."""
    if at.tzinfo is None:
        raise ValueError("activation time must be aware")
    at = at.astimezone(UTC)
    unit_list = list(units)
    return tuple(
        ChecklistStep(
            key=s.key,
            position=i,
            title=s.title,
            title_en=s.title_en,
            owner_unit=resolve_owner(s, district, unit_list),
            target_min=s.target_min,
            due_at=at + timedelta(minutes=s.target_min),
        )
        for i, s in enumerate(plan.steps)
    )


MAX_SKIP_REASON = 2_000


def check_finish(step: ChecklistStep, outcome: StepState, reason: str | None) -> str | None:
    """Check that ``step`` may become ``outcome`` (done, or skipped with a reason) and return
    the cleaned reason. A finished step stays finished: the record of when it was done is
    what the after-action review reads."""
    if outcome is StepState.OPEN:
        raise ValidationError(
            "state", "error.step_outcome", "a step ends done or skipped", "步骤只能完成或跳过"
        )
    if step.state is not StepState.OPEN:
        raise IllegalTransition(
            "error.step_finished",
            f"step {step.key} is already {step.state.value}",
            f"步骤“{step.title}”已{'完成' if step.state is StepState.DONE else '跳过'}",
            step=step.key,
        )
    text = (reason or "").strip()
    if outcome is StepState.SKIPPED and not text:
        raise ValidationError(
            "reason",
            "error.skip_reason_required",
            "skipping a step needs a reason",
            "跳过步骤须填写理由",
        )
    if len(text) > MAX_SKIP_REASON:
        raise ValidationError(
            "reason",
            "error.field_too_long",
            f"reason is {len(text)} characters; at most {MAX_SKIP_REASON}",
            f"理由过长（最多{MAX_SKIP_REASON}字）",
        )
    return text or None
