"""The data service HTTP API v1 (docs/contracts.md), with its OpenAPI document at /openapi.json.

Every error is ``application/problem+json`` (RFC 9457): unknown routes, validation failures
(with the offending parameters listed under ``errors``), unknown stations, bad tokens and
unexpected faults alike, so a client needs one error path. Results are bounded: every list has a
default and a maximum ``limit`` and says when it was cut (``truncated``, ``more``).

Handlers that read the database are plain functions: Starlette runs them in its thread pool, so
database reads never block the event loop that also carries the HJ 212 ingest. /health, /stations
and /latest read only memory and run on the loop. /latest comes from the storage's in-memory
latest values: each answer (whole network, each kind) keeps its items' JSON and its bytes per
cursor, and after a commit only the items that changed are rewritten (`Storage.latest_since`);
the hot endpoints build their JSON directly instead of through response-model validation.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from dispatch_app.dataservice.ingest import IngestStats
from dispatch_app.dataservice.storage import Storage, StorageError, StoredObservation
from dispatch_app.network.registry import STATION_KINDS, Registry
from dispatch_app.standards.center_time import CENTER_TZ

log = logging.getLogger(__name__)

API_VERSION = "1"
PROBLEM_TYPE = "https://dispatch-desk.invalid/problems/"

UPDATES_LIMIT_DEFAULT = 1000
UPDATES_LIMIT_MAX = 10000
SERIES_LIMIT_DEFAULT = 20000  # a week of minute data fits
SERIES_LIMIT_MAX = 50000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class ServiceState:
    """What the handlers read: the registry, the store, ingest counters and identity."""

    registry: Registry
    storage: Storage
    stats: IngestStats = field(default_factory=IngestStats)
    version: str = "0.1.0"
    started_s: float = field(default_factory=time.time)
    token: str | None = None
    _latest_views: dict[str | None, LatestView] = field(default_factory=dict)


@dataclass
class LatestView:
    """One /latest answer (the whole network or one kind) as of ``cursor``: each item's JSON at
    its place in the answer, and the answer's bytes."""

    cursor: int
    index: dict[tuple[str, str], int]
    parts: list[str]
    body: bytes = b""


@lru_cache(maxsize=200_000)
def iso(time_s: int) -> str:
    """Seconds since the epoch → ISO 8601 in China Standard Time (the center's zone)."""
    return datetime.fromtimestamp(time_s, CENTER_TZ).isoformat()


def _iso_opt(time_s: float | None) -> str | None:
    return None if time_s is None else datetime.fromtimestamp(time_s, CENTER_TZ).isoformat()


def _json(body: Any, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False),
        status_code=status,
        media_type=media_type,
    )


def problem(status: int, title: str, detail: str, kind: str, **extra: Any) -> Response:
    body = {"type": PROBLEM_TYPE + kind, "title": title, "status": status, "detail": detail}
    body.update(extra)
    return _json(body, status, "application/problem+json")


class ApiProblem(Exception):
    def __init__(self, status: int, title: str, detail: str, kind: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.kind = status, title, detail, kind


# --- documentation models (the handlers answer with prebuilt JSON of the same shape) -----------


class Resolution(StrEnum):
    raw = "raw"
    hour = "hour"
    day = "day"


StationKind = Enum("StationKind", {k: k for k in STATION_KINDS}, type=str)  # type: ignore[misc]


class HealthOut(BaseModel):
    status: str
    version: str
    stations: int
    last_ingest: str | None
    cursor: int
    started: str
    ingest: dict[str, Any]


class ParameterOut(BaseModel):
    key: str
    code: str
    unit: str


class ReportingOut(BaseModel):
    """When the station is late or offline (docs/contracts.md, station registry)."""

    interval_s: int
    time_basis: str
    delay_s: int
    offline_after_missed: int


class StationOut(BaseModel):
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
    parameters: list[ParameterOut]
    target_class: int | None
    waterbody: str | None
    river: str | None
    downstream: list[str]
    reporting: ReportingOut


class StationsOut(BaseModel):
    stations: list[StationOut]


class LatestItem(BaseModel):
    station: str
    parameter: str
    time: str
    value: float | None
    flag: str


class LatestOut(BaseModel):
    cursor: int
    items: list[LatestItem]


class UpdateItem(LatestItem):
    seq: int


class UpdatesOut(BaseModel):
    cursor: int
    more: bool
    items: list[UpdateItem]


class SeriesPointOut(BaseModel):
    time: str
    value: float | None
    flag: str
    count: int | None = None


class SeriesOut(BaseModel):
    station: str
    parameter: str
    unit: str
    resolution: Resolution
    truncated: bool
    points: list[SeriesPointOut]


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str


PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Bearer token missing or wrong"},
    404: {"model": Problem, "description": "Unknown station or parameter"},
    409: {"model": Problem, "description": "Cursor ahead of this service"},
    422: {"model": Problem, "description": "Invalid parameters"},
}


# --- bearer token -----------------------------------------------------------------------------


