"""Human reference numbers of cases: CZ-<year>-<6-digit sequence>, one sequence per year.

The year is the Asia/Shanghai calendar year of creation: a case opened at 00:30 on New Year's
morning in Changzhou belongs to the new year even though it is still the old year in UTC.
"""

from __future__ import annotations

import re
from datetime import datetime

from dispatch_app.standards.center_time import CENTER_TZ

PREFIX = "CZ"
_PATTERN = re.compile(r"^CZ-(\d{4})-(\d{6,})$")


def reference_year(created_at: datetime) -> int:
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return created_at.astimezone(CENTER_TZ).year


def sequence_name(year: int) -> str:
    """The name of the per-year counter in the store's sequences table."""
    return f"case-{year}"


def format_reference(year: int, number: int) -> str:
    if number < 1:
        raise ValueError("reference numbers start at 1")
    return f"{PREFIX}-{year:04d}-{number:06d}"


def parse_reference(text: str) -> tuple[int, int] | None:
    """(year, number) of a reference like CZ-2026-000123, or None when it is not one."""
    m = _PATTERN.match(text.strip().upper())
    if not m:
        return None
    return int(m.group(1)), int(m.group(2))
