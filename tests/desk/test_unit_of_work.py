"""Every public write of the cases desk goes through the unit of work: it leaves exactly one
audit entry and one change row for each record it changed, and announces each change only
once it is committed (a subscriber reads the change through a connection of its own).

A write that published before commit, wrote a second audit entry, or forgot the change row
fails here, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select

from dispatch_app.desk import Changed, Desk, QueueQuery
from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.desk.errors import CaseConflict, IllegalTransition
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.petitions import Decision, Satisfaction
from dispatch_app.store.models import audit_log, changes
from tests.desk.conftest import PASSWORD, Clock, draft
from tests.desk.test_alarm_desk import MEDIUM_KEY, registry, rules_path, water
from tests.desk.test_petitions_desk import call

__all__ = ["registry", "rules_path"]  # the alarm tests' fixtures, used here too

UNIT = "branch-liyang"


@dataclass
class CommittedCheck:
    """A subscriber that looks, when it is called, for the change it hears of in the
    database through its own connection: only a committed change row is visible there."""

    engine: Engine
    heard: list[tuple[str, int, int, str]] = field(default_factory=list)
    not_committed: list[Changed] = field(default_factory=list)

    def __call__(self, event: Changed) -> None:
        if not event.local:
            return
        self.heard.append((event.topic, event.entity_id, event.version, event.action))
        with self.engine.connect() as conn:
            found = conn.execute(
                select(func.count())
                .select_from(changes)
                .where(
                    changes.c.topic == event.topic,
                    changes.c.entity_id == event.entity_id,
                    changes.c.version == event.version,
                    changes.c.action == event.action,
                )
            ).scalar_one()
        if found != 1:
            self.not_committed.append(event)


@pytest.fixture
def reader(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


@dataclass
class Walk:
    """Runs one write and checks what it left."""

    engine: Engine
    check: CommittedCheck
    walked: list[str] = field(default_factory=list)

    def _marks(self) -> tuple[int, int]:
        with self.engine.connect() as conn:
            seq = conn.execute(select(func.coalesce(func.max(audit_log.c.seq), 0))).scalar_one()
            cid = conn.execute(select(func.coalesce(func.max(changes.c.id), 0))).scalar_one()
        return int(seq), int(cid)

    def __call__(
        self,
        name: str,
        write: Callable[[], Any],
        *,
        records: int = 1,
        published: bool = True,
        audits: int | None = None,
    ) -> Any:
        """``audits`` differs from ``records`` only where the desk records one decision about
        several records in one entry (a petition's merge names both cases)."""
        audits_expected = audits
        seq, cid = self._marks()
        self.check.heard.clear()
        result = write()
        with self.engine.connect() as conn:
            audits = conn.execute(
                select(audit_log.c.target_type, audit_log.c.target_id, audit_log.c.action)
                .where(audit_log.c.seq > seq)
                .order_by(audit_log.c.seq)
            ).all()
            rows = conn.execute(
                select(changes.c.topic, changes.c.entity_id, changes.c.version, changes.c.action)
                .where(changes.c.id > cid)
                .order_by(changes.c.id)
            ).all()
        assert len(audits) == (records if audits_expected is None else audits_expected), (
            name,
            audits,
        )
        assert len(rows) == records, (name, rows)
        if audits_expected is None:
            # One audit entry per changed record, about that record.
            assert sorted((a.target_type, a.target_id) for a in audits) == sorted(
                (r.topic, str(r.entity_id)) for r in rows
            ), name
        # The order of announcements within one write is the write's own (an alarm's link
        # before the case it opened); what counts is that each change is announced once.
        expected = sorted(tuple(r) for r in rows) if published else []
        assert sorted(self.check.heard) == expected, name
        assert self.check.not_committed == [], name
        self.walked.append(name)
        return result


def test_every_cases_desk_write_records_once_and_publishes_after_commit(
    desk: Desk, reader: Engine, clock: Clock
) -> None:
    check = CommittedCheck(reader)
    desk.events.subscribe(check)
    walk = Walk(reader, check)

    # Users (the fixture made the first administrator and three users the same way).
    user = walk("create_user", lambda: desk.create_user("clerk", "赵文员", "viewer", PASSWORD))
    walk(
        "update_user",
        lambda: desk.update_user(user.id, user.version, display_name="赵文书"),
    )
    # A password is recorded for the other desks but announced on none (no view shows it).
    walk("set_password", lambda: desk.set_password(user.id, "another-horse-7"), published=False)
    walk(
        "change_own_password",
        lambda: desk.change_own_password(PASSWORD, "correct-horse-10"),
        published=False,
    )

    # Saved filters.
    saved = walk("save_filter", lambda: desk.save_filter("mine", QueueQuery(text="化工")))
    walk("save_filter again", lambda: desk.save_filter("mine", QueueQuery(text="印染")))
    walk("delete_filter", lambda: desk.delete_filter(saved.id))

    # A case through its whole workflow, by an officer and their shift leader.
    def as_user(name: str) -> None:
        desk.logout()
        desk.login(name, PASSWORD)

    as_user("officer")
    case = walk("create_case", lambda: desk.create_case(draft()))
    walk("triage", lambda: desk.triage(case.id, note="研判"))
    walk("dispatch", lambda: desk.dispatch(case.id, UNIT))
    walk("acknowledge", lambda: desk.acknowledge(case.id))
    walk("arrive", lambda: desk.arrive(case.id))
    walk("add_note", lambda: desk.add_note(case.id, "现场已取样"))
    edited = walk(
        "edit_case",
        lambda: desk.edit_case(case.id, desk.get_case(case.id).version, {"title": "新标题"}),
    )
    walk("resolve", lambda: desk.resolve(case.id, expected_version=edited.version))
    walk("request_closure", lambda: desk.request_closure(case.id, "rectified", "整改到位"))
    as_user("leader")
    walk("refuse_closure", lambda: desk.refuse_closure(case.id, "材料不全"))
    as_user("officer")
    walk("request_closure again", lambda: desk.request_closure(case.id, "rectified", "已补齐"))
    as_user("leader")
    walk("approve_closure", lambda: desk.approve_closure(case.id))
    walk("reopen", lambda: desk.reopen(case.id, "群众再次反映"))
    walk("cancel", lambda: desk.cancel(case.id, "重复事项"))

    other = walk("create_case (2)", lambda: desk.create_case(draft()))
    walk("triage (2)", lambda: desk.triage(other.id))
    walk("dispatch (2)", lambda: desk.dispatch(other.id, UNIT))
    walk("acknowledge (2)", lambda: desk.acknowledge(other.id))
    walk("arrive (2)", lambda: desk.arrive(other.id))
    walk("resolve (2)", lambda: desk.resolve(other.id))
    walk("close_case", lambda: desk.close_case(other.id, "rectified", "整改到位"))

    many = [walk(f"create_case ({n})", lambda: desk.create_case(draft())) for n in (3, 4)]
    walk("dispatch_many", lambda: desk.dispatch_many([c.id for c in many], UNIT), records=2)
    assert len(walk.walked) == 31


def test_a_refused_write_leaves_nothing_and_announces_nothing(desk: Desk, reader: Engine) -> None:
    check = CommittedCheck(reader)
    desk.events.subscribe(check)
    walk = Walk(reader, check)
    case = walk("create_case", lambda: desk.create_case(draft()))
    before = walk._marks()
    check.heard.clear()
    with pytest.raises(CaseConflict):
        desk.edit_case(case.id, case.version + 5, {"title": "旧版本"})
    with pytest.raises(IllegalTransition):
        desk.close_case(case.id, "rectified", "未处置不能办结")
    assert walk._marks() == before
    assert check.heard == []


def test_every_alarm_desk_action_records_once_and_publishes_after_commit(
    desk: Desk, reader: Engine, clock: Clock, rules_path: Path, registry: list[dict[str, Any]]
) -> None:
    """The officer's and the administrator's alarm writes. (An evaluation round writes one
    audit entry for all the alarm system's transitions of the round, by design: see
    ``AlarmWrites._finish``; its change rows and announcements are checked below too.)"""
    desk.logout()
    desk.login("officer", PASSWORD)
    alarms = AlarmDesk.open(desk, rules_path=rules_path, stations=registry)
    alarms.start()
    check = CommittedCheck(reader)
    desk.events.subscribe(check)
    walk = Walk(reader, check)

    alarms.feed(water(MEDIUM_KEY.split("@")[1], clock.now, 2.5))
    round_result = alarms.evaluate()
    assert [c.after.key for c in round_result.written] == [MEDIUM_KEY]
    assert check.heard and check.not_committed == []

    version = alarms.get(MEDIUM_KEY).version
    walk("acknowledge", lambda: alarms.acknowledge(MEDIUM_KEY, "收到", expected_version=version))
    walk("shelve", lambda: alarms.shelve(MEDIUM_KEY, "1h", "仪器检修"))
    walk("unshelve", lambda: alarms.unshelve(MEDIUM_KEY))
    # The case and the alarm's link to it: two records, each recorded once.
    walk("open_case", lambda: alarms.open_case(MEDIUM_KEY), records=2)

    desk.logout()
    desk.login("admin", PASSWORD)
    start = alarms.rule_set.revision
    walk("save_rules", lambda: alarms.save_rules("# 值班编辑\n" + alarms.rules_text, start))
    alarms.close()


def test_every_petition_write_records_once_and_publishes_after_commit(
    desk: Desk, reader: Engine, clock: Clock, tmp_path: Path
) -> None:
    desk.logout()
    desk.login("leader", PASSWORD)  # merging needs a shift leader
    petitions = PetitionDesk.open(desk, attachments_dir=tmp_path / "attachments")
    check = CommittedCheck(reader)
    desk.events.subscribe(check)
    walk = Walk(reader, check)

    view = walk("intake", lambda: petitions.intake(call(clock), district="xinbei"))
    cid = view.case.id
    walk("record_decision", lambda: petitions.record_decision(cid, Decision.ACCEPT))
    walk("record_notice", lambda: petitions.record_notice(cid))
    walk("record_contact", lambda: petitions.record_contact(cid))
    walk("record_reply", lambda: petitions.record_reply(cid, "已责令整改", "phone"))
    walk("record_callback", lambda: petitions.record_callback(cid, Satisfaction.BASICALLY))
    # Already current: nothing written, nothing announced.
    walk("refresh_deadlines", lambda: petitions.refresh_deadlines(cid), records=0)
    walk(
        "reveal_petitioner",
        lambda: petitions.reveal_petitioner(cid, "回访核实"),
        records=0,
        audits=1,
    )
    walk("request_follow_up", lambda: petitions.request_follow_up(cid), records=2)

    repeat = walk("intake (repeat)", lambda: petitions.intake(call(clock), district="xinbei"))
    # One merge decision about two cases: one audit entry, a change row for each case.
    walk("merge", lambda: petitions.merge(repeat.case.id, cid, "同一诉求"), records=2, audits=1)
    walk("unmerge", lambda: petitions.unmerge(repeat.case.id, "并错"), records=2, audits=1)
