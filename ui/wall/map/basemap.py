"""The offline basemap: Changzhou's districts from resources/basemap, and the map projection.

The GeoJSON is derived once by scripts/make_basemap.py (source and licence in
resources/basemap/ATTRIBUTION.md); nothing here touches the network. Qt-free so that it can be
tested and reused without a display.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from dispatch_app.resources import resource_path

BASEMAP_FILE = resource_path("basemap", "changzhou_districts.geojson")

Ring = tuple[tuple[float, float], ...]

# Changzhou spans about 119.1–120.2 °E and 31.1–32.1 °N; a basemap outside this box is the wrong
# file, and a station outside it is a registry error worth showing rather than drawing off-screen.
BOUNDS = (118.8, 30.8, 120.6, 32.4)


class BasemapError(ValueError):
    """The basemap file is missing or not the GeoJSON the map expects."""


@dataclass(frozen=True, slots=True)
class DistrictShape:
    district: str  # code from docs/contracts.md
    name: str
    name_en: str
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: outer ring, then holes
    label_lon: float
    label_lat: float


def load_basemap(path: Path = BASEMAP_FILE) -> tuple[DistrictShape, ...]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BasemapError(f"basemap file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BasemapError(f"basemap file {path} is unreadable: {exc}") from None
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise BasemapError(f"basemap file {path} is not a GeoJSON FeatureCollection")
    shapes = []
    for i, feature in enumerate(raw.get("features") or []):
        try:
            props = feature["properties"]
            geometry = feature["geometry"]
            if geometry["type"] != "MultiPolygon":
                raise BasemapError(
                    f"feature {i}: geometry {geometry['type']} is not a MultiPolygon"
                )
            polygons = tuple(
                tuple(tuple((float(x), float(y)) for x, y in ring) for ring in poly)
                for poly in geometry["coordinates"]
            )
            shape = DistrictShape(
                district=str(props["district"]),
                name=str(props["name"]),
                name_en=str(props.get("name_en", "")),
                polygons=polygons,
                label_lon=float(props["label_lon"]),
                label_lat=float(props["label_lat"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, BasemapError):
                raise
            raise BasemapError(f"basemap file {path}: feature {i} is malformed ({exc!r})") from None
        for poly in shape.polygons:
            for lon, lat in poly[0]:
                if not in_bounds(lon, lat):
                    raise BasemapError(
                        f"basemap file {path}: {shape.name} has a point ({lon}, {lat}) "
                        "outside Changzhou"
                    )
        shapes.append(shape)
    if not shapes:
        raise BasemapError(f"basemap file {path} has no districts")
    return tuple(shapes)


def in_bounds(lon: float, lat: float) -> bool:
    return (
        math.isfinite(lon)
        and math.isfinite(lat)
        and BOUNDS[0] <= lon <= BOUNDS[2]
        and BOUNDS[1] <= lat <= BOUNDS[3]
    )


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular around Changzhou, in kilometres: x east, y down (Qt's scene axis).

    Over 100 km the scale error of this projection is well under 1 %, and it keeps lon/lat
    readable: no projection library is needed for a city map.
    """

    lon0: float = 119.65
    lat0: float = 31.65

    def to_scene(self, lon: float, lat: float) -> tuple[float, float]:
        kx = 111.320 * math.cos(math.radians(self.lat0))
        return (lon - self.lon0) * kx, -(lat - self.lat0) * 110.574

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        kx = 111.320 * math.cos(math.radians(self.lat0))
        return self.lon0 + x / kx, self.lat0 - y / 110.574
