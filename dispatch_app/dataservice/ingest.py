"""HJ 212 TCP ingest: many stations at once, every packet checked, nothing lost, nothing stalls.

One asyncio task per connection cuts the stream into packets (`PacketFramer`), checks them
(`parse`), joins split packets and turns data packets into observations through the registry.
Observations go to one `ObservationWriter` task that batches them and writes off the event loop
in a single worker thread; its queue is bounded, so a database that falls behind slows the
readers (TCP back-pressure) instead of growing memory or dropping data. A station that asks for a
reply (Flag A bit) gets its 9014 data reply only once its observations are committed.

Limits per connection keep one bad client from exhausting the service: a maximum packet size, an
idle timeout, a deadline for finishing a packet once it has begun (a client trickling one byte a
minute is cut off), a cap on consecutive bad packets, a cap on unread replies, and a cap on the
number of connections. Bad packets are counted by fault, logged (throttled) and, when the packet
still names its MN, answered with a 9011 reply whose QnRtn says what was wrong. Nothing a client
sends can stop the listener.
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from dispatch_app.dataservice.config import DEFAULT_IDLE_TIMEOUT_S, DEFAULT_MAX_CONNECTIONS
from dispatch_app.dataservice.hj212 import (
    MAX_PACKET_LENGTH,
    Hj212Error,
    Packet,
    PacketFramer,
    SplitReassembler,
    data_reply,
    frame,
    parse,
    reply_segment,
)
from dispatch_app.dataservice.storage import (
    DATA_CNS,
    Observation,
    Storage,
    StorageError,
)
from dispatch_app.network.registry import Registry, Station
from dispatch_app.standards.center_time import CENTER_UTC_OFFSET_S

log = logging.getLogger(__name__)

DATA_FLAGS = frozenset("NFMSDCTB")  # HJ 212—2017 data flags (REFERENCE.md §5)
MAX_FUTURE_S = 3600  # a DataTime further ahead than this is a station clock fault, not data

# QnRtn codes of the 9011 request reply (HJ 212—2017 Table 8)
QNRTN_PW = 3
QNRTN_MN = 4
QNRTN_ST = 5
QNRTN_FLAG = 6
QNRTN_QN = 7
QNRTN_CN = 8
QNRTN_CRC = 9
QNRTN_UNKNOWN = 100


@dataclass(frozen=True)
class IngestLimits:
    max_packet: int = MAX_PACKET_LENGTH
    idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
    packet_timeout_s: float = 30.0  # from the first byte of a packet to its CR LF
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    # One address may not take every slot. High enough for a gateway or the simulator, which
    # brings the whole network (~360 stations) from one address.
    max_connections_per_host: int = 1000
    max_consecutive_faults: int = 50
    # None turns the check off: an accelerated simulation (--speed > 1) runs its station
    # clocks ahead of the wall clock on purpose.
    max_future_s: float | None = MAX_FUTURE_S
    max_unread_reply_bytes: int = 64 * 1024
    read_size: int = 16 * 1024


@dataclass
class IngestStats:
    """Counters the health endpoint exposes; only touched on the event loop thread."""

    connections_total: int = 0
    connections_active: int = 0
    connections_rejected: int = 0
    closed_idle: int = 0
    closed_slow_packet: int = 0
    closed_faults: int = 0
    closed_unread: int = 0
    packets_ok: int = 0
    packets_bad: Counter[str] = field(default_factory=Counter)
    packets_unknown_mn: int = 0
    packets_other_cn: int = 0
    split_parts: int = 0
    observations_queued: int = 0
    observations_stored: int = 0
    observations_rejected: int = 0
    replies_sent: int = 0
    write_failures: int = 0
    last_packet_s: float | None = None
    last_write_ok_s: float | None = None
    last_write_error_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "connections_total": self.connections_total,
            "connections_active": self.connections_active,
            "connections_rejected": self.connections_rejected,
            "closed_idle": self.closed_idle,
            "closed_slow_packet": self.closed_slow_packet,
            "closed_faults": self.closed_faults,
            "closed_unread": self.closed_unread,
            "packets_ok": self.packets_ok,
            "packets_bad": dict(self.packets_bad),
            "packets_bad_total": sum(self.packets_bad.values()),
            "packets_unknown_mn": self.packets_unknown_mn,
            "packets_other_cn": self.packets_other_cn,
            "split_parts": self.split_parts,
            "observations_queued": self.observations_queued,
            "observations_stored": self.observations_stored,
            "observations_rejected": self.observations_rejected,
            "replies_sent": self.replies_sent,
            "write_failures": self.write_failures,
        }


class _LogThrottle:
    """At most one log line per key per ``period_s``; the next line says how many were skipped."""

    def __init__(self, period_s: float = 10.0) -> None:
        self.period_s = period_s
        self._last: dict[str, float] = {}
        self._skipped: Counter[str] = Counter()

    MAX_KEYS = 1024  # keys come from the wire (MNs): never let them grow without bound

    def warning(self, key: str, message: str, *args: object) -> None:
        now = time.monotonic()
        if key not in self._last and len(self._last) >= self.MAX_KEYS:
            self._last.clear()
            self._skipped.clear()
        if now - self._last.get(key, -1e9) < self.period_s:
            self._skipped[key] += 1
            return
        skipped = self._skipped.pop(key, 0)
        self._last[key] = now
        suffix = f" ({skipped} similar suppressed)" if skipped else ""
        log.warning(message + suffix, *args)


# --- packet → observations --------------------------------------------------------------------


def data_time_s(text: str) -> int:
    """HJ 212 DataTime (YYYYMMDDhhmmss, China Standard Time) → seconds since the epoch, UTC."""
    if len(text) != 14 or not text.isdigit():
        raise Hj212Error("cp", f"DataTime={text!r} is not YYYYMMDDhhmmss")
    y, mo, d = int(text[0:4]), int(text[4:6]), int(text[6:8])
    h, mi, s = int(text[8:10]), int(text[10:12]), int(text[12:14])
    if not (1970 <= y <= 2999 and 1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 60):
        raise Hj212Error("cp", f"DataTime={text!r} is not a valid time")
    if d > calendar.monthrange(y, mo)[1]:
        raise Hj212Error("cp", f"DataTime={text!r} is not a valid date")
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - CENTER_UTC_OFFSET_S


def observations_from_packet(
    packet: Packet,
    station: Station,
    now_s: float | None = None,
    max_future_s: float | None = MAX_FUTURE_S,
) -> tuple[list[Observation], list[str]]:
    """The observations a data packet carries, and a note for each item that had to be refused.

    Real-time data (2011) carries ``-Rtd``; minute, hourly and daily data carry ``-Avg``; either
    is accepted when the expected one is absent. A missing ``-Flag`` means N. Codes the registry
    does not list for this station are refused (the unit would be unknown).
    """
    cp = packet.cp
    stamp = cp.get("DataTime")
    if stamp is None:
        raise Hj212Error("cp", f"CN={packet.cn} data without DataTime")
    t = data_time_s(stamp)
    if max_future_s is not None:
        now = time.time() if now_s is None else now_s
        if t > now + max_future_s:
            raise Hj212Error(
                "cp", f"DataTime={stamp} is more than {max_future_s:.0f} s in the future"
            )
    first, second = ("-Rtd", "-Avg") if packet.cn == "2011" else ("-Avg", "-Rtd")
    out: list[Observation] = []
    problems: list[str] = []
    seen: set[str] = set()
    for name in cp:
        code, dash, _ = name.partition("-")
        if not dash or code in seen:
            continue
        seen.add(code)
        raw = cp.get(code + first)
        if raw is None:
            raw = cp.get(code + second)
        if raw is None:
            continue  # Min/Max/Flag only: nothing to store for this code
        param = station.parameter_by_code(code)
        if param is None:
            problems.append(f"code {code} is not a parameter of {station.id}")
            continue
        flag = cp.get(code + "-Flag", "N")
        if flag not in DATA_FLAGS:
            problems.append(f"{code}-Flag={flag!r} is not an HJ 212 data flag")
            continue
        value: float | None
        if raw == "":
            value = None
        else:
            try:
                value = float(raw)
            except ValueError:
                problems.append(f"{code} value {raw!r} is not a number")
                continue
            if value != value or value in (float("inf"), float("-inf")):
                problems.append(f"{code} value {raw!r} is not finite")
                continue
        out.append(Observation(station.id, param.key, t, value, flag, packet.cn))
    return out, problems


def _addressable(frame_bytes: bytes) -> dict[str, str]:
    """QN, PW and MN of a packet that failed its checks, read leniently, to address a reply."""
    segment = frame_bytes[6:-6].decode("ascii", errors="replace")
    head = segment.split("CP=", 1)[0]
    fields: dict[str, str] = {}
    for part in head.split(";"):
        name, sep, value = part.partition("=")
        if sep and name in ("QN", "PW", "MN") and name not in fields:
            fields[name] = value
    mn = fields.get("MN", "")
    if not mn or len(mn) > 24 or not mn.isascii() or not mn.isprintable():
        return {}
    qn = fields.get("QN", "")
    if not (len(qn) == 17 and qn.isdigit()):
        fields.pop("QN", None)
    pw = fields.get("PW", "")
    if len(pw) > 6 or not pw.isascii() or not pw.isprintable() or any(c in pw for c in ";&,="):
        fields["PW"] = ""
    return fields


def _qnrtn(error: Hj212Error) -> int:
    if error.fault == "crc":
        return QNRTN_CRC
    if error.fault == "field":
        for prefix, code in (
            ("QN", QNRTN_QN),
            ("ST", QNRTN_ST),
            ("CN", QNRTN_CN),
            ("PW", QNRTN_PW),
            ("MN", QNRTN_MN),
            ("Flag", QNRTN_FLAG),
        ):
            if error.detail.startswith(prefix) or error.detail == f"missing {prefix}":
                return code
    return QNRTN_UNKNOWN


def request_reply(qn: str | None, pw: str, mn: str, qnrtn: int) -> bytes:
    """A 9011 request reply (ST=91) carrying QnRtn."""
    probe = Packet(qn, "91", "9011", pw, mn, 4, None, None, {})
    return frame(reply_segment(probe, cn="9011", cp={"QnRtn": str(qnrtn)}))


# --- the writer -------------------------------------------------------------------------------


Committed = Callable[[], None]


class ObservationWriter:
    """Batches observations from all connections and writes them in one worker thread.

    ``max_batch`` bounds one transaction; ``linger_s`` is how long a small batch waits for more
    company. A failed write is retried with backoff, the same batch, until it succeeds or the
    writer is stopped, so nothing accepted is silently dropped.
    """

    def __init__(
        self,
        storage: Storage,
        stats: IngestStats,
        *,
        max_batch: int = 5000,
        linger_s: float = 0.05,
        queue_packets: int = 10000,
    ) -> None:
        self.storage = storage
        self.stats = stats
        self.max_batch = max_batch
        self.linger_s = linger_s
        self._queue: asyncio.Queue[tuple[list[Observation], Committed | None]] = asyncio.Queue(
            queue_packets
        )
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="ds-writer")
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.on_commit: Callable[[int], None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="ds-writer")
        self._task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            # Should not happen (_write retries everything); if it does, say so loudly: ingest
            # will stall on the full queue rather than drop data.
            self.stats.last_write_error_s = time.time()
            log.critical("the observation writer stopped", exc_info=task.exception())

    async def put(self, observations: list[Observation], committed: Committed | None) -> None:
        self.stats.observations_queued += len(observations)
        await self._queue.put((observations, committed))

    @property
    def backlog(self) -> int:
        return self._queue.qsize()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self._queue.get()
            items = [first]
            count = len(first[0])
            deadline = loop.time() + self.linger_s
            while count < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    remaining = deadline - loop.time()
                    if remaining <= 0 or self._stopping:
                        break
                    try:
                        item = await asyncio.wait_for(self._queue.get(), remaining)
                    except TimeoutError:
                        break
                items.append(item)
                count += len(item[0])
            batch = [o for obs, _ in items for o in obs]
            await self._write(batch)
            for _ in items:
                self._queue.task_done()
            for _, committed in items:
                if committed is not None:
                    try:
                        committed()
                    except Exception:  # a reply to a vanished client must not stop the writer
                        log.exception("reply after commit failed")

    async def _write(self, batch: list[Observation]) -> None:
        loop = asyncio.get_running_loop()
        delay = 0.2
        while True:
            try:
                result = await loop.run_in_executor(self._executor, self.storage.write, batch)
            except Exception as exc:  # StorageError, or a bug: either way keep the batch
                self.stats.write_failures += 1
                self.stats.last_write_error_s = time.time()
                if not isinstance(exc, StorageError):
                    log.exception("unexpected error while storing observations")
                log.error(
                    "storing %d observations failed, retrying in %.1fs: %s", len(batch), delay, exc
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            self.stats.observations_stored += len(batch)
            self.stats.last_write_ok_s = time.time()
            if self.on_commit is not None:
                self.on_commit(result.cursor)
            return

    async def drain(self) -> None:
        """Wait until everything queued so far is committed."""
        await self._queue.join()

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Write what is queued (bounded by ``timeout_s``), then stop the task and the thread."""
        self._stopping = True
        if self._task is not None:
            try:
                await asyncio.wait_for(self._queue.join(), timeout_s)
            except TimeoutError:
                log.error("writer stopped with %d packets unwritten", self._queue.qsize())
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._executor.shutdown(wait=True)


