"""Petition use cases (``PetitionDesk``): the names other parts import."""

from dispatch_app.desk.petitions.facade import (
    IMPORT_LAG,
    MERGE_KEY,
    REMINDER_TOPIC,
    REPLY_CHANNELS,
    DeadlineView,
    DuplicateHit,
    Open311Result,
    PetitionDesk,
    PetitionRules,
    PetitionRulesError,
    PetitionSummary,
    PetitionView,
    RaisedReminder,
    load_petition_rules,
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
