"""The station registry (resources/stations.json, format in docs/contracts.md).

The registry is what turns a packet into observations: MN → station, HJ 212 code → parameter key
and unit. Units are kept per station and parameter because the standard's default units differ
from ambient practice (PM in ng/m³ in Appendix B); nothing here assumes a unit.

A registry that is inconsistent (duplicate id or MN, unknown kind, a parameter code given twice,
a downstream id that does not exist) is refused at load with a message naming the entry, so the
service never starts on a file that would silently drop or misfile data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dispatch_app.network.reporting import (
    Reporting,
    ReportingError,
    default_reporting,
    reporting_from_json,
)
from dispatch_app.resources import resource_path

STATION_KINDS = (
    "air_national",
    "air_provincial",
    "air_township",
    "air_grid",
    "water_national",
    "water_provincial",
    "water_boundary",
)
WATERBODIES = ("river", "lake", "reservoir")
DEFAULT_REGISTRY = resource_path("stations.json")


class RegistryError(ValueError):
    """The registry file is missing, not JSON, or breaks the contract; the message says where."""


@dataclass(frozen=True, slots=True)
class StationParameter:
    """One measured parameter of a station, with the unit the registry gives for it."""

    key: str
    code: str
    unit: str


@dataclass(frozen=True, slots=True)
class Station:
    """A registry entry (air station or water section): the one station of the network, as the
    registry file gives it, the data service serves it and the desk receives it."""

    id: str
    mn: str
    name: str
    name_en: str
    kind: str
    district: str
    lon: float
    lat: float
    interval_s: int
    sample: bool
    parameters: tuple[StationParameter, ...]
    target_class: int | None = None
    waterbody: str | None = None
    river: str | None = None
    downstream: tuple[str, ...] = ()
    reporting: Reporting | None = None  # resolved at load; None: the kind's default
    _by_code: Mapping[str, StationParameter] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )
    _by_key: Mapping[str, StationParameter] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {p.code: p for p in self.parameters})
        object.__setattr__(self, "_by_key", {p.key: p for p in self.parameters})
        if self.reporting is None:
            object.__setattr__(self, "reporting", default_reporting(self.kind, self.interval_s))

    @property
    def schedule(self) -> Reporting:
        """The station's reporting rules (never None once constructed)."""
        assert self.reporting is not None
        return self.reporting

    @property
    def is_water(self) -> bool:
        return self.kind.startswith("water_")

    def parameter_by_code(self, code: str) -> StationParameter | None:
        return self._by_code.get(code)

    def parameter(self, key: str) -> StationParameter | None:
        return self._by_key.get(key)

    def unit_of(self, parameter: str) -> str | None:
        p = self._by_key.get(parameter)
        return None if p is None else p.unit

    def to_json(self) -> dict[str, Any]:
        """The entry exactly in the contract's shape (what /api/v1/stations serves)."""
        return {
            "id": self.id,
            "mn": self.mn,
            "name": self.name,
            "name_en": self.name_en,
            "kind": self.kind,
            "district": self.district,
            "lon": self.lon,
            "lat": self.lat,
            "interval_s": self.interval_s,
            "sample": self.sample,
            "parameters": [{"key": p.key, "code": p.code, "unit": p.unit} for p in self.parameters],
            "target_class": self.target_class,
            "waterbody": self.waterbody,
            "river": self.river,
            "downstream": list(self.downstream),
            "reporting": self.schedule.to_json(),
        }


@dataclass(frozen=True)
class Registry:
    attribution: str
    stations: tuple[Station, ...]
    reporting: Mapping[str, Reporting] = field(default_factory=dict, compare=False)
    _by_id: Mapping[str, Station] = field(default_factory=dict, repr=False, compare=False)
    _by_mn: Mapping[str, Station] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Station] = {}
        by_mn: dict[str, Station] = {}
        for s in self.stations:
            if s.id in by_id:
                raise RegistryError(f"station id {s.id!r} appears twice")
            if s.mn in by_mn:
                raise RegistryError(f"MN {s.mn!r} of {s.id} is already used by {by_mn[s.mn].id}")
            by_id[s.id] = s
            by_mn[s.mn] = s
        for s in self.stations:
            for d in s.downstream:
                if d not in by_id:
                    raise RegistryError(f"station {s.id}: downstream {d!r} is not in the registry")
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_mn", by_mn)

    def __len__(self) -> int:
        return len(self.stations)

    def __iter__(self) -> Iterator[Station]:
        return iter(self.stations)

    def by_id(self, station_id: str) -> Station | None:
        return self._by_id.get(station_id)

    def by_mn(self, mn: str) -> Station | None:
        return self._by_mn.get(mn)

    def by_kind(self, kind: str) -> tuple[Station, ...]:
        return tuple(s for s in self.stations if s.kind == kind)


# --- loading ----------------------------------------------------------------------------------


