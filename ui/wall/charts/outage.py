"""The outage veil: a data-service outage greys a view and says since when.

A translucent grey layer over the view (mouse events pass through, so the officer can still pan
and read the last data) with one line of text. Shared by every view of the wall.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from dispatch_app.standards.center_time import CENTER_TZ


class OutageVeil(QWidget):
    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self._target = target
        self.setObjectName("outageVeil")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._label = QLabel(self)
        self._label.setObjectName("outageText")
        self._label.setWordWrap(True)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setStyleSheet(
            "QLabel#outageText { background: rgba(40,40,40,235); color: white; padding: 8px;"
            " font-size: 18px; font-weight: bold; border: 2px solid #bbbbbb; }"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self._label, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.since: datetime | None = None
        target.installEventFilter(self)
        self.hide()

    def set_since(self, since: datetime | None) -> None:
        self.since = since
        if since is None:
            self.hide()
            return
        stamp = since.astimezone(CENTER_TZ).strftime("%m-%d %H:%M:%S")
        self._label.setText(
            self.tr("Data service unreachable since %1 — showing the last data received").replace(
                "%1", stamp
            )
        )
        self.setGeometry(self._target.rect())
        self.raise_()
        self.show()

    def text(self) -> str:
        return self._label.text() if self.isVisibleTo(self._target) else ""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(70, 70, 70, 170))
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._target.rect())
        return False
