"""CAP 1.2 (OASIS Common Alerting Protocol) messages: build them from an emergency or a
heavy-pollution alert, write and read the XML, and turn a received message into the fields of
a case.

Pure: the schema check (resources/cap/CAP-v1.2.xsd, XSD 1.1 with the prose rules as
assertions) is done by the desk, which loads the file; ``from_xml`` still checks every field it
relies on, so a message is never half-read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from dispatch_app.domain.cases import EmergencyLevel
from dispatch_app.domain.emergencies import (
    LEVEL_ZH,
    Area,
    Circle,
    EmergencyDetail,
    EmergencyType,
    Polygon,
    make_circle,
    make_polygon,
)
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.heavy_pollution import AlertLevel, Transition
from dispatch_app.standards.center_time import CENTER_TZ

NS = "urn:oasis:names:tc:emergency:cap:1.2"
_Q = "{" + NS + "}"
MAX_MESSAGE_BYTES = 1_000_000
SENDER = "czsthjj.dispatch@changzhou.gov.cn"  # the center's CAP sender id (configurable by caller)
CHANGZHOU_GEOCODE = ("GB/T 2260", "320400")
# Our own parameters: a received message of ours round-trips to the same emergency.
P_TYPE = "dispatch:emergencyType"
P_LEVEL = "dispatch:emergencyLevel"
P_CASE = "dispatch:caseReference"
P_ALERT = "dispatch:pollutionAlert"


class CapError(ValueError):
    """A CAP message cannot be read or is not acceptable; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class Status(StrEnum):
    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class MsgType(StrEnum):
    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"


@dataclass(frozen=True)
class CapArea:
    desc: str
    polygons: tuple[Polygon, ...] = ()
    circles: tuple[Circle, ...] = ()
    geocodes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CapInfo:
    event: str
    urgency: str
    severity: str
    certainty: str
    categories: tuple[str, ...] = ("Env",)
    language: str = "zh-CN"
    response_types: tuple[str, ...] = ()
    sender_name: str = ""
    headline: str = ""
    description: str = ""
    instruction: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    areas: tuple[CapArea, ...] = ()

    def parameter(self, name: str) -> str | None:
        return next((v for k, v in self.parameters if k == name), None)


@dataclass(frozen=True)
class CapMessage:
    identifier: str
    sender: str
    sent: datetime
    status: Status
    msg_type: MsgType
    scope: str = "Public"
    restriction: str = ""  # who may see a Restricted message
    addresses: tuple[str, ...] = ()  # the intended recipients (required when Private)
    note: str = ""
    references: tuple[str, ...] = ()  # "sender,identifier,sent" of earlier messages
    incidents: str = ""
    infos: tuple[CapInfo, ...] = field(default_factory=tuple)

    @property
    def reference_key(self) -> str:
        """How a later message refers to this one."""
        return f"{self.sender},{self.identifier},{cap_time(self.sent)}"

    def referenced_identifiers(self) -> list[str]:
        return [r.split(",")[1] for r in self.references if r.count(",") == 2]


def cap_time(t: datetime) -> str:
    """CAP dateTime: whole seconds with an explicit offset (the center's, +08:00)."""
    if t.tzinfo is None:
        raise ValueError("CAP times must be aware")
    return t.astimezone(CENTER_TZ).replace(microsecond=0).isoformat()


# --- XML -----------------------------------------------------------------------------------


def _sub(parent: ET.Element, name: str, text: str | None) -> None:
    if text:
        ET.SubElement(parent, _Q + name).text = text


def _num(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}.0"


def polygon_text(p: Polygon) -> str:
    return " ".join(f"{_num(lat)},{_num(lon)}" for lon, lat in p.points)


def circle_text(c: Circle) -> str:
    return f"{_num(c.lat)},{_num(c.lon)} {_num(round(c.radius_m / 1000.0, 3))}"


def addresses_text(addresses: tuple[str, ...]) -> str:
    """CAP addresses: space-delimited, an address holding whitespace in double quotes."""
    return " ".join(f'"{a}"' if re.search(r"\s", a) else a for a in addresses)