def _get(entry: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in entry:
        raise RegistryError(f"{where}: missing {key!r}")
    value = entry[key]
    if (
        isinstance(value, bool)
        and kind is not bool
        and bool not in (kind if isinstance(kind, tuple) else (kind,))
    ):
        raise RegistryError(f"{where}: {key} must not be a boolean")
    if not isinstance(value, kind):
        raise RegistryError(f"{where}: {key}={value!r} has the wrong type")
    return value


def _parameter(raw: Any, where: str) -> StationParameter:
    if not isinstance(raw, Mapping):
        raise RegistryError(f"{where}: a parameter must be an object")
    key = _get(raw, "key", str, where)
    code = _get(raw, "code", str, where)
    unit = _get(raw, "unit", str, where)
    if not key or not code:
        raise RegistryError(f"{where}: empty parameter key or code")
    if any(c in code for c in ";,=&-"):
        raise RegistryError(f"{where}: parameter code {code!r} cannot appear in HJ 212 CP")
    return StationParameter(key, code, unit)


def station_from_json(
    raw: Any, index: int = 0, kind_reporting: Mapping[str, Reporting] | None = None
) -> Station:
    """One entry; its reporting rules are its kind's (`kind_reporting`, else the defaults),
    with its own ``interval_s`` and ``reporting`` fields overriding them."""
    where = f"stations[{index}]"
    if not isinstance(raw, Mapping):
        raise RegistryError(f"{where}: a station must be an object")
    sid = _get(raw, "id", str, where)
    where = f"station {sid!r}"
    mn = _get(raw, "mn", str, where)
    if not mn or len(mn) > 24 or not mn.isascii() or any(c in mn for c in ";,=&"):
        raise RegistryError(f"{where}: MN {mn!r} is not a valid HJ 212 MN (1–24 ASCII chars)")
    kind = _get(raw, "kind", str, where)
    if kind not in STATION_KINDS:
        raise RegistryError(f"{where}: unknown kind {kind!r}")
    lon = float(_get(raw, "lon", (int, float), where))
    lat = float(_get(raw, "lat", (int, float), where))
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise RegistryError(f"{where}: coordinates {lon}, {lat} are not a place on Earth")
    kind_rules = (kind_reporting or {}).get(kind) or default_reporting(kind)
    interval = raw.get("interval_s", kind_rules.interval_s)
    if isinstance(interval, bool):
        raise RegistryError(f"{where}: interval_s must not be a boolean")
    if not isinstance(interval, int) or interval <= 0:
        raise RegistryError(f"{where}: interval_s must be a positive integer")
    try:
        rules = reporting_from_json(
            raw.get("reporting", {}), where, replace(kind_rules, interval_s=interval)
        )
    except ReportingError as exc:
        raise RegistryError(str(exc)) from None
    if rules.interval_s != interval:
        raise RegistryError(f"{where}: reporting.interval_s differs from interval_s")
    params_raw = _get(raw, "parameters", list, where)
    params = tuple(_parameter(p, where) for p in params_raw)
    if len({p.code for p in params}) != len(params) or len({p.key for p in params}) != len(params):
        raise RegistryError(f"{where}: a parameter key or code appears twice")
    target = raw.get("target_class")
    if target is not None and (isinstance(target, bool) or target not in (1, 2, 3, 4, 5)):
        raise RegistryError(f"{where}: target_class must be 1–5 or null")
    waterbody = raw.get("waterbody")
    if waterbody is not None and waterbody not in WATERBODIES:
        raise RegistryError(f"{where}: waterbody must be one of {WATERBODIES} or null")
    river = raw.get("river")
    if river is not None and not isinstance(river, str):
        raise RegistryError(f"{where}: river must be a string or null")
    downstream = raw.get("downstream") or []
    if not isinstance(downstream, list) or not all(isinstance(d, str) for d in downstream):
        raise RegistryError(f"{where}: downstream must be a list of station ids")
    sample = raw.get("sample", False)
    if not isinstance(sample, bool):
        raise RegistryError(f"{where}: sample must be true or false")
    return Station(
        id=sid,
        mn=mn,
        name=_get(raw, "name", str, where),
        name_en=str(raw.get("name_en") or ""),
        kind=kind,
        district=_get(raw, "district", str, where),
        lon=lon,
        lat=lat,
        interval_s=interval,
        sample=sample,
        parameters=params,
        target_class=target,
        waterbody=waterbody,
        river=river,
        downstream=tuple(downstream),
        reporting=rules,
    )


def kind_reporting_from_json(raw: Any) -> dict[str, Reporting]:
    """The registry's ``reporting`` block: every kind it names with all four fields; the kinds
    it leaves out keep the defaults."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise RegistryError('"reporting" must be an object of station kinds')
    rules: dict[str, Reporting] = {}
    for kind, entry in raw.items():
        if kind not in STATION_KINDS:
            raise RegistryError(f"reporting: unknown station kind {kind!r}")
        try:
            rules[kind] = reporting_from_json(entry, f"reporting.{kind}")
        except ReportingError as exc:
            raise RegistryError(str(exc)) from None
    return rules


def registry_from_json(document: Any) -> Registry:
    if not isinstance(document, Mapping) or not isinstance(document.get("stations"), list):
        raise RegistryError('the registry must be an object with a "stations" list')
    kinds = kind_reporting_from_json(document.get("reporting"))
    stations = tuple(station_from_json(s, i, kinds) for i, s in enumerate(document["stations"]))
    return Registry(str(document.get("attribution") or ""), stations, kinds)


def load_registry(path: Path | str = DEFAULT_REGISTRY) -> Registry:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"cannot read the station registry {path}: {exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{path} is not valid JSON: {exc}") from exc
    try:
        return registry_from_json(document)
    except RegistryError as exc:
        raise RegistryError(f"{path}: {exc}") from exc
