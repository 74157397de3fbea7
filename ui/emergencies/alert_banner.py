"""The heavy-pollution weather alert banner (重污染天气预警) shown on every workstation.

Yellow, orange or red with the level written out and an icon (color is never the only cue),
since when, and why. With no alert in force it shrinks to a quiet line, so the officer can
still see that the banner is alive and the alert was lifted, and when.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from dispatch_app.desk.emergencies import AlertView
from dispatch_app.domain.heavy_pollution import AlertLevel
from dispatch_app.standards.center_time import CENTER_TZ

# Background, text; the HJ 633 / GB alert colors, text dark on yellow and orange for contrast.
_STYLE = {
    AlertLevel.YELLOW: ("#ffd400", "#1a1a1a"),
    AlertLevel.ORANGE: ("#ff7e00", "#1a1a1a"),
    AlertLevel.RED: ("#d0021b", "#ffffff"),
}


def local(t: datetime) -> str:
    return t.astimezone(CENTER_TZ).strftime("%m-%d %H:%M")


class AlertBanner(QWidget):
    """Call ``set_alert`` with ``EmergencyDesk.current_alert()`` (None: never issued)."""

    change_requested = Signal()  # the leader's "Change alert…" button
    open_case_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setObjectName("alertBannerText")
        self.text.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open the alert's case"))
        self.change_button = QPushButton(self.tr("Change alert…"))
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.change_button)
        self.open_button.clicked.connect(self._open)
        self.change_button.clicked.connect(self.change_requested.emit)
        self.alert: AlertView | None = None
        self.set_alert(None)

    def _open(self) -> None:
        if self.alert is not None and self.alert.case_id is not None:
            self.open_case_requested.emit(self.alert.case_id)

    def level_text(self, level: AlertLevel) -> str:
        return {
            AlertLevel.YELLOW: self.tr("YELLOW heavy-pollution weather alert"),
            AlertLevel.ORANGE: self.tr("ORANGE heavy-pollution weather alert"),
            AlertLevel.RED: self.tr("RED heavy-pollution weather alert"),
        }[level]

    def set_alert(self, alert: AlertView | None) -> None:
        self.alert = alert
        if alert is None or alert.level is None:
            self.icon.setText("○")
            if alert is None:
                self.text.setText(self.tr("No heavy-pollution weather alert"))
            else:
                self.text.setText(
                    self.tr("No heavy-pollution weather alert (lifted {0} by {1})").format(
                        local(alert.at), alert.actor
                    )
                )
            self.setStyleSheet("")
            self.open_button.setVisible(False)
            return
        bg, fg = _STYLE[alert.level]
        self.icon.setText("⚠")
        drill = self.tr(" [EXERCISE]") if alert.exercise else ""
        self.text.setText(
            self.tr("{0}{1} — since {2}: {3}").format(
                self.level_text(alert.level), drill, local(alert.at), alert.reason
            )
        )
        # The theme paints every QWidget's background: the labels must be transparent or
        # the text sits on a dark box in the banner's color.
        self.setStyleSheet(
            f"#alertBanner {{ background: {bg}; }} #alertBanner QLabel {{ color: {fg};"
            " background: transparent; font-weight: bold; }"
        )
        self.open_button.setVisible(alert.case_id is not None)
