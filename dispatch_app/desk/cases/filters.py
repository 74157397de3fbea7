"""Saved queue filters, each officer's own."""

from __future__ import annotations

import logging

from dispatch_app.desk.cases.queries import CaseQueries
from dispatch_app.desk.views import SavedFilterView
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.roles import Permission
from dispatch_app.store import filter_records
from dispatch_app.store.queue import QueueQuery

log = logging.getLogger(__name__)


class SavedFilters(CaseQueries):
    """The saved-filter use cases of ``Desk`` (mixed into it)."""

    # ------------------------------------------------------------------ saved filters

    def saved_filters(self) -> list[SavedFilterView]:
        user = self.context.actor(Permission.READ)
        with self.store.read() as conn:
            rows = filter_records.list_filters(conn, user.id)
        result = []
        for r in rows:
            try:
                query = QueueQuery.from_json(r["query"])
            except (ValueError, TypeError, AttributeError):
                # A filter saved by a newer desk (or damaged) must not hide the others.
                log.warning("saved filter %s of %s is unreadable; skipped", r["id"], user.username)
                continue
            result.append(SavedFilterView(r["id"], r["name"], query, r["version"]))
        return result

    def save_filter(self, name: str, query: QueueQuery) -> SavedFilterView:
        """Save (or replace) the logged-in user's filter called ``name``."""
        uow = self.context.unit_of_work(Permission.READ)
        user, now = uow.actor, uow.now
        name = (name or "").strip()
        if not name or len(name) > 100:
            raise ValidationError(
                "name",
                "error.field_empty",
                "a filter needs a name of 1–100 characters",
                "筛选条件名称须为1–100字",
            )
        self._check_query(query)
        with uow:
            conn = uow.conn
            existing = filter_records.filter_by_name(conn, user.id, name)
            if existing is None:
                filter_id = filter_records.insert_filter(
                    conn,
                    {
                        "user_id": user.id,
                        "name": name,
                        "query": query.to_json(),
                        "created_at": now,
                        "updated_at": now,
                    },
                )
                version = 1
            else:
                filter_id = int(existing["id"])
                version = filter_records.update_filter(
                    conn,
                    filter_id,
                    int(existing["version"]),
                    {"query": query.to_json(), "updated_at": now},
                )
            uow.audit(
                "filter.save",
                "filter",
                filter_id,
                {"name": name, "query": query.to_json()},
            )
            uow.changed("filter", filter_id, version, "save")
        return SavedFilterView(filter_id, name, query, version)

    def delete_filter(self, filter_id: int) -> None:
        uow = self.context.unit_of_work(Permission.READ)
        user = uow.actor
        with uow:
            conn = uow.conn
            filter_records.delete_filter(conn, filter_id, user.id)
            uow.audit("filter.delete", "filter", filter_id, {})
            uow.changed("filter", filter_id, 0, "delete")
