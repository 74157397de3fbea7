"""The desk: every use case the UI calls, in one place, free of Qt.

All methods are synchronous and may block on the database: the UI runs them in an executor.
Each change is one database transaction holding the change itself, its timeline entry, its
audit-log entry and its change-feed row, so none exists without the others. After commit the
change is published on ``events``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from dispatch_app.desk import closure, passwords
from dispatch_app.desk.audit_values import jsonable
from dispatch_app.desk.closure import ClosureSteps
from dispatch_app.desk.conflicts import stale_case, update_case_returning
from dispatch_app.desk.context import DeskContext, not_logged_in
from dispatch_app.desk.errors import AuthError, LockedOut
from dispatch_app.desk.events import Changed, EventBus
from dispatch_app.desk.registry import (
    default_resources_dir,
    load_deadline_rules,
    load_queue_view_rules,
    load_units,
)
from dispatch_app.desk.views import (
    BulkResult,
    CaseDetail,
    CaseView,
    SavedFilterView,
    TimelineEntryView,
    UnitLoad,
    UserView,
)
from dispatch_app.domain.case_details import (
    FOREIGN_DETAIL_KEYS,
    OWNER_NAMES_ZH,
    carry_foreign_keys,
    foreign_key_changed,
    mask_personal_data,
    masked_case_values,
    masked_timeline_values,
    owns_due_times,
    unmask_text_edits,
)
from dispatch_app.domain.cases import (
    EDITABLE_FIELDS,
    UNIT_LOAD_STATUSES,
    CaseDraft,
    CaseKind,
    EmergencyLevel,
    Status,
    validate_draft,
    validate_note,
)
from dispatch_app.domain.deadlines import DeadlineRules, DeadlineState, assess, due_times, sort_key
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import DomainError, IllegalTransition, ValidationError
from dispatch_app.domain.queue_views import (
    DEFAULT_QUEUE_VIEW_RULES,
    QueueViewRules,
    backlog_before,
    current_shift_end,
)
from dispatch_app.domain.reference import format_reference, reference_year, sequence_name
from dispatch_app.domain.roles import Permission, Role, allows, permission_denied, require
from dispatch_app.domain.units import Unit, UnitRegistry
from dispatch_app.domain.workflow import (
    CLOSURE_STEPS,
    Action,
    ClosureCode,
    allowed_actions,
    check_transition,
    edit_refusal,
    refusal,
)
from dispatch_app.store import case_records, filter_records, user_records
from dispatch_app.store.audit_records import append_audit
from dispatch_app.store.change_feed import (
    CHANGE_RETENTION,
    Change,
    ChangeFeed,
    prune_changes,
    record_change,
)
from dispatch_app.store.database import Store
from dispatch_app.store.engine import DEFAULT_BUSY_TIMEOUT_S
from dispatch_app.store.errors import ConflictError, NotFound, StoreUnavailable
from dispatch_app.store.queue import (
    QueueCounts,
    QueueQuery,
    QueueRow,
    QueueSort,
    QueueView,
    ViewTimes,
    has_text_index,
    queue_count,
    queue_counts,
    queue_page,
    unit_loads,
)
from dispatch_app.store.schema import refresh_statistics, upgrade_to_head

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MAX_PAGE = 1000
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")

# What a module's case.create audit entry names of the row beside its own facts.
_AUDIT_SUMMARY = ("reference", "kind", "title", "district", "priority")

# Which timestamp column each action sets.
_ACTION_STAMP = {
    Action.TRIAGE: "triaged_at",
    Action.DISPATCH: "dispatched_at",
    Action.ACKNOWLEDGE: "acknowledged_at",
    Action.ARRIVE: "arrived_at",
    Action.RESOLVE: "resolved_at",
    Action.CLOSE: "closed_at",
    Action.APPROVE_CLOSE: "closed_at",
    Action.CANCEL: "cancelled_at",
}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Desk(ClosureSteps):
    """One workstation's desk on one database. Not shared between threads for writes of the
    same user action, but safe to call from an executor thread while the change feed runs."""

    def __init__(
        self,
        store: Store,
        rules: DeadlineRules,
        units: UnitRegistry,
        *,
        clock: Callable[[], datetime] = _utcnow,
        origin: str | None = None,
        scrypt_n: int = passwords.N,
        queue_rules: QueueViewRules = DEFAULT_QUEUE_VIEW_RULES,
    ) -> None:
        self.context = DeskContext(
            store, clock, origin or f"desk-{uuid.uuid4().hex[:12]}", EventBus()
        )
        # scrypt cost for new password hashes (stored with each hash, so checks use the cost
        # the hash was made with); lowered only by tests that are not about passwords.
        self.scrypt_n = scrypt_n
        self.rules = rules
        self.unit_registry = units
        self._feed: ChangeFeed | None = None
        self._has_text_index: bool | None = None
        self.queue_rules = queue_rules
        # "When does the current shift end": the queue's needs-action view asks only this,
        # so the duty roster can replace it (a function of the desk's clock time).
        self.shift_end: Callable[[datetime], datetime] = lambda now: current_shift_end(
            now, self.queue_rules
        )

    # The workstation's shared state lives in ``context`` (the feature desks read it there);
    # these names stay for the callers that know the desk.

    @property
    def store(self) -> Store:
        return self.context.store

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.context.clock

    @clock.setter
    def clock(self, clock: Callable[[], datetime]) -> None:
        self.context.clock = clock

    @property
    def origin(self) -> str:
        return self.context.origin

    @property
    def events(self) -> EventBus:
        return self.context.events

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls,
        url: str,
        *,
        resources_dir: Path | None = None,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        clock: Callable[[], datetime] = _utcnow,
        upgrade: bool = True,
        scrypt_n: int = passwords.N,
    ) -> Desk:
        """Open the database at ``url``, upgrade its schema, load units and deadline rules.

        Raises StoreUnavailable (locked, read-only, unreachable), UnitRegistryError or
        DeadlineRulesError with a message naming the file and the entry.
        """
        resources = resources_dir or default_resources_dir()
        units = load_units(resources / "units.toml")
        rules = load_deadline_rules(resources / "rules" / "deadlines.toml")
        queue_rules = load_queue_view_rules(resources / "rules" / "queue_views.toml")
        store = Store(url, busy_timeout_s)
        try:
            if upgrade:
                upgrade_to_head(store)
                with contextlib.suppress(StoreUnavailable):  # read-only: plan without stats
                    refresh_statistics(store)
                    _complete_search_index(store)
        except Exception:
            store.dispose()
            raise
        return cls(store, rules, units, clock=clock, scrypt_n=scrypt_n, queue_rules=queue_rules)

    def close(self) -> None:
        """Stop the change feed and release the database."""
        self.stop_change_feed()
        self.store.dispose()

    def start_change_feed(self, poll_interval_s: float = 0.5) -> None:
        """Deliver other workstations' changes to ``events`` (with ``local=False``)."""
        if self._feed is not None:
            return
        self._feed = ChangeFeed(
            self.store, self.origin, self._remote, poll_interval_s, prune=self.prune_changes
        )
        self._feed.start()

    def stop_change_feed(self) -> None:
        if self._feed is not None:
            self._feed.stop()
            self._feed = None

    def prune_changes(self) -> int:
        """Delete change-feed rows older than ``CHANGE_RETENTION`` (7 days) by the desk's
        clock; returns how many. The change feed runs it on its own thread when it starts and
        every 6 hours after (a first run over a large backlog takes about a second, which
        must not hold up opening the desk); safe while other workstations write and prune."""
        return prune_changes(self.store, self.clock() - CHANGE_RETENTION)

    @property
    def change_feed_error(self) -> str | None:
        return None if self._feed is None else self._feed.error

    def _remote(self, change: Change) -> None:
        self.events.publish(
            Changed(change.topic, change.entity_id, change.version, change.action, local=False)
        )

    # ------------------------------------------------------------------ users and login

    @property
    def current_user(self) -> UserView | None:
        return self.context.user

    def needs_first_administrator(self) -> bool:
        """True on a database without users: the UI asks for the first administrator."""
        with self.store.read() as conn:
            return user_records.count_users(conn) == 0

    def create_first_administrator(
        self, username: str, display_name: str, password: str
    ) -> UserView:
        """Create the first administrator and log in as them. Refused once any user exists."""
        now = self.clock()
        values = self._new_user_values(username, display_name, Role.ADMINISTRATOR, password, now)
        with self.store.write() as conn:
            if user_records.count_users(conn) > 0:
                raise AuthError(
                    "error.first_admin_exists",
                    "the first administrator already exists; log in instead",
                    "首个管理员账号已存在，请直接登录",
                )
            user_id = user_records.insert_user(conn, values)
            append_audit(
                conn,
                now,
                values["username"],
                "user.create_first_admin",
                "user",
                user_id,
                {"username": values["username"], "role": "administrator"},
            )
            record_change(conn, now, "user", user_id, 1, "create", self.origin)
            user = UserView.from_row(user_records.get_user(conn, user_id))
        self.context.user = user
        self.events.publish(Changed("user", user_id, 1, "create", local=True))
        return user

    def login(self, username: str, password: str) -> UserView:
        """Check the password; 5 failures lock the account for 15 minutes.

        Raises AuthError (wrong name or password, without saying which) or LockedOut. The
        password is checked outside any transaction (scrypt takes a tenth of a second, and a
        SQLite write transaction would hold up the other workstations meanwhile); the failure
        count is then increased atomically, so two wrong attempts at once both count.
        """
        now = self.clock()
        username = (username or "").strip()
        with self.store.read() as conn:
            row = user_records.user_by_name(conn, username)
        if row is None or not row["active"]:
            with self.store.write() as conn:
                append_audit(
                    conn,
                    now,
                    username or "(empty)",
                    "login.failed",
                    "user",
                    username or "(empty)",
                    {"reason": "unknown_or_inactive"},
                )
            raise self._bad_login()
        user_id = int(row["id"])
        if row["locked_until"] is not None and row["locked_until"] > now:
            with self.store.write() as conn:
                append_audit(conn, now, username, "login.refused_locked", "user", user_id, {})
            raise LockedOut(username, row["locked_until"])
        ok = passwords.verify_password(
            password or "", row["password_hash"], row["password_salt"], row["password_params"]
        )
        failure: AuthError
        with self.store.write() as conn:
            if ok:
                user_records.record_login_success(conn, user_id)
                append_audit(conn, now, username, "login", "user", user_id, {})
                user = UserView.from_row(user_records.get_user(conn, user_id))
                self.context.user = user
                return user
            failed = user_records.record_login_failure(conn, user_id)
            if failed >= MAX_FAILED_LOGINS:
                until = now + LOCKOUT
                user_records.lock_user(conn, user_id, until)
                append_audit(
                    conn,
                    now,
                    username,
                    "login.locked_out",
                    "user",
                    user_id,
                    {"until": until.isoformat()},
                )
                failure = LockedOut(username, until)
            else:
                append_audit(
                    conn,
                    now,
                    username,
                    "login.failed",
                    "user",
                    user_id,
                    {"failed_logins": failed},
                )
                failure = self._bad_login()
        # Raised after commit so the failure count and the audit entry are kept.
        raise failure

    @staticmethod
    def _bad_login() -> AuthError:
        return AuthError("error.bad_login", "wrong user name or password", "用户名或密码错误")

    def logout(self) -> None:
        if self.context.user is not None:
            user = self.context.user
            with self.store.write() as conn:
                append_audit(conn, self.clock(), user.username, "logout", "user", user.id, {})
        self.context.user = None

    def _new_user_values(
        self, username: str, display_name: str, role: Role | str, password: str, now: datetime
    ) -> dict[str, Any]:
        username = (username or "").strip()
        if not _USERNAME.match(username):
            raise ValidationError(
                "username",
                "error.username_invalid",
                "user name must be 2–64 letters, digits, '_', '.' or '-'",
                "用户名须为2–64位字母、数字或 _ . -",
            )
        display_name = (display_name or "").strip() or username
        if len(display_name) > 100:
            raise ValidationError(
                "display_name",
                "error.field_too_long",
                "display name is longer than 100",
                "姓名超过100字",
            )
        try:
            role = Role(role)
        except ValueError:
            raise ValidationError(
                "role", "error.field_choice", f"unknown role {role!r}", f"角色“{role}”无效"
            ) from None
        self._check_password(password)
        digest, salt, params = passwords.hash_password(password, n=self.scrypt_n)
        return {
            "username": username,
            "display_name": display_name,
            "role": role.value,
            "password_hash": digest,
            "password_salt": salt,
            "password_params": params,
            "failed_logins": 0,
            "locked_until": None,
            "active": True,
            "created_at": now,
            "updated_at": now,
        }

    @staticmethod
    def _check_password(password: str) -> None:
        if not isinstance(password, str) or len(password) < passwords.MIN_LENGTH:
            raise ValidationError(
                "password",
                "error.password_too_short",
                f"password must have at least {passwords.MIN_LENGTH} characters",
                f"密码至少{passwords.MIN_LENGTH}位",
            )
        if len(password) > passwords.MAX_LENGTH:
            raise ValidationError(
                "password", "error.field_too_long", "password is too long", "密码过长"
            )

    def list_users(self) -> list[UserView]:
        self.context.actor(Permission.MANAGE_USERS)
        with self.store.read() as conn:
            return [UserView.from_row(r) for r in user_records.list_users(conn)]

    def create_user(
        self, username: str, display_name: str, role: Role | str, password: str
    ) -> UserView:
        actor = self.context.actor(Permission.MANAGE_USERS)
        now = self.clock()
        values = self._new_user_values(username, display_name, role, password, now)
        with self.store.write() as conn:
            user_id = user_records.insert_user(conn, values)
            append_audit(
                conn,
                now,
                actor.username,
                "user.create",
                "user",
                user_id,
                {"username": values["username"], "role": values["role"]},
            )
            record_change(conn, now, "user", user_id, 1, "create", self.origin)
            user = UserView.from_row(user_records.get_user(conn, user_id))
        self.events.publish(Changed("user", user_id, 1, "create", local=True))
        return user

    def update_user(
        self,
        user_id: int,
        expected_version: int,
        *,
        display_name: str | None = None,
        role: Role | str | None = None,
        active: bool | None = None,
        unlock: bool = False,
    ) -> UserView:
        """Change a user's name, role or active flag, or lift a lockout (administrator)."""
        actor = self.context.actor(Permission.MANAGE_USERS)
        now = self.clock()
        values: dict[str, Any] = {"updated_at": now}
        if display_name is not None:
            name = display_name.strip()
            if not name or len(name) > 100:
                raise ValidationError(
                    "display_name",
                    "error.field_empty",
                    "display name must be 1–100 characters",
                    "姓名须为1–100字",
                )
            values["display_name"] = name
        if role is not None:
            try:
                values["role"] = Role(role).value
            except ValueError:
                raise ValidationError(
                    "role", "error.field_choice", f"unknown role {role!r}", f"角色“{role}”无效"
                ) from None
        if active is not None:
            values["active"] = bool(active)
        if unlock:
            values["locked_until"] = None
            values["failed_logins"] = 0
        with self.store.write() as conn:
            current = user_records.get_user(conn, user_id)
            demoting = current["role"] == Role.ADMINISTRATOR.value and (
                values.get("role", Role.ADMINISTRATOR.value) != Role.ADMINISTRATOR.value
                or values.get("active") is False
            )
            if demoting and self._active_admins(conn) <= 1:
                raise ValidationError(
                    "role",
                    "error.last_administrator",
                    "the last active administrator cannot be demoted or deactivated",
                    "不能降级或停用最后一个管理员",
                )
            version = user_records.update_user(conn, user_id, expected_version, values)
            audit_values = {k: v for k, v in values.items() if k != "updated_at"}
            append_audit(
                conn, now, actor.username, "user.update", "user", user_id, jsonable(audit_values)
            )
            record_change(conn, now, "user", user_id, version, "update", self.origin)
            user = UserView.from_row(user_records.get_user(conn, user_id))
        self.events.publish(Changed("user", user_id, version, "update", local=True))
        return user

    @staticmethod
    def _active_admins(conn: Connection) -> int:
        return sum(
            1
            for u in user_records.list_users(conn)
            if u["role"] == Role.ADMINISTRATOR.value and u["active"]
        )

    def set_password(self, user_id: int, new_password: str) -> None:
        """An administrator sets a user's password (and lifts any lockout)."""
        actor = self.context.actor(Permission.MANAGE_USERS)
        self._write_password(actor, user_id, new_password)

    def change_own_password(self, old_password: str, new_password: str) -> None:
        actor = self.context.actor(Permission.READ)
        with self.store.read() as conn:
            row = user_records.get_user(conn, actor.id)
        if not passwords.verify_password(
            old_password or "", row["password_hash"], row["password_salt"], row["password_params"]
        ):
            raise AuthError("error.bad_password", "the current password is wrong", "原密码错误")
        self._write_password(actor, actor.id, new_password)

    def _write_password(self, actor: UserView, user_id: int, new_password: str) -> None:
        self._check_password(new_password)
        digest, salt, params = passwords.hash_password(new_password, n=self.scrypt_n)
        now = self.clock()
        with self.store.write() as conn:
            version = user_records.update_user(
                conn,
                user_id,
                None,
                {
                    "password_hash": digest,
                    "password_salt": salt,
                    "password_params": params,
                    "failed_logins": 0,
                    "locked_until": None,
                    "updated_at": now,
                },
            )
            append_audit(conn, now, actor.username, "user.set_password", "user", user_id, {})
            record_change(conn, now, "user", user_id, version, "password", self.origin)

    # ------------------------------------------------------------------ cases

    def create_case(self, draft: CaseDraft) -> CaseView:
        """Validate and open a case; it gets the next reference number of the year."""
        actor = self.context.actor(Permission.WORK_CASES)
        clean = validate_draft(draft)
        foreign = next((k for k in FOREIGN_DETAIL_KEYS if k in clean.details), None)
        if foreign is not None:
            # Those modules open their cases themselves, with their own records beside them.
            raise _foreign_key_error(foreign)
        if (
            clean.details.get("emergency_level") is not None
            and clean.kind is not CaseKind.EMERGENCY
        ):
            raise ValidationError(
                "emergency_level",
                "error.level_not_emergency",
                "only emergencies have a level",
                "只有突发环境事件有事件级别",
            )
        now = self.clock()
        with self.store.write() as conn:
            case_id, _ = self.insert_case(conn, clean, actor.username, now)
            view = _case_view(case_records.get_case(conn, case_id))
        self.events.publish(Changed("case", case_id, 1, "create", local=True))
        return view

    def insert_case(
        self,
        conn: Connection,
        draft: CaseDraft,
        actor_name: str,
        now: datetime,
        *,
        clock_started_at: datetime | None = None,
        due: Mapping[str, datetime] | None = None,
        timeline_text: str | None = None,
        timeline_data: Mapping[str, Any] | None = None,
        audit_extra: Mapping[str, Any] | None = None,
    ) -> tuple[int, str]:
        """Write a new case from a validated ``draft`` on the caller's connection, inside its
        transaction, and return its id and reference: the one way every module opens a case.

        The row (status new, version 1, the next reference of the year), its 'created'
        timeline entry, its ``case.create`` audit entry and its change-feed row are written
        together; the caller writes what is its own beside them and publishes after commit.
        ``clock_started_at`` defaults to ``now``; ``due`` (response_due_at, resolution_due_at,
        due_at) to the kind's rules. The audit entry records every column but the times, or,
        when the module gives ``audit_extra``, the reference, kind, title, district and
        priority with those facts of its own.
        """
        if due is None:
            response_due, resolution_due = due_times(self.rules, draft.kind, draft.priority, now)
            due = {
                "response_due_at": response_due,
                "resolution_due_at": resolution_due,
                "due_at": sort_key(Status.NEW, response_due, resolution_due),
            }
        year = reference_year(now)
        reference = format_reference(
            year, case_records.next_sequence_value(conn, sequence_name(year))
        )
        values: dict[str, Any] = {
            "reference": reference,
            "kind": draft.kind.value,
            "status": Status.NEW.value,
            "priority": draft.priority.value,
            "title": draft.title,
            "description": draft.description,
            "district": draft.district.value,
            "address": draft.address,
            "lon": draft.lon,
            "lat": draft.lat,
            "source": draft.source.value,
            "enterprise_name": draft.enterprise_name,
            "credit_code": draft.credit_code,
            "details": draft.details,
            "unit_id": None,
            "closure_code": None,
            "created_at": now,
            "created_by": actor_name,
            "clock_started_at": now if clock_started_at is None else clock_started_at,
            "updated_at": now,
            "updated_by": actor_name,
            "response_due_at": due["response_due_at"],
            "resolution_due_at": due["resolution_due_at"],
            "due_at": due["due_at"],
        }
        case_id = case_records.insert_case(conn, values)
        case_records.append_timeline(
            conn,
            case_id,
            {
                "at": now,
                "actor": actor_name,
                "entry_kind": "created",
                "to_status": Status.NEW.value,
                "text": timeline_text,
                "data": None if timeline_data is None else dict(timeline_data),
            },
        )
        if audit_extra is None:
            audit = {k: v for k, v in values.items() if not k.endswith("_at")}
        else:
            audit = {k: values[k] for k in _AUDIT_SUMMARY} | dict(audit_extra)
        append_audit(conn, now, actor_name, "case.create", "case", case_id, jsonable(audit))
        record_change(conn, now, "case", case_id, 1, "create", self.origin)
        return case_id, reference

    def get_case(self, case_id: int) -> CaseView:
        """The case as any role may see it: a petitioner's phone and ID number masked (the
        petitions module reveals them, audited, to the roles its rules allow)."""
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            return _case_view(case_records.get_case(conn, case_id))

    def find_case(self, reference: str) -> CaseView | None:
        """The case with this reference number (CZ-2026-000123), or None."""
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            case_id = case_records.find_case_id(conn, reference.strip().upper())
            if case_id is None:
                return None
            return _case_view(case_records.get_case(conn, case_id))

    def case_detail(self, case_id: int) -> CaseDetail:
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            case = _case_view(case_records.get_case(conn, case_id))
            entries = [
                TimelineEntryView.from_row(masked_timeline_values(case.kind.value, r))
                for r in case_records.timeline_for(conn, case_id)
            ]
            request = closure.closure_request_view(
                conn, {"id": case_id, "closure_requested_at": case.closure_requested_at}
            )
        unit = self.unit_registry.get(case.unit_id) if case.unit_id else None
        return CaseDetail(case, entries, self.deadline(case), unit, request)

    def deadline(self, case: CaseView | QueueRow, now: datetime | None = None) -> DeadlineState:
        """Countdown and colour of a case at ``now`` (pure; the UI calls it every second)."""
        return assess(
            self.rules,
            Status(case.status),
            case.clock_started_at or case.created_at,
            case.response_due_at,
            case.resolution_due_at,
            now or self.clock(),
        )

    def allowed_actions(self, case: CaseView | QueueRow) -> list[Action]:
        """The workflow actions the logged-in user may take on ``case`` now."""
        if self.context.user is None:
            return []
        return allowed_actions(
            Status(case.status),
            self.context.user.role,
            closure_pending=case.closure_requested_at is not None,
        )

    def refusal(self, case: CaseView | QueueRow, action: Action | str) -> DomainError | None:
        """Why the logged-in user may not take ``action`` on ``case`` now (None: they may):
        the rule the action itself is checked against, for the UI's disabled actions."""
        if self.context.user is None:
            return not_logged_in()
        return refusal(
            case.status,
            action,
            self.context.user.role,
            closure_pending=case.closure_requested_at is not None,
        )

    def edit_refusal(self, case: CaseView) -> DomainError | None:
        """Why the logged-in user may not edit ``case`` (closed, cancelled, or the role)."""
        if self.context.user is None:
            return not_logged_in()
        return edit_refusal(case.status, self.context.user.role)

    def permission_refusal(self, permission: Permission) -> DomainError | None:
        """Why the logged-in user lacks ``permission`` (the permission and the least role that
        has it), or None."""
        if self.context.user is None:
            return not_logged_in()
        return (
            None
            if allows(self.context.user.role, permission)
            else permission_denied(self.context.user.role, permission)
        )

    def triage(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.TRIAGE, expected_version, note=note)

    def dispatch(
        self,
        case_id: int,
        unit_id: str,
        *,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> CaseView:
        """Dispatch (or re-dispatch) a case to a unit of the registry."""
        self._check_unit(unit_id)
        return self._transition(
            case_id, Action.DISPATCH, expected_version, note=note, unit_id=unit_id
        )

    def dispatch_many(
        self, case_ids: Iterable[int], unit_id: str, *, note: str | None = None
    ) -> BulkResult:
        """Bulk assign: each case is dispatched in its own transaction, so one case that
        cannot be dispatched (closed, changed meanwhile) does not hold back the others; the
        result lists the failures with their reasons."""
        self.context.actor(Permission.WORK_CASES)
        self._check_unit(unit_id)
        result = BulkResult()
        for case_id in dict.fromkeys(case_ids):
            try:
                result.done.append(self.dispatch(case_id, unit_id, note=note))
            except (IllegalTransition, NotFound, ConflictError, ValidationError) as exc:
                result.failed[case_id] = exc
        return result

    def acknowledge(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.ACKNOWLEDGE, expected_version, note=note)

    def arrive(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.ARRIVE, expected_version, note=note)

    def resolve(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.RESOLVE, expected_version, note=note)

    def close_case(
        self,
        case_id: int,
        closure_code: ClosureCode | str,
        note: str,
        *,
        expected_version: int | None = None,
    ) -> CaseView:
        """Close a resolved case (shift leader): needs a closure code and a note."""
        return self._transition(
            case_id, Action.CLOSE, expected_version, note=note, closure_code=closure_code
        )

    def cancel(self, case_id: int, reason: str, *, expected_version: int | None = None) -> CaseView:
        return self._transition(case_id, Action.CANCEL, expected_version, note=reason)

    def reopen(self, case_id: int, reason: str, *, expected_version: int | None = None) -> CaseView:
        """Reopen a resolved, closed or cancelled case (shift leader, with a reason). The
        deadlines start again from the moment of reopening, except a petition's statutory
        ones, which run from receipt and are kept (see ``owns_due_times``)."""
        return self._transition(case_id, Action.REOPEN, expected_version, note=reason)

    def _check_unit(self, unit_id: str) -> Unit:
        unit = self.unit_registry.get(unit_id) if isinstance(unit_id, str) else None
        if unit is None:
            raise ValidationError(
                "unit",
                "error.unknown_unit",
                f"unit {unit_id!r} is not in the unit registry",
                f"处置单位“{unit_id}”不在单位名录中",
                unit_id=str(unit_id),
            )
        return unit

    def _transition(
        self,
        case_id: int,
        action: Action,
        expected_version: int | None,
        *,
        note: str | None = None,
        closure_code: ClosureCode | str | None = None,
        unit_id: str | None = None,
    ) -> CaseView:
        actor = self.context.actor(Permission.READ)
        now = self.clock()
        with self.store.write() as conn:
            row = case_records.get_case(conn, case_id)
            if expected_version is not None and expected_version != row["version"]:
                raise stale_case(conn, case_id, expected_version, {"action": action.value})
            request = closure.pending_request(conn, row)
            if action is Action.APPROVE_CLOSE and request is not None:
                # Approval closes with what the officer asked for, nothing of the leader's.
                closure_code, note = request["closure_code"], request["note"]
            outcome = check_transition(
                row["status"],
                action,
                actor.role,
                note=note,
                closure_code=closure_code,
                has_unit=unit_id is not None,
                closure_pending=row["closure_requested_at"] is not None,
            )
            values: dict[str, Any] = {
                "status": outcome.to_status.value,
                "updated_at": now,
                "updated_by": actor.username,
                **closure.case_values(action, now),
            }
            stamp = _ACTION_STAMP.get(action)
            if stamp:
                values[stamp] = now
            response_due, resolution_due = row["response_due_at"], row["resolution_due_at"]
            if action is Action.DISPATCH:
                values["unit_id"] = unit_id
            elif action in (Action.CLOSE, Action.APPROVE_CLOSE):
                values["closure_code"] = (
                    outcome.closure_code.value if outcome.closure_code else None
                )
            elif action is Action.REOPEN:
                values["closure_code"] = None
                if not owns_due_times(row["kind"], row["details"] or {}):
                    response_due, resolution_due = due_times(
                        self.rules, CaseKind(row["kind"]), row["priority"], now
                    )
                    values["response_due_at"] = response_due
                    values["resolution_due_at"] = resolution_due
                    values["clock_started_at"] = now
            values["due_at"] = sort_key(outcome.to_status, response_due, resolution_due)
            written = update_case_returning(
                conn, case_id, int(row["version"]), values, {"action": action.value}
            )
            version = int(written["version"])
            data: dict[str, Any] | None = None
            if action is Action.CLOSE:
                data = {"closure_code": values["closure_code"]}
            elif action in CLOSURE_STEPS:
                data = closure.record_step(conn, case_id, outcome, actor, now, request)
            case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "transition",
                    "action": action.value,
                    "from_status": outcome.from_status.value,
                    "to_status": outcome.to_status.value,
                    "unit_id": unit_id,
                    "text": outcome.note,
                    "data": data,
                },
            )
            append_audit(
                conn,
                now,
                actor.username,
                f"case.{action.value}",
                "case",
                case_id,
                jsonable(
                    {
                        "from": outcome.from_status.value,
                        "to": outcome.to_status.value,
                        "unit_id": unit_id,
                        "note": outcome.note,
                        "closure_code": values.get("closure_code"),
                        "version": version,
                        **(data if action in CLOSURE_STEPS and data else {}),
                    }
                ),
            )
            record_change(conn, now, "case", case_id, version, action.value, self.origin)
            view = _case_view(written)
        self.events.publish(Changed("case", case_id, version, action.value, local=True))
        return view

    def add_note(self, case_id: int, text: str) -> TimelineEntryView:
        """Append a free-text note to the case's timeline (never edited afterwards)."""
        actor = self.context.actor(Permission.WORK_CASES)
        clean = validate_note(text)
        now = self.clock()
        with self.store.write() as conn:
            row = case_records.get_case(conn, case_id)
            # A note changes what the case shows: bump the version so other desks refresh.
            version = int(
                update_case_returning(
                    conn,
                    case_id,
                    int(row["version"]),
                    {"updated_at": now, "updated_by": actor.username},
                    {"note": clean},
                )["version"]
            )
            entry_id = case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "note",
                    "text": clean,
                    "data": None,
                },
            )
            append_audit(
                conn,
                now,
                actor.username,
                "case.note",
                "case",
                case_id,
                {"text": clean, "timeline_id": entry_id},
            )
            record_change(conn, now, "case", case_id, version, "note", self.origin)
            entry = next(e for e in case_records.timeline_for(conn, case_id) if e["id"] == entry_id)
        self.events.publish(Changed("case", case_id, version, "note", local=True))
        return TimelineEntryView.from_row(entry)

    def edit_case(
        self, case_id: int, expected_version: int, changes: Mapping[str, Any]
    ) -> CaseView:
        """Change fields of a case edited from ``expected_version``.

        A stale version raises CaseConflict with the case as it is now (``theirs_case``) and
        ``changes`` (``yours``), and writes nothing. Changing the priority recomputes the
        deadlines (not a petition's statutory ones); changing an emergency's level needs a shift leader.
        """
        actor = self.context.actor(Permission.WORK_CASES)
        unknown = sorted(set(changes) - EDITABLE_FIELDS)
        if unknown:
            raise ValidationError(
                unknown[0],
                "error.field_not_editable",
                f"field {unknown[0]!r} cannot be edited",
                f"字段“{unknown[0]}”不可修改",
            )
        now = self.clock()
        with self.store.write() as conn:
            row = case_records.get_case(conn, case_id)
            finished = edit_refusal(row["status"], actor.role)
            if finished is not None:
                raise finished
            if expected_version != row["version"]:
                raise stale_case(conn, case_id, expected_version, changes)
            current = CaseView.from_row(row)
            edits = self._keep_foreign_details(row, unmask_text_edits(row, changes))
            draft = CaseDraft(
                kind=current.kind,
                title=current.title,
                district=current.district,
                priority=current.priority,
                source=current.source,
                description=current.description,
                address=current.address,
                lon=current.lon,
                lat=current.lat,
                enterprise_name=current.enterprise_name,
                credit_code=current.credit_code,
                details=current.details,
            )
            clean = validate_draft(replace(draft, **edits))
            old_level = current.details.get("emergency_level")
            new_level = clean.details.get("emergency_level")
            if old_level != new_level:
                if current.kind is not CaseKind.EMERGENCY:
                    raise ValidationError(
                        "emergency_level",
                        "error.level_not_emergency",
                        "only emergencies have a level",
                        "只有突发环境事件有事件级别",
                    )
                require(actor.role, Permission.SET_EMERGENCY_LEVEL)
                raise _level_elsewhere()
            diff: dict[str, Any] = {}
            for name in EDITABLE_FIELDS:
                old = getattr(current, name)
                new = getattr(clean, name)
                if old != new:
                    diff[name] = new.value if hasattr(new, "value") else new
            if not diff:
                return _case_view(row)
            values: dict[str, Any] = dict(diff, updated_at=now, updated_by=actor.username)
            if "priority" in diff and not owns_due_times(current.kind.value, current.details):
                response_due, resolution_due = due_times(
                    self.rules,
                    current.kind,
                    clean.priority,
                    current.clock_started_at or current.created_at,
                )
                values["response_due_at"] = response_due
                values["resolution_due_at"] = resolution_due
                values["due_at"] = sort_key(current.status, response_due, resolution_due)
            written = update_case_returning(conn, case_id, expected_version, values, changes)
            version = int(written["version"])
            before = {
                k: (
                    getattr(current, k).value
                    if hasattr(getattr(current, k), "value")
                    else getattr(current, k)
                )
                for k in diff
            }
            after = diff
            if current.kind is CaseKind.PETITION:
                # The timeline and the audit log keep no petitioner's number in full.
                before, after = mask_personal_data(before), mask_personal_data(diff)
            case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "edit",
                    "text": None,
                    "data": jsonable({"before": before, "after": after}),
                },
            )
            append_audit(
                conn,
                now,
                actor.username,
                "case.edit",
                "case",
                case_id,
                jsonable({"before": before, "after": after, "version": version}),
            )
            record_change(conn, now, "case", case_id, version, "edit", self.origin)
            view = _case_view(written)
        self.events.publish(Changed("case", case_id, version, "edit", local=True))
        return view

    @staticmethod
    def _keep_foreign_details(row: Mapping[Any, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
        """``changes`` with the details keys other modules own carried over from the database.

        Changing one of them here would bypass that module's rules and records (a petition's
        statutory progress, an emergency's detail, an alarm's link), so it is refused, naming
        the key; leaving one out, or sending back the masked value a view showed, keeps it.
        """
        edits = dict(changes)
        submitted = edits.get("details")
        if not isinstance(submitted, Mapping):
            return edits  # validate_draft refuses a non-object with its own message
        stored = dict(row["details"] or {})
        shown = masked_case_values(row)["details"]
        key = foreign_key_changed(submitted, stored, shown)
        if key is not None:
            raise _foreign_key_error(key)
        edits["details"] = carry_foreign_keys(submitted, stored)
        return edits

    def set_emergency_level(
        self, case_id: int, level: EmergencyLevel | str, expected_version: int
    ) -> CaseView:
        """Refused: an emergency's level is decided with a reason through
        ``EmergencyDesk.decide_level``, which keeps the level history (who, when, the figures,
        the proposal it followed or departed from). One place for that rule; a generic path
        beside it would change the level with no reason and no history.

        Raises PermissionDenied below a shift leader, ValidationError(``emergency_level``)
        for a case that is not an emergency, and otherwise ValidationError
        (``error.level_via_emergency_desk``) naming the place to do it.
        """
        self.context.actor(Permission.SET_EMERGENCY_LEVEL)
        case = self.get_case(case_id)
        if case.kind is not CaseKind.EMERGENCY:
            raise ValidationError(
                "emergency_level",
                "error.level_not_emergency",
                "only emergencies have a level",
                "只有突发环境事件有事件级别",
            )
        raise _level_elsewhere()

    # ------------------------------------------------------------------ queue

    def queue_page(
        self, query: QueueQuery | None = None, offset: int = 0, limit: int = 100
    ) -> list[QueueRow]:
        """One page of the queue, filtered and sorted by the database."""
        self.context.actor(Permission.READ)
        query = self._check_query(query or QueueQuery())
        if not 0 <= limit <= MAX_PAGE or offset < 0:
            raise ValidationError(
                "limit",
                "error.page",
                f"page must be 0–{MAX_PAGE} rows from offset ≥ 0",
                "分页参数无效",
            )
        now = self.clock()
        with self.store.read() as conn:
            return queue_page(
                conn, query, now, offset, limit, self._text_index(conn), self.view_times(now)
            )

    def queue_count(self, query: QueueQuery | None = None) -> int:
        self.context.actor(Permission.READ)
        query = self._check_query(query or QueueQuery())
        now = self.clock()
        with self.store.read() as conn:
            return queue_count(conn, query, now, self._text_index(conn), self.view_times(now))

    def queue_counts(self, query: QueueQuery | None = None) -> QueueCounts:
        """How many cases each view (needs action, backlog, all) holds under the query's
        other filters: the numbers on the queue's view switch."""
        self.context.actor(Permission.READ)
        query = self._check_query(query or QueueQuery())
        now = self.clock()
        with self.store.read() as conn:
            return queue_counts(conn, query, now, self.view_times(now), self._text_index(conn))

    def view_times(self, now: datetime | None = None) -> ViewTimes:
        """Where the queue's views are cut at ``now``: the backlog threshold and the end of
        the current shift (``shift_end``)."""
        now = now or self.clock()
        return ViewTimes(backlog_before(now, self.queue_rules), self.shift_end(now))

    def _text_index(self, conn: Connection) -> bool:
        # Looked up once: the index comes with a schema revision, which is fixed after open.
        if self._has_text_index is None:
            self._has_text_index = has_text_index(conn)
        return self._has_text_index

    def _check_query(self, query: QueueQuery) -> QueueQuery:
        from dispatch_app.domain.cases import Priority

        checks: list[tuple[str, tuple[str, ...], Any]] = [
            ("kinds", query.kinds, CaseKind),
            ("statuses", query.statuses, Status),
            ("priorities", query.priorities, Priority),
            ("districts", query.districts, District),
        ]
        for field_name, values, enum_type in checks:
            for v in values:
                try:
                    enum_type(v)
                except ValueError:
                    raise ValidationError(
                        field_name,
                        "error.field_choice",
                        f"unknown {field_name} value {v!r}",
                        f"筛选条件“{v}”无效",
                    ) from None
        for unit_id in query.unit_ids:
            self._check_unit(unit_id)
        if len(query.text) > 200:
            raise ValidationError(
                "text",
                "error.field_too_long",
                "search text is longer than 200 characters",
                "搜索内容超过200字",
            )
        try:
            query = replace(query, view=QueueView(query.view), sort=QueueSort(query.sort))
        except ValueError:
            raise ValidationError(
                "view",
                "error.field_choice",
                f"unknown queue view {query.view!r} or sort {query.sort!r}",
                "队列视图或排序方式无效",
            ) from None
        return query

    # ------------------------------------------------------------------ units

    def units(self, district: District | str | None = None) -> list[UnitLoad]:
        """Every unit with its open load; with ``district``, that district's branch is marked
        ``suggested`` and listed first."""
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            loads = unit_loads(conn, tuple(s.value for s in UNIT_LOAD_STATUSES))
        suggested = self.unit_registry.branch_for(district) if district else None
        result = [
            UnitLoad(u, loads.get(u.id, 0), suggested is not None and u.id == suggested.id)
            for u in self.unit_registry.units
        ]
        result.sort(key=lambda ul: not ul.suggested)
        return result

    def suggested_unit(self, district: District | str) -> Unit | None:
        return self.unit_registry.branch_for(district)

    # ------------------------------------------------------------------ saved filters

    def saved_filters(self) -> list[SavedFilterView]:
        user = self.context.actor(Permission.READ)
        with self.store.read() as conn:
            rows = filter_records.list_filters(conn, user.id)
        result = []
        for r in rows:
            try:
                query = QueueQuery.from_json(r["query"])
            except (ValueError, TypeError, AttributeError):
                # A filter saved by a newer desk (or damaged) must not hide the others.
                log.warning("saved filter %s of %s is unreadable; skipped", r["id"], user.username)
                continue
            result.append(SavedFilterView(r["id"], r["name"], query, r["version"]))
        return result

    def save_filter(self, name: str, query: QueueQuery) -> SavedFilterView:
        """Save (or replace) the logged-in user's filter called ``name``."""
        user = self.context.actor(Permission.READ)
        name = (name or "").strip()
        if not name or len(name) > 100:
            raise ValidationError(
                "name",
                "error.field_empty",
                "a filter needs a name of 1–100 characters",
                "筛选条件名称须为1–100字",
            )
        self._check_query(query)
        now = self.clock()
        with self.store.write() as conn:
            existing = filter_records.filter_by_name(conn, user.id, name)
            if existing is None:
                filter_id = filter_records.insert_filter(
                    conn,
                    {
                        "user_id": user.id,
                        "name": name,
                        "query": query.to_json(),
                        "created_at": now,
                        "updated_at": now,
                    },
                )
                version = 1
            else:
                filter_id = int(existing["id"])
                version = filter_records.update_filter(
                    conn,
                    filter_id,
                    int(existing["version"]),
                    {"query": query.to_json(), "updated_at": now},
                )
            append_audit(
                conn,
                now,
                user.username,
                "filter.save",
                "filter",
                filter_id,
                {"name": name, "query": query.to_json()},
            )
            record_change(conn, now, "filter", filter_id, version, "save", self.origin)
        self.events.publish(Changed("filter", filter_id, version, "save", local=True))
        return SavedFilterView(filter_id, name, query, version)

    def delete_filter(self, filter_id: int) -> None:
        user = self.context.actor(Permission.READ)
        now = self.clock()
        with self.store.write() as conn:
            filter_records.delete_filter(conn, filter_id, user.id)
            append_audit(conn, now, user.username, "filter.delete", "filter", filter_id, {})
            record_change(conn, now, "filter", filter_id, 0, "delete", self.origin)
        self.events.publish(Changed("filter", filter_id, 0, "delete", local=True))

    def can(self, permission: Permission) -> bool:
        return self.context.user is not None and allows(self.context.user.role, permission)


def _foreign_key_error(key: str) -> ValidationError:
    owner = FOREIGN_DETAIL_KEYS[key]
    return ValidationError(
        f"details.{key}",
        "error.details_key_owned",
        f"details.{key} is kept by the {owner} module and cannot be set or changed by a "
        "generic case write; use that module's own actions",
        f"详情字段“{key}”由{OWNER_NAMES_ZH[owner]}模块维护，不能在通用事项操作中填写或修改，"
        "请使用该模块的操作",
        owner=owner,
    )


def _level_elsewhere() -> ValidationError:
    return ValidationError(
        "emergency_level",
        "error.level_via_emergency_desk",
        "an emergency's level is decided with a reason in the emergency panel "
        "(EmergencyDesk.decide_level), which keeps the level history",
        "事件级别须在突发环境事件面板中定级并填写理由（保留定级记录）",
    )


def _case_view(row: Mapping[Any, Any]) -> CaseView:
    """A case row as the generic paths hand it out (a petitioner's numbers masked)."""
    return CaseView.from_row(masked_case_values(row))


def _complete_search_index(store: Store) -> None:
    """Rows written around the store (a bulk import) are missing from the search index:
    refill it then, so a search never silently misses cases."""
    with store.read() as conn:
        complete = case_records.case_search_is_complete(conn)
    if not complete:
        log.warning("case search index incomplete: rebuilding it")
        with store.write() as conn:
            case_records.rebuild_case_search(conn)
