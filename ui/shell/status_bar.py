"""The status bar: Asia/Shanghai clock, who is on duty, which database, data-service state.

The data-service label is driven from outside (the feed part's poller) through
:meth:`DeskStatusBar.set_data_service_state`; a lost connection shows since when, so a frozen
number on the wall is never mistaken for a quiet network.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from dispatch_app.standards.center_time import CENTER_TZ
from ui.widgets.elided_label import ElidedLabel


class DeskStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = QLabel(self)
        self.clock.setObjectName("statusClock")
        self.user = ElidedLabel(parent=self)
        self.user.setObjectName("statusUser")
        self.database = ElidedLabel(parent=self)
        self.database.setObjectName("statusDatabase")
        self.service = ElidedLabel(parent=self)
        self.service.setObjectName("statusServiceDown")
        self.activity = ElidedLabel(parent=self)
        self.activity.setObjectName("statusActivity")
        self.addWidget(self.activity, 1)
        for w in (self.service, self.database, self.user, self.clock):
            self.addPermanentWidget(w)
        self._down_since: datetime | None = None
        self._db_down_since: datetime | None = None
        self._database_text = ""
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.activity.clear)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.set_data_service_state(self.tr("data service: not connected"), False)
        self.tick()

    def tick(self) -> None:
        now = datetime.now(CENTER_TZ)
        self.clock.setText(
            self.tr("Beijing time %1").replace("%1", now.strftime("%Y-%m-%d %H:%M:%S"))
        )

    def set_user(self, display_name: str, role_label: str) -> None:
        self.user.setText(
            self.tr("On duty: %1 (%2)").replace("%1", display_name).replace("%2", role_label)
        )

    def set_database(self, description: str) -> None:
        self._database_text = description
        self.database.setText(self.tr("Database: %1").replace("%1", description))
        self.database.setToolTip(description)

    def set_database_problem(self, problem: str | None) -> None:
        """Other workstations' changes stopped arriving (the change feed failed): say so, and
        since when, until it recovers. None clears it."""
        description = self._database_text
        if problem is None:
            self._db_down_since = None
            self.database.setObjectName("statusDatabase")
            self.set_database(description)
        else:
            if self._db_down_since is None:
                self._db_down_since = datetime.now(UTC)
            since = self._db_down_since.astimezone(CENTER_TZ).strftime("%H:%M:%S")
            self.database.setObjectName("statusServiceDown")
            self.database.setText(
                "▲ "
                + self.tr("Database %1: live updates interrupted since %2")
                .replace("%1", description)
                .replace("%2", since)
            )
            self.database.setToolTip(problem)
        self.database.style().unpolish(self.database)
        self.database.style().polish(self.database)

    def set_data_service_state(
        self, state_text: str, ok: bool, since: datetime | None = None
    ) -> None:
        """Called by the feed part. When not ok, the label adds since when it is down: `since`
        when the caller knows it (the poller's last successful poll), else when it was first
        told so."""
        if ok:
            self._down_since = None
            text = state_text
        else:
            if since is not None:
                self._down_since = since
            elif self._down_since is None:
                self._down_since = datetime.now(UTC)
            since_text = self._down_since.astimezone(CENTER_TZ).strftime("%H:%M:%S")
            text = self.tr("%1 (since %2)").replace("%1", state_text).replace("%2", since_text)
        self.service.setText(("● " if ok else "▲ ") + text)
        self.service.setObjectName("statusServiceOk" if ok else "statusServiceDown")
        # Re-polish so the QSS rule of the new object name applies.
        self.service.style().unpolish(self.service)
        self.service.style().polish(self.service)

    def show_activity(self, text: str, timeout_ms: int = 0) -> None:
        """Shows a message; with a timeout it fades after that time (a later message restarts
        the wait, so it is never cut short by an older one's timer)."""
        self.activity.setText(text)
        self._clear_timer.stop()
        if timeout_ms:
            self._clear_timer.start(timeout_ms)
