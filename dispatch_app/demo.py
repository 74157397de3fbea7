"""Demo and benchmark data.

``seed_demo`` fills an empty database with a realistic workload for training and
screenshots: a few hundred cases of all four kinds across the seven districts, spread over the
workflow, some overdue, each worked through the real desk use cases (so timelines, audit log
and deadlines are exactly what officers would produce), plus the demo accounts.

``bulk_seed`` writes many cases straight into the cases table for benchmarks (no timeline or
audit rows: it measures the queue, not the workflow).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from dispatch_app.desk.desk import Desk
from dispatch_app.domain.cases import CaseDraft, CaseKind, CaseSource, Priority, Status
from dispatch_app.domain.credit_code import ALPHABET, make_credit_code, organization_check
from dispatch_app.domain.deadlines import DeadlineRules, due_times, sort_key
from dispatch_app.domain.districts import District
from dispatch_app.domain.reference import format_reference, reference_year, sequence_name
from dispatch_app.domain.units import UnitKind
from dispatch_app.domain.workflow import ClosureCode
from dispatch_app.store.case_records import rebuild_case_search, set_sequence_at_least
from dispatch_app.store.database import Store
from dispatch_app.store.models import cases
from dispatch_app.store.schema import refresh_statistics

DEMO_PASSWORD = "demo-2026"
# (username, display name, role). The desk's --demo logs in as DEMO_OFFICER; File → Log out /
# switch user logs in as another (README lists them).
DEMO_OFFICER = "demo"
DEMO_USERS = (
    ("admin", "系统管理员", "administrator"),
    ("leader", "带班领导（演示）", "shift_leader"),
    (DEMO_OFFICER, "值班员（演示）", "duty_officer"),
    ("viewer", "只读席位（演示）", "viewer"),
)

# Approximate district centres (lon, lat) for scattering case locations.
_CENTRES = {
    District.LIYANG: (119.48, 31.42),
    District.JINTAN: (119.57, 31.72),
    District.WUJIN: (119.94, 31.70),
    District.XINBEI: (119.97, 31.85),
    District.TIANNING: (119.99, 31.79),
    District.ZHONGLOU: (119.90, 31.79),
    District.JINGKAI: (120.09, 31.76),
}
# Administrative division codes used in demo credit codes.
_DIVISION = {
    District.LIYANG: "320481",
    District.JINTAN: "320413",
    District.WUJIN: "320412",
    District.XINBEI: "320411",
    District.TIANNING: "320402",
    District.ZHONGLOU: "320404",
    District.JINGKAI: "320491",
}
_TOWNS = {
    District.LIYANG: ["天目湖镇", "社渚镇", "上兴镇", "竹箦镇"],
    District.JINTAN: ["薛埠镇", "直溪镇", "朱林镇", "儒林镇"],
    District.WUJIN: ["湖塘镇", "牛塘镇", "洛阳镇", "前黄镇", "雪堰镇"],
    District.XINBEI: ["春江街道", "孟河镇", "罗溪镇", "薛家镇"],
    District.TIANNING: ["郑陆镇", "青龙街道", "茶山街道"],
    District.ZHONGLOU: ["邹区镇", "北港街道", "西林街道"],
    District.JINGKAI: ["横林镇", "遥观镇", "横山桥镇"],
}
_RIVERS = ["京杭运河", "武南河", "德胜河", "澡港河", "北塘河", "丹金溧漕河", "太滆运河", "采菱港"]
_LAKES = ["滆湖", "长荡湖", "竺山湖"]

_TITLES: dict[CaseKind, list[str]] = {
    CaseKind.QUALITY: [
        "{d}区{t}空气自动站PM2.5小时浓度超标",
        "{r}{t}断面氨氮浓度超Ⅲ类标准",
        "{t}空气微站臭氧浓度持续升高",
        "{l}湖区蓝藻聚集，水华预警",
        "{r}断面总磷浓度异常升高",
        "{t}网格点PM10浓度连续3小时高值",
        "{r}断面溶解氧偏低，疑似湖泛前兆",
    ],
    CaseKind.VIOLATION: [
        "{d}区某化工企业夜间偷排废水",
        "{t}某电镀厂雨水排口超标排放",
        "{t}某印染企业擅自停运污染防治设施",
        "{t}某家具厂喷漆废气未经处理直排",
        "{t}某建筑工地扬尘防治措施不落实",
        "{t}某企业危险废物贮存不规范",
        "{d}区某企业自动监测数据异常，疑似弄虚作假",
    ],
    CaseKind.EMERGENCY: [
        "{t}危化品运输车辆侧翻泄漏",
        "{d}区某化工园区储罐火灾次生环境污染",
        "{r}{t}段出现大面积死鱼",
        "{t}某企业硫酸储罐泄漏",
        "{r}上游油污带漂移，威胁取水口",
    ],
    CaseKind.PETITION: [
        "{t}居民反映小区周边餐饮油烟扰民",
        "{t}群众投诉夜间施工噪声",
        "{t}村民反映{r}河道发黑发臭",
        "{t}居民投诉工厂异味",
        "{t}群众反映养殖场粪污直排",
        "{t}居民投诉垃圾中转站臭气",
    ],
}
_SOURCES = {
    CaseKind.QUALITY: [CaseSource.MONITORING, CaseSource.PATROL, CaseSource.SUPERIOR],
    CaseKind.VIOLATION: [
        CaseSource.HOTLINE_12369,
        CaseSource.PATROL,
        CaseSource.MONITORING,
        CaseSource.MEDIA,
    ],
    CaseKind.EMERGENCY: [CaseSource.ENTERPRISE_REPORT, CaseSource.SUPERIOR, CaseSource.PATROL],
    CaseKind.PETITION: [CaseSource.HOTLINE_12345, CaseSource.HOTLINE_12369, CaseSource.OTHER],
}
_INDUSTRY = ["化工", "电镀", "印染", "家具", "金属表面处理", "塑料制品", "食品加工", "建材"]

# How far along the workflow each case is (shares of the workload).
_STATUS_WEIGHTS = [
    (Status.NEW, 14),
    (Status.TRIAGED, 10),
    (Status.DISPATCHED, 14),
    (Status.ACKNOWLEDGED, 10),
    (Status.ON_SCENE, 9),
    (Status.RESOLVED, 10),
    (Status.CLOSED, 28),
    (Status.CANCELLED, 5),
]
_PATH = {
    Status.NEW: [],
    Status.TRIAGED: ["triage"],
    Status.DISPATCHED: ["triage", "dispatch"],
    Status.ACKNOWLEDGED: ["triage", "dispatch", "acknowledge"],
    Status.ON_SCENE: ["triage", "dispatch", "acknowledge", "arrive"],
    Status.RESOLVED: ["triage", "dispatch", "acknowledge", "arrive", "resolve"],
    Status.CLOSED: ["triage", "dispatch", "acknowledge", "arrive", "resolve", "close"],
    Status.CANCELLED: ["triage", "cancel"],
}


def demo_credit_code(rng: random.Random, district: District) -> str:
    """A well-formed credit code (both check characters right) that belongs to no one."""
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    org = body + organization_check(body)
    if org[-1] not in ALPHABET:  # pragma: no cover - X and digits are all in the alphabet
        org = org[:-1] + "0"
    return make_credit_code("91" + _DIVISION[district] + org)


def _draft(rng: random.Random, kind: CaseKind) -> CaseDraft:
    district = rng.choice(list(District))
    town = rng.choice(_TOWNS[district])
    river = rng.choice(_RIVERS)
    title = rng.choice(_TITLES[kind]).format(
        d=district.name_zh.removesuffix("区"), t=town, r=river, l=rng.choice(_LAKES)
    )
    title = title.replace("经开区区", "经开区")
    lon0, lat0 = _CENTRES[district]
    details: dict[str, Any] = {}
    enterprise = None
    code = None
    if kind is CaseKind.VIOLATION:
        enterprise = (
            f"常州{town.removesuffix('镇').removesuffix('街道')}某{rng.choice(_INDUSTRY)}有限公司"
        )
        code = demo_credit_code(rng, district)
    if kind is CaseKind.EMERGENCY:
        details["emergency_level"] = rng.choices(["IV", "III", "II"], [70, 25, 5])[0]
    description = {
        CaseKind.QUALITY: f"在线监测数据显示{town}附近指标异常，需核实污染来源。",
        CaseKind.VIOLATION: f"{town}群众举报/巡查发现疑似环境违法行为，请执法分局现场核查。",
        CaseKind.EMERGENCY: f"{town}发生突发环境事件，已启动应急响应，需监测和处置。",
        CaseKind.PETITION: f"来电人反映{town}环境问题，要求尽快处理并答复。",
    }[kind]
    return CaseDraft(
        kind=kind,
        title=title,
        district=district,
        priority=rng.choices(list(Priority), [10, 25, 45, 20])[0]
        if kind is not CaseKind.EMERGENCY
        else rng.choices(list(Priority), [40, 40, 15, 5])[0],
        source=rng.choice(_SOURCES[kind]),
        description=description,
        address=f"常州市{district.name_zh}{'' if district is District.JINGKAI else '区'}{town}",
        lon=round(lon0 + rng.uniform(-0.06, 0.06), 5),
        lat=round(lat0 + rng.uniform(-0.05, 0.05), 5),
        enterprise_name=enterprise,
        credit_code=code,
        details=details,
    )


@dataclass
class _Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass(order=True)
class _Event:
    at: datetime
    order: int
    run: Callable[[], None]


def seed_demo(
    target: Desk | str,
    *,
    count: int = 300,
    rng_seed: int = 2026,
    now: datetime | None = None,
    resources_dir: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Create the demo accounts and ``count`` cases worked through the workflow on an empty
    database. Every step goes through the desk, at the time it would have happened (up to 14
    days back), in chronological order.

    ``target`` is an open Desk (the desk's ``--demo``: it ends logged in as the demo duty
    officer, with its own clock back) or a database URL. ``progress(done, total)`` is called
    now and then from the calling thread.
    """
    rng = random.Random(rng_seed)
    end = now or datetime.now(UTC)
    clock = _Clock(end - timedelta(days=15))
    if isinstance(target, Desk):
        officer = target
        own_officer = False
        real_clock = officer.clock
        officer.clock = clock
    else:
        officer = Desk.open(target, clock=clock, resources_dir=resources_dir)
        own_officer = True
        real_clock = officer.clock
    leader: Desk | None = None
    try:
        if not officer.needs_first_administrator():
            raise ValueError("seed_demo needs an empty database")
        admin_name, admin_display, _ = DEMO_USERS[0]
        officer.create_first_administrator(admin_name, admin_display, DEMO_PASSWORD)
        for username, display, role in DEMO_USERS[1:]:
            officer.create_user(username, display, role, DEMO_PASSWORD)
        officer.logout()
        officer.login(DEMO_OFFICER, DEMO_PASSWORD)
        leader = Desk(officer.store, officer.rules, officer.unit_registry, clock=clock)
        leader.login("leader", DEMO_PASSWORD)
        events: list[_Event] = []
        kinds = rng.choices(list(CaseKind), [30, 35, 8, 27], k=count)
        for i, kind in enumerate(kinds):
            status = rng.choices([s for s, _ in _STATUS_WEIGHTS], [w for _, w in _STATUS_WEIGHTS])[
                0
            ]
            early = status in (Status.NEW, Status.TRIAGED, Status.DISPATCHED)
            age = (
                timedelta(hours=rng.uniform(0.1, 10))
                if early
                else timedelta(hours=rng.uniform(3, 14 * 24))
            )
            events.extend(_case_events(rng, i, kind, status, end - age, end, officer, leader))
        events.sort()
        with officer.store.bulk_loading():
            for n, event in enumerate(events, start=1):
                clock.now = event.at
                event.run()
                if progress is not None and (n % 50 == 0 or n == len(events)):
                    progress(n, len(events))
        refresh_statistics(officer.store)
    finally:
        officer.clock = real_clock
        if own_officer:
            officer.close()
        # The leader's desk shares the officer's store: nothing of its own to close.


