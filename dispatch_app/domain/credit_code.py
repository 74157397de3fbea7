"""Unified social credit code (统一社会信用代码), GB 32100—2015.

18 characters: registration authority (1), organisation category (1), administrative division
(6 digits), organisation code (9 characters, GB 11714, with its own check character), and a
final check character over the first 17. The alphabet is the digits and the capital letters
without I, O, Z, S, V (31 characters); each character's value is its position in that alphabet.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# Weights W_i = 3^(i-1) mod 31 for positions 1..17 (GB 32100—2015, 5.2).
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714 organisation code: weights for the 8 body characters, modulus 11.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organization_check(body8: str) -> str:
    """The GB 11714 check character for an 8-character organisation code body.

    Digits count as their value, letters A–Z as 10–35; the result 10 is written X.
    """
    total = 0
    for c, w in zip(body8, _ORG_WEIGHTS, strict=True):
        value = int(c) if c.isdigit() else ord(c) - ord("A") + 10
        total += value * w
    r = (11 - total % 11) % 11
    return "X" if r == 10 else str(r)


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None when it is.

    The returned string is a short English reason; callers wrap it into a ValidationError.
    Only the GB 32100 final check is enforced: the organisation-code part of codes issued to
    some bodies (individual businesses, re-registered organisations) is not a GB 11714 code,
    so its check character is not a reliable test.
    """
    if len(code) != 18:
        return f"must be 18 characters, got {len(code)}"
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return f"contains characters not allowed by GB 32100: {''.join(bad)}"
    if not code[2:8].isdigit():
        return "characters 3–8 (administrative division) must be digits"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]}, expected {expected}"
    return None


def normalize_credit_code(code: str) -> str:
    """Upper-case and strip spaces, the way officers often type or paste codes."""
    return "".join(code.split()).upper()


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (for demo data and tests)."""
    return first17 + check_character(first17)
