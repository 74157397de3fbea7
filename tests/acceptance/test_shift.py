"""An officer's shift on the real demo desk, on a real X screen (Xvfb, openbox, xcb), at
1920×1080 and 1366×768: keyboard and mouse through xdotool, what the desk shows read back from
its widgets (ui/inspection.py), a screenshot of every step in tests/artifacts/<size>/.

The steps run in order on one desk per screen size; each ends with what an officer checks
(checks.py): the live feed still advances after the dialogs of the step, and no live station is
shown late. The last tests look back over every step: every widget on the screen, no button in
Qt's untranslated English, and a quit that ends the process within 3 s.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.acceptance import checks
from tests.acceptance.conftest import Shift
from tests.acceptance.desk import ScreenDesk, on_time_at_service, wait_until

PASSWORD = "demo-2026"
CANCEL_TEXTS = ("取消", "Cancel", "&Cancel")


def officer_checks(shift: Shift, wait: bool = False) -> None:
    """The feed advanced after the dialogs noted so far (those that are due), and the station
    table shows no live station late."""
    problems = shift.feed.settle(wait=wait)
    feed = shift.desk.ask("feed")
    truth = on_time_at_service(feed["url"])
    # What the service had is in the table after one poll of the desk (5 s): a station still
    # shown late after that is the desk's mistake.
    deadline = time.monotonic() + 8
    while True:
        late = checks.late_live_stations(shift.desk.ask("feed")["stations"], truth)
        if not late or time.monotonic() > deadline:
            break
        time.sleep(1)
    problems += late
    assert not problems, "\n".join(problems)


def dialog_button(desk: ScreenDesk, modal: dict[str, Any], *, cancel: bool) -> dict[str, Any]:
    buttons = [
        b
        for b in desk.find(window=modal["object"] or modal["class"], cls="QPushButton")
        if b["enabled"] and b["text"]
    ]
    cancels = [b for b in buttons if b["text"].replace("&", "") in CANCEL_TEXTS]
    if cancel:
        assert cancels, f"no cancel button in {modal['title']}: {[b['text'] for b in buttons]}"
        return cancels[0]
    oks = [b for b in buttons if b["text"] == modal["title"]] or [
        b for b in buttons if b not in cancels
    ]
    assert oks, f"no OK button in {modal['title']}: {[b['text'] for b in buttons]}"
    return oks[0]


def case_status(desk: ScreenDesk) -> dict[str, Any]:
    return dict(desk.ask("case"))


def wait_status(desk: ScreenDesk, status: str, timeout: float = 20) -> dict[str, Any]:
    return wait_until(
        lambda: (c := case_status(desk))["status"] == status and c,
        timeout,
        f"the case to be {status} (it is {case_status(desk)['status']})",
    )


def log_in(shift: Shift, user: str) -> None:
    desk = shift.desk
    desk.menu("logout")
    modal = wait_until(
        lambda: (m := desk.modal()) and m["class"] == "LoginDialog" and m, 30, "the login"
    )
    shift.feed.mark("the login dialog")
    desk.activate(modal["id"])
    desk.click(window="LoginDialog", object="username")
    desk.type(user)
    desk.click(window="LoginDialog", object="password")
    desk.type(PASSWORD)
    desk.key("Return")
    wait_until(
        lambda: (s := desk.state())["user"] == user and s["main_window"] and not s["modal"],
        60,
        f"{user}'s desk",
    )
    desk.activate()


def run_text_dialog(shift: Shift, key: str, text: str, closure: bool = False) -> None:
    desk = shift.desk
    desk.key(key)
    modal = desk.wait_modal("textActionDialog")
    shift.feed.mark(f"the dialog “{modal['title']}”")
    if closure:
        desk.click(object="closureCode")
        desk.key("Down", "Return")
    desk.click(object="actionText")
    desk.type(text)
    desk.click_rect(dialog_button(desk, modal, cancel=False)["rect"])
    desk.wait_no_modal()


def pending_count(desk: ScreenDesk) -> int:
    text = desk.ask("action", name="pending_closures")["text"]
    digits = "".join(ch for ch in text.rsplit("(", 1)[-1] if ch.isdigit())
    return int(digits or 0)


def click_tab(desk: ScreenDesk, text: str) -> None:
    tab = wait_until(
        lambda: next((t for t in desk.ask("tabs") if t["text"].startswith(text)), None),
        10,
        f"the tab {text}",
    )
    desk.click_rect(tab["rect"])


def cancel_file_dialog(shift: Shift, what: str) -> None:
    """A file dialog opened: photographed, then cancelled with its own cancel button."""
    desk = shift.desk
    modal = desk.wait_modal("fileDialog")
    shift.feed.mark(f"the file dialog of {what}")
    desk.record("file-dialog-" + "".join(c if c.isalnum() else "-" for c in what)[:40])
    desk.click_rect(dialog_button(desk, modal, cancel=True)["rect"])
    wait_until(
        lambda: (desk.modal() or {}).get("object") != "fileDialog", 15, "the file dialog to close"
    )


def search_queue(desk: ScreenDesk, text: str) -> None:
    """`/` to the queue's search box, the text, Enter (back to the table)."""
    desk.key("slash")
    wait_until(
        lambda: (desk.state()["focus"] or [None, None])[1] == "searchBox", 5, "the search box"
    )
    desk.key("ctrl+a")
    if text:
        desk.type(text)
    else:
        desk.key("BackSpace")
    desk.key("Return")
    time.sleep(0.8)  # the queue reads again


