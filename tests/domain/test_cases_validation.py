"""Case fields: every bad input gets a clear error naming the field."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from dispatch_app.domain.cases import (
    MAX_TITLE,
    CaseDraft,
    CaseKind,
    CaseSource,
    Priority,
    Status,
    validate_draft,
    validate_note,
)
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import ValidationError

GOOD = CaseDraft(
    kind=CaseKind.VIOLATION,
    title="  武进区某化工企业夜间偷排废水 ",
    district=District.WUJIN,
    priority=Priority.P2,
    source=CaseSource.HOTLINE_12369,
    description="群众举报夜间有异味废水排入武南河",
    address="武进区湖塘镇某路",
    lon=119.95,
    lat=31.70,
    enterprise_name="常州某化工有限公司",
    credit_code=None,  # filled in by _good() with a computed check character
)


def _good() -> CaseDraft:
    from dispatch_app.domain.credit_code import make_credit_code

    return replace(GOOD, credit_code=make_credit_code("91320412MA1MQ8N4X").lower())


def test_good_draft_is_normalised() -> None:
    clean = validate_draft(_good())
    assert clean.title == "武进区某化工企业夜间偷排废水"
    assert clean.credit_code is not None and clean.credit_code.isupper()
    assert clean.kind is CaseKind.VIOLATION and clean.district is District.WUJIN


def test_kinds_and_statuses_have_both_names() -> None:
    for kind in CaseKind:
        assert kind.name_zh and kind.name_en
    for status in Status:
        assert status.name_zh and status.name_en
    assert CaseKind.EMERGENCY.name_zh == "突发环境事件"


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"title": ""}, "title", "error.field_empty"),
        ({"title": "   "}, "title", "error.field_empty"),
        ({"title": "长" * (MAX_TITLE + 1)}, "title", "error.field_too_long"),
        ({"description": "x" * 10_001}, "description", "error.field_too_long"),
        ({"address": "x" * 301}, "address", "error.field_too_long"),
        ({"district": "nanjing"}, "district", "error.field_choice"),
        ({"priority": "P0"}, "priority", "error.field_choice"),
        ({"source": "rumour"}, "source", "error.field_choice"),
        ({"lon": 31.7, "lat": 119.95}, "lon", "error.coordinate_outside"),  # swapped
        ({"lon": 116.4, "lat": 39.9}, "lon", "error.coordinate_outside"),  # Beijing
        ({"lon": 119.95, "lat": 30.0}, "lat", "error.coordinate_outside"),
        ({"lon": 119.95, "lat": None}, "lat", "error.coordinates_incomplete"),
        ({"lon": math.nan, "lat": 31.7}, "lon", "error.coordinate_not_number"),
        ({"lon": "119.9", "lat": 31.7}, "lon", "error.coordinate_not_number"),
        ({"enterprise_name": ""}, "enterprise_name", "error.field_empty"),
        ({"credit_code": ""}, "credit_code", "error.field_empty"),
        ({"credit_code": "91320412MA1MQ8N4XZ"}, "credit_code", "error.credit_code_invalid"),
        ({"details": {"emergency_level": "V"}}, "emergency_level", "error.field_choice"),
        ({"details": {"blob": "x" * 70_000}}, "details", "error.field_too_long"),
        ({"details": {"when": object()}}, "details", "error.details_not_json"),
    ],
)
def test_bad_fields_are_named(changes: dict[str, object], field: str, key: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_draft(replace(_good(), **changes))  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.key == key
    assert info.value.message("zh") and info.value.message("en")


def test_coordinates_on_the_boundary_with_margin_are_accepted() -> None:
    # Liyang's south-west corner and Jintan's west edge lie near 119.1 °E / 31.2 °N.
    clean = validate_draft(replace(_good(), lon=119.08, lat=31.16))
    assert (clean.lon, clean.lat) == (119.08, 31.16)


def test_other_kinds_need_no_enterprise() -> None:
    draft = CaseDraft(kind=CaseKind.PETITION, title="居民反映夜间噪声扰民", district="tianning")  # type: ignore[arg-type]
    clean = validate_draft(draft)
    assert clean.enterprise_name is None and clean.credit_code is None
    assert clean.district is District.TIANNING


def test_note_validation() -> None:
    with pytest.raises(ValidationError) as info:
        validate_note("")
    assert info.value.field == "note"
    assert validate_note(" 已电话联系 ") == "已电话联系"
