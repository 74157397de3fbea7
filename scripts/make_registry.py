"""Generate the sample station registry resources/stations.json (docs/contracts.md format).

The seed article (REFERENCE.md §1) gives the size of Changzhou's monitoring network but names
only a handful of its members: the air stations 安家 and 行政中心, the national water section
五牧, and the lakes 竺山湖, 滆湖 and 长荡湖. Everything else here is sample data, marked
``"sample": true`` so that nobody mistakes it for the real network: township and section names
are real place and river names of Changzhou, but the stations, their positions and their MNs are
invented.

Deterministic: the same script and the same basemap give byte-identical output (a seeded
``random.Random``, never the global generator). Positions are placed inside the district's
polygon from resources/basemap/changzhou_districts.geojson, so every station lands on the map in
the district it claims. The 经开区 has no polygon of its own (it was carved out of 武进); its
stations are placed in the eastern part of 武进's polygon.

Run::

    .venv/bin/python scripts/make_registry.py            # writes resources/stations.json
    .venv/bin/python scripts/make_registry.py --check    # exits 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dispatch_app.network.reporting import DEFAULT_REPORTING

ROOT = Path(__file__).resolve().parent.parent
BASEMAP = ROOT / "dispatch_app" / "resources" / "basemap" / "changzhou_districts.geojson"
OUT = ROOT / "dispatch_app" / "resources" / "stations.json"
SEED = 20261128

# The city's rough extent; every station must fall inside it (and inside its district).
BOUNDS = (119.13, 120.21, 31.15, 32.06)  # lon_min, lon_max, lat_min, lat_max

DISTRICTS = ("liyang", "jintan", "wujin", "xinbei", "tianning", "zhonglou", "jingkai")
DISTRICT_ABBR = {
    "liyang": "LY",
    "jintan": "JT",
    "wujin": "WJ",
    "xinbei": "XB",
    "tianning": "TN",
    "zhonglou": "ZL",
    "jingkai": "JK",
}
# 经开区: the eastern part of 武进's polygon (横林, 遥观, 横山桥, 潞城, 戚墅堰, 丁堰).
JINGKAI_BOX = (120.02, 120.21, 31.66, 31.81)


# Parameter keys, HJ 212 codes and ambient units (docs/contracts.md "Names").
PARAMS: dict[str, tuple[str, str]] = {
    "PM2.5": ("a34004", "µg/m³"),
    "PM10": ("a34002", "µg/m³"),
    "SO2": ("a21026", "µg/m³"),
    "NO2": ("a21004", "µg/m³"),
    "CO": ("a21005", "mg/m³"),
    "O3": ("a05024", "µg/m³"),
    "temp": ("a01001", "°C"),
    "humidity": ("a01002", "%"),
    "wind_speed": ("a01007", "m/s"),
    "wind_dir": ("a01008", "°"),
    "pH": ("w01001", "dimensionless"),
    "DO": ("w01009", "mg/L"),
    "water_temp": ("w01010", "°C"),
    "conductivity": ("w01014", "µS/cm"),
    "CODMn": ("w01019", "mg/L"),
    "NH3-N": ("w21003", "mg/L"),
    "TP": ("w21011", "mg/L"),
    "TN": ("w21001", "mg/L"),
}
AIR_POLLUTANTS = ("PM2.5", "PM10", "SO2", "NO2", "CO", "O3")
METEOROLOGY = ("temp", "humidity", "wind_speed", "wind_dir")
WATER_RIVER = ("pH", "DO", "CODMn", "NH3-N", "TP", "water_temp", "conductivity")
WATER_LAKE = ("pH", "DO", "CODMn", "NH3-N", "TP", "TN", "water_temp", "conductivity")

KIND_CODE = {
    "air_national": "AQN",
    "air_provincial": "AQP",
    "air_township": "AQT",
    "air_grid": "AQG",
    "water_national": "WQN",
    "water_provincial": "WQP",
    "water_boundary": "WQB",
}
KIND_ID = {
    "air_national": ("AQ-N", 2),
    "air_provincial": ("AQ-P", 2),
    "air_township": ("AQ-T", 3),
    "air_grid": ("AQ-G", 3),
    "water_national": ("WQ-N", 2),
    "water_provincial": ("WQ-P", 2),
    "water_boundary": ("WQ-B", 2),
}
EXPECTED_COUNTS = {
    "air_national": 8,
    "air_provincial": 4,
    "air_township": 62,
    "air_grid": 208,
    "water_national": 20,
    "water_provincial": 31,
    "water_boundary": 27,
}

# name, name_en, district, lon, lat, named in the seed?
AIR_NATIONAL = [
    ("安家", "Anjia", "xinbei", 119.93, 31.85, True),
    ("行政中心", "Administrative Centre", "xinbei", 119.974, 31.812, True),
    ("清潭", "Qingtan", "zhonglou", 119.925, 31.775, False),
    ("红梅", "Hongmei", "tianning", 119.985, 31.790, False),
    ("湖塘", "Hutang", "wujin", 119.955, 31.705, False),
    ("戚墅堰", "Qishuyan", "jingkai", 120.065, 31.735, False),
    ("金坛城区", "Jintan City", "jintan", 119.575, 31.745, False),
    ("溧阳城区", "Liyang City", "liyang", 119.485, 31.425, False),
]
AIR_PROVINCIAL = [
    ("孟河", "Menghe", "xinbei", 119.85, 32.00, False),
    ("雪堰", "Xueyan", "wujin", 120.08, 31.52, False),
    ("薛埠", "Xuebu", "jintan", 119.42, 31.70, False),
    ("天目湖", "Tianmuhu", "liyang", 119.44, 31.32, False),
]
TOWNSHIPS: dict[str, list[tuple[str, str]]] = {
    "liyang": [
        ("天目湖镇", "Tianmuhu"),
        ("社渚镇", "Shezhu"),
        ("南渡镇", "Nandu"),
        ("上兴镇", "Shangxing"),
        ("竹箦镇", "Zhuze"),
        ("戴埠镇", "Daibu"),
        ("上黄镇", "Shanghuang"),
        ("埭头镇", "Daitou"),
        ("别桥镇", "Bieqiao"),
        ("溧城街道", "Licheng"),
    ],
    "jintan": [
        ("薛埠镇", "Xuebu"),
        ("直溪镇", "Zhixi"),
        ("朱林镇", "Zhulin"),
        ("指前镇", "Zhiqian"),
        ("儒林镇", "Rulin"),
        ("尧塘街道", "Yaotang"),
        ("金城镇", "Jincheng"),
        ("东城街道", "Dongcheng"),
        ("西城街道", "Xicheng"),
    ],
    "wujin": [
        ("湖塘镇", "Hutang"),
        ("牛塘镇", "Niutang"),
        ("洛阳镇", "Luoyang"),
        ("雪堰镇", "Xueyan"),
        ("前黄镇", "Qianhuang"),
        ("礼嘉镇", "Lijia"),
        ("嘉泽镇", "Jiaze"),
        ("湟里镇", "Huangli"),
        ("南夏墅街道", "Nanxiashu"),
        ("西湖街道", "Xihu"),
        ("卢家巷街道", "Lujiaxiang"),
        ("漕桥", "Caoqiao"),
    ],
    "xinbei": [
        ("孟河镇", "Menghe"),
        ("薛家镇", "Xuejia"),
        ("罗溪镇", "Luoxi"),
        ("西夏墅镇", "Xixiashu"),
        ("奔牛镇", "Benniu"),
        ("春江街道", "Chunjiang"),
        ("魏村街道", "Weicun"),
        ("三井街道", "Sanjing"),
        ("龙虎塘街道", "Longhutang"),
        ("新桥街道", "Xinqiao"),
        ("河海街道", "Hehai"),
    ],
    "tianning": [
        ("郑陆镇", "Zhenglu"),
        ("青龙街道", "Qinglong"),
        ("茶山街道", "Chashan"),
        ("红梅街道", "Hongmei"),
        ("雕庄街道", "Diaozhuang"),
        ("天宁街道", "Tianning"),
        ("兰陵街道", "Lanling"),
    ],
    "zhonglou": [
        ("邹区镇", "Zouqu"),
        ("西林街道", "Xilin"),
        ("五星街道", "Wuxing"),
        ("永红街道", "Yonghong"),
        ("北港街道", "Beigang"),
        ("荷花池街道", "Hehuachi"),
        ("南大街街道", "Nandajie"),
    ],
    "jingkai": [
        ("横林镇", "Henglin"),
        ("遥观镇", "Yaoguan"),
        ("横山桥镇", "Hengshanqiao"),
        ("潞城街道", "Lucheng"),
        ("戚墅堰街道", "Qishuyan"),
        ("丁堰街道", "Dingyan"),
    ],
}
# The hotspot grid is densest where industry and traffic are: 武进, 新北, 经开区.
GRID_POINTS = {
    "wujin": 48,
    "xinbei": 44,
    "jingkai": 30,
    "tianning": 24,
    "zhonglou": 22,
    "jintan": 22,
    "liyang": 18,
}


@dataclass(frozen=True)
class WaterBody:
    """One river (in flow order) or lake, its sections, and where its last section drains to."""

    name: str
    name_en: str
    waterbody: str  # river | lake | reservoir
    # section name, name_en, district, lon, lat, kind letter (N/P/B), target class
    sections: tuple[tuple[str, str, str, float, float, str, int], ...]
    outlet: str | None = None  # section name the last section drains into (another body)
    named_in_seed: tuple[str, ...] = ()


# Sections in flow order. Kind letters: N national (国控), P provincial (省控), B district
# boundary (区级交界). Lakes have no flow order: their sections drain to `outlet` if given.
WATER_BODIES: tuple[WaterBody, ...] = (
    WaterBody(
        "京杭大运河",
        "Grand Canal",
        "river",
        (
            ("奔牛", "Benniu", "xinbei", 119.82, 31.875, "B", 3),
            ("九里", "Jiuli", "zhonglou", 119.86, 31.835, "P", 3),
            ("连江桥", "Lianjiangqiao", "zhonglou", 119.905, 31.805, "N", 3),
            ("新闸", "Xinzha", "zhonglou", 119.93, 31.79, "B", 3),
            ("东坡公园", "Dongpo Park", "tianning", 119.99, 31.775, "P", 3),
            ("戚墅堰", "Qishuyan", "jingkai", 120.06, 31.735, "N", 3),
            ("横林", "Henglin", "jingkai", 120.12, 31.69, "B", 3),
            ("五牧", "Wumu", "jingkai", 120.175, 31.67, "N", 3),
        ),
        named_in_seed=("五牧",),
    ),
    WaterBody(
        "德胜河",
        "Desheng River",
        "river",
        (
            ("魏村闸", "Weicun Sluice", "xinbei", 119.93, 32.02, "N", 2),
            ("罗溪", "Luoxi", "xinbei", 119.91, 31.93, "P", 3),
            ("德胜河入运口", "Desheng Canal Mouth", "xinbei", 119.895, 31.86, "B", 3),
        ),
        outlet="连江桥",
    ),
    WaterBody(
        "澡港河",
        "Zaogang River",
        "river",
        (
            ("北环", "Beihuan", "tianning", 119.965, 31.805, "B", 3),
            ("龙虎塘", "Longhutang", "xinbei", 119.985, 31.88, "P", 3),
            ("澡港河入江口", "Zaogang Yangtze Mouth", "xinbei", 119.995, 32.005, "N", 3),
        ),
    ),
    WaterBody(
        "新孟河",
        "Xinmeng River",
        "river",
        (
            ("小河", "Xiaohe", "xinbei", 119.80, 32.02, "N", 2),
            ("孟河", "Menghe", "xinbei", 119.81, 31.96, "P", 3),
            ("新孟河奔牛枢纽", "Benniu Junction", "xinbei", 119.80, 31.88, "P", 3),
            ("嘉泽", "Jiaze", "wujin", 119.79, 31.69, "B", 3),
        ),
        outlet="滆湖北",
    ),
    WaterBody(
        "丹金溧漕河",
        "Danjinlicao River",
        "river",
        (
            ("丹金闸", "Danjin Sluice", "jintan", 119.60, 31.86, "B", 3),
            ("金坛城北", "Jintan North", "jintan", 119.585, 31.78, "N", 3),
            ("金坛城南", "Jintan South", "jintan", 119.575, 31.72, "P", 3),
            ("别桥", "Bieqiao", "liyang", 119.52, 31.56, "B", 3),
            ("溧阳城东", "Liyang East", "liyang", 119.50, 31.46, "N", 3),
        ),
        outlet="南河溧城",
    ),
    WaterBody(
        "通济河",
        "Tongji River",
        "river",
        (
            ("朱林", "Zhulin", "jintan", 119.47, 31.72, "P", 3),
            ("通济河入湖口", "Tongji Lake Mouth", "jintan", 119.52, 31.65, "B", 3),
        ),
        outlet="长荡湖西",
    ),
    WaterBody(
        "尧塘河",
        "Yaotang River",
        "river",
        (
            ("尧塘", "Yaotang", "jintan", 119.66, 31.72, "P", 3),
            ("尧塘河入湖口", "Yaotang Lake Mouth", "jintan", 119.62, 31.66, "B", 3),
        ),
        outlet="长荡湖东",
    ),
    WaterBody(
        "长荡湖",
        "Changdang Lake",
        "lake",
        (
            ("长荡湖西", "Changdang West", "jintan", 119.535, 31.62, "P", 3),
            ("长荡湖心", "Changdang Centre", "jintan", 119.565, 31.61, "N", 3),
            ("长荡湖东", "Changdang East", "jintan", 119.60, 31.625, "P", 3),
            ("长荡湖南", "Changdang South", "jintan", 119.57, 31.575, "N", 3),
        ),
    ),
    WaterBody(
        "扁担河",
        "Biandan River",
        "river",
        (
            ("扁担河上游", "Biandan Upper", "wujin", 119.72, 31.70, "B", 3),
            ("扁担河入湖口", "Biandan Lake Mouth", "wujin", 119.76, 31.655, "P", 3),
        ),
        outlet="滆湖北",
    ),
    WaterBody(
        "湟里河",
        "Huangli River",
        "river",
        (
            ("湟里", "Huangli", "wujin", 119.72, 31.61, "B", 3),
            ("湟里河入湖口", "Huangli Lake Mouth", "wujin", 119.765, 31.595, "P", 3),
        ),
        outlet="滆湖心",
    ),
    WaterBody(
        "滆湖",
        "Ge Lake",
        "lake",
        (
            ("滆湖北", "Gehu North", "wujin", 119.815, 31.655, "N", 3),
            ("滆湖西", "Gehu West", "wujin", 119.785, 31.60, "P", 3),
            ("滆湖心", "Gehu Centre", "wujin", 119.82, 31.60, "N", 3),
            ("滆湖东", "Gehu East", "wujin", 119.855, 31.595, "P", 3),
            ("滆湖南", "Gehu South", "wujin", 119.81, 31.54, "N", 3),
        ),
    ),
    WaterBody(
        "太滆运河",
        "Taige Canal",
        "river",
        (
            ("太滆运河出湖口", "Taige Lake Outlet", "wujin", 119.87, 31.585, "P", 3),
            ("前黄", "Qianhuang", "wujin", 119.94, 31.56, "B", 3),
            ("漕桥", "Caoqiao", "wujin", 120.00, 31.50, "N", 3),
            ("百渎港", "Baidugang", "wujin", 120.03, 31.45, "N", 3),
        ),
        outlet="竺山湖北",
    ),
    WaterBody(
        "漕桥河",
        "Caoqiao River",
        "river",
        (
            ("礼嘉", "Lijia", "wujin", 119.97, 31.60, "B", 3),
            ("漕桥河入湖口", "Caoqiao Lake Mouth", "wujin", 120.02, 31.47, "P", 3),
        ),
        outlet="竺山湖北",
    ),
    WaterBody(
        "武进港",
        "Wujin Port River",
        "river",
        (
            ("武进港城南", "Wujingang South City", "wujin", 120.02, 31.70, "B", 3),
            ("雪堰桥", "Xueyanqiao", "wujin", 120.06, 31.55, "P", 3),
            ("武进港入湖口", "Wujingang Lake Mouth", "wujin", 120.08, 31.47, "N", 3),
        ),
        outlet="竺山湖东",
    ),
    WaterBody(
        "竺山湖",
        "Zhushan Bay",
        "lake",
        (
            ("竺山湖北", "Zhushan North", "wujin", 120.05, 31.43, "N", 3),
            ("竺山湖东", "Zhushan East", "wujin", 120.08, 31.41, "P", 3),
            ("竺山湖心", "Zhushan Centre", "wujin", 120.05, 31.39, "N", 3),
        ),
    ),
    WaterBody(
        "武宜运河",
        "Wuyi Canal",
        "river",
        (
            ("广化桥", "Guanghuaqiao", "zhonglou", 119.95, 31.765, "B", 3),
            ("湖塘桥", "Hutangqiao", "wujin", 119.955, 31.70, "P", 3),
            ("牛塘", "Niutang", "wujin", 119.925, 31.65, "B", 3),
            ("钟溪大桥", "Zhongxi Bridge", "wujin", 119.91, 31.47, "N", 3),
        ),
    ),
    WaterBody(
        "采菱港",
        "Cailing Port River",
        "river",
        (
            ("采菱港上游", "Cailinggang Upper", "zhonglou", 119.91, 31.76, "B", 3),
            ("采菱港下游", "Cailinggang Lower", "wujin", 119.92, 31.72, "P", 3),
        ),
        outlet="湖塘桥",
    ),
    WaterBody(
        "北塘河",
        "Beitang River",
        "river",
        (
            ("北塘河天宁", "Beitang Tianning", "tianning", 120.00, 31.80, "B", 3),
            ("北塘河潞城", "Beitang Lucheng", "jingkai", 120.08, 31.775, "P", 3),
            ("北塘河出境", "Beitang Exit", "jingkai", 120.17, 31.74, "B", 3),
        ),
    ),
    WaterBody(
        "丁塘港",
        "Dingtang Port River",
        "river",
        (
            ("丁塘港上游", "Dingtanggang Upper", "jingkai", 120.09, 31.73, "B", 3),
            ("丁塘港下游", "Dingtanggang Lower", "jingkai", 120.12, 31.67, "P", 3),
        ),
    ),
    WaterBody(
        "老运河",
        "Old Canal",
        "river",
        (
            ("西水关", "Xishuiguan", "zhonglou", 119.935, 31.78, "B", 4),
            ("东水关", "Dongshuiguan", "tianning", 119.975, 31.78, "P", 4),
        ),
        outlet="东坡公园",
    ),
    WaterBody(
        "三山港",
        "Sanshan Port River",
        "river",
        (
            ("三山港郑陆", "Sanshan Zhenglu", "tianning", 120.09, 31.83, "B", 3),
            ("三山港焦溪", "Sanshan Jiaoxi", "tianning", 120.14, 31.84, "P", 3),
            ("三山港出江口", "Sanshan Yangtze Mouth", "tianning", 120.12, 31.86, "P", 3),
        ),
    ),
    WaterBody(
        "天目湖",
        "Tianmu Lake",
        "reservoir",
        (
            ("沙河水库", "Shahe Reservoir", "liyang", 119.43, 31.30, "N", 2),
            ("大溪水库", "Daxi Reservoir", "liyang", 119.50, 31.33, "P", 2),
        ),
        outlet="南河溧城",
    ),
    WaterBody(
        "南河",
        "Nan River",
        "river",
        (
            ("南渡", "Nandu", "liyang", 119.28, 31.42, "B", 3),
            ("上兴", "Shangxing", "liyang", 119.36, 31.44, "P", 3),
            ("南河溧城", "Nanhe Licheng", "liyang", 119.48, 31.41, "P", 3),
            ("南河出境", "Nanhe Exit", "liyang", 119.59, 31.37, "B", 3),
        ),
    ),
    WaterBody(
        "中河",
        "Zhong River",
        "river",
        (
            ("社渚", "Shezhu", "liyang", 119.33, 31.33, "B", 3),
            ("中河出境", "Zhonghe Exit", "liyang", 119.57, 31.30, "P", 3),
        ),
    ),
    WaterBody(
        "北河",
        "Bei River",
        "river",
        (
            ("竹箦", "Zhuze", "liyang", 119.38, 31.56, "B", 3),
            ("北河出境", "Beihe Exit", "liyang", 119.58, 31.50, "P", 3),
        ),
    ),
)
# The lakes the seed names; their sections are sample data, the lake names are not.
SEED_LAKES = ("竺山湖", "滆湖", "长荡湖")


# --- geometry -------------------------------------------------------------------------------

Ring = list[tuple[float, float]]


def _load_polygons() -> dict[str, list[list[Ring]]]:
    """District code -> polygons (outer ring first, then holes), from the committed basemap."""
    data = json.loads(BASEMAP.read_text(encoding="utf-8"))
    polygons: dict[str, list[list[Ring]]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        parts = (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else list(geometry["coordinates"])
        )
        polygons[feature["properties"]["district"]] = [
            [[(float(x), float(y)) for x, y in ring] for ring in part] for part in parts
        ]
    return polygons


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


def in_district(
    lon: float, lat: float, district: str, polygons: dict[str, list[list[Ring]]]
) -> bool:
    """Whether a point lies in a district (经开区: the eastern box of 武进's polygon)."""
    x0, x1, y0, y1 = JINGKAI_BOX
    in_box = x0 <= lon <= x1 and y0 <= lat <= y1
    if district == "jingkai":
        return in_box and _in_polygons(lon, lat, polygons["wujin"])
    if district == "wujin" and in_box:
        return False
    return _in_polygons(lon, lat, polygons[district])


def _in_polygons(lon: float, lat: float, parts: list[list[Ring]]) -> bool:
    for part in parts:
        if _in_ring(lon, lat, part[0]) and not any(_in_ring(lon, lat, h) for h in part[1:]):
            return True
    return False


def _extent(district: str, polygons: dict[str, list[list[Ring]]]) -> tuple[float, ...]:
    if district == "jingkai":
        return JINGKAI_BOX
    xs = [x for part in polygons[district] for x, _ in part[0]]
    ys = [y for part in polygons[district] for _, y in part[0]]
    return (min(xs), max(xs), min(ys), max(ys))


def _random_point(
    rng: random.Random, district: str, polygons: dict[str, list[list[Ring]]]
) -> tuple[float, float]:
    x0, x1, y0, y1 = _extent(district, polygons)
    while True:
        lon, lat = round(rng.uniform(x0, x1), 4), round(rng.uniform(y0, y1), 4)
        if in_district(lon, lat, district, polygons):
            return lon, lat


def _snap(
    lon: float, lat: float, district: str, rng: random.Random, polygons: dict[str, list[list[Ring]]]
) -> tuple[float, float]:
    """The hand-placed point if it is inside its district, else the nearest of random tries.

    The hand-placed coordinates are approximate; snapping keeps them in the district they claim
    on the simplified basemap without hand-tuning every point.
    """
    if in_district(lon, lat, district, polygons):
        return round(lon, 4), round(lat, 4)
    best: tuple[float, float] | None = None
    best_d = math.inf
    for radius in (0.01, 0.02, 0.04, 0.08, 0.16):
        for _ in range(400):
            x = round(lon + rng.uniform(-radius, radius), 4)
            y = round(lat + rng.uniform(-radius, radius), 4)
            d = math.hypot(x - lon, y - lat)
            if d < best_d and in_district(x, y, district, polygons):
                best, best_d = (x, y), d
        if best is not None:
            return best
    raise SystemExit(f"cannot place {lon},{lat} inside {district}")


# --- registry -------------------------------------------------------------------------------


def _parameters(keys: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"key": k, "code": PARAMS[k][0], "unit": PARAMS[k][1]} for k in keys]