def parse_addresses(text: str) -> tuple[str, ...]:
    return tuple(q or plain for q, plain in re.findall(r'"([^"]*)"|(\S+)', text))


def to_xml(msg: CapMessage) -> str:
    """The message as CAP 1.2 XML (elements in the order of the schema)."""
    ET.register_namespace("", NS)
    root = ET.Element(_Q + "alert")
    _sub(root, "identifier", msg.identifier)
    _sub(root, "sender", msg.sender)
    _sub(root, "sent", cap_time(msg.sent))
    _sub(root, "status", msg.status.value)
    _sub(root, "msgType", msg.msg_type.value)
    _sub(root, "scope", msg.scope)
    _sub(root, "restriction", msg.restriction)
    _sub(root, "addresses", addresses_text(msg.addresses))
    _sub(root, "note", msg.note)
    _sub(root, "references", " ".join(msg.references))
    _sub(root, "incidents", msg.incidents)
    for info in msg.infos:
        el = ET.SubElement(root, _Q + "info")
        _sub(el, "language", info.language)
        for c in info.categories:
            _sub(el, "category", c)
        _sub(el, "event", info.event)
        for r in info.response_types:
            _sub(el, "responseType", r)
        _sub(el, "urgency", info.urgency)
        _sub(el, "severity", info.severity)
        _sub(el, "certainty", info.certainty)
        _sub(el, "senderName", info.sender_name)
        _sub(el, "headline", info.headline)
        _sub(el, "description", info.description)
        _sub(el, "instruction", info.instruction)
        for name, value in info.parameters:
            p = ET.SubElement(el, _Q + "parameter")
            _sub(p, "valueName", name)
            ET.SubElement(p, _Q + "value").text = value
        for area in info.areas:
            a = ET.SubElement(el, _Q + "area")
            _sub(a, "areaDesc", area.desc)
            for poly in area.polygons:
                _sub(a, "polygon", polygon_text(poly))
            for circ in area.circles:
                _sub(a, "circle", circle_text(circ))
            for name, value in area.geocodes:
                g = ET.SubElement(a, _Q + "geocode")
                _sub(g, "valueName", name)
                ET.SubElement(g, _Q + "value").text = value
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


_PAIR = re.compile(r"^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$")


def parse_polygon(text: str) -> Polygon:
    points = []
    for token in text.split():
        m = _PAIR.match(token)
        if not m:
            raise ValueError(f"polygon point {token!r} is not lat,lon")
        points.append([float(m.group(2)), float(m.group(1))])
    if len(points) < 4 or points[0] != points[-1]:
        raise ValueError("a CAP polygon needs at least four points, the first equal to the last")
    try:
        return make_polygon(points)
    except ValidationError as exc:
        raise ValueError(exc.message_en) from None


def parse_circle(text: str) -> Circle:
    parts = text.split()
    m = _PAIR.match(parts[0]) if len(parts) == 2 else None
    if m is None:
        raise ValueError(f"circle {text!r} is not 'lat,lon radius'")
    try:
        return make_circle(float(m.group(2)), float(m.group(1)), float(parts[1]) * 1000.0)
    except ValueError as exc:
        raise ValueError(f"circle {text!r}: {exc}") from None
    except ValidationError as exc:
        raise ValueError(f"circle {text!r}: {exc.message_en}") from None


def _text(el: ET.Element, name: str) -> str:
    found = el.find(_Q + name)
    return (found.text or "").strip() if found is not None else ""


