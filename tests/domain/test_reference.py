from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from dispatch_app.domain.reference import (
    format_reference,
    parse_reference,
    reference_year,
    sequence_name,
)


def test_format_and_parse() -> None:
    assert format_reference(2026, 123) == "CZ-2026-000123"
    assert format_reference(2026, 1_234_567) == "CZ-2026-1234567"
    assert parse_reference(" cz-2026-000123 ") == (2026, 123)
    assert parse_reference("CZ-26-1") is None
    assert parse_reference("武进-2026-000001") is None
    with pytest.raises(ValueError):
        format_reference(2026, 0)


def test_year_is_the_shanghai_calendar_year() -> None:
    # 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Changzhou.
    assert reference_year(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == 2027
    assert reference_year(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == 2026
    assert reference_year(datetime(2027, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=8)))) == 2027
    with pytest.raises(ValueError):
        reference_year(datetime(2026, 1, 1))
    assert sequence_name(2027) == "case-2027"
