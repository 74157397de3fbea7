"""Notes on a case's timeline."""

from __future__ import annotations

from dispatch_app.desk.cases.base import DeskBase
from dispatch_app.desk.conflicts import update_case_returning
from dispatch_app.desk.views import TimelineEntryView
from dispatch_app.domain.cases import validate_note
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records


class CaseNotes(DeskBase):
    """The note use case of ``Desk`` (mixed into it)."""

    def add_note(self, case_id: int, text: str) -> TimelineEntryView:
        """Append a free-text note to the case's timeline (never edited afterwards)."""
        uow = self.context.unit_of_work(Permission.WORK_CASES)
        actor, now = uow.actor, uow.now
        clean = validate_note(text)
        with uow:
            conn = uow.conn
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
            uow.audit(
                "case.note",
                "case",
                case_id,
                {"text": clean, "timeline_id": entry_id},
            )
            uow.changed("case", case_id, version, "note")
            entry = next(e for e in case_records.timeline_for(conn, case_id) if e["id"] == entry_id)
        return TimelineEntryView.from_row(entry)
