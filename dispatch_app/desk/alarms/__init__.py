"""Alarm use cases (see ``dispatch_app.desk.alarms.facade``): the names other parts import."""

from dispatch_app.desk.alarms.facade import (
    CASE_DETAILS_KEY,
    CASE_PRIORITY,
    EXERCISE_PREFIX_EN,
    EXERCISE_PREFIX_ZH,
    RULES_TOPIC,
    SYSTEM_ACTOR,
    TOPIC,
    AlarmDesk,
    AlarmHistoryEntry,
    AlarmUpdate,
    FeedWatch,
    RoundResult,
    RulesConflict,
    StationPlace,
    load_rules_file,
    with_revision,
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
