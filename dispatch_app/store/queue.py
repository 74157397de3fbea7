"""The case queue as database queries: filtered, sorted, paged; never every row in Python.

Sorting always ends with the case id so pages are stable; the urgency sort uses ``due_at``
(the governing deadline, a far-future sentinel when none runs), which is indexed alone and
together with status, kind and district.

Views (``QueueView``) split the open cases for the duty officer:

- **needs action** (需处置): open, not long overdue (``due_at`` ≥ ``ViewTimes.backlog_before``),
  and at least one of: awaiting acknowledgement (new, triaged, dispatched: the response clock
  runs), due before the current shift ends (``ViewTimes.shift_end``), opened by the monitoring
  alarms (source ``monitoring``). Its "most urgent first" order is by group:
  1. the new cases the alarms opened (nobody has looked at them yet);
  2. the other cases due before the current shift ends (those overdue by less than the
     backlog threshold come first: they are due soonest);
  3. the rest (awaiting acknowledgement, due after this shift);
  within a group by due time, soonest first; then by priority (P1 first); then by case id.
- **backlog** (积压): open and overdue by more than the threshold (``due_at`` <
  ``backlog_before``), most overdue first.
- **all**: no restriction beyond the other filters (全部在办 with the open-status filter).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    table,
)

# The query types live in the domain (the UI builds queries without importing the store);
# re-exported here for the store's callers.
from dispatch_app.domain.queue import (
    ALARM_SOURCE,
    AWAITING_ACKNOWLEDGEMENT,
    OPEN_STATUSES,
    QueueCounts,
    QueueQuery,
    QueueRow,
    QueueSort,
    QueueView,
    ViewTimes,
)
from dispatch_app.store.case_records import has_case_search
from dispatch_app.store.models import cases

__all__ = [
    "ALARM_SOURCE",
    "AWAITING_ACKNOWLEDGEMENT",
    "OPEN_STATUSES",
    "QueueCounts",
    "QueueQuery",
    "QueueRow",
    "QueueSort",
    "QueueView",
    "ViewTimes",
    "queue_count",
    "queue_counts",
    "queue_page",
    "unit_loads",
]


QUEUE_COLUMNS = (
    cases.c.id,
    cases.c.reference,
    cases.c.kind,
    cases.c.status,
    cases.c.priority,
    cases.c.title,
    cases.c.district,
    cases.c.unit_id,
    cases.c.created_at,
    cases.c.clock_started_at,
    cases.c.response_due_at,
    cases.c.resolution_due_at,
    cases.c.due_at,
    cases.c.version,
    cases.c.lon,
    cases.c.lat,
    cases.c.closure_requested_at,
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_ASCII_WORD = re.compile(r"^[A-Za-z0-9\-]+$")
_REFERENCE_PREFIX = re.compile(r"^CZ-\d{4}(-\d{0,7})?$")


def _needs_action(times: ViewTimes) -> ColumnElement[bool]:
    return and_(
        cases.c.status.in_(OPEN_STATUSES),
        cases.c.due_at >= times.backlog_before,
        or_(
            cases.c.status.in_(AWAITING_ACKNOWLEDGEMENT),
            cases.c.due_at < times.shift_end,
            cases.c.source == ALARM_SOURCE,
        ),
    )


def _backlog(times: ViewTimes) -> ColumnElement[bool]:
    return and_(cases.c.status.in_(OPEN_STATUSES), cases.c.due_at < times.backlog_before)


def _view_condition(view: QueueView, times: ViewTimes | None) -> ColumnElement[bool] | None:
    if view is QueueView.ALL:
        return None
    if times is None:
        raise ValueError(f"the {view.value} view needs the view times")
    return _needs_action(times) if view is QueueView.NEEDS_ACTION else _backlog(times)


def _needs_action_group(times: ViewTimes) -> Any:
    """0: the alarms' new cases; 1: the rest due before the shift ends; 2: the others."""
    return case(
        (and_(cases.c.source == ALARM_SOURCE, cases.c.status == "new"), 0),
        (cases.c.due_at < times.shift_end, 1),
        else_=2,
    )