# --- the TCP server ---------------------------------------------------------------------------


class _Connection:
    __slots__ = ("faults", "peer", "reassembler", "writer")

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.peer = str(writer.get_extra_info("peername"))
        self.reassembler = SplitReassembler()
        self.faults = 0


class IngestServer:
    """The HJ 212 listener. ``start`` binds (port 0 picks a free port); ``close`` stops it."""

    def __init__(
        self,
        registry: Registry,
        writer: ObservationWriter,
        limits: IngestLimits | None = None,
        stats: IngestStats | None = None,
    ) -> None:
        self.registry = registry
        self.writer = writer
        self.limits = limits or IngestLimits()
        self.stats = stats or writer.stats
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self._per_host: dict[str, int] = {}
        self._throttle = _LogThrottle()

    @property
    def port(self) -> int:
        assert self._server is not None and self._server.sockets
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self, host: str, port: int) -> int:
        self._server = await asyncio.start_server(
            self._handle, host, port, limit=self.limits.read_size, backlog=1024
        )
        return self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for w in list(self._connections):
            w.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stats, limits = self.stats, self.limits
        peername = writer.get_extra_info("peername")
        host = str(peername[0]) if isinstance(peername, tuple) and peername else str(peername)
        per_host = self._per_host.get(host, 0)
        if (
            stats.connections_active >= limits.max_connections
            or per_host >= limits.max_connections_per_host
        ):
            stats.connections_rejected += 1
            self._throttle.warning(
                "conn-limit",
                "connection limit reached (%d in all, %d from %s): refusing",
                stats.connections_active,
                per_host,
                host,
            )
            writer.close()
            return
        stats.connections_total += 1
        stats.connections_active += 1
        self._per_host[host] = per_host + 1
        self._connections.add(writer)
        conn = _Connection(writer)
        framer = PacketFramer(limits.max_packet)
        loop = asyncio.get_running_loop()
        packet_deadline: float | None = None
        try:
            while not writer.is_closing():
                now = loop.time()
                timeout = limits.idle_timeout_s
                if packet_deadline is not None:
                    timeout = min(timeout, packet_deadline - now)
                    if timeout <= 0:
                        stats.closed_slow_packet += 1
                        self._throttle.warning(
                            "slow",
                            "%s did not finish a packet in %.0fs: closing",
                            conn.peer,
                            limits.packet_timeout_s,
                        )
                        break
                try:
                    chunk = await asyncio.wait_for(reader.read(limits.read_size), timeout)
                except TimeoutError:
                    if packet_deadline is not None and loop.time() >= packet_deadline:
                        stats.closed_slow_packet += 1
                    else:
                        stats.closed_idle += 1
                    break
                except (ConnectionError, OSError):
                    break
                if not chunk:
                    break
                items = framer.feed(chunk)
                for item in items:
                    if isinstance(item, Hj212Error):
                        self._fault(conn, item, None)
                    else:
                        await self._packet(conn, item)
                if conn.faults >= limits.max_consecutive_faults:
                    stats.closed_faults += 1
                    self._throttle.warning(
                        "faults", "%s sent %d bad packets in a row: closing", conn.peer, conn.faults
                    )
                    break
                if framer.pending == 0:
                    packet_deadline = None
                elif packet_deadline is None or items:
                    packet_deadline = loop.time() + limits.packet_timeout_s
        except Exception:  # a bug in one connection must not take the listener down
            log.exception("ingest connection %s failed", conn.peer)
        finally:
            stats.connections_active -= 1
            left = self._per_host[host] - 1
            if left:
                self._per_host[host] = left
            else:
                del self._per_host[host]
            self._connections.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def _send(self, conn: _Connection, data: bytes) -> None:
        w = conn.writer
        if w.is_closing():
            return
        transport = w.transport
        if transport.get_write_buffer_size() > self.limits.max_unread_reply_bytes:
            self.stats.closed_unread += 1
            self._throttle.warning("unread", "%s does not read its replies: closing", conn.peer)
            w.close()
            return
        w.write(data)
        self.stats.replies_sent += 1

    def _fault(self, conn: _Connection, error: Hj212Error, frame_bytes: bytes | None) -> None:
        self.stats.packets_bad[error.fault] += 1
        conn.faults += 1
        self._throttle.warning(
            f"fault-{error.fault}", "bad HJ 212 packet from %s: %s", conn.peer, error
        )
        if frame_bytes is None:
            return
        who = _addressable(frame_bytes)
        if who:
            self._send(
                conn, request_reply(who.get("QN"), who.get("PW", ""), who["MN"], _qnrtn(error))
            )

    async def _packet(self, conn: _Connection, frame_bytes: bytes) -> None:
        stats = self.stats
        try:
            packet = parse(frame_bytes)
        except Hj212Error as exc:
            self._fault(conn, exc, frame_bytes)
            return
        stats.last_packet_s = time.time()
        if packet.split:
            stats.split_parts += 1
            try:
                whole = conn.reassembler.add(packet)
            except Hj212Error as exc:
                self._fault(conn, exc, frame_bytes)
                return
            if whole is None:  # more parts to come: acknowledge this one now
                conn.faults = 0
                if packet.reply_required:
                    self._send(conn, data_reply(packet))
                return
            reply_to = packet
            packet = whole
        else:
            reply_to = packet
        station = self.registry.by_mn(packet.mn)
        if station is None:
            stats.packets_unknown_mn += 1
            self._throttle.warning(
                f"mn-{packet.mn}", "packet from unknown MN %s (%s)", packet.mn, conn.peer
            )
            self._send(conn, request_reply(packet.qn, packet.pw, packet.mn, QNRTN_MN))
            return
        if packet.cn not in DATA_CNS:
            stats.packets_other_cn += 1
            conn.faults = 0
            if packet.reply_required:
                self._send(conn, data_reply(reply_to))
            return
        try:
            observations, problems = observations_from_packet(
                packet, station, max_future_s=self.limits.max_future_s
            )
        except Hj212Error as exc:
            self._fault(conn, exc, frame_bytes)
            return
        stats.packets_ok += 1
        conn.faults = 0
        if problems:
            stats.observations_rejected += len(problems)
            self._throttle.warning(
                f"obs-{station.id}",
                "%s: refused %d items: %s",
                station.id,
                len(problems),
                "; ".join(problems[:3]),
            )
        committed: Committed | None = None
        if reply_to.reply_required:
            reply = data_reply(reply_to)

            def committed() -> None:
                self._send(conn, reply)

        if observations:
            await self.writer.put(observations, committed)
        elif committed is not None:
            committed()
