"""Two workstations on one database: unique reference numbers, stale writes refused."""

from __future__ import annotations

import threading

import pytest

from dispatch_app.desk import Desk
from dispatch_app.store import case_records
from dispatch_app.store.errors import ConflictError
from tests.desk.conftest import Clock, draft, second_desk


def test_two_workstations_creating_at_once_get_unique_numbers(
    desk: Desk, db_url: str, clock: Clock
) -> None:
    other = second_desk(db_url, clock)
    errors: list[BaseException] = []
    refs: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def work(d: Desk) -> None:
        try:
            start.wait()
            for i in range(15):
                ref = d.create_case(draft(title=f"并发新建事项 {i}")).reference
                with lock:
                    refs.append(ref)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d,)) for d in (desk, other)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        other.close()
    assert errors == []
    assert sorted(refs) == [f"CZ-2026-{n:06d}" for n in range(1, 31)]


def test_stale_write_is_refused_with_both_versions(desk: Desk) -> None:
    case = desk.create_case(draft())
    with desk.store.write() as conn:
        v2 = case_records.update_case(conn, case.id, 1, {"title": "第一位值班员的标题"})
    assert v2 == 2
    with pytest.raises(ConflictError) as info, desk.store.write() as conn:
        case_records.update_case(conn, case.id, 1, {"title": "第二位值班员的标题"})
    err = info.value
    assert (err.your_version, err.their_version) == (1, 2)
    assert err.theirs["title"] == "第一位值班员的标题"
    assert err.yours == {"title": "第二位值班员的标题"}
    assert desk.get_case(case.id).title == "第一位值班员的标题"


def test_two_desks_editing_the_same_case(desk: Desk, db_url: str, clock: Clock) -> None:
    other = second_desk(db_url, clock)
    try:
        case = desk.create_case(draft())
        mine = other.get_case(case.id)  # both officers open version 1
        desk.edit_case(case.id, case.version, {"description": "甲：现场有黑色废水"})
        with pytest.raises(ConflictError) as info:
            other.edit_case(mine.id, mine.version, {"description": "乙：企业已停产"})
        assert info.value.yours == {"description": "乙：企业已停产"}
        assert info.value.theirs_case.description == "甲：现场有黑色废水"  # type: ignore[attr-defined]
        # Officer 2 merges by hand on top of the current version: nothing was lost.
        current = info.value.theirs_case  # type: ignore[attr-defined]
        merged = other.edit_case(
            case.id, current.version, {"description": current.description + "\n乙：企业已停产"}
        )
        assert merged.version == 3 and "甲" in merged.description and "乙" in merged.description
    finally:
        other.close()
