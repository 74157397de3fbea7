"""What every part of the cases desk shares: the workstation context and its names."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from dispatch_app.desk import passwords
from dispatch_app.desk.context import DeskContext, not_logged_in
from dispatch_app.desk.events import EventBus
from dispatch_app.desk.views import (
    CaseView,
    UserView,
)
from dispatch_app.domain.case_details import masked_case_values
from dispatch_app.domain.deadlines import DeadlineRules
from dispatch_app.domain.errors import DomainError, ValidationError
from dispatch_app.domain.queue_views import (
    DEFAULT_QUEUE_VIEW_RULES,
    QueueViewRules,
    current_shift_end,
)
from dispatch_app.domain.roles import Permission, allows, permission_denied
from dispatch_app.domain.units import Unit, UnitRegistry
from dispatch_app.store.change_feed import ChangeFeed
from dispatch_app.store.database import Store


def utcnow() -> datetime:
    return datetime.now(UTC)


class DeskBase:
    """The state of one workstation's desk; the use-case mixins of ``Desk`` build on it."""

    def __init__(
        self,
        store: Store,
        rules: DeadlineRules,
        units: UnitRegistry,
        *,
        clock: Callable[[], datetime] = utcnow,
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

    @property
    def current_user(self) -> UserView | None:
        return self.context.user

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

    def can(self, permission: Permission) -> bool:
        return self.context.user is not None and allows(self.context.user.role, permission)

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


def case_view(row: Mapping[Any, Any]) -> CaseView:
    """A case row as the generic paths hand it out (a petitioner's numbers masked)."""
    return CaseView.from_row(masked_case_values(row))
