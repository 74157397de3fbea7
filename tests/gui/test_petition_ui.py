"""Petitions in the desk window, worked as an officer would: typing into the intake form,
taking a hotline call, merging, replying, calling back, extending, unmasking, importing.

Real desks on a real SQLite file and a real PostgreSQL schema (``db_url``), the real petition
use cases, the one qasync loop of the application.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea
from pytestqt.qtbot import QtBot

from dispatch_app.desk import QueueQuery
from dispatch_app.desk.petitions import PetitionDesk, PetitionView
from dispatch_app.domain.credit_code import make_credit_code
from dispatch_app.domain.petition_deadlines import DeadlineState
from dispatch_app.domain.petitions import (
    Channel,
    Decision,
    PetitionDetail,
    Petitioner,
    Satisfaction,
    Subject,
)
from dispatch_app.store import case_records
from dispatch_app.store.audit_records import recent_audit
from tests.gui.conftest import (
    PASSWORD,
    Session,
    open_desk,
    seed_users,
    settle,
    start,
    type_text,
    wait_dialog,
)
from ui.petitions.dialogs import (
    CallbackDialog,
    ExtensionDialog,
    MergeDialog,
    Open311ExportDialog,
    Open311ImportDialog,
    ReasonDialog,
    ReplyDialog,
)
from ui.petitions.intake import PetitionIntakeDialog
from ui.petitions.integration import PetitionIntegration
from ui.shell.screenshots import save

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
CREDIT = make_credit_code("91320400MA1ABCDE0")
ENTERPRISE = "常州某某化工有限公司"
ADDRESS = "新北区春江镇某路18号"


# --- set-up ----------------------------------------------------------------------------------


@pytest.fixture
def attachments_dir(tmp_path: Path) -> Path:
    return tmp_path / "attachments"


@pytest.fixture
def petition_desk(
    sessions: Callable[..., Session], attachments_dir: Path
) -> Iterator[Callable[..., tuple[Session, PetitionIntegration]]]:
    """Factory: a workstation logged in as ``username`` with petitions installed."""

    def make(url: str, username: str = "officer") -> tuple[Session, PetitionIntegration]:
        s = sessions(url, username)
        petitions = PetitionDesk.open(s.desk, attachments_dir=attachments_dir)
        integration = s.workspace.install_petitions(petitions)
        return s, integration

    yield make


def hotline_call(received_at: datetime | None = None, **kw: Any) -> PetitionDetail:
    values: dict[str, Any] = {
        "channel": Channel.HOTLINE_12369,
        "received_at": received_at or datetime.now(UTC) - timedelta(hours=1),
        "subject": Subject.ODOUR,
        "description": "春江镇化工园区晚上有刺鼻气味，窗户不敢开",
        "petitioner": Petitioner(name="张三", phone=PHONE, id_number=ID_NUMBER),
        "address": ADDRESS,
        "lon": 119.95,
        "lat": 31.92,
        "enterprise_name": ENTERPRISE,
        "credit_code": CREDIT,
    }
    values.update(kw)
    return PetitionDetail(**values)


def seed_petition(
    url: str,
    tmp: Path,
    detail: PetitionDetail | None = None,
    *,
    decision: Decision | None = None,
    contacted: bool = False,
    username: str = "officer",
) -> PetitionView:
    """A petition registered by another desk on the same database (the real use case)."""
    d = open_desk(url)
    try:
        d.login(username, PASSWORD)
        p = PetitionDesk.open(d, attachments_dir=tmp)
        view = p.intake(detail or hotline_call(), district="xinbei")
        if decision is not None:
            view = p.record_decision(view.case.id, decision)
        if contacted:  # the local first-contact target met an hour after receipt
            at = view.detail.received_at + timedelta(hours=1)
            view = p.record_contact(view.case.id, note="已电话联系", at=at)
        return view
    finally:
        d.close()


def stored(url: str, case_id: int) -> tuple[PetitionView, dict[str, Any]]:
    """The petition as the database holds it now, and its raw details (full numbers)."""
    d = open_desk(url)
    try:
        d.login("admin", PASSWORD)
        p = PetitionDesk.open(d)
        with d.store.read() as conn:  # the raw row: the desk's views mask the numbers
            row = case_records.get_case(conn, case_id)
        return p.get(case_id), row["details"]
    finally:
        d.close()


def audit_actions(url: str) -> list[dict[str, Any]]:
    d = open_desk(url)
    try:
        with d.store.read() as conn:
            return list(recent_audit(conn, 1000))
    finally:
        d.close()


def select(qtbot: QtBot, s: Session, integ: PetitionIntegration, case_id: int) -> PetitionView:
    integ.open_case(case_id)  # selected in the queue when listed there, shown in any case
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.case.id == case_id,
        timeout=8000,
    )
    assert integ.panel.view is not None
    return integ.panel.view


def click(qtbot: QtBot, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(combo: Any, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


# --- intake ----------------------------------------------------------------------------------


def test_intake_marks_every_bad_field_at_once_keeps_the_text_and_saves_when_fixed(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    s, integ = petition_desk(db_url)
    ws = s.workspace
    task = start(integ.new_petition(phone_call=False))
    dialog = wait_dialog(qtbot, ws, PetitionIntakeDialog)
    assert not dialog.call_clock.isVisible()  # the call clock belongs to the hotline mode
    choose(dialog.channel, "letter")
    type_text(dialog.name, "李四")
    qtbot.keyClicks(dialog.phone, "1381234")  # too short
    qtbot.keyClicks(dialog.id_number, "110105194912310021")  # wrong check character
    qtbot.keyClicks(dialog.credit_code, "91320400MA1ABCDE01")  # wrong check character
    choose(dialog.subject, "noise")
    choose(dialog.district, "wujin")
    type_text(dialog.address, "武进区湖塘镇某小区")
    type_text(dialog.description, "夜间施工噪声扰民，持续一周")
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    dialog.add_attachment_paths([photo])

    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: bool(dialog.bad_fields()), timeout=5000)
    assert set(dialog.bad_fields()) == {
        "petitioner.phone",
        "petitioner.id_number",
        "credit_code",
    }
    assert dialog.isVisible() and dialog.created is None
    assert "3" in dialog.form_error.text()
    # Nothing typed was lost.
    assert dialog.phone.text() == "1381234"
    assert dialog.description.toPlainText() == "夜间施工噪声扰民，持续一周"
    assert dialog.attachment_paths() == [photo]
    save(dialog, artifacts_dir / "petition_intake_errors.png")

    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "0519-86661234")  # a landline with its area code
    dialog.id_number.clear()
    qtbot.keyClicks(dialog.id_number, ID_NUMBER)
    dialog.credit_code.clear()
    qtbot.keyClicks(dialog.credit_code, CREDIT)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(task.done, timeout=10000)
    view = task.result()
    assert isinstance(view, PetitionView)

    fresh, details = stored(db_url, view.case.id)
    assert fresh.case.kind == "petition" and fresh.case.district == "wujin"
    assert fresh.detail.channel is Channel.LETTER and fresh.detail.subject is Subject.NOISE
    assert details["petition"]["petitioner"]["phone"] == "051986661234"  # stored in full
    assert details["petition"]["petitioner"]["id_number"] == ID_NUMBER
    assert [a.name for a in fresh.detail.attachments] == ["现场照片.jpg"]
    # The new petition is selected and shown masked.
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.case.id == view.case.id,
        timeout=8000,
    )
    assert integ.panel.person["phone"].text() == "0519****1234"
    assert ID_NUMBER not in integ.panel.person["id_number"].text()
    assert integ.panel.attachments.count() == 1


def test_esc_asks_before_discarding_a_typed_petition(
    qtbot: QtBot,
    sqlite_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
) -> None:
    seed_users(sqlite_url)
    s, integ = petition_desk(sqlite_url)
    task = start(integ.new_petition(phone_call=True))
    dialog = wait_dialog(qtbot, s.workspace, PetitionIntakeDialog)
    qtbot.keyClicks(dialog.phone, PHONE)
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Escape)
    assert dialog.isVisible() and not dialog.discard_bar.isHidden()
    # Plain Enter never saves; keep editing brings the form back.
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.created is None
    click(qtbot, dialog.keep_button)
    assert dialog.discard_bar.isHidden() and dialog.phone.text() == PHONE
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Escape)
    qtbot.keyClick(dialog.keep_button, Qt.Key.Key_Escape)  # Esc again discards
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.result() is None
    assert s.desk.queue_count(QueueQuery(kinds=("petition",))) == 0


def test_phone_call_mode_runs_the_clock_and_shows_earlier_petitions_and_duplicates(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    earlier = seed_petition(db_url, tmp_path / "att")
    other_caller = seed_petition(
        db_url,
        tmp_path / "att",
        hotline_call(petitioner=Petitioner(name="王五", phone="13900001111")),
    )
    s, _ = petition_desk(db_url)
    ws = s.workspace
    ws.window.actions_by_name["petition_call"].trigger()  # F2
    dialog = wait_dialog(qtbot, ws, PetitionIntakeDialog)
    assert dialog.phone_call and dialog.call_clock.isVisible()
    opened_at = dialog.call_elapsed_text()
    assert re.search(r"00:0[0-2]$", opened_at), opened_at  # mm:ss, from the call's start
    assert dialog.phone.hasFocus()  # keyboard first: the caller's number
    assert [dialog.channel.itemData(i) for i in range(dialog.channel.count())] == [
        "hotline_12369",
        "hotline_12345",
    ]

    with qtbot.waitSignal(dialog.looked_up, timeout=8000):
        qtbot.keyClicks(dialog.phone, "138 1234 5678")
    assert earlier.case.reference in dialog.listed_references(dialog.earlier_list)
    assert other_caller.case.reference not in dialog.listed_references(dialog.earlier_list)

    # Tab walks the call's order: number → name → anonymous → subject → address.
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Tab)
    assert dialog.name.hasFocus()
    type_text(dialog.name, "张三")
    choose(dialog.subject, "odour")
    with qtbot.waitSignal(dialog.looked_up, timeout=8000):
        type_text(dialog.address, ADDRESS)
        type_text(dialog.enterprise, ENTERPRISE)
        type_text(dialog.description, "化工园区又有刺鼻气味")
    dupes = dialog.listed_references(dialog.duplicate_list)
    assert earlier.case.reference in dupes and other_caller.case.reference in dupes
    qtbot.waitUntil(lambda: dialog.call_elapsed_text() != opened_at, timeout=3000)  # it ticks
    save(dialog, artifacts_dir / "petition_phone_call.png")

    # Ctrl+Enter saves (district still missing: marked, nothing lost), then saves for real.
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "district" in dialog.bad_fields(), timeout=5000)
    choose(dialog.district, "xinbei")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.created is not None, timeout=10000)
    created: PetitionView = dialog.created
    assert created.detail.channel is Channel.HOTLINE_12369
    assert created.petitioner.phone == "138****5678"


# --- merge, reply, callback, extension ------------------------------------------------------


def test_merge_a_repeat_petition_through_the_dialog(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    master = seed_petition(db_url, tmp_path / "att")
    repeat = seed_petition(db_url, tmp_path / "att")
    s, integ = petition_desk(db_url, "leader")
    select(qtbot, s, integ, repeat.case.id)
    assert integ.panel.buttons["merge"].isEnabled()
    click(qtbot, integ.panel.buttons["merge"])
    dialog = wait_dialog(qtbot, s.workspace, MergeDialog)
    assert master.case.id in [h.case_id for h in dialog.hits]
    assert repeat.case.id not in [h.case_id for h in dialog.hits]
    assert dialog.select_master(master.case.id)
    # No reason: refused inside the dialog, which stays open.
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=5000)
    assert dialog.isVisible()
    type_text(dialog.reason, "同一企业同一异味问题，重复来电")
    # The dialog is deleted soon after it finishes: its result is taken from the signal.
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: finished == [QDialog.DialogCode.Accepted.value], timeout=8000)
    settle(qtbot, s.workspace)
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.merged_into == master.case.id,
        timeout=8000,
    )
    assert master.case.reference in integ.panel.fields["merge"].text()
    assert integ.panel.buttons["unmerge"].isEnabled()
    assert not integ.panel.buttons["merge"].isEnabled()
    fresh_master, _ = stored(db_url, master.case.id)
    assert fresh_master.duplicates == (repeat.case.id,)
    assert "petition.merge" in [a["action"] for a in audit_actions(db_url)]


def test_reply_then_a_dissatisfied_callback(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    petition = seed_petition(db_url, tmp_path / "att", decision=Decision.ACCEPT)
    s, integ = petition_desk(db_url)
    select(qtbot, s, integ, petition.case.id)
    assert not integ.panel.buttons["callback"].isEnabled()  # no reply yet

    click(qtbot, integ.panel.buttons["reply"])
    reply = wait_dialog(qtbot, s.workspace, ReplyDialog)
    type_text(reply.text, "经现场核查，该企业已停产整改，异味问题已解决。")
    choose(reply.channel, "phone")
    click(qtbot, reply.ok_button)
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.progress.reply is not None,
        timeout=8000,
    )
    assert integ.panel.buttons["callback"].isEnabled()

    click(qtbot, integ.panel.buttons["callback"])
    callback = wait_dialog(qtbot, s.workspace, CallbackDialog)
    choose(callback.result_choice, "dissatisfied")
    assert not callback.reopen.isEnabled()  # a duty officer cannot reopen
    type_text(callback.notes, "信访人称夜间仍有气味")
    click(qtbot, callback.ok_button)
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and bool(integ.panel.view.progress.callbacks),
        timeout=8000,
    )
    fresh, _ = stored(db_url, petition.case.id)
    last = fresh.progress.last_callback
    assert last is not None and last.result is Satisfaction.DISSATISFIED
    assert last.notes == "信访人称夜间仍有气味"
    assert fresh.progress.reply is not None  # not reopened: the reply stands
    assert "不满意" in integ.panel.fields["progress"].text()

    # The petitioner asks for a review (复查): a linked petition with its own deadline.
    assert integ.panel.buttons["follow_up"].isEnabled()
    click(qtbot, integ.panel.buttons["follow_up"])
    follow = wait_dialog(qtbot, s.workspace, ReasonDialog)
    type_text(follow.text, "信访人对答复不服，申请复查")
    click(qtbot, follow.ok_button)
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.follow_up_case_id is not None,
        timeout=8000,
    )
    review_id = integ.panel.view.follow_up_case_id
    links = [integ.panel.links.item(i).text() for i in range(integ.panel.links.count())]
    assert any(f"#{review_id}" in text for text in links)
    review, _ = stored(db_url, review_id)
    assert review.follow_up_of == petition.case.id
    assert "review_opinion" in [d.deadline.key for d in review.deadlines]
    # Following the link shows the review in the panel.
    integ.open_case(review_id)
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.case.id == review_id,
        timeout=8000,
    )
    assert "复查" in integ.panel.fields["stage"].text()

    # A document attached afterwards is stored, hashed and listed.
    letter = tmp_path / "复查申请书.pdf"
    letter.write_bytes(b"%PDF-1.4 review request")
    task = start(integ.attach(letter))
    qtbot.waitUntil(task.done, timeout=8000)
    assert task.result() is not None
    assert integ.panel.attachments.count() == 1
    assert "复查申请书.pdf" in integ.panel.attachments.item(0).text()
    opened = start(integ.attachment_file(0))
    qtbot.waitUntil(opened.done, timeout=8000)
    assert opened.result() is not None
    assert opened.result().read_bytes() == b"%PDF-1.4 review request"  # verified copy


def test_extension_is_refused_for_a_duty_officer_and_granted_by_a_shift_leader(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    petition = seed_petition(db_url, tmp_path / "att", decision=Decision.ACCEPT)
    officer, integ = petition_desk(db_url, "officer")
    select(qtbot, officer, integ, petition.case.id)
    click(qtbot, integ.panel.buttons["extension"])
    dialog = wait_dialog(qtbot, officer.workspace, ExtensionDialog)
    type_text(dialog.reason, "需委托第三方检测，结果需20日")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=8000)
    assert "带班领导" in dialog.error.text()
    assert dialog.isVisible() and dialog.reason.toPlainText() == "需委托第三方检测，结果需20日"
    dialog.reject()
    fresh, _ = stored(db_url, petition.case.id)
    assert fresh.progress.extension is None

    leader, linteg = petition_desk(db_url, "leader")
    select(qtbot, leader, linteg, petition.case.id)
    click(qtbot, linteg.panel.buttons["extension"])
    dialog = wait_dialog(qtbot, leader.workspace, ExtensionDialog)
    dialog.days.setValue(20)
    type_text(dialog.reason, "需委托第三方检测，结果需20日")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(
        lambda: linteg.panel.view is not None and linteg.panel.view.progress.extension is not None,
        timeout=8000,
    )
    ext = linteg.panel.view.progress.extension
    assert ext is not None and ext.days == 20
    handling = next(dv for dv in linteg.panel.view.deadlines if dv.deadline.key == "handling")
    assert handling.deadline.extended_by_days == 20
    assert "20" in linteg.panel.fields["progress"].text()
    assert not linteg.panel.buttons["extension"].isEnabled()  # one extension only


# --- privacy ---------------------------------------------------------------------------------


def test_masking_per_role_and_the_audited_reveal(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    petition = seed_petition(db_url, tmp_path / "att")
    officer, integ = petition_desk(db_url, "officer")
    select(qtbot, officer, integ, petition.case.id)
    assert integ.panel.person["phone"].text() == "138****5678"
    assert integ.panel.person["id_number"].text() == "110105********002X"
    assert integ.panel.reveal_button.isHidden()  # a duty officer may not unmask
    # Even asked directly, the desk refuses, and the refusal is audited.
    task = start(integ.perform("reveal"))
    dialog = wait_dialog(qtbot, officer.workspace, ReasonDialog)
    type_text(dialog.text, "核实身份")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=8000)
    dialog.reject()
    qtbot.waitUntil(task.done, timeout=5000)
    assert integ.panel.person["phone"].text() == "138****5678"

    leader, linteg = petition_desk(db_url, "leader")
    select(qtbot, leader, linteg, petition.case.id)
    assert linteg.panel.person["phone"].text() == "138****5678"  # masked until asked
    assert linteg.panel.reveal_button.isVisible()
    click(qtbot, linteg.panel.reveal_button)
    dialog = wait_dialog(qtbot, leader.workspace, ReasonDialog)
    click(qtbot, dialog.ok_button)  # no reason: refused, nothing shown
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=8000)
    assert linteg.panel.person["phone"].text() == "138****5678"
    type_text(dialog.text, "信访人要求回电，需完整号码")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: linteg.panel.person["phone"].text() == PHONE, timeout=8000)
    assert linteg.panel.person["id_number"].text() == ID_NUMBER
    entries = audit_actions(db_url)
    unmask = [e for e in entries if e["action"] == "petition.unmask"]
    refused = [e for e in entries if e["action"] == "petition.unmask_refused"]
    assert len(unmask) == 1 and len(refused) == 1
    assert "信访人要求回电" in json.dumps(unmask[0], ensure_ascii=False, default=str)
    # Another case selected: the unmasked numbers are gone from the screen.
    linteg.show(None)
    other = seed_petition(db_url, tmp_path / "att")
    select(qtbot, leader, linteg, other.case.id)
    select(qtbot, leader, linteg, petition.case.id)
    assert linteg.panel.person["phone"].text() == "138****5678"


# --- Open311 ---------------------------------------------------------------------------------


def test_open311_import_reports_malformed_records_and_keeps_the_good_ones(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    s, integ = petition_desk(db_url)
    when = (datetime.now(UTC) - timedelta(hours=2)).isoformat()

    def record(rid: str, **kw: Any) -> dict[str, Any]:
        base = {
            "service_request_id": rid,
            "status": "open",
            "service_code": "ENV-ODOUR",
            "description": "小区旁工厂夜间排放刺鼻气体",
            "requested_datetime": when,
            "address": "新北区春江镇某路",
            "lat": 31.92,
            "long": 119.95,
        }
        base.update(kw)
        return base

    payload = [
        record("GOOD-1"),
        record("BAD-1", service_code="POTHOLE"),
        "not an object",
        record("BAD-2", lat=51.5, long=-0.12),
        record("GOOD-2", service_code="ENV-NOISE", description="夜间施工噪声"),
    ]
    path = tmp_path / "12345.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    task = start(integ.import_open311())
    dialog = wait_dialog(qtbot, s.workspace, Open311ImportDialog)
    click(qtbot, dialog.ok_button)  # no file chosen yet
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=5000)
    qtbot.keyClicks(dialog.path, str(tmp_path / "missing.json"))
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: "missing.json" in dialog.error.text(), timeout=5000)
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(path))
    choose(dialog.district, "xinbei")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10000)
    result = dialog.imported
    assert result is not None
    assert len(result.created) == 2 and len(result.rejected) == 3
    assert dialog.report.rowCount() == 5
    report = "\n".join(
        dialog.report.item(r, c).text()
        for r in range(dialog.report.rowCount())
        for c in range(dialog.report.columnCount())
    )
    assert "GOOD-1" in report and "BAD-1" in report and "BAD-2" in report
    assert dialog.isVisible()  # stays open on the report
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(task.done, timeout=5000)

    # Importing the same file again creates nothing new.
    again = start(integ.import_open311())
    dialog = wait_dialog(qtbot, s.workspace, Open311ImportDialog)
    qtbot.keyClicks(dialog.path, str(path))
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10000)
    assert dialog.imported is not None
    assert dialog.imported.created == [] and len(dialog.imported.already_present) == 2
    dialog.accept()
    qtbot.waitUntil(again.done, timeout=5000)


def test_open311_export_is_masked_by_default(
    qtbot: QtBot,
    sqlite_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    tmp_path: Path,
) -> None:
    seed_users(sqlite_url)
    seed_petition(
        sqlite_url,
        tmp_path / "att",
        hotline_call(description=f"来电人{PHONE}反映异味"),
    )
    s, integ = petition_desk(sqlite_url)
    task = start(integ.export_open311())
    dialog = wait_dialog(qtbot, s.workspace, Open311ExportDialog)
    assert not dialog.unmasked.isChecked() and not dialog.unmasked.isEnabled()
    target = tmp_path / "out.json"
    dialog.path.setText(str(target))
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(task.done, timeout=10000)
    assert task.result() == target
    text = target.read_text(encoding="utf-8")
    records = json.loads(text)
    assert len(records) == 1 and records[0]["service_code"] == "ENV-ODOUR"
    assert PHONE not in text and ID_NUMBER not in text


# --- deadlines: overdue panel and the reminder strip -----------------------------------------


def test_an_overdue_petition_cannot_be_missed_and_reminders_are_raised(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    now = datetime.now(UTC)
    overdue = seed_petition(
        db_url, tmp_path / "att", hotline_call(received_at=now - timedelta(days=20))
    )
    soon = seed_petition(
        db_url,
        tmp_path / "att",
        hotline_call(
            received_at=now - timedelta(days=13),
            channel=Channel.LETTER,
            address="天宁区某路",
            enterprise_name=None,
            credit_code=None,
        ),
        contacted=True,
    )
    s, integ = petition_desk(db_url)
    s.workspace.window.resize(1800, 1050)
    view = select(qtbot, s, integ, overdue.case.id)
    states = integ.panel.states()
    assert DeadlineState.OVERDUE in states
    banner = integ.panel.overdue_banner_text()
    assert "⚠" in banner and "受理/转送/交办决定" in banner and "已超期" in banner
    decision_row = [dv.deadline.key for dv in view.deadlines].index("decision")
    assert integ.panel.deadlines.item(decision_row, 2).text().startswith("⚠ 已超期 4天")
    # The strip (checked at start and every minute) lists the overdue one, with a badge.
    qtbot.waitUntil(lambda: bool(integ.strip.overdue), timeout=8000)
    QApplication.processEvents()
    save(s.workspace.window, artifacts_dir / "petition_panel_overdue.png")
    content = integ.panel.findChild(QScrollArea).widget()  # the whole panel, not its viewport
    save(content, artifacts_dir / "petition_panel_full.png")
    assert overdue.case.id in [o.case_id for o in integ.strip.overdue]
    assert soon.case.id not in [o.case_id for o in integ.strip.overdue]
    assert integ.badge.isVisible() and "1" in integ.badge.text()
    # The letter received 13 days ago has its decision due within 3 days: a reminder.
    qtbot.waitUntil(
        lambda: soon.case.id in [r.case_id for r in integ.strip.reminders], timeout=8000
    )
    reminders_before = len(integ.strip.reminders)
    # Raised once: the next check (another minute) adds nothing for the same deadline.
    task = start(integ.refresh_reminders())
    qtbot.waitUntil(task.done, timeout=8000)
    assert len(integ.strip.reminders) == reminders_before

    # Recording the decision and the notice clears the statutory overdue state.
    select(qtbot, s, integ, soon.case.id)
    assert integ.panel.overdue_banner_text() == ""
    assert any(st in (DeadlineState.DUE_3D, DeadlineState.DUE_1D) for st in integ.panel.states())


def test_a_step_on_a_stale_version_is_refused_and_kept_to_apply_again(
    qtbot: QtBot,
    db_url: str,
    petition_desk: Callable[..., tuple[Session, PetitionIntegration]],
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    petition = seed_petition(db_url, tmp_path / "att", decision=Decision.ACCEPT)
    s, integ = petition_desk(db_url)
    select(qtbot, s, integ, petition.case.id)
    click(qtbot, integ.panel.buttons["reply"])
    dialog = wait_dialog(qtbot, s.workspace, ReplyDialog)
    text = "经核查，企业已整改到位。"
    type_text(dialog.text, text)
    # Meanwhile another workstation records the contact with the petitioner.
    other = open_desk(db_url)
    try:
        other.login("leader", PASSWORD)
        PetitionDesk.open(other, attachments_dir=tmp_path / "att").record_contact(
            petition.case.id, note="已电话联系"
        )
    finally:
        other.close()
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=8000)
    assert dialog.isVisible() and dialog.text.toPlainText() == text  # nothing lost
    assert "再次按" in dialog.error.text()  # and the officer is told what to do
    fresh, _ = stored(db_url, petition.case.id)
    assert fresh.progress.reply is None  # nothing overwritten
    # The panel now shows their change; OK again applies the reply on the new version.
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.progress.contacted_at is not None,
        timeout=8000,
    )
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(
        lambda: integ.panel.view is not None and integ.panel.view.progress.reply is not None,
        timeout=8000,
    )
    fresh, _ = stored(db_url, petition.case.id)
    assert fresh.progress.reply is not None and fresh.progress.reply.text == text
    assert fresh.progress.contacted_at is not None  # theirs kept too
