"""Masking of a petitioner's personal data, and who may see it unmasked.

Petitioners are protected from retaliation (信访工作条例 forbids passing their complaint
materials to the people they complain about), so the desk shows phone and ID masked everywhere:
queue, case view, exports, screenshots. A role named in the rules file may ask to see them
unmasked; the desk writes each such request to the audit log. The masked forms keep enough to
recognise a repeat caller (the first three and last four digits) and nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dispatch_app.domain.errors import PermissionDenied
from dispatch_app.domain.petitions import Petitioner

MASK = "*"


_COUNTRY_PREFIX = re.compile(r"\s*(?:\+86|0086)[\s-]?")


def mask_phone(phone: str) -> str:
    """'13812341234' → '138****1234'; landline '0519-86661234' → '0519-****1234'.

    A mobile keeps its first three and last four digits, a landline its area code (3 digits
    for 010 and 02x, else 4) and last four; a +86 prefix and any separators stay in place.
    Numbers of 7 digits or fewer keep only their last two digits.
    """
    m = _COUNTRY_PREFIX.match(phone)
    prefix, body = (phone[: m.end()], phone[m.end() :]) if m else ("", phone)
    positions = [i for i, c in enumerate(body) if c.isdigit()]
    digits = "".join(body[i] for i in positions)
    if not digits:
        return phone
    if len(digits) <= 7:
        keep_head, keep_tail = 0, 2
    elif digits.startswith("0"):
        keep_head, keep_tail = (3 if digits[1] in "12" else 4), 4
    else:
        keep_head, keep_tail = 3, 4
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return prefix + "".join(MASK if i in hidden else c for i, c in enumerate(body))


def mask_id_number(id_number: str) -> str:
    """'320402199001011234' → '320402********1234': region kept, birth date and sequence hidden."""
    if len(id_number) <= 10:
        return MASK * len(id_number)
    return id_number[:6] + MASK * (len(id_number) - 10) + id_number[-4:]


def mask_name(name: str) -> str:
    """'张三' → '张*', '欧阳娜娜' → '欧***': the surname's first character only."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + MASK * max(1, len(name) - 1)


# Numbers written inside free text (a description typed during a call, an imported record):
# mainland mobiles and 18-digit IDs, not embedded in longer digit runs.
_ID_IN_TEXT = re.compile(r"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?![0-9])")
_LANDLINE_IN_TEXT = re.compile(r"(?<![0-9])0\d{2,3}[-\s]?\d{7,8}(?![0-9])")


def mask_free_text(text: str) -> str:
    """Mask phone and ID numbers that appear inside free text."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)
    return _LANDLINE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


@dataclass(frozen=True)
class PrivacyPolicy:
    """Which roles may see personal data unmasked (on request, audited)."""

    unmask_roles: frozenset[str] = frozenset({"shift_leader", "administrator"})

    def may_unmask(self, role: str) -> bool:
        return str(role) in self.unmask_roles

    def require_unmask(self, role: str) -> None:
        if self.may_unmask(role):
            return
        raise PermissionDenied(
            "error.unmask_denied",
            f"role {role} may not see petitioners' personal data unmasked",
            "当前角色无权查看信访人完整个人信息",
            role=str(role),
        )


def privacy_policy_from_toml(data: Mapping[str, Any]) -> PrivacyPolicy:
    section = data.get("privacy", {})
    roles = section.get("unmask_roles", ["shift_leader", "administrator"])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise ValueError("privacy.unmask_roles: expected a list of role names")
    return PrivacyPolicy(frozenset(roles))


@dataclass(frozen=True)
class PetitionerView:
    """The petitioner as a given screen may show them."""

    name: str
    phone: str
    id_number: str
    anonymous: bool
    contact_address: str
    masked: bool

    @property
    def display_name(self) -> str:
        return "匿名" if self.anonymous else self.name


def petitioner_view(
    petitioner: Petitioner, role: str, policy: PrivacyPolicy, *, unmask: bool = False
) -> PetitionerView:
    """Masked unless ``unmask`` is asked for and the role may; asking without the right raises.

    The desk calls this with ``unmask=True`` only inside its audited unmask use case; every
    other path gets the masked view, so forgetting to audit cannot leak data.
    """
    if unmask:
        policy.require_unmask(role)
        return PetitionerView(
            petitioner.name,
            petitioner.phone,
            petitioner.id_number,
            petitioner.anonymous,
            petitioner.contact_address,
            masked=False,
        )
    return PetitionerView(
        name=petitioner.name,  # the name is needed to address the petitioner on the phone
        phone=mask_phone(petitioner.phone),
        id_number=mask_id_number(petitioner.id_number),
        anonymous=petitioner.anonymous,
        contact_address=mask_free_text(petitioner.contact_address),
        masked=True,
    )