def choose_in_combo(desk: ScreenDesk, object_name: str, text: str) -> None:
    """A filter combo box by keyboard: a click opens its list, Esc closes it with the focus
    left on the box, then Home and Down until it reads `text`."""
    desk.click(object=object_name)
    desk.key("Escape")
    desk.key("Home")
    for _ in range(20):
        if desk.find_one(object=object_name)["text"] == text:
            return
        desk.key("Down")
    raise AssertionError(f"{object_name} has no entry {text}")


def begin(shift: Shift) -> ScreenDesk:
    """A step starts on the main window: whatever an earlier failed step left open is
    dismissed the way an officer would (Esc, then the intake's discard)."""
    desk = shift.desk
    for _ in range(6):
        modal = desk.modal()
        if modal is None:
            break
        desk.activate(modal["id"])
        discard = desk.find(object="discardButton")
        if discard:
            desk.click_rect(discard[0]["rect"])
        else:
            desk.key("Escape")
        time.sleep(0.5)
    desk.activate()
    return desk


def _has_action(desk: ScreenDesk, name: str) -> bool:
    try:
        desk.ask("action", name=name)
    except RuntimeError:
        return False
    return True


# ---- the shift ------------------------------------------------------------------------------
def test_01_desk_starts_live(shift: Shift) -> None:
    desk = shift.desk
    state = desk.state()
    assert state["user"] == "demo"
    assert state["main_window"]["title"]
    desk.record("start")
    officer_checks(shift)


