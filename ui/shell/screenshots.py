"""``--screenshot DIR``: render each main view offscreen to PNG, for documentation and review.

Shots: the main window with the queue and a selected case, the create-case dialog (a violation
case, the kind with the most fields) and the dispatch dialog, plus every tab other parts added
(stations, monitoring wall).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from ui.shell.workspace import Workspace


async def _settle() -> None:
    # Let queued paints and page loads land. Never QApplication.processEvents() here: inside a
    # coroutine it would make qasync step other tasks re-entrantly, and asyncio drops them.
    for _ in range(5):
        await asyncio.sleep(0.01)


def save(widget: QWidget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write screenshot {path}")
    return path


async def _wait_dialog(workspace: Workspace) -> QDialog:
    for _ in range(200):
        if workspace.active_dialog is not None and workspace.active_dialog.isVisible():
            return workspace.active_dialog
        await asyncio.sleep(0.02)
    raise RuntimeError("the dialog did not open")


async def take_screenshots(workspace: Workspace, out: Path, suffix: str = "") -> list[Path]:
    window = workspace.window
    window.resize(1800, 1000)
    await asyncio.sleep(0.1)
    await _settle()
    saved = [save(window, out / f"main_window{suffix}.png")]
    for index in range(1, window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        await asyncio.sleep(0.3)
        await _settle()
        tab = window.tabs.widget(index)
        name = (tab.objectName() if tab is not None else "") or f"tab{index}"
        saved.append(save(window, out / f"view_{name}{suffix}.png"))
    saved += await _wall_trend(workspace, out, suffix)
    saved += await _emergency(workspace, out, suffix)
    window.tabs.setCurrentIndex(0)

    creating = asyncio.ensure_future(workspace.create_case("violation"))
    dialog = await _wait_dialog(workspace)
    await _settle()
    saved.append(save(dialog, out / f"create_case{suffix}.png"))
    dialog.reject()
    await creating

    if workspace.detail is not None and "dispatch" in {
        a.value for a in workspace.desk.allowed_actions(workspace.detail.case)
    }:
        dispatching = asyncio.ensure_future(workspace.perform_action("dispatch"))
        dialog = await _wait_dialog(workspace)
        await _settle()
        saved.append(save(dialog, out / f"dispatch{suffix}.png"))
        dialog.reject()
        await dispatching
    return saved


async def _wall_trend(workspace: Workspace, out: Path, suffix: str) -> list[Path]:
    """The wall with the worst-ranked station's trend open (the axes and bands as an officer
    reads them), when the window hosts a wall with data."""
    window = workspace.window
    wall = workspace.wall
    if wall is None or wall.overview.model.rowCount() == 0:
        return []
    if not wall.select_station(wall.overview.model.station_at(0).id):
        return []
    window.tabs.setCurrentWidget(wall)
    await asyncio.sleep(1.5)  # the series fetch runs on a worker
    await _settle()
    return [save(window, out / f"wall_trend{suffix}.png")]


async def _emergency(workspace: Workspace, out: Path, suffix: str) -> list[Path]:
    """The first emergency of the queue's view selected, its panel in front."""
    # The view the queue shows (needs action by default): a case outside it cannot be selected.
    query = replace(workspace.queue.model.query(), kinds=("emergency",), text="")
    found = await workspace.calls.call(workspace.desk.queue_page, query, 0, 1)
    if not found:
        return []
    window = workspace.window
    window.tabs.setCurrentIndex(0)
    if not workspace.queue.select_case(found[0].id):
        return []
    await asyncio.sleep(1.0)
    await _settle()
    return [save(window, out / f"emergency{suffix}.png")]