class BearerToken:
    """ASGI middleware: every request must carry ``Authorization: Bearer <token>``."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or ()).get(b"authorization", b"")
        scheme, _, credentials = given.partition(b" ")
        # RFC 9110 §11.1: the scheme is case-insensitive; the token is compared in constant time.
        if scheme.lower() == b"bearer" and hmac.compare_digest(credentials, self.expected):
            await self.app(scope, receive, send)
            return
        response = problem(
            401,
            "Unauthorized",
            "this data service requires 'Authorization: Bearer <token>'",
            "unauthorized",
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="dispatch-dataservice"'
        await response(scope, receive, send)


# --- the app ----------------------------------------------------------------------------------


def _observation_json(o: StoredObservation) -> dict[str, Any]:
    return {
        "station": o.station,
        "parameter": o.parameter,
        "time": iso(o.time_s),
        "value": o.value,
        "flag": o.flag,
    }


class ItemJson:
    """A latest item's JSON, the same text as ``json.dumps(_observation_json(o))`` without the
    dict and the encoder: the station/parameter head and the flag are written once and kept."""

    def __init__(self) -> None:
        self._heads: dict[tuple[str, str], str] = {}
        self._flags: dict[str, str] = {}

    def __call__(self, o: StoredObservation) -> str:
        head = self._heads.get((o.station, o.parameter))
        if head is None:
            head = f'{{"station":{_dumps(o.station)},"parameter":{_dumps(o.parameter)},"time":"'
            self._heads[(o.station, o.parameter)] = head
        flag = self._flags.get(o.flag)
        if flag is None:
            flag = _dumps(o.flag)
            if len(self._flags) < 256:  # flags come from the wire: keep the cache bounded
                self._flags[o.flag] = flag
        v = o.value
        if v is None:
            value = "null"
        elif type(v) is float and math.isfinite(v):
            value = float.__repr__(v)  # what the JSON encoder writes for a finite float
        else:
            value = _dumps(v)
        return f'{head}{iso(o.time_s)}","value":{value},"flag":{flag}}}'


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _time_param(value: datetime, name: str) -> int:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ApiProblem(
            422, "Invalid parameter", f"{name} must carry a UTC offset (e.g. +08:00)", "validation"
        )
    return int(value.timestamp())


def _committed_cursor(storage: Storage) -> int:
    """The highest seq readers can see; the writer's own note of it while the database does
    not answer (health then says why, and must still answer)."""
    try:
        return max(storage.cursor, storage.max_seq())
    except StorageError:
        return storage.cursor


def create_app(state: ServiceState) -> FastAPI:
    app = FastAPI(
        title="Dispatch desk reference data service",
        version=state.version,
        description="Monitoring observations of the Changzhou network (HJ 212—2017 ingest).",
        responses={422: PROBLEMS[422]},
    )
    registry = state.registry
    storage = state.storage
    app.state.service = state

    @app.exception_handler(StarletteHTTPException)
    async def _http_problem(_req: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not Found", 405: "Method Not Allowed"}
        return problem(
            exc.status_code,
            titles.get(exc.status_code, "HTTP error"),
            str(exc.detail),
            "not-found" if exc.status_code == 404 else "http",
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_problem(_req: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem(422, "Invalid parameters", detail, "validation", errors=errors)

    @app.exception_handler(ApiProblem)
    async def _api_problem(_req: Request, exc: ApiProblem) -> Response:
        return problem(exc.status, exc.title, exc.detail, exc.kind)

    @app.exception_handler(Exception)
    async def _unexpected(_req: Request, exc: Exception) -> Response:
        log.exception("unhandled error in the data service API")
        return problem(500, "Internal Server Error", f"{type(exc).__name__}", "internal")

    @app.get("/api/v1/health", response_model=HealthOut)
    def health() -> Response:  # a database read: on the thread pool, not the loop
        stats = state.stats
        failing = stats.last_write_error_s is not None and (
            stats.last_write_ok_s is None or stats.last_write_error_s > stats.last_write_ok_s
        )
        return _json(
            {
                "status": "degraded" if failing else "ok",
                "version": state.version,
                "stations": len(registry),
                "last_ingest": _iso_opt(storage.last_ingest_s),
                # What readers can already see: a commit reaches /updates a moment before the
                # writer notes its cursor, and a cursor lower than one handed out reads as a
                # replaced database to a desk, which would reload everything.
                "cursor": _committed_cursor(storage),
                "started": _iso_opt(state.started_s),
                "ingest": stats.to_json(),
            }
        )

    stations_json = {None: [s.to_json() for s in registry]} | {
        k: [s.to_json() for s in registry.by_kind(k)] for k in STATION_KINDS
    }

    @app.get("/api/v1/stations", response_model=StationsOut)
    async def stations(kind: StationKind | None = None) -> Response:
        return _json({"stations": stations_json[kind.value if kind else None]})

    # Only stations of the registry: a database kept across a registry change may still hold
    # rows of stations that no longer exist, which the desk could not place.
    kind_ids: dict[str | None, frozenset[str]] = {
        k: frozenset(s.id for s in registry.by_kind(k)) for k in STATION_KINDS
    }
    kind_ids[None] = frozenset(s.id for s in registry)
    views = state._latest_views
    item_json = ItemJson()

    def latest_body(key: str | None) -> bytes:
        view = views.get(key)
        if view is not None and view.cursor == storage.cursor:
            return view.body
        wanted = kind_ids[key]
        since = storage.latest_since(view.cursor) if view is not None else None
        if view is None or since is None:
            cursor, rows = storage.latest(wanted)
            view = LatestView(cursor, {}, [])
            views[key] = view
        else:
            # A commit touches a few stations: rewrite their items where they stand (a new
            # station/parameter goes last, as in `Storage.latest`) and join the rest as they are.
            cursor, rows = since
            view.cursor = cursor
        index, parts = view.index, view.parts
        for o in rows:
            if o.station not in wanted:
                continue
            k = (o.station, o.parameter)
            at = index.get(k)
            if at is None:
                index[k] = len(parts)
                parts.append(item_json(o))
            else:
                parts[at] = item_json(o)
        view.body = f'{{"cursor":{cursor},"items":[{",".join(parts)}]}}'.encode()
        return view.body

    @app.get("/api/v1/latest", response_model=LatestOut)
    async def latest(kind: StationKind | None = None) -> Response:
        return Response(latest_body(kind.value if kind else None), media_type="application/json")

    app.add_middleware(LatestFastPath, body=latest_body)

    @app.get("/api/v1/updates", response_model=UpdatesOut, responses={409: PROBLEMS[409]})
    def updates(
        after: Annotated[int, Query(ge=0, description="the cursor of the last page read")] = 0,
        limit: Annotated[int, Query(ge=1, le=UPDATES_LIMIT_MAX)] = UPDATES_LIMIT_DEFAULT,
    ) -> Response:
        rows, more = storage.updates(after, limit)
        if not rows and after > storage.max_seq():
            raise ApiProblem(
                409,
                "Cursor ahead",
                f"cursor {after} is beyond this service's last observation "
                f"({storage.cursor}): its database was replaced; resync from /latest",
                "cursor-ahead",
            )
        items = []
        for o in rows:
            item = _observation_json(o)
            item["seq"] = o.seq
            items.append(item)
        return _json({"cursor": rows[-1].seq if rows else after, "more": more, "items": items})

    @app.get("/api/v1/series", response_model=SeriesOut, responses={404: PROBLEMS[404]})
    def series(
        station: Annotated[str, Query(min_length=1, max_length=32)],
        parameter: Annotated[str, Query(min_length=1, max_length=32)],
        start: datetime,
        end: datetime,
        resolution: Resolution = Resolution.raw,
        limit: Annotated[int, Query(ge=1, le=SERIES_LIMIT_MAX)] = SERIES_LIMIT_DEFAULT,
    ) -> Response:
        st = registry.by_id(station)
        if st is None:
            raise ApiProblem(404, "Unknown station", f"no station {station!r}", "unknown-station")
        param = st.parameter(parameter)
        if param is None:
            raise ApiProblem(
                404,
                "Unknown parameter",
                f"station {station} does not measure {parameter!r}",
                "unknown-parameter",
            )
        start_s, end_s = _time_param(start, "start"), _time_param(end, "end")
        if end_s <= start_s:
            raise ApiProblem(422, "Invalid parameters", "end must be after start", "validation")
        if resolution is Resolution.raw:
            result = storage.series_raw(st.id, param.key, start_s, end_s, limit)
        elif resolution is Resolution.hour:
            result = storage.series_hourly(st.id, param.key, start_s, end_s, limit, st.interval_s)
        else:
            result = storage.series_daily(st.id, param.key, start_s, end_s, limit, st.interval_s)
        points = []
        for p in result.points:
            point: dict[str, Any] = {"time": iso(p.time_s), "value": p.value, "flag": p.flag}
            if p.count is not None:
                point["count"] = p.count
            points.append(point)
        return _json(
            {
                "station": st.id,
                "parameter": param.key,
                "unit": param.unit,
                "resolution": result.resolution,
                "truncated": result.truncated,
                "points": points,
            }
        )

    return app


class LatestFastPath:
    """ASGI middleware: the desk's poll, a plain ``GET /api/v1/latest`` with no query or exactly
    ``kind=<a kind>``, answered with the kept bytes and the headers the route would send, without
    routing and parameter validation (most of the handler's cost once the bytes are ready).
    Anything else, and any error, goes to the app, which answers it as the contract says."""

    def __init__(self, app: ASGIApp, body: Callable[[str | None], bytes]) -> None:
        self.app = app
        self.body = body
        self.queries: dict[bytes, str | None] = {b"": None} | {
            f"kind={k}".encode(): k for k in STATION_KINDS
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/api/v1/latest"
            and scope["method"] == "GET"
            and scope.get("query_string", b"") in self.queries
        ):
            try:
                body = self.body(self.queries[scope.get("query_string", b"")])
            except Exception:  # let the app answer (and log) it as a problem
                pass
            else:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-length", b"%d" % len(body)),
                            (b"content-type", b"application/json"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def guarded(app: FastAPI, token: str | None) -> ASGIApp:
    """The ASGI app to serve: behind the bearer-token check when a token is set."""
    return BearerToken(app, token) if token else app
