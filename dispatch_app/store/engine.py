"""The connection to the database: engine set-up per dialect and error translation.

SQLite: a file with WAL (readers never wait for the writer), foreign keys on, a busy timeout,
and write transactions that start with BEGIN IMMEDIATE so two desks on one file queue for the
write lock up front instead of failing half-way with "database is locked" on lock upgrade.
PostgreSQL: by URL through psycopg.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from dispatch_app.store.errors import StoreUnavailable

DEFAULT_BUSY_TIMEOUT_S = 5.0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(
    url: str,
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    sqlite_settings: dict[str, str] | None = None,
) -> Engine:
    """``sqlite_settings`` is read whenever a connection opens (``synchronous``: FULL by
    default), so the owner can change it for connections opened later."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            connect_args={"timeout": busy_timeout_s, "check_same_thread": False},
        )
        _configure_sqlite(engine, busy_timeout_s, sqlite_settings or {})
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _configure_sqlite(engine: Engine, busy_timeout_s: float, settings: dict[str, str]) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own transaction
        # handling would defer it and hide the lock mode).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            cur.execute("PRAGMA foreign_keys = ON")
            # A read-only file keeps its journal mode; writes will fail clearly later.
            with contextlib.suppress(sqlite3.OperationalError):
                cur.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed note survives a power cut (NORMAL may lose the last commits in
            # WAL mode); one fsync per write is cheap next to losing a duty officer's work.
            synchronous = settings.get("synchronous", "FULL")
            if synchronous not in ("FULL", "NORMAL", "OFF"):
                raise ValueError(f"unknown synchronous setting {synchronous!r}")
            cur.execute(f"PRAGMA synchronous = {synchronous}")
            # 16 MiB of page cache per connection (default 2 MiB): the queue indexes of
            # 100 000 cases stay in memory, and a full pool stays well inside the RSS budget.
            cur.execute("PRAGMA cache_size = -16384")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def translate(exc: DBAPIError, url: str) -> StoreUnavailable | None:
    """A clear StoreUnavailable for the failures an officer can do something about."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    where = _where(url)
    if "database is locked" in text or "database table is locked" in text:
        return StoreUnavailable(
            "locked",
            f"the database {where} is locked by another program; nothing was saved, try again",
            f"数据库{where}被其他程序锁定，本次操作未保存，请稍后重试",
            detail=text,
        )
    if "readonly database" in text or "read-only" in text or "read only" in text:
        return StoreUnavailable(
            "read_only",
            f"the database {where} is read-only; nothing was saved",
            f"数据库{where}为只读，本次操作未保存",
            detail=text,
        )
    if "file is not a database" in text or "malformed" in text:
        return StoreUnavailable(
            "corrupt",
            f"{where} is not a desk database or is damaged; nothing was written to it "
            "(restore a backup or choose another file)",
            f"{where}不是有效的数据库文件或已损坏，未写入任何内容（请恢复备份或另选文件）",
            detail=text,
        )
    if "unable to open database file" in text or "disk i/o error" in text:
        return StoreUnavailable(
            "cannot_open",
            f"the database {where} cannot be opened or written",
            f"无法打开或写入数据库{where}",
            detail=text,
        )
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        if is_sqlite(url):
            return None
        return StoreUnavailable(
            "unreachable",
            f"the database server {where} cannot be reached",
            f"无法连接数据库服务器{where}",
            detail=text,
        )
    return None


def _where(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True).split("?")[0]
