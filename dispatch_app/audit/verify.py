"""Verifying the audit log's hash chain against the database."""

from __future__ import annotations

from dataclasses import dataclass

from dispatch_app.store.audit_chain import GENESIS, ChainBreak, check_entry
from dispatch_app.store.audit_records import iter_audit
from dispatch_app.store.database import Store


@dataclass(frozen=True)
class VerifyResult:
    intact: bool
    entries: int  # entries checked (up to and including the first break)
    first_break: ChainBreak | None

    def describe(self) -> str:
        if self.intact:
            return f"audit chain intact: {self.entries} entries verified"
        assert self.first_break is not None
        return (
            f"audit chain BROKEN at entry {self.first_break.seq}: {self.first_break.reason} "
            f"({self.entries - 1} entries before it verified)"
        )


def verify_chain(store: Store) -> VerifyResult:
    """Walk the log in order and stop at the first entry that does not continue the chain."""
    expected_seq = 1
    expected_prev = GENESIS
    checked = 0
    with store.read() as conn:
        for content, prev_hash, hash_ in iter_audit(conn):
            checked += 1
            problem = check_entry(expected_seq, expected_prev, content, prev_hash, hash_)
            if problem is not None:
                return VerifyResult(False, checked, problem)
            expected_seq += 1
            expected_prev = hash_
    return VerifyResult(True, checked, None)
