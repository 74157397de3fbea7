"""Which stations an emergency is likely to reach: water sections downstream, air stations
downwind. A proposal for the duty officer to confirm, not a model of the plume.

Water: start from the sections nearest the place (within ``near_km``, else the single
nearest) and follow the registry's ``downstream`` links breadth-first, so the list is in the
order the pollution arrives. Air: stations inside a sector centred on the downwind bearing
(the wind blows *from* ``wind_from_deg``, meteorological convention), nearest first, plus any
station right at the place whatever the wind.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dispatch_app.network.registry import Station

EARTH_RADIUS_KM = 6371.0088
WATER_KINDS = frozenset({"water_national", "water_provincial", "water_boundary"})
AIR_KINDS = frozenset({"air_national", "air_provincial", "air_township", "air_grid"})


@dataclass(frozen=True)
class StationPoint:
    """The part of a station (network.registry.Station) the proposal needs: where it is and
    which sections lie downstream. A narrower view on purpose: the proposal is plain geometry,
    and a place, a kind and links are all it may depend on."""

    id: str
    kind: str
    lon: float
    lat: float
    downstream: tuple[str, ...] = ()

    @classmethod
    def of(cls, station: Station) -> StationPoint:
        return cls(station.id, station.kind, station.lon, station.lat, station.downstream)

    @property
    def is_water(self) -> bool:
        return self.kind in WATER_KINDS


@dataclass(frozen=True)
class AffectedStation:
    id: str
    distance_km: float  # from the place, straight line
    hops: int | None  # water: links followed from a nearest section (0 = nearest itself)
    bearing_deg: float  # from the place to the station, degrees clockwise from north


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bearing_deg(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360.0


def _angle_between(a: float, b: float) -> float:
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


def downstream_stations(
    stations: Sequence[StationPoint],
    lon: float,
    lat: float,
    *,
    near_km: float = 3.0,
    max_hops: int = 10,
) -> list[AffectedStation]:
    """Water sections from the nearest ones downstream, in arrival order."""
    water = [s for s in stations if s.is_water]
    if not water:
        return []
    by_id = {s.id: s for s in water}
    dist = {s.id: distance_km(lon, lat, s.lon, s.lat) for s in water}
    start = [s.id for s in water if dist[s.id] <= near_km]
    if not start:
        start = [min(water, key=lambda s: dist[s.id]).id]
    start.sort(key=lambda i: dist[i])
    hops = dict.fromkeys(start, 0)
    queue = list(start)
    while queue:
        current = queue.pop(0)
        if hops[current] >= max_hops:
            continue
        for nxt in by_id[current].downstream:
            if nxt in by_id and nxt not in hops:
                hops[nxt] = hops[current] + 1
                queue.append(nxt)
    ordered = sorted(hops, key=lambda i: (hops[i], dist[i]))
    return [
        AffectedStation(i, dist[i], hops[i], bearing_deg(lon, lat, by_id[i].lon, by_id[i].lat))
        for i in ordered
    ]


def downwind_stations(
    stations: Iterable[StationPoint],
    lon: float,
    lat: float,
    wind_from_deg: float,
    *,
    half_angle_deg: float = 30.0,
    max_km: float = 20.0,
    at_place_km: float = 1.0,
    kinds: frozenset[str] = AIR_KINDS,
) -> list[AffectedStation]:
    """Air stations in the downwind sector, nearest first."""
    downwind = (wind_from_deg + 180.0) % 360.0
    found: list[AffectedStation] = []
    for s in stations:
        if s.kind not in kinds:
            continue
        d = distance_km(lon, lat, s.lon, s.lat)
        if d > max_km:
            continue
        b = bearing_deg(lon, lat, s.lon, s.lat)
        if d <= at_place_km or _angle_between(b, downwind) <= half_angle_deg:
            found.append(AffectedStation(s.id, d, None, b))
    found.sort(key=lambda a: a.distance_km)
    return found
