"""The hash chain of the audit log.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own content in
canonical JSON (sorted keys, no insignificant whitespace, UTF-8, times as ISO 8601 UTC with
microseconds). Changing, removing or reordering any entry changes every hash after it, so
``verify`` finds the first entry that no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def format_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditContent:
    seq: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    payload: str  # canonical JSON text


def entry_hash(prev_hash: str, content: AuditContent) -> str:
    body = canonical_json(
        {
            "seq": content.seq,
            "at": format_time(content.at),
            "actor": content.actor,
            "action": content.action,
            "target_type": content.target_type,
            "target_id": content.target_id,
            "payload": content.payload,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def check_entry(
    expected_seq: int, expected_prev: str, content: AuditContent, prev_hash: str, hash_: str
) -> ChainBreak | None:
    """Why this stored entry breaks the chain, or None when it continues it."""
    if content.seq != expected_seq:
        return ChainBreak(content.seq, f"expected entry {expected_seq}, found {content.seq}")
    if prev_hash != expected_prev:
        return ChainBreak(content.seq, "previous-hash link does not match the entry before")
    if entry_hash(prev_hash, content) != hash_:
        return ChainBreak(content.seq, "content does not match its hash (entry was altered)")
    return None
