"""The emergency panel and the alert banner in a real window on a real database: a duty
officer types log lines, records figures, works the checklist; a shift leader decides the
level and issues the alert; the log exports as a PDF. Screenshots in tests/artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from pytestqt.qtbot import QtBot

from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.desk.drills import DrillDesk
from dispatch_app.desk.emergencies import EmergencyDesk, EmergencyDraft, load_emergency_resources
from dispatch_app.domain.emergencies import EmergencyType, Figures
from dispatch_app.domain.emergency_plans import StepState
from dispatch_app.domain.heavy_pollution import AlertLevel
from dispatch_app.resources import resources_dir
from dispatch_app.session import DrillControl
from tests.gui.conftest import PASSWORD, Session, open_desk, run, seed_users, settle, type_text
from ui.emergencies.integration import EmergencyIntegration
from ui.emergencies.log_pdf import log_html
from ui.emergencies.panel import countdown
from ui.shell.screenshots import save

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
RESOURCES = resources_dir()


@pytest.fixture(scope="module")
def resources():  # type: ignore[no-untyped-def]
    return load_emergency_resources(RESOURCES)


def seed_emergency(url: str, resources, **kw: object) -> int:  # type: ignore[no-untyped-def]
    d = open_desk(url)
    try:
        d.login("officer", PASSWORD)
        em = EmergencyDesk(d, resources)
        values: dict[str, object] = {
            "title": "京杭大运河奔牛段柴油泄漏",
            "district": "xinbei",
            "type": EmergencyType.WATER_POLLUTION,
            "description": "运输船碰撞，柴油入河",
            "lon": 119.82,
            "lat": 31.875,
            "figures": Figures(evacuated=200),
        }
        values.update(kw)
        view = em.create(EmergencyDraft(**values))  # type: ignore[arg-type]
        em.activate_plan(view.case.id, "water_pollution")
        return view.case.id
    finally:
        d.close()


def open_station(
    sessions: Callable[..., Session],
    url: str,
    username: str,
    resources,  # type: ignore[no-untyped-def]
    alarms: AlarmDesk | None = None,
) -> tuple[Session, EmergencyIntegration]:
    """A workstation with the emergency part, its drills judged by ``alarms`` (as the session
    builds them)."""
    s = sessions(url, username)
    emergencies = EmergencyDesk(s.desk, resources)
    drills = DrillControl(DrillDesk(emergencies, alarms=alarms))
    integration = s.workspace.install_emergencies(emergencies, drills)
    return s, integration


def select(qtbot: QtBot, s: Session, integration: EmergencyIntegration, case_id: int) -> None:
    assert s.workspace.queue.select_case(case_id)
    qtbot.waitUntil(
        lambda: integration.view is not None and integration.view.case.id == case_id, timeout=10000
    )
    settle(qtbot, s.workspace)


def test_countdown_text() -> None:
    assert countdown(timedelta(hours=1, minutes=5, seconds=9)) == "1:05:09"
    assert countdown(timedelta(minutes=-3, seconds=-12)) == "-0:03:12"


def test_officer_works_the_emergency(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources)
    s, em = open_station(sessions, sqlite_url, "officer", resources)
    select(qtbot, s, em, case_id)
    panel = em.panel
    assert "Ⅳ级" in panel.proposal.text()
    assert panel.steps.rowCount() == 6 and "branch" not in panel.steps.item(0, 1).text()
    assert panel.steps.item(0, 3).text().startswith("○")
    assert not panel.level_button.isEnabled()  # a duty officer proposes, the leader decides
    # Keyboard-fast log: Ctrl+L, type, Enter.
    panel.log_entry.setFocus()
    type_text(panel.log_entry, "/c 新北区应急局来电，现场已围油栏")
    qtbot.keyClick(panel.log_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.log_entry.text() == "", timeout=5000)
    settle(qtbot, s.workspace)
    texts = [panel.log_list.item(r, 2).text() for r in range(panel.log_list.rowCount())]
    assert "新北区应急局来电，现场已围油栏" in texts
    assert panel.log_list.item(len(texts) - 1, 1).text() in {"电话", "记录", "系统"}
    # Figures raise the proposal.
    panel.figure_spins["poisoned_or_injured"].setValue(55)
    qtbot.mouseClick(panel.figures_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ⅱ级" in panel.proposal.text(), timeout=5000)
    # A step done; another skipped without reason is refused and the reason box stays.
    panel.select_step("verify")
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.steps.item(0, 3).text().startswith("✓"), timeout=5000)
    panel.select_step("notify_city")
    qtbot.mouseClick(panel.skip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=5000)
    assert "理由" in panel.message.text()
    settle(qtbot, s.workspace)
    # PDF for the after-action review.
    pdf = run(qtbot, em.export_log(tmp_path / "log.pdf"))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000
    assert not (tmp_path / "log.pdf.part").exists()
    # What the PDF holds, drawn to an image to look at (no PDF renderer on the test machine).
    view = run(qtbot, s.workspace.calls.call(em.emergencies.get, case_id))
    entries = run(qtbot, s.workspace.calls.call(em.emergencies.log_entries, case_id))
    page = log_html(view, entries, "张值班", datetime.now(UTC), s.workspace.unit_name)
    assert "新北区应急局来电，现场已围油栏" in page and "应急处置活动记录" in page
    doc = QTextDocument()
    doc.setHtml(page)
    doc.setTextWidth(1000)
    image = QImage(1000, int(doc.size().height()) + 20, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    doc.drawContents(painter)
    painter.end()
    image.save(str(ARTIFACTS / "emergency_log_report_zh.png"))
    s.workspace.window.resize(1700, 1000)
    save(s.workspace.window, ARTIFACTS / "emergency_panel_zh.png")
    save(panel.body, ARTIFACTS / "emergency_panel_only_zh.png")


def test_leader_decides_level_and_issues_alert_seen_elsewhere(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources, figures=Figures(deaths=4))
    officer, em_officer = open_station(sessions, sqlite_url, "officer", resources)
    officer.desk.start_change_feed(poll_interval_s=0.1)
    leader, em = open_station(sessions, sqlite_url, "leader", resources)
    select(qtbot, leader, em, case_id)
    panel = em.panel
    assert panel.level_button.isEnabled()
    # Departing from the proposal without a reason: refused, shown, nothing decided.
    panel.level_combo.setCurrentIndex(panel.level_combo.findData("II"))
    qtbot.mouseClick(panel.level_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=5000)
    settle(qtbot, leader.workspace)
    assert em.view is not None and em.view.level is None
    panel.level_combo.setCurrentIndex(panel.level_combo.findData("II"))
    panel.level_reason.setText("下游3公里为县级水源地")
    qtbot.mouseClick(panel.level_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ⅱ级" in panel.decided.text(), timeout=5000)
    assert "⚠" in panel.decided.text()  # differs from the proposal (Ⅲ), said in words too
    # Issue an alert: both workstations' banners show it.
    assert em_officer.banner.alert is None and "无重污染天气预警" in em_officer.banner.text.text()
    view = run(qtbot, em.change_alert(AlertLevel.ORANGE.value, "未来三天AQI>200"))
    assert view is not None and view.level is AlertLevel.ORANGE
    qtbot.waitUntil(lambda: em.banner.alert is not None, timeout=5000)
    qtbot.waitUntil(
        lambda: (
            em_officer.banner.alert is not None
            and em_officer.banner.alert.level is AlertLevel.ORANGE
        ),
        timeout=10000,
    )
    assert "重污染天气橙色预警" in em_officer.banner.text.text()
    settle(qtbot, leader.workspace)
    save(em_officer.banner, ARTIFACTS / "alert_banner_orange_zh.png")
    leader.workspace.window.resize(1700, 1000)
    save(leader.workspace.window, ARTIFACTS / "emergency_leader_zh.png")
    officer.desk.stop_change_feed()


def test_overdue_step_turns_red(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,  # type: ignore[no-untyped-def]
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources)
    s, em = open_station(sessions, sqlite_url, "officer", resources)
    select(qtbot, s, em, case_id)
    # The desk's clock moves 45 minutes on: the 30-minute verify step is overdue.
    later = datetime.now(UTC) + timedelta(minutes=45)
    em.panel.clock = lambda: later
    em.panel.tick()
    assert em.panel.steps.item(0, 3).text().startswith("⚠")
    assert em.panel.steps.item(0, 2).text().startswith("-0:1")
    assert em.panel.steps.item(1, 3).text().startswith("○")  # 60-minute step still open
    assert em.view is not None
    assert em.view.activations[0].steps[0].step.state is StepState.OPEN


def test_monitoring_task_dispatch_and_drill_report(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,  # type: ignore[no-untyped-def]
) -> None:
    from ui.emergencies.integration import ReportDialog

    seed_users(sqlite_url)
    # A drill that has opened its exercise emergency (observations fed as the runner would).
    d = open_desk(sqlite_url)
    try:
        d.login("officer", PASSWORD)
        drills = DrillDesk(EmergencyDesk(d, resources))
        drill = drills.start("spill_grand_canal", 600)
        (case_id,) = drills.observe(drill.id, [("WQ-B-01", "NH3-N", datetime.now(UTC), 3.2)])
    finally:
        d.close()
    s, em = open_station(sessions, sqlite_url, "officer", resources)
    select(qtbot, s, em, case_id)
    panel = em.panel
    assert "【演练】" in panel.title.text()
    # Assign hourly NH3-N sampling at the first affected station, then record a sample.
    panel.stations.setCurrentRow(0)
    panel.task_params.setText("NH3-N CODMn")
    qtbot.mouseClick(panel.task_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.tasks.rowCount() == 1, timeout=5000)
    settle(qtbot, s.workspace)
    assert panel.tasks.item(0, 3).text().startswith("○")
    panel.tasks.selectRow(0)
    panel.sample_entry.setText("NH3-N=2.9 CODMn=12")
    qtbot.keyClick(panel.sample_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.sample_entry.text() == "", timeout=5000)
    settle(qtbot, s.workspace)
    texts = [panel.log_list.item(r, 2).text() for r in range(panel.log_list.rowCount())]
    assert any(t.startswith("奔牛：NH3-N 2.9") for t in texts)
    # A bad sample line is refused in the panel and kept for correction.
    panel.sample_entry.setText("NH3-N:2.9")
    qtbot.keyClick(panel.sample_entry, Qt.Key.Key_Return)
    assert panel.message.isVisible() and panel.sample_entry.text() == "NH3-N:2.9"
    # Dispatch the verify step's owner from the checklist.
    panel.select_step("verify")
    qtbot.mouseClick(panel.dispatch_button, Qt.MouseButton.LeftButton)
    settle(qtbot, s.workspace, 200)
    assert s.desk.get_case(case_id).unit_id == "branch-xinbei"
    # Without a monitoring wall in this window, asking for a station's trend says so.
    item = panel.stations.item(0)
    panel.stations.itemActivated.emit(item)
    assert panel.message.isVisible() and "WQ-B-01" in panel.message.text()
    save(panel.body, ARTIFACTS / "emergency_drill_panel_zh.png")
    # The drill report, as the officer opens it from the menu.
    em.drill_id = drill.id
    s.workspace.window.actions_by_name["drill_report"].trigger()
    qtbot.waitUntil(lambda: isinstance(s.workspace.active_dialog, ReportDialog), timeout=5000)
    dialog = s.workspace.active_dialog
    assert isinstance(dialog, ReportDialog)
    report = dialog.text.toPlainText()
    assert "演练报告：京杭大运河奔牛段危化品泄漏" in report and "时限30分钟" in report
    save(dialog, ARTIFACTS / "drill_report_zh.png")
    dialog.reject()
    settle(qtbot, s.workspace)


def test_a_drills_alarms_show_as_exercise_on_the_panel_and_go_with_the_drill(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    import json

    seed_users(sqlite_url)
    s = sessions(sqlite_url, "leader")
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    water = [st for st in doc["stations"] if st["kind"].startswith("water_")]
    alarm_desk = AlarmDesk.open(s.desk, RESOURCES, stations=water)
    emergencies = EmergencyDesk(s.desk, resources)
    em = s.workspace.install_emergencies(
        emergencies, DrillControl(DrillDesk(emergencies, alarms=alarm_desk))
    )
    alarms = s.workspace.install_alarms(alarm_desk, evaluate_every_ms=3_600_000)
    try:
        drills = em.drills_desk()
        assert drills.alarms is alarm_desk  # the window's alarm desk judges the drill too
        drill = drills.start("spill_grand_canal", 600)
        alarm_desk.start_exercise(
            drills.tag(drill.id), [st for st in water if st["id"] == "WQ-B-01"]
        )
        now = datetime.now(UTC)
        alarm_desk.feed_exercise([("WQ-B-01", "NH3-N", now, 3.2, "N")])
        drills.on_alarms(drill.id, alarm_desk.evaluate_exercise())
        model = alarms.panel.model
        qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
        shown = model.data(model.index(0, model.columnCount() - 1))
        row = " ".join(str(model.data(model.index(0, c)) or "") for c in range(model.columnCount()))
        assert "【演练】" in row, (row, shown)
        settle(qtbot, s.workspace)
        save(alarms.panel, ARTIFACTS / "alarm_panel_drill_zh.png")
        alarm_desk.end_exercise()
        # The shift leader removes the drill from the menu: its alarm leaves the panel.
        em.drill_id = drill.id
        s.workspace.window.actions_by_name["drill_remove"].trigger()
        qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=5000)
        assert alarm_desk.exercise_alarms(drills.tag(drill.id)) == []
    finally:
        alarms.shutdown()
