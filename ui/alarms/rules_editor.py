"""The administrator's editor for the alarm rules (saved to the user config directory).

The text is edited as TOML, the way the file is documented. "Check" validates without saving;
"Save" saves through the desk with the revision the edit started from. A bad rule or a save
over someone else's newer revision shows the message — naming the rule and the field — and
keeps every character the administrator typed: nothing is lost on a bad save. The cursor is
put on the offending rule so the fix is one keystroke away.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.alarms import RulesConflict
from dispatch_app.domain.alarm_rules import AlarmRuleError, RuleSet, parse_rules
from ui.shell.errors import describe_error


class AlarmRulesEditor(QDialog):
    """``save(text, expected_revision) -> RuleSet`` is awaited (the desk call in an executor)."""

    def __init__(
        self,
        text: str,
        revision: int,
        save: Callable[[str, int], Awaitable[RuleSet]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmRulesEditor")
        self.setWindowTitle(self.tr("Alarm rules (revision %1)").replace("%1", str(revision)))
        self.resize(900, 700)
        self.revision = revision
        self._save = save
        self.saved: RuleSet | None = None
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("alarmRulesText")
        self.editor.setPlainText(text)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(mono)
        self.message = QLabel(self)
        self.message.setObjectName("alarmRulesMessage")
        self.message.setWordWrap(True)
        self.check_button = QPushButton(self.tr("Check"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.check_button.clicked.connect(self.check)
        self.save_button.clicked.connect(self._request_save)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addLayout(buttons)
        self._task: Any = None

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def _show(self, text: str, ok: bool) -> None:
        self.message.setText(("✔ " if ok else "✖ ") + text)
        self.message.setStyleSheet(f"color:{'#66bb6a' if ok else '#ff5252'};font-weight:bold;")

    def check(self) -> bool:
        """Validate without saving; show what is wrong and where."""
        try:
            rules = parse_rules(self.text, "alarms.toml")
        except AlarmRuleError as exc:
            self._refused(exc)
            return False
        self._show(self.tr("%1 rules, all valid").replace("%1", str(len(rules.rules))), True)
        return True

    def _refused(self, exc: AlarmRuleError) -> None:
        self._show(describe_error(exc), False)
        if exc.rule_id:
            self._go_to_rule(exc.rule_id, getattr(exc, "field", None))

    def _go_to_rule(self, rule_id: str, field: str | None) -> None:
        text = self.text
        found = re.search(rf'^\s*id\s*=\s*"{re.escape(rule_id)}"', text, re.MULTILINE)
        if found is None:
            return
        position = found.start()
        if field:
            after = re.compile(rf"^\s*{re.escape(field)}\s*=", re.MULTILINE).search(text, position)
            following = text.find("[[rule]]", position)
            if after is not None and (following < 0 or after.start() < following):
                position = after.start()
        cursor = self.editor.textCursor()
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfLine, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def _request_save(self) -> None:
        import asyncio

        if not self.check():
            return
        self._task = asyncio.ensure_future(self.save_now())

    async def save_now(self) -> bool:
        """Save; on any refusal the text stays in the editor as typed."""
        self.save_button.setEnabled(False)
        try:
            saved = await self._save(self.text, self.revision)
        except AlarmRuleError as exc:
            self._refused(exc)
            return False
        except RulesConflict as exc:
            self._show(
                self.tr(
                    "Someone saved revision %1 meanwhile; your text is kept here. "
                    "Copy it, close, reopen the editor and apply your change again."
                ).replace("%1", str(exc.their_version)),
                False,
            )
            return False
        except Exception as exc:  # the database or the file: say so, keep the text
            self._show(describe_error(exc), False)
            return False
        finally:
            self.save_button.setEnabled(True)
        self.saved = saved
        self.revision = saved.revision
        self.setWindowTitle(self.tr("Alarm rules (revision %1)").replace("%1", str(saved.revision)))
        self._show(self.tr("Saved as revision %1").replace("%1", str(saved.revision)), True)
        return True
