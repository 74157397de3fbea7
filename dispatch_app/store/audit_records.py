"""The audit log in the database: append (hash-chained) and read. No update, no delete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text

from dispatch_app.store.audit_chain import GENESIS, AuditContent, canonical_json, entry_hash
from dispatch_app.store.models import audit_log

# Any constant shared by all desks: serialises appends on PostgreSQL so the chain never forks,
# and (held to commit) keeps change-feed ids in commit order (see change_feed.record_change).
WRITE_ORDER_LOCK = 727202
_LAST = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_INSERT = insert(audit_log)


def append_audit(
    conn: Connection,
    at: datetime,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int,
    payload: dict[str, Any],
) -> int:
    """Append one entry inside the caller's write transaction; return its sequence number.

    The entry is committed or rolled back together with the change it records.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_ORDER_LOCK})
    last = conn.execute(_LAST).first()
    seq = 1 if last is None else int(last.seq) + 1
    prev = GENESIS if last is None else str(last.hash)
    content = AuditContent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        payload=canonical_json(payload),
    )
    conn.execute(
        _INSERT,
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "target_type": target_type,
            "target_id": str(target_id),
            "payload": content.payload,
            "prev_hash": prev,
            "hash": entry_hash(prev, content),
        },
    )
    return seq


def iter_audit(conn: Connection, batch: int = 5000) -> Iterator[tuple[AuditContent, str, str]]:
    """(content, prev_hash, hash) of every entry in chain order, read in batches."""
    after = 0
    while True:
        rows = conn.execute(
            select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq).limit(batch)
        ).mappings()
        got = 0
        for r in rows:
            got += 1
            after = int(r["seq"])
            yield (
                AuditContent(
                    seq=int(r["seq"]),
                    at=r["at"],
                    actor=r["actor"],
                    action=r["action"],
                    target_type=r["target_type"],
                    target_id=r["target_id"],
                    payload=r["payload"],
                ),
                r["prev_hash"],
                r["hash"],
            )
        if got < batch:
            return


def recent_audit(conn: Connection, limit: int = 100) -> list[dict[str, Any]]:
    rows = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit))
    return [dict(r._mapping) for r in rows]