class _Numbering:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, kind: str) -> tuple[str, str]:
        n = self.counts.get(kind, 0) + 1
        self.counts[kind] = n
        prefix, width = KIND_ID[kind]
        # 8 (Changzhou admin code 320400 + 00) + 3 kind letters + 13 digits = 24 characters.
        mn = f"32040000{KIND_CODE[kind]}{n:013d}"
        return f"{prefix}-{n:0{width}d}", mn


def _entry(
    ident: str,
    mn: str,
    name: str,
    name_en: str,
    kind: str,
    district: str,
    lon: float,
    lat: float,
    params: tuple[str, ...],
    sample: bool,
    **water: Any,
) -> dict[str, Any]:
    return {
        "id": ident,
        "mn": mn,
        "name": name,
        "name_en": name_en,
        "kind": kind,
        "district": district,
        "lon": lon,
        "lat": lat,
        "interval_s": DEFAULT_REPORTING[kind].interval_s,
        "sample": sample,
        "parameters": _parameters(params),
        "target_class": water.get("target_class"),
        "waterbody": water.get("waterbody"),
        "river": water.get("river"),
        "downstream": water.get("downstream", []),
    }


def build_registry() -> dict[str, Any]:
    """The whole registry as a JSON-ready dict; pure function of this file and the basemap."""
    polygons = _load_polygons()
    rng = random.Random(SEED)
    numbering = _Numbering()
    stations: list[dict[str, Any]] = []

    for kind, table in (("air_national", AIR_NATIONAL), ("air_provincial", AIR_PROVINCIAL)):
        for name, name_en, district, lon, lat, named in table:
            ident, mn = numbering.next(kind)
            x, y = _snap(lon, lat, district, rng, polygons)
            stations.append(
                _entry(
                    ident,
                    mn,
                    name,
                    name_en,
                    kind,
                    district,
                    x,
                    y,
                    AIR_POLLUTANTS + METEOROLOGY,
                    sample=not named,
                )
            )

    for district in DISTRICTS:
        for name, name_en in TOWNSHIPS[district]:
            ident, mn = numbering.next("air_township")
            x, y = _random_point(rng, district, polygons)
            stations.append(
                _entry(
                    ident,
                    mn,
                    f"{name}空气站",
                    f"{name_en} air station",
                    "air_township",
                    district,
                    x,
                    y,
                    AIR_POLLUTANTS,
                    sample=True,
                )
            )

    for district in DISTRICTS:
        for i in range(1, GRID_POINTS[district] + 1):
            ident, mn = numbering.next("air_grid")
            x, y = _random_point(rng, district, polygons)
            # Every third grid point also carries NO2 and O3 sensors (traffic and VOC hotspots).
            params = ("PM2.5", "PM10", "NO2", "O3") if i % 3 == 0 else ("PM2.5", "PM10")
            abbr = DISTRICT_ABBR[district]
            stations.append(
                _entry(
                    ident,
                    mn,
                    f"网格点{abbr}-{i:03d}",
                    f"Grid point {abbr}-{i:03d}",
                    "air_grid",
                    district,
                    x,
                    y,
                    params,
                    sample=True,
                )
            )

    kinds = {"N": "water_national", "P": "water_provincial", "B": "water_boundary"}
    by_name: dict[str, dict[str, Any]] = {}
    water_entries: list[tuple[WaterBody, list[dict[str, Any]]]] = []
    for body in WATER_BODIES:
        entries = []
        for name, name_en, district, lon, lat, letter, target in body.sections:
            kind = kinds[letter]
            ident, mn = numbering.next(kind)
            x, y = _snap(lon, lat, district, rng, polygons)
            entry = _entry(
                ident,
                mn,
                name,
                name_en,
                kind,
                district,
                x,
                y,
                WATER_LAKE if body.waterbody in ("lake", "reservoir") else WATER_RIVER,
                sample=name not in body.named_in_seed,
                target_class=target,
                waterbody=body.waterbody,
                river=body.name,
            )
            if name in by_name:
                raise SystemExit(f"duplicate section name {name}")
            by_name[name] = entry
            entries.append(entry)
        water_entries.append((body, entries))
    for body, entries in water_entries:
        if body.waterbody == "river":
            for upper, lower in itertools.pairwise(entries):
                upper["downstream"] = [lower["id"]]
            if body.outlet:
                entries[-1]["downstream"] = [by_name[body.outlet]["id"]]
        elif body.outlet:
            for entry in entries:
                entry["downstream"] = [by_name[body.outlet]["id"]]
        stations.extend(entries)
    # 滆湖 drains east through the 太滆运河 into 竺山湖 (Taihu).
    for name in ("滆湖东", "滆湖心", "滆湖南", "滆湖北", "滆湖西"):
        by_name[name]["downstream"] = [by_name["太滆运河出湖口"]["id"]]
    # 长荡湖 drains through the 丹金溧漕河 southwards.
    for name in ("长荡湖西", "长荡湖心", "长荡湖东", "长荡湖南"):
        by_name[name]["downstream"] = [by_name["别桥"]["id"]]

    _validate(stations, polygons)
    named = sorted(s["name"] for s in stations if not s["sample"])
    return {
        "attribution": (
            "Sample registry of Changzhou's monitoring network, generated by "
            "scripts/make_registry.py. Network size from the seed article (8 national and "
            "4 provincial air stations, 62 township air stations, 208 hotspot grid points, "
            "20 national and 31 provincial water sections, 27 district-boundary sections). "
            f'Only the entries with "sample": false are named in the seed ({"、".join(named)}); '
            "the lakes 竺山湖, 滆湖 and 长荡湖 are named there too. Every entry with "
            '"sample": true is invented sample data: real place and river names of Changzhou, '
            "but invented stations, positions, MNs and downstream links. Positions lie inside "
            "the district polygons of resources/basemap (经开区: the eastern part of 武进)."
        ),
        "generator": {"script": "scripts/make_registry.py", "seed": SEED},
        # When a station is late or offline, per kind (dispatch_app/network/reporting.py); a
        # station may override its kind with its own interval_s and "reporting".
        "reporting": {kind: rules.to_json() for kind, rules in DEFAULT_REPORTING.items()},
        "stations": stations,
    }


