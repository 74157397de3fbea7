"""The alarm panel in a real window on a real database: alarms raised by the real AlarmDesk
show in priority order, unacknowledged ones flash, the officer acknowledges (A) and shelves (S)
from the keyboard, Enter opens the linked case or opens one on request, the status bar counts,
the administrator's rule editor refuses a bad rule and keeps the text. Screenshots in
tests/artifacts/."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.domain.alarms import AlarmState
from dispatch_app.resources import resources_dir
from tests.gui.conftest import Session, run, seed_users, settle, type_text, wait_dialog
from ui.alarms.integration import AlarmIntegration
from ui.alarms.panel import FLASH_ROLE, AcknowledgeDialog, ShelveDialog, local_time
from ui.alarms.rules_editor import AlarmRulesEditor
from ui.shell.screenshots import save

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
RESOURCES = resources_dir()
NATIONAL_KEY = "water-national-below-target@WQ-N-01"  # high, opens a case
BENNIU_KEY = "water-below-target@WQ-B-01"  # medium
JIULI_KEY = "water-below-target@WQ-P-01"  # medium


def water(station: str, nh3n: float) -> list[tuple[Any, ...]]:
    now = datetime.now(UTC)
    return [
        (station, "pH", now, 7.4, "N"),
        (station, "DO", now, 7.0, "N"),
        (station, "CODMn", now, 3.0, "N"),
        (station, "NH3-N", now, nh3n, "N"),
        (station, "TP", now, 0.08, "N"),
    ]


@pytest.fixture
def alarm_window(
    sqlite_url: str, sessions: Callable[..., Session], qtbot: QtBot, tmp_path: Path
) -> Iterator[tuple[Session, AlarmIntegration]]:
    seed_users(sqlite_url)
    session = sessions(sqlite_url, "officer")
    rules = tmp_path / "alarms.toml"
    shutil.copy(RESOURCES / "rules" / "alarms.toml", rules)
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    registry = [s for s in doc["stations"] if s["kind"].startswith("water_")]
    alarm_desk = AlarmDesk.open(session.desk, rules_path=rules, stations=registry)
    # Rounds are driven by the test (evaluate_now), not by the timers.
    integration = session.workspace.install_alarms(alarm_desk, evaluate_every_ms=3_600_000)
    yield session, integration
    integration.shutdown()


def raise_alarms(qtbot: QtBot, integration: AlarmIntegration) -> None:
    desk = integration.alarm_desk
    for station, value in (("WQ-N-01", 3.0), ("WQ-B-01", 3.0), ("WQ-P-01", 2.5)):
        desk.feed(water(station, value))
    run(qtbot, integration.evaluate_now())
    qtbot.waitUntil(lambda: integration.panel.model.rowCount() == 3, timeout=5000)


def select(qtbot: QtBot, integration: AlarmIntegration, key: str) -> None:
    assert integration.panel.select(key)
    qtbot.waitUntil(lambda: integration.panel.table.current_key() == key, timeout=2000)


def test_panel_shows_flashes_acknowledges_and_shelves_from_the_keyboard(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    session, integration = alarm_window
    panel = integration.panel
    model = panel.model
    raise_alarms(qtbot, integration)
    # Priority order, with the priority as text and shape, not colour alone.
    assert model.alarms[0].key == NATIONAL_KEY
    assert model.index(0, 0).data().startswith("▲")
    assert model.index(1, 0).data().startswith("◆")
    # Unacknowledged rows flash: the flag flips on a timer, on those rows only.
    assert panel.flashing
    qtbot.waitUntil(lambda: model.index(0, 0).data(FLASH_ROLE) is True, timeout=3000)
    qtbot.waitUntil(lambda: model.index(0, 0).data(FLASH_ROLE) is False, timeout=3000)
    status = integration.status_label.text()
    assert "1" in status and "2" in status and "▲" in status
    ARTIFACTS.mkdir(exist_ok=True)
    save(session.workspace.window, ARTIFACTS / "alarm_panel.png")

    # A: acknowledge with a note.
    select(qtbot, integration, BENNIU_KEY)
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    dialog = wait_dialog(qtbot, session.workspace, AcknowledgeDialog)
    type_text(dialog.note, "已通知新北分局现场核查")
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(qtbot, session.workspace)
    qtbot.waitUntil(
        lambda: integration.alarm_desk.get(BENNIU_KEY).state is AlarmState.ACTIVE_ACKNOWLEDGED,
        timeout=5000,
    )
    acked = integration.alarm_desk.get(BENNIU_KEY)
    assert acked.ack_note == "已通知新北分局现场核查" and acked.acknowledged_by == "officer"
    # Acknowledged rows go below the unacknowledged ones and stop flashing.
    qtbot.waitUntil(lambda: model.alarms[-1].key == BENNIU_KEY, timeout=3000)
    assert model.index(model.rowCount() - 1, 0).data(FLASH_ROLE) is False

    # S: shelve for 6 hours with a reason (OK stays disabled without one).
    select(qtbot, integration, JIULI_KEY)
    qtbot.keyClick(panel.table, Qt.Key.Key_S)
    shelve = wait_dialog(qtbot, session.workspace, ShelveDialog)
    ok = shelve.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    shelve.duration.setCurrentIndex(shelve.duration.findData("6h"))
    type_text(shelve.reason, "断面仪器校准")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    settle(qtbot, session.workspace)
    qtbot.waitUntil(
        lambda: integration.alarm_desk.get(JIULI_KEY).shelved_until is not None, timeout=5000
    )
    shelved = integration.alarm_desk.get(JIULI_KEY)
    assert shelved.shelve_reason == "断面仪器校准"
    assert (shelved.shelved_until - datetime.now(UTC)).total_seconds() > 5.9 * 3600
    row = model.row_of(JIULI_KEY)
    assert row is not None
    assert local_time(shelved.shelved_until) in model.index(row, 7).data()  # the marks column
    assert integration.alarm_desk.counts().shelved == 1
    # U: back from the shelf before its time.
    select(qtbot, integration, JIULI_KEY)
    qtbot.keyClick(panel.table, Qt.Key.Key_U)
    qtbot.waitUntil(
        lambda: integration.alarm_desk.get(JIULI_KEY).shelved_until is None, timeout=5000
    )
    assert integration.alarm_desk.counts().shelved == 0
    settle(qtbot, session.workspace)


def test_acknowledging_twice_says_why_and_changes_nothing(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    session, integration = alarm_window
    raise_alarms(qtbot, integration)
    run(qtbot, session.calls.call(integration.alarm_desk.acknowledge, BENNIU_KEY, ""))
    select(qtbot, integration, BENNIU_KEY)
    qtbot.keyClick(integration.panel.table, Qt.Key.Key_A)
    dialog = wait_dialog(qtbot, session.workspace, AcknowledgeDialog)
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(qtbot, session.workspace)
    text = session.workspace.window.status.activity.text()
    assert "无需确认" in text or "nothing to acknowledge" in text
    assert integration.alarm_desk.get(BENNIU_KEY).version == 2


def test_enter_opens_the_linked_case_or_one_on_request(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    session, integration = alarm_window
    workspace = session.workspace
    raise_alarms(qtbot, integration)
    national = integration.alarm_desk.get(NATIONAL_KEY)
    assert national.case_id is not None  # the high rule opened it automatically
    # This workstation's queue shows the automatic case by itself (no change feed running).
    qtbot.waitUntil(
        lambda: workspace.queue.model.row_of(int(national.case_id or 0)) is not None,
        timeout=5000,
    )
    select(qtbot, integration, NATIONAL_KEY)
    qtbot.keyClick(integration.panel.table, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: workspace.detail is not None and workspace.detail.case.id == int(national.case_id),
        timeout=5000,
    )
    assert "连江桥" in workspace.detail.case.title
    # A medium alarm has no case: Enter asks, Yes opens one and shows it.
    select(qtbot, integration, BENNIU_KEY)
    qtbot.keyClick(integration.panel.table, Qt.Key.Key_Return)
    box = wait_dialog(qtbot, workspace, QMessageBox)
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert isinstance(yes, QPushButton)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: integration.alarm_desk.get(BENNIU_KEY).case_id is not None, timeout=5000
    )
    case_id = int(integration.alarm_desk.get(BENNIU_KEY).case_id or 0)
    qtbot.waitUntil(
        lambda: workspace.detail is not None and workspace.detail.case.id == case_id,
        timeout=5000,
    )
    assert workspace.detail.case.details["alarm"]["key"] == BENNIU_KEY
    settle(qtbot, workspace)
    save(workspace.window, ARTIFACTS / "alarm_case.png")


def test_rule_editor_refuses_a_bad_rule_and_keeps_the_text(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    session, integration = alarm_window
    session.desk.login("admin", "correct-horse-9")
    integration.rules_action.setEnabled(True)
    integration.rules_action.trigger()
    editor = wait_dialog(qtbot, session.workspace, AlarmRulesEditor)
    original = editor.text
    bad = original.replace('priority = "medium"', 'priority = "urgent"', 1)
    editor.editor.setPlainText(bad)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    message = editor.message.text()
    assert "aqi-heavy" in message and "priority" in message
    assert editor.text == bad  # nothing the administrator typed is lost
    assert editor.editor.textCursor().block().text().startswith("priority")
    assert integration.alarm_desk.rule_set.revision == 1
    save(editor, ARTIFACTS / "alarm_rules_editor.png")
    # A good edit saves as the next revision.
    editor.editor.setPlainText(original.replace("count = 2", "count = 3", 1))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.saved is not None, timeout=5000)
    assert integration.alarm_desk.rule_set.revision == 2
    assert integration.alarm_desk.rule("aqi-severe").count == 3  # type: ignore[union-attr]
    editor.reject()


def test_an_acknowledgement_on_another_workstation_shows_on_this_panel(
    sqlite_url: str, sessions: Callable[..., Session], qtbot: QtBot, tmp_path: Path
) -> None:
    seed_users(sqlite_url)
    rules = tmp_path / "alarms.toml"
    shutil.copy(RESOURCES / "rules" / "alarms.toml", rules)
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    registry = [s for s in doc["stations"] if s["kind"].startswith("water_")]
    here = sessions(sqlite_url, "officer", change_feed=True)
    there = sessions(sqlite_url, "leader")
    mine = here.workspace.install_alarms(
        AlarmDesk.open(here.desk, rules_path=rules, stations=registry),
        evaluate_every_ms=3_600_000,
    )
    theirs = AlarmDesk.open(there.desk, rules_path=rules, stations=registry)
    try:
        theirs.feed(water("WQ-B-01", 3.0))
        theirs.evaluate()  # raised on the other workstation …
        qtbot.waitUntil(lambda: mine.panel.model.row_of(BENNIU_KEY) is not None, timeout=5000)
        assert mine.panel.flashing
        theirs.acknowledge(BENNIU_KEY, "带班长已处理")  # … and acknowledged there
        qtbot.waitUntil(
            lambda: mine.panel.model.alarms[0].state is AlarmState.ACTIVE_ACKNOWLEDGED,
            timeout=5000,
        )
        assert "李带班" in mine.panel.model.index(0, 7).data() or "leader" in (
            mine.panel.model.index(0, 7).data()
        )
        qtbot.waitUntil(lambda: not mine.panel.flashing, timeout=3000)
    finally:
        mine.shutdown()


def test_the_feed_registry_and_latest_readings_seed_the_alarm_desk(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    """A full load hands the registry and the latest readings to the alarm desk (they come
    from /latest, not as observation pages), so alarms show without waiting for new data."""
    from dispatch_app.feed.client import DataServiceClient
    from dispatch_app.feed.poller import FeedPoller
    from dispatch_app.feed.records import Observation, parse_stations
    from dispatch_app.session import AlarmFeedLink

    _session, integration = alarm_window
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    air = [s for s in doc["stations"] if s["id"] in ("AQ-N-01", "AQ-N-02")]
    water_doc = [s for s in doc["stations"] if s["kind"].startswith("water_")]
    poller = FeedPoller(DataServiceClient("http://127.0.0.1:9"))  # never started
    poller.network.set_stations(parse_stations({"stations": air + water_doc}))
    poller.network.apply([Observation(s, p, t, v, f) for s, p, t, v, f in water("WQ-B-01", 3.0)])
    link = AlarmFeedLink(integration.alarm_desk, poller)  # as the session wires them
    qtbot.waitUntil(lambda: integration.alarm_desk.station("AQ-N-01") is not None, timeout=3000)
    run(qtbot, integration.evaluate_now())
    qtbot.waitUntil(lambda: integration.panel.model.row_of(BENNIU_KEY) is not None, timeout=5000)
    # Observation pages from the poller reach the desk too.
    for callback in poller._obs_subs:
        callback(tuple(Observation(s, p, t, v, f) for s, p, t, v, f in water("WQ-P-02", 3.0)))
    run(qtbot, integration.evaluate_now())
    qtbot.waitUntil(
        lambda: integration.panel.model.row_of("water-below-target@WQ-P-02") is not None,
        timeout=5000,
    )
    link.close()
    poller.client.close()


def test_unacknowledged_alarms_are_recalled_and_the_sound_cue_is_off_by_default(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    from datetime import timedelta

    from dispatch_app.domain.alarms import NAG_EVERY

    session, integration = alarm_window
    raise_alarms(qtbot, integration)
    assert integration.sound is False and integration.beeps == 0  # off unless chosen
    assert integration.remind() == []  # raised just now: nothing to recall yet
    run(qtbot, session.calls.call(integration.alarm_desk.acknowledge, BENNIU_KEY, ""))
    start = datetime.now(UTC)
    later = start + NAG_EVERY + timedelta(seconds=30)
    integration.alarm_desk.clock = lambda: later  # a quarter of an hour on
    integration._last_reminder = start
    integration.sound = True
    due = integration.remind()
    assert {a.key for a in due} == {NATIONAL_KEY, JIULI_KEY}  # not the acknowledged one
    assert integration.beeps == 1
    assert "2" in session.workspace.window.status.activity.text()
    assert integration.remind() == []  # once per interval, not at every tick


def test_a_flood_is_summarised_on_the_panel(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    session, integration = alarm_window
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    sections = [s["id"] for s in doc["stations"] if s["kind"] == "water_provincial"][:13]
    for station in sections:
        integration.alarm_desk.feed(water(station, 3.0))
    announced: list[Any] = []
    integration.announced.connect(announced.append)
    run(qtbot, integration.evaluate_now())
    qtbot.waitUntil(lambda: integration.panel.flood.isVisible(), timeout=5000)
    assert [a.summary for a in announced] == [False] * 10 + [True]
    assert "3" in integration.panel.flood.text()  # 13 new alarms: ten one by one, 3 grouped
    save(session.workspace.window, ARTIFACTS / "alarm_flood.png")


def test_chattering_stale_and_linked_alarms_are_marked_in_words(
    alarm_window: tuple[Session, AlarmIntegration], qtbot: QtBot
) -> None:
    from dataclasses import replace

    _session, integration = alarm_window
    raise_alarms(qtbot, integration)
    model = integration.panel.model
    base = integration.alarm_desk.get(BENNIU_KEY)
    model.apply(replace(base, chattering=True, stale=True, version=base.version + 1))
    row = model.row_of(BENNIU_KEY)
    assert row is not None
    marks = model.index(row, 7).data()
    assert "频繁振荡" in marks and "长期未消除" in marks  # in words, not colour
    national = model.row_of(NATIONAL_KEY)
    assert national is not None and "已立案" in model.index(national, 7).data()
    # A late, older version never overwrites a newer row.
    model.apply(base)
    assert "频繁振荡" in model.index(model.row_of(BENNIU_KEY) or 0, 7).data()
