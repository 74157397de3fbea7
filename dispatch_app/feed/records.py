"""Typed records of the data-service JSON (docs/contracts.md, API v1) and their strict validation.

The desk trusts nothing that comes over the wire: every body is checked field by field here,
in the client's worker thread, so the poller and the UI only ever see well-formed records. A body
that does not match the contract raises `WireFormatError` naming the first offending field; the
client turns it into a `DataServiceBadResponse`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from dispatch_app.network.observations import Observation
from dispatch_app.network.registry import Station, StationParameter
from dispatch_app.network.reporting import (
    Reporting,
    ReportingError,
    default_reporting,
    reporting_from_json,
)

__all__ = [
    "Health",
    "LatestSnapshot",
    "Observation",
    "Series",
    "SeriesPoint",
    "Station",
    "StationParameter",
    "UpdatesPage",
    "WireFormatError",
    "parse_health",
    "parse_latest",
    "parse_series",
    "parse_stations",
    "parse_time",
    "parse_updates",
]


class WireFormatError(ValueError):
    """A JSON body that does not have the shape the contract promises."""


@dataclass(frozen=True, slots=True)
class LatestSnapshot:
    """The answer of /latest: the cursor it is consistent with and the latest observations."""

    cursor: int
    items: tuple[Observation, ...]


@dataclass(frozen=True, slots=True)
class UpdatesPage:
    """One page of /updates: items strictly after the requested cursor, in seq order."""

    after: int
    cursor: int
    more: bool
    items: tuple[Observation, ...]


@dataclass(frozen=True, slots=True)
class Health:
    status: str
    version: str
    stations: int
    last_ingest: datetime | None
    cursor: int
    started: datetime


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    time: datetime
    value: float | None
    flag: str
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Series:
    station: str
    parameter: str
    unit: str
    resolution: str
    truncated: bool
    points: tuple[SeriesPoint, ...] = field(default_factory=tuple)


# --- field checks --------------------------------------------------------------------------


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WireFormatError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _list(body: dict[str, Any], key: str, where: str) -> list[Any]:
    value = _req(body, key, where)
    if not isinstance(value, list):
        raise WireFormatError(f"{where}.{key}: expected a list, got {type(value).__name__}")
    return value


def _req(body: dict[str, Any], key: str, where: str) -> Any:
    try:
        return body[key]
    except KeyError:
        raise WireFormatError(f"{where}: missing field {key!r}") from None


def _str(body: dict[str, Any], key: str, where: str, *, optional: bool = False) -> str:
    value = body.get(key) if optional else _req(body, key, where)
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise WireFormatError(f"{where}.{key}: expected a string, got {type(value).__name__}")
    return value


def _opt_str(body: dict[str, Any], key: str, where: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise WireFormatError(f"{where}.{key}: expected a string or null")
    return value


def _int(body: dict[str, Any], key: str, where: str) -> int:
    value = _req(body, key, where)
    # bool is an int in Python; on the wire it is a different type.
    if not isinstance(value, int) or isinstance(value, bool):
        raise WireFormatError(f"{where}.{key}: expected an integer, got {value!r}")
    return value


def _bool(body: dict[str, Any], key: str, where: str) -> bool:
    value = _req(body, key, where)
    if not isinstance(value, bool):
        raise WireFormatError(f"{where}.{key}: expected a boolean, got {value!r}")
    return value


def _number(body: dict[str, Any], key: str, where: str) -> float:
    value = _req(body, key, where)
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise WireFormatError(f"{where}.{key}: expected a finite number, got {value!r}")
    return float(value)


def _opt_number(body: dict[str, Any], key: str, where: str) -> float | None:
    if body.get(key) is None:
        if key not in body:
            raise WireFormatError(f"{where}: missing field {key!r}")
        return None
    return _number(body, key, where)


def parse_time(text: Any, where: str) -> datetime:
    """ISO 8601 with an offset, as the contract requires; returned as aware UTC."""
    if not isinstance(text, str):
        raise WireFormatError(f"{where}: expected an ISO 8601 time string, got {text!r}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise WireFormatError(f"{where}: not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time is ambiguous (UTC? Beijing?); guessing would shift data by 8 hours.
        raise WireFormatError(f"{where}: time without an offset: {text!r}")
    return moment.astimezone(UTC)


def _opt_time(body: dict[str, Any], key: str, where: str) -> datetime | None:
    value = body.get(key)
    return None if value is None else parse_time(value, f"{where}.{key}")


# --- bodies --------------------------------------------------------------------------------


def parse_health(body: Any) -> Health:
    b = _obj(body, "health")
    return Health(
        status=_str(b, "status", "health"),
        version=_str(b, "version", "health"),
        stations=_int(b, "stations", "health"),
        last_ingest=_opt_time(b, "last_ingest", "health"),
        cursor=_int(b, "cursor", "health"),
        started=parse_time(_req(b, "started", "health"), "health.started"),
    )


def _parse_station(
    raw: Any, where: str, kind_reporting: dict[str, Reporting] | None = None
) -> Station:
    s = _obj(raw, where)
    params_raw = _list(s, "parameters", where)
    params = []
    for i, p in enumerate(params_raw):
        pw = f"{where}.parameters[{i}]"
        po = _obj(p, pw)
        params.append(
            StationParameter(
                key=_str(po, "key", pw), code=_str(po, "code", pw), unit=_str(po, "unit", pw)
            )
        )
    interval = _int(s, "interval_s", where)
    if interval <= 0:
        raise WireFormatError(f"{where}.interval_s: must be positive, got {interval}")
    target = s.get("target_class")
    if target is not None and (
        not isinstance(target, int) or isinstance(target, bool) or not 1 <= target <= 5
    ):
        raise WireFormatError(f"{where}.target_class: expected 1–5 or null, got {target!r}")
    downstream = s.get("downstream") or []
    if not isinstance(downstream, list) or not all(isinstance(d, str) for d in downstream):
        raise WireFormatError(f"{where}.downstream: expected a list of station ids")
    sample = s.get("sample", False)
    if not isinstance(sample, bool):
        raise WireFormatError(f"{where}.sample: expected a boolean")
    kind = _str(s, "kind", where)
    # The station's own rules (the service resolves them), else its kind's from the document,
    # else the defaults: a service that says nothing still gets its stations judged sensibly.
    kind_rules = (kind_reporting or {}).get(kind) or default_reporting(kind)
    try:
        rules = reporting_from_json(
            s.get("reporting", {}), where, replace(kind_rules, interval_s=interval)
        )
    except ReportingError as exc:
        raise WireFormatError(str(exc)) from None
    return Station(
        id=_str(s, "id", where),
        mn=_str(s, "mn", where),
        name=_str(s, "name", where),
        name_en=_str(s, "name_en", where, optional=True),
        kind=kind,
        district=_str(s, "district", where),
        lon=_number(s, "lon", where),
        lat=_number(s, "lat", where),
        interval_s=interval,
        sample=sample,
        parameters=tuple(params),
        target_class=target,
        waterbody=_opt_str(s, "waterbody", where),
        river=_opt_str(s, "river", where),
        downstream=tuple(downstream),
        reporting=rules,
    )


def _kind_reporting(b: dict[str, Any]) -> dict[str, Reporting]:
    """A registry document's per-kind ``reporting`` block (absent in the API answer, whose
    stations carry their resolved rules each)."""
    raw = b.get("reporting")
    if raw is None:
        return {}
    block = _obj(raw, "stations.reporting")
    try:
        return {
            str(kind): reporting_from_json(entry, f"stations.reporting.{kind}")
            for kind, entry in block.items()
        }
    except ReportingError as exc:
        raise WireFormatError(str(exc)) from None


def parse_stations(body: Any) -> tuple[Station, ...]:
    """The /stations answer, or a registry document (resources/stations.json)."""
    b = _obj(body, "stations")
    kinds = _kind_reporting(b)
    stations = tuple(
        _parse_station(raw, f"stations[{i}]", kinds)
        for i, raw in enumerate(_list(b, "stations", "stations"))
    )
    seen: set[str] = set()
    for st in stations:
        if st.id in seen:
            raise WireFormatError(f"stations: duplicate station id {st.id!r}")
        seen.add(st.id)
    return stations


# Observation times repeat across a page (every station reports the same minute), so parsing is
# cached per string; the cache is bounded and simply cleared when full.
_TIME_CACHE: dict[str, datetime] = {}
_TIME_CACHE_MAX = 20_000


def _cached_time(text: Any, where: str) -> datetime:
    if type(text) is str:
        cached = _TIME_CACHE.get(text)
        if cached is not None:
            return cached
    moment = parse_time(text, where)
    if len(_TIME_CACHE) >= _TIME_CACHE_MAX:
        _TIME_CACHE.clear()
    _TIME_CACHE[text] = moment
    return moment


def _parse_observation(raw: Any, where: str, *, with_seq: bool) -> Observation:
    """Hot path (a catch-up parses hundreds of thousands): exact type checks inline, and the
    field-by-field helpers only to name the fault once something is wrong."""
    if type(raw) is dict:
        station = raw.get("station")
        parameter = raw.get("parameter")
        value = raw.get("value", _MISSING)
        flag = raw.get("flag")
        seq = raw.get("seq") if with_seq else None
        if (
            type(station) is str
            and type(parameter) is str
            and type(flag) is str
            and (type(value) is float or value is None or type(value) is int)
            and (not with_seq or type(seq) is int)
            and (value is None or math.isfinite(value))
        ):
            return Observation(
                station,
                parameter,
                _cached_time(raw.get("time"), f"{where}.time"),
                None if value is None else float(value),
                flag,
                seq,
            )
    # Slow path: find and name the offending field.
    o = _obj(raw, where)
    return Observation(
        station=_str(o, "station", where),
        parameter=_str(o, "parameter", where),
        time=parse_time(_req(o, "time", where), f"{where}.time"),
        value=_opt_number(o, "value", where),
        flag=_str(o, "flag", where),
        seq=_int(o, "seq", where) if with_seq else None,
    )


_MISSING = object()


def parse_latest(body: Any) -> LatestSnapshot:
    b = _obj(body, "latest")
    items = tuple(
        _parse_observation(raw, f"latest.items[{i}]", with_seq=False)
        for i, raw in enumerate(_list(b, "items", "latest"))
    )
    cursor = _int(b, "cursor", "latest")
    if cursor < 0:
        raise WireFormatError(f"latest.cursor: negative ({cursor})")
    return LatestSnapshot(cursor=cursor, items=items)


def parse_updates(body: Any, after: int, limit: int | None = None) -> UpdatesPage:
    """Checks the page against the request too: the gap-and-duplicate guarantee rests on it."""
    b = _obj(body, "updates")
    items = tuple(
        _parse_observation(raw, f"updates.items[{i}]", with_seq=True)
        for i, raw in enumerate(_list(b, "items", "updates"))
    )
    cursor = _int(b, "cursor", "updates")
    more = _bool(b, "more", "updates")
    previous = after
    for i, item in enumerate(items):
        assert item.seq is not None
        if item.seq <= previous:
            raise WireFormatError(
                f"updates.items[{i}].seq: {item.seq} is not after {previous} "
                "(items must be strictly increasing and after the cursor)"
            )
        previous = item.seq
    if items and cursor != previous:
        raise WireFormatError(f"updates.cursor: {cursor} is not the last item's seq {previous}")
    if not items and cursor != after:
        raise WireFormatError(f"updates.cursor: {cursor} with no items (expected {after})")
    if limit is not None and len(items) > limit:
        raise WireFormatError(f"updates: {len(items)} items, more than the limit {limit}")
    return UpdatesPage(after=after, cursor=cursor, more=more, items=items)


def parse_series(body: Any) -> Series:
    b = _obj(body, "series")
    points = []
    for i, raw in enumerate(_list(b, "points", "series")):
        where = f"series.points[{i}]"
        p = _obj(raw, where)
        count = p.get("count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            raise WireFormatError(f"{where}.count: expected an integer")
        points.append(
            SeriesPoint(
                time=parse_time(_req(p, "time", where), f"{where}.time"),
                value=_opt_number(p, "value", where),
                flag=_str(p, "flag", where),
                count=count,
            )
        )
    return Series(
        station=_str(b, "station", "series"),
        parameter=_str(b, "parameter", "series"),
        unit=_str(b, "unit", "series"),
        resolution=_str(b, "resolution", "series"),
        truncated=_bool(b, "truncated", "series"),
        points=tuple(points),
    )
