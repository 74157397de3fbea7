"""The queue: filters, search, sorts and paging done by the database, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from dispatch_app.desk import Desk, QueueQuery, QueueSort
from dispatch_app.desk.errors import ValidationError
from dispatch_app.domain.cases import CaseKind, Priority
from dispatch_app.domain.districts import District
from dispatch_app.store.models import cases
from dispatch_app.store.queue import has_text_index
from tests.desk.conftest import PASSWORD, Clock, draft


@pytest.fixture
def seeded(desk: Desk, clock: Clock) -> dict[str, int]:
    """Six cases with known kinds, priorities, districts and creation times."""
    ids: dict[str, int] = {}
    specs = [
        ("q_p3_wujin", CaseKind.QUALITY, Priority.P3, District.WUJIN, "武进区PM2.5小时浓度超标"),
        ("v_p1_xinbei", CaseKind.VIOLATION, Priority.P1, District.XINBEI, "新北区某化工企业偷排"),
        ("e_p2_jintan", CaseKind.EMERGENCY, Priority.P2, District.JINTAN, "金坛区危化品运输车泄漏"),
        ("p_p4_tianning", CaseKind.PETITION, Priority.P4, District.TIANNING, "居民投诉餐饮油烟"),
        ("q_p1_liyang", CaseKind.QUALITY, Priority.P1, District.LIYANG, "天目湖水质总磷升高"),
        (
            "v_p3_wujin",
            CaseKind.VIOLATION,
            Priority.P3,
            District.WUJIN,
            "武进区某电镀厂100%超标_排放",
        ),
    ]
    for key, kind, priority, district, title in specs:
        ids[key] = desk.create_case(
            draft(kind, priority=priority, district=district, title=title)
        ).id
        clock.advance(minutes=1)
    return ids


def _refs(desk: Desk, q: QueueQuery) -> list[int]:
    return [r.id for r in desk.queue_page(q, 0, 100)]


def test_default_sort_is_most_urgent_first(desk: Desk, seeded: dict[str, int]) -> None:
    rows = desk.queue_page()
    due = [r.due_at for r in rows]
    assert due == sorted(due)
    # Three cases have 30-minute response targets; the earliest created of them comes first.
    assert rows[0].id == seeded["v_p1_xinbei"]
    assert desk.queue_count() == 6


def test_filters(desk: Desk, seeded: dict[str, int], clock: Clock) -> None:
    q = QueueQuery
    assert set(_refs(desk, q(kinds=("violation",)))) == {
        seeded["v_p1_xinbei"],
        seeded["v_p3_wujin"],
    }
    assert set(_refs(desk, q(districts=("wujin",)))) == {seeded["q_p3_wujin"], seeded["v_p3_wujin"]}
    assert set(_refs(desk, q(priorities=("P1",)))) == {seeded["v_p1_xinbei"], seeded["q_p1_liyang"]}
    desk.dispatch(seeded["e_p2_jintan"], "branch-jintan")
    assert _refs(desk, q(unit_ids=("branch-jintan",))) == [seeded["e_p2_jintan"]]
    assert _refs(desk, q(statuses=("dispatched",))) == [seeded["e_p2_jintan"]]
    assert desk.queue_count(q(kinds=("violation",), districts=("wujin",))) == 1
    # Overdue after 40 more minutes: the cases with a 30-minute response target (violation
    # and quality P1, emergency P2), not the others.
    clock.advance(minutes=40)
    overdue = {seeded["v_p1_xinbei"], seeded["q_p1_liyang"], seeded["e_p2_jintan"]}
    assert set(_refs(desk, q(overdue=True))) == overdue
    # Acknowledging meets the response target: the 48-hour resolution target governs now.
    desk.acknowledge(seeded["e_p2_jintan"])
    assert set(_refs(desk, q(overdue=True))) == overdue - {seeded["e_p2_jintan"]}


def test_text_search(desk: Desk, seeded: dict[str, int]) -> None:
    q = QueueQuery
    assert _refs(desk, q(text="油烟")) == [seeded["p_p4_tianning"]]
    assert _refs(desk, q(text="cz-2026-000002")) == [seeded["v_p1_xinbei"]]
    # % and _ are searched literally, not as wildcards.
    assert _refs(desk, q(text="100%超标_")) == [seeded["v_p3_wujin"]]
    assert _refs(desk, q(text="%")) == [seeded["v_p3_wujin"]]
    # Description matches too (every draft shares this description).
    assert desk.queue_count(q(text="刺鼻气味")) == 6
    assert desk.queue_count(q(text="不存在的内容")) == 0


def test_sorts_and_paging(desk: Desk, seeded: dict[str, int]) -> None:
    by_ref = _refs(desk, QueueQuery(sort=QueueSort.REFERENCE))
    assert by_ref == sorted(seeded.values())
    assert _refs(desk, QueueQuery(sort=QueueSort.REFERENCE, descending=True)) == by_ref[::-1]
    newest_first = _refs(desk, QueueQuery(sort=QueueSort.CREATED))
    assert newest_first == by_ref[::-1]
    by_priority = desk.queue_page(QueueQuery(sort=QueueSort.PRIORITY))
    assert [r.priority for r in by_priority] == sorted(r.priority for r in by_priority)
    # Pages are stable and cover everything exactly once.
    pages = [desk.queue_page(QueueQuery(), offset, 4) for offset in (0, 4, 8)]
    assert [len(p) for p in pages] == [4, 2, 0]
    assert [r.id for p in pages for r in p] == _refs(desk, QueueQuery())


def test_finished_cases_sort_last(desk: Desk, seeded: dict[str, int]) -> None:
    desk.cancel(seeded["v_p1_xinbei"], "误报")
    assert _refs(desk, QueueQuery())[-1] == seeded["v_p1_xinbei"]


def test_bad_queries_are_refused(desk: Desk) -> None:
    for bad, field in [
        (QueueQuery(kinds=("noise",)), "kinds"),
        (QueueQuery(statuses=("done",)), "statuses"),
        (QueueQuery(districts=("nanjing",)), "districts"),
        (QueueQuery(unit_ids=("branch-nanjing",)), "unit"),
        (QueueQuery(text="x" * 201), "text"),
    ]:
        with pytest.raises(ValidationError) as info:
            desk.queue_page(bad)
        assert info.value.field == field
    with pytest.raises(ValidationError):
        desk.queue_page(QueueQuery(), 0, 5000)


def test_row_deadline_matches_the_case(desk: Desk, seeded: dict[str, int], clock: Clock) -> None:
    row = next(r for r in desk.queue_page() if r.id == seeded["q_p1_liyang"])
    case = desk.get_case(row.id)
    later = clock.now + timedelta(minutes=20)
    assert desk.deadline(row, later) == desk.deadline(case, later)


def test_search_index_follows_edits(desk: Desk, seeded: dict[str, int]) -> None:
    """Three characters or more go through the trigram index on SQLite (ILIKE on
    PostgreSQL); the results must be the same as a substring match, also after edits."""
    with desk.store.read() as conn:
        assert has_text_index(conn) == desk.store.is_sqlite
    target = seeded["p_p4_tianning"]
    assert _refs(desk, QueueQuery(text="餐饮油烟")) == [target]
    case = desk.get_case(target)
    desk.edit_case(target, case.version, {"title": "居民投诉烧烤店烟雾"})
    assert _refs(desk, QueueQuery(text="餐饮油烟")) == []
    assert _refs(desk, QueueQuery(text="烧烤店")) == [target]
    assert _refs(desk, QueueQuery(text="烟雾")) == [target]  # two characters: substring scan
    # Quotes and FTS operators are searched literally.
    assert _refs(desk, QueueQuery(text='"OR" AND *')) == []
    # ASCII case is ignored on both databases.
    quoted = desk.create_case(draft(title="某企业VOCs治理设施未运行"))
    assert _refs(desk, QueueQuery(text="vocs")) == [quoted.id]


def test_rows_written_around_the_store_are_indexed_on_open(
    desk: Desk, seeded: dict[str, int], clock: Clock
) -> None:
    """A bulk import that bypasses the store leaves the search index short; the next start
    of the desk refills it, so a search never silently misses cases."""
    row = dict(desk.get_case(seeded["q_p3_wujin"]).__dict__)
    for key in ("id", "kind", "status", "priority", "district", "source"):
        row[key] = getattr(row[key], "value", row[key])
    row.pop("id")
    row.update(reference="CZ-2026-900001", title="溧阳市某水泥厂粉尘无组织排放", version=1)
    with desk.store.write() as conn:
        conn.execute(insert(cases).values(**row))
    reopened = Desk.open(desk.store.url, clock=clock)
    try:
        reopened.login("admin", PASSWORD)
        assert reopened.queue_count(QueueQuery(text="水泥厂粉尘")) == 1
    finally:
        reopened.close()
