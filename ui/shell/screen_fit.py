"""Fitting the desk to the screen it is on: a 1280×720 projector, a 1366×768 workstation, a
1920×1080 monitor, a 4K screen or the room's video wall.

The rules every window and dialog follows (DESIGN.md, UI conventions): a window never asks for
more than the smallest supported screen (``SMALLEST_SCREEN``); its first size follows the
screen's available area (never larger, maximized when the preferred size does not fit); a panel
holding a long form scrolls rather than forcing its size on the window.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QFrame, QScrollArea, QWidget

SMALLEST_SCREEN = QSize(1280, 720)
"""The smallest screen the desk supports: no window or dialog needs more."""


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable area (without task bars) of the screen ``widget`` is on, else the primary."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(0, 0, SMALLEST_SCREEN.width(), SMALLEST_SCREEN.height())
    return screen.availableGeometry()


def fitted_size(preferred: QSize, widget: QWidget | None = None, share: float = 1.0) -> QSize:
    """``preferred``, shrunk to ``share`` of the available screen where it is larger."""
    area = available_geometry(widget)
    return QSize(
        min(preferred.width(), int(area.width() * share)),
        min(preferred.height(), int(area.height() * share)),
    )


def fits_screen(size: QSize, widget: QWidget | None = None) -> bool:
    area = available_geometry(widget)
    return size.width() <= area.width() and size.height() <= area.height()


def place_on_screen(window: QWidget, preferred: QSize) -> bool:
    """Gives a top-level window its first size: ``preferred`` centred on its screen when that
    fits with room to spare, else the whole available area (True: show it maximized)."""
    area = available_geometry(window)
    roomy = preferred.width() <= area.width() * 0.95 and preferred.height() <= area.height() * 0.95
    size = preferred if roomy else area.size()
    window.resize(size)
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(area.center())
    window.move(rect.topLeft())
    return not roomy


def keep_on_screen(window: QWidget) -> None:
    """A restored or grown window larger than its screen (a layout saved on a bigger monitor)
    is brought back inside the available area."""
    area = available_geometry(window)
    frame = window.frameGeometry()
    extra = frame.size() - window.size()
    width = min(window.width(), area.width() - extra.width())
    height = min(window.height(), area.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 1), max(height, 1))
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.x()), max(y, area.y()))


def scrolling(content: QWidget, name: str = "") -> QScrollArea:
    """``content`` in a frameless scroll area that gives it all the room there is and scrolls
    when there is less than it needs: a panel's minimum size stops at the area."""
    area = QScrollArea()
    area.setObjectName(name or f"{content.objectName() or 'panel'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(content)
    return area


def compact(combo: QComboBox, chars: int) -> None:
    """A choice box about ``chars`` characters wide whatever its longest entry; its list opens
    wide enough for every entry (the whole text is the tooltip of the current one)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    view = combo.view()
    view.setTextElideMode(Qt.TextElideMode.ElideNone)

    def follow() -> None:
        combo.setToolTip(combo.currentText())
        widest = max(
            (
                combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                for i in range(combo.count())
            ),
            default=0,
        )
        view.setMinimumWidth(widest + 40)

    combo.currentIndexChanged.connect(lambda _i: follow())
    combo.model().rowsInserted.connect(lambda *_a: follow())
    follow()


__all__ = [
    "SMALLEST_SCREEN",
    "available_geometry",
    "compact",
    "fits_screen",
    "fitted_size",
    "keep_on_screen",
    "place_on_screen",
    "scrolling",
]
