"""A generic edit never changes the ``details`` keys the petitions, emergencies and alarms
modules keep: refused with the key named, carried over when left out, and a masked value sent
back as shown never overwrites the number in full."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dispatch_app.desk import Desk, alarms, petitions
from dispatch_app.desk.emergencies import EmergencyDesk, EmergencyDraft, load_emergency_resources
from dispatch_app.desk.errors import ValidationError
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain import emergencies
from dispatch_app.domain import petitions as petition_domain
from dispatch_app.domain.case_details import FOREIGN_DETAIL_KEYS
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.emergencies import EmergencyType
from dispatch_app.domain.petitions import Channel, PetitionDetail, Petitioner, Subject
from dispatch_app.resources import resources_dir
from dispatch_app.store import case_records
from tests.desk.conftest import Clock, draft

PHONE = "13812345678"


def _raw(desk: Desk, case_id: int) -> dict[str, Any]:
    with desk.store.read() as conn:
        return dict(case_records.get_case(conn, case_id))


def _petition(desk: Desk, clock: Clock, tmp_path: Path) -> int:
    p = PetitionDesk.open(desk, attachments_dir=tmp_path / "attachments")
    detail = PetitionDetail(
        channel=Channel.HOTLINE_12369,
        received_at=clock.now,
        subject=Subject.ODOUR,
        description="春江镇化工园区晚上有刺鼻气味",
        petitioner=Petitioner(name="张三", phone=PHONE),
        address="新北区春江镇某路18号",
    )
    return p.intake(detail, district="xinbei").case.id


def test_the_owned_keys_are_the_modules_own() -> None:
    """The list follows the keys the modules write (their constants)."""
    assert {
        petition_domain.DETAILS_KEY,
        petition_domain.PROGRESS_KEY,
        petitions.MERGE_KEY,
        emergencies.DETAIL_KEY,
        alarms.CASE_DETAILS_KEY,
    } <= set(FOREIGN_DETAIL_KEYS)


@pytest.mark.parametrize("key", ["petition", "petition_progress", "petition_merge", "open311"])
def test_changing_a_petition_key_is_refused_and_writes_nothing(
    desk: Desk, clock: Clock, tmp_path: Path, key: str
) -> None:
    case_id = _petition(desk, clock, tmp_path)
    before = _raw(desk, case_id)
    details = dict(desk.get_case(case_id).details)
    details[key] = {"tampered": True}
    with pytest.raises(ValidationError) as info:
        desk.edit_case(case_id, before["version"], {"title": "改个标题", "details": details})
    assert info.value.field == f"details.{key}"
    assert info.value.params["owner"] == "petitions"
    assert key in info.value.message("en") and "信访" in info.value.message("zh")
    assert _raw(desk, case_id) == before


def test_removing_or_sending_back_masked_details_keeps_them_in_full(
    desk: Desk, clock: Clock, tmp_path: Path
) -> None:
    case_id = _petition(desk, clock, tmp_path)
    stored = _raw(desk, case_id)["details"]
    shown = desk.get_case(case_id)
    assert shown.details["petition"]["petitioner"]["phone"] != PHONE  # masked in the view
    # Sending back what the view showed (masked) is no change: the full number stays.
    edited = desk.edit_case(case_id, shown.version, {"title": "新标题", "details": shown.details})
    assert edited.title == "新标题"
    assert _raw(desk, case_id)["details"] == stored
    # Leaving the keys out carries them over.
    desk.edit_case(case_id, edited.version, {"details": {}})
    assert _raw(desk, case_id)["details"] == stored


def test_emergency_and_alarm_keys_are_refused(desk: Desk, clock: Clock) -> None:
    em = EmergencyDesk(desk, load_emergency_resources(resources_dir()))
    view = em.create(
        EmergencyDraft(
            title="京杭大运河奔牛段柴油泄漏",
            district="xinbei",  # type: ignore[arg-type]
            type=EmergencyType.WATER_POLLUTION,
            description="运输船碰撞，柴油入河",
        )
    )
    case = desk.get_case(view.case.id)
    details = dict(case.details, emergency={"type": "other"})
    with pytest.raises(ValidationError) as info:
        desk.edit_case(case.id, case.version, {"details": details})
    assert info.value.field == "details.emergency"
    assert _raw(desk, case.id)["details"]["emergency"]["type"] == "water_pollution"

    quality = desk.create_case(draft(CaseKind.QUALITY))
    with pytest.raises(ValidationError) as info:
        desk.edit_case(quality.id, quality.version, {"details": {"alarm": {"alarm_id": 1}}})
    assert info.value.field == "details.alarm"
    assert _raw(desk, quality.id)["details"] == {}


@pytest.mark.parametrize("key", sorted(FOREIGN_DETAIL_KEYS))
def test_the_generic_form_cannot_create_a_case_with_another_modules_key(
    desk: Desk, key: str
) -> None:
    """Those modules open their cases themselves (a forged ``petition_progress`` would make
    a generic case look statutory)."""
    with pytest.raises(ValidationError) as info:
        desk.create_case(draft(CaseKind.PETITION, details={key: {"forged": True}}))
    assert info.value.field == f"details.{key}"
    assert desk.queue_count() == 0
