"""The unit registry (处置单位): enforcement branches, field stations and the monitoring team.

Parsed from the data of resources/units.toml (the desk reads the file; this module only checks
it), so tests and tools can build registries without touching the disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dispatch_app.domain.districts import District


class UnitKind(StrEnum):
    BRANCH = "branch"  # 执法分局
    FIELD_STATION = "field_station"  # 外勤派驻点
    MONITORING = "monitoring"  # 监控中心

    @property
    def name_zh(self) -> str:
        return {"branch": "执法分局", "field_station": "外勤派驻点", "monitoring": "监控中心"}[
            self.value
        ]


class UnitRegistryError(ValueError):
    """The unit registry is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    name_en: str
    kind: UnitKind
    district: District | None  # None for city-wide units (the monitoring team)
    phone: str
    parent: str | None  # the branch a field station reports to
    sample: bool  # contact details are samples, not the real ones


@dataclass(frozen=True)
class UnitRegistry:
    units: tuple[Unit, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {u.id: u for u in self.units})

    def get(self, unit_id: str) -> Unit | None:
        by_id: dict[str, Unit] = self._by_id  # type: ignore[attr-defined]
        return by_id.get(unit_id)

    def __contains__(self, unit_id: object) -> bool:
        return isinstance(unit_id, str) and self.get(unit_id) is not None

    def of_kind(self, kind: UnitKind) -> list[Unit]:
        return [u for u in self.units if u.kind is kind]

    def branch_for(self, district: District | str) -> Unit | None:
        """The enforcement branch of a district: the suggestion when dispatching its cases."""
        district = District(district)
        for u in self.units:
            if u.kind is UnitKind.BRANCH and u.district is district:
                return u
        return None


_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
_PHONE = re.compile(r"^[0-9+\- ]{3,20}$")


def parse_unit_registry(data: dict[str, Any]) -> UnitRegistry:
    """Check the parsed TOML (``[[unit]]`` tables) and build the registry.

    Rules: unique ids, known kinds and districts, every branch and field station has a
    district, one branch per district, field stations name an existing branch as parent.
    """
    entries = data.get("unit")
    if not isinstance(entries, list) or not entries:
        raise UnitRegistryError("the registry has no [[unit]] entries")
    units: list[Unit] = []
    seen: set[str] = set()
    for i, e in enumerate(entries, start=1):
        where = f"unit #{i}"
        if not isinstance(e, dict):
            raise UnitRegistryError(f"{where} is not a table")
        uid = e.get("id")
        if not isinstance(uid, str) or not _ID.match(uid):
            raise UnitRegistryError(f"{where}: id {uid!r} must be 2–40 of a-z, 0-9, _ or -")
        where = f"unit {uid}"
        if uid in seen:
            raise UnitRegistryError(f"{where}: duplicate id")
        seen.add(uid)
        for key in ("name", "name_en", "phone"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise UnitRegistryError(f"{where}: {key} is missing or empty")
        if not _PHONE.match(e["phone"]):
            raise UnitRegistryError(f"{where}: phone {e['phone']!r} is not a phone number")
        try:
            kind = UnitKind(str(e.get("kind")))
        except ValueError:
            raise UnitRegistryError(f"{where}: unknown kind {e.get('kind')!r}") from None
        district: District | None = None
        if e.get("district") is not None:
            try:
                district = District(e["district"])
            except ValueError:
                raise UnitRegistryError(f"{where}: unknown district {e['district']!r}") from None
        if kind is not UnitKind.MONITORING and district is None:
            raise UnitRegistryError(f"{where}: a {kind.value} needs a district")
        parent = e.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise UnitRegistryError(f"{where}: parent must be a unit id")
        units.append(
            Unit(
                id=uid,
                name=e["name"].strip(),
                name_en=e["name_en"].strip(),
                kind=kind,
                district=district,
                phone=e["phone"].strip(),
                parent=parent,
                sample=bool(e.get("sample", False)),
            )
        )
    branches: dict[District, str] = {}
    for u in units:
        if u.kind is UnitKind.BRANCH:
            assert u.district is not None
            if u.district in branches:
                raise UnitRegistryError(
                    f"unit {u.id}: district {u.district.value} already has branch "
                    f"{branches[u.district]}"
                )
            branches[u.district] = u.id
    by_id = {u.id: u for u in units}
    for u in units:
        if u.kind is UnitKind.FIELD_STATION:
            p = by_id.get(u.parent or "")
            if p is None or p.kind is not UnitKind.BRANCH:
                raise UnitRegistryError(f"unit {u.id}: parent {u.parent!r} is not a branch")
    return UnitRegistry(tuple(units))
