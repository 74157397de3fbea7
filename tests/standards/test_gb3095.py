"""GB 3095—2026 class 2 limits: transition vs final by date, equality complies, multiples."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from dispatch_app.standards import gb3095

# REFERENCE.md §3, transcribed independently: (pollutant, period): (transition, final).
EXPECTED = {
    ("SO2", "year"): (60, 20),
    ("SO2", "day"): (150, 50),
    ("SO2", "1h"): (500, 150),
    ("NO2", "year"): (40, 30),
    ("NO2", "day"): (80, 50),
    ("NO2", "1h"): (200, 200),
    ("CO", "day"): (4, 4),
    ("CO", "1h"): (10, 10),
    ("O3", "8h"): (160, 160),
    ("O3", "1h"): (200, 200),
    ("PM10", "year"): (60, 50),
    ("PM10", "day"): (120, 100),
    ("PM2.5", "year"): (30, 25),
    ("PM2.5", "day"): (60, 50),
}


@pytest.mark.parametrize(("key", "limits"), EXPECTED.items())
def test_limits_by_phase_and_date(key: tuple[str, str], limits: tuple[int, int]) -> None:
    pollutant, period = key
    transition, final = limits
    assert gb3095.limit(pollutant, period, date(2030, 12, 31)) == transition
    assert gb3095.limit(pollutant, period, date(2031, 1, 1)) == final
    assert gb3095.limit(pollutant, period, phase="final") == final
    assert gb3095.has_limit(pollutant, period)


def test_phase_by_beijing_date() -> None:
    assert gb3095.phase_for(date(2026, 11, 28)) == "transition"
    assert gb3095.phase_for(datetime(2030, 12, 31, 15, 59, tzinfo=UTC)) == "transition"
    assert gb3095.phase_for(datetime(2030, 12, 31, 16, 0, tzinfo=UTC)) == "final"
    with pytest.raises(ValueError, match="naive"):
        gb3095.phase_for(datetime(2031, 1, 1))


def test_equal_to_limit_complies_and_above_exceeds_with_multiple() -> None:
    at = gb3095.exceedance("PM2.5", "day", 60, date(2026, 11, 28))
    assert not at.exceeded and at.multiple is None and at.limit == 60
    # 60.4 rounds to 60 (GB/T 8170): still compliant; 60.5 → 60 (half to even); 60.6 → 61.
    assert not gb3095.exceedance("PM2.5", "day", 60.4, date(2026, 11, 28)).exceeded
    assert not gb3095.exceedance("PM2.5", "day", 60.5, date(2026, 11, 28)).exceeded
    above = gb3095.exceedance("PM2.5", "day", 90, date(2026, 11, 28))
    assert above.exceeded and above.multiple == Decimal("0.50")
    final = gb3095.exceedance("PM2.5", "day", 90, date(2031, 1, 1))
    assert final.phase == "final" and final.limit == 50 and final.multiple == Decimal("0.80")
    co = gb3095.exceedance("CO", "1h", 12.34, phase="transition")
    assert co.value == Decimal("12.3") and co.multiple == Decimal("0.23")
    assert gb3095.exceedance("PM2.5", "day", 61, date(2026, 1, 1)).multiple == Decimal("0.02")


def test_invalid_input() -> None:
    with pytest.raises(ValueError, match="no 1h limit"):
        gb3095.limit("PM2.5", "1h", date(2026, 1, 1))
    assert not gb3095.has_limit("PM10", "1h")
    with pytest.raises(ValueError, match="unknown pollutant"):
        gb3095.limit("PM1", "day", date(2026, 1, 1))
    with pytest.raises(ValueError, match="unknown averaging period"):
        gb3095.limit("PM2.5", "month", date(2026, 1, 1))
    with pytest.raises(ValueError, match="unknown phase"):
        gb3095.limit("PM2.5", "day", phase="interim")
    with pytest.raises(ValueError, match="give the data's date"):
        gb3095.limit("PM2.5", "day")
    with pytest.raises(ValueError, match="negative"):
        gb3095.exceedance("PM2.5", "day", -5, date(2026, 1, 1))
    with pytest.raises(ValueError, match="finite"):
        gb3095.exceedance("PM2.5", "day", float("nan"), date(2026, 1, 1))