def _conditions(
    query: QueueQuery,
    now: datetime,
    dialect: str,
    indexed: bool,
    times: ViewTimes | None = None,
    *,
    with_view: bool = True,
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    view = _view_condition(query.view, times) if with_view else None
    if view is not None:
        conds.append(view)
    if query.kinds:
        conds.append(cases.c.kind.in_(query.kinds))
    if query.statuses:
        conds.append(cases.c.status.in_(query.statuses))
    if query.priorities:
        conds.append(cases.c.priority.in_(query.priorities))
    if query.districts:
        conds.append(cases.c.district.in_(query.districts))
    if query.unit_ids:
        conds.append(cases.c.unit_id.in_(query.unit_ids))
    if query.overdue:
        conds.append(cases.c.due_at < now)
    if query.closure_pending:
        conds.append(cases.c.closure_requested_at.is_not(None))
    text = query.text.strip()
    if text:
        conds.append(_text_condition(text, dialect, indexed))
    return conds


def _text_condition(text: str, dialect: str, indexed: bool) -> ColumnElement[bool]:
    """Search over reference, title and description.

    A reference (or the start of one, like ``CZ-2026-0001``) is looked up as a range on the
    unique reference index. On SQLite with the search index (revision 0004), text of three
    characters or more is searched there (title and description), and ASCII text also as a
    substring of the reference. Otherwise SQLite uses LIKE (it already ignores ASCII case, and Chinese has
    none, which spares ILIKE's lower() on every row). PostgreSQL uses ILIKE.
    """
    upper = text.upper()
    if _REFERENCE_PREFIX.match(upper):
        if dialect == "sqlite":  # BINARY collation: a range scan on the unique index
            return and_(cases.c.reference >= upper, cases.c.reference < upper + "\uffff")
        return cases.c.reference.like(upper + "%")
    if dialect == "sqlite" and indexed and len(text) >= 3:
        # A trigram phrase query on the index (title and description). References are
        # ASCII: only ASCII text can match one. Shorter text falls through to LIKE on the
        # table, whose first page stops early (a LIKE through FTS5 scans everything first).
        phrase = '"' + text.replace('"', '""') + '"'
        hits: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(table("case_search"))
            .where(literal_column("case_search").op("MATCH")(phrase))
        )
        in_text = cases.c.id.in_(hits)
        if _ASCII_WORD.match(text):
            return or_(in_text, cases.c.reference.like(f"%{_escape_like(text)}%", escape="\\"))
        return in_text
    pattern = f"%{_escape_like(text)}%"
    if dialect == "sqlite":
        return or_(
            cases.c.title.like(pattern, escape="\\"),
            cases.c.description.like(pattern, escape="\\"),
            cases.c.reference.like(pattern, escape="\\"),
        )
    return or_(
        cases.c.title.ilike(pattern, escape="\\"),
        cases.c.description.ilike(pattern, escape="\\"),
        cases.c.reference.ilike(pattern, escape="\\"),
    )


def _ordered(stmt: Select[Any], query: QueueQuery, times: ViewTimes | None = None) -> Select[Any]:
    keys: list[Any]
    if query.sort is QueueSort.URGENCY and query.view is QueueView.NEEDS_ACTION and times:
        keys = [_needs_action_group(times), cases.c.due_at, cases.c.priority, cases.c.id]
    elif query.sort is QueueSort.URGENCY:
        keys = [cases.c.due_at, cases.c.priority, cases.c.id]
    elif query.sort is QueueSort.PRIORITY:
        keys = [cases.c.priority, cases.c.due_at, cases.c.id]
    elif query.sort is QueueSort.CREATED:
        # Newest first is the natural reading of "by creation"; descending flips it.
        keys = [cases.c.created_at.desc(), cases.c.id.desc()]
        if query.descending:
            keys = [cases.c.created_at, cases.c.id]
        return stmt.order_by(*keys)
    else:
        keys = [cases.c.reference]
    if query.descending:
        keys = [k.desc() for k in keys]
    return stmt.order_by(*keys)


def has_text_index(conn: Connection) -> bool:
    """Whether the SQLite trigram index of revision 0004 exists in this database."""
    return has_case_search(conn)


def queue_page(
    conn: Connection,
    query: QueueQuery,
    now: datetime,
    offset: int,
    limit: int,
    text_index: bool = False,
    times: ViewTimes | None = None,
) -> list[QueueRow]:
    """``times`` is needed by the needs-action and backlog views (ValueError without)."""
    if offset < 0 or limit < 0:
        raise ValueError("offset and limit must not be negative")
    stmt = select(*QUEUE_COLUMNS)
    conds = _conditions(query, now, conn.dialect.name, text_index, times)
    if conds:
        stmt = stmt.where(and_(*conds))
    stmt = _ordered(stmt, query, times).offset(offset).limit(limit)
    return [QueueRow(**row._mapping) for row in conn.execute(stmt)]


def queue_count(
    conn: Connection,
    query: QueueQuery,
    now: datetime,
    text_index: bool = False,
    times: ViewTimes | None = None,
) -> int:
    stmt = select(func.count()).select_from(cases)
    conds = _conditions(query, now, conn.dialect.name, text_index, times)
    if conds:
        stmt = stmt.where(and_(*conds))
    return int(conn.execute(stmt).scalar_one())


def queue_counts(
    conn: Connection,
    query: QueueQuery,
    now: datetime,
    times: ViewTimes,
    text_index: bool = False,
) -> QueueCounts:
    """The size of each view under the query's other filters, in one scan."""

    def tally(cond: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    stmt = select(tally(_needs_action(times)), tally(_backlog(times)), func.count()).select_from(
        cases
    )
    conds = _conditions(query, now, conn.dialect.name, text_index, times, with_view=False)
    if conds:
        stmt = stmt.where(and_(*conds))
    needs, backlog, everything = conn.execute(stmt).one()
    return QueueCounts(int(needs), int(backlog), int(everything))


def unit_loads(conn: Connection, load_statuses: tuple[str, ...]) -> dict[str, int]:
    """Open cases per unit (cases the unit holds now), counted by the database."""
    stmt = (
        select(cases.c.unit_id, func.count())
        .where(cases.c.unit_id.is_not(None), cases.c.status.in_(load_statuses))
        .group_by(cases.c.unit_id)
    )
    return {str(unit): int(n) for unit, n in conn.execute(stmt)}
