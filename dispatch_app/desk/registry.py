"""Reading the resource files the desk runs on: the unit registry, the deadline rules and the
queue's views."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dispatch_app.domain.deadlines import DeadlineRules, DeadlineRulesError, parse_deadline_rules
from dispatch_app.domain.queue_views import (
    DEFAULT_QUEUE_VIEW_RULES,
    QueueViewRules,
    QueueViewRulesError,
    parse_queue_view_rules,
)
from dispatch_app.domain.units import UnitRegistry, UnitRegistryError, parse_unit_registry
from dispatch_app.resources import resources_dir


def default_resources_dir() -> Path:
    """The shipped resources (dispatch_app/resources, inside the installed package)."""
    return resources_dir()


def load_units(path: Path) -> UnitRegistry:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnitRegistryError(f"unit registry {path} not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UnitRegistryError(f"unit registry {path} is not valid TOML: {exc}") from None
    try:
        return parse_unit_registry(data)
    except UnitRegistryError as exc:
        raise UnitRegistryError(f"{path}: {exc}") from None


def load_deadline_rules(path: Path) -> DeadlineRules:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DeadlineRulesError(f"deadline rules {path} not found") from None
    except UnicodeDecodeError as exc:
        raise DeadlineRulesError(f"deadline rules {path} is not UTF-8: {exc}") from None
    try:
        return parse_deadline_rules(text)
    except DeadlineRulesError as exc:
        raise DeadlineRulesError(f"{path}: {exc}") from None


def load_queue_view_rules(path: Path) -> QueueViewRules:
    """The queue views file; the shipped defaults when it is absent (an older resources
    directory), a QueueViewRulesError naming the file when it is malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DEFAULT_QUEUE_VIEW_RULES
    except UnicodeDecodeError as exc:
        raise QueueViewRulesError(f"queue views {path} is not UTF-8: {exc}") from None
    try:
        return parse_queue_view_rules(text)
    except QueueViewRulesError as exc:
        raise QueueViewRulesError(f"{path}: {exc}") from None