def test_02_case_from_new_to_closed_with_the_shift_leader(shift: Shift) -> None:
    desk = shift.desk
    desk.activate()
    rows = desk.ask("rows", object="caseTable")
    new = next((r for r in rows if "新建" in r["cells"] or "New" in r["cells"]), None)
    assert new is not None, f"no new case on the first page of the queue: {rows[:3]}"
    desk.click_rect(new["rect"])
    case = wait_until(
        lambda: (c := case_status(desk))["reference"] == new["cells"][0] and c, 15, "the case"
    )
    shift.case_reference = case["reference"]
    assert case["status"] == "new"

    desk.key("ctrl+t")
    wait_status(desk, "triaged")
    desk.key("ctrl+d")
    modal = desk.wait_modal("dispatchDialog")
    shift.feed.mark("the dispatch dialog")
    desk.record("dispatch-dialog")
    desk.click_rect(dialog_button(desk, modal, cancel=False)["rect"])
    desk.wait_no_modal()
    wait_status(desk, "dispatched")
    desk.key("ctrl+k")
    wait_status(desk, "acknowledged")
    desk.key("F6")
    wait_status(desk, "on_scene")
    run_text_dialog(shift, "F7", "Source found and stopped on site.")
    wait_status(desk, "resolved")
    waiting = pending_count(desk)
    run_text_dialog(shift, "shift+F8", "Rectified; ask the leader to close.", closure=True)
    wait_until(lambda: pending_count(desk) == waiting + 1, 20, "the closure request")
    desk.record("closure-requested")

    log_in(shift, "leader")
    desk.record("leader-logged-in")
    desk.key("ctrl+shift+a")  # 待我审批: the closure requests waiting for me
    search_queue(desk, shift.case_reference)  # on a short screen the list runs past its end
    wait_until(
        lambda: any(
            r["cells"][0] == shift.case_reference for r in desk.ask("rows", object="caseTable")
        ),
        20,
        f"{shift.case_reference} among the requests awaiting approval",
    )
    row = next(
        r for r in desk.ask("rows", object="caseTable") if r["cells"][0] == shift.case_reference
    )
    desk.click_rect(row["rect"])
    wait_until(
        lambda: case_status(desk)["reference"] == shift.case_reference, 15, "the requested case"
    )
    desk.key("F12")
    wait_status(desk, "closed")
    desk.record("closed-by-leader")
    officer_checks(shift)


def test_03_emergency_level_plan_log_pdf_and_cap_preview(shift: Shift) -> None:
    """The shift leader (who decides levels) runs an emergency from its panel."""
    desk = begin(shift)
    if desk.ask("action", name="pending_closures")["checked"]:
        desk.key("ctrl+shift+a")  # back from the requests awaiting approval to the queue
    wait_until(
        lambda: not desk.ask("action", name="pending_closures")["checked"],
        10,
        "the queue's own views again",
    )
    search_queue(desk, "")  # the closure search of step 02 cleared
    choose_in_combo(desk, "kindFilter", "突发环境事件")
    row = wait_until(
        lambda: next(
            (
                r
                for r in desk.ask("rows", object="caseTable")
                if "突发环境事件" in r["cells"] and "已办结" not in r["cells"]
            ),
            None,
        ),
        20,
        "an open emergency in the queue",
    )
    desk.click_rect(row["rect"])
    wait_until(lambda: case_status(desk)["kind"] == "emergency", 15, "the emergency selected")
    click_tab(desk, "突发环境事件")
    desk.find_one(object="emergencyTitle")
    desk.record("emergency-panel")

    level = desk.reveal("emergencyScroll", cls="QPushButton", text="确定级别")
    desk.click_rect(level["rect"])
    time.sleep(1)
    plan = desk.reveal("emergencyScroll", cls="QPushButton", text="启动预案")
    if plan["enabled"]:
        desk.click_rect(plan["rect"])
        time.sleep(1)
    desk.record("emergency-level-plan")

    entry = desk.reveal("emergencyScroll", object="emergencyLogEntry")
    desk.click_rect(entry["rect"])
    desk.type("/c called the Wujin branch, team on the way")
    desk.key("Return")
    time.sleep(1)

    pdf = desk.reveal("emergencyScroll", cls="QPushButton", text="导出日志PDF")
    desk.click_rect(pdf["rect"])
    cancel_file_dialog(shift, "the log's PDF export")
    desk.click_rect(desk.reveal("emergencyScroll", cls="QPushButton", text="导出日志PDF")["rect"])
    target = shift.desk.home / "log-export.pdf"
    modal = desk.wait_modal("fileDialog")
    shift.feed.mark("the PDF export dialog")
    desk.activate(modal["id"])
    desk.key("ctrl+a")
    desk.type(str(target))
    desk.key("Return")
    desk.wait_no_modal()
    wait_until(target.exists, 20, f"the coordination log PDF at {target}")
    assert target.read_bytes()[:5] == b"%PDF-"

    send = desk.reveal("emergencyScroll", object="capSend")
    assert send["enabled"], "the CAP send button is disabled"
    desk.click_rect(send["rect"])
    modal = desk.wait_modal("capPreview", timeout=30)
    shift.feed.mark("the CAP preview")
    desk.record("cap-preview")
    desk.click(object="capDoNotSend")
    desk.wait_no_modal()

    desk.menu("emergency_import_cap")
    cancel_file_dialog(shift, "Import CAP message")
    desk.activate()
    choose_in_combo(desk, "kindFilter", "全部类型")
    officer_checks(shift)


