"""Petition use cases (``PetitionDesk``): the names other parts import."""

from dispatch_app.desk.petitions.facade import PetitionDesk
from dispatch_app.desk.petitions.rules import PetitionRules, PetitionRulesError, load_petition_rules
from dispatch_app.desk.petitions.values import (
    IMPORT_LAG,
    MERGE_KEY,
    REMINDER_TOPIC,
    REPLY_CHANNELS,
    DeadlineView,
    DuplicateHit,
    Open311Result,
    PetitionSummary,
    PetitionView,
    RaisedReminder,
)

__all__ = [
    "IMPORT_LAG",
    "MERGE_KEY",
    "REMINDER_TOPIC",
    "REPLY_CHANNELS",
    "DeadlineView",
    "DuplicateHit",
    "Open311Result",
    "PetitionDesk",
    "PetitionRules",
    "PetitionRulesError",
    "PetitionSummary",
    "PetitionView",
    "RaisedReminder",
    "load_petition_rules",
]
