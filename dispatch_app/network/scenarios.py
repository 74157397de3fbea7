"""Drill scenarios: events on a timeline that the network simulator plays into its stations.

A scenario is a TOML file in resources/scenarios/ (the format is described at the top of each
file there). Offsets are simulated minutes from the start of the simulation, so a drill run at
``--speed 60`` plays an hour of events per real minute. Four kinds of event:

- ``spill``: a chemical spill entering the river at a water section; the plume travels down the
  registry's ``downstream`` links, arriving later and weaker (diluted) at each section, raising
  the listed parameters (CODMn, NH3-N, ...) and lowering DO;
- ``episode``: a heavy-pollution episode: the regional PM2.5 climbs over days towards a peak
  (AQI > 200 needs more than 150 µg/m³), arriving first on the upwind side of the city, with the
  stagnant weather that goes with it (low wind, high humidity), then clears with a front;
- ``bloom``: an algae bloom in a lake: TP, NH3-N and pH up, DO supersaturated by day and
  depleted by night (the onset of 湖泛);
- ``offline``: stations stop sending; with ``hold = true`` they keep measuring and send the held
  packets when they come back (late data), otherwise the data is lost.

Loading checks every field and names the file and the field in the error, and checks station
ids, lakes and parameter keys against the registry, so a drill never starts on a scenario that
would silently do nothing.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from dispatch_app.network.registry import Registry, Station
from dispatch_app.resources import resource_path

SCENARIO_DIR: Final = resource_path("scenarios")
EVENT_KINDS: Final = ("spill", "episode", "bloom", "offline")
WATER_KEYS: Final = frozenset(
    {"pH", "DO", "CODMn", "COD", "NH3-N", "TP", "TN", "water_temp", "conductivity"}
)
_KM_PER_DEG_LAT: Final = 111.0
# A plume's tail decays exponentially; after this many plume lengths it is below 0.2 %.
_TAIL_LENGTHS: Final = 3.0


class ScenarioError(ValueError):
    """A scenario file that cannot be played; the message names the file and the field."""


# --- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpillEvent:
    at_minutes: float
    station: str
    duration_minutes: float
    travel_minutes_per_link: float
    attenuation_per_link: float
    increase: Mapping[str, float]
    decrease: Mapping[str, float]
    emergency_interval_minutes: float | None = None
    kind: str = "spill"


@dataclass(frozen=True)
class EpisodeEvent:
    at_minutes: float
    peak_pm25: float
    ramp_hours: float
    plateau_hours: float
    clear_hours: float
    from_direction: float | None = None
    front_speed_kmh: float = 20.0
    kind: str = "episode"


@dataclass(frozen=True)
class BloomEvent:
    at_minutes: float
    lake: str
    ramp_hours: float
    duration_hours: float
    increase: Mapping[str, float]
    kind: str = "bloom"


@dataclass(frozen=True)
class OfflineEvent:
    at_minutes: float
    stations: tuple[str, ...]
    duration_minutes: float
    hold: bool = False
    kind: str = "offline"


Event = SpillEvent | EpisodeEvent | BloomEvent | OfflineEvent


@dataclass(frozen=True)
class Scenario:
    name: str
    title_zh: str
    title_en: str
    description: str
    events: tuple[Event, ...]
    source: Path | None = None

    @property
    def duration_minutes(self) -> float:
        """When the last event has played out at its entry point, in simulated minutes.

        A spill's plume reaches the sections downstream later still: `ScenarioTimeline.end`
        knows the river network and gives the complete figure.
        """
        ends = []
        for e in self.events:
            if isinstance(e, SpillEvent):
                ends.append(e.at_minutes + e.duration_minutes * (1 + _TAIL_LENGTHS))
            elif isinstance(e, EpisodeEvent):
                total = e.ramp_hours + e.plateau_hours + e.clear_hours
                ends.append(e.at_minutes + total * 60)
            elif isinstance(e, BloomEvent):
                ends.append(e.at_minutes + e.duration_hours * 60)
            else:
                ends.append(e.at_minutes + e.duration_minutes)
        return max(ends, default=0.0)

    def to_json(self) -> dict[str, Any]:
        """The scenario as JSON (what a drill list or the data service's API would show)."""
        events = []
        for e in self.events:
            entry = {k: v for k, v in e.__dict__.items() if v is not None}
            for k, v in entry.items():
                if isinstance(v, Mapping):
                    entry[k] = dict(v)
                elif isinstance(v, tuple):
                    entry[k] = list(v)
            events.append(entry)
        return {
            "name": self.name,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "description": self.description,
            "duration_minutes": self.duration_minutes,
            "events": events,
        }


# --- loading and validation -------------------------------------------------------------------


class _Fields:
    """Typed access to one TOML table that remembers where it is, for the error messages."""

    def __init__(self, table: Mapping[str, Any], where: str) -> None:
        self.table = table
        self.where = where
        self.used: set[str] = set()

    def fail(self, key: str, problem: str) -> ScenarioError:
        return ScenarioError(f"{self.where}{key}: {problem}")

    def _raw(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.table:
            if required:
                raise self.fail(key, "missing")
            return None
        return self.table[key]

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self._raw(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, not {value!r}")
        return value.strip()

    def number(
        self,
        key: str,
        *,
        required: bool = True,
        minimum: float = 0.0,
        maximum: float = math.inf,
        strict_minimum: bool = False,
    ) -> float | None:
        value = self._raw(key, required)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(key, f"must be a number, not {value!r}")
        low_ok = value > minimum if strict_minimum else value >= minimum
        if not low_ok or value > maximum:
            bound = f"> {minimum}" if strict_minimum else f">= {minimum}"
            upper = "" if math.isinf(maximum) else f" and <= {maximum}"
            raise self.fail(key, f"must be {bound}{upper}, not {value!r}")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._raw(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {value!r}")
        return value

    def amounts(self, key: str, *, required: bool) -> dict[str, float]:
        value = self._raw(key, required)
        if value is None:
            return {}
        if not isinstance(value, Mapping) or not value:
            raise self.fail(key, "must be a table of parameter = amount")
        out: dict[str, float] = {}
        for param, amount in value.items():
            if param not in WATER_KEYS:
                raise self.fail(
                    f"{key}.{param}", f"unknown water parameter (one of {sorted(WATER_KEYS)})"
                )
            if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
                raise self.fail(f"{key}.{param}", f"must be a positive number, not {amount!r}")
            out[param] = float(amount)
        return out

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown field (a typo?)")


def _station(fields: _Fields, key: str, value: Any, registry: Registry | None) -> str:
    if not isinstance(value, str) or not value:
        raise fields.fail(key, f"must be a station id, not {value!r}")
    if registry is not None and registry.by_id(value) is None:
        raise fields.fail(key, f"unknown station {value!r}")
    return value


def _event(raw: Any, where: str, registry: Registry | None) -> Event:
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{where}: must be a table")
    f = _Fields(raw, where + ".")
    kind = f.text("kind")
    at = f.number("at_minutes")
    assert at is not None
    event: Event
    if kind == "spill":
        station = _station(f, "station", f._raw("station", True), registry)
        if registry is not None:
            found = registry.by_id(station)
            if found is not None and not found.is_water:
                raise f.fail("station", f"{station} is not a water section")
        event = SpillEvent(
            at_minutes=at,
            station=station,
            duration_minutes=_req(f.number("duration_minutes", strict_minimum=True)),
            travel_minutes_per_link=_req(f.number("travel_minutes_per_link")),
            attenuation_per_link=_req(
                f.number("attenuation_per_link", maximum=1.0, strict_minimum=True)
            ),
            increase=f.amounts("increase", required=True),
            decrease=f.amounts("decrease", required=False),
            emergency_interval_minutes=f.number(
                "emergency_interval_minutes", required=False, minimum=1.0
            ),
        )
    elif kind == "episode":
        direction = f.number("from_direction", required=False, maximum=360.0)
        event = EpisodeEvent(
            at_minutes=at,
            peak_pm25=_req(f.number("peak_pm25", strict_minimum=True, maximum=1000.0)),
            ramp_hours=_req(f.number("ramp_hours", strict_minimum=True)),
            plateau_hours=_req(f.number("plateau_hours")),
            clear_hours=_req(f.number("clear_hours", strict_minimum=True)),
            from_direction=direction,
            front_speed_kmh=f.number("front_speed_kmh", required=False, strict_minimum=True)
            or 20.0,
        )
    elif kind == "bloom":
        lake = _req(f.text("lake"))
        if registry is not None and not any(
            s.waterbody == "lake" and s.river == lake for s in registry
        ):
            raise f.fail("lake", f"no lake sections of {lake!r} in the registry")
        event = BloomEvent(
            at_minutes=at,
            lake=lake,
            ramp_hours=_req(f.number("ramp_hours", strict_minimum=True)),
            duration_hours=_req(f.number("duration_hours", strict_minimum=True)),
            increase=f.amounts("increase", required=True),
        )
    elif kind == "offline":
        raw_stations = f._raw("stations", True)
        if not isinstance(raw_stations, list) or not raw_stations:
            raise f.fail("stations", "must be a non-empty list of station ids")
        stations = tuple(
            _station(f, f"stations[{i}]", s, registry) for i, s in enumerate(raw_stations)
        )
        event = OfflineEvent(
            at_minutes=at,
            stations=stations,
            duration_minutes=_req(f.number("duration_minutes", strict_minimum=True)),
            hold=f.boolean("hold", False),
        )
    else:
        raise f.fail("kind", f"unknown event kind {kind!r} (one of {', '.join(EVENT_KINDS)})")
    f.finish()
    return event


def _req(value: float | str | None) -> Any:
    assert value is not None  # required fields raise before returning None
    return value


def scenario_from_toml(
    text: str, *, source: str | Path = "<scenario>", registry: Registry | None = None
) -> Scenario:
    """Parse and validate one scenario; errors name ``source`` and the field."""
    where = str(source)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{where}: not valid TOML: {exc}") from exc
    f = _Fields(doc, f"{where}: ")
    name = _req(f.text("name"))
    if not name.replace("_", "").replace("-", "").isalnum() or not name.isascii():
        raise f.fail("name", f"must be ASCII letters, digits, '_' or '-', not {name!r}")
    title = f._raw("title", True)
    if not isinstance(title, Mapping):
        raise f.fail("title", 'must be a table: title = { zh = "…", en = "…" }')
    tf = _Fields(title, f"{where}: title.")
    title_zh = _req(tf.text("zh"))
    title_en = _req(tf.text("en"))
    tf.finish()
    description = _req(f.text("description"))
    raw_events = f._raw("events", True)
    if not isinstance(raw_events, list) or not raw_events:
        raise f.fail("events", "must be a non-empty array of tables ([[events]])")
    events = tuple(
        _event(raw, f"{where}: events[{i}]", registry) for i, raw in enumerate(raw_events)
    )
    f.finish()
    path = Path(source) if isinstance(source, Path) else None
    return Scenario(name, title_zh, title_en, description, events, path)


def scenario_path(name: str, directory: Path = SCENARIO_DIR) -> Path:
    return directory / f"{name}.toml"


def available_scenarios(directory: Path = SCENARIO_DIR) -> list[str]:
    """Names of the scenario files shipped in resources/scenarios, sorted."""
    return sorted(p.stem for p in directory.glob("*.toml"))


def load_scenario(
    name_or_path: str | Path, registry: Registry | None = None, directory: Path = SCENARIO_DIR
) -> Scenario:
    """Load a scenario by name (resources/scenarios/NAME.toml) or by path.

    A file's ``name`` must equal its file name, so ``--scenario NAME`` and the drill list
    always agree on what a scenario is called.
    """
    path = Path(name_or_path)
    if path.suffix != ".toml":
        if not str(name_or_path) or any(c in str(name_or_path) for c in "/\\"):
            raise ScenarioError(f"bad scenario name {str(name_or_path)!r}")
        path = scenario_path(str(name_or_path), directory)
        if not path.exists():
            known = ", ".join(available_scenarios(directory)) or "none"
            raise ScenarioError(f"no scenario {str(name_or_path)!r} (available: {known})")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text: {exc}") from exc
    scenario = scenario_from_toml(text, source=path, registry=registry)
    if scenario.name != path.stem:
        raise ScenarioError(f"{path}: name: {scenario.name!r} differs from the file name")
    return scenario


# --- playing a scenario -----------------------------------------------------------------------


def _plume_profile(tau_min: float, duration_min: float) -> float:
    """Concentration profile of a passing plume: 30-minute rise, plateau, exponential tail."""
    if tau_min <= 0:
        return 0.0
    rise = min(30.0, duration_min / 4)
    if tau_min < rise:
        return tau_min / rise
    if tau_min < rise + duration_min:
        return 1.0
    return math.exp(-(tau_min - rise - duration_min) / (duration_min / 2))


def _smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


@dataclass
class _Hop:
    event: SpillEvent
    hops: int


@dataclass
class ScenarioTimeline:
    """A scenario bound to a registry and a start time: the effects at a station and instant.

    Times are POSIX seconds of *simulated* time. The air and water models ask this object how
    much to add or multiply; it holds no state that changes while playing, so the same question
    always gets the same answer (determinism, and backfill that agrees with the live stream).
    """

    scenario: Scenario
    registry: Registry
    start: float
    _spill_hops: dict[str, list[_Hop]] = field(default_factory=dict, init=False)
    _lake_blooms: dict[str, list[BloomEvent]] = field(default_factory=dict, init=False)
    _offline: dict[str, list[OfflineEvent]] = field(default_factory=dict, init=False)
    _episodes: list[EpisodeEvent] = field(default_factory=list, init=False)
    _centre: tuple[float, float] = field(default=(119.95, 31.7), init=False)

    def __post_init__(self) -> None:
        stations = list(self.registry)
        if stations:
            self._centre = (
                sum(s.lon for s in stations) / len(stations),
                sum(s.lat for s in stations) / len(stations),
            )
        for event in self.scenario.events:
            if isinstance(event, SpillEvent):
                # Breadth-first down the river: the hop count is the shortest path, so a
                # section reached two ways gets the earlier (stronger) arrival.
                seen = {event.station: 0}
                frontier = [event.station]
                while frontier:
                    nxt = []
                    for sid in frontier:
                        st = self.registry.by_id(sid)
                        for d in st.downstream if st else ():
                            if d not in seen:
                                seen[d] = seen[sid] + 1
                                nxt.append(d)
                    frontier = nxt
                for sid, hops in seen.items():
                    self._spill_hops.setdefault(sid, []).append(_Hop(event, hops))
            elif isinstance(event, BloomEvent):
                for s in stations:
                    if s.waterbody == "lake" and s.river == event.lake:
                        self._lake_blooms.setdefault(s.id, []).append(event)
            elif isinstance(event, OfflineEvent):
                for sid in event.stations:
                    self._offline.setdefault(sid, []).append(event)
            else:
                self._episodes.append(event)

    def minutes(self, t: float) -> float:
        return (t - self.start) / 60.0

    @property
    def end(self) -> float:
        """Simulated time when every effect has played out, plumes downstream included."""
        end = self.scenario.duration_minutes
        for hops in self._spill_hops.values():
            for hop in hops:
                spill = hop.event
                spread = 1.0 + 0.3 * hop.hops
                arrival = spill.at_minutes + hop.hops * spill.travel_minutes_per_link
                end = max(end, arrival + spill.duration_minutes * spread * (1 + _TAIL_LENGTHS))
        for episode in self._episodes:
            # Downwind stations see the episode start and end up to a few hours later.
            lag_h = 0.0 if episode.from_direction is None else 100.0 / episode.front_speed_kmh
            total_h = episode.ramp_hours + episode.plateau_hours + episode.clear_hours
            end = max(end, episode.at_minutes + 60 * (lag_h + total_h))
        return self.start + end * 60.0

    # air ------------------------------------------------------------------------------------

    def episode_weight(self, station: Station, t: float) -> tuple[float, float]:
        """(0..1 envelope, peak PM2.5) of the strongest episode at this station and time."""
        best = (0.0, 0.0)
        m = self.minutes(t)
        for e in self._episodes:
            delay_h = 0.0
            if e.from_direction is not None:
                # Distance of the station downwind of the city centre along the episode's
                # direction: the polluted air mass reaches the upwind side first.
                rad = math.radians(e.from_direction)
                dx = (
                    (station.lon - self._centre[0])
                    * _KM_PER_DEG_LAT
                    * math.cos(math.radians(self._centre[1]))
                )
                dy = (station.lat - self._centre[1]) * _KM_PER_DEG_LAT
                upwind_km = dx * math.sin(rad) + dy * math.cos(rad)
                delay_h = (30.0 - upwind_km) / e.front_speed_kmh
            h = (m - e.at_minutes) / 60.0 - max(0.0, delay_h)
            if h <= 0:
                continue
            if h < e.ramp_hours:
                w = _smoothstep(h / e.ramp_hours)
            elif h < e.ramp_hours + e.plateau_hours:
                w = 1.0
            else:
                w = 1.0 - _smoothstep((h - e.ramp_hours - e.plateau_hours) / e.clear_hours)
            if w > best[0]:
                best = (w, e.peak_pm25)
        return best

    # water ----------------------------------------------------------------------------------

    def water_effect(self, station: Station, t: float) -> tuple[dict[str, float], float]:
        """(additive changes by parameter, bloom envelope 0..1) for a section at time t.

        Decreases come back negative. The bloom envelope is returned separately because DO
        under a bloom swings with daylight, which only the water model knows.
        """
        delta: dict[str, float] = {}
        m = self.minutes(t)
        for hop in self._spill_hops.get(station.id, ()):
            e = hop.event
            spread = 1.0 + 0.3 * hop.hops  # the plume lengthens as it disperses downstream
            arrival = e.at_minutes + hop.hops * e.travel_minutes_per_link
            strength = e.attenuation_per_link**hop.hops / math.sqrt(spread)
            p = strength * _plume_profile(m - arrival, e.duration_minutes * spread)
            if p <= 1e-4:
                continue
            for k, v in e.increase.items():
                delta[k] = delta.get(k, 0.0) + v * p
            for k, v in e.decrease.items():
                delta[k] = delta.get(k, 0.0) - v * p
        bloom = 0.0
        for b in self._lake_blooms.get(station.id, ()):
            h = (m - b.at_minutes) / 60.0
            if h <= 0 or h >= b.duration_hours:
                continue
            ramp = _smoothstep(h / b.ramp_hours)
            fade = _smoothstep((b.duration_hours - h) / b.ramp_hours)
            w = min(ramp, fade)
            bloom = max(bloom, w)
            for k, v in b.increase.items():
                delta[k] = delta.get(k, 0.0) + v * w
        return delta, bloom

    def sampling_interval(self, station: Station, t: float) -> float | None:
        """Seconds between water samples while a spill's emergency monitoring is on, else None."""
        m = self.minutes(t)
        best: float | None = None
        for hop in self._spill_hops.get(station.id, ()):
            e = hop.event
            if e.emergency_interval_minutes is None or m < e.at_minutes:
                continue
            spread = 1.0 + 0.3 * hop.hops
            arrival = e.at_minutes + hop.hops * e.travel_minutes_per_link
            if m <= arrival + e.duration_minutes * spread * _TAIL_LENGTHS:
                seconds = e.emergency_interval_minutes * 60.0
                best = seconds if best is None else min(best, seconds)
        return best

    # offline --------------------------------------------------------------------------------

    def offline(self, station_id: str, t: float) -> OfflineEvent | None:
        """The offline event silencing this station at t, if any."""
        m = self.minutes(t)
        for e in self._offline.get(station_id, ()):
            if e.at_minutes <= m < e.at_minutes + e.duration_minutes:
                return e
        return None

    def offline_end(self, event: OfflineEvent) -> float:
        return self.start + (event.at_minutes + event.duration_minutes) * 60.0


def source_stations(timeline: ScenarioTimeline) -> Sequence[str]:
    """Ids of the sections where a scenario's events happen: a spill's own section and the
    sections of a blooming lake (downstream ones are reached later, and weaker)."""
    spills = {h.event.station for hops in timeline._spill_hops.values() for h in hops}
    return sorted(spills | set(timeline._lake_blooms))


def affected_stations(timeline: ScenarioTimeline) -> Sequence[str]:
    """Ids of the water sections a scenario's spills and blooms reach (for drill set-up)."""
    return sorted(set(timeline._spill_hops) | set(timeline._lake_blooms))
