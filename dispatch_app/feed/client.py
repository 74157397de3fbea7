"""A blocking client of the data-service HTTP API v1 (docs/contracts.md).

Every call either returns validated records or raises a `DataServiceError` subclass whose message
says what went wrong and where: the desk must never crash, or freeze, because the data platform
misbehaves. The client is blocking on purpose; the poller runs it in an executor thread.

Why each safeguard:
- one `requests.Session`: keeps the TCP connection alive between polls (a poll a second would
  otherwise open a socket a second);
- connect and read timeouts plus a total deadline on the body: a read timeout alone restarts on
  every byte, so a server trickling one byte a second could hold a poll forever;
- a cap on body size: a runaway response must not eat the desk's memory;
- retries with exponential backoff, only for GETs (idempotent) and only for faults that a retry can
  cure (connection refused or reset, 502/503/504): a 500 or a malformed body is reported at once.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3

from dispatch_app.feed.records import (
    Health,
    LatestSnapshot,
    Series,
    Station,
    UpdatesPage,
    WireFormatError,
    parse_health,
    parse_latest,
    parse_series,
    parse_stations,
    parse_updates,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

API_PREFIX = "/api/v1"


class DataServiceError(Exception):
    """Any failure to get a valid answer from the data service."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class DataServiceUnavailable(DataServiceError):
    """The service could not be reached or answered with a server error (5xx)."""


class DataServiceBadResponse(DataServiceError):
    """The service answered, but not with what the contract promises (bad JSON, wrong shape, 4xx)."""


class DataServiceCursorAhead(DataServiceBadResponse):
    """/updates refused the cursor (409): the service's database was replaced and no longer has
    the history the cursor points into. The cure is a full reload, not a retry."""


class DataServiceTimeout(DataServiceError):
    """The service did not answer (connect, read or total deadline) in time."""


@dataclass(frozen=True)
class ClientTimeouts:
    """Seconds. `total` bounds a whole request, body included, per attempt."""

    connect: float = 3.05
    read: float = 10.0
    total: float = 30.0


_RETRYABLE_STATUS = frozenset({502, 503, 504})
_CHUNK = 64 * 1024


