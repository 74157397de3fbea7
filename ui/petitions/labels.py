"""Display names of the petition codes (channels, subjects, decisions, deadline states …).

Channels and subjects carry their own Chinese and English names in the domain (one name per
concept across code, database and screen); the codes whose names exist only on screen (the
decision, the callback result, the reply channel, the stage) go through tr() here, so the
translation files hold them like every other visible string.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from dispatch_app.domain.petition_deadlines import Deadline, DeadlineState
from dispatch_app.domain.petitions import Channel, Subject
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell.i18n import current_language

CTX = "PetitionLabels"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for lupdate under ``context``; translated later by :func:`name`."""
    return text


DECISION = {
    "accept": QT_TRANSLATE_NOOP("PetitionLabels", "Accept"),
    "transfer": QT_TRANSLATE_NOOP("PetitionLabels", "Transfer to the competent body"),
    "assign": QT_TRANSLATE_NOOP("PetitionLabels", "Assign to a lower body"),
    "not_accepted": QT_TRANSLATE_NOOP("PetitionLabels", "Not accepted"),
}
SATISFACTION = {
    "satisfied": QT_TRANSLATE_NOOP("PetitionLabels", "Satisfied"),
    "basically_satisfied": QT_TRANSLATE_NOOP("PetitionLabels", "Basically satisfied"),
    "dissatisfied": QT_TRANSLATE_NOOP("PetitionLabels", "Dissatisfied"),
}
REPLY_CHANNEL = {
    "phone": QT_TRANSLATE_NOOP("PetitionLabels", "Phone"),
    "sms": QT_TRANSLATE_NOOP("PetitionLabels", "Text message"),
    "letter": QT_TRANSLATE_NOOP("PetitionLabels", "Letter"),
    "online": QT_TRANSLATE_NOOP("PetitionLabels", "Online"),
    "in_person": QT_TRANSLATE_NOOP("PetitionLabels", "In person"),
}
STAGE = {
    "original": QT_TRANSLATE_NOOP("PetitionLabels", "First handling"),
    "review": QT_TRANSLATE_NOOP("PetitionLabels", "Review (复查)"),
    "second_review": QT_TRANSLATE_NOOP("PetitionLabels", "Second review (复核)"),
}


def name(table: dict[str, str], code: object) -> str:
    """The translated name of ``code``; an unknown code is shown as itself, never hidden."""
    key = str(getattr(code, "value", code))
    source = table.get(key)
    if source is None:
        return key
    return QCoreApplication.translate(CTX, source)


def _zh() -> bool:
    return current_language() == "zh"


def channel_name(channel: Channel | str) -> str:
    c = Channel(channel)
    return c.name_zh if _zh() else c.name_en


def subject_name(subject: Subject | str) -> str:
    s = Subject(subject)
    return s.name_zh if _zh() else s.name_en


def deadline_label(deadline: Deadline) -> str:
    return deadline.label_zh if _zh() else deadline.label_en


def state_name(state: DeadlineState) -> str:
    return state.name_zh if _zh() else state.name_en


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
    unit = QCoreApplication.translate("PetitionLabels", "%1 d").replace("%1", str(days))
    return f"{unit} {clock}"


def local_time(value: datetime | None, with_seconds: bool = False) -> str:
    if value is None:
        return "—"
    fmt = "%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M"
    return value.astimezone(CENTER_TZ).strftime(fmt)
