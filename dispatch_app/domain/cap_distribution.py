"""Who a CAP message goes to, and what the officer settles before it leaves.

The recipients (agencies and their channels), the default scope and instructions are local
practice, so they are configured (resources/rules/cap.toml). The officer picks the recipients
of each message, may change the scope and the instruction and add a note; `apply_choices`
puts those into the message the desk built, the same way for the preview and for the send.
`message_problems` lists what the schema cannot catch or would only report obscurely (text
XML cannot carry, a Private message with nobody to send it to) before a message can be
confirmed.

Pure: no I/O; the desk reads the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dispatch_app.domain.cap import CapMessage, MsgType

SCOPES = ("Public", "Restricted", "Private")
PURPOSES = ("emergency", "alert")  # what a recipient is chosen for by default
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# Characters XML 1.0 cannot carry at all (C0 controls other than tab, CR and LF; surrogates;
# U+FFFE/U+FFFF): ElementTree would write them and the message would not even parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DEFAULT_RESTRICTION = "仅限应急联动单位处置使用，不得公开发布"


class CapSettingsError(ValueError):
    """cap.toml is malformed; the message names the entry and the key."""


@dataclass(frozen=True)
class Recipient:
    """An agency a CAP message can be sent to, and the channel it goes through."""

    id: str
    name: str
    name_en: str
    address: str  # its CAP address (the `addresses` element)
    channel: str
    channel_en: str
    preselect: tuple[str, ...] = ()  # purposes it is ticked for by default
    districts: tuple[str, ...] = ()  # for emergencies: ticked only in these districts
    sample: bool = False  # a placeholder address, to be replaced before production


@dataclass(frozen=True)
class CapSettings:
    recipients: tuple[Recipient, ...] = ()
    emergency_scope: str = "Private"
    alert_scope: str = "Public"
    restriction: str = DEFAULT_RESTRICTION
    instructions: Mapping[str, str] = field(default_factory=dict)  # type value, "cancel"
    alert_instructions: Mapping[str, str] = field(default_factory=dict)  # level, "lift"

    def recipient(self, recipient_id: str) -> Recipient | None:
        return next((r for r in self.recipients if r.id == recipient_id), None)

    def preselected(self, purpose: str, district: str | None = None) -> tuple[str, ...]:
        """The recipients ticked when a message opens: those configured for the purpose;
        a district's own ones only for an emergency in that district."""
        return tuple(
            r.id
            for r in self.recipients
            if purpose in r.preselect
            and (not r.districts or purpose != "emergency" or district in r.districts)
        )

    def emergency_instruction(self, kind: str, msg_type: MsgType) -> str:
        if msg_type is MsgType.CANCEL:
            return self.instructions.get("cancel", "")
        return self.instructions.get(kind, self.instructions.get("other", ""))

    def alert_instruction(self, level: str | None) -> str:
        return self.alert_instructions.get(level or "lift", "")


