"""The in-process event bus the UI subscribes to.

Both kinds of change arrive here: those this desk made (published right after commit, on the
caller's thread) and those other workstations made (from the store's change feed, on the
feed's thread). Subscribers that touch Qt must forward to the GUI thread themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changed:
    """Something changed: ``topic`` is ``case``, ``user`` or ``filter``."""

    topic: str
    entity_id: int
    version: int
    action: str  # create, triage, dispatch, …, note, edit, set_emergency_level
    local: bool  # made by this desk (True) or by another workstation (False)


Subscriber = Callable[[Changed], None]


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Register ``fn``; returns a function that unsubscribes it."""
        with self._lock:
            self._subscribers.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._subscribers:
                    self._subscribers.remove(fn)

        return unsubscribe

    def publish(self, event: Changed) -> None:
        with self._lock:
            targets = list(self._subscribers)
        for fn in targets:
            try:
                fn(event)
            except Exception:  # one broken subscriber must not hide the event from others
                log.exception("event subscriber failed for %s", event)
