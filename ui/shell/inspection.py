"""A test-only window into the running desk, for tests/acceptance.

With ``DISPATCH_INSPECT_SOCKET`` set (a local socket name or path), the desk listens there and
answers one JSON question per line with one JSON line, on the Qt thread: which windows are up
and where, which widgets are visible and what they say, where an action's menu entry is, what
the live station table shows. It reads the real running widgets and never acts on them: the
acceptance suite drives the desk with real keyboard and mouse input (xdotool) and uses this only
to look. Without the variable nothing here runs.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTabBar,
    QTableView,
    QToolBar,
    QWidget,
)

log = logging.getLogger(__name__)

SOCKET_ENV = "DISPATCH_INSPECT_SOCKET"


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _global_rect(widget: QWidget) -> list[int]:
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def _text(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton | QLabel | QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QGroupBox):
        return widget.title()
    return ""


def _describe_window(w: QWidget) -> dict[str, Any]:
    return {
        "id": int(w.winId()),
        "class": type(w).__name__,
        "object": w.objectName(),
        "title": w.windowTitle(),
        "frame": _rect(w.frameGeometry()),
        "geometry": _rect(w.geometry()),
        "modal": w.isModal(),
        "active": w.isActiveWindow(),
        "full_screen": w.isFullScreen(),
    }


def _windows() -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if shiboken6.isValid(w) and w.isVisible() and not isinstance(w, QMenu)
    ]


def _menu_chain(menu: QMenu, bar: QMenuBar) -> list[QMenu]:
    """The menus from the menu bar's down to ``menu`` (a submenu's parents first). A menu may
    sit in other menus too (a toolbar's overflow, a context menu): the way up that ends in the
    menu bar is the one an officer takes."""
    chain = [menu]
    in_bar = bar.actions()
    while chain[0].menuAction() not in in_bar:
        parents = [
            o
            for o in chain[0].menuAction().associatedObjects()
            if isinstance(o, QMenu) and o not in chain
        ]
        parent = next((p for p in parents if p.menuAction() in in_bar), None)
        parent = parent or next(iter(parents), None)
        if parent is None:
            break
        chain.insert(0, parent)
    return chain


def _entry_rect(menu: QMenu, action: QAction) -> list[int] | None:
    """The global rectangle of ``action``'s entry in ``menu``, when the menu is open."""
    if not menu.isVisible():
        return None
    item = menu.actionGeometry(action)
    origin = menu.mapToGlobal(item.topLeft())
    return [origin.x(), origin.y(), item.width(), item.height()]


class Inspector(QObject):
    """The local server; ``context()`` gives the launcher (workspace, feed) when asked."""

    def __init__(self, name: str, context: Callable[[], Any]) -> None:
        super().__init__()
        self._context = context
        self._buffers: dict[QLocalSocket, bytes] = {}
        QLocalServer.removeServer(name)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._accept)
        if not self.server.listen(name):
            log.error("inspection: cannot listen on %s: %s", name, self.server.errorString())
        else:
            log.info("inspection: listening on %s", self.server.fullServerName())

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._buffers.pop(s, None))

    def _read(self, sock: QLocalSocket) -> None:
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        while b"\n" in data:
            line, data = data.split(b"\n", 1)
            try:
                request = json.loads(line)
                answer: Any = {"ok": True, "result": self.answer(request)}
            except Exception as exc:  # a bad question never stops the desk
                log.exception("inspection: %s", line[:200])
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            sock.write(json.dumps(answer, ensure_ascii=False, default=str).encode() + b"\n")
            sock.flush()
        self._buffers[sock] = data

    # ---- questions -----------------------------------------------------------------------
    def answer(self, request: dict[str, Any]) -> Any:
        handler = getattr(self, "q_" + str(request.get("q")), None)
        if handler is None:
            raise ValueError(f"unknown question {request.get('q')!r}")
        return handler(**request.get("args", {}))

    def q_ping(self) -> str:
        return "pong"

    def q_state(self) -> dict[str, Any]:
        launcher = self._context()
        workspace = getattr(launcher, "workspace", None)
        modal = QApplication.activeModalWidget()
        popup = QApplication.activePopupWidget()
        focus = QApplication.focusWidget()
        screen = QGuiApplication.primaryScreen()
        user = None
        desk = getattr(launcher, "desk", None)
        if desk is not None and desk.current_user is not None:
            user = desk.current_user.username
        return {
            "screen": _rect(screen.geometry()) if screen else None,
            "available": _rect(screen.availableGeometry()) if screen else None,
            "workspace": workspace is not None,
            "main_window": _describe_window(workspace.window) if workspace else None,
            "user": user,
            "windows": [_describe_window(w) for w in _windows()],
            "modal": _describe_window(modal) if modal else None,
            "popup": type(popup).__name__ if popup else None,
            "focus": [type(focus).__name__, focus.objectName()] if focus else None,
            "active_dialog": (
                workspace.active_dialog.objectName()
                if workspace is not None
                and workspace.active_dialog is not None
                and shiboken6.isValid(workspace.active_dialog)
                else None
            ),
            "detached": sorted(workspace.window.detached) if workspace else [],
            "status": workspace.window.status.currentMessage() if workspace else "",
        }

    def q_widgets(self) -> list[dict[str, Any]]:
        """Every visible widget of every window: class, object name, the global rectangle of
        its visible part, its text; and each window's own frame."""
        out: list[dict[str, Any]] = []
        for window in _windows():
            out.append(
                {
                    "window": window.windowTitle(),
                    "class": type(window).__name__,
                    "object": window.objectName(),
                    "rect": _rect(window.frameGeometry()),
                    "text": "",
                    "top": True,
                }
            )
            for w in window.findChildren(QWidget):
                if not w.isVisible() or w.window() is not window:
                    continue  # hidden, or part of another window (a dialog over this one)
                region = w.visibleRegion()
                if region.isEmpty():
                    continue  # scrolled out or covered by its parent's clip: not on screen
                box = region.boundingRect()
                top_left = w.mapToGlobal(box.topLeft())
                out.append(
                    {
                        "window": window.windowTitle(),
                        "class": type(w).__name__,
                        "object": w.objectName(),
                        "rect": [top_left.x(), top_left.y(), box.width(), box.height()],
                        "text": _text(w),
                        "enabled": w.isEnabled(),
                        "button": isinstance(w, QAbstractButton),
                    }
                )
        return out

    def q_find(
        self, object: str = "", text: str = "", cls: str = "", window: str = ""
    ) -> list[dict[str, Any]]:
        """Visible widgets matching an object name, a text (contained) and/or a class name."""
        found = []
        for top in _windows():
            if window and window not in (top.objectName(), type(top).__name__):
                continue
            for w in [top, *top.findChildren(QWidget)]:
                if not w.isVisible() or w.window() is not top:
                    continue
                if object and w.objectName() != object:
                    continue
                if cls and type(w).__name__ != cls:
                    continue
                if text and text not in _text(w):
                    continue
                found.append(
                    {
                        "class": type(w).__name__,
                        "object": w.objectName(),
                        "rect": _global_rect(w),
                        "text": _text(w),
                        "enabled": w.isEnabled(),
                        "checked": w.isChecked() if isinstance(w, QAbstractButton) else None,
                    }
                )
        return found

    def q_action(self, name: str) -> dict[str, Any]:
        """Where an officer clicks for the action ``action_<name>`` of the main window: its
        menu's title in the menu bar, its entry when that menu is open, its toolbar button."""
        launcher = self._context()
        window = launcher.workspace.window
        action: QAction | None = window.actions_by_name.get(name)
        if action is None:
            raise KeyError(name)
        result: dict[str, Any] = {
            "text": action.text(),
            "enabled": action.isEnabled(),
            "checked": action.isChecked(),
            "shortcut": action.shortcut().toString(),
            "menu_title": None,
            "submenus": [],
            "item": None,
            "toolbar": None,
        }
        bar: QMenuBar = window.menuBar()
        for owner in action.associatedObjects():
            if isinstance(owner, QMenu):
                # A submenu's entries are reached through the menu above it: its title in
                # the bar, then the submenu's own entry in that menu (once it is open).
                chain = _menu_chain(owner, bar)
                title_rect = bar.actionGeometry(chain[0].menuAction())
                if title_rect.isValid():
                    origin = bar.mapToGlobal(title_rect.topLeft())
                    result["menu_title"] = [
                        origin.x(),
                        origin.y(),
                        title_rect.width(),
                        title_rect.height(),
                    ]
                result["submenus"] = [
                    _entry_rect(parent, sub.menuAction()) for parent, sub in pairwise(chain)
                ]
                if owner.isVisible():
                    item = owner.actionGeometry(action)
                    origin = owner.mapToGlobal(item.topLeft())
                    result["item"] = [origin.x(), origin.y(), item.width(), item.height()]
            elif isinstance(owner, QToolBar) and owner.isVisible():
                button = owner.widgetForAction(action)
                if button is not None and button.isVisible():
                    result["toolbar"] = _global_rect(button)
        return result

    def q_tabs(self) -> list[dict[str, Any]]:
        """Visible tab bars' tabs (the central views, the docks tabbed together)."""
        out = []
        for top in _windows():
            for bar in top.findChildren(QTabBar):
                if not bar.isVisible():
                    continue
                for i in range(bar.count()):
                    r = bar.tabRect(i)
                    origin = bar.mapToGlobal(r.topLeft())
                    out.append(
                        {
                            "text": bar.tabText(i),
                            "current": bar.currentIndex() == i,
                            "rect": [origin.x(), origin.y(), r.width(), r.height()],
                        }
                    )
        return out

    def q_rows(self, object: str, limit: int = 60) -> list[dict[str, Any]]:
        """The rows of the visible table view ``object`` whose middle is on screen (not
        scrolled away, not cut off by a scrolled dock): their cells' texts and the global
        rectangle of the row, so that a test can click one."""
        for top in _windows():
            for view in top.findChildren(QTableView, object):
                if not view.isVisible():
                    continue
                model = view.model()
                viewport = view.viewport()
                # What is on screen of the viewport: a table in a scrolled dock may be cut.
                shown = viewport.visibleRegion().boundingRect()
                out = []
                for row in range(min(model.rowCount(), limit)):
                    first = view.visualRect(model.index(row, 0))
                    if not first.isValid():
                        continue
                    # the row's middle must be on screen, where a click lands
                    middle = first.center()
                    if not shown.contains(QPoint(shown.center().x(), middle.y())):
                        continue
                    origin = viewport.mapToGlobal(first.topLeft())
                    cells = [
                        str(model.index(row, col).data() or "")
                        for col in range(model.columnCount())
                    ]
                    width = min(viewport.width(), first.width() * 2)
                    out.append(
                        {
                            "row": row,
                            "cells": cells,
                            "rect": [origin.x(), origin.y(), width, first.height()],
                            "current": view.currentIndex().row() == row,
                        }
                    )
                return out
        return []

    def q_feed(self) -> dict[str, Any]:
        """What the live station table shows: for every station its "updated" cell and its
        staleness, and the newest observation time among them (the table's own model)."""
        launcher = self._context()
        workspace = getattr(launcher, "workspace", None)
        handle = workspace.feed if workspace is not None else None
        if handle is None:
            return {"connected": False, "stations": [], "newest": None}
        view = handle.view
        model = view.model
        col = model.COL_UPDATED
        now = model._now
        stations = []
        newest: datetime | None = None
        for row in range(model.rowCount()):
            snap = model.snapshot(row)
            last = snap.last_time
            if last is not None and (newest is None or last > newest):
                newest = last
            stations.append(
                {
                    "id": snap.station.id,
                    "name": snap.station.name,
                    "kind": snap.station.kind,
                    "shown": model.data(model.index(row, col)),
                    "level": snap.staleness(now).value,
                    "last": last.isoformat() if last else None,
                }
            )
        poller = handle.poller
        return {
            "connected": poller.status.state.value == "connected",
            "state": poller.status.state.value,
            "caught_up": bool(getattr(poller, "caught_up", False)),
            "running": bool(poller.running),
            "last_success": (
                poller.status.last_success.isoformat() if poller.status.last_success else None
            ),
            "url": poller.client.base_url,
            "cursor": poller.cursor,
            "table_now": now.isoformat() if now else None,
            "newest": newest.isoformat() if newest else None,
            "stations": stations,
        }

    def q_case(self) -> dict[str, Any]:
        """The selected case as the case panel has it."""
        launcher = self._context()
        workspace = launcher.workspace
        detail = workspace.detail
        if detail is None:
            return {"id": None}
        case = detail.case
        return {
            "id": case.id,
            "reference": case.reference,
            "status": str(getattr(case.status, "value", case.status)),
            "kind": str(getattr(case.kind, "value", case.kind)),
            "closure_pending": case.closure_requested_at is not None,
        }


_INSPECTOR: list[Inspector] = []


def install_inspection(context: Callable[[], Any]) -> Inspector | None:
    """Starts the inspection server when the environment asks for it (tests only)."""
    name = os.environ.get(SOCKET_ENV, "").strip()
    if not name:
        return None
    inspector = Inspector(name, context)
    _INSPECTOR.append(inspector)
    return inspector
