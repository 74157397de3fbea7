"""CAP messages from the emergency panel, as an officer works them in a real window on a real
database: nothing leaves without the preview and a confirmation; the preview shows the
message and its recipients; closing it sends nothing; Update and Cancel reference the earlier
messages; the history says who sent what to whom; the XML exports through a non-blocking
save dialog. Screenshots in tests/artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from dispatch_app.desk.emergencies import EmergencyDesk, load_emergency_resources
from dispatch_app.domain import cap
from dispatch_app.domain.emergencies import make_circle
from dispatch_app.domain.heavy_pollution import AlertLevel
from dispatch_app.resources import resources_dir
from tests.cap_schemas import assert_valid
from tests.gui.conftest import Session, seed_users, settle, type_text, wait_dialog
from tests.gui.test_emergency_ui import open_station, seed_emergency, select
from ui.emergencies.cap import CapPreviewDialog
from ui.emergencies.integration import EmergencyIntegration
from ui.shell.screenshots import save
from ui.widgets.file_dialogs import open_file_dialogs

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
RESOURCES = resources_dir()


@pytest.fixture(scope="module")
def resources():  # type: ignore[no-untyped-def]
    return load_emergency_resources(RESOURCES)


def closed(dialog: CapPreviewDialog) -> bool:
    # Closed dialogs are deleted (Workspace.run_dialog): gone, or at least hidden.
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def stored(integration: EmergencyIntegration, case_id: int) -> list[str]:
    return [r.msg_type for r in integration.emergencies.cap_messages(case_id)]


def open_preview(
    qtbot: QtBot, s: Session, em: EmergencyIntegration, button_name: str
) -> CapPreviewDialog:
    button = getattr(em.panel.cap_box, button_name)
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, s.workspace, CapPreviewDialog)
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    return dialog


def confirm(qtbot: QtBot, s: Session, dialog: CapPreviewDialog) -> None:
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=10000)
    settle(qtbot, s.workspace)


def test_preview_then_confirm_update_cancel_and_export(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources, area=make_circle(119.82, 31.875, 1500))
    s, em = open_station(sessions, sqlite_url, "officer", resources)
    select(qtbot, s, em, case_id)
    box = em.panel.cap_box
    assert not box.update_button.isEnabled() and box.update_button.toolTip()
    assert box.reason.isVisible() and box.reason.text()

    # The preview shows the message in words, the recipients ticked, and the XML.
    dialog = open_preview(qtbot, s, em, "send_button")
    assert "京杭大运河奔牛段柴油泄漏" in dialog.headline.text()
    assert "31.8750" in dialog.area.text() and "119.8200" in dialog.area.text()
    assert " 1.5 " in dialog.area.text()  # the radius in km, in either language
    for name in ("capSeverity", "capUrgency", "capCertainty"):
        assert dialog.findChild(object, name) is not None
    assert "(Immediate)" in dialog.findChild(object, "capUrgency").text()  # type: ignore[union-attr]
    assert "取水" in dialog.instruction.toPlainText()
    ticked = set(dialog.recipient_ids())
    assert {"city-emergency", "bureau-xinbei"} <= ticked and "bureau-wujin" not in ticked
    assert "<addresses>" in dialog.xml.toPlainText()
    assert f" {len(ticked)} " in dialog.confirm_button.text()
    dialog.tabs.setCurrentIndex(1)
    save(dialog, ARTIFACTS / "cap_preview_xml.png")
    dialog.tabs.setCurrentIndex(0)
    save(dialog, ARTIFACTS / "cap_preview.png")
    # It fits a 1280×720 screen: the message scrolls inside.
    assert dialog.width() <= 1280 and dialog.height() <= 720
    assert dialog.minimumSizeHint().height() <= 680 and dialog.minimumSizeHint().width() <= 1200
    # Nobody ticked: confirm is disabled and says why.
    for check in dialog.checks.values():
        check.setChecked(False)
    assert not dialog.confirm_button.isEnabled()
    assert dialog.status.isVisible() and dialog.status.text() == dialog.why_not() != ""
    dialog.checks["city-emergency"].setChecked(True)
    dialog.checks["bureau-xinbei"].setChecked(True)
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    assert " 2 " in dialog.confirm_button.text()
    # A control character pasted into the instruction: refused before it can be confirmed.
    dialog.instruction.setPlainText("停止取水\x07")
    assert not dialog.confirm_button.isEnabled() and "U+0007" in dialog.status.text()
    dialog.instruction.setPlainText("下游取水口立即停止取水")
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    # Closing the preview sends nothing.
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    settle(qtbot, s.workspace)
    assert stored(em, case_id) == [] and box.table.rowCount() == 0

    # Now for real: the Alert goes to the two recipients ticked.
    dialog = open_preview(qtbot, s, em, "send_button")
    for rid, check in dialog.checks.items():
        check.setChecked(rid in ("city-emergency", "bureau-xinbei"))
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    confirm(qtbot, s, dialog)
    qtbot.waitUntil(lambda: box.table.rowCount() == 1, timeout=5000)
    assert "常州市应急管理局" in box.table.item(0, 3).text()
    assert box.table.item(0, 2).text() == "officer"
    assert not box.send_button.isEnabled() and box.update_button.isEnabled()
    first = em.emergencies.cap_messages(case_id)[0]
    assert [r.id for r in first.recipients] == ["city-emergency", "bureau-xinbei"]

    # Update: the same preview, msgType Update, referencing the Alert.
    dialog = open_preview(qtbot, s, em, "update_button")
    assert dialog.msg_type is cap.MsgType.UPDATE
    assert first.identifier in dialog.findChild(object, "capReferences").text()  # type: ignore[union-attr]
    assert f"<references>{first.reference_key}</references>" in dialog.xml.toPlainText()
    type_text(dialog.note, "油膜扩散至下游2公里")
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    confirm(qtbot, s, dialog)
    qtbot.waitUntil(lambda: box.table.rowCount() == 2, timeout=5000)

    # Cancel references both earlier messages.
    dialog = open_preview(qtbot, s, em, "cancel_button")
    update = em.emergencies.cap_messages(case_id)[1]
    xml = dialog.xml.toPlainText()
    assert f"<references>{first.reference_key} {update.reference_key}</references>" in xml
    assert "<msgType>Cancel</msgType>" in xml
    confirm(qtbot, s, dialog)
    qtbot.waitUntil(lambda: box.table.rowCount() == 3, timeout=5000)
    assert stored(em, case_id) == ["Alert", "Update", "Cancel"]
    assert box.send_button.isEnabled() and not box.update_button.isEnabled()
    logs = [em.panel.log_list.item(r, 2).text() for r in range(em.panel.log_list.rowCount())]
    assert sum("CAP" in t for t in logs) == 3

    # Export the Update's XML through the save dialog (opened with open(), not exec()).
    assert not box.export_button.isEnabled() and box.export_button.toolTip()
    box.table.selectRow(1)
    assert box.export_button.isEnabled()
    qtbot.mouseClick(box.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(open_file_dialogs()) == 1, timeout=5000)
    (saver,) = open_file_dialogs()
    target = tmp_path / "update.xml"
    # Typed into the name field, as an officer would (selectFile leaves a focused field alone).
    name_field = saver.findChild(QLineEdit, "fileNameEdit")
    assert name_field is not None
    name_field.setText(str(target))
    saver.accept()
    qtbot.waitUntil(target.exists, timeout=5000)
    text = target.read_text(encoding="utf-8")
    assert cap.from_xml(text).msg_type is cap.MsgType.UPDATE
    assert_valid(text)
    s.workspace.window.resize(1700, 1000)
    save(em.panel.cap_box, ARTIFACTS / "cap_history.png")


def test_refused_send_keeps_the_preview_open(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,  # type: ignore[no-untyped-def]
) -> None:
    """Another workstation sends first: the officer's preview says so and sends nothing."""
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources)
    s, em = open_station(sessions, sqlite_url, "officer", resources)
    select(qtbot, s, em, case_id)
    dialog = open_preview(qtbot, s, em, "send_button")
    other = EmergencyDesk(s.desk, resources)  # the same database, sent around this preview
    draft = other.draft_cap(case_id, "Alert")
    other.send_cap(case_id, "Alert", recipients=draft.preselected, based_on=None)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "其他席位" in dialog.status.text() or "another" in dialog.status.text(),
        timeout=5000,
    )
    assert not closed(dialog) and dialog.cancel_button.isEnabled()
    assert stored(em, case_id) == ["Alert"]
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)


def test_alert_change_is_previewed_before_it_goes(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    s, em = open_station(sessions, sqlite_url, "leader", resources)
    task = em.spawn(em.change_alert_previewed(AlertLevel.YELLOW.value, "未来两天AQI>200"))
    dialog = wait_dialog(qtbot, s.workspace, CapPreviewDialog)
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    assert "黄色预警" in dialog.headline.text()
    assert dialog.confirm_text is not None  # the button says the alert changes too
    assert dialog.checks["city-warning-centre"].isChecked()
    # Closing the preview changes nothing.
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.result() is None and em.emergencies.current_alert() is None
    task = em.spawn(em.change_alert_previewed(AlertLevel.YELLOW.value, "未来两天AQI>200"))
    dialog = wait_dialog(qtbot, s.workspace, CapPreviewDialog)
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    confirm(qtbot, s, dialog)
    qtbot.waitUntil(task.done, timeout=5000)
    alert = em.emergencies.current_alert()
    assert alert is not None and alert.level is AlertLevel.YELLOW and alert.case_id is not None
    sent = em.emergencies.cap_messages(alert.case_id)
    assert [m.msg_type for m in sent] == ["Alert"]
    assert "city-warning-centre" in [r.id for r in sent[0].recipients]
