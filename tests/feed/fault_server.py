"""A tiny misbehaving data service for fault tests: http.server on loopback, real sockets.

It speaks just enough of API v1 to be a plausible service when `mode` is "ok", and misbehaves on
request: 500s, malformed JSON, bodies of the wrong shape, HTML, a hang, a trickle. Tests switch
`mode` while a client or poller talks to it. The real data service is used everywhere a correct
answer matters; this one exists because the real one cannot be told to misbehave.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

STATION = {
    "id": "AQ-N-01",
    "mn": "32040000AQN0000000000001",
    "name": "安家",
    "name_en": "Anjia",
    "kind": "air_national",
    "district": "xinbei",
    "lon": 119.93,
    "lat": 31.85,
    "interval_s": 60,
    "sample": False,
    "parameters": [{"key": "PM2.5", "code": "a34004", "unit": "µg/m³"}],
    "target_class": None,
    "waterbody": None,
    "river": None,
    "downstream": [],
}


class FaultServer:
    def __init__(self) -> None:
        self.mode = "ok"
        self.health_status = "ok"
        self.requests: list[str] = []
        self.release = threading.Event()
        # Observations the "ok" mode serves through /updates: seq -> item.
        self.items: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.handle(self)

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hung up mid-answer is part of the faults under test

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def add_items(self, n: int, station: str = "AQ-N-01", start_minute: int = 0) -> None:
        for i in range(n):
            seq = len(self.items) + 1
            minute = start_minute + i
            self.items.append(
                {
                    "seq": seq,
                    "station": station,
                    "parameter": "PM2.5",
                    "time": f"2026-11-28T{10 + minute // 60:02d}:{minute % 60:02d}:00+08:00",
                    "value": float(seq),
                    "flag": "N",
                }
            )

    def body_for(self, path: str) -> Any:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        cursor = len(self.items)
        if parts.path == "/api/v1/health":
            return {
                "status": self.health_status,
                "version": "test",
                "stations": 1,
                "last_ingest": None,
                "cursor": cursor,
                "started": "2026-11-28T08:00:00+08:00",
            }
        if parts.path == "/api/v1/stations":
            return {"stations": [STATION]}
        if parts.path == "/api/v1/latest":
            return {"cursor": cursor, "items": []}
        if parts.path == "/api/v1/updates":
            after = int(query.get("after", "0"))
            if after > cursor:  # as the real service: a cursor from another database
                return 409
            limit = int(query.get("limit", "1000"))
            page = [it for it in self.items if it["seq"] > after][:limit]
            more = bool(page) and page[-1]["seq"] < cursor
            return {"cursor": page[-1]["seq"] if page else after, "more": more, "items": page}
        return None

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        mode = self.mode
        if mode == "hang":
            self.release.wait(30)
            return
        if mode == "500":
            self._send(
                h,
                500,
                b'{"title": "Internal Server Error", "status": 500}',
                "application/problem+json",
            )
            return
        if mode == "503":
            self._send(h, 503, b"busy", "text/plain")
            return
        if mode == "html":
            self._send(h, 200, b"<html>proxy login</html>", "text/html")
            return
        if mode == "malformed":
            self._send(h, 200, b'{"cursor": 3, "items": [', "application/json")
            return
        if mode == "huge":
            self._send(h, 200, b"[" + b"0," * 600_000 + b"0]", "application/json")
            return
        if mode == "trickle":
            body = json.dumps(self.body_for(h.path)).encode()
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body) + 1000))
            h.end_headers()
            for i in range(len(body)):
                if self.release.wait(0.05):
                    return
                try:
                    h.wfile.write(body[i : i + 1])
                    h.wfile.flush()
                except OSError:
                    return
            return
        body = self.body_for(h.path)
        if body is None:
            self._send(h, 404, b'{"title": "Not Found"}', "application/problem+json")
            return
        if body == 409:
            self._send(h, 409, b'{"title": "Cursor ahead"}', "application/problem+json")
            return
        if mode == "wrong_shape":
            body = {"unexpected": True, "items": "not a list"}
        elif mode == "string_values" and "items" in body:
            body = dict(body, items=[dict(it, value=str(it["value"])) for it in body["items"]])
        elif mode == "naive_time" and "items" in body:
            body = dict(body, items=[dict(it, time=it["time"][:19]) for it in body["items"]])
        elif mode == "duplicate_seq" and body.get("items"):
            body = dict(body, items=[*body["items"], body["items"][-1]])
        self._send(h, 200, json.dumps(body).encode(), "application/json")

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        except OSError:
            pass

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def fault_server() -> Iterator[FaultServer]:
    server = FaultServer()
    server.start()
    try:
        yield server
    finally:
        # Give handler threads a moment to notice the release before the socket goes.
        server.close()
        time.sleep(0.01)
