"""Creating cases through the form: all four kinds, errors next to the field, nothing lost."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dispatch_app.desk import QueueQuery
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.credit_code import make_credit_code
from tests.gui.conftest import (
    PASSWORD,
    Session,
    open_desk,
    seed_users,
    settle,
    type_text,
    wait_dialog,
)
from ui.cases.case_form import CaseFormDialog
from ui.petitions.intake import PetitionIntakeDialog

GOOD_CODE = make_credit_code("91320412MA1MQ8N4X")
BAD_CODE = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")


def _open_form(qtbot: QtBot, s: Session) -> tuple[CaseFormDialog, asyncio.Future[object]]:
    ws = s.workspace
    qtbot.keyClick(ws.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_dialog(qtbot, ws, CaseFormDialog)
    return dialog, asyncio.ensure_future(asyncio.sleep(0))


def _fill_common(dialog: CaseFormDialog, kind: str, title: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    type_text(dialog.title_edit, title)
    type_text(dialog.description, "群众反映情况，需核查。")
    dialog.district.setCurrentIndex(dialog.district.findData("xinbei"))
    dialog.source.setCurrentIndex(dialog.source.findData("hotline_12369"))
    type_text(dialog.address, "新北区春江镇")


@pytest.mark.parametrize("kind", ["quality", "emergency", "petition"])
def test_create_case_of_each_kind(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session], kind: str
) -> None:
    seed_users(db_url)
    s = sessions(db_url)
    dialog, _ = _open_form(qtbot, s)
    assert not dialog.credit_box.isVisible()
    _fill_common(dialog, kind, f"{kind} 测试事项")
    type_text(dialog.lon, "119.97")
    type_text(dialog.lat, "31.91")
    if kind == "emergency":
        assert dialog.emergency_level.isVisible()
        dialog.emergency_level.setCurrentIndex(dialog.emergency_level.findData("III"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.workspace.active_dialog is None)
    qtbot.waitUntil(lambda: s.workspace.queue.model.rowCount() == 1)
    check = open_desk(db_url)
    try:
        check.login("admin", PASSWORD)
        row = check.queue_page()[0]
        case = check.get_case(row.id)
    finally:
        check.close()
    assert case.kind == kind and case.district == "xinbei" and case.source == "hotline_12369"
    assert (case.lon, case.lat) == (119.97, 31.91)
    assert case.reference.startswith("CZ-")
    if kind == "emergency":
        assert case.details["emergency_level"] == "III"
        assert case.priority == "P2"  # an emergency starts at least urgent
    qtbot.waitUntil(lambda: s.workspace.queue.current_case_id() == case.id)


def test_violation_needs_a_valid_credit_code_and_keeps_the_input(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    s = sessions(db_url)
    dialog, _ = _open_form(qtbot, s)
    _fill_common(dialog, "violation", "某化工企业超标排放")
    assert dialog.credit_box.isVisible() and dialog.enterprise.isVisible()
    type_text(dialog.enterprise, "常州某化工有限公司")
    type_text(dialog.credit_code, BAD_CODE[:10])
    assert "10" in dialog.credit_hint.text()  # live: 10 of 18
    type_text(dialog.credit_code, BAD_CODE[10:])
    row = dialog.rows["credit_code"]
    assert row.error.isVisible() and "校验码" in row.error.text()  # live check character
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    assert dialog.isVisible()
    assert row.error.isVisible() and "校验码" in row.error.text()
    # Nothing typed was lost.
    assert dialog.title_edit.text() == "某化工企业超标排放"
    assert dialog.enterprise.text() == "常州某化工有限公司"
    assert dialog.credit_code.text() == BAD_CODE
    dialog.credit_code.clear()
    type_text(dialog.credit_code, GOOD_CODE.lower())  # officers paste lower case too
    assert not row.error.isVisible() and "✔" in dialog.credit_hint.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.workspace.active_dialog is None)
    check = open_desk(db_url)
    try:
        check.login("admin", PASSWORD)
        case = check.get_case(check.queue_page()[0].id)
    finally:
        check.close()
    assert case.kind == "violation"
    assert case.enterprise_name == "常州某化工有限公司" and case.credit_code == GOOD_CODE


@pytest.mark.parametrize(
    ("field", "setup", "message"),
    [
        ("title", lambda d: None, "标题不能为空"),
        ("title", lambda d: type_text(d.title_edit, "长" * 201), "最多允许200字"),
        ("lon", lambda d: type_text(d.lon, "31.9") or type_text(d.lat, "119.9"), "经纬度"),
        ("lat", lambda d: type_text(d.lon, "119.9"), "同时"),
        ("lon", lambda d: type_text(d.lon, "东经120") or type_text(d.lat, "31.8"), "数字"),
        (
            "enterprise_name",
            lambda d: (
                d.kind.setCurrentIndex(d.kind.findData("violation"))
                or d.district.setCurrentIndex(d.district.findData("wujin"))
            ),
            "企业名称",
        ),
    ],
)
def test_bad_fields_are_marked_next_to_the_field(
    qtbot: QtBot,
    sqlite_url: str,
    sessions: Callable[..., Session],
    field: str,
    setup: Callable[[CaseFormDialog], object],
    message: str,
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url)
    dialog, _ = _open_form(qtbot, s)
    if field != "title":
        type_text(dialog.title_edit, "有标题")
    setup(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    row = dialog.rows[field]
    qtbot.waitUntil(row.error.isVisible)
    assert message in row.error.text()
    assert row.editor.property("invalid") is True
    assert dialog.isVisible()
    assert s.workspace.queue.model.rowCount() == 0
    dialog.reject()


def test_viewer_cannot_open_the_form(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url, "viewer")
    assert not s.workspace.window.actions_by_name["new_case"].isEnabled()
    qtbot.keyClick(s.workspace.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(100)
    assert s.workspace.active_dialog is None


def test_petition_choice_hands_over_to_the_petition_intake(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session], tmp_path: Path
) -> None:
    seed_users(db_url)
    s = sessions(db_url)
    ws = s.workspace
    ws.install_petitions(PetitionDesk.open(s.desk, attachments_dir=tmp_path / "att"))
    dialog, _ = _open_form(qtbot, s)
    assert not dialog.petition_note.isVisible()
    _fill_common(dialog, "petition", "信访 走错表单")
    assert dialog.petition_note.isVisible()
    assert dialog.save_button.text() != dialog.tr("Create case")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    intake = wait_dialog(qtbot, ws, PetitionIntakeDialog)
    intake.reject()
    qtbot.waitUntil(lambda: ws.active_dialog is None)
    # Nothing was created through the generic path.
    check = open_desk(db_url)
    try:
        check.login("admin", PASSWORD)
        assert check.queue_count(QueueQuery(statuses=())) == 0
    finally:
        check.close()

    # Asked for a petition directly (kind="petition"): the intake, not the generic form.
    task = asyncio.ensure_future(ws.create_case("petition"))
    intake = wait_dialog(qtbot, ws, PetitionIntakeDialog)
    intake.reject()
    qtbot.waitUntil(task.done)
    assert task.result() is None

    # The other kinds still go through the generic form (File → New case…).
    ws.window.actions_by_name["new_case"].trigger()
    dialog = wait_dialog(qtbot, ws, CaseFormDialog)
    _fill_common(dialog, "quality", "质量 测试事项")
    assert not dialog.petition_note.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.active_dialog is None)
    qtbot.waitUntil(lambda: ws.queue.model.rowCount() == 1)
    settle(qtbot, ws)
