"""Every dialog of the desk fits a 1280×720 screen, filled with realistic content.

The dialogs are found, not listed: every QDialog subclass defined under ui/ (the ui modules
imported, QDialog.__subclasses__() walked), so a dialog added later is checked too. Each is built
by a builder in ``BUILDERS``; a dialog without one fails the test and says so.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

import ui
from dispatch_app.desk.emergencies import EmergencyDesk, load_emergency_resources
from dispatch_app.desk.petitions import DuplicateHit
from dispatch_app.domain import cap
from dispatch_app.domain.cases import Status
from dispatch_app.domain.duplicates import MatchReason
from dispatch_app.resources import resources_dir
from tests.gui.conftest import Session, run, seed_cases, seed_users
from tests.gui.test_emergency_ui import seed_emergency
from ui.shell.i18n import install_translators
from ui.shell.screen_fit import SMALLEST_SCREEN

RESOURCES = resources_dir()
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
LONG_TEXT = (
    "武进区湖塘镇某化工企业夜间偷排废水，群众多次反映刺鼻气味，河水发黑，"
    "执法分局已到场取样，监测站正在加密监测，请值班员持续跟进并按时反馈处置结果。"
) * 3


def ui_dialogs() -> list[type[QDialog]]:
    """Every QDialog subclass defined in a module under ui/."""
    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(module.name)
    found: list[type[QDialog]] = []
    pending = list(QDialog.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("ui.") and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


async def _nothing(*_args: Any, **_kwargs: Any) -> Any:
    return None


class Content:
    """What the builders fill the dialogs with: a real desk with cases, its window, an
    emergency with a CAP draft."""

    def __init__(self, session: Session, url: str, qtbot: QtBot) -> None:
        self.session = session
        self.desk = session.desk
        self.window: QWidget = session.workspace.window
        self.qtbot = qtbot
        case_id = session.workspace.queue.current_case_id()
        assert case_id is not None
        self.case = self.desk.case_detail(case_id).case
        resources = load_emergency_resources(RESOURCES)
        emergency_id = seed_emergency(url, resources)
        self.emergencies = EmergencyDesk(self.desk, resources)
        self.cap_draft = self.emergencies.draft_cap(emergency_id, cap.MsgType.ALERT)

    def hits(self) -> list[DuplicateHit]:
        reason = MatchReason("place", 0.4, "同一地点（湖塘镇）", "same place (Hutang)")
        return [
            DuplicateHit(
                case_id=100 + n,
                reference=f"CZ-2026-{100 + n:06d}",
                title=LONG_TEXT[:40],
                status=Status.NEW,
                received_at=NOW - timedelta(days=n),
                score=0.9 - n / 10,
                reasons=(reason, reason),
                merged_into=None,
            )
            for n in range(6)
        ]


def _build_user_admin(c: Content) -> QDialog:
    from ui.shell.user_admin import UserAdminDialog

    dialog = UserAdminDialog(c.desk, c.session.calls, c.window)
    run(c.qtbot, dialog.reload())
    return dialog


def _builders() -> dict[str, Callable[[Content], QDialog]]:
    from ui.alarms import panel as alarm_panel
    from ui.alarms import rules_editor as alarm_rules_editor
    from ui.cases import action_dialogs, case_form
    from ui.emergencies import cap as emergency_cap
    from ui.emergencies import integration as emergency_integration
    from ui.petitions import dialogs as petition_dialogs
    from ui.petitions import intake as petition_intake
    from ui.shell import login_dialogs, shortcuts_dialog

    header = "CZ-2026-000123  " + LONG_TEXT[:30]
    rules = (RESOURCES / "rules" / "alarms.toml").read_text(encoding="utf-8")
    return {
        "ui.cases.action_dialogs.AsyncFormDialog": lambda c: action_dialogs.AsyncFormDialog(
            _nothing, c.window
        ),
        "ui.cases.action_dialogs.TextActionDialog": lambda c: action_dialogs.TextActionDialog(
            _nothing,
            c.case,
            "Request closure",
            "Outcome and closing note",
            with_closure=True,
            text=LONG_TEXT,
            required="Write the outcome: what was found and done.",
            parent=c.window,
        ),
        "ui.cases.action_dialogs.DispatchDialog": lambda c: action_dialogs.DispatchDialog(
            _nothing, c.desk.units(None), 3, header, c.window
        ),
        "ui.cases.action_dialogs.ConflictDialog": lambda c: action_dialogs.ConflictDialog(
            c.case, c.case.version, "Edit case", LONG_TEXT, c.window
        ),
        "ui.cases.case_form.CaseFormDialog": lambda c: case_form.CaseFormDialog(
            _nothing, c.window, "violation", petition_intake=True
        ),
        "ui.cases.case_form.CaseEditDialog": lambda c: case_form.CaseEditDialog(
            _nothing, c.case, c.window
        ),
        "ui.emergencies.cap.CapPreviewDialog": lambda c: emergency_cap.CapPreviewDialog(
            c.cap_draft, parent=c.window
        ),
        "ui.alarms.panel.AcknowledgeDialog": lambda c: alarm_panel.AcknowledgeDialog(
            header, c.window
        ),
        "ui.alarms.panel.ShelveDialog": lambda c: alarm_panel.ShelveDialog(header, c.window),
        "ui.emergencies.integration.AlertDialog": lambda c: emergency_integration.AlertDialog(
            None, c.window
        ),
        "ui.emergencies.integration.DrillDialog": lambda c: emergency_integration.DrillDialog(
            sorted(p.stem for p in (RESOURCES / "scenarios").glob("*.toml")), c.window
        ),
        "ui.emergencies.integration.ReportDialog": lambda c: emergency_integration.ReportDialog(
            "Report", "\n".join([LONG_TEXT] * 20), c.window
        ),
        "ui.alarms.rules_editor.AlarmRulesEditor": lambda c: alarm_rules_editor.AlarmRulesEditor(
            rules, 3, _nothing, c.window
        ),
        "ui.petitions.dialogs.ReasonDialog": lambda c: petition_dialogs.ReasonDialog(
            _nothing, "Reason", header, "Reason", explanation=LONG_TEXT, parent=c.window
        ),
        "ui.petitions.dialogs.StepTimeDialog": lambda c: petition_dialogs.StepTimeDialog(
            _nothing, "Step", header, NOW, parent=c.window
        ),
        "ui.petitions.dialogs.DecisionDialog": lambda c: petition_dialogs.DecisionDialog(
            _nothing, header, NOW, c.window
        ),
        "ui.petitions.dialogs.ExtensionDialog": lambda c: petition_dialogs.ExtensionDialog(
            _nothing, header, 30, c.window
        ),
        "ui.petitions.dialogs.ReplyDialog": lambda c: petition_dialogs.ReplyDialog(
            _nothing, header, NOW, c.window
        ),
        "ui.petitions.dialogs.CallbackDialog": lambda c: petition_dialogs.CallbackDialog(
            _nothing, header, True, c.window
        ),
        "ui.petitions.dialogs.MergeDialog": lambda c: petition_dialogs.MergeDialog(
            _nothing, header, c.hits(), c.window
        ),
        "ui.petitions.dialogs.Open311ImportDialog": lambda c: petition_dialogs.Open311ImportDialog(
            _nothing, c.window
        ),
        "ui.petitions.dialogs.Open311ExportDialog": lambda c: petition_dialogs.Open311ExportDialog(
            _nothing, 240, True, Path.home() / "exports" / "petitions-2026-11.json", c.window
        ),
        "ui.petitions.intake.PetitionIntakeDialog": lambda c: petition_intake.PetitionIntakeDialog(
            _nothing, now=lambda: NOW, phone_call=True, parent=c.window
        ),
        "ui.shell.user_admin.UserAdminDialog": _build_user_admin,
        "ui.shell.login_dialogs._CredentialsDialog": lambda c: login_dialogs._CredentialsDialog(
            c.window
        ),
        "ui.shell.login_dialogs.LoginDialog": lambda c: login_dialogs.LoginDialog(
            _nothing, c.window, hint=LONG_TEXT
        ),
        "ui.shell.login_dialogs.FirstAdministratorDialog": (
            lambda c: login_dialogs.FirstAdministratorDialog(_nothing, c.window)
        ),
        "ui.shell.shortcuts_dialog.ShortcutsDialog": lambda c: shortcuts_dialog.ShortcutsDialog(
            list(c.session.workspace.window.actions_by_name.values()), c.window
        ),
    }


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def test_every_dialog_has_a_builder() -> None:
    builders = _builders()
    missing = [_name(cls) for cls in ui_dialogs() if _name(cls) not in builders]
    assert not missing, (
        "these dialogs have no builder in tests/gui/test_dialogs_fit.py BUILDERS, so nobody "
        f"checks that they fit a 1280×720 screen: add one for each: {missing}"
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_dialog_fits_1280x720(
    qtbot: QtBot, sessions: Callable[..., Session], sqlite_url: str, language: str
) -> None:
    seed_users(sqlite_url)
    seed_cases(sqlite_url, 12)
    install_translators(QApplication.instance(), language)
    content = Content(sessions(sqlite_url, "officer"), sqlite_url, qtbot)
    builders = _builders()
    too_big = []
    for cls in ui_dialogs():
        build = builders.get(_name(cls))
        assert build is not None, f"{_name(cls)} has no builder (test_every_dialog_has_a_builder)"
        dialog = build(content)
        try:
            assert type(dialog) is cls
            dialog.show()
            qtbot.wait(10)
            for what, size in (
                ("sizeHint", dialog.sizeHint()),
                ("minimumSizeHint", dialog.minimumSizeHint()),
                ("minimumSize", dialog.minimumSize()),
            ):
                if size.width() > SMALLEST_SCREEN.width() or size.height() > (
                    SMALLEST_SCREEN.height()
                ):
                    too_big.append(f"{_name(cls)} {what} {size.width()}×{size.height()}")
        finally:
            dialog.close()
            dialog.deleteLater()
    assert not too_big, too_big
