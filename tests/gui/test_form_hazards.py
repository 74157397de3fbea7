"""Form hazards a new duty officer met on a real screen: a district chosen for them, Tab trapped
in a description, the mouse wheel changing the emergency figures while scrolling, the plan box
jumping to another plan, resolving without an outcome, and an emergency panel to edit with no
emergency selected."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.desk.emergencies import EmergencyDesk, load_emergency_resources
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.emergencies import Figures
from dispatch_app.resources import resources_dir
from tests.gui.conftest import (
    PASSWORD,
    Session,
    open_desk,
    run,
    seed_cases,
    seed_users,
    settle,
    start,
    type_text,
    wait_dialog,
)
from tests.gui.test_emergency_ui import seed_emergency
from ui.cases.action_dialogs import DispatchDialog, TextActionDialog
from ui.cases.case_form import CaseFormDialog
from ui.emergencies.integration import EmergencyIntegration
from ui.shell.screenshots import save
from ui.widgets.input_guard import GUARDED

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
RESOURCES = resources_dir()


@pytest.fixture(scope="module")
def resources():  # type: ignore[no-untyped-def]
    return load_emergency_resources(RESOURCES)


def new_case_form(qtbot: QtBot, s: Session) -> CaseFormDialog:
    qtbot.keyClick(s.workspace.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    return wait_dialog(qtbot, s.workspace, CaseFormDialog)


def stored_cases(url: str) -> list[object]:
    check = open_desk(url)
    try:
        check.login("admin", PASSWORD)
        return [check.get_case(r.id) for r in check.queue_page()]
    finally:
        check.close()


# ---- district ------------------------------------------------------------------------------


def test_district_has_no_default_and_is_refused_with_a_clear_message(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    s = sessions(db_url)
    form = new_case_form(qtbot, s)
    assert form.district.currentData() is None
    assert form.district.currentText() == "请选择辖区"
    type_text(form.title_edit, "某河段水体发黑发臭")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    row = form.rows["district"]
    qtbot.waitUntil(row.error.isVisible)
    assert row.error.text() == "请选择所属辖区"
    assert row.editor.property("invalid") is True
    assert form.isVisible() and stored_cases(db_url) == []
    assert form.title_edit.text() == "某河段水体发黑发臭"  # nothing typed is lost
    save(form, ARTIFACTS / "case_form_no_district.png")
    # Chosen by hand: saved with it.
    form.district.setFocus()
    qtbot.keyClick(form.district, Qt.Key.Key_Down)  # the first district, as a keyboard user
    chosen = form.district.currentData()
    assert chosen is not None
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.workspace.active_dialog is None)
    (case,) = stored_cases(db_url)
    assert case.district == chosen  # type: ignore[attr-defined]


def test_district_is_derived_from_the_address_or_the_coordinates(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url)
    form = new_case_form(qtbot, s)
    type_text(form.title_edit, "湖塘镇某厂夜间偷排")
    type_text(form.address, "常州市武进区湖塘镇人民路8号")
    assert form.district.currentData() == "wujin"
    assert form.district_hint.isVisible() and "地址" in form.district_hint.text()
    # The address no longer names a district: no district again, not a stale guess.
    form.address.clear()
    assert form.district.currentData() is None and not form.district_hint.isVisible()
    # Coordinates inside 武进's polygon on the basemap.
    type_text(form.lon, "119.941")
    type_text(form.lat, "31.6387")
    assert form.district.currentData() == "wujin"
    assert "坐标" in form.district_hint.text() and "经开区" in form.district_hint.text()
    qtbot.wait(100)  # the form lays the hint out
    save(form, ARTIFACTS / "case_form_district_derived.png")
    # Coordinates outside every district (in the lake box, east of the city): none.
    form.lon.clear()
    type_text(form.lon, "120.5")
    assert form.district.currentData() is None
    # A district chosen by hand stands; typing the address no longer moves it.
    form.lon.clear()
    form.district.activated.emit(form.district.findData("xinbei"))
    form.district.setCurrentIndex(form.district.findData("xinbei"))
    type_text(form.address, "武进区")
    assert form.district.currentData() == "xinbei"
    form.district.setCurrentIndex(form.district.findData("wujin"))
    form.lat.clear()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.workspace.active_dialog is None)
    (case,) = stored_cases(sqlite_url)
    assert case.district == "wujin"  # type: ignore[attr-defined]


# ---- Tab and the wheel: one mechanism for every form ---------------------------------------


def full_desk(
    sessions: Callable[..., Session],
    url: str,
    resources,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> tuple[Session, EmergencyIntegration]:
    s = sessions(url)
    s.workspace.install_petitions(PetitionDesk.open(s.desk, attachments_dir=tmp_path / "att"))
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    rules = tmp_path / "alarms.toml"
    shutil.copy(RESOURCES / "rules" / "alarms.toml", rules)
    s.workspace.install_alarms(
        AlarmDesk.open(s.desk, rules_path=rules, stations=doc["stations"]),
        evaluate_every_ms=3_600_000,
    )
    em = s.workspace.install_emergencies(EmergencyDesk(s.desk, resources))
    return s, em


def unguarded(root: QWidget) -> list[str]:
    bad = []
    for kind in (QAbstractSpinBox, QComboBox):
        for w in root.findChildren(kind):
            if w.focusPolicy() != Qt.FocusPolicy.StrongFocus or not w.property(GUARDED):
                bad.append(f"{type(w).__name__} {w.objectName()!r}")
    for kind in (QPlainTextEdit, QTextEdit):
        for w in root.findChildren(kind):
            if not w.tabChangesFocus():
                bad.append(f"{type(w).__name__} {w.objectName()!r} (Tab)")
    return bad


def press_tab_in(qtbot: QtBot, editor: QPlainTextEdit) -> None:
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    type_text(editor, "现场情况")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert not editor.hasFocus(), f"Tab stayed in {editor.objectName()}"
    assert "\t" not in editor.toPlainText()


def test_tab_leaves_every_description_and_every_box_is_wheel_guarded(
    qtbot: QtBot,
    sqlite_url: str,
    sessions: Callable[..., Session],
    resources,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    seed_cases(sqlite_url, 2)
    s, _em = full_desk(sessions, sqlite_url, resources, tmp_path)
    ws = s.workspace
    assert unguarded(ws.window) == []  # queue, case, petitions, alarms, emergency panels
    # The create form.
    form = new_case_form(qtbot, s)
    assert unguarded(form) == []
    press_tab_in(qtbot, form.description)
    assert QApplication.focusWidget() is form.district  # the next field of the form
    form.reject()
    qtbot.waitUntil(lambda: ws.active_dialog is None)
    qtbot.waitUntil(lambda: ws.detail is not None)
    # A note, the dispatch instructions, the resolve outcome.
    for action, kind, editor in (
        ("note", TextActionDialog, "text"),
        ("dispatch", DispatchDialog, "note"),
    ):
        ws.request_action(action)
        dialog = wait_dialog(qtbot, ws, kind)
        assert unguarded(dialog) == []
        press_tab_in(qtbot, getattr(dialog, editor))
        dialog.reject()
        qtbot.waitUntil(lambda: ws.active_dialog is None)
    # The petition intake.
    task = start(ws.petitions.new_petition())
    intake = wait_dialog(qtbot, ws, QDialog)
    assert unguarded(intake) == []
    intake.reject()
    qtbot.waitUntil(task.done)
    # Any dialog the desk shows gets the same treatment (one mechanism, not per form).
    plain = QDialog(ws.window)
    box = QVBoxLayout(plain)
    box.addWidget(QPlainTextEdit(plain))
    box.addWidget(QSpinBox(plain))
    shown = start(ws.run_dialog(plain))
    qtbot.waitUntil(plain.isVisible)
    assert unguarded(plain) == []
    plain.reject()
    qtbot.waitUntil(shown.done)


def wheel(widget: QWidget, steps: int) -> None:
    """A real wheel turn over the middle of ``widget``, through the window system as the
    mouse delivers it (spontaneous: Qt hands an ignored one on to the parents)."""
    window = widget.window()
    handle = window.windowHandle()
    assert handle is not None
    at = widget.mapTo(window, widget.rect().center())
    QTest.wheelEvent(handle, QPointF(at), QPoint(0, 120 * steps))
    QApplication.processEvents()


def test_wheel_over_an_unfocused_spin_box_scrolls_the_panel_and_changes_nothing(
    qtbot: QtBot,
    sqlite_url: str,
    sessions: Callable[..., Session],
    resources,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources, figures=Figures(evacuated=1200))
    s, em = full_desk(sessions, sqlite_url, resources, tmp_path)
    assert s.workspace.queue.select_case(case_id)
    qtbot.waitUntil(lambda: em.view is not None and em.view.case.id == case_id, timeout=10000)
    settle(qtbot, s.workspace)
    panel = em.panel
    evacuated = panel.figure_spins["evacuated"]
    assert evacuated.value() == 1200
    bar = panel.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0, "the panel must be taller than its dock for this test"
    panel.scroll_area.ensureWidgetVisible(evacuated)
    s.workspace.queue.table.setFocus()
    assert not evacuated.hasFocus()
    before = bar.value()
    down = -1 if before < bar.maximum() else 1  # towards where the panel can still scroll
    wheel(evacuated, down)
    assert evacuated.value() == 1200
    assert bar.value() != before  # the panel scrolled instead
    panel.scroll_area.ensureWidgetVisible(panel.intake)
    index = panel.intake.currentIndex()
    wheel(panel.intake, -1)
    assert panel.intake.currentIndex() == index
    # Focused (clicked or tabbed into), the box takes the wheel as before.
    panel.scroll_area.ensureWidgetVisible(evacuated)
    evacuated.setFocus()
    qtbot.waitUntil(evacuated.hasFocus)
    wheel(evacuated, -1)
    assert evacuated.value() == 1199


# ---- the emergency panel -------------------------------------------------------------------


def test_plan_box_shows_the_active_plan_after_start_and_after_a_reload(
    qtbot: QtBot,
    sqlite_url: str,
    sessions: Callable[..., Session],
    resources,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources)  # water_pollution started
    s = sessions(sqlite_url)
    em = s.workspace.install_emergencies(EmergencyDesk(s.desk, resources))
    assert s.workspace.queue.select_case(case_id)
    qtbot.waitUntil(lambda: em.view is not None and em.view.case.id == case_id, timeout=10000)
    settle(qtbot, s.workspace)
    panel = em.panel
    assert panel.plan_combo.currentData() == "water_pollution"
    assert "已启动" in panel.plan_combo.currentText()
    assert not panel.activate_button.isEnabled()
    assert "已启动" in panel.activate_button.toolTip()
    # Start a second plan: the box shows it, and still after the panel reloads.
    panel.plan_combo.setCurrentIndex(panel.plan_combo.findData("chemical_release"))
    assert panel.activate_button.isEnabled()
    qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: em.view is not None and len(em.view.activations) == 2, timeout=5000)
    settle(qtbot, s.workspace)
    assert panel.plan_combo.currentData() == "chemical_release"
    assert "已启动" in panel.plan_combo.currentText()
    run(qtbot, em.reload())
    assert panel.plan_combo.currentData() == "chemical_release"
    # A log line reloads the panel too: the box does not move.
    panel.log_entry.setFocus()
    type_text(panel.log_entry, "危化品处置组已到场")
    qtbot.keyClick(panel.log_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.log_entry.text() == "", timeout=5000)
    settle(qtbot, s.workspace)
    assert panel.plan_combo.currentData() == "chemical_release"


def test_empty_emergency_panel_shows_nothing_to_edit(
    qtbot: QtBot,
    sqlite_url: str,
    sessions: Callable[..., Session],
    resources,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    seed_cases(sqlite_url, 1)  # a quality case: no emergency selected
    s = sessions(sqlite_url, "leader")
    em = s.workspace.install_emergencies(EmergencyDesk(s.desk, resources))
    dock = s.workspace.window.docks["emergency"]
    dock.show()
    dock.raise_()
    settle(qtbot, s.workspace)
    panel = em.panel
    assert panel.placeholder.isVisible()
    texts = " ".join(
        w.text() for w in panel.placeholder.findChildren(QWidget) if hasattr(w, "text")
    )
    assert "未选择突发环境事件" in texts and "新建事项" in texts
    editable = [
        w.objectName() or type(w).__name__
        for kind in (QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit)
        for w in panel.findChildren(kind)
        if w.isVisible()
    ]
    assert editable == []
    save(s.workspace.window, ARTIFACTS / "emergency_panel_empty.png")
