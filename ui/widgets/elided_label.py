"""A one-line label that shortens its text with "…" instead of widening the window.

A QLabel's minimum width is its whole text: one long status message (the database path, a
list of shortcuts) once made the main window wider than any screen. This label asks for its
whole text but accepts less, draws what fits with an ellipsis and shows the whole text as its
tooltip when it is cut. ``text()`` stays the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, minimum_chars: int = 6
    ) -> None:
        super().__init__(text, parent)
        self._minimum_chars = minimum_chars
        self._own_tip = ""
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        m = self.contentsMargins()
        metrics = self.fontMetrics()
        chars = metrics.horizontalAdvance("…") + metrics.averageCharWidth() * self._minimum_chars
        full = self.sizeHint().width()
        return QSize(min(full, chars + m.left() + m.right()), hint.height())

    def setToolTip(self, tip: str) -> None:
        self._own_tip = tip
        super().setToolTip(tip)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tip()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def _update_tip(self) -> None:
        # The whole text as the tooltip while it is cut (unless a tooltip of its own is set).
        tip = self._own_tip or (self.text() if self.is_elided() else "")
        super().setToolTip(tip)

    def paintEvent(self, event: QPaintEvent) -> None:
        QFrame.paintEvent(self, event)  # frame and style-sheet background
        rect = self.contentsRect()
        m = self.margin()
        rect.adjust(m, m, -m, -m)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            text,
            self.foregroundRole(),
        )
        painter.end()


__all__ = ["ElidedLabel"]