def test_04_alarms_acknowledged_shelved_and_opened(shift: Shift) -> None:
    begin(shift)
    log_in(shift, "demo")
    desk = shift.desk
    desk.key("F9")
    rows = wait_until(
        lambda: desk.ask("rows", object="alarmTable"), 90, "an alarm in the alarm panel"
    )
    desk.record("alarms")
    desk.click_rect(rows[0]["rect"])
    desk.key("a")
    modal = desk.wait_modal("alarmAckDialog")
    shift.feed.mark("the alarm acknowledgement")
    desk.click(object="alarmAckNote")
    desk.type("Seen; watching the trend.")
    desk.click_rect(dialog_button(desk, modal, cancel=False)["rect"])
    desk.wait_no_modal()
    rows = desk.ask("rows", object="alarmTable")
    desk.click_rect(rows[-1]["rect"])
    desk.key("s")
    modal = desk.wait_modal("alarmShelveDialog")
    shift.feed.mark("the alarm shelving")
    desk.click(object="alarmShelveReason")
    desk.type("Calibration at the station.")
    desk.click_rect(dialog_button(desk, modal, cancel=False)["rect"])
    desk.wait_no_modal()
    desk.record("alarm-shelved")
    # Enter on an alarm opens its case. Selecting the alarm already shows its case, so the
    # queue is moved to another case first; Enter must bring the alarm's case back.
    alarm_row = desk.ask("rows", object="alarmTable")[0]
    desk.click_rect(alarm_row["rect"])
    time.sleep(1)
    alarm_case = case_status(desk).get("id")
    other = next(
        r
        for r in desk.ask("rows", object="caseTable")
        if alarm_case is None or r["cells"][0] != case_status(desk).get("reference")
    )
    desk.click_rect(other["rect"])
    wait_until(lambda: case_status(desk).get("id") != alarm_case, 15, "another case shown")
    # Back to the alarm by keyboard: F9 puts the focus in the alarm table on the alarm still
    # current there (a click on a stale row rectangle could hit another alarm after a re-sort).
    desk.key("F9")
    desk.key("Return")
    wait_until(
        lambda: (
            (alarm_case is not None and case_status(desk).get("id") == alarm_case) or desk.modal()
        ),
        20,
        "the alarm's case to open",
    )
    if desk.modal():  # an alarm without a case asks before opening one
        desk.key("Escape")
    desk.record("alarm-case")
    officer_checks(shift)


def test_05_hotline_petition_and_its_file_dialogs(shift: Shift) -> None:
    desk = begin(shift)
    desk.key("F2")
    modal = desk.wait_modal("petitionIntakeDialog")
    shift.feed.mark("the petition intake")
    for name, text in (
        ("petitionerPhone", "13900000000"),
        ("petitionerName", "Wang"),
        ("subject", None),
        ("address", "Qingguo Lane 12"),
        ("district", None),
        ("description", "Caller reports smoke and noise after 22:00 on most nights."),
    ):
        desk.click_rect(desk.reveal("intakeFormScroll", object=name)["rect"])
        if text is None:  # a combo box: its popup opened, take the first choice
            desk.key("Down", "Return")
        else:
            desk.type(text)
    desk.record("petition-intake")
    desk.click_rect(desk.reveal("intakeFormScroll", object="addFile")["rect"])
    cancel_file_dialog(shift, "the intake's attachment")
    desk.activate(modal["id"])
    desk.click_rect(dialog_button(desk, modal, cancel=False)["rect"])
    wait_until(lambda: desk.modal() is None, 20, "the petition to be saved")
    desk.record("petition-saved")
    # Open311 import and export each open their own dialog; its 选择文件… opens the file dialog.
    for action, dialog in (
        ("petition_import", "open311ImportDialog"),
        ("petition_export", "open311ExportDialog"),
    ):
        desk.menu(action)
        modal = desk.wait_modal(dialog)
        shift.feed.mark(f"the dialog “{modal['title']}”")
        desk.activate(modal["id"])
        desk.click(window=dialog, cls="QPushButton", text="选择文件")
        cancel_file_dialog(shift, action)
        modal = desk.wait_modal(dialog)
        desk.activate(modal["id"])
        desk.click_rect(dialog_button(desk, modal, cancel=True)["rect"])
        desk.wait_no_modal()
    officer_checks(shift)


