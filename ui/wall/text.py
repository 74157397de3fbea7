"""Text that fits its tile: a label that shows its whole text when there is room, and otherwise
a shortened one ending in "…" with the whole text as its tooltip — never a text clipped
mid-word ("n targe") by a layout that ran out of room.

English words are kept whole: the text is cut after the last word (or hyphenated part) that
fits; a first word too
long on its own, and Chinese (no spaces), are cut between characters, always with the "…".
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

ELLIPSIS = "…"


def _chars_that_fit(text: str, metrics: QFontMetrics, width: int, suffix: str) -> str:
    """The longest prefix of ``text`` that fits in ``width`` pixels followed by ``suffix``."""
    cut = len(text)
    while cut > 0 and metrics.horizontalAdvance(text[:cut] + suffix) > width:
        cut -= 1
    return text[:cut] + suffix


def elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` if it fits in ``width`` pixels, else its longest whole-word prefix that fits
    with an ellipsis (character-wise when not even one word fits)."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = re.split(r"(?<=[ -])", text)  # break after a space or a hyphen ("year-to-date")
    for count in range(len(words) - 1, 0, -1):
        candidate = "".join(words[:count]).rstrip(" ,;:/(") + ELLIPSIS
        if metrics.horizontalAdvance(candidate) <= width:
            return candidate
    return _chars_that_fit(text, metrics, width, ELLIPSIS)


def wrap_and_elide(text: str, metrics: QFontMetrics, width: int, lines: int) -> str:
    """Up to ``lines`` lines broken between words (between characters for Chinese), the last
    one elided as `elide_words` does."""
    out: list[str] = []
    rest = text
    while len(out) < lines - 1 and metrics.horizontalAdvance(rest) > width:
        words = rest.split(" ")
        count = len(words) - 1
        while count > 0 and metrics.horizontalAdvance(" ".join(words[:count])) > width:
            count -= 1
        if count > 0:
            line, rest = " ".join(words[:count]), " ".join(words[count:])
        elif " " in rest or not rest:
            break  # a first word too long for a line: elide it on this one
        else:  # no spaces (Chinese): break between characters
            line = _chars_that_fit(rest, metrics, width, "")
            if not line:
                break
            rest = rest[len(line) :]
        out.append(line)
    out.append(elide_words(rest, metrics, width))
    return "\n".join(out)


class TileText(QLabel):
    """A label of at most ``lines`` lines that shortens its text to its width (see the
    module)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, lines: int = 1) -> None:
        super().__init__(parent)
        self.lines = lines
        self._full = ""
        self._tooltip = ""
        self.set_full_text(text)

    def set_full_text(self, text: str, tooltip: str = "") -> None:
        """The whole text; ``tooltip`` is shown when it fits (the whole text when it does not)."""
        self._full, self._tooltip = text, tooltip
        self.updateGeometry()
        self._fit()

    def full_text(self) -> str:
        return self._full

    def is_elided(self) -> bool:
        return ELLIPSIS in self.text() and ELLIPSIS not in self._full

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width + 2, max(hint.height(), self.minimumSizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        # Room for a character and the ellipsis: the layout may squeeze it, it elides.
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance("M" + ELLIPSIS)
        height = self.fontMetrics().lineSpacing() * self.lines + margins.top() + margins.bottom()
        return QSize(width + margins.left() + margins.right(), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        width = self.contentsRect().width()
        shown = wrap_and_elide(self._full, self.fontMetrics(), width, self.lines)
        if shown != self.text():
            super().setText(shown)
        self.setToolTip(self._tooltip if not self.is_elided() else self._full)
