"""Pure rules of what the generic case paths show and keep of ``details``."""

from __future__ import annotations

from dispatch_app.domain.case_details import (
    carry_foreign_keys,
    foreign_key_changed,
    mask_personal_data,
    masked_case_values,
    masked_timeline_values,
    owns_due_times,
)


def test_personal_data_is_masked_wherever_it_sits() -> None:
    value = {
        "petitioner": {"name": "张三", "phone": "13812345678", "id_number": "320402199001011234"},
        "notes": ["回电 0519-86661234", 42, None],
        "count": 3,
    }
    masked = mask_personal_data(value)
    assert masked["petitioner"] == {
        "name": "张三",
        "phone": "138****5678",
        "id_number": "320402********1234",
    }
    assert masked["notes"] == ["回电 0519-****1234", 42, None]
    assert masked["count"] == 3
    assert value["petitioner"]["phone"] == "13812345678"  # the input is left as it was


def test_only_petitions_are_masked() -> None:
    row = {"kind": "violation", "description": "企业电话13812345678", "details": {}}
    assert masked_case_values(row) == row
    petition = dict(row, kind="petition", title="来电13812345678")
    shown = masked_case_values(petition)
    assert shown["description"] == "企业电话138****5678" and shown["title"] == "来电138****5678"
    entry = {"text": "回电13812345678", "data": {"after": {"description": "13812345678"}}}
    assert masked_timeline_values("quality", entry) == entry
    assert masked_timeline_values("petition", entry) == {
        "text": "回电138****5678",
        "data": {"after": {"description": "138****5678"}},
    }


def test_foreign_keys_are_compared_with_the_stored_and_the_shown_value() -> None:
    stored = {"petition": {"phone": "13812345678"}, "extra": 1}
    shown = {"petition": {"phone": "138****5678"}, "extra": 1}
    assert foreign_key_changed({"petition": shown["petition"]}, stored, shown) is None
    assert foreign_key_changed({"petition": stored["petition"]}, stored, shown) is None
    assert foreign_key_changed({}, stored, shown) is None
    assert foreign_key_changed({"petition": {"phone": "1"}}, stored, shown) == "petition"
    assert foreign_key_changed({"alarm": {}}, stored, shown) == "alarm"
    assert carry_foreign_keys({"petition": shown["petition"], "extra": 2}, stored) == {
        "petition": stored["petition"],
        "extra": 2,
    }


def test_statutory_petitions_own_their_due_times() -> None:
    assert owns_due_times("petition", {"petition_progress": {}})
    assert not owns_due_times("petition", {})
    assert not owns_due_times("quality", {"petition_progress": {}})
