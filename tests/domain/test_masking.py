"""Masking of petitioners' personal data, per role."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dispatch_app.domain.errors import PermissionDenied
from dispatch_app.domain.masking import (
    PrivacyPolicy,
    mask_free_text,
    mask_id_number,
    mask_name,
    mask_phone,
    petitioner_view,
    privacy_policy_from_toml,
)
from dispatch_app.domain.petitions import Petitioner
from dispatch_app.domain.roles import Role

PETITIONER = Petitioner(
    name="张三",
    phone="13812341234",
    id_number="11010519491231002X",
    contact_address="天宁区某路1号",
)


@pytest.fixture(scope="module")
def policy(resources_dir: Path) -> PrivacyPolicy:
    data = tomllib.loads((resources_dir / "rules" / "petitions.toml").read_text("utf-8"))
    return privacy_policy_from_toml(data)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812341234", "138****1234"),
        ("051986661234", "0519****1234"),
        ("0519-86661234", "0519-****1234"),
        ("010-12345678", "010-****5678"),
        ("+86 138 1234 1234", "+86 138 **** 1234"),
        ("008613812341234", "0086138****1234"),
        ("8666123", "*****23"),
        ("", ""),
    ],
)
def test_phone_masking(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_id_and_name_masking() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("") == ""
    assert mask_id_number("12345") == "*****"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("王") == "王*"
    assert mask_name("  ") == ""


def test_numbers_inside_free_text_are_masked() -> None:
    text = "来电人13812341234称，身份证11010519491231002X，座机0519-86661234，门牌18号，编号2026112800001"
    out = mask_free_text(text)
    assert "13812341234" not in out and "138****1234" in out
    assert "11010519491231002X" not in out and "110105********002X" in out
    assert "86661234" not in out
    assert "门牌18号" in out
    assert "2026112800001" in out  # a work-order number is not a phone number


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VIEWER, False),
        (Role.DUTY_OFFICER, False),
        (Role.SHIFT_LEADER, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_who_may_unmask(policy: PrivacyPolicy, role: Role, allowed: bool) -> None:
    masked = petitioner_view(PETITIONER, role, policy)
    assert masked.masked
    assert masked.phone == "138****1234"
    assert masked.id_number == "110105********002X"
    assert policy.may_unmask(role) is allowed
    if allowed:
        full = petitioner_view(PETITIONER, role, policy, unmask=True)
        assert not full.masked
        assert (full.phone, full.id_number) == ("13812341234", "11010519491231002X")
    else:
        with pytest.raises(PermissionDenied) as exc:
            petitioner_view(PETITIONER, role, policy, unmask=True)
        assert "无权" in exc.value.message_zh


def test_anonymous_display_name(policy: PrivacyPolicy) -> None:
    view = petitioner_view(
        Petitioner(anonymous=True, phone="13812341234"), Role.DUTY_OFFICER, policy
    )
    assert view.display_name == "匿名"
    assert view.phone == "138****1234"


def test_policy_from_rules_and_malformed_rules() -> None:
    assert privacy_policy_from_toml({}).may_unmask("shift_leader")
    custom = privacy_policy_from_toml({"privacy": {"unmask_roles": ["administrator"]}})
    assert not custom.may_unmask(Role.SHIFT_LEADER)
    with pytest.raises(ValueError, match="unmask_roles"):
        privacy_policy_from_toml({"privacy": {"unmask_roles": "administrator"}})
