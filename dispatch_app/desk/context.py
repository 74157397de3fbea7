"""What every use case of one workstation shares: the store, the clock, the workstation's
origin and event bus, and who is logged in.

One place asks "who acts, and may they?": ``actor(permission)``, with the permission named
by each use case (no default, so no use case runs on a permission it did not choose).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from dispatch_app.desk.errors import AuthError
from dispatch_app.desk.events import EventBus
from dispatch_app.desk.unit_of_work import UnitOfWork
from dispatch_app.desk.views import UserView
from dispatch_app.domain.roles import Permission, require
from dispatch_app.store.database import Store


def not_logged_in() -> AuthError:
    return AuthError("error.not_logged_in", "nobody is logged in", "请先登录")


class DeskContext:
    """One workstation's shared state; the desks of every feature read it, none copies it."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime], origin: str, events: EventBus
    ) -> None:
        self.store = store
        self.clock = clock
        self.origin = origin
        self.events = events
        self.user: UserView | None = None

    def actor(self, permission: Permission) -> UserView:
        """The logged-in user, if their role has ``permission``; else AuthError (nobody
        logged in) or PermissionDenied."""
        if self.user is None:
            raise not_logged_in()
        require(self.user.role, permission)
        return self.user

    def unit_of_work(
        self, permission: Permission | None, *, now: datetime | None = None
    ) -> UnitOfWork:
        """A write of one use case: the actor is checked now (before any validation, as the
        officer would be told first), the transaction opens when the ``with`` block starts.

        ``permission=None`` is for the writes made before anyone is logged in (login, the
        first administrator): they name the actor themselves on each audit entry.
        """
        actor = None if permission is None else self.actor(permission)
        return UnitOfWork(
            self.store, self.events, self.origin, actor, self.clock() if now is None else now
        )
