"""How much data an average needs to be valid: GB 3095—2026 Table 4 (污染物浓度数据有效性的最低要求,
kept from GB 3095—2012 §8) as HJ 663—2013 applies it (REFERENCE.md §10).

An average that falls short is reported as invalid (its figure shown, marked), never silently.
Every place that applies these rules (the data service's stored averages, the alarm rules, the
desk's indicators, the wall's trailing-hour ranking) takes them from here.
"""

from __future__ import annotations

from typing import Final

#: A 1-hour average needs at least 45 minutes of data in the hour.
HOUR_MIN_VALID_MINUTES: Final = 45
HOUR_MIN_VALID_S: Final = HOUR_MIN_VALID_MINUTES * 60
#: The same as the share of an hour's expected samples (45 of 60 minutes).
HOUR_COVERAGE: Final = HOUR_MIN_VALID_MINUTES / 60
#: A 24-hour average needs at least 20 hourly averages of the (natural, CST) day.
DAY_MIN_VALID_HOURS: Final = 20
#: An 8-hour average needs at least 6 hourly averages of its 8 hours.
EIGHT_HOUR_MIN_VALID_HOURS: Final = 6
#: The O3 daily maximum 8-hour average needs at least 14 valid windows of its 17.
O3_8H_MIN_VALID_WINDOWS: Final = 14
