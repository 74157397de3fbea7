"""Petition reminders seen on every workstation, on a real SQLite file and a real
PostgreSQL schema (``db_url``): one desk raises a reminder, another lists the same one (and
hears of it on its change feed); a met deadline, a passed deadline or a closed case drops it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.errors import AuthError, PermissionDenied
from dispatch_app.desk.events import Changed
from dispatch_app.desk.petitions import REMINDER_TOPIC, PetitionDesk, PetitionView
from dispatch_app.domain.petitions import Channel, Decision, PetitionDetail, Petitioner, Subject
from dispatch_app.store.audit_records import recent_audit
from tests.desk.conftest import PASSWORD, Clock, second_desk


@pytest.fixture
def restore_clock(clock: Clock) -> Iterator[Clock]:
    """The clock is shared by the session: put it back after moving it to a deadline."""
    before = clock.now
    yield clock
    clock.now = before


@pytest.fixture
def petitions(desk: Desk, tmp_path: Path) -> PetitionDesk:
    return PetitionDesk.open(desk, attachments_dir=tmp_path / "attachments")


def letter(received_at: datetime, place: str = "天宁区青洋路1号") -> PetitionDetail:
    """A letter: decision and written notice due 15 days after receipt, no hotline callback."""
    return PetitionDetail(
        channel=Channel.LETTER,
        received_at=received_at,
        subject=Subject.NOISE,
        description="夜间施工噪声扰民",
        petitioner=Petitioner(name="李四", phone="13912345678"),
        address=place,
        lon=119.97,
        lat=31.78,
    )


def due(view: PetitionView, key: str) -> datetime:
    return next(d.deadline.due_at for d in view.deadlines if d.deadline.key == key)


def listed(p: PetitionDesk) -> list[tuple[int, str, int]]:
    return [(r.case_id, r.deadline_key, r.days_before) for r in p.open_reminders()]


def test_a_reminder_raised_on_one_desk_is_listed_and_heard_on_another(
    db_url: str, desk: Desk, petitions: PetitionDesk, restore_clock: Clock
) -> None:
    clock = restore_clock
    view = petitions.intake(letter(clock.now), district="tianning")
    cid = view.case.id
    other = second_desk(db_url, clock)
    try:
        there = PetitionDesk.open(other)
        assert there.open_reminders() == []  # nothing raised yet
        heard: list[Changed] = []
        arrived = threading.Event()

        def on_event(event: Changed) -> None:
            if event.topic == REMINDER_TOPIC:
                heard.append(event)
                arrived.set()

        other.events.subscribe(on_event)
        other.start_change_feed()
        here: list[Changed] = []
        desk.events.subscribe(lambda e: here.append(e) if e.topic == REMINDER_TOPIC else None)

        clock.now = due(view, "decision") - timedelta(days=2)
        raised = petitions.collect_reminders()
        assert sorted((r.deadline_key, r.days_before) for r in raised) == [
            ("decision", 3),
            ("notice", 3),
        ]
        assert all(r.raised_at == clock.now for r in raised)
        # This desk published them (local), after commit.
        assert sorted(e.entity_id for e in here) == [cid, cid] and all(e.local for e in here)
        # The other workstation hears of them on its change feed …
        assert arrived.wait(10), "the other desk's change feed never brought the reminder"
        assert heard[0].entity_id == cid and not heard[0].local and heard[0].action == "raise"
        # … and lists the very same reminders, though it raised none of them.
        assert there.collect_reminders() == []
        theirs = there.open_reminders()
        assert [r.key for r in theirs] == [r.key for r in petitions.open_reminders()]
        assert sorted((r.deadline_key, r.days_before) for r in theirs) == [
            ("decision", 3),
            ("notice", 3),
        ]
        first = theirs[0]
        assert first.reference == view.case.reference and first.label_zh
        assert first.raised_at == clock.now  # when the first desk raised it
    finally:
        other.close()


def test_met_and_passed_deadlines_and_a_closed_case_drop_their_reminders(
    db_url: str, desk: Desk, petitions: PetitionDesk, restore_clock: Clock
) -> None:
    clock = restore_clock
    view = petitions.intake(letter(clock.now), district="tianning")
    cid = view.case.id
    quiet = petitions.intake(letter(clock.now, "武进区湖塘镇"), district="wujin").case.id
    other = second_desk(db_url, clock)
    try:
        there = PetitionDesk.open(other)
        clock.now = due(view, "decision") - timedelta(days=2)
        petitions.collect_reminders()
        assert {(c, k) for c, k, _ in listed(there)} == {
            (cid, "decision"),
            (cid, "notice"),
            (quiet, "decision"),
            (quiet, "notice"),
        }
        # A day later the 1-day reminders are raised (by the other desk this time); each
        # deadline is listed once, with its most urgent reminder.
        clock.now = due(view, "decision") - timedelta(hours=20)
        assert len(there.collect_reminders()) == 4
        assert sorted(listed(petitions)) == sorted(listed(there))
        assert {d for c, k, d in listed(there) if c == cid} == {1}
        assert len([1 for c, _, _ in listed(there) if c == cid]) == 2

        # The decision is recorded on this desk: its reminder leaves both lists.
        petitions.record_decision(cid, Decision.ACCEPT)
        assert [(c, k) for c, k, _ in listed(there) if c == cid] == [(cid, "notice")]
        assert sorted(listed(petitions)) == sorted(listed(there))
        # The notice is sent: nothing is left for that case.
        petitions.record_notice(cid)
        assert [k for c, k, _ in listed(there) if c == cid] == []

        # The other petition is cancelled (no longer open): its reminders go too.
        other_view = there.get(quiet)
        assert other_view.case.status.is_open
        desk.cancel(quiet, "重复登记，已并入其他来信")
        assert listed(there) == [] and listed(petitions) == []
    finally:
        other.close()


def test_a_passed_deadline_is_overdue_not_a_reminder(
    desk: Desk, petitions: PetitionDesk, restore_clock: Clock
) -> None:
    clock = restore_clock
    view = petitions.intake(letter(clock.now), district="tianning")
    clock.now = due(view, "decision") - timedelta(hours=5)
    petitions.collect_reminders()
    assert {k for _, k, _ in listed(petitions)} == {"decision", "notice"}
    clock.now = due(view, "decision") + timedelta(minutes=1)
    # The overdue state (the queue's overdue filter, the strip's red list) takes over.
    assert listed(petitions) == []
    assert petitions.get(view.case.id).most_urgent is not None


def test_reminders_are_read_only_by_someone_logged_in(
    desk: Desk, petitions: PetitionDesk, restore_clock: Clock
) -> None:
    view = petitions.intake(letter(restore_clock.now), district="tianning")
    restore_clock.now = due(view, "decision") - timedelta(days=1, hours=1)
    petitions.collect_reminders()
    desk.logout()
    with pytest.raises(AuthError):
        petitions.open_reminders()
    with pytest.raises(AuthError):
        petitions.collect_reminders()
    desk.login("viewer", PASSWORD)
    assert {k for _, k, _ in listed(petitions)} == {"decision", "notice"}


def test_an_extension_moves_the_deadline_and_drops_the_old_reminder(
    db_url: str, desk: Desk, petitions: PetitionDesk, restore_clock: Clock
) -> None:
    clock = restore_clock
    cid = petitions.intake(letter(clock.now), district="tianning").case.id
    petitions.record_decision(cid, Decision.ACCEPT)
    view = petitions.record_notice(cid)
    handling_due = due(view, "handling")
    clock.now = handling_due - timedelta(days=2)
    assert [(r.deadline_key, r.days_before) for r in petitions.collect_reminders()] == [
        ("handling", 3)
    ]
    desk.logout()
    desk.login("leader", PASSWORD)
    extended = petitions.approve_extension(cid, 10, "需第三方检测")
    assert due(extended, "handling") > handling_due + timedelta(days=9)
    other = second_desk(db_url, clock)
    try:
        # Reminded for a time that no longer holds: gone on both desks; none is due yet for
        # the new time, whose own reminders come 3 days and 1 day before it.
        assert listed(PetitionDesk.open(other)) == [] and listed(petitions) == []
        assert petitions.collect_reminders() == []
        clock.now = due(extended, "handling") - timedelta(days=1, hours=1)
        assert len(PetitionDesk.open(other).collect_reminders()) == 1
        assert listed(petitions) == [(cid, "handling", 3)]
    finally:
        other.close()


def test_a_repeat_merged_into_its_master_is_reminded_through_the_master(
    desk: Desk, petitions: PetitionDesk, restore_clock: Clock
) -> None:
    clock = restore_clock
    master = petitions.intake(letter(clock.now), district="tianning")
    clock.advance(hours=1)
    repeat = petitions.intake(letter(clock.now), district="tianning")
    clock.now = due(master, "decision") - timedelta(days=2)
    petitions.collect_reminders()
    assert {c for c, _, _ in listed(petitions)} == {master.case.id, repeat.case.id}
    petitions.merge(repeat.case.id, master.case.id, "同一工地噪声")
    assert {c for c, _, _ in listed(petitions)} == {master.case.id}


def test_an_acknowledgement_is_seen_everywhere_with_who_and_when(
    db_url: str, desk: Desk, petitions: PetitionDesk, restore_clock: Clock
) -> None:
    clock = restore_clock
    view = petitions.intake(letter(clock.now), district="tianning")
    clock.now = due(view, "decision") - timedelta(days=2)
    petitions.collect_reminders()
    decision = next(r for r in petitions.open_reminders() if r.deadline_key == "decision")
    assert decision.acknowledged_at is None
    other = second_desk(db_url, clock, "viewer")
    try:
        there = PetitionDesk.open(other)
        with pytest.raises(PermissionDenied):  # a viewer reads, but acknowledges nothing
            there.acknowledge_reminder(decision)
        heard: list[Changed] = []
        desk.events.subscribe(lambda e: heard.append(e) if e.topic == REMINDER_TOPIC else None)
        clock.advance(minutes=5)
        desk.logout()
        desk.login("officer", PASSWORD)
        ids = petitions.acknowledge_reminder(decision)
        assert len(ids) == 1 and heard[-1].action == "acknowledge" and heard[-1].local
        seen = {r.deadline_key: r for r in there.open_reminders()}
        assert seen["decision"].acknowledged_by == "officer"
        assert seen["decision"].acknowledged_at == clock.now
        assert seen["notice"].acknowledged_at is None  # only the one acknowledged
        # A second acknowledgement (another desk, a double click) changes nothing.
        assert petitions.acknowledge_reminder(decision) == []
        with desk.store.read() as conn:
            entries = [
                e for e in recent_audit(conn, 20) if e["action"] == "petition.reminder_acknowledge"
            ]
        assert len(entries) == 1 and entries[0]["actor"] == "officer"
        # The 1-day reminder, raised later, asks for attention again.
        clock.now = due(view, "decision") - timedelta(hours=20)
        petitions.collect_reminders()
        seen = {r.deadline_key: r for r in there.open_reminders()}
        assert seen["decision"].days_before == 1 and seen["decision"].acknowledged_at is None
    finally:
        other.close()
