"""What an officer checks on the desk, as pure functions over what the desk showed.

Each check takes plain data (read back from the running desk by tests/acceptance/desk.py) and
returns the problems it found, in words, empty when all is well; test_checks.py shows that each
one finds what it is meant to find. Keeping them apart from the driving makes a failing shift
say exactly what an officer would have seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

EXIT_LIMIT_S = 3.0
"""The desk's process must be gone this long after the officer quits (DESIGN.md)."""

LATE_WORDS = ("迟报", "断报", "late", "stale")
"""How the station table says a station is late or offline (resources/i18n/feed_zh_CN.ts)."""

QT_DEFAULT_BUTTON_TEXTS = frozenset(
    {
        # QPlatformTheme::defaultStandardButtonText, QDialogButtonBox, QMessageBox, QWizard
        "OK",
        "Cancel",
        "Close",
        "Apply",
        "Reset",
        "Help",
        "Save",
        "Save All",
        "Open",
        "Yes",
        "Yes to All",
        "No",
        "No to All",
        "Abort",
        "Retry",
        "Ignore",
        "Discard",
        "Don't Save",
        "Close without Saving",
        "Restore Defaults",
        "Show Details...",
        "Hide Details...",
        # QFileDialog
        "Choose",
        "New Folder",
        "Back",
        "Forward",
        "Parent Directory",
        "List View",
        "Detail View",
        # QWizard
        "< Back",
        "Next >",
        "Finish",
        "Commit",
        "Continue",
        "Done",
    }
)
"""Qt's own English button texts: on the Chinese desk any of these is an untranslated default."""


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @classmethod
    def of(cls, values: Sequence[int]) -> Rect:
        x, y, w, h = (int(v) for v in values)
        return cls(x, y, w, h)

    def inside(self, outer: Rect) -> bool:
        return (
            self.x >= outer.x
            and self.y >= outer.y
            and self.x + self.w <= outer.x + outer.w
            and self.y + self.h <= outer.y + outer.h
        )

    def __str__(self) -> str:
        return f"{self.w}×{self.h}+{self.x}+{self.y}"


def _when(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def feed_advanced(before: str | datetime | None, after: str | datetime | None) -> list[str]:
    """The newest observation the station table shows moved on between two looks (a dialog
    opened and closed between them): a feed that stopped is the worst silent failure."""
    b, a = _when(before), _when(after)
    if a is None:
        return ["the station table shows no observation at all"]
    if b is not None and a <= b:
        return [
            f"the newest observation did not advance: {b.isoformat()} before, {a.isoformat()} after"
        ]
    return []


def late_live_stations(
    shown: Iterable[Mapping[str, Any]], on_time_at_service: Iterable[str]
) -> list[str]:
    """Stations the table shows late (迟报) or offline (断报) although the data service holds an
    on-time observation of theirs: the desk is wrong about a live station. (A station the
    simulator really silenced is late at the service too and is rightly shown late.)"""
    live = set(on_time_at_service)
    problems = []
    for row in shown:
        text = str(row.get("shown") or "")
        level = str(row.get("level") or "")
        says_late = level in ("late", "stale") or any(word in text for word in LATE_WORDS)
        if says_late and row.get("id") in live:
            problems.append(
                f"station {row.get('id')} ({row.get('name', '')}) shows “{text}” ({level}) "
                "but the data service has an on-time observation"
            )
    return problems


def outside_screen(widgets: Iterable[Mapping[str, Any]], screen: Sequence[int]) -> list[str]:
    """Windows and visible widgets that reach beyond the screen: what an officer cannot see or
    reach. One line per window, with how many of its widgets are cut off."""
    bounds = Rect.of(screen)
    by_window: dict[str, list[str]] = {}
    frames: dict[str, Rect] = {}
    for w in widgets:
        rect = Rect.of(w["rect"])
        if rect.w <= 0 or rect.h <= 0:
            continue
        window = str(w.get("window") or "?")
        if w.get("top"):
            frames[window] = rect
        if not rect.inside(bounds):
            name = w.get("object") or w.get("class", "?")
            text = w.get("text") or ""
            by_window.setdefault(window, []).append(
                f"{name}{' “' + text + '”' if text else ''} at {rect}"
            )
    problems = []
    for window, cut in by_window.items():
        frame = frames.get(window)
        where = f" (window {frame})" if frame else ""
        examples = "; ".join(cut[:4]) + (" …" if len(cut) > 4 else "")
        problems.append(
            f"“{window}”{where}: {len(cut)} widget(s) outside the {bounds.w}×{bounds.h} screen: "
            f"{examples}"
        )
    return problems


def _plain(text: str) -> str:
    """A button's text as read: without its mnemonic ampersand and keyboard hint."""
    text = re.sub(r"&(?!&)", "", text).replace("&&", "&")
    text = re.sub(r"\s*\([A-Za-z]\)$", "", text)  # 取消(C)
    return text.strip()


def untranslated_buttons(widgets: Iterable[Mapping[str, Any]]) -> list[str]:
    """Visible buttons on the Chinese desk that still say Qt's English default text."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for w in widgets:
        if not w.get("button"):
            continue
        text = _plain(str(w.get("text") or ""))
        key = (str(w.get("window")), text)
        if text in QT_DEFAULT_BUTTON_TEXTS and key not in seen:
            seen.add(key)
            problems.append(f"button “{text}” in “{w.get('window')}” is Qt's untranslated default")
    return problems


def exited_in_time(seconds: float | None, limit: float = EXIT_LIMIT_S) -> list[str]:
    """The process ended within `limit` seconds of the quit (None: it had not ended at all)."""
    if seconds is None:
        return ["the desk's process had not ended when the wait for it ran out"]
    if seconds > limit:
        return [f"the desk's process took {seconds:.1f} s to end after quitting (limit {limit} s)"]
    return []
