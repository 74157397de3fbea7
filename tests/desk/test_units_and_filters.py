"""Units with their open load, the suggested branch, and saved filters."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from dispatch_app.desk import Desk, QueueQuery, QueueSort
from dispatch_app.desk.errors import NotFound, ValidationError
from dispatch_app.domain.districts import District
from dispatch_app.store.models import saved_filters
from tests.desk.conftest import PASSWORD, draft


def test_open_load_and_suggestion(desk: Desk) -> None:
    ids = [desk.create_case(draft()).id for _ in range(4)]
    for case_id in ids[:3]:
        desk.dispatch(case_id, "branch-wujin")
    desk.dispatch(ids[3], "station-hutang")
    desk.acknowledge(ids[0])
    desk.resolve(ids[0])  # resolved: no longer the unit's load
    loads = {ul.unit.id: ul for ul in desk.units(District.WUJIN)}
    assert loads["branch-wujin"].open_load == 2
    assert loads["station-hutang"].open_load == 1
    assert loads["branch-xinbei"].open_load == 0
    listed = desk.units("wujin")
    assert listed[0].unit.id == "branch-wujin" and listed[0].suggested
    assert sum(ul.suggested for ul in listed) == 1
    assert len(listed) == 34
    suggested = desk.suggested_unit("jingkai")
    assert suggested is not None and suggested.name == "经开区执法分局"


def test_saved_filters_per_user(desk: Desk) -> None:
    q = QueueQuery(
        kinds=("violation",),
        districts=("wujin",),
        overdue=True,
        text="化工",
        sort=QueueSort.PRIORITY,
    )
    saved = desk.save_filter("武进违法超时", q)
    assert desk.saved_filters() == [saved]
    assert saved.query == q
    replaced = desk.save_filter("武进违法超时", QueueQuery(kinds=("violation",)))
    assert replaced.id == saved.id and replaced.version == 2
    assert [f.query for f in desk.saved_filters()] == [QueueQuery(kinds=("violation",))]
    with pytest.raises(ValidationError):
        desk.save_filter("", q)
    with pytest.raises(ValidationError):
        desk.save_filter("坏的", QueueQuery(kinds=("noise",)))
    desk.logout()
    desk.login("officer", PASSWORD)
    assert desk.saved_filters() == []  # another user's filters are not shown
    with pytest.raises(NotFound):
        desk.delete_filter(saved.id)  # nor can they be deleted by someone else
    desk.logout()
    desk.login("admin", PASSWORD)
    desk.delete_filter(saved.id)
    assert desk.saved_filters() == []


def test_an_unreadable_saved_filter_does_not_hide_the_others(desk: Desk) -> None:
    good = desk.save_filter("新北", QueueQuery(districts=("xinbei",)))
    bad = desk.save_filter("坏的", QueueQuery())
    with desk.store.write() as conn:
        conn.execute(
            update(saved_filters)
            .where(saved_filters.c.id == bad.id)
            .values(query={"sort": "by-mood", "kinds": "quality"})
        )
    assert desk.saved_filters() == [good]