def _case_events(
    rng: random.Random,
    i: int,
    kind: CaseKind,
    status: Status,
    created: datetime,
    end: datetime,
    officer: Desk,
    leader: Desk,
) -> list[_Event]:
    draft = _draft(rng, kind)
    holder: dict[str, int] = {}
    steps = list(_PATH[status])
    # Closure as the roles do it: most closed cases were requested by the officer and approved
    # by the leader; some resolved cases wait for approval (one refused, to be corrected).
    code = rng.choice([ClosureCode.RECTIFIED, ClosureCode.PENALIZED, ClosureCode.NOT_SUBSTANTIATED])
    if status is Status.CLOSED and rng.random() < 0.8:
        steps[-1:] = ["request_close", "approve_close"]
    elif status is Status.RESOLVED and rng.random() < 0.6:
        steps.append("request_close")
        if rng.random() < 0.25:
            steps.append("refuse_close")
    span = end - created
    # Steps spread over the case's life; the last one well before now.
    marks = sorted(rng.uniform(0.05, 0.9) for _ in steps)
    events = [
        _Event(created, i * 10, lambda: holder.__setitem__("id", officer.create_case(draft).id))
    ]
    unit = _unit_for(rng, officer, draft.district)

    def step(action: str) -> Callable[[], None]:
        def run() -> None:
            cid = holder["id"]
            if action == "triage":
                officer.triage(
                    cid, note=rng.choice([None, "线索基本属实，需现场核查", "已核实位置"])
                )
            elif action == "dispatch":
                officer.dispatch(cid, unit, note="请立即处置并反馈")
            elif action == "acknowledge":
                officer.acknowledge(cid)
            elif action == "arrive":
                officer.arrive(cid, note="执法人员已到达现场")
            elif action == "resolve":
                officer.resolve(
                    cid,
                    note=rng.choice(["已责令整改", "现场核查情况属实，已立案", "经核查未发现异常"]),
                )
            elif action == "close":
                leader.close_case(cid, code, "处置到位，同意办结")
            elif action == "request_close":
                officer.request_closure(cid, code, "处置完毕，复查无异常，申请办结")
            elif action == "approve_close":
                leader.approve_closure(cid)
            elif action == "refuse_close":
                leader.refuse_closure(cid, "请补充现场复查照片后再申请办结")
            elif action == "cancel":
                officer.cancel(cid, "重复登记，已与原事项合并处理")

        return run

    for n, (action, mark) in enumerate(zip(steps, marks, strict=True), start=1):
        events.append(_Event(created + span * mark, i * 10 + n, step(action)))
    return events


