"""The center's time zone: China Standard Time, UTC+8, for every clock, day and period.

HJ 212 stamps data in local time, HJ 663 and GB 3095 count hours and days from local midnight,
deadlines end at local midnight, and the control room's clocks show local time: all of it is the
center's zone, Asia/Shanghai, which has kept UTC+8 without daylight saving since 1991. A fixed
offset is therefore exact for every time the desk deals with, and cheaper to apply than a tz
database lookup on the data service's hot paths.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Final

#: The zone's name in the tz database (for Qt's QTimeZone and for texts).
CENTER_TZ_NAME: Final = "Asia/Shanghai"
#: Seconds east of UTC.
CENTER_UTC_OFFSET_S: Final = 8 * 3600
CENTER_TZ: Final = timezone(timedelta(seconds=CENTER_UTC_OFFSET_S), "CST")
