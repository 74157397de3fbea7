"""The network simulator: virtual stations that send HJ 212—2017 packets to the ingest port.

Each air station sends minute data (CN 2051, ``-Avg`` and ``-Flag`` per parameter) every minute,
each water section hourly data (CN 2061) at its interval (4 h by default), over real TCP. Time is
*simulated*: at ``speed`` X it runs X times faster than the wall clock, and DataTime stamps are
simulated time (China Standard Time on the wire, as stations send it).

What a duty officer sees on a real network is there too, at configurable rates (`FaultRates`):

- instrument flags: maintenance hours (M), analyser faults (D), calibration windows on the gas
  analysers (C);
- dropouts: a station goes silent for a while and the data is lost;
- late data: a station holds its packets (a data logger buffering through a bad link) and sends
  them all when the link comes back;
- some stations set Flag=5 and expect a 9014 data reply, which the simulator reads and counts.

Two entry points:

- `generate_packets`: a pure generator (no network) of the packets the stations would send
  between two simulated instants, in send order; for tests and benchmarks.
- `run_simulation`: the async loop that connects to the ingest port and plays the network.

Every random choice is a pure function of (seed, station, time) (sim_noise), so a given seed
gives the same packets whatever window is asked for and however it is cut into pieces.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import math
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from dispatch_app.dataservice.hj212 import Hj212Error, PacketFramer, encode, parse
from dispatch_app.dataservice.sim_air import AirModel
from dispatch_app.dataservice.sim_noise import hash_of, key_of, mix64, uniform
from dispatch_app.dataservice.sim_water import WaterModel
from dispatch_app.network.registry import Registry, Station
from dispatch_app.network.scenarios import Scenario, ScenarioTimeline, load_scenario
from dispatch_app.standards.center_time import CENTER_TZ

log = logging.getLogger(__name__)

ST_AIR: Final = "22"
ST_WATER: Final = "21"
CN_MINUTE: Final = "2051"
CN_HOUR: Final = "2061"
TICK_S: Final = 60.0
SEND_GRAIN_S: Final = 2.0  # the live loop wakes for sends at most this often (simulated)
_HOUR: Final = 3600.0
GAS_KEYS: Final = frozenset({"SO2", "NO2", "CO", "O3"})
# Decimals on the wire per parameter key (ambient units); the analyser's reporting resolution.
DECIMALS: Final[dict[str, int]] = {
    "PM2.5": 1,
    "PM10": 1,
    "SO2": 1,
    "NO2": 1,
    "O3": 1,
    "CO": 3,
    "temp": 1,
    "humidity": 1,
    "wind_speed": 1,
    "wind_dir": 0,
    "pH": 2,
    "DO": 2,
    "water_temp": 1,
    "conductivity": 0,
    "CODMn": 2,
    "COD": 1,
    "NH3-N": 3,
    "TP": 3,
    "TN": 2,
}
# Streams of the fault decisions (distinct integers mixed with the station key).
_F_MAINT, _F_CAL, _F_FAULT, _F_DROP, _F_LATE, _F_REPLY, _F_DUR, _F_START = range(201, 209)
LATE_MAX_HOLD_S: Final = 3600.0
WATER_MAX_LATE_S: Final = 3 * 3600.0 + 180.0
Window = tuple[float, float]
DROPOUT_MAX_S: Final = 90 * 60.0
MAX_PENDING_REPLIES: Final = 50_000


@dataclass(frozen=True)
class FaultRates:
    """How often things go wrong. Air: per station-hour; water: per sample.

    The defaults are roughly what a network of this size shows: a station in maintenance about
    once a month, gas analysers calibrating every other day, a lost or late batch a few times a
    week across the whole network.
    """

    maintenance: float = 0.0015  # the whole hour (air) or sample (water) flagged M
    calibration: float = 0.02  # gas analysers: first 15 min of the hour flagged C; water: sample
    fault: float = 0.0005  # per parameter: an analyser fault (D) for the hour or sample
    dropout: float = 0.002  # a dropout starts in the hour (5–90 min lost); water: sample lost
    late: float = 0.002  # packets held 10–60 min (air) or 1–3 h (water), then sent late
    reply_share: float = 0.1  # share of stations that set Flag=5 (reply required)

    def __post_init__(self) -> None:
        for name in ("maintenance", "calibration", "fault", "dropout", "late", "reply_share"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise ValueError(f"FaultRates.{name} must be between 0 and 1, not {value!r}")


NO_FAULTS: Final = FaultRates(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class SimPacket:
    """One packet a virtual station sends: when, for what period, and the bytes on the wire."""

    send_time: float  # simulated POSIX seconds
    data_time: float  # period start (2051/2061), simulated POSIX seconds
    station_id: str
    cn: str
    flag: int
    qn: str
    data: bytes
    due: float = 0.0  # when it would have been sent had nothing held it back

    @property
    def late(self) -> bool:
        """Held back: sent more than five minutes after it would normally have gone out."""
        return self.send_time > self.due + 300.0


def cst_stamp(t: float) -> str:
    """POSIX seconds → HJ 212 time ``YYYYMMDDhhmmss`` in China Standard Time."""
    whole = math.floor(t)
    minute, second = divmod(whole, 60)
    prefix = _MINUTE_STAMPS.get(minute)
    if prefix is None:
        if len(_MINUTE_STAMPS) > 100_000:
            _MINUTE_STAMPS.clear()
        prefix = datetime.fromtimestamp(minute * 60, CENTER_TZ).strftime("%Y%m%d%H%M")
        _MINUTE_STAMPS[minute] = prefix
    return f"{prefix}{second:02d}"


_MINUTE_STAMPS: dict[int, str] = {}


def _qn(t: float) -> str:
    ms = int(t * 1000.0) % 1000
    return f"{cst_stamp(math.floor(t))}{ms:03d}"


def _release(held_from: float, back: float, t: float) -> float:
    """When a packet for period ``t``, held since ``held_from``, goes out after ``back``.

    The logger sends its buffer oldest first, a tenth of a second apart: the packets keep their
    order and each gets a QN of its own (replies are matched by MN and QN).
    """
    return back + 30.0 + max(0.0, t - held_from) / TICK_S * 0.1


def _fmt(key: str, value: float) -> str:
    decimals = DECIMALS.get(key, 3)
    text = f"{value:.{decimals}f}"
    return "0" if text in ("-0", "-0.0", "-0.00", "-0.000") else text


class NetworkSimulator:
    """The virtual network: which packets are sent when, with which values and flags.

    ``advance(until)`` produces, in send order, every packet whose send time falls before
    ``until``; it keeps held (late) packets between calls. Construct it with the window start;
    packets held from before the start that are released after it are included, so cutting a
    window into pieces never loses or duplicates a packet.
    """

    def __init__(
        self,
        registry: Registry,
        start: float,
        *,
        seed: int = 0,
        scenario: Scenario | None = None,
        rates: FaultRates | None = None,
        stations: Sequence[Station] | None = None,
        pw: str = "123456",
    ) -> None:
        self.registry = registry
        self.seed = seed
        self.rates = rates or FaultRates()
        self.pw = pw
        self.stations = tuple(stations if stations is not None else registry.stations)
        self.timeline = (
            ScenarioTimeline(scenario, registry, start) if scenario is not None else None
        )
        self.air = AirModel([s for s in self.stations if not s.is_water], seed, self.timeline)
        self.water = WaterModel(seed, self.timeline)
        self.start = start
        self._keys = {s.id: key_of(s.id) for s in self.stations}
        self._reply = {
            s.id: uniform(seed, self._keys[s.id], _F_REPLY) < self.rates.reply_share
            for s in self.stations
        }
        self._held: list[tuple[float, int, SimPacket]] = []
        self._count = 0
        # Start early enough to catch packets held before the window and released inside it:
        # air packets are held up to an hour, water samples up to three.
        self._air_from = start - LATE_MAX_HOLD_S - 2 * TICK_S
        self._cursor = math.floor((start - WATER_MAX_LATE_S - 2 * TICK_S) / TICK_S) * TICK_S
        self._flag_cache: dict[tuple[str, int], tuple[dict[str, str], bool]] = {}
        self._window_cache: dict[tuple[str, int], tuple[Window | None, Window | None]] = {}

    # schedule and faults --------------------------------------------------------------------

    def reply_required(self, station: Station) -> bool:
        return self._reply[station.id]

    def _u(self, station: Station, stream: int, *parts: int) -> float:
        return uniform(self.seed, self._keys[station.id], stream, *parts)

    def _windows(self, station: Station, hour: int) -> tuple[Window | None, Window | None]:
        """The dropout and the late-hold window that start in ``hour`` at a station, if any.

        Cached: every minute of the next two hours asks about the same windows.
        """
        key = (station.id, hour)
        cached = self._window_cache.get(key)
        if cached is not None:
            return cached
        if len(self._window_cache) > 200_000:
            self._window_cache.clear()
        r = self.rates
        drop: Window | None = None
        late: Window | None = None
        if r.dropout and self._u(station, _F_DROP, hour) < r.dropout:
            begin = hour * _HOUR + self._u(station, _F_START, hour, 1) * _HOUR
            length = 300.0 + self._u(station, _F_DUR, hour, 1) * (DROPOUT_MAX_S - 300.0)
            drop = (begin, begin + length)
        if r.late and self._u(station, _F_LATE, hour) < r.late:
            begin = hour * _HOUR + self._u(station, _F_START, hour, 2) * _HOUR
            length = 600.0 + self._u(station, _F_DUR, hour, 2) * (LATE_MAX_HOLD_S - 600.0)
            late = (begin, begin + length)
        result = (drop, late)
        self._window_cache[key] = result
        return result

    def _air_send_time(self, station: Station, t: float) -> float | None:
        """When the packet for the period starting at t is sent: None if lost, later if held."""
        hour = int(t // _HOUR)
        held_until = 0.0
        for h in (hour, hour - 1, hour - 2):
            drop, late = self._windows(station, h)
            if drop is not None and drop[0] <= t < drop[1]:
                return None
            if late is not None and late[0] <= t < late[1]:
                held_until = max(held_until, _release(late[0], late[1], t))
        return max(self._air_due(station, t), held_until)

    def _air_due(self, station: Station, t: float) -> float:
        """Loggers send a few seconds to half a minute after the period closes."""
        jitter = (mix64(self._keys[station.id] ^ int(t // TICK_S)) & 0xFFFF) / 65536.0
        return t + self._period(station) + 5.0 + 20.0 * jitter

    @staticmethod
    def _period(station: Station) -> float:
        """An air station's reporting period: its interval, in whole minutes (at least one)."""
        return max(TICK_S, round(station.interval_s / TICK_S) * TICK_S)

    def _water_send_time(self, station: Station, t: float) -> float | None:
        r = self.rates
        slot = int(t // TICK_S)
        if r.dropout and self._u(station, _F_DROP, slot) < r.dropout:
            return None
        send = self._water_due(station, t)
        if r.late and self._u(station, _F_LATE, slot) < r.late:
            send += _HOUR + 2 * _HOUR * self._u(station, _F_DUR, slot)
        return send

    def _flags(self, station: Station, t: float, hourly: bool) -> dict[str, str]:
        """Non-N flags by parameter key for the period starting at t."""
        if station.is_water:
            return self._sample_flags(station, int(t // TICK_S))
        hour = int(t // _HOUR)
        key = (station.id, hour)
        cached = self._flag_cache.get(key)
        if cached is None:
            if len(self._flag_cache) > 200_000:
                self._flag_cache.clear()
            cached = self._flag_cache[key] = self._hour_flags(station, hour)
        flags, calibrating = cached
        if calibrating and (hourly or t - hour * _HOUR < 900.0):
            # Calibration takes the first quarter of the hour (the whole hour in hourly data,
            # where the 15 minutes spoil the average's coverage).
            flags = dict(flags)
            for p in station.parameters:
                if p.key in GAS_KEYS:
                    flags.setdefault(p.key, "C")
        return flags

    def _hour_flags(self, station: Station, hour: int) -> tuple[dict[str, str], bool]:
        """An air station's hour: maintenance (all M) or analyser faults (D), and whether its
        gas analysers calibrate in it."""
        r = self.rates
        if self._u(station, _F_MAINT, hour) < r.maintenance:
            return {p.key: "M" for p in station.parameters}, False
        return self._faults(station, hour), self._u(station, _F_CAL, hour) < r.calibration

    def _sample_flags(self, station: Station, slot: int) -> dict[str, str]:
        """A water sample: maintenance (all M), calibration (all C) or analyser faults (D)."""
        r = self.rates
        if self._u(station, _F_MAINT, slot) < r.maintenance:
            return {p.key: "M" for p in station.parameters}
        if self._u(station, _F_CAL, slot) < r.calibration:
            return {p.key: "C" for p in station.parameters}
        return self._faults(station, slot)

    def _faults(self, station: Station, slot: int) -> dict[str, str]:
        fault = self.rates.fault
        return {
            p.key: "D"
            for p in station.parameters
            if self._u(station, _F_FAULT, slot, key_of(p.key)) < fault
        }

    # packets --------------------------------------------------------------------------------

    def _packet(
        self,
        station: Station,
        t: float,
        send: float,
        cn: str,
        values: dict[str, float],
        due: float | None = None,
    ) -> SimPacket:
        flags = self._flags(station, t, hourly=cn == CN_HOUR)
        cp: dict[str, str] = {"DataTime": cst_stamp(t)}
        for p in station.parameters:
            v = values.get(p.key)
            if v is None:
                continue
            flag = flags.get(p.key, "N")
            if flag == "D":
                # A faulty analyser reads nonsense: stuck at zero or far off.
                h = hash_of(self.seed, self._keys[station.id], int(t // _HOUR), key_of(p.key))
                v = 0.0 if h & 1 else v * (3.0 + (h >> 8) % 5)
            cp[f"{p.code}-Avg"] = _fmt(p.key, v)
            cp[f"{p.code}-Flag"] = flag
        packet_flag = 5 if self._reply[station.id] else 4
        qn = _qn(send)
        data = encode(
            st=ST_WATER if station.is_water else ST_AIR,
            cn=cn,
            mn=station.mn,
            cp=cp,
            pw=self.pw,
            qn=qn,
            flag=packet_flag,
        )
        return SimPacket(
            send, t, station.id, cn, packet_flag, qn, data, send if due is None else due
        )

    def _offline(self, station: Station, t: float, send: float) -> float | None:
        """Apply a scenario's offline event: None if the packet is lost, else its send time."""
        if self.timeline is None:
            return send
        event = self.timeline.offline(station.id, send)
        if event is None:
            event = self.timeline.offline(station.id, t)
        if event is None:
            return send
        if not event.hold:
            return None
        begin = self.timeline.start + event.at_minutes * 60.0
        return max(send, _release(begin, self.timeline.offline_end(event), t))

    def _water_due(self, station: Station, t: float) -> float:
        """A water sample is analysed and sent two to three minutes after it is taken."""
        return t + 120.0 + 60.0 * self._u(station, _F_START, int(t // TICK_S), 9)

    def _sample_due(self, station: Station, tick: float) -> bool:
        """Whether a water sample is taken in the minute starting at ``tick``."""
        interval = float(station.interval_s)
        if self.timeline is not None:
            emergency = self.timeline.sampling_interval(station, tick)
            if emergency is not None:
                interval = min(interval, emergency)
        # Samples are aligned to the interval in local time (00:00, 04:00, ... for 4 h).
        local = tick + 8 * _HOUR
        return local % interval < TICK_S

    def _tick(self, tick: float, only_after: float | None) -> None:
        """Create the packets for the minute starting at ``tick`` and hold them until sent."""
        air_too = only_after is None or tick >= self._air_from
        for s in self.stations:
            if s.is_water:
                if not self._sample_due(s, tick):
                    continue
                send = self._water_send_time(s, tick)
            elif air_too:
                period = self._period(s)
                # Periods are aligned in local time (xx:00, xx:05, ... for five minutes).
                if period > TICK_S and (tick + 8 * _HOUR) % period >= TICK_S:
                    continue
                send = self._air_send_time(s, tick)
            else:
                continue
            if send is None:
                continue
            send = self._offline(s, tick, send)
            if send is None or (only_after is not None and send < only_after):
                continue
            if s.is_water:
                due = self._water_due(s, tick)
                values = self.water.values(s, tick)
                packet = self._packet(s, tick, send, CN_HOUR, values, due)
            else:
                period = self._period(s)
                due = self._air_due(s, tick)
                if period >= _HOUR:
                    packet = self._packet(s, tick, send, CN_HOUR, self.air.hourly(s, tick), due)
                else:
                    values = self.air.values(s, tick + period / 2)
                    packet = self._packet(s, tick, send, CN_MINUTE, values, due)
            self._count += 1
            heapq.heappush(self._held, (send, self._count, packet))

    def next_send(self) -> float | None:
        """When the next packet held back is due to go out (simulated seconds), if any."""
        return self._held[0][0] if self._held else None

    def advance(self, until: float) -> list[SimPacket]:
        """Every packet sent before ``until`` (simulated seconds) and not yet returned."""
        while self._cursor + TICK_S <= until:
            tick = self._cursor
            # Before the window only packets released inside it matter: skip the rest cheaply.
            self._tick(tick, self.start if tick < self.start else None)
            self._cursor += TICK_S
        out: list[SimPacket] = []
        while self._held and self._held[0][0] < until:
            out.append(heapq.heappop(self._held)[2])
        return out

    def backfill(self, hours: int) -> list[SimPacket]:
        """Hourly (CN 2061) history for the ``hours`` full hours before ``start``: air hourly
        averages and the water samples of that period, then the minute data (CN 2051) of the
        hour the start falls in, in time order, with flags and dropouts applied.

        What a station's data logger re-sends after the platform asks for history (补传): it
        gives a fresh desk a day of curves to chart.
        """
        if hours <= 0:
            return []
        out: list[SimPacket] = []
        first = (math.floor(self.start / _HOUR) - hours) * _HOUR
        for i in range(hours):
            hour = first + i * _HOUR
            for s in self.stations:
                if s.is_water:
                    for minute in range(60):
                        t = hour + minute * TICK_S
                        if not self._sample_due(s, t):
                            continue
                        send = self._water_send_time(s, t)
                        # Lost samples stay lost; samples sent late, after the start, come
                        # through the live stream (once: never in both).
                        if send is not None and send < self.start:
                            out.append(self._packet(s, t, t, CN_HOUR, self.water.values(s, t)))
                    continue
                # A whole hour lost only when the station was down for most of it.
                if self._air_send_time(s, hour + 1800.0) is None:
                    continue
                out.append(self._packet(s, hour, hour, CN_HOUR, self.air.hourly(s, hour)))
        # The current hour up to the start has no hourly value yet: send its minutes, exactly
        # those the stations would have sent before the start (the live stream sends the rest).
        this_hour = math.floor(self.start / _HOUR) * _HOUR
        if this_hour < self.start:
            earlier = NetworkSimulator(
                self.registry,
                this_hour,
                seed=self.seed,
                rates=self.rates,
                stations=self.stations,
                pw=self.pw,
            )
            out.extend(earlier.advance(self.start))
        out.sort(key=lambda p: (p.data_time, p.station_id, p.cn))
        return out


def generate_packets(
    registry: Registry,
    start: datetime | float,
    end: datetime | float,
    *,
    seed: int = 0,
    scenario: Scenario | None = None,
    rates: FaultRates | None = None,
    stations: Sequence[Station] | None = None,
) -> Iterator[SimPacket]:
    """The packets the stations send in [start, end) of simulated time, in send order.

    No network and no clock: a pure function of its arguments, for tests and benchmarks.
    ``start``/``end`` are aware datetimes or POSIX seconds; a scenario's offsets count from
    ``start``.
    """
    t0 = _seconds(start)
    t1 = _seconds(end)
    if t1 < t0:
        raise ValueError("end is before start")
    sim = NetworkSimulator(
        registry, t0, seed=seed, scenario=scenario, rates=rates, stations=stations
    )
    step = 600.0
    t = t0
    while t < t1:
        t = min(t + step, t1)
        yield from sim.advance(t)


def _seconds(t: datetime | float) -> float:
    if isinstance(t, datetime):
        if t.tzinfo is None:
            raise ValueError("simulated times must be timezone-aware")
        return t.timestamp()
    return float(t)


# --- the network on TCP -----------------------------------------------------------------------


@dataclass
class SimulationStats:
    """What the simulator did; the tests and the data service's log read it."""

    packets_sent: int = 0
    backfill_sent: int = 0
    replies_expected: int = 0
    replies_received: int = 0
    replies_bad: int = 0
    reconnects: int = 0
    dropped_buffer_full: int = 0
    sim_time: float = 0.0
    replies_missing: int = 0  # expected replies given up on (too many outstanding)
    pending_replies: dict[str, None] = field(default_factory=dict)  # "MN/QN", oldest first


class _Link:
    """One TCP connection of a virtual data logger, carrying the packets of its stations.

    Packets are queued and written in order; when the connection drops they stay queued (up to
    ``max_buffer``) and are sent after the reconnect, as a data logger re-sends what the
    platform did not receive. A reader task consumes the platform's replies.
    """

    def __init__(
        self, host: str, port: int, stats: SimulationStats, max_buffer: int = 20000
    ) -> None:
        self.host = host
        self.port = port
        self.stats = stats
        self.queue: deque[SimPacket] = deque()
        self.max_buffer = max_buffer
        self.wakeup = asyncio.Event()
        self.writer: asyncio.StreamWriter | None = None
        self.reader_task: asyncio.Task[None] | None = None

    def put(self, packet: SimPacket) -> None:
        if len(self.queue) >= self.max_buffer:
            self.queue.popleft()
            self.stats.dropped_buffer_full += 1
        self.queue.append(packet)
        self.wakeup.set()

    async def _connect(self, stop: asyncio.Event) -> bool:
        delay = 0.2
        while not stop.is_set():
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError as exc:
                log.debug("simulator: cannot connect to %s:%s: %s", self.host, self.port, exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                delay = min(delay * 2, 5.0)
                continue
            self.writer = writer
            self.reader_task = asyncio.create_task(self._read(reader))
            return True
        return False

    async def _read(self, reader: asyncio.StreamReader) -> None:
        framer = PacketFramer()
        stats = self.stats
        while True:
            try:
                chunk = await reader.read(4096)
            except (ConnectionError, OSError):
                return
            if not chunk:
                return
            for item in framer.feed(chunk):
                if isinstance(item, Hj212Error):
                    stats.replies_bad += 1
                    continue
                try:
                    reply = parse(item)
                except Hj212Error:
                    stats.replies_bad += 1
                    continue
                key = f"{reply.mn}/{reply.qn}"
                if reply.cn == "9014" and key in stats.pending_replies:
                    del stats.pending_replies[key]
                    stats.replies_received += 1
                else:
                    stats.replies_bad += 1

    async def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
            self.writer = None
        if self.reader_task is not None:
            self.reader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader_task
            self.reader_task = None

    def _sent(self, batch: list[SimPacket], registry: Registry) -> None:
        """Take a written batch off the queue and expect replies where Flag asks for them."""
        stats = self.stats
        for _ in range(min(len(batch), len(self.queue))):
            p = self.queue.popleft()
            stats.packets_sent += 1
            if p.flag & 1:
                st = registry.by_id(p.station_id)
                if st is not None:
                    stats.replies_expected += 1
                    stats.pending_replies[f"{st.mn}/{p.qn}"] = None
        # A platform that never answers must not grow this forever: forget the oldest.
        while len(stats.pending_replies) > MAX_PENDING_REPLIES:
            del stats.pending_replies[next(iter(stats.pending_replies))]
            stats.replies_missing += 1

    async def run(self, stop: asyncio.Event, registry: Registry) -> None:
        try:
            while not stop.is_set():
                # The reader ends when the platform hangs up: stop writing into that socket
                # (the bytes would vanish) and reconnect instead.
                hung_up = self.reader_task is not None and self.reader_task.done()
                if self.writer is None or self.writer.is_closing() or hung_up:
                    if self.writer is not None:
                        self.stats.reconnects += 1
                        await self._close()
                    if not await self._connect(stop):
                        return
                if not self.queue:
                    self.wakeup.clear()
                    waiter = asyncio.ensure_future(self.wakeup.wait())
                    stopper = asyncio.ensure_future(stop.wait())
                    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                    waiter.cancel()
                    stopper.cancel()
                    continue
                assert self.writer is not None
                batch = list(self.queue)
                try:
                    self.writer.write(b"".join(p.data for p in batch))
                    await self.writer.drain()
                except (ConnectionError, OSError):
                    await self._close()
                    self.stats.reconnects += 1
                    continue  # the batch stays queued and goes out after the reconnect
                self._sent(batch, registry)
            # Stopping: what is already queued still goes out (a data logger shutting down
            # flushes its buffer), if the platform is there to take it.
            if self.queue and self.writer is not None and not self.writer.is_closing():
                batch = list(self.queue)
                with contextlib.suppress(ConnectionError, OSError, TimeoutError):
                    self.writer.write(b"".join(p.data for p in batch))
                    await asyncio.wait_for(self.writer.drain(), 2.0)
                    self._sent(batch, registry)
        finally:
            # Give the platform a moment to answer what was just sent, then hang up.
            if self.writer is not None and self.stats.pending_replies:
                with contextlib.suppress(Exception):
                    await asyncio.sleep(0.2)
            await self._close()


class Simulation:
    """A running simulated network: a clock, the virtual stations and their TCP links."""

    def __init__(
        self,
        registry: Registry,
        host: str,
        port: int,
        *,
        speed: float = 1.0,
        scenario: str | Scenario | None = None,
        seed: int = 0,
        backfill_hours: int = 0,
        start: float | None = None,
        rates: FaultRates | None = None,
        links: int = 32,
    ) -> None:
        if not (isinstance(speed, int | float) and math.isfinite(speed) and speed > 0):
            raise ValueError(f"speed must be a positive number, not {speed!r}")
        if backfill_hours < 0:
            raise ValueError(f"backfill_hours must be 0 or more, not {backfill_hours!r}")
        if isinstance(scenario, str):
            scenario = load_scenario(scenario, registry)
        self.registry = registry
        self.host = host
        self.port = port
        self.speed = float(speed)
        self.scenario = scenario
        self.seed = seed
        self.backfill_hours = backfill_hours
        # Packets start on a whole minute so the first ones are full minutes; the clock runs
        # from the moment given (or now), so at speed 1 simulated time is the wall clock's and
        # the stations' data is as current as a real network's.
        self.origin = time.time() if start is None else float(start)
        self.start = math.floor(self.origin / TICK_S) * TICK_S
        self.rates = rates
        self.stats = SimulationStats(sim_time=self.start)
        self.n_links = max(1, min(links, len(registry.stations)))

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Play the network until ``stop`` is set (or forever), then close the links."""
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        # Packets are computed in a worker thread of their own: the event loop it shares with
        # the ingest and the HTTP API keeps answering while a fast simulation works, and one
        # thread means the simulator's state is never touched concurrently.
        worker = ThreadPoolExecutor(1, thread_name_prefix="ds-simulator")
        sim = NetworkSimulator(
            self.registry, self.start, seed=self.seed, scenario=self.scenario, rates=self.rates
        )
        links = [_Link(self.host, self.port, self.stats) for _ in range(self.n_links)]
        route = {s.id: links[i % self.n_links] for i, s in enumerate(self.registry.stations)}
        tasks = [asyncio.create_task(link.run(stop, self.registry)) for link in links]
        behind_warned = 0.0
        # The clock runs from here, the history being computed or not: the live minutes then
        # catch up, rather than the whole simulation lagging the wall clock by the backfill.
        t0_real = loop.time()
        # Where simulated time stands against the wall clock: whoever reads the data (a test, a
        # drill's report) can tell "now" in the simulation from this line.
        log.info(
            "simulation clock: simulated %.3f at wall clock %.3f, speed %g",
            self.origin,
            time.time(),
            self.speed,
        )
        try:
            # History first, through the same links, before the live minutes.
            for packet in await loop.run_in_executor(worker, sim.backfill, self.backfill_hours):
                route[packet.station_id].put(packet)
                self.stats.backfill_sent += 1
            while not stop.is_set():
                now_sim = self.origin + (loop.time() - t0_real) * self.speed
                # Slices of at most ten simulated minutes: packets go out while the rest of a
                # long stretch (high speed, or catching up) is still being computed.
                cursor = self.stats.sim_time
                while cursor < now_sim and not stop.is_set():
                    cursor = min(cursor + 600.0, now_sim)
                    for packet in await loop.run_in_executor(worker, sim.advance, cursor):
                        route[packet.station_id].put(packet)
                    self.stats.sim_time = cursor
                lag = self.origin + (loop.time() - t0_real) * self.speed - self.stats.sim_time
                if lag > 600.0 and loop.time() - behind_warned > 60.0:
                    behind_warned = loop.time()
                    log.warning(
                        "simulator is %.0f simulated minutes behind its clock: "
                        "speed %.0f is more than this machine can compute",
                        lag / 60.0,
                        self.speed,
                    )
                # Sleep until the next simulated minute boundary or the next held packet's send
                # time, whichever comes first (a logger sends seconds after its minute closes,
                # not at the next minute), at least a couple of simulated seconds apart.
                next_event = (math.floor(now_sim / TICK_S) + 1) * TICK_S
                next_send = sim.next_send()
                if next_send is not None:
                    next_event = min(next_event, max(next_send, now_sim + SEND_GRAIN_S))
                delay = max(0.01, (next_event - now_sim) / self.speed)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
        finally:
            stop.set()
            for link in links:
                link.wakeup.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            worker.shutdown(wait=False, cancel_futures=True)


async def run_simulation(
    registry: Registry,
    host: str,
    port: int,
    *,
    speed: float = 1.0,
    scenario: str | None = None,
    seed: int = 0,
    backfill_hours: int = 0,
    stop: asyncio.Event | None = None,
) -> None:
    """Play the whole network of ``registry`` into the HJ 212 port until ``stop`` is set.

    ``speed`` X runs simulated time X times faster than the wall clock (DataTime is simulated
    time, starting now). ``scenario`` names a drill in resources/scenarios (raises
    `ScenarioError` if it does not exist or is invalid). ``backfill_hours`` first sends that
    many hours of hourly history. The connection is re-made with backoff if the platform goes
    away; packets wait in the data logger's buffer meanwhile.
    """
    await Simulation(
        registry,
        host,
        port,
        speed=speed,
        scenario=scenario,
        seed=seed,
        backfill_hours=backfill_hours,
    ).run(stop)


__all__ = [
    "FaultRates",
    "NetworkSimulator",
    "SimPacket",
    "Simulation",
    "SimulationStats",
    "generate_packets",
    "run_simulation",
]
