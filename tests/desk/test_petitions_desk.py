"""Petition use cases on a real database (SQLite file and PostgreSQL via ``db_url``)."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dispatch_app.desk import Desk, QueueQuery
from dispatch_app.desk.errors import CaseConflict, IllegalTransition, PermissionDenied
from dispatch_app.desk.petitions import PetitionDesk, PetitionView
from dispatch_app.domain.cases import CaseDraft, CaseKind, Status
from dispatch_app.domain.credit_code import make_credit_code
from dispatch_app.domain.deadlines import NO_DEADLINE
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import DomainError, ValidationError
from dispatch_app.domain.petition_deadlines import DeadlineState
from dispatch_app.domain.petitions import (
    Channel,
    Decision,
    PetitionDetail,
    Petitioner,
    PetitionInvalid,
    Satisfaction,
    Stage,
    Subject,
)
from dispatch_app.domain.workflow import ClosureCode
from dispatch_app.store import case_records
from dispatch_app.store.audit_records import recent_audit
from dispatch_app.store.models import timeline
from dispatch_app.store.petition_models import petition_merges
from tests.desk.conftest import PASSWORD, Clock, second_desk

SH_OFFSET = timedelta(hours=8)
PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
CREDIT = make_credit_code("91320400MA1ABCDE0")


@pytest.fixture
def petitions(desk: Desk, tmp_path: Path) -> PetitionDesk:
    return PetitionDesk.open(desk, attachments_dir=tmp_path / "attachments")


def login(desk: Desk, username: str) -> None:
    desk.logout()
    desk.login(username, PASSWORD)


def call(clock: Clock, **kw: object) -> PetitionDetail:
    """A hotline call received at the desk's clock (10:00 Saturday 28 Nov 2026, Shanghai)."""
    base: dict[str, object] = {
        "channel": Channel.HOTLINE_12369,
        "received_at": clock.now,
        "subject": Subject.ODOUR,
        "description": "春江镇化工园区晚上有刺鼻气味，窗户不敢开",
        "petitioner": Petitioner(name="张三", phone=PHONE, id_number=ID_NUMBER),
        "address": "新北区春江镇某路18号",
        "lon": 119.95,
        "lat": 31.92,
        "enterprise_name": "常州某某化工有限公司",
        "credit_code": CREDIT,
    }
    base.update(kw)
    return PetitionDetail(**base)  # type: ignore[arg-type]


def deadline(view: PetitionView, key: str) -> DeadlineState:
    return next(d.state for d in view.deadlines if d.deadline.key == key)


def all_text_written(desk: Desk) -> str:
    """Every audit payload and timeline entry, to check no personal data leaked into them."""
    with desk.store.read() as conn:
        audit = recent_audit(conn, 10_000)
        entries = [dict(r._mapping) for r in conn.execute(select(timeline))]
    return json.dumps([audit, entries], ensure_ascii=False, default=str)


# --- intake ----------------------------------------------------------------------------------


