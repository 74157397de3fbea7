"""Which district a place belongs to: a district named in an address, or the district polygon
a point lies in."""

from __future__ import annotations

import pytest

from dispatch_app.domain.districts import District, district_at, district_named_in


@pytest.mark.parametrize(
    ("address", "district"),
    [
        ("常州市武进区湖塘镇人民路8号", District.WUJIN),
        ("溧阳市天目湖镇", District.LIYANG),
        ("经开区横林镇某厂", District.JINGKAI),
        ("常州经济开发区遥观镇", District.JINGKAI),
        ("钟楼区北港街道，靠近天宁区", District.ZHONGLOU),  # the first one named
        ("湖塘镇人民路8号", None),
        ("", None),
    ],
)
def test_district_named_in_an_address(address: str, district: District | None) -> None:
    assert district_named_in(address) is district


def test_district_at_a_point_from_polygons_with_holes() -> None:
    square = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0))
    hole = ((4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0))
    inner = ((4.5, 4.5), (5.5, 4.5), (5.5, 5.5), (4.5, 5.5), (4.5, 4.5))
    areas = [("wujin", [(square, hole)]), ("tianning", [(inner,)])]
    assert district_at(1.0, 1.0, areas) is District.WUJIN
    assert district_at(5.0, 5.0, areas) is District.TIANNING  # in the hole, inside the other
    assert district_at(4.2, 4.2, areas) is None  # in the hole only
    assert district_at(11.0, 1.0, areas) is None
    assert district_at(1.0, 1.0, [("nowhere", [(square,)])]) is None  # not a district code


def test_a_case_without_a_district_is_refused_by_name() -> None:
    from dispatch_app.domain.cases import CaseDraft, CaseKind, validate_draft
    from dispatch_app.domain.errors import ValidationError

    for nothing in (None, ""):
        with pytest.raises(ValidationError) as refused:
            validate_draft(CaseDraft(CaseKind.QUALITY, "河水发黑", nothing))  # type: ignore[arg-type]
        assert refused.value.field == "district"
        assert refused.value.message("zh") == "请选择所属辖区"
        assert refused.value.message("en") == "choose the district"
