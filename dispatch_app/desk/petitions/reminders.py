"""Deadline reminders: raised once for every workstation, acknowledged by one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.petitions.base import PetitionDeskBase
from dispatch_app.desk.petitions.values import (
    MERGE_KEY,
    REMINDER_TOPIC,
    RaisedReminder,
)
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.petition_deadlines import (
    Deadline,
    reminders_due,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import petition_records
from dispatch_app.store.queue import OPEN_STATUSES


class PetitionReminders(PetitionDeskBase):
    """Reminders of ``PetitionDesk`` (mixed into it)."""

    def collect_reminders(self, now: datetime | None = None) -> list[RaisedReminder]:
        """Raise the reminders (3 days, 1 day before) whose time has come, each once across
        every desk on the database; returns those this call raised. Call it every minute.

        Each raised reminder is written to the change feed and published as
        ``Changed(REMINDER_TOPIC, case_id, reminder_id, "raise")``, so every workstation
        refreshes its `open_reminders` list promptly, whichever desk raised it.
        """
        uow = self.desk.context.unit_of_work(Permission.READ, now=now)
        now = uow.now
        raised: list[tuple[int, RaisedReminder]] = []
        with uow:
            conn = uow.conn
            for row in petition_records.open_petitions(conn, OPEN_STATUSES):
                if (row["details"] or {}).get(MERGE_KEY, {}).get("merged_into") is not None:
                    continue
                try:
                    detail, progress = self._read(row)
                except ValidationError:
                    continue  # corrupt details are reported when the case is opened
                deadlines = {d.key: d for d in self.deadlines_for(detail, progress)}
                for r in reminders_due(deadlines.values(), now, self.rules.deadlines.reminder_days):
                    reminder_id = petition_records.insert_reminder_once(
                        conn,
                        {
                            "case_id": row["id"],
                            "ident": r.ident,
                            "deadline_key": r.deadline_key,
                            "days_before": r.days_before,
                            "due_at": r.due_at,
                            "raised_at": now,
                        },
                    )
                    if reminder_id is None:
                        continue  # another desk raised it first
                    d = deadlines[r.deadline_key]
                    raised.append(
                        (
                            reminder_id,
                            RaisedReminder(
                                row["id"],
                                row["reference"],
                                row["title"],
                                row["unit_id"],
                                r.deadline_key,
                                d.label_zh,
                                d.label_en,
                                r.days_before,
                                r.due_at,
                                now,
                            ),
                        )
                    )
                    # Raised by the desk's own timer: a change row, no audit entry (as before).
                    uow.changed(REMINDER_TOPIC, row["id"], reminder_id, "raise")
        return [reminder for _, reminder in raised]

    def open_reminders(self, now: datetime | None = None) -> list[RaisedReminder]:
        """The raised reminders still standing, as every desk's reminder strip lists them.

        Read from the shared reminders table, so two workstations on one database list the
        same reminders whichever raised them. A reminder stands while its case is open, not
        merged into another, and its deadline unmet and not yet passed; a met deadline, a
        closed case or an extension that moved the deadline drops it (an extension earns
        fresh reminders for the new time), and a passed deadline is no longer a reminder but
        an overdue petition, which the overdue list shows. Of a deadline's 3-day and 1-day
        reminders only the most urgent is listed. Most urgent deadline first.
        """
        self.desk.context.actor(Permission.READ)
        now = now or self._now()
        with self.desk.store.read() as conn:
            rows = petition_records.reminders_of_open_petitions(conn, OPEN_STATUSES)
        deadlines_of: dict[int, dict[str, Deadline] | None] = {}
        standing: dict[tuple[int, str, datetime], RaisedReminder] = {}
        for row in rows:
            case_id = int(row["id"])
            if case_id not in deadlines_of:
                deadlines_of[case_id] = self._reminder_deadlines(row)
            deadlines = deadlines_of[case_id]
            if deadlines is None:
                continue
            d = deadlines.get(row["reminder_deadline_key"])
            due_at = row["reminder_due_at"]
            if d is None or d.done_at is not None or d.due_at != due_at or now >= due_at:
                continue
            reminder = RaisedReminder(
                case_id,
                row["reference"],
                row["title"],
                row["unit_id"],
                d.key,
                d.label_zh,
                d.label_en,
                int(row["reminder_days_before"]),
                due_at,
                row["reminder_raised_at"],
                row["reminder_acknowledged_at"],
                row["reminder_acknowledged_by"],
            )
            held = standing.get(reminder.key)
            if held is None or reminder.days_before < held.days_before:
                standing[reminder.key] = reminder
        return sorted(standing.values(), key=lambda r: (r.due_at, r.case_id, r.deadline_key))

    def acknowledge_reminder(self, reminder: RaisedReminder) -> list[int]:
        """Acknowledge a standing reminder for every workstation: its obligation's reminders
        raised so far are stamped with who and when, audited, and published as
        ``Changed(REMINDER_TOPIC, case_id, reminder_id, "acknowledge")``. The strips keep
        listing it (the deadline still stands) with the acknowledgement; a reminder raised
        later for the same deadline (the 1-day one) comes unacknowledged.

        Returns the reminder ids stamped: none when another officer acknowledged it first
        (their name stays) or no such reminder was raised.
        """
        uow = self.desk.context.unit_of_work(Permission.WORK_CASES)
        actor, now = uow.actor, uow.now
        with uow:
            conn = uow.conn
            ids = petition_records.acknowledge_reminders(
                conn,
                reminder.case_id,
                reminder.deadline_key,
                reminder.due_at,
                now,
                actor.username,
            )
            if ids:
                uow.audit(
                    "petition.reminder_acknowledge",
                    "case",
                    reminder.case_id,
                    {
                        "reminder_ids": ids,
                        "deadline_key": reminder.deadline_key,
                        "due_at": iso(reminder.due_at),
                    },
                )
                uow.changed(REMINDER_TOPIC, reminder.case_id, ids[-1], "acknowledge")
        return ids

    def _reminder_deadlines(self, row: Mapping[Any, Any]) -> dict[str, Deadline] | None:
        """The case's deadlines by key, or None when its reminders no longer apply (merged
        into a master, which carries them; or details that cannot be read)."""
        if (row["details"] or {}).get(MERGE_KEY, {}).get("merged_into") is not None:
            return None
        try:
            detail, progress = self._read(row)
        except ValidationError:
            return None  # corrupt details are reported when the case is opened
        return {d.key: d for d in self.deadlines_for(detail, progress)}
