"""Use cases the UI calls (Qt-free). Start with ``Desk.open(url)``; see docs/contracts.md,
section "Desk API"."""

from dispatch_app.desk.desk import Desk
from dispatch_app.desk.events import Changed, EventBus
from dispatch_app.store.queue import QueueCounts, QueueQuery, QueueRow, QueueSort, QueueView

__all__ = [
    "Changed",
    "Desk",
    "EventBus",
    "QueueCounts",
    "QueueQuery",
    "QueueRow",
    "QueueSort",
    "QueueView",
]