def _unit_for(rng: random.Random, desk: Desk, district: District) -> str:
    branch = desk.unit_registry.branch_for(district)
    stations = [
        u.id for u in desk.unit_registry.of_kind(UnitKind.FIELD_STATION) if u.district is district
    ]
    if branch is None or rng.random() < 0.4:
        return rng.choice(stations)
    return branch.id


def bulk_seed(
    store: Store,
    rules: DeadlineRules,
    count: int,
    *,
    rng_seed: int = 7,
    now: datetime | None = None,
    batch: int = 5000,
) -> None:
    """Insert ``count`` cases directly into an empty database (for benchmarks): realistic
    spread of kinds, statuses, districts and ages, correct deadlines and reference numbers,
    in batches of ``batch`` rows per transaction."""
    rng = random.Random(rng_seed)
    end = now or datetime.now(UTC)
    statuses = [s for s, _ in _STATUS_WEIGHTS]
    weights = [w for _, w in _STATUS_WEIGHTS]
    units = {d: [f"branch-{d.value}"] for d in District}
    rows: list[dict[str, Any]] = []
    year_counts: dict[int, int] = {}
    # A pool of distinct drafts, drawn at random: generating one per row dominated the time.
    kinds = rng.choices(list(CaseKind), [30, 35, 8, 27], k=min(count, 3000))
    drafts = [_draft(rng, kind) for kind in kinds]
    start = end - timedelta(days=300)
    step = (end - start) / max(count, 1)
    for n in range(count):
        created = start + step * n
        year = reference_year(created)
        year_counts[year] = year_counts.get(year, 0) + 1
        draft = rng.choice(drafts)
        kind = draft.kind
        status = rng.choices(statuses, weights)[0]
        response_due, resolution_due = due_times(rules, kind, draft.priority, created)
        dispatched = status not in (Status.NEW, Status.TRIAGED)
        rows.append(
            {
                "reference": format_reference(year, year_counts[year]),
                "kind": kind.value,
                "status": status.value,
                "priority": draft.priority.value,
                "title": draft.title,
                "description": draft.description,
                "district": draft.district.value,
                "address": draft.address,
                "lon": draft.lon,
                "lat": draft.lat,
                "source": draft.source.value,
                "enterprise_name": draft.enterprise_name,
                "credit_code": draft.credit_code,
                "details": draft.details,
                "unit_id": rng.choice(units[draft.district]) if dispatched else None,
                "closure_code": "rectified" if status is Status.CLOSED else None,
                "created_at": created,
                "created_by": "bench",
                "updated_at": created,
                "updated_by": "bench",
                "clock_started_at": created,
                "response_due_at": response_due,
                "resolution_due_at": resolution_due,
                "due_at": sort_key(status, response_due, resolution_due),
                "version": 1,
            }
        )
        if len(rows) >= batch:
            _flush(store, rows)
            rows = []
    if rows:
        _flush(store, rows)
    with store.write() as conn:
        for year, last in year_counts.items():
            set_sequence_at_least(conn, sequence_name(year), last)
        rebuild_case_search(conn)
    refresh_statistics(store)


def _flush(store: Store, rows: list[dict[str, Any]]) -> None:
    with store.write() as conn:
        conn.execute(insert(cases), rows)
