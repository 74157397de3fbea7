"""The desk: every use case the UI calls, free of Qt (see ``Desk``)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from dispatch_app.desk import passwords
from dispatch_app.desk.accounts import AccountSteps
from dispatch_app.desk.cases.base import utcnow
from dispatch_app.desk.cases.closure import ClosureSteps
from dispatch_app.desk.cases.dispatching import DispatchSteps
from dispatch_app.desk.cases.editing import CaseEditing
from dispatch_app.desk.cases.filters import SavedFilters
from dispatch_app.desk.cases.notes import CaseNotes
from dispatch_app.desk.cases.opening import CaseOpening
from dispatch_app.desk.events import Changed
from dispatch_app.desk.registry import (
    default_resources_dir,
    load_deadline_rules,
    load_queue_view_rules,
    load_units,
)
from dispatch_app.store import case_records
from dispatch_app.store.change_feed import (
    CHANGE_RETENTION,
    Change,
    ChangeFeed,
    prune_changes,
)
from dispatch_app.store.database import Store
from dispatch_app.store.engine import DEFAULT_BUSY_TIMEOUT_S
from dispatch_app.store.errors import StoreUnavailable
from dispatch_app.store.schema import refresh_statistics, upgrade_to_head

log = logging.getLogger(__name__)


class Desk(
    AccountSteps,
    CaseOpening,
    CaseEditing,
    DispatchSteps,
    ClosureSteps,
    CaseNotes,
    SavedFilters,
):
    """One workstation's desk on one database: every use case the UI calls, free of Qt.

    All methods are synchronous and may block on the database: the UI runs them in an
    executor. Not shared between threads for writes of the same user action, but safe to
    call from an executor thread while the change feed runs. The use cases live in the
    modules of this package, one concern each; every write goes through the unit of work
    (``dispatch_app.desk.unit_of_work``), which holds the change, its timeline entry, its
    audit entry and its change-feed row in one transaction and publishes after commit.
    """

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls,
        url: str,
        *,
        resources_dir: Path | None = None,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        clock: Callable[[], datetime] = utcnow,
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


def _complete_search_index(store: Store) -> None:
    """Rows written around the store (a bulk import) are missing from the search index:
    refill it then, so a search never silently misses cases."""
    with store.read() as conn:
        complete = case_records.case_search_is_complete(conn)
    if not complete:
        log.warning("case search index incomplete: rebuilding it")
        with store.write() as conn:
            case_records.rebuild_case_search(conn)
