"""Emergency monitoring tasks (应急监测任务): which station, which parameters, how often, by
whom; tracked by when the next sample is due.

A task is due ``interval_min`` after its last sample (or after it was assigned); an open task
past that time is overdue. Samples are recorded on the coordination log as data readings, so
the after-action review sees them in time order with everything else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from dispatch_app.domain.errors import IllegalTransition, ValidationError

MIN_INTERVAL_MIN = 5
MAX_INTERVAL_MIN = 24 * 60


class TaskStatus(StrEnum):
    ON_TIME = "on_time"
    OVERDUE = "overdue"
    ENDED = "ended"


@dataclass(frozen=True)
class MonitoringTask:
    station: str
    parameters: tuple[str, ...]
    interval_min: int
    unit_id: str
    assigned_at: datetime
    last_sample_at: datetime | None = None
    samples: int = 0
    ended_at: datetime | None = None
    end_reason: str | None = None

    @property
    def next_due_at(self) -> datetime:
        base = self.last_sample_at or self.assigned_at
        return base + timedelta(minutes=self.interval_min)

    def status(self, now: datetime) -> TaskStatus:
        if self.ended_at is not None:
            return TaskStatus.ENDED
        return TaskStatus.OVERDUE if now > self.next_due_at else TaskStatus.ON_TIME


def validate_task(
    station: str,
    parameters: Iterable[str],
    interval_min: Any,
    unit_id: str,
    *,
    station_parameters: Mapping[str, Iterable[str]],
    unit_ids: Iterable[str],
) -> tuple[str, tuple[str, ...], int, str]:
    """Check a task against the registry (the station measures the parameters) and the
    unit registry; returns the cleaned fields."""
    if station not in station_parameters:
        raise ValidationError(
            "station",
            "error.unknown_station",
            f"unknown station {station!r}",
            f"未知站点“{station}”",
        )
    measured = set(station_parameters[station])
    params = tuple(dict.fromkeys(parameters))
    if not params:
        raise ValidationError(
            "parameters",
            "error.no_parameters",
            "name at least one parameter",
            "至少选择一个监测项目",
        )
    missing = [p for p in params if p not in measured]
    if missing:
        raise ValidationError(
            "parameters",
            "error.parameter_not_measured",
            f"{station} does not measure {missing[0]!r}",
            f"站点{station}不监测“{missing[0]}”",
        )
    if (
        isinstance(interval_min, bool)
        or not isinstance(interval_min, int)
        or not MIN_INTERVAL_MIN <= interval_min <= MAX_INTERVAL_MIN
    ):
        raise ValidationError(
            "interval_min",
            "error.bad_interval",
            f"interval must be {MIN_INTERVAL_MIN}..{MAX_INTERVAL_MIN} minutes, got {interval_min!r}",
            f"监测频次须在{MIN_INTERVAL_MIN}到{MAX_INTERVAL_MIN}分钟之间",
        )
    if unit_id not in set(unit_ids):
        raise ValidationError(
            "unit", "error.unknown_unit", f"unknown unit {unit_id!r}", f"未知单位“{unit_id}”"
        )
    return station, params, interval_min, unit_id


def validate_sample(task: MonitoringTask, values: Mapping[str, Any]) -> dict[str, float]:
    """A sample names only the task's parameters, each a finite number."""
    if task.ended_at is not None:
        raise IllegalTransition(
            "error.task_ended", "the monitoring task has ended", "该监测任务已结束"
        )
    if not values:
        raise ValidationError(
            "values", "error.no_values", "the sample has no values", "监测结果为空"
        )
    out: dict[str, float] = {}
    for key, value in values.items():
        if key not in task.parameters:
            raise ValidationError(
                "values",
                "error.parameter_not_in_task",
                f"{key!r} is not a parameter of this task",
                f"“{key}”不在本任务监测项目中",
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValidationError(
                "values", "error.bad_value", f"{key}: not a number", f"“{key}”的数值无效"
            )
        if value < 0 and key not in ("water_temp", "temp"):
            raise ValidationError(
                "values", "error.bad_value", f"{key}: negative value {value}", f"“{key}”不能为负"
            )
        out[key] = float(value)
    return out
