"""A redraw gate: coalesce many update requests into at most one redraw per interval.

Live observations may arrive many times a second; a chart redraws at most about twice a second
and not at all while hidden. The gate remembers that something changed; the redraw happens on
the next tick if the widget is visible, or as soon as it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

DEFAULT_INTERVAL_MS = 500


class RedrawGate(QObject):
    def __init__(
        self, widget: QWidget, redraw: Callable[[], None], interval_ms: int = DEFAULT_INTERVAL_MS
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._redraw = redraw
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self.redraw_count = 0  # how many redraws actually ran (tests and benchmarks read it)
        widget.installEventFilter(self)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def request(self) -> None:
        """Something changed; redraw within one interval if visible."""
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Redraw now if anything is pending and the widget is visible (tests, explicit refresh)."""
        self._timer.stop()
        self._tick()

    def _tick(self) -> None:
        if not self._dirty or not self._widget.isVisible():
            return  # hidden: stays dirty, redrawn by the Show event
        self._dirty = False
        self.redraw_count += 1
        self._redraw()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self._dirty:
            self.request()
        return False