def from_xml(text: str | bytes) -> CapMessage:
    """Read a CAP 1.2 message. Raises CapError listing every problem; a DOCTYPE is refused
    (entity expansion is a classic attack on XML readers and CAP never needs one)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_MESSAGE_BYTES:
        raise CapError([f"message is {len(raw)} bytes; at most {MAX_MESSAGE_BYTES}"])
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise CapError(["a CAP message must not contain a DOCTYPE or entity declarations"])
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise CapError([f"not well-formed XML: {exc}"]) from None
    if root.tag != _Q + "alert":
        raise CapError([f"root element is {root.tag}, not {{{NS}}}alert (a CAP 1.2 message)"])
    problems: list[str] = []

    def need(el: ET.Element, name: str, where: str) -> str:
        value = _text(el, name)
        if not value:
            problems.append(f"{where}: {name} is missing")
        return value

    identifier = need(root, "identifier", "alert")
    sender = need(root, "sender", "alert")
    sent_text = need(root, "sent", "alert")
    sent = datetime.now(UTC)
    if sent_text:
        try:
            sent = datetime.fromisoformat(sent_text)
            if sent.tzinfo is None:
                raise ValueError
        except ValueError:
            problems.append(f"alert: sent {sent_text!r} is not a date-time with offset")
    status_text = need(root, "status", "alert")
    msg_text = need(root, "msgType", "alert")
    status = Status.ACTUAL
    msg_type = MsgType.ALERT
    if status_text:
        try:
            status = Status(status_text)
        except ValueError:
            problems.append(
                f"alert: status {status_text!r} is not one of {[s.value for s in Status]}"
            )
    if msg_text:
        try:
            msg_type = MsgType(msg_text)
        except ValueError:
            problems.append(
                f"alert: msgType {msg_text!r} is not one of {[m.value for m in MsgType]}"
            )
    scope = need(root, "scope", "alert")
    references = tuple(_text(root, "references").split())
    if msg_type in (MsgType.UPDATE, MsgType.CANCEL) and not references:
        problems.append(f"alert: a {msg_type.value} message needs references")
    infos: list[CapInfo] = []
    for i, el in enumerate(root.findall(_Q + "info"), start=1):
        where = f"info {i}"
        areas: list[CapArea] = []
        for j, a in enumerate(el.findall(_Q + "area"), start=1):
            polys: list[Polygon] = []
            circs: list[Circle] = []
            for p in a.findall(_Q + "polygon"):
                try:
                    polys.append(parse_polygon(p.text or ""))
                except ValueError as exc:
                    problems.append(f"{where} area {j}: {exc}")
            for c in a.findall(_Q + "circle"):
                try:
                    circs.append(parse_circle(c.text or ""))
                except ValueError as exc:
                    problems.append(f"{where} area {j}: {exc}")
            areas.append(
                CapArea(
                    need(a, "areaDesc", f"{where} area {j}"),
                    tuple(polys),
                    tuple(circs),
                    tuple(
                        (_text(g, "valueName"), _text(g, "value"))
                        for g in a.findall(_Q + "geocode")
                    ),
                )
            )
        categories = tuple((c.text or "").strip() for c in el.findall(_Q + "category"))
        if not categories:
            problems.append(f"{where}: category is missing")
        infos.append(
            CapInfo(
                event=need(el, "event", where),
                urgency=need(el, "urgency", where),
                severity=need(el, "severity", where),
                certainty=need(el, "certainty", where),
                categories=categories,
                language=_text(el, "language") or "en-US",
                response_types=tuple(
                    (r.text or "").strip() for r in el.findall(_Q + "responseType")
                ),
                sender_name=_text(el, "senderName"),
                headline=_text(el, "headline"),
                description=_text(el, "description"),
                instruction=_text(el, "instruction"),
                parameters=tuple(
                    (_text(p, "valueName"), _text(p, "value")) for p in el.findall(_Q + "parameter")
                ),
                areas=tuple(areas),
            )
        )
    if problems:
        raise CapError(problems)
    return CapMessage(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=status,
        msg_type=msg_type,
        scope=scope,
        restriction=_text(root, "restriction"),
        addresses=parse_addresses(_text(root, "addresses")),
        note=_text(root, "note"),
        references=references,
        incidents=_text(root, "incidents"),
        infos=tuple(infos),
    )


# --- building messages ---------------------------------------------------------------------

_SEVERITY = {
    EmergencyLevel.I: "Extreme",
    EmergencyLevel.II: "Severe",
    EmergencyLevel.III: "Moderate",
    EmergencyLevel.IV: "Minor",
}
_ALERT_SEVERITY = {
    AlertLevel.YELLOW: "Moderate",
    AlertLevel.ORANGE: "Severe",
    AlertLevel.RED: "Extreme",
}


_MSG_PREFIX = {MsgType.UPDATE: "（更新）", MsgType.CANCEL: "（撤销）"}


def _area(area: Area | None, desc: str) -> tuple[CapArea, ...]:
    if isinstance(area, Circle):
        return (CapArea(desc, circles=(area,)),)
    if isinstance(area, Polygon):
        return (CapArea(desc, polygons=(area,)),)
    return (CapArea(desc or "常州市", geocodes=(CHANGZHOU_GEOCODE,)),)


def emergency_message(
    *,
    identifier: str,
    sent: datetime,
    msg_type: MsgType,
    case_reference: str,
    title: str,
    description: str,
    address: str,
    detail: EmergencyDetail,
    level: EmergencyLevel | None,
    references: tuple[str, ...] = (),
    sender: str = SENDER,
    sender_name: str = "常州市生态环境指挥调度中心",
    instruction: str = "",
) -> CapMessage:
    """An emergency as a CAP message: category Env; status Exercise for a drill. The
    headline says an Update or Cancel (更新/撤销) and a drill (【演练】) in words too."""
    if msg_type in (MsgType.UPDATE, MsgType.CANCEL) and not references:
        raise ValueError(f"a {msg_type.value} must reference the earlier message")
    params: list[tuple[str, str]] = [(P_TYPE, detail.type.value), (P_CASE, case_reference)]
    if level is not None:
        params.append((P_LEVEL, level.value))
    headline = f"{LEVEL_ZH[level]} {title}" if level is not None else title
    if detail.exercise and "演练" not in headline:
        headline = "【演练】" + headline
    headline = _MSG_PREFIX.get(msg_type, "") + headline
    info = CapInfo(
        event=f"突发环境事件：{detail.type.name_zh}",
        urgency="Past" if msg_type is MsgType.CANCEL else "Immediate",
        severity=_SEVERITY[level] if level is not None else "Unknown",
        certainty="Observed",
        response_types=("AllClear",) if msg_type is MsgType.CANCEL else ("Monitor",),
        sender_name=sender_name,
        headline=headline[:160],
        description=description,
        instruction=instruction,
        parameters=tuple(params),
        areas=_area(detail.area, address or title),
    )
    return CapMessage(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=Status.EXERCISE if detail.exercise else Status.ACTUAL,
        msg_type=msg_type,
        references=references,
        incidents=case_reference,
        infos=(info,),
    )


def alert_message(
    *,
    identifier: str,
    sent: datetime,
    level: AlertLevel | None,
    change: Transition,
    reason: str,
    references: tuple[str, ...] = (),
    exercise: bool = False,
    sender: str = SENDER,
    instruction: str = "",
) -> CapMessage:
    """A heavy-pollution weather alert: issuing is an Alert, upgrade/downgrade an Update,
    lifting a Cancel (the last two reference the earlier message)."""
    msg_type = {
        Transition.ISSUE: MsgType.ALERT,
        Transition.UPGRADE: MsgType.UPDATE,
        Transition.DOWNGRADE: MsgType.UPDATE,
        Transition.LIFT: MsgType.CANCEL,
    }[change]
    if msg_type is not MsgType.ALERT and not references:
        raise ValueError(f"a {msg_type.value} must reference the earlier message")
    shown = level.name_zh if level is not None else "预警解除"
    info = CapInfo(
        event="重污染天气",
        urgency="Past" if level is None else "Expected",
        severity="Minor" if level is None else _ALERT_SEVERITY[level],
        certainty="Likely",
        categories=("Env", "Met"),
        response_types=("AllClear",) if level is None else ("Prepare",),
        sender_name="常州市重污染天气应急指挥部",
        headline=("【演练】" if exercise else "") + f"常州市重污染天气{shown}（{change.name_zh}）",
        description=reason,
        instruction=instruction,
        parameters=((P_ALERT, level.value if level is not None else "none"),),
        areas=_area(None, "常州市"),
    )
    return CapMessage(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=Status.EXERCISE if exercise else Status.ACTUAL,
        msg_type=msg_type,
        references=references,
        infos=(info,),
    )


# --- importing -----------------------------------------------------------------------------

_EVENT_WORDS = (
    ("饮用水", EmergencyType.DRINKING_WATER_THREAT),
    ("水源", EmergencyType.DRINKING_WATER_THREAT),
    ("蓝藻", EmergencyType.ALGAE_BLOOM),
    ("湖泛", EmergencyType.ALGAE_BLOOM),
    ("algae", EmergencyType.ALGAE_BLOOM),
    ("化学", EmergencyType.CHEMICAL_RELEASE),
    ("泄漏", EmergencyType.CHEMICAL_RELEASE),
    ("chemical", EmergencyType.CHEMICAL_RELEASE),
    ("hazmat", EmergencyType.CHEMICAL_RELEASE),
    ("水污染", EmergencyType.WATER_POLLUTION),
    ("water", EmergencyType.WATER_POLLUTION),
    ("大气", EmergencyType.AIR_POLLUTION),
    ("空气", EmergencyType.AIR_POLLUTION),
    ("air", EmergencyType.AIR_POLLUTION),
)
_LEVEL_OF_SEVERITY = {v: k for k, v in _SEVERITY.items()}


@dataclass(frozen=True)
class ImportedEmergency:
    """What a received CAP message says, as the fields of an emergency case."""

    title: str
    description: str
    detail: EmergencyDetail
    level: EmergencyLevel | None  # the sender's level, shown as theirs; ours is decided here
    source_reference: str  # reference_key of the message


def imported_emergency(msg: CapMessage) -> ImportedEmergency:
    """Turn a received Alert into an emergency case's fields. Only Actual and Exercise
    messages become cases (Test, System and Draft are not events), and only Alerts open one
    (an Update or Cancel belongs to the case its reference opened)."""
    problems = []
    if msg.status not in (Status.ACTUAL, Status.EXERCISE):
        problems.append(f"status {msg.status.value} messages are not events; not imported")
    if msg.msg_type is not MsgType.ALERT:
        problems.append(f"a {msg.msg_type.value} does not open a case")
    if not msg.infos:
        problems.append("the message has no info block")
    if problems:
        raise CapError(problems)
    info = msg.infos[0]
    kind_text = info.parameter(P_TYPE)
    kind = EmergencyType.OTHER
    if kind_text is not None:
        try:
            kind = EmergencyType(kind_text)
        except ValueError:
            kind = EmergencyType.OTHER
    else:
        text = f"{info.event} {info.headline}".lower()
        kind = next((k for word, k in _EVENT_WORDS if word in text), EmergencyType.OTHER)
    area: Area | None = None
    area_desc = ""
    for a in info.areas:
        area_desc = area_desc or a.desc
        if a.polygons:
            area = a.polygons[0]
            break
        if a.circles:
            area = a.circles[0]
            break
    level_text = info.parameter(P_LEVEL)
    level = None
    if level_text in {lv.value for lv in EmergencyLevel}:
        level = EmergencyLevel(level_text)
    elif info.severity in _LEVEL_OF_SEVERITY:
        level = _LEVEL_OF_SEVERITY[info.severity]
    title = (info.headline or info.event or "CAP").strip()[:200]
    lines = [info.description, info.instruction and f"指引：{info.instruction}"]
    lines.append(f"来源：{info.sender_name or msg.sender}（CAP {msg.identifier}）")
    if area_desc:
        lines.append(f"区域：{area_desc}")
    return ImportedEmergency(
        title=title,
        description="\n".join(x for x in lines if x)[:10_000],
        detail=EmergencyDetail(kind, area, exercise=msg.status is Status.EXERCISE),
        level=level,
        source_reference=msg.reference_key,
    )
