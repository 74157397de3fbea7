"""The generic case paths never hand out a petitioner's phone or ID number in full.

The petitions module has its own masked views; these tests are about ``Desk`` itself (get,
find, detail, edit, transitions, conflicts), on both databases, with petitions taken in by the
real PetitionDesk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.errors import CaseConflict
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.petitions import Channel, PetitionDetail, Petitioner, Subject
from dispatch_app.store import case_records
from dispatch_app.store.audit_records import recent_audit
from tests.desk.conftest import PASSWORD, Clock, draft

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
OTHER_PHONE = "13998765432"  # typed into the description during the call
LANDLINE = "0519-86661234"


@pytest.fixture
def petitions(desk: Desk, tmp_path: Path) -> PetitionDesk:
    return PetitionDesk.open(desk, attachments_dir=tmp_path / "attachments")


def _as(desk: Desk, username: str) -> None:
    desk.logout()
    desk.login(username, PASSWORD)


def _intake(petitions: PetitionDesk, clock: Clock) -> int:
    detail = PetitionDetail(
        channel=Channel.HOTLINE_12369,
        received_at=clock.now,
        subject=Subject.ODOUR,
        description=f"春江镇化工园区晚上有刺鼻气味，邻居也反映，回电{OTHER_PHONE}",
        petitioner=Petitioner(
            name="张三", phone=PHONE, id_number=ID_NUMBER, contact_address=f"座机{LANDLINE}"
        ),
        address="新北区春江镇某路18号",
    )
    return petitions.intake(detail, district="xinbei").case.id


def _leaks(text: str) -> list[str]:
    return [n for n in (PHONE, ID_NUMBER, OTHER_PHONE, LANDLINE) if n in text]


def test_generic_views_of_a_petition_are_masked(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    case_id = _intake(petitions, clock)
    _as(desk, "officer")
    case = desk.get_case(case_id)
    person = case.details["petition"]["petitioner"]
    assert person["phone"] == "138****5678"
    assert person["id_number"] == "110105********002X"
    assert person["name"] == "张三"  # needed to address the caller
    assert "139****5432" in case.description
    assert _leaks(repr(case)) == []
    found = desk.find_case(case.reference)
    assert found is not None and _leaks(repr(found)) == []
    detail = desk.case_detail(case_id)
    assert _leaks(repr(detail)) == []
    # The database keeps them in full: the petitions module works on them and reveals them.
    with desk.store.read() as conn:
        raw = case_records.get_case(conn, case_id)
    assert raw["details"]["petition"]["petitioner"]["phone"] == PHONE
    assert OTHER_PHONE in raw["description"]
    _as(desk, "leader")  # a role the privacy rules allow sees them through the audited path
    assert petitions.reveal_petitioner(case_id, "回访核实").phone == PHONE


def test_writes_return_masked_cases_and_timeline(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    case_id = _intake(petitions, clock)
    _as(desk, "officer")
    version = desk.get_case(case_id).version
    triaged = desk.triage(case_id, expected_version=version)
    assert _leaks(repr(triaged)) == []
    edited = desk.edit_case(
        case_id, triaged.version, {"description": f"补充：另一号码{OTHER_PHONE}，座机{LANDLINE}"}
    )
    assert _leaks(repr(edited)) == []
    unchanged = desk.edit_case(case_id, edited.version, {})
    assert _leaks(repr(unchanged)) == []
    timeline = desk.case_detail(case_id).timeline
    assert timeline[-1].entry_kind == "edit" and _leaks(repr(timeline)) == []
    with desk.store.read() as conn:
        stored_edit = case_records.timeline_for(conn, case_id)[-1]
        audit = [dict(r) for r in recent_audit(conn, 1000)]
    assert _leaks(repr(dict(stored_edit))) == []  # not written in full either
    assert _leaks(repr(audit)) == []


def test_a_conflict_shows_their_petition_masked(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    case_id = _intake(petitions, clock)
    _as(desk, "officer")
    stale = desk.get_case(case_id).version
    desk.add_note(case_id, "先记一笔")
    with pytest.raises(CaseConflict) as edit_conflict:
        desk.edit_case(case_id, stale, {"title": "新标题"})
    with pytest.raises(CaseConflict) as step_conflict:
        desk.triage(case_id, expected_version=stale)
    for info in (edit_conflict, step_conflict):
        assert _leaks(repr(info.value.theirs_case)) == []
        assert _leaks(repr(info.value.theirs)) == []
        assert info.value.yours  # the user's own changes are kept as they were


def test_a_petition_from_the_generic_form_has_its_numbers_masked(desk: Desk) -> None:
    case = desk.create_case(
        draft(CaseKind.PETITION, description=f"来电人身份证{ID_NUMBER}，电话{PHONE}")
    )
    assert _leaks(repr(case)) == []
    assert _leaks(repr(desk.get_case(case.id))) == []


def test_other_kinds_keep_their_numbers(desk: Desk) -> None:
    """An enterprise's duty phone in a violation case is work data, shown as written."""
    case = desk.create_case(draft(CaseKind.VIOLATION, description=f"企业值班电话{PHONE}"))
    assert PHONE in desk.get_case(case.id).description


def test_masked_text_sent_back_keeps_the_stored_numbers(
    desk: Desk, petitions: PetitionDesk, clock: Clock
) -> None:
    """An edit form filled from the masked view sends the masked text back: the stored numbers
    stay (never replaced by stars), and an edit that keeps the stars beside new words is refused
    by field instead of losing the real number."""
    case_id = _intake(petitions, clock)
    shown = desk.get_case(case_id)
    assert OTHER_PHONE not in shown.description and "****" in shown.description

    edited = desk.edit_case(
        case_id, shown.version, {"description": shown.description, "priority": "P2"}
    )
    with desk.store.read() as conn:
        stored = case_records.get_case(conn, case_id)
    assert OTHER_PHONE in stored["description"]  # the real number is still there
    assert edited.priority.value == "P2"

    with pytest.raises(ValidationError) as refused:
        desk.edit_case(case_id, edited.version, {"description": shown.description + "；已电话回访"})
    assert refused.value.field == "description"
    with desk.store.read() as conn:
        assert OTHER_PHONE in case_records.get_case(conn, case_id)["description"]
