"""Display names of the domain's codes (kinds, statuses, priorities, roles, petition decisions …).

One lookup for every code: :func:`label` with the code's table. A table is either

- a dict of English source strings marked here for lupdate (translated through tr(); the Chinese
  in resources/i18n follows the glossary of DESIGN.md and the domain's own ``name_zh``), or
- a domain enum whose members carry their own ``name_zh`` and ``name_en`` (petition channels and
  subjects, deadline states): one name per concept across code, database and screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from PySide6.QtCore import QCoreApplication

from ui.shell.i18n import current_language

CTX = "Labels"


class Bilingual(Protocol):
    """A domain code that names itself in both languages."""

    @property
    def name_zh(self) -> str: ...

    @property
    def name_en(self) -> str: ...


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for lupdate under ``context``; translated later by :func:`label`.
    (PySide6's own is typed as returning object, which would untype every table.)"""
    return text


KIND = {
    "quality": QT_TRANSLATE_NOOP("Labels", "Quality problem"),
    "violation": QT_TRANSLATE_NOOP("Labels", "Violation case"),
    "emergency": QT_TRANSLATE_NOOP("Labels", "Emergency"),
    "petition": QT_TRANSLATE_NOOP("Labels", "Petition"),
}
STATUS = {
    "new": QT_TRANSLATE_NOOP("Labels", "New"),
    "triaged": QT_TRANSLATE_NOOP("Labels", "Triaged"),
    "dispatched": QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    "acknowledged": QT_TRANSLATE_NOOP("Labels", "Acknowledged"),
    "on_scene": QT_TRANSLATE_NOOP("Labels", "On scene"),
    "resolved": QT_TRANSLATE_NOOP("Labels", "Resolved"),
    "closed": QT_TRANSLATE_NOOP("Labels", "Closed"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled"),
}
PRIORITY = {
    "P1": QT_TRANSLATE_NOOP("Labels", "P1 critical"),
    "P2": QT_TRANSLATE_NOOP("Labels", "P2 urgent"),
    "P3": QT_TRANSLATE_NOOP("Labels", "P3 normal"),
    "P4": QT_TRANSLATE_NOOP("Labels", "P4 low"),
}
DISTRICT = {
    "liyang": QT_TRANSLATE_NOOP("Labels", "Liyang"),
    "jintan": QT_TRANSLATE_NOOP("Labels", "Jintan"),
    "wujin": QT_TRANSLATE_NOOP("Labels", "Wujin"),
    "xinbei": QT_TRANSLATE_NOOP("Labels", "Xinbei"),
    "tianning": QT_TRANSLATE_NOOP("Labels", "Tianning"),
    "zhonglou": QT_TRANSLATE_NOOP("Labels", "Zhonglou"),
    "jingkai": QT_TRANSLATE_NOOP("Labels", "Economic Development Zone"),
}
SOURCE = {
    "hotline_12345": QT_TRANSLATE_NOOP("Labels", "12345 government hotline"),
    "hotline_12369": QT_TRANSLATE_NOOP("Labels", "12369 environmental hotline"),
    "monitoring": QT_TRANSLATE_NOOP("Labels", "Online monitoring alarm"),
    "patrol": QT_TRANSLATE_NOOP("Labels", "Found on patrol"),
    "superior": QT_TRANSLATE_NOOP("Labels", "Assigned by superior"),
    "media": QT_TRANSLATE_NOOP("Labels", "Media report"),
    "enterprise_report": QT_TRANSLATE_NOOP("Labels", "Enterprise report"),
    "other": QT_TRANSLATE_NOOP("Labels", "Other"),
}
ROLE = {
    "viewer": QT_TRANSLATE_NOOP("Labels", "Viewer"),
    "duty_officer": QT_TRANSLATE_NOOP("Labels", "Duty officer"),
    "shift_leader": QT_TRANSLATE_NOOP("Labels", "Shift leader"),
    "administrator": QT_TRANSLATE_NOOP("Labels", "Administrator"),
}
ACTION = {
    "create": QT_TRANSLATE_NOOP("Labels", "Created"),
    "triage": QT_TRANSLATE_NOOP("Labels", "Triage"),
    "dispatch": QT_TRANSLATE_NOOP("Labels", "Dispatch"),
    "acknowledge": QT_TRANSLATE_NOOP("Labels", "Acknowledge"),
    "arrive": QT_TRANSLATE_NOOP("Labels", "Arrive on scene"),
    "resolve": QT_TRANSLATE_NOOP("Labels", "Resolve"),
    "close": QT_TRANSLATE_NOOP("Labels", "Close"),
    "cancel": QT_TRANSLATE_NOOP("Labels", "Cancel case"),
    "reopen": QT_TRANSLATE_NOOP("Labels", "Reopen"),
    "request_close": QT_TRANSLATE_NOOP("Labels", "Request closure"),
    "approve_close": QT_TRANSLATE_NOOP("Labels", "Approve closure"),
    "refuse_close": QT_TRANSLATE_NOOP("Labels", "Refuse closure request"),
    "note": QT_TRANSLATE_NOOP("Labels", "Note"),
    "edit": QT_TRANSLATE_NOOP("Labels", "Edited"),
    "assign": QT_TRANSLATE_NOOP("Labels", "Assigned"),
}
CLOSURE = {
    "rectified": QT_TRANSLATE_NOOP("Labels", "Rectified"),
    "penalized": QT_TRANSLATE_NOOP("Labels", "Case filed and penalized"),
    "not_substantiated": QT_TRANSLATE_NOOP("Labels", "Not substantiated"),
    "no_violation": QT_TRANSLATE_NOOP("Labels", "No violation found"),
    "transferred": QT_TRANSLATE_NOOP("Labels", "Transferred to another department"),
    "duplicate": QT_TRANSLATE_NOOP("Labels", "Duplicate"),
    "petitioner_answered": QT_TRANSLATE_NOOP("Labels", "Petitioner answered"),
    "emergency_terminated": QT_TRANSLATE_NOOP("Labels", "Emergency response terminated"),
    "quality_restored": QT_TRANSLATE_NOOP("Labels", "Quality restored"),
    "other": QT_TRANSLATE_NOOP("Labels", "Other (explain in the note)"),
}
CLOSURE_PENDING = QT_TRANSLATE_NOOP("Labels", "awaiting closure approval")
"""A resolved case whose closure request waits for a shift leader (queue and case panel)."""

UNIT_TYPE = {
    "branch": QT_TRANSLATE_NOOP("Labels", "Enforcement branch"),
    "field_station": QT_TRANSLATE_NOOP("Labels", "Field station"),
    "monitoring": QT_TRANSLATE_NOOP("Labels", "Monitoring team"),
}
EMERGENCY_LEVEL = {
    "I": QT_TRANSLATE_NOOP("Labels", "Level I (especially major)"),
    "II": QT_TRANSLATE_NOOP("Labels", "Level II (major)"),
    "III": QT_TRANSLATE_NOOP("Labels", "Level III (large)"),
    "IV": QT_TRANSLATE_NOOP("Labels", "Level IV (general)"),
}

# Petitions: the codes whose names exist only on screen.
DECISION = {
    "accept": QT_TRANSLATE_NOOP("Labels", "Accept"),
    "transfer": QT_TRANSLATE_NOOP("Labels", "Transfer to the competent body"),
    "assign": QT_TRANSLATE_NOOP("Labels", "Assign to a lower body"),
    "not_accepted": QT_TRANSLATE_NOOP("Labels", "Not accepted"),
}
SATISFACTION = {
    "satisfied": QT_TRANSLATE_NOOP("Labels", "Satisfied"),
    "basically_satisfied": QT_TRANSLATE_NOOP("Labels", "Basically satisfied"),
    "dissatisfied": QT_TRANSLATE_NOOP("Labels", "Dissatisfied"),
}
REPLY_CHANNEL = {
    "phone": QT_TRANSLATE_NOOP("Labels", "Phone"),
    "sms": QT_TRANSLATE_NOOP("Labels", "Text message"),
    "letter": QT_TRANSLATE_NOOP("Labels", "Letter"),
    "online": QT_TRANSLATE_NOOP("Labels", "Online"),
    "in_person": QT_TRANSLATE_NOOP("Labels", "In person"),
}
STAGE = {
    "original": QT_TRANSLATE_NOOP("Labels", "First handling"),
    "review": QT_TRANSLATE_NOOP("Labels", "Review (复查)"),
    "second_review": QT_TRANSLATE_NOOP("Labels", "Second review (复核)"),
}


def label(table: Mapping[str, str] | Callable[[str], Bilingual], code: object) -> str:
    """The name of ``code`` in the current language, from its ``table`` (a dict of this module
    or a bilingual domain enum such as ``Channel``); an unknown code is shown as itself, never
    hidden."""
    key = str(getattr(code, "value", code))
    if not isinstance(table, Mapping):
        try:
            named = table(key)
        except ValueError:
            return key
        return named.name_zh if current_language() == "zh" else named.name_en
    source = table.get(key)
    if source is None:
        return key
    return QCoreApplication.translate(CTX, source)


def closure_pending() -> str:
    return QCoreApplication.translate(CTX, CLOSURE_PENDING)
