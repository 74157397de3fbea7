"""What a generic view of a case may show of its ``details``.

The generic case paths (``Desk.get_case``, ``case_detail``, ``find_case``, ``edit_case``, every
transition) serve every kind alike. A petition's details carry the petitioner's phone and ID
number, and its description often has a number typed in during the call; petitioners are
protected from retaliation, so these paths hand them out masked, always. Seeing them in full
is a separate, audited use case of the petitions module (``PetitionDesk.reveal_petitioner``),
for the roles the privacy rules name.

Pure functions over plain values: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.masking import mask_free_text, mask_id_number, mask_phone
from dispatch_app.domain.petitions import DETAILS_KEY as PETITION_KEY

PETITION_KIND = "petition"

# Keys inside structured data that hold a number in full; everything else that is text is
# searched for numbers written inside it.
_PHONE_KEYS = frozenset({"phone", "callback_phone", "contact_phone"})
_ID_KEYS = frozenset({"id_number"})


def mask_personal_data(value: Any) -> Any:
    """``value`` with every phone and ID number masked: the known fields of a petitioner
    (``phone``, ``id_number``) wholly, numbers written inside any other text by pattern."""
    if isinstance(value, Mapping):
        result: dict[Any, Any] = {}
        for key, item in value.items():
            if key in _PHONE_KEYS and isinstance(item, str):
                result[key] = mask_phone(item)
            elif key in _ID_KEYS and isinstance(item, str):
                result[key] = mask_id_number(item)
            else:
                result[key] = mask_personal_data(item)
        return result
    if isinstance(value, list | tuple):
        return [mask_personal_data(item) for item in value]
    if isinstance(value, str):
        return mask_free_text(value)
    return value


def masked_case_values(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A case row as a generic view may show it.

    For a petition: the petitioner's phone and ID number masked inside
    ``details["petition"]``, and numbers masked in the description, the free text of the
    petition detail and the title. Other kinds are returned as they are: a violation's
    enterprise phone is work data, not a petitioner's.
    """
    values = dict(row)
    if values.get("kind") != PETITION_KIND:
        return values
    details = dict(values.get("details") or {})
    if PETITION_KEY in details:
        details[PETITION_KEY] = mask_personal_data(details[PETITION_KEY])
    values["details"] = details
    for name in ("description", "title", "address"):
        if isinstance(values.get(name), str):
            values[name] = mask_free_text(values[name])
    return values


# The free-text fields a generic view shows with numbers masked (see masked_case_values).
MASKED_TEXT_FIELDS = ("description", "title", "address")
_MASKED_TOKEN = re.compile(r"[0-9A-Za-z]*\*{3,}[0-9A-Za-z]*")


def unmask_text_edits(row: Mapping[Any, Any], edits: Mapping[str, Any]) -> dict[str, Any]:
    """``edits`` safe to write over ``row`` (the stored case): a masked field sent back exactly
    as the view showed it keeps the stored text, never the stars.

    Returns the edits with those fields restored, and raises ValidationError naming the field
    when an edited text still carries a masked number of the view: writing it would replace the
    real number with stars (the officer reveals the number first, or leaves the field as is).
    """
    result = dict(edits)
    shown = masked_case_values(row)
    for name in MASKED_TEXT_FIELDS:
        if name not in result or shown.get(name) == row.get(name):
            continue
        new = result[name]
        if new == shown[name]:
            result[name] = row[name]
        elif isinstance(new, str) and any(
            token in new for token in _MASKED_TOKEN.findall(str(shown[name]))
        ):
            raise ValidationError(
                name,
                "error.masked_text_edited",
                f"{name} shows masked phone or ID numbers: reveal them before editing this field,"
                " or leave it unchanged",
                f"“{name}”含有被遮蔽的电话或证件号码：请先查看完整号码再修改，或保持不变",
            )
    return result


def masked_timeline_values(kind: str, entry: Mapping[Any, Any]) -> dict[str, Any]:
    """A timeline entry of a case of ``kind`` as a generic view may show it: for a petition,
    numbers in its text and data masked (an edit's before/after, a call's record)."""
    values = dict(entry)
    if kind != PETITION_KIND:
        return values
    if isinstance(values.get("text"), str):
        values["text"] = mask_free_text(values["text"])
    if values.get("data") is not None:
        values["data"] = mask_personal_data(values["data"])
    return values


# Keys of ``details`` that another area's module writes and keeps consistent with its own
# tables and rules (statutory petition progress, merges, an emergency's detail, the alarm that
# opened a case). The generic edit carries them over unchanged and refuses to change them; the
# value names the module that owns the key, for the message.
FOREIGN_DETAIL_KEYS: Mapping[str, str] = {
    PETITION_KEY: "petitions",
    "petition_progress": "petitions",
    "petition_merge": "petitions",
    "open311": "petitions",
    "emergency": "emergencies",
    "alarm": "alarms",
}


def foreign_key_changed(
    submitted: Mapping[str, Any], stored: Mapping[str, Any], shown: Mapping[str, Any]
) -> str | None:
    """The first key owned by another module whose value ``submitted`` changes, or None.

    ``stored`` are the details in the database, ``shown`` the same as a generic view showed
    them (masked): sending back what was shown is no change. A key left out is no change
    either (it is carried over).
    """
    for key in FOREIGN_DETAIL_KEYS:
        if key in submitted and submitted[key] not in (stored.get(key), shown.get(key)):
            return key
    return None


def carry_foreign_keys(submitted: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """``submitted`` with every key owned by another module as it is stored."""
    result = {k: v for k, v in submitted.items() if k not in FOREIGN_DETAIL_KEYS}
    result.update({k: stored[k] for k in FOREIGN_DETAIL_KEYS if k in stored})
    return result


OWNER_NAMES_ZH: Mapping[str, str] = {
    "petitions": "信访",
    "emergencies": "突发环境事件",
    "alarms": "报警",
}


def owns_due_times(kind: str, details: Mapping[str, Any]) -> bool:
    """True when a case's due times come from its kind's own rules, not deadlines.toml.

    A petition taken in by the petitions module carries its statutory progress
    (``details["petition_progress"]``) and due times computed from it (信访工作条例: working
    days from receipt, extensions, replies); the generic paths (reopen, a priority change)
    then leave its due times and clock start alone and only re-rank it by its new status. A
    petition typed into the generic case form has no statutory record and runs on
    deadlines.toml like any case.
    """
    return kind == PETITION_KIND and "petition_progress" in details
