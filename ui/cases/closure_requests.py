"""Closure requests in the window: the queue's "awaiting my approval" view with its count on
the toolbar, and word to the requester when a shift leader decides.

The count and the view are database queries (``QueueQuery(closure_pending=True)``); both follow
every workstation's changes through the desk's events, which the workspace forwards here.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from dispatch_app.desk import QueueQuery
from dispatch_app.desk.events import Changed
from dispatch_app.domain.roles import Permission

if TYPE_CHECKING:
    from ui.shell.workspace import Workspace

log = logging.getLogger(__name__)

PENDING_QUERY = QueueQuery(closure_pending=True)
RECOUNT_MS = 300
"""Bursts of case changes (a bulk dispatch, another desk's work) cost one count."""

DECISIONS = ("approve_close", "refuse_close")


class PendingClosures(QObject):
    """The Queue menu's (and toolbar's) "Awaiting my approval (N)": checked, the queue shows
    only cases whose closure request waits; unchecked, the filters of the queue panel."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.desk = workspace.desk
        self.count: int | None = None
        self.approver = self.desk.can(Permission.CLOSE)
        self.action = workspace.window.add_action(
            "pending_closures",
            self._title(),
            workspace.window.menu_queue,
            self.toggle,
            "Ctrl+Shift+A",
            toolbar=True,
        )
        self.action.setCheckable(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOUNT_MS)
        self._timer.timeout.connect(lambda: workspace.spawn(self.recount()))
        workspace.queue.model.reloaded.connect(self._follow_queue)

    def _title(self) -> str:
        text = self.tr("Awaiting my approval") if self.approver else self.tr("Awaiting approval")
        return text if self.count is None else f"{text} ({self.count})"

    def stop(self) -> None:
        self._timer.stop()

    # ---- the count -----------------------------------------------------------------------
    def schedule_recount(self) -> None:
        self._timer.start()

    async def recount(self) -> int:
        count = int(await self.workspace.calls.read(self.desk.queue_count, PENDING_QUERY))
        self.count = count
        self.action.setText(self._title())
        font = self.action.font()
        font.setBold(count > 0 and self.approver)
        self.action.setFont(font)
        return count

    # ---- the view ------------------------------------------------------------------------
    def toggle(self) -> None:
        self.workspace.spawn(self.show(self.action.isChecked()))

    async def show(self, pending: bool) -> None:
        queue = self.workspace.queue
        if pending:
            queue.set_controls(QueueQuery(statuses=()))  # the panel's filters: everything
            await queue.show_query(PENDING_QUERY)
            if queue.model.rowCount() and queue.current_case_id() is None:
                queue.select_row(0)
            queue.table.setFocus()
        else:
            await queue.show_query(queue.query_from_controls())

    def _follow_queue(self, _total: int) -> None:
        """The queue panel's own filters replaced the view: uncheck."""
        self.action.setChecked(self.workspace.queue.model.query().closure_pending)

    # ---- other workstations --------------------------------------------------------------
    def on_changed(self, event: Changed) -> None:
        if event.topic != "case":
            return
        self.schedule_recount()
        if event.local:
            return
        if event.action in DECISIONS or (event.action == "request_close" and self.approver):
            self.workspace.spawn(self._tell(event))

    async def _tell(self, event: Changed) -> None:
        """A decision on my request, or (for a shift leader) a new request: say so in the
        status bar until the next message."""
        user = self.desk.current_user
        try:
            request = await self.workspace.calls.read(self.desk.closure_request, event.entity_id)
            case = await self.workspace.calls.read(self.desk.get_case, event.entity_id)
        except Exception as exc:
            log.info("closure notice for case %s skipped: %s", event.entity_id, exc)
            return
        if request is None or user is None:
            return
        if event.action == "request_close":
            text = self.tr("New closure request: %1 (%2)")
        elif request.requested_by != user.username:
            return
        elif request.state == "refused":
            text = self.tr("Your closure request for %1 was refused: %2").replace(
                "%2", request.reason or "—"
            )
        elif request.state == "approved":
            text = self.tr("Your closure request for %1 was approved; the case is closed.")
        else:
            return
        text = text.replace("%1", case.reference).replace("%2", request.requested_by)
        self.workspace.window.status.show_activity("↩ " + text, 0)
