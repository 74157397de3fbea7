"""The seven districts of Changzhou with their codes from docs/contracts.md, and how a place
is assigned to one: by a district named in an address, or by the district polygon a point lies
in (the basemap's polygons, passed in: this module reads no files)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum


class District(StrEnum):
    LIYANG = "liyang"
    JINTAN = "jintan"
    WUJIN = "wujin"
    XINBEI = "xinbei"
    TIANNING = "tianning"
    ZHONGLOU = "zhonglou"
    JINGKAI = "jingkai"

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def name_en(self) -> str:
        return _EN[self]


_ZH = {
    District.LIYANG: "溧阳",
    District.JINTAN: "金坛",
    District.WUJIN: "武进",
    District.XINBEI: "新北",
    District.TIANNING: "天宁",
    District.ZHONGLOU: "钟楼",
    District.JINGKAI: "经开区",
}
_EN = {
    District.LIYANG: "Liyang",
    District.JINTAN: "Jintan",
    District.WUJIN: "Wujin",
    District.XINBEI: "Xinbei",
    District.TIANNING: "Tianning",
    District.ZHONGLOU: "Zhonglou",
    District.JINGKAI: "Economic Development Zone",
}


Ring = Sequence[tuple[float, float]]
Polygon = Sequence[Ring]  # outer ring, then holes

# How addresses name each district. 经开区 (the economic development zone) lies inside 武进 but
# has its own enforcement branch: an address naming it belongs to it.
_ADDRESS_NAMES: dict[District, tuple[str, ...]] = {
    District.LIYANG: ("溧阳",),
    District.JINTAN: ("金坛",),
    District.WUJIN: ("武进",),
    District.XINBEI: ("新北",),
    District.TIANNING: ("天宁",),
    District.ZHONGLOU: ("钟楼",),
    District.JINGKAI: ("经开区", "经济开发区", "经济技术开发区"),
}


def district_named_in(address: str) -> District | None:
    """The district an address names; with several, the first one written (addresses go from
    the larger place to the smaller: 武进区湖塘镇…)."""
    best: tuple[int, District] | None = None
    for district, names in _ADDRESS_NAMES.items():
        for name in names:
            at = address.find(name)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, district)
    return None if best is None else best[1]


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def district_at(
    lon: float, lat: float, areas: Iterable[tuple[str, Sequence[Polygon]]]
) -> District | None:
    """The district whose polygons hold the point (code, polygons per district, e.g. from the
    basemap); None outside all of them. The basemap has no polygon of its own for 经开区 (it
    lies within 武进), so a point there comes out as 武进."""
    for code, polygons in areas:
        for polygon in polygons:
            if not polygon:
                continue
            if _in_ring(lon, lat, polygon[0]) and not any(
                _in_ring(lon, lat, hole) for hole in polygon[1:]
            ):
                try:
                    return District(code)
                except ValueError:
                    return None
    return None
