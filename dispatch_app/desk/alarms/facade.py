"""Alarm use cases: evaluating the live feed, persisting alarms, operator actions, alarm → case,
and the administrator's rule edits. Qt-free; built beside the foundation `Desk` on its store.

How one workstation runs it (ui/alarm_integration.py does exactly this):

* the feed poller hands every page of observations to ``feed()`` (cheap, any thread: it only
  queues them);
* a timer calls ``evaluate()`` every few seconds in an executor: the queued observations go into
  the pure ``AlarmEngine``, its verdicts through the lifecycle (dispatch_app.domain.alarms), and
  the resulting changes into the database in one transaction, with history, audit and
  change-feed rows; a rule with ``open_case`` opens a quality case in that same transaction;
* ``tick()`` (also timed) expires shelving and sets the stale and chattering flags;
* the operator acknowledges, shelves, unshelves and opens cases through the methods below.

Several workstations on one database: every alarm write is version-checked (``insert`` refuses a
key that exists, ``update`` a row that moved on). Two desks evaluating the same feed compute the
same change; the first write wins and the second desk, refused, reloads the stored alarm — so an
alarm exists once, its case is opened once, and an acknowledgement made anywhere is what every
desk holds next (also pushed at once through the change feed, topic ``alarm``).

Times: evaluation runs on ``clock`` (by default the desk's clock). A drill played at speed has its
own clock; pass ``clock=alarm_desk.data_clock`` to follow the data's time instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from dispatch_app.config import AppPaths
from dispatch_app.desk.alarms.actions import OperatorActions
from dispatch_app.desk.alarms.exercise import AlarmExercise
from dispatch_app.desk.alarms.rounds import AlarmRounds
from dispatch_app.desk.alarms.rules_file import RuleEditing
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.domain.alarm_rules import (
    parse_rules,
)
from dispatch_app.store import alarm_records

log = logging.getLogger(__name__)


class AlarmDesk(OperatorActions, AlarmRounds, AlarmExercise, RuleEditing):
    """Alarms on one workstation's `Desk`. Thread-safe: the feed may call ``feed`` on the UI
    thread while ``evaluate``/``tick`` and operator actions run in executor threads."""

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        desk: Desk,
        resources_dir: Path | None = None,
        *,
        rules_path: Path | None = None,
        user_rules_path: Path | None = None,
        stations: Iterable[Any] = (),
        clock: Callable[[], datetime] | None = None,
    ) -> AlarmDesk:
        """Alarms on ``desk``: rules from ``rules_path`` when given (read and saved there);
        otherwise the administrator's saved edit in ``user_rules_path`` (default: the user
        config directory, ``AppPaths.alarm_rules_file``) or, before any edit, the shipped
        defaults (resources/rules/alarms.toml, never written); the newer revision saved in the
        database wins over either. The stored alarms loaded; the engine built for ``stations``
        (feed ``Station`` records or registry entries; ``set_stations`` may give them later,
        from the feed's /stations)."""
        if rules_path is None:
            rules_path = user_rules_path or AppPaths.default().alarm_rules_file
            shipped = (resources_dir or default_resources_dir()) / "rules" / "alarms.toml"
            path = rules_path if rules_path.exists() else shipped
        else:
            path = rules_path
        text = path.read_text(encoding="utf-8") if path.exists() else "revision = 1\n"
        rules = parse_rules(text, path.name)
        with desk.store.read() as conn:
            saved = alarm_records.latest_rule_revision(conn)
        if saved is not None and int(saved["revision"]) >= rules.revision:
            text = str(saved["text"])
            rules = parse_rules(text, f"revision {saved['revision']}")
        alarm_desk = cls(desk, rules, text, rules_path=rules_path, clock=clock)
        alarm_desk.reload()
        entries = list(stations)
        if entries:
            alarm_desk.set_stations(entries)
        return alarm_desk

    def start(self) -> None:
        """Follow other workstations' alarm and rule changes (through ``desk.events``; start
        the desk's change feed too)."""
        if self._unsubscribe is None:
            self._unsubscribe = self.desk.events.subscribe(self._on_desk_event)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
