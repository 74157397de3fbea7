"""The Store: one database, its engine and its read and write transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dispatch_app.store.engine import (
    DEFAULT_BUSY_TIMEOUT_S,
    is_sqlite,
    make_engine,
    translate,
)


class Store:
    """Owns the engine. ``read()`` and ``write()`` give a connection inside a transaction and
    turn database failures an officer can act on (locked, read-only, unreachable) into
    StoreUnavailable; a write either commits completely or not at all."""

    def __init__(self, url: str, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> None:
        self.url = url
        self.is_sqlite = is_sqlite(url)
        self._sqlite_settings = {"synchronous": "FULL"}
        self.engine: Engine = make_engine(url, busy_timeout_s, self._sqlite_settings)

    @property
    def dialect(self) -> str:
        return make_url(self.url).get_backend_name()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            clear = translate(exc, self.url)
            if clear is None:
                raise
            raise clear from exc

    @contextmanager
    def write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if self.is_sqlite:
                    conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            clear = translate(exc, self.url)
            if clear is None:
                raise
            raise clear from exc

    @contextmanager
    def bulk_loading(self) -> Iterator[None]:
        """Writes without waiting for the disk (SQLite ``synchronous=OFF``) while loading demo
        or benchmark data into a database nobody works in yet; full durability after.

        Connections are reopened on entry and exit: use it only while no other thread is
        using this store.
        """
        if not self.is_sqlite:
            yield
            return
        self._sqlite_settings["synchronous"] = "OFF"
        self.engine.dispose()
        try:
            yield
        finally:
            self._sqlite_settings["synchronous"] = "FULL"
            self.engine.dispose()

    def dispose(self) -> None:
        self.engine.dispose()
