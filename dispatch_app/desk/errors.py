"""Every error the desk raises to the UI, in one place.

All carry ``key`` (a message key for translation), ``message(lang)`` (ready Simplified
Chinese or English text) and ``params``. The UI catches these and shows the message; anything
else is a bug.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from dispatch_app.domain.errors import (
    DomainError,
    IllegalTransition,
    PermissionDenied,
    ValidationError,
)
from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.store.errors import ConflictError, NotFound, StoreError, StoreUnavailable

if TYPE_CHECKING:
    from dispatch_app.desk.views import CaseView

__all__ = [
    "AuthError",
    "CaseConflict",
    "ConflictError",
    "DomainError",
    "IllegalTransition",
    "LockedOut",
    "NotFound",
    "PermissionDenied",
    "StoreError",
    "StoreUnavailable",
    "ValidationError",
]


class AuthError(DomainError):
    """Login failed (wrong user name or password; which one is not said), or no one is
    logged in."""


class LockedOut(AuthError):
    """Too many failed logins: the account is locked until ``until`` (aware UTC)."""

    def __init__(self, username: str, until: datetime) -> None:
        local = until.astimezone(CENTER_TZ).strftime("%H:%M")
        super().__init__(
            "error.locked_out",
            f"account {username!r} is locked after repeated failed logins until {local} "
            "(Asia/Shanghai)",
            f"账号“{username}”因多次登录失败已锁定，请于{local}后再试",
            username=username,
            until=until.isoformat(),
        )
        self.until = until


class CaseConflict(ConflictError):
    """A stale write to a case: ``theirs_case`` is the case as it is now, ``yours`` the
    changes the user made (keep them in the editor)."""

    def __init__(self, base: ConflictError, theirs_case: CaseView) -> None:
        super().__init__(
            base.entity,
            base.entity_id,
            base.your_version,
            base.their_version,
            base.theirs,
            base.yours,
        )
        self.theirs_case = theirs_case


def describe(exc: BaseException, lang: str = "zh") -> str:
    """The text to show for any desk error (falls back to str() for the unexpected)."""
    message: Any = getattr(exc, "message", None)
    if callable(message):
        return str(message(lang))
    return str(exc)
