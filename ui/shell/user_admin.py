"""User management for administrators: add users, change roles, (de)activate, unlock, reset a
password. Every change goes through the desk (audited there); the list reloads after each."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from dispatch_app.desk.desk import Desk
from dispatch_app.desk.views import UserView
from ui.cases.case_details import local_time
from ui.shell import labels
from ui.shell.desk_calls import DeskCalls
from ui.shell.errors import describe_error

ROLES = ("viewer", "duty_officer", "shift_leader", "administrator")


class UserAdminDialog(QDialog):
    def __init__(self, desk: Desk, calls: DeskCalls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userAdminDialog")
        self.setWindowTitle(self.tr("Users and roles"))
        self.setMinimumSize(980, 560)
        self.desk = desk
        self.calls = calls
        self.users: list[UserView] = []
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("userTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("User name"),
                self.tr("Full name"),
                self.tr("Role"),
                self.tr("Active"),
                self.tr("Locked until"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.new_username = QLineEdit(self)
        self.new_username.setObjectName("newUsername")
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newDisplayName")
        self.new_role = QComboBox(self)
        self.new_role.setObjectName("newRole")
        for role in ROLES:
            self.new_role.addItem(labels.label(labels.ROLE, role), role)
        self.new_role.setCurrentIndex(1)
        self.new_password = QLineEdit(self)
        self.new_password.setObjectName("newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        add_button = QPushButton(self.tr("Add user"), self)
        add_button.setObjectName("addUserButton")
        add_button.clicked.connect(self.add_user)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.new_username)
        form.addRow(self.tr("Full name"), self.new_name)
        form.addRow(self.tr("Role"), self.new_role)
        form.addRow(self.tr("Initial password"), self.new_password)
        form.addRow("", add_button)

        self.role_choice = QComboBox(self)
        self.role_choice.setObjectName("roleChoice")
        for role in ROLES:
            self.role_choice.addItem(labels.label(labels.ROLE, role), role)
        set_role = QPushButton(self.tr("Set role"), self)
        set_role.setObjectName("setRoleButton")
        set_role.clicked.connect(self.set_role)
        toggle = QPushButton(self.tr("Activate / deactivate"), self)
        toggle.setObjectName("toggleActiveButton")
        toggle.clicked.connect(self.toggle_active)
        unlock = QPushButton(self.tr("Unlock"), self)
        unlock.setObjectName("unlockButton")
        unlock.clicked.connect(self.unlock)
        self.reset_password = QLineEdit(self)
        self.reset_password.setObjectName("resetPassword")
        self.reset_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reset_password.setPlaceholderText(self.tr("new password"))
        reset = QPushButton(self.tr("Set password"), self)
        reset.setObjectName("setPasswordButton")
        reset.clicked.connect(self.set_password)
        row_actions = QHBoxLayout()
        for w in (self.role_choice, set_role, toggle, unlock, self.reset_password, reset):
            row_actions.addWidget(w)

        self.message = QLabel(self)
        self.message.setObjectName("userAdminMessage")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_actions)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(close)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setProperty("role", "formError" if error else "hint")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    async def reload(self) -> None:
        try:
            self.users = await self.calls.call(self.desk.list_users)
        except Exception as exc:
            self._say(describe_error(exc), error=True)
            return
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            cells = [
                user.username,
                user.display_name,
                labels.label(labels.ROLE, user.role),
                self.tr("yes") if user.active else self.tr("no (deactivated)"),
                local_time(user.locked_until) if user.locked_until else "—",
            ]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))

    async def _do(self, fn: Any, *args: Any, done: str, **kwargs: Any) -> bool:
        try:
            await self.calls.call(fn, *args, **kwargs)
        except Exception as exc:
            self._say(describe_error(exc), error=True)
            return False
        self._say(done)
        await self.reload()
        return True

    @asyncSlot()
    async def add_user(self) -> None:
        ok = await self._do(
            self.desk.create_user,
            self.new_username.text(),
            self.new_name.text(),
            self.new_role.currentData(),
            self.new_password.text(),
            done=self.tr("User added."),
        )
        if ok:
            for w in (self.new_username, self.new_name, self.new_password):
                w.clear()

    @asyncSlot()
    async def set_role(self) -> None:
        user = self.selected()
        if user is None:
            self._say(self.tr("Select a user first."), error=True)
            return
        await self._do(
            self.desk.update_user,
            user.id,
            user.version,
            role=self.role_choice.currentData(),
            done=self.tr("Role changed."),
        )

    @asyncSlot()
    async def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            self._say(self.tr("Select a user first."), error=True)
            return
        await self._do(
            self.desk.update_user,
            user.id,
            user.version,
            active=not user.active,
            done=self.tr("User updated."),
        )

    @asyncSlot()
    async def unlock(self) -> None:
        user = self.selected()
        if user is None:
            self._say(self.tr("Select a user first."), error=True)
            return
        await self._do(
            self.desk.update_user,
            user.id,
            user.version,
            unlock=True,
            done=self.tr("User unlocked."),
        )

    @asyncSlot()
    async def set_password(self) -> None:
        user = self.selected()
        if user is None:
            self._say(self.tr("Select a user first."), error=True)
            return
        if await self._do(
            self.desk.set_password,
            user.id,
            self.reset_password.text(),
            done=self.tr("Password set."),
        ):
            self.reset_password.clear()
