"""Two desks on one database see each other's changes (PostgreSQL LISTEN/NOTIFY, SQLite
polling)."""

from __future__ import annotations

import threading

from dispatch_app.desk import Changed, Desk
from tests.desk.conftest import Clock, draft, second_desk


class Inbox:
    def __init__(self) -> None:
        self.events: list[Changed] = []
        self.cond = threading.Condition()

    def __call__(self, event: Changed) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def wait_for(self, predicate: object, timeout: float = 10.0) -> list[Changed]:
        def ok() -> bool:
            return any(predicate(e) for e in self.events)  # type: ignore[operator]

        with self.cond:
            assert self.cond.wait_for(ok, timeout), f"no matching event; got {self.events}"
            return list(self.events)


def test_other_desk_sees_changes(desk: Desk, db_url: str, clock: Clock) -> None:
    watcher = second_desk(db_url, clock)
    inbox = Inbox()
    watcher.events.subscribe(inbox)
    watcher.start_change_feed(poll_interval_s=0.1)
    try:
        case = desk.create_case(draft())
        inbox.wait_for(lambda e: e.entity_id == case.id and e.action == "create")
        desk.dispatch(case.id, "branch-wujin")
        events = inbox.wait_for(lambda e: e.action == "dispatch")
        remote = [e for e in events if e.topic == "case"]
        assert [e.action for e in remote] == ["create", "dispatch"]
        assert all(not e.local for e in remote)
        assert remote[-1].version == 2
        # The watcher's own change is not echoed back to it as a remote event.
        watcher.add_note(case.id, "已收到")
        desk_inbox = Inbox()
        desk.events.subscribe(desk_inbox)
        desk.start_change_feed(poll_interval_s=0.1)
        watcher.add_note(case.id, "第二条")
        desk_inbox.wait_for(lambda e: e.action == "note" and not e.local)
        assert [e.action for e in inbox.events if not e.local and e.topic == "case"] == [
            "create",
            "dispatch",
        ]
        assert watcher.change_feed_error is None
    finally:
        watcher.close()
        desk.stop_change_feed()