def test_intake_stores_the_detail_and_shows_deadlines_masked(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    view = petitions.intake(call(clock), district="xinbei")
    case = view.case
    assert case.kind == "petition" and case.status is Status.NEW
    assert case.source == "hotline_12369"
    with desk.store.read() as conn:  # the database keeps the number in full
        stored = case_records.get_case(conn, case.id)
    assert stored["details"]["petition"]["petitioner"]["phone"] == PHONE
    # the generic desk view masks it
    assert desk.get_case(case.id).details["petition"]["petitioner"]["phone"] == "138****5678"
    assert PHONE not in repr(view) and ID_NUMBER not in repr(view)  # nothing in the view
    assert case.details["petition"]["petitioner"]["phone"] == "138****5678"
    assert view.petitioner.masked
    assert view.petitioner.phone == "138****5678"
    assert view.petitioner.id_number == "110105********002X"
    assert view.detail.petitioner.phone == ""  # the view's detail carries no personal data
    keys = [d.deadline.key for d in view.deadlines]
    assert keys == ["decision", "notice", "hotline_callback"]
    # Saturday 10:00 → the callback is due by the end of Monday 30 November (Shanghai).
    callback = next(d for d in view.deadlines if d.deadline.key == "hotline_callback")
    assert callback.deadline.due_at == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert view.most_urgent is not None and view.most_urgent.deadline.key == "hotline_callback"
    # The case row's deadline columns follow the earliest unmet obligation.
    assert case.due_at == callback.deadline.due_at
    assert all_text_written(desk).count(PHONE) == 0
    assert ID_NUMBER not in all_text_written(desk)


def test_an_overdue_callback_is_in_the_overdue_queue(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    view = petitions.intake(call(clock), district="xinbei")
    overdue = QueueQuery(kinds=("petition",), overdue=True)
    assert desk.queue_count(overdue) == 0
    clock.advance(days=2, hours=6)  # Monday 16:00 Shanghai: due within the day
    assert deadline(petitions.get(view.case.id), "hotline_callback") is DeadlineState.DUE_1D
    clock.advance(hours=9)  # Tuesday 01:00 Shanghai
    assert deadline(petitions.get(view.case.id), "hotline_callback") is DeadlineState.OVERDUE
    assert [r.id for r in desk.queue_page(overdue)] == [view.case.id]
    other = desk.create_case(CaseDraft(CaseKind.QUALITY, "PM2.5 超标", District.XINBEI))
    column = petitions.queue_deadlines([view.case.id, other.id])
    assert set(column) == {view.case.id}
    shown = column[view.case.id]
    assert shown is not None and shown.deadline.key == "hotline_callback"
    assert shown.state is DeadlineState.OVERDUE and shown.remaining < timedelta(0)
    # Calling back moves the governing deadline to the 15-day decision.
    after = petitions.record_contact(view.case.id, note="已回电")
    assert deadline(after, "hotline_callback") is DeadlineState.MET_LATE
    assert after.case.due_at == next(
        d.deadline.due_at for d in after.deadlines if d.deadline.key == "decision"
    )
    assert desk.queue_count(overdue) == 0


def test_bad_intake_writes_nothing(desk: Desk, petitions: PetitionDesk, clock: Clock) -> None:
    bad = call(clock, petitioner=Petitioner(name="", phone="12345"), lon=31.9, lat=119.9)
    with pytest.raises(PetitionInvalid) as exc:
        petitions.intake(bad, district="xinbei")
    assert {"petitioner.name", "petitioner.phone", "lon"} <= set(exc.value.fields)
    with pytest.raises(ValidationError) as bad_district:
        petitions.intake(call(clock), district="nanjing")
    assert bad_district.value.field == "district"
    with pytest.raises(ValidationError, match="earlier case"):
        petitions.intake(call(clock, stage=Stage.REVIEW), district="xinbei")
    assert desk.queue_count(QueueQuery()) == 0
    login(desk, "viewer")
    with pytest.raises(PermissionDenied):
        petitions.intake(call(clock), district="xinbei")


# --- statutory steps, reply, callback ------------------------------------------------------


def test_decision_reply_and_callbacks(desk: Desk, petitions: PetitionDesk, clock: Clock) -> None:
    view = petitions.intake(call(clock), district="xinbei")
    cid = view.case.id
    clock.advance(hours=2)
    v = petitions.record_decision(cid, Decision.ACCEPT, note=f"属本机关职责，已电话{PHONE}告知")
    assert deadline(v, "decision") is DeadlineState.MET
    handling = next(d for d in v.deadlines if d.deadline.key == "handling")
    assert handling.deadline.last_day.isoformat() == "2027-01-27"  # 28 Nov + 60 days
    with pytest.raises(IllegalTransition, match="already been recorded"):
        petitions.record_decision(cid, Decision.TRANSFER)
    petitions.record_notice(cid)
    petitions.record_contact(cid)
    with pytest.raises(IllegalTransition, match="no reply"):
        petitions.record_callback(cid, Satisfaction.SATISFIED)
    with pytest.raises(ValidationError):
        petitions.record_reply(cid, "已责令整改", "carrier pigeon")
    stale = petitions.get(cid).case.version
    replied = petitions.record_reply(
        cid, f"已责令整改，联系人{PHONE}", "phone", expected_version=stale
    )
    assert deadline(replied, "handling") is DeadlineState.MET
    assert replied.progress.reply is not None
    with pytest.raises(CaseConflict):
        petitions.record_notice(cid, expected_version=stale)
    # The reply text is kept in full on the case, masked in the timeline and audit.
    assert PHONE not in all_text_written(desk)
    cb = petitions.record_callback(cid, Satisfaction.BASICALLY, notes="基本满意")
    assert cb.progress.last_callback is not None
    assert cb.progress.last_callback.result is Satisfaction.BASICALLY
    assert deadline(cb, "satisfaction_callback") is DeadlineState.MET


def test_dissatisfied_callback_reopens_a_closed_petition(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    cid = petitions.intake(call(clock), district="xinbei").case.id
    petitions.record_decision(cid, Decision.ACCEPT)
    desk.dispatch(cid, "branch-xinbei")
    desk.acknowledge(cid)
    desk.resolve(cid, note="已整改")
    petitions.record_reply(cid, "已整改完毕", "phone")
    desk.close_case(cid, ClosureCode.PETITIONER_ANSWERED, "已答复")
    login(desk, "officer")
    version = petitions.get(cid).case.version
    with pytest.raises(PermissionDenied):
        petitions.record_callback(cid, Satisfaction.DISSATISFIED, notes="仍有异味", reopen=True)
    assert petitions.get(cid).case.version == version  # nothing written
    # An officer records the callback; a shift leader reopens.
    petitions.record_callback(cid, Satisfaction.DISSATISFIED, notes="仍有异味")
    login(desk, "leader")
    with pytest.raises(ValidationError):
        petitions.record_callback(cid, Satisfaction.SATISFIED, reopen=True)
    v = petitions.record_callback(cid, Satisfaction.DISSATISFIED, notes="夜间仍有异味", reopen=True)
    assert v.case.status is Status.TRIAGED
    assert v.case.closure_code is None
    assert v.progress.reply is None and len(v.progress.earlier_replies) == 1
    assert deadline(v, "handling") is DeadlineState.RUNNING  # the same statutory date, open again
    assert v.case.due_at < NO_DEADLINE
    with desk.store.read() as conn:
        actions = [r["action"] for r in recent_audit(conn, 50)]
    assert "petition.callback" in actions


def test_extension_needs_a_shift_leader_and_is_granted_once(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    cid = petitions.intake(call(clock, channel=Channel.LETTER), district="wujin").case.id
    petitions.record_decision(cid, Decision.ACCEPT)
    login(desk, "officer")
    with pytest.raises(DomainError, match="approved by"):
        petitions.approve_extension(cid, 30, "需第三方检测")
    login(desk, "leader")
    with pytest.raises(ValidationError, match="1 to 30"):
        petitions.approve_extension(cid, 31, "需第三方检测")
    with pytest.raises(ValidationError, match="reason"):
        petitions.approve_extension(cid, 10, "  ")
    v = petitions.approve_extension(cid, 30, "需第三方检测")
    handling = next(d for d in v.deadlines if d.deadline.key == "handling")
    assert handling.deadline.extended_by_days == 30
    assert handling.deadline.last_day.isoformat() == "2027-02-26"
    assert v.progress.extension is not None and v.progress.extension.approved_by == "李带班"
    with pytest.raises(IllegalTransition, match="already been extended"):
        petitions.approve_extension(cid, 5, "再延")


def test_follow_ups_review_second_review_then_refused(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    cid = petitions.intake(call(clock), district="xinbei").case.id
    with pytest.raises(IllegalTransition, match="after the reply"):
        petitions.request_follow_up(cid)
    petitions.record_decision(cid, Decision.ACCEPT)
    petitions.record_reply(cid, "已处理", "letter")
    clock.advance(days=10)
    review = petitions.request_follow_up(cid, note="对答复不服")
    assert review.detail.stage is Stage.REVIEW
    assert review.follow_up_of == cid
    assert [d.deadline.key for d in review.deadlines] == ["review_opinion"]
    assert review.deadlines[0].deadline.days == 30
    original = petitions.get(cid)
    assert original.follow_up_case_id == review.case.id
    assert next(d for d in original.deadlines if d.deadline.key == "review_request").state is (
        DeadlineState.MET
    )
    with pytest.raises(IllegalTransition, match="already been requested"):
        petitions.request_follow_up(cid)
    petitions.record_reply(review.case.id, "维持原处理意见", "letter")
    second = petitions.request_follow_up(review.case.id)
    assert second.detail.stage is Stage.SECOND_REVIEW
    petitions.record_reply(second.case.id, "维持", "letter")
    with pytest.raises(IllegalTransition, match="not accepted again"):
        petitions.request_follow_up(second.case.id)


# --- duplicates and merging ------------------------------------------------------------------


def test_duplicate_search_against_stored_petitions(petitions: PetitionDesk, clock: Clock) -> None:
    first = petitions.intake(call(clock), district="xinbei").case.id
    clock.advance(hours=1)
    neighbour = petitions.intake(
        call(
            clock,
            petitioner=Petitioner(name="李四", phone="13900001111"),
            lat=31.9213,
            description="化工园区附近晚上有刺鼻气味",
            enterprise_name=None,
            credit_code=None,
        ),
        district="xinbei",
    ).case.id
    clock.advance(hours=1)
    petitions.intake(
        call(
            clock,
            subject=Subject.NOISE,
            petitioner=Petitioner(name="王五", phone="13700002222"),
            description="工地夜间施工噪声",
            lon=119.97,
            lat=31.78,
            address="武进区某工地",
            enterprise_name=None,
            credit_code=None,
        ),
        district="wujin",
    )
    clock.advance(minutes=5)
    probe = call(clock, petitioner=Petitioner(name="张三", phone="+86 138-1234-5678"))
    hits = petitions.find_duplicates(probe)
    assert [h.case_id for h in hits] == [first, neighbour]
    assert {r.code for r in hits[0].reasons} == {"place", "subject", "enterprise", "phone", "text"}
    assert "同一来电号码" in hits[0].reasons_text("zh")
    assert PHONE not in repr(hits)
    # On demand for a stored case: itself excluded.
    assert [h.case_id for h in petitions.find_duplicates(first)] == [neighbour]


def test_merge_and_unmerge(desk: Desk, petitions: PetitionDesk, clock: Clock) -> None:
    a = petitions.intake(call(clock), district="xinbei").case.id
    b = petitions.intake(call(clock), district="xinbei").case.id
    c = petitions.intake(call(clock), district="xinbei").case.id
    login(desk, "officer")
    with pytest.raises(PermissionDenied):
        petitions.merge(b, a, "同一事项")
    login(desk, "leader")
    with pytest.raises(ValidationError):
        petitions.merge(b, a, "")
    with pytest.raises(ValidationError):
        petitions.merge(a, a, "同一事项")
    master = petitions.merge(b, a, "同一来电人重复反映")
    assert master.duplicates == (b,) and master.repeat_count == 1
    assert master.case.details["petition_merge"] == {"repeat_count": 1}
    repeat = petitions.get(b)
    assert repeat.merged_into == a
    assert repeat.case.due_at == NO_DEADLINE  # carried by the master
    with pytest.raises(IllegalTransition, match="itself merged"):
        petitions.merge(c, b, "x")
    with pytest.raises(IllegalTransition, match="master of 1"):
        petitions.merge(a, c, "x")
    with pytest.raises(IllegalTransition, match="already merged"):
        petitions.merge(b, c, "x")
    master = petitions.merge(c, a, "同一企业")
    assert master.repeat_count == 2
    back = petitions.unmerge(b, "经核实为不同事项")
    assert back.merged_into is None
    assert back.case.due_at < NO_DEADLINE
    assert petitions.get(a).repeat_count == 1
    with pytest.raises(IllegalTransition, match="not merged"):
        petitions.unmerge(b, "x")
    with desk.store.read() as conn:
        history = list(conn.execute(select(petition_merges).order_by(petition_merges.c.id)))
        actions = [r["action"] for r in recent_audit(conn, 100)]
    assert len(history) == 2 and history[0].unmerged_at is not None  # nothing deleted
    assert actions.count("petition.merge") == 2 and actions.count("petition.unmerge") == 1
    other = desk.create_case(CaseDraft(CaseKind.QUALITY, "PM2.5 超标", District.XINBEI))
    with pytest.raises(ValidationError, match="not a petition"):
        petitions.merge(other.id, a, "x")


def test_concurrent_merges_in_opposite_directions(
    db_url: str, desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    """Two shift leaders on two workstations merge X→Y and Y→X at the same instant, many
    times over: each time exactly one wins and the pair never ends up merged both ways."""
    login(desk, "leader")
    other = second_desk(db_url, clock, "leader")
    try:
        other_petitions = PetitionDesk.open(other)
        for _ in range(6):
            x = petitions.intake(call(clock), district="xinbei").case.id
            y = petitions.intake(call(clock), district="xinbei").case.id
            barrier = threading.Barrier(2)
            outcomes: dict[str, object] = {}

            def run(
                name: str,
                pd: PetitionDesk,
                src: int,
                dst: int,
                barrier: threading.Barrier = barrier,
                outcomes: dict[str, object] = outcomes,
            ) -> None:
                barrier.wait()
                try:
                    outcomes[name] = pd.merge(src, dst, "并发并案")
                except Exception as exc:  # recorded, judged below
                    outcomes[name] = exc

            threads = [
                threading.Thread(target=run, args=("one", petitions, x, y)),
                threading.Thread(target=run, args=("two", other_petitions, y, x)),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            wins = [o for o in outcomes.values() if isinstance(o, PetitionView)]
            losses = [o for o in outcomes.values() if isinstance(o, Exception)]
            assert len(wins) == 1, outcomes
            assert len(losses) == 1 and isinstance(losses[0], IllegalTransition), outcomes
            with desk.store.read() as conn:
                active = list(
                    conn.execute(
                        select(petition_merges.c.case_id, petition_merges.c.master_case_id).where(
                            petition_merges.c.case_id.in_((x, y)),
                            petition_merges.c.unmerged_at.is_(None),
                        )
                    )
                )
            assert len(active) == 1
            assert petitions.get(x).merged_into is None or petitions.get(y).merged_into is None
    finally:
        other.close()


# --- privacy -------------------------------------------------------------------------------


def test_unmasking_is_per_role_and_audited(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    cid = petitions.intake(call(clock), district="xinbei").case.id
    login(desk, "officer")
    with pytest.raises(PermissionDenied):
        petitions.reveal_petitioner(cid, "回访需要")
    login(desk, "leader")
    with pytest.raises(ValidationError):
        petitions.reveal_petitioner(cid, " ")
    full = petitions.reveal_petitioner(cid, "核实身份")
    assert (full.phone, full.id_number, full.masked) == (PHONE, ID_NUMBER, False)
    with desk.store.read() as conn:
        entries = [r for r in recent_audit(conn, 100) if r["action"].startswith("petition.unmask")]
    assert [(e["action"], e["actor"]) for e in reversed(entries)] == [
        ("petition.unmask_refused", "officer"),
        ("petition.unmask", "leader"),
    ]
    assert "核实身份" in entries[0]["payload"]
    assert PHONE not in all_text_written(desk)


# --- reminders -----------------------------------------------------------------------------


def test_reminders_are_raised_once_across_desks(
    db_url: str, desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    view = petitions.intake(call(clock, channel=Channel.LETTER), district="liyang")
    assert petitions.collect_reminders() == []
    decision_due = next(d for d in view.deadlines if d.deadline.key == "decision").deadline.due_at
    clock.now = decision_due - timedelta(days=2)
    raised = petitions.collect_reminders()
    assert sorted((r.deadline_key, r.days_before) for r in raised) == [
        ("decision", 3),
        ("notice", 3),
    ]
    assert all(r.case_id == view.case.id for r in raised)
    assert petitions.collect_reminders() == []
    other = second_desk(db_url, clock)
    try:
        clock.now = decision_due - timedelta(hours=20)
        raised_there = PetitionDesk.open(other).collect_reminders()
        assert sorted((r.deadline_key, r.days_before) for r in raised_there) == [
            ("decision", 1),
            ("notice", 1),
        ]
        assert petitions.collect_reminders() == []
    finally:
        other.close()


# --- Open311 -------------------------------------------------------------------------------


def test_open311_import_is_idempotent_and_export_masks(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    requested = (clock.now + SH_OFFSET).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    doc = [
        {
            "service_request_id": "12345-001",
            "status": "open",
            "service_code": "ENV-NOISE",
            "description": f"工地夜间施工，来电人{PHONE}",
            "requested_datetime": requested,
            "lat": 31.78,
            "long": 119.97,
            "phone": PHONE,
            "first_name": "三",
            "last_name": "张",
        },
        {
            "service_request_id": "12345-002",
            "status": "closed",
            "service_code": "ENV-AIR",
            "description": "烧垃圾",
            "requested_datetime": requested,
        },
        {"service_request_id": "12345-003", "status": "open", "service_code": "ROAD"},
    ]
    result = petitions.import_open311(json.dumps(doc, ensure_ascii=False), default_district="wujin")
    assert [v.detail.external_ref for v in result.created] == ["12345-001"]
    assert result.skipped_closed == ["12345-002"]
    assert [(r.service_request_id, r.field) for r in result.rejected] == [
        ("12345-003", "service_code")
    ]
    created = result.created[0]
    assert created.case.details["open311"]["district_assumed"] is True
    assert created.detail.channel is Channel.HOTLINE_12345
    again = petitions.import_open311(doc, default_district="wujin")
    assert again.created == [] and again.already_present == ["12345-001"]
    exported = petitions.export_open311([created.case.id])
    text = json.dumps(exported, ensure_ascii=False)
    assert PHONE not in text and "138****5678" in text
    assert exported[0]["service_request_id"] == "12345-001"
    assert exported[0]["status"] == "open"
    login(desk, "officer")
    with pytest.raises(PermissionDenied):
        petitions.export_open311([created.case.id], unmasked=True, reason="上报")
    login(desk, "leader")
    full = petitions.export_open311([created.case.id], unmasked=True, reason="上级核查")
    assert full[0]["phone"] == PHONE
    with desk.store.read() as conn:
        assert any(r["action"] == "petition.export_unmasked" for r in recent_audit(conn, 20))


# --- attachments, phone-call mode, deadline refresh -------------------------------------------


def test_attachments_are_stored_by_hash_and_verified(
    petitions: PetitionDesk, clock: Clock, tmp_path: Path
) -> None:
    photo = tmp_path / "现场.JPG"
    photo.write_bytes(b"\xff\xd8 photo of black smoke")
    stored = petitions.store_attachment(photo)
    assert stored.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert stored.media_type == "image/jpeg" and stored.size_bytes == photo.stat().st_size
    view = petitions.intake(call(clock, attachments=(stored,)), district="xinbei")
    doc = tmp_path / "举报信.pdf"
    doc.write_bytes(b"%PDF-1.4 letter")
    view = petitions.add_attachment(view.case.id, doc)
    assert [a.name for a in view.detail.attachments] == ["现场.JPG", "举报信.pdf"]
    path = petitions.attachment_path(view.case.id, 0)
    assert path.read_bytes() == photo.read_bytes()
    # The same photo sent again is stored once.
    assert petitions.store_attachment(photo).uri == stored.uri
    with pytest.raises(ValidationError, match="no number 5"):
        petitions.attachment_path(view.case.id, 5)
    path.write_bytes(b"tampered")
    with pytest.raises(ValidationError, match="no longer matches"):
        petitions.attachment_path(view.case.id, 0)
    path.unlink()
    with pytest.raises(ValidationError, match="missing"):
        petitions.attachment_path(view.case.id, 0)
    with pytest.raises(ValidationError, match="cannot read"):
        petitions.store_attachment(tmp_path / "nope.jpg")


def test_earlier_petitions_from_the_same_number(petitions: PetitionDesk, clock: Clock) -> None:
    first = petitions.intake(call(clock), district="xinbei").case.id
    clock.advance(days=90)  # outside the duplicate window, still shown to the officer
    second = petitions.intake(call(clock, subject=Subject.NOISE), district="xinbei").case.id
    petitions.intake(
        call(clock, petitioner=Petitioner(name="李四", phone="13900001111")), district="xinbei"
    )
    earlier = petitions.earlier_from_phone("+86 138 1234 5678")
    assert [e.case_id for e in earlier] == [second, first]
    assert earlier[0].subject == "noise"
    assert petitions.earlier_from_phone("12") == []
    assert petitions.earlier_from_phone("13000000000") == []


def test_refresh_deadlines_after_a_generic_reopen(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    view = petitions.intake(call(clock, channel=Channel.LETTER), district="xinbei")
    cid = view.case.id
    desk.cancel(cid, "误登记")
    desk.reopen(cid, "撤销有误")  # the generic reopen uses deadlines.toml for its due times
    refreshed = petitions.refresh_deadlines(cid)
    decision = next(d for d in refreshed.deadlines if d.deadline.key == "decision")
    assert refreshed.case.due_at == min(
        d.deadline.due_at for d in refreshed.deadlines if d.deadline.obligation
    )
    assert refreshed.case.response_due_at == refreshed.case.due_at
    assert decision.deadline.due_at >= refreshed.case.due_at
    again = petitions.refresh_deadlines(cid)
    assert again.case.version == refreshed.case.version  # nothing to change, nothing written
