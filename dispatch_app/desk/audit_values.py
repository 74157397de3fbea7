"""Values as the audit log and the timeline store them: JSON types, times as UTC ISO text."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any


def iso(t: datetime | None) -> str | None:
    """An aware time as UTC ISO 8601 text; None stays None."""
    return None if t is None else t.astimezone(UTC).isoformat()


def jsonable(value: Any) -> Any:
    """Values as JSON-friendly types for the audit payload and timeline data."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "value") and not isinstance(value, int | float | str | bool):
        return value.value
    if hasattr(value, "__dataclass_fields__"):
        return jsonable(asdict(value))
    return value
