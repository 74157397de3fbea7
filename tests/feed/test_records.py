"""Strict validation of the wire format: each malformed body names its fault."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.feed.records import (
    WireFormatError,
    parse_health,
    parse_latest,
    parse_series,
    parse_stations,
    parse_time,
    parse_updates,
)
from tests.feed.fault_server import STATION


def test_the_shipped_registry_parses(resources_dir: Path) -> None:
    stations = parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))
    assert len(stations) == 360
    water = [s for s in stations if s.kind.startswith("water")]
    assert all(s.target_class in range(1, 6) for s in water)
    assert all(s.unit_of(s.parameters[0].key) == s.parameters[0].unit for s in stations)


def _station(**changes: Any) -> dict[str, Any]:
    st = copy.deepcopy(STATION)
    for key, value in changes.items():
        if value is KeyError:
            del st[key]
        else:
            st[key] = value
    return st


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ([], "expected an object"),
        ({"stations": {}}, "expected a list"),
        ({"stations": [_station(id=KeyError)]}, "missing field 'id'"),
        ({"stations": [_station(interval_s=0)]}, "must be positive"),
        ({"stations": [_station(interval_s="60")]}, "expected an integer"),
        ({"stations": [_station(target_class=6)]}, "target_class"),
        ({"stations": [_station(lon="119.9")]}, "finite number"),
        ({"stations": [_station(parameters=[{"key": "PM2.5"}])]}, "missing field 'code'"),
        ({"stations": [_station(downstream="W-1")]}, "downstream"),
        ({"stations": [_station(), _station()]}, "duplicate station id"),
    ],
)
def test_bad_registry_bodies(body: Any, words: str) -> None:
    with pytest.raises(WireFormatError, match=words):
        parse_stations(body)


def _item(seq: int, **changes: Any) -> dict[str, Any]:
    item = {
        "seq": seq,
        "station": "AQ-N-01",
        "parameter": "PM2.5",
        "time": "2026-11-28T14:00:00+08:00",
        "value": 12.5,
        "flag": "N",
    }
    item.update(changes)
    return item


@pytest.mark.parametrize(
    ("body", "after", "words"),
    [
        ({"cursor": 1, "more": False}, 0, "missing field 'items'"),
        ({"cursor": 1, "more": "no", "items": [_item(1)]}, 0, "expected a boolean"),
        ({"cursor": 2, "more": False, "items": [_item(1)]}, 0, "not the last item's seq"),
        ({"cursor": 7, "more": False, "items": []}, 5, "with no items"),
        ({"cursor": 5, "more": False, "items": [_item(5)]}, 5, "not after 5"),
        ({"cursor": 1, "more": False, "items": [_item(1, value=True)]}, 0, "finite number"),
        ({"cursor": 1, "more": False, "items": [_item(1, value=float("nan"))]}, 0, "finite"),
        (
            {"cursor": 1, "more": False, "items": [{**_item(1), "seq": 1.0}]},
            0,
            "expected an integer",
        ),
        ({"cursor": 1, "more": False, "items": [_item(1, time="yesterday")]}, 0, "ISO 8601"),
        (
            {"cursor": 1, "more": False, "items": [_item(1, flag=None)]},
            0,
            "flag: expected a string",
        ),
        ({"cursor": 1, "more": False, "items": [{**_item(1), "value": None}]}, 0, None),
    ],
)
def test_updates_pages(body: Any, after: int, words: str | None) -> None:
    if words is None:
        page = parse_updates(body, after)
        assert page.items[0].value is None
        return
    with pytest.raises(WireFormatError, match=words):
        parse_updates(body, after)


def test_missing_value_is_not_null() -> None:
    item = _item(1)
    del item["value"]
    with pytest.raises(WireFormatError, match="missing field 'value'"):
        parse_updates({"cursor": 1, "more": False, "items": [item]}, 0)


def test_times_are_converted_to_utc_and_need_an_offset() -> None:
    t = parse_time("2026-11-28T14:00:00+08:00", "x")
    assert (t.hour, t.utcoffset()) == (6, t.utcoffset())
    assert t.utcoffset() is not None and t.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    with pytest.raises(WireFormatError, match="without an offset"):
        parse_time("2026-11-28T14:00:00", "x")


def test_other_bodies() -> None:
    health = parse_health(
        {
            "status": "ok",
            "version": "1",
            "stations": 360,
            "last_ingest": None,
            "cursor": 3,
            "started": "2026-11-28T08:00:00+08:00",
        }
    )
    assert health.cursor == 3 and health.last_ingest is None
    with pytest.raises(WireFormatError, match="cursor"):
        parse_latest({"cursor": -1, "items": []})
    series = parse_series(
        {
            "station": "W-1",
            "parameter": "TP",
            "unit": "mg/L",
            "resolution": "hour",
            "truncated": False,
            "points": [{"time": "2026-11-28T14:00:00+08:00", "value": None, "flag": "H"}],
        }
    )
    assert series.points[0].flag == "H"
    with pytest.raises(WireFormatError, match="count"):
        parse_series(
            {
                "station": "W-1",
                "parameter": "TP",
                "unit": "mg/L",
                "resolution": "hour",
                "truncated": False,
                "points": [
                    {"time": "2026-11-28T14:00:00+08:00", "value": 1, "flag": "N", "count": "3"}
                ],
            }
        )