def _text(entry: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise CapSettingsError(f"{where}: {key} must be text")
    value = value.strip()
    if required and not value:
        raise CapSettingsError(f"{where}: {key} is required")
    if _NOT_XML.search(value):
        raise CapSettingsError(f"{where}: {key} holds a character XML cannot carry")
    return value


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CapSettingsError(f"{where}: {key} must be a list of text")
    return tuple(value)


def _recipient(entry: Any, index: int, districts: frozenset[str] | None) -> Recipient:
    where = f"recipient {index}"
    if not isinstance(entry, dict):
        raise CapSettingsError(f"{where}: must be a table")
    rid = _text(entry, "id", where)
    where = f"recipient {rid!r}"
    if not _ID.match(rid):
        raise CapSettingsError(f"{where}: id must be a-z, 0-9, _ or - (at most 40)")
    address = _text(entry, "address", where)
    if '"' in address:
        raise CapSettingsError(f"{where}: address must not contain a double quote")
    preselect = _strings(entry.get("preselect", []), where, "preselect")
    for purpose in preselect:
        if purpose not in PURPOSES:
            raise CapSettingsError(f"{where}: preselect {purpose!r} is not one of {PURPOSES}")
    in_districts = _strings(entry.get("districts", []), where, "districts")
    for d in in_districts:
        if districts is not None and d not in districts:
            raise CapSettingsError(f"{where}: district {d!r} is unknown")
    sample = entry.get("sample", False)
    if not isinstance(sample, bool):
        raise CapSettingsError(f"{where}: sample must be true or false")
    return Recipient(
        id=rid,
        name=_text(entry, "name", where),
        name_en=_text(entry, "name_en", where, required=False) or _text(entry, "name", where),
        address=address,
        channel=_text(entry, "channel", where),
        channel_en=_text(entry, "channel_en", where, required=False)
        or _text(entry, "channel", where),
        preselect=preselect,
        districts=in_districts,
        sample=sample,
    )


def _table(data: Mapping[str, Any], key: str) -> dict[str, str]:
    raw = data.get(key, {})
    if not isinstance(raw, dict):
        raise CapSettingsError(f"[{key}] must be a table")
    return {str(k): _text(raw, str(k), f"[{key}]") for k in raw}


def parse_cap_settings(text: str, districts: frozenset[str] | None = None) -> CapSettings:
    """Read cap.toml. Every error names the recipient (or table) and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CapSettingsError(f"not valid TOML: {exc}") from None
    raw = data.get("recipient", [])
    if not isinstance(raw, list) or not raw:
        raise CapSettingsError("at least one [[recipient]] is required")
    recipients = tuple(_recipient(e, i, districts) for i, e in enumerate(raw, start=1))
    seen: set[str] = set()
    for r in recipients:
        if r.id in seen:
            raise CapSettingsError(f"recipient {r.id!r}: id is used twice")
        seen.add(r.id)
    scope = data.get("scope", {})
    if not isinstance(scope, dict):
        raise CapSettingsError("[scope] must be a table")
    scopes = {}
    for purpose, default in (("emergency", "Private"), ("alert", "Public")):
        value = scope.get(purpose, default)
        if value not in SCOPES:
            raise CapSettingsError(f"[scope] {purpose}: {value!r} is not one of {SCOPES}")
        scopes[purpose] = value
    return CapSettings(
        recipients=recipients,
        emergency_scope=scopes["emergency"],
        alert_scope=scopes["alert"],
        restriction=_text(scope, "restriction", "[scope]", required=False) or DEFAULT_RESTRICTION,
        instructions=_table(data, "instruction"),
        alert_instructions=_table(data, "alert_instruction"),
    )


@dataclass(frozen=True)
class CapChoices:
    """What the officer settled in the preview."""

    recipients: tuple[Recipient, ...]
    scope: str
    instruction: str
    note: str = ""


def apply_choices(msg: CapMessage, choices: CapChoices, restriction: str) -> CapMessage:
    """The message with the officer's recipients (as CAP addresses), scope, instruction and
    note. The preview and the send both call this, so what was shown is what goes."""
    infos = tuple(replace(i, instruction=choices.instruction.strip()) for i in msg.infos)
    return replace(
        msg,
        scope=choices.scope,
        restriction=restriction if choices.scope == "Restricted" else "",
        addresses=tuple(r.address for r in choices.recipients),
        note=choices.note.strip(),
        infos=infos,
    )


@dataclass(frozen=True)
class CapProblem:
    """Why a message cannot go, in both languages (``where`` names the element)."""

    where: str
    en: str
    zh: str

    def text(self, lang: str = "zh") -> str:
        return f"{self.where}: " + (self.zh if lang.startswith("zh") else self.en)


def _texts(msg: CapMessage) -> list[tuple[str, str]]:
    out = [
        ("identifier", msg.identifier),
        ("sender", msg.sender),
        ("restriction", msg.restriction),
        ("note", msg.note),
        ("incidents", msg.incidents),
    ]
    out += [("addresses", a) for a in msg.addresses]
    for info in msg.infos:
        out += [
            ("event", info.event),
            ("senderName", info.sender_name),
            ("headline", info.headline),
            ("description", info.description),
            ("instruction", info.instruction),
        ]
        out += [("area", a.desc) for a in info.areas]
    return out


def message_problems(msg: CapMessage) -> list[CapProblem]:
    """What stops a message before the schema is asked: every problem, not the first."""
    problems: list[CapProblem] = []
    for where, value in _texts(msg):
        bad = _NOT_XML.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            problems.append(
                CapProblem(
                    where,
                    f"holds the character {code}, which XML cannot carry; remove it",
                    f"含有XML无法传送的字符 {code}，请删除",
                )
            )
    if msg.scope not in SCOPES:
        problems.append(
            CapProblem("scope", f"{msg.scope!r} is not one of {SCOPES}", "发布范围无效")
        )
    if msg.scope == "Private" and not msg.addresses:
        problems.append(
            CapProblem(
                "addresses",
                "a Private message needs at least one recipient",
                "定向（Private）消息须至少选择一个收件方",
            )
        )
    if msg.scope == "Restricted" and not msg.restriction:
        problems.append(
            CapProblem(
                "restriction",
                "a Restricted message must say who may see it",
                "限定（Restricted）消息须注明限定范围",
            )
        )
    if msg.msg_type in (MsgType.UPDATE, MsgType.CANCEL) and not msg.references:
        problems.append(
            CapProblem(
                "references",
                f"a {msg.msg_type.value} must reference the earlier message",
                "更新或撤销消息须引用此前发送的消息",
            )
        )
    for where, value in (("identifier", msg.identifier), ("sender", msg.sender)):
        if re.search(r"[\s,<&]", value):
            problems.append(
                CapProblem(
                    where,
                    "must not contain spaces, commas, < or &",
                    "不得包含空格、逗号、< 或 &",
                )
            )
    return problems
