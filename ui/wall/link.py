"""The monitoring wall joined to the desk: open cases on its map, one selection everywhere.

- **Cases on the map.** The open cases with a location come from the desk's queue data
  (`Desk.queue_page` over the open statuses, which carries each case's lon/lat) and are reloaded
  after every case event, ours or another workstation's (a burst of events costs one reload).
- **Selection.** A case selected in the queue is selected and centred on the map; a case pin
  clicked on the map is selected in the queue (or, when the queue's filter hides it, shown in
  the case panel all the same); an alarm selected in the alarm panel selects and centres its
  station on the map and, when the alarm has a case, that case in the queue and the panel.
  Each side selects the others without emitting back, so a selection never loops.

Built by `Workspace.attach_wall` once the wall exists (the wall comes with the live feed, after
the desk's own parts).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from dispatch_app.desk import Changed, QueueQuery, QueueRow, QueueSort
from dispatch_app.domain.alarms import Alarm
from dispatch_app.domain.cases import Status
from ui.wall.map.markers import CaseMarker

if TYPE_CHECKING:
    from ui.shell.workspace import Workspace
    from ui.wall.monitoring_wall import MonitoringWall

log = logging.getLogger(__name__)

MAP_CASES_LIMIT = 1000  # the desk's page limit: the open cases of a city fit in one page
RELOAD_DELAY_MS = 300  # a burst of case events (a bulk dispatch, a drill) is one reload
OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)


def marker_of(row: QueueRow) -> CaseMarker | None:
    """The map pin of a queue row, or None when the case has no location."""
    if row.lon is None or row.lat is None:
        return None
    try:
        priority = int(str(row.priority).removeprefix("P"))
    except ValueError:
        priority = 4
    return CaseMarker(row.id, row.reference, row.kind, priority, row.lon, row.lat, row.title)


class WallLink(QObject):
    def __init__(self, workspace: Workspace, wall: MonitoringWall) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.wall = wall
        self.loads = 0  # completed reloads of the map's cases (tests wait on it)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(lambda: workspace.spawn(self.reload_cases()))
        workspace.events.changed.connect(self._on_changed)
        workspace.queue.current_case_changed.connect(self._queue_selected)
        wall.case_selected.connect(self._map_selected)
        if workspace.alarms is not None:
            workspace.alarms.panel.alarm_selected.connect(self._alarm_selected)
        workspace.spawn(self.reload_cases())

    # --- cases on the map --------------------------------------------------------------------

    async def reload_cases(self) -> list[CaseMarker]:
        desk = self.workspace.desk
        query = QueueQuery(statuses=OPEN_STATUSES, sort=QueueSort.PRIORITY)
        rows: list[QueueRow] = await self.workspace.calls.read(
            desk.queue_page, query, 0, MAP_CASES_LIMIT
        )
        markers = [m for m in (marker_of(r) for r in rows) if m is not None]
        self.wall.set_cases(markers)
        current = self.workspace.queue.current_case_id()
        if current is not None:
            self.wall.select_case(current, center=False)
        self.loads += 1
        return markers

    def _on_changed(self, event: Changed) -> None:
        if event.topic == "case":
            self._reload.start()  # restarts: one reload after the burst

    # --- selection ---------------------------------------------------------------------------

    def _queue_selected(self, case_id: int | None) -> None:
        if case_id is not None:
            self.wall.select_case(case_id, center=True)

    def _map_selected(self, case_id: int) -> None:
        ws = self.workspace
        if not ws.queue.select_case(case_id):
            # Not in the queue's current view (another filter or page): the panel shows it.
            ws.spawn(ws.load_detail(case_id))
        dock = ws.window.docks.get("case")
        if dock is not None:
            dock.show()

    def _alarm_selected(self, alarm: Alarm) -> None:
        if alarm.station_id:
            self.wall.select_station(alarm.station_id, center=True)
        case_id = alarm.case_id
        if case_id is not None:
            ws = self.workspace
            if not ws.queue.select_case(int(case_id)):
                ws.spawn(ws.load_detail(int(case_id)))
