"""The hash-chained audit log: every change is recorded, and tampering is found."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text

from dispatch_app.audit.verify import verify_chain
from dispatch_app.desk import Desk
from dispatch_app.store.audit_chain import GENESIS, AuditContent, canonical_json, entry_hash
from dispatch_app.store.audit_records import recent_audit
from dispatch_app.store.models import audit_log
from tests.desk.conftest import draft


def _work(desk: Desk) -> None:
    case = desk.create_case(draft())
    desk.triage(case.id, note="研判")
    desk.dispatch(case.id, "branch-wujin")
    desk.add_note(case.id, "已通知分局")


def _cli(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dispatch_app.audit", "verify", "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_change_is_audited_with_actor(desk: Desk) -> None:
    _work(desk)
    with desk.store.read() as conn:
        entries = recent_audit(conn, 100)[::-1]
    actions = [e["action"] for e in entries]
    assert actions[:5] == [
        "user.create_first_admin",
        "user.create",
        "user.create",
        "user.create",
        "case.create",
    ]
    assert actions[-4:] == ["case.create", "case.triage", "case.dispatch", "case.note"]
    assert all(e["actor"] == "admin" for e in entries)
    dispatch = json.loads(entries[-2]["payload"])
    assert dispatch["unit_id"] == "branch-wujin" and dispatch["to"] == "dispatched"
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))


def test_intact_chain_verifies(desk: Desk, db_url: str) -> None:
    _work(desk)
    result = verify_chain(desk.store)
    assert result.intact and result.entries == 8 and result.first_break is None
    run = _cli(db_url)
    assert run.returncode == 0, run.stderr
    assert "intact: 8 entries" in run.stdout


def test_tampered_row_is_found(desk: Desk, db_url: str) -> None:
    _work(desk)
    with desk.store.engine.begin() as conn:  # raw SQL, behind the desk's back
        conn.execute(
            text("UPDATE audit_log SET payload = :p WHERE seq = 6"),
            {"p": canonical_json({"from": "new", "to": "closed"})},
        )
    result = verify_chain(desk.store)
    assert not result.intact
    assert result.first_break is not None and result.first_break.seq == 6
    assert "altered" in result.first_break.reason
    run = _cli(db_url)
    assert run.returncode == 1
    assert "BROKEN at entry 6" in run.stdout


def test_deleted_row_is_found(desk: Desk) -> None:
    _work(desk)
    with desk.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    result = verify_chain(desk.store)
    assert not result.intact and result.first_break is not None
    assert result.first_break.seq == 4 and "expected entry 3" in result.first_break.reason


def test_rehashed_row_still_breaks_the_link(desk: Desk) -> None:
    """Someone who recomputes the tampered row's own hash still breaks the next entry."""
    _work(desk)
    with desk.store.read() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.seq == 5)).mappings().one()
    forged = AuditContent(
        5,
        row["at"],
        "intruder",
        row["action"],
        row["target_type"],
        row["target_id"],
        row["payload"],
    )
    with desk.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET actor = 'intruder', hash = :h WHERE seq = 5"),
            {"h": entry_hash(row["prev_hash"], forged)},
        )
    result = verify_chain(desk.store)
    assert result.first_break is not None and result.first_break.seq == 6
    assert "previous-hash" in result.first_break.reason


def test_hash_is_over_canonical_content() -> None:
    at = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    a = AuditContent(1, at, "admin", "case.create", "case", "1", canonical_json({"b": 1, "a": 2}))
    assert a.payload == '{"a":2,"b":1}'
    h = entry_hash(GENESIS, a)
    assert len(h) == 64 and h == entry_hash(GENESIS, a)
    assert h != entry_hash(
        GENESIS, AuditContent(1, at, "admin2", *(a.action, a.target_type, a.target_id, a.payload))
    )


def test_verify_reports_an_unreadable_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    run = _cli(f"sqlite:///{missing}")
    assert run.returncode == 2 and "does not exist" in run.stderr
    assert not missing.exists()  # verify never creates a database
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.close()
    run = _cli(f"sqlite:///{other}")
    assert run.returncode == 2 and "cannot read the audit log" in run.stderr