def test_06_wall_detached_and_back(shift: Shift) -> None:
    desk = begin(shift)
    desk.key("F11")
    window = wait_until(
        lambda: (
            "wall" in desk.state()["detached"]
            and next((w for w in desk.state()["windows"] if w["class"] == "ViewWindow"), None)
        ),
        15,
        "the wall in its own window",
    )
    desk.activate(window["id"])
    desk.key("F11")
    wait_until(lambda: any(w["full_screen"] for w in desk.state()["windows"]), 10, "full screen")
    desk.record("wall-full-screen")
    desk.key("Escape")
    desk.key("Escape")
    wait_until(lambda: not desk.state()["detached"], 10, "the wall back among the tabs")
    desk.record("wall-back")
    officer_checks(shift)


def test_07_switch_language(shift: Shift) -> None:
    """View → 语言 / Language → English: the same officer on a new window in English with the
    selected case selected again; then back to Chinese the same way."""
    desk = begin(shift)
    selected = case_status(desk).get("id")
    for action, language, title_word in (
        ("language_en", "en", "Changzhou"),
        ("language_zh", "zh", "常州"),
    ):
        before = desk.state()
        user = before["user"]
        old_window = before["main_window"]["id"]
        desk.menu(action)
        state = wait_until(
            lambda old=old_window: (
                (s := desk.state())["main_window"]
                and s["main_window"]["id"] != old
                and not s["modal"]
                and s
            ),
            60,
            f"the desk rebuilt in {language}",
        )
        assert state["user"] == user, f"the officer changed from {user} to {state['user']}"
        assert title_word in state["main_window"]["title"], state["main_window"]["title"]
        desk.activate()
        if selected is not None:
            wait_until(
                lambda: case_status(desk).get("id") == selected, 20, "the selected case again"
            )
        wait_until(lambda: desk.ask("feed")["stations"], 30, "the station table filled")
        shift.feed.mark(f"the switch to {language}")
        desk.record(f"language-{language}", language=language)
    officer_checks(shift)


def test_90_every_widget_inside_the_screen(shift: Shift) -> None:
    screen = [0, 0, shift.screen.width, shift.screen.height]
    problems = []
    for step in shift.desk.steps:
        found = checks.outside_screen(step.widgets, screen)
        problems += [f"{step.name} ({step.screenshot}): {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_91_no_untranslated_qt_buttons(shift: Shift) -> None:
    problems = []
    for step in shift.desk.steps:
        if step.language != "zh":
            continue  # Qt's own English is right on the English desk
        found = checks.untranslated_buttons(step.widgets)
        problems += [f"{step.name} ({step.screenshot}): {p}" for p in found]
    assert not problems, "\n".join(problems)


@pytest.mark.timeout(200)
def test_99_quit_ends_the_process_within_3_s(shift: Shift) -> None:
    begin(shift)
    officer_checks(shift, wait=True)  # every dialog's feed check is due before the desk goes
    shift.desk.activate()
    shift.exit_s = shift.desk.quit_and_time("ctrl+q")
    assert not checks.exited_in_time(shift.exit_s), checks.exited_in_time(shift.exit_s)
