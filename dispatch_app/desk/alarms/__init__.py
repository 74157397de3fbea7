"""Alarm use cases (``AlarmDesk``, in ``facade``; one module per concern): the names other parts import."""

from dispatch_app.desk.alarms.facade import AlarmDesk
from dispatch_app.desk.alarms.rules_file import load_rules_file, with_revision
from dispatch_app.desk.alarms.values import (
    CASE_DETAILS_KEY,
    CASE_PRIORITY,
    EXERCISE_PREFIX_EN,
    EXERCISE_PREFIX_ZH,
    RULES_TOPIC,
    SYSTEM_ACTOR,
    TOPIC,
    AlarmHistoryEntry,
    AlarmUpdate,
    FeedWatch,
    RoundResult,
    RulesConflict,
    StationPlace,
)

__all__ = [
    "CASE_DETAILS_KEY",
    "CASE_PRIORITY",
    "EXERCISE_PREFIX_EN",
    "EXERCISE_PREFIX_ZH",
    "RULES_TOPIC",
    "SYSTEM_ACTOR",
    "TOPIC",
    "AlarmDesk",
    "AlarmHistoryEntry",
    "AlarmUpdate",
    "FeedWatch",
    "RoundResult",
    "RulesConflict",
    "StationPlace",
    "load_rules_file",
    "with_revision",
]
