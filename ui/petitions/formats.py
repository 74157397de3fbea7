"""How a petition's deadlines and times are written on screen: the deadline's name, the
countdown, the state's icon, the local time. The names of the petition codes (channels,
subjects, decisions, deadline states …) are in ui.shell.labels with every other code's."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from dispatch_app.domain.petition_deadlines import Deadline, DeadlineState
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell.i18n import current_language

CTX = "PetitionFormats"


def deadline_label(deadline: Deadline) -> str:
    return deadline.label_zh if current_language() == "zh" else deadline.label_en


STATE_ICON = {
    DeadlineState.OVERDUE: "⚠",
    DeadlineState.MET_LATE: "⚠",
    DeadlineState.DUE_1D: "●",
    DeadlineState.DUE_3D: "◔",
    DeadlineState.RUNNING: "○",
    DeadlineState.MET: "✔",
    DeadlineState.LAPSED: "–",
}
"""An icon beside every state, so color is never the only cue (DESIGN.md, UI conventions)."""


def countdown(remaining: timedelta) -> str:
    """'12天 03:04:05' / '12 d 03:04:05'; the sign is left to the caller's words."""
    seconds = int(abs(remaining).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if not days:
        return clock
    unit = QCoreApplication.translate("PetitionFormats", "%1 d").replace("%1", str(days))
    return f"{unit} {clock}"


def local_time(value: datetime | None, with_seconds: bool = False) -> str:
    if value is None:
        return "—"
    fmt = "%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M"
    return value.astimezone(CENTER_TZ).strftime(fmt)
