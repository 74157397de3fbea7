"""The petition rules a desk runs on: deadlines, work calendar, privacy."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.domain.duplicates import (
    DuplicateSettings,
    duplicate_settings_from_toml,
)
from dispatch_app.domain.masking import (
    PrivacyPolicy,
    privacy_policy_from_toml,
)
from dispatch_app.domain.open311 import (
    Open311Settings,
    open311_settings_from_toml,
)
from dispatch_app.domain.petition_deadlines import (
    DeadlineRules,
    RulesError,
    deadline_rules_from_toml,
)
from dispatch_app.domain.workcalendar import CalendarError, WorkCalendar, parse_holidays_toml


class PetitionRulesError(ValueError):
    """petitions.toml or holidays.toml is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class PetitionRules:
    deadlines: DeadlineRules
    privacy: PrivacyPolicy
    duplicates: DuplicateSettings
    open311: Open311Settings
    calendar: WorkCalendar


def load_petition_rules(resources_dir: Path | None = None) -> PetitionRules:
    """Read resources/rules/petitions.toml and holidays.toml, with errors naming the file."""
    rules_dir = (resources_dir or default_resources_dir()) / "rules"
    petitions_path = rules_dir / "petitions.toml"
    holidays_path = rules_dir / "holidays.toml"
    try:
        data = tomllib.loads(petitions_path.read_text(encoding="utf-8"))
        calendar = parse_holidays_toml(holidays_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PetitionRulesError(f"petition rules file {exc.filename} not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PetitionRulesError(f"{petitions_path} is not valid TOML: {exc}") from None
    except CalendarError as exc:
        raise PetitionRulesError(f"{holidays_path}: {exc}") from None
    try:
        return PetitionRules(
            deadlines=deadline_rules_from_toml(data),
            privacy=privacy_policy_from_toml(data),
            duplicates=duplicate_settings_from_toml(data),
            open311=open311_settings_from_toml(data),
            calendar=calendar,
        )
    except (RulesError, ValueError) as exc:
        raise PetitionRulesError(f"{petitions_path}: {exc}") from None


# --- views -----------------------------------------------------------------------------------
