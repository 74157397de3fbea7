"""Unified social credit codes (GB 32100—2015)."""

from __future__ import annotations

import pytest

from dispatch_app.domain.cases import validate_credit_code
from dispatch_app.domain.credit_code import (
    check_character,
    credit_code_problem,
    make_credit_code,
    organization_check,
)
from dispatch_app.domain.errors import ValidationError

# Codes of real, publicly registered enterprises (from their business licences).
REAL = [
    "9144030071526726XG",
    "91330100716105852F",
    "914403001922038216",
    "91350100M000100Y43",
    "91110108551385082Q",
]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code: str) -> None:
    assert credit_code_problem(code) is None
    # Their organisation-code part carries a correct GB 11714 check character too.
    assert organization_check(code[8:16]) == code[16]


def test_generated_code_round_trips() -> None:
    code = make_credit_code("91320412MA1MQ8N4X")
    assert len(code) == 18 and credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9144030071526726X", "18 characters"),
        ("9144030071526726XGG", "18 characters"),
        ("9144030071526726XH", "check character is H, expected G"),
        ("91440300715267260G", "check character"),
        ("9144030071526726IG", "not allowed"),  # I is not in the alphabet
        ("914403007152672OXG", "not allowed"),  # letter O instead of zero
        ("91AB030071526726XG", "administrative division"),
        ("", "18 characters"),
    ],
)
def test_invalid_codes_are_refused_with_the_reason(code: str, fragment: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None and fragment in problem


def test_every_single_character_change_is_caught() -> None:
    code = REAL[0]
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i in range(18):
        for c in alphabet:
            if c == code[i]:
                continue
            changed = code[:i] + c + code[i + 1 :]
            if i in (2, 3, 4, 5, 6, 7) and not c.isdigit():
                continue  # refused for the division anyway
            assert credit_code_problem(changed) is not None, changed


def test_check_character_examples() -> None:
    assert check_character("9144030071526726X") == "G"
    assert check_character("91350100M000100Y4") == "3"


def test_validation_normalises_spaces_and_case() -> None:
    assert validate_credit_code(" 9144 0300 7152 6726 xg ") == "9144030071526726XG"


def test_validation_error_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code("9144030071526726XH")
    assert info.value.field == "credit_code"
    assert "校验码错误" in info.value.message("zh")
