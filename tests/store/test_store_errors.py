"""A locked, read-only or unreachable database gives a clear error and loses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.errors import StoreUnavailable
from dispatch_app.store.database import Store
from tests.desk.conftest import FAST_SCRYPT_N, PASSWORD, Clock, draft


def _desk(url: str, busy_timeout_s: float = 5.0) -> Desk:
    return Desk.open(url, clock=Clock(), busy_timeout_s=busy_timeout_s, scrypt_n=FAST_SCRYPT_N)


def test_locked_database_file(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    url = f"sqlite:///{path}"
    d = _desk(url, busy_timeout_s=0.2)
    try:
        d.create_first_administrator("admin", "管理员", PASSWORD)
        first = d.create_case(draft())
        # Another program holds an exclusive lock on the file.
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreUnavailable) as info:
                d.create_case(draft(title="锁定期间新建的事项"))
            assert info.value.reason == "locked"
            assert "锁定" in info.value.message("zh") and "nothing was saved" in str(info.value)
        finally:
            other.execute("ROLLBACK")
            other.close()
        # The desk keeps running: the retry succeeds and takes the next number.
        second = d.create_case(draft(title="锁定期间新建的事项"))
        assert second.reference == "CZ-2026-000002"
        assert d.queue_count() == 2 and d.get_case(first.id).title == first.title
    finally:
        d.close()


def test_read_only_database_file(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    d = _desk(f"sqlite:///{path}")
    d.create_first_administrator("admin", "管理员", PASSWORD)
    case = d.create_case(draft())
    d.close()
    path.chmod(0o444)
    # Opened read-only (as a file on a read-only share or with no write permission is):
    # the desk opens and reads, and every write is refused clearly.
    ro = _desk(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        assert not ro.needs_first_administrator()
        with pytest.raises(StoreUnavailable) as info:
            ro.login("admin", PASSWORD)
        assert info.value.reason == "read_only"
        assert "只读" in info.value.message("zh")
    finally:
        ro.close()
    path.chmod(0o644)
    again = _desk(f"sqlite:///{path}")
    try:
        again.login("admin", PASSWORD)
        assert again.get_case(case.id).reference == case.reference
    finally:
        again.close()


def test_unopenable_database_file(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable) as info:
        _desk(f"sqlite:///{tmp_path / 'missing-dir' / 'desk.db'}")
    assert info.value.reason == "cannot_open"


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    original = "值班记录：这不是数据库文件。\n" * 200
    path.write_text(original, encoding="utf-8")
    with pytest.raises(StoreUnavailable) as info:
        _desk(f"sqlite:///{path}")
    assert info.value.reason == "corrupt"
    assert "不是有效的数据库文件" in info.value.message("zh")
    assert path.read_text(encoding="utf-8") == original  # the file is left as it was


def test_unreachable_server() -> None:
    store = Store("postgresql+psycopg://postgres@127.0.0.1:1/test")
    try:
        with pytest.raises(StoreUnavailable) as info, store.read() as conn:
            conn.exec_driver_sql("SELECT 1")
        assert info.value.reason == "unreachable"
        assert "127.0.0.1:1" in info.value.message("en")
    finally:
        store.dispose()