class DataServiceClient:
    """Blocking, validating client of one data service. Not thread-safe: use one thread at a time
    (the poller owns a single-thread executor for it)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeouts: ClientTimeouts | None = None,
        retries: int = 2,
        backoff_s: float = 0.25,
        max_body_bytes: int = 64 * 1024 * 1024,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base = self._check_base_url(base_url)
        self.timeouts = timeouts or ClientTimeouts()
        self.retries = max(0, retries)
        self.backoff_s = backoff_s
        self.max_body_bytes = max_body_bytes
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"
        self._session.headers["User-Agent"] = "dispatch-desk-feed/1"
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"

    @staticmethod
    def _check_base_url(base_url: str) -> str:
        parts = urlsplit(base_url.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"data service URL must be http(s)://host:port, got {base_url!r}")
        return base_url.strip().rstrip("/")

    @property
    def base_url(self) -> str:
        return self._base

    def rebase(self, base_url: str) -> None:
        """Point at another address (the embedded service came back on a different port)."""
        self._base = self._check_base_url(base_url)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> DataServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- endpoints -----------------------------------------------------------------------

    def health(self) -> Health:
        return self._get("/health", None, parse_health)

    def stations(self, kind: str | None = None) -> tuple[Station, ...]:
        return self._get("/stations", {"kind": kind} if kind else None, parse_stations)

    def latest(self, kind: str | None = None) -> LatestSnapshot:
        return self._get("/latest", {"kind": kind} if kind else None, parse_latest)

    def updates(self, after: int, limit: int | None = None) -> UpdatesPage:
        if after < 0:
            raise ValueError(f"cursor must be ≥ 0, got {after}")
        params: dict[str, Any] = {"after": after}
        if limit is not None:
            params["limit"] = limit
        return self._get("/updates", params, lambda body: parse_updates(body, after, limit))

    def updates_body(self, after: int, limit: int | None = None) -> Any:
        """/updates fetched and decoded but not yet validated: the poller validates it on another
        thread while it already asks for the next page (`parse_updates_body`)."""
        if after < 0:
            raise ValueError(f"cursor must be ≥ 0, got {after}")
        params: dict[str, Any] = {"after": after}
        if limit is not None:
            params["limit"] = limit
        return self._get("/updates", params, lambda body: body)

    def parse_updates_body(self, body: Any, after: int, limit: int | None = None) -> UpdatesPage:
        try:
            return parse_updates(body, after, limit)
        except WireFormatError as exc:
            raise DataServiceBadResponse(
                f"data service answered /updates with an unexpected body: {exc}",
                url=f"{self._base}{API_PREFIX}/updates",
            ) from exc

    def series(
        self,
        station: str,
        parameter: str,
        start: str,
        end: str,
        resolution: str = "raw",
        limit: int | None = None,
    ) -> Series:
        params: dict[str, Any] = {
            "station": station,
            "parameter": parameter,
            "start": start,
            "end": end,
            "resolution": resolution,
        }
        if limit is not None:
            params["limit"] = limit
        return self._get("/series", params, parse_series)

    # --- transport -----------------------------------------------------------------------

    def _get(self, path: str, params: Mapping[str, Any] | None, parse: Callable[[Any], T]) -> T:
        url = f"{self._base}{API_PREFIX}{path}"
        attempt = 0
        while True:
            try:
                body = self._get_json_once(url, params)
            except (DataServiceUnavailable, DataServiceTimeout) as exc:
                retryable = exc.status is None or exc.status in _RETRYABLE_STATUS
                if not retryable or attempt >= self.retries:
                    raise
                delay = self.backoff_s * (2**attempt)
                log.info("data service GET %s failed (%s); retry in %.2f s", path, exc, delay)
                self._sleep(delay)
                attempt += 1
                continue
            try:
                return parse(body)
            except WireFormatError as exc:
                raise DataServiceBadResponse(
                    f"data service answered {path} with an unexpected body: {exc}", url=url
                ) from exc

    def _get_json_once(self, url: str, params: Mapping[str, Any] | None) -> Any:
        t = self.timeouts
        deadline = time.monotonic() + t.total
        try:
            response = self._session.get(
                url, params=params, timeout=(t.connect, t.read), stream=True
            )
        except requests.exceptions.ConnectTimeout as exc:
            raise DataServiceTimeout(
                f"data service at {self._base} did not accept a connection within {t.connect:g} s",
                url=url,
            ) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise DataServiceTimeout(
                f"data service at {self._base} did not answer within {t.read:g} s", url=url
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise DataServiceUnavailable(
                f"data service at {self._base} is unreachable: {_reason(exc)}", url=url
            ) from exc
        with response:
            raw = self._read_body(response, url, deadline)
            status = response.status_code
            if status >= 500:
                raise DataServiceUnavailable(
                    f"data service error {status} on {urlsplit(url).path}: {_problem(raw)}",
                    url=url,
                    status=status,
                )
            if status == 409 and path_of(url) == f"{API_PREFIX}/updates":
                raise DataServiceCursorAhead(
                    f"data service no longer has the cursor's history: {_problem(raw)}",
                    url=url,
                    status=status,
                )
            if status != 200:
                raise DataServiceBadResponse(
                    f"data service refused {urlsplit(url).path} ({status}): {_problem(raw)}",
                    url=url,
                    status=status,
                )
            content_type = response.headers.get("Content-Type", "")
            if "json" not in content_type:
                raise DataServiceBadResponse(
                    f"data service answered {urlsplit(url).path} with {content_type or 'no type'}"
                    ", not JSON",
                    url=url,
                    status=status,
                )
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DataServiceBadResponse(
                f"data service answered {urlsplit(url).path} with malformed JSON: {exc}",
                url=url,
                status=status,
            ) from exc

    def _read_body(self, response: requests.Response, url: str, deadline: float) -> bytes:
        """Reads with `read1`, which returns whatever has arrived, so the total deadline is checked
        after every receive (a fixed-size `read` would wait for the whole chunk)."""
        path = urlsplit(url).path
        raw = response.raw
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise DataServiceBadResponse(
                        f"data service answer to {path} exceeds {self.max_body_bytes} bytes",
                        url=url,
                        status=response.status_code,
                    )
                if time.monotonic() > deadline:
                    raise DataServiceTimeout(
                        f"data service answer to {path} took longer than {self.timeouts.total:g} s",
                        url=url,
                    )
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise DataServiceTimeout(
                f"data service stopped sending {path} for {self.timeouts.read:g} s", url=url
            ) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise DataServiceUnavailable(
                f"connection to the data service broke while reading {path}: {_reason(exc)}",
                url=url,
            ) from exc
        return b"".join(chunks)


def path_of(url: str) -> str:
    return urlsplit(url).path


def _reason(exc: BaseException) -> str:
    """The innermost cause, which says more than requests' wrapper ("Connection refused")."""
    inner: BaseException = exc
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    text = str(inner) or type(inner).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _problem(raw: bytes) -> str:
    """The title/detail of a problem+json body, or the start of whatever came."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
        if parts:
            return ": ".join(parts)
    text = raw[:200].decode("utf-8", "replace").strip()
    return text or "(empty body)"
