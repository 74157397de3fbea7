"""First start (create the first administrator) and login.

Both dialogs call the desk through an awaitable the application hands in, so the UI thread
never waits on the database while checking a password (scrypt is deliberately slow).
A failed attempt leaves the dialog open with the reason (wrong password, account locked until
…) and keeps the user name, so the officer only retypes the password.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from ui.shell.errors import describe_error

Authenticate = Callable[[str, str], Awaitable[Any]]
CreateAdministrator = Callable[[str, str, str], Awaitable[Any]]


class _CredentialsDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.user: Any = None
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setProperty("role", "formError")
        self.error.setWordWrap(True)
        self.error.setObjectName("loginError")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    @asyncSlot()
    async def submit(self) -> None:
        raise NotImplementedError


class LoginDialog(_CredentialsDialog):
    """Login at start and after File → Log out / switch user. ``hint`` (the demo's accounts)
    is shown above the fields."""

    def __init__(
        self, authenticate: Authenticate, parent: QWidget | None = None, *, hint: str = ""
    ) -> None:
        super().__init__(parent)
        self._authenticate = authenticate
        self.setWindowTitle(self.tr("Log in — Environmental Command and Dispatch Desk"))
        if hint:
            label = QLabel(hint, self)
            label.setObjectName("loginHint")
            label.setProperty("role", "hint")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(label)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Password"), self.password)
        self.username.setFocus()

    @asyncSlot()
    async def submit(self) -> None:
        name = self.username.text().strip()
        if not name or not self.password.text():
            self.show_error(self.tr("Enter your user name and password."))
            return
        self._busy(True)
        try:
            self.user = await self._authenticate(name, self.password.text())
        except Exception as exc:
            self.show_error(describe_error(exc))
            self.password.clear()
            self.password.setFocus()
            return
        finally:
            self._busy(False)
        self.accept()


class FirstAdministratorDialog(_CredentialsDialog):
    """Shown once, on a database with no users: the desk cannot be used anonymously."""

    MIN_PASSWORD = 8

    def __init__(self, create: CreateAdministrator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._create = create
        self.setWindowTitle(self.tr("First start — create the administrator"))
        intro = QLabel(
            self.tr(
                "This database has no users yet. Create the first administrator account; "
                "the administrator then adds the duty officers."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Full name"), self.display_name)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.confirm)

    def _local_problem(self) -> str | None:
        if not self.username.text().strip():
            return self.tr("Enter a user name.")
        if not self.display_name.text().strip():
            return self.tr("Enter the administrator's full name.")
        if len(self.password.text()) < self.MIN_PASSWORD:
            return self.tr("The password needs at least %1 characters.").replace(
                "%1", str(self.MIN_PASSWORD)
            )
        if self.password.text() != self.confirm.text():
            return self.tr("The two passwords differ.")
        return None

    @asyncSlot()
    async def submit(self) -> None:
        problem = self._local_problem()
        if problem:
            self.show_error(problem)
            return
        self._busy(True)
        try:
            self.user = await self._create(
                self.username.text().strip(),
                self.display_name.text().strip(),
                self.password.text(),
            )
        except Exception as exc:
            self.show_error(describe_error(exc))
            return
        finally:
            self._busy(False)
        self.accept()
