"""The generic paths (reopen, a priority change) leave a petition's statutory deadlines as
the petitions module computed them, and recompute deadlines.toml ones for every other case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.cases import CaseKind, Priority
from dispatch_app.domain.petitions import Channel, PetitionDetail, Petitioner, Subject
from dispatch_app.store import case_records
from tests.desk.conftest import PASSWORD, Clock, draft

DUE = ("response_due_at", "resolution_due_at", "due_at", "clock_started_at")


@pytest.fixture
def petitions(desk: Desk, tmp_path: Path) -> PetitionDesk:
    desk.logout()
    desk.login("leader", PASSWORD)  # reopening needs a shift leader
    return PetitionDesk.open(desk, attachments_dir=tmp_path / "attachments")


def _due(desk: Desk, case_id: int) -> dict[str, Any]:
    with desk.store.read() as conn:
        row = case_records.get_case(conn, case_id)
    return {k: row[k] for k in DUE}


def _letter(petitions: PetitionDesk, clock: Clock) -> int:
    detail = PetitionDetail(
        channel=Channel.LETTER,
        received_at=clock.now,
        subject=Subject.ODOUR,
        description="春江镇化工园区晚上有刺鼻气味",
        petitioner=Petitioner(name="张三", phone="13812345678"),
        address="新北区春江镇某路18号",
    )
    return petitions.intake(detail, district="xinbei").case.id


def test_reopen_keeps_a_petitions_statutory_deadlines(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    case_id = _letter(petitions, clock)
    statutory = _due(desk, case_id)
    clock.advance(days=3)
    desk.cancel(case_id, "误登记")
    clock.advance(hours=2)
    reopened = desk.reopen(case_id, "撤销有误")
    assert _due(desk, case_id) == statutory  # still from receipt, still the statutory ones
    assert reopened.due_at == statutory["due_at"]
    # The petitions module agrees: nothing to correct.
    assert petitions.refresh_deadlines(case_id).case.version == reopened.version


def test_priority_change_keeps_a_petitions_statutory_deadlines(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    case_id = _letter(petitions, clock)
    statutory = _due(desk, case_id)
    case = desk.get_case(case_id)
    edited = desk.edit_case(case_id, case.version, {"priority": Priority.P1})
    assert edited.priority is Priority.P1
    assert _due(desk, case_id) == statutory
    assert petitions.refresh_deadlines(case_id).case.version == edited.version


def test_other_cases_still_restart_from_deadlines_toml(desk: Desk, clock: Clock) -> None:
    """Including a petition typed into the generic form: it has no statutory record."""
    for kind in (CaseKind.QUALITY, CaseKind.PETITION):
        case = desk.create_case(draft(kind))
        desk.cancel(case.id, "误登记")
        clock.advance(hours=5)
        reopened = desk.reopen(case.id, "撤销有误")
        target = desk.rules.target(kind, Priority.P2)
        assert reopened.clock_started_at == clock.now
        assert reopened.response_due_at == clock.now + target.response
        edited = desk.edit_case(case.id, reopened.version, {"priority": Priority.P1})
        assert edited.response_due_at == clock.now + desk.rules.target(kind, Priority.P1).response