def _validate(stations: list[dict[str, Any]], polygons: dict[str, list[list[Ring]]]) -> None:
    counts: dict[str, int] = {}
    for s in stations:
        counts[s["kind"]] = counts.get(s["kind"], 0) + 1
    if counts != EXPECTED_COUNTS:
        raise SystemExit(f"counts {counts} != {EXPECTED_COUNTS}")
    ids = {s["id"] for s in stations}
    if len(ids) != len(stations) or len({s["mn"] for s in stations}) != len(stations):
        raise SystemExit("duplicate id or MN")
    for s in stations:
        if len(s["mn"]) != 24:
            raise SystemExit(f"{s['id']}: MN not 24 characters")
        if not in_district(s["lon"], s["lat"], s["district"], polygons):
            raise SystemExit(f"{s['id']} {s['name']}: outside {s['district']}")
        for d in s["downstream"]:
            if d not in ids:
                raise SystemExit(f"{s['id']}: downstream {d} unknown")
    # Downstream links must form chains, never loops: a plume has to leave the city.
    links = {s["id"]: s["downstream"] for s in stations}
    for start in links:
        seen = {start}
        frontier = list(links[start])
        while frontier:
            node = frontier.pop()
            if node in seen:
                raise SystemExit(f"downstream loop through {start}")
            seen.add(node)
            frontier.extend(links[node])


def render() -> str:
    return json.dumps(build_registry(), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run scripts/make_registry.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {len(json.loads(text)['stations'])} stations to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
