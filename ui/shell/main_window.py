"""The main window: the case queue in the center, the selected case in a dock beside it.

Other parts add their views through :meth:`MainWindow.add_view` (the live station table, the
monitoring wall): a dock with a stable object name, so its place is saved and restored with the
layout like every other dock. The layout lives in an INI file next to the settings (QSettings),
written on close and restored at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ui.shell.screen_fit import (
    available_geometry,
    fitted_size,
    keep_on_screen,
    place_on_screen,
    scrolling,
)
from ui.shell.status_bar import DeskStatusBar
from ui.widgets.input_guard import guard_inputs

LAYOUT_VERSION = 1
"""Bumped when docks change incompatibly, so an old saved state is ignored instead of
misplacing the new docks."""

PREFERRED_SIZE = QSize(1600, 960)
"""The main window's size before it is shown (maximized, on the whole available screen)."""
SIDE_DOCK_MIN_WIDTH = 340
"""The narrowest a side panel (selected case, petition, emergency) gets: it scrolls below that.
Wider screens give it its preferred width (``MainWindow.prefer_dock_width``)."""
BOTTOM_DOCK_SHARE = 0.2
"""Bottom panels (alarms, petition deadlines) start at this share of the window's height, so the
queue keeps the most rows."""

DOCK_AREAS = {
    "left": Qt.DockWidgetArea.LeftDockWidgetArea,
    "right": Qt.DockWidgetArea.RightDockWidgetArea,
    "top": Qt.DockWidgetArea.TopDockWidgetArea,
    "bottom": Qt.DockWidgetArea.BottomDockWidgetArea,
}


CENTER_VIEW_MINIMUM = QSize(320, 240)
"""What a monitoring view in the tabs may ask for at least (its layout may want more)."""


class MainWindow(QMainWindow):
    closing = Signal()
    """Emitted once the window is closing (layout saved): the application shuts down."""

    def __init__(self, layout_file: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Changzhou Environmental Command and Dispatch Desk"))
        self.resize(fitted_size(PREFERRED_SIZE, self))
        self._layout_file = layout_file
        self.docks: dict[str, QDockWidget] = {}
        self.views: dict[str, QWidget] = {}
        self.actions_by_name: dict[str, QAction] = {}
        self.detached: dict[str, ViewWindow] = {}  # center views shown in windows of their own
        self._titles: dict[str, str] = {}
        self._preferred_widths: dict[str, int] = {}

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("centralTabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.status = DeskStatusBar(self)
        self.setStatusBar(self.status)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )

        bar = self.menuBar()
        self.menu_file: QMenu = bar.addMenu(self.tr("&File"))
        self.menu_case: QMenu = bar.addMenu(self.tr("&Case"))
        self.menu_queue: QMenu = bar.addMenu(self.tr("&Queue"))
        self.menu_view: QMenu = bar.addMenu(self.tr("&View"))
        self.menu_admin: QMenu = bar.addMenu(self.tr("&Administration"))
        self.menu_help: QMenu = bar.addMenu(self.tr("&Help"))
        self.toolbar = QToolBar(self.tr("Main toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.menu_view.addAction(self.toolbar.toggleViewAction())
        self.menu_view.addSeparator()

    # ---- actions -------------------------------------------------------------------------
    def add_action(
        self,
        name: str,
        text: str,
        menu: QMenu,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
        toolbar: bool = False,
        tip: str = "",
    ) -> QAction:
        """One action in a menu (its shortcut shown there), optionally on the toolbar."""
        action = QAction(text, self)
        action.setObjectName(f"action_{name}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        self.actions_by_name[name] = action
        return action

    # ---- views hosted for other parts ----------------------------------------------------
    def add_view(
        self,
        name: str,
        widget: QWidget,
        area: str = "right",
        title: str | None = None,
        detach_shortcut: str | None = None,
        scroll: bool = True,
    ) -> QDockWidget | None:
        """Host a view: ``area`` is left/right/top/bottom (a movable dock) or "center" (a tab
        beside the queue). ``name`` is stable (it keys the saved layout), ``title`` is shown.
        A dock's view scrolls when the dock is smaller than it needs (``scroll=False`` for a
        one-line strip that never needs it)."""
        self.views[name] = widget
        guard_inputs(widget)  # wheel only on the focused spin/combo box, Tab leaves text
        if area == "center":
            self.tabs.addTab(widget, title or name)
            self._titles[name] = title or name
            if name != "queue":
                # Laid out once for a full screen (the wall's tiles, its wrapped rows), a
                # view's own minimum could outgrow a small screen when it comes back and take
                # the window past it: a view here asks for no more than a modest minimum.
                widget.setMinimumSize(CENTER_VIEW_MINIMUM)
                # A monitoring view can go to a screen of its own (the room's video wall, a
                # second monitor) and come back: the same widget, moved, never a copy.
                self.add_action(
                    f"detach_{name}",
                    self.tr("%1 in its own window").replace("%1", title or name),
                    self.menu_view,
                    lambda: self.toggle_detached(name),
                    detach_shortcut,
                )
            return None
        dock = QDockWidget(title or name, self)
        dock.setObjectName(f"dock_{name}")
        # In a scroll area: a panel's long form scrolls instead of forcing the window's size.
        dock.setWidget(scrolling(widget, f"{name}Scroll") if scroll else widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(DOCK_AREAS.get(area, Qt.DockWidgetArea.RightDockWidgetArea), dock)
        self.docks[name] = dock
        self.menu_view.addAction(dock.toggleViewAction())
        return dock

    def toggle_detached(self, name: str) -> None:
        if name in self.detached:
            self.detached[name].close()  # its closeEvent puts the view back
        else:
            self.detach_view(name)

    def detach_view(self, name: str) -> ViewWindow:
        """Move the center view ``name`` into a window of its own (closing it returns it)."""
        if name in self.detached:
            return self.detached[name]
        widget = self.views[name]
        self.tabs.removeTab(self.tabs.indexOf(widget))
        window = ViewWindow(self._titles.get(name, name), widget, self)
        window.returned.connect(lambda: self._attach_view(name))
        self.detached[name] = window
        window.resize(fitted_size(QSize(max(1200, self.width()), max(800, self.height())), self))
        window.show()
        return window

    def _attach_view(self, name: str) -> None:
        window = self.detached.pop(name, None)
        if window is None:
            return
        widget = self.views[name]
        self.tabs.addTab(widget, self._titles.get(name, name))
        widget.show()
        self.tabs.setCurrentWidget(widget)

    def show_view(self, name: str) -> bool:
        """Bring a view in front: its tab, its dock or its own window. False if none."""
        if name in self.detached:
            window = self.detached[name]
            if window.isMinimized():
                window.showNormal()
            window.raise_()
            window.activateWindow()
            return True
        widget = self.views.get(name)
        if widget is None:
            return False
        if self.tabs.indexOf(widget) >= 0:
            self.tabs.setCurrentWidget(widget)
            return True
        dock = self.docks.get(name)
        if dock is not None:
            dock.show()
            dock.raise_()
            return True
        return False

    # ---- fitting the screen --------------------------------------------------------------
    def prefer_dock_width(self, name: str, width: int) -> None:
        """A side panel's width on a screen with room for it (its minimum stays small)."""
        dock = self.docks.get(name)
        if dock is None:
            return
        dock.setMinimumWidth(min(SIDE_DOCK_MIN_WIDTH, width))
        self._preferred_widths[name] = width

    def show_fitted(self, restored: bool = False) -> None:
        """Shows the window at a size its screen can hold: a restored layout as it was (moved
        back inside the screen when it was saved on a bigger one), else maximized (a desk
        worked all shift long; the queue's titles need the width), with the preferred size,
        fitted to the screen, to come back to."""
        if restored:
            self.show()
            keep_on_screen(self)
            return
        # The whole available area even where nothing maximizes (no window manager).
        place_on_screen(self, available_geometry(self).size())
        self.fit_docks()
        self.showMaximized()

    def fit_docks(self) -> None:
        """Side panels at their preferred width, up to a third of the window; bottom panels at a
        share of its height."""
        side = [
            (dock, self._preferred_widths.get(name, SIDE_DOCK_MIN_WIDTH))
            for name, dock in self.docks.items()
            if self.dockWidgetArea(dock)
            in (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
        ]
        if side:
            limit = max(SIDE_DOCK_MIN_WIDTH, self.width() // 3)
            self.resizeDocks(
                [d for d, _ in side],
                [min(width, limit) for _, width in side],
                Qt.Orientation.Horizontal,
            )
        bottom = [
            d
            for d in self.docks.values()
            if self.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea
        ]
        if bottom:
            height = int(self.height() * BOTTOM_DOCK_SHARE)
            self.resizeDocks(bottom, [height] * len(bottom), Qt.Orientation.Vertical)

    # ---- layout persistence --------------------------------------------------------------
    def _settings(self) -> QSettings | None:
        if self._layout_file is None:
            return None
        return QSettings(str(self._layout_file), QSettings.Format.IniFormat)

    def save_layout(self) -> None:
        settings = self._settings()
        if settings is None:
            return
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        settings.sync()

    def restore_layout(self) -> bool:
        """Restores the saved geometry and docks; False when there is none (or it is unusable,
        in which case the default layout stays: a bad file never blocks the desk)."""
        settings = self._settings()
        if settings is None:
            return False
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        ok = False
        if isinstance(geometry, QByteArray | bytes):
            ok = self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes):
            ok = self.restoreState(QByteArray(state), LAYOUT_VERSION) and ok
        return ok

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
        self.closing.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A view coming back from its own window (the wall, laid out for a full screen) can
        # grow a maximized window past its screen for a moment; once the layout has settled
        # the window fills its screen again.
        area = available_geometry(self)
        maximized = bool(self.windowState() & Qt.WindowState.WindowMaximized)
        too_big = self.width() > area.width() or self.height() > area.height()
        if maximized and too_big and self.isVisible():
            QTimer.singleShot(0, self._back_on_screen)

    def _back_on_screen(self) -> None:
        self.showNormal()
        self.showMaximized()
        keep_on_screen(self)


class ViewWindow(QWidget):
    """A center view in a window of its own, a child of the main window (it closes with it,
    and stays a separate window that can sit on another screen). F11 switches full screen;
    closing it hands the view back to the main window's tabs."""

    returned = Signal()

    def __init__(self, title: str, view: QWidget, parent: QMainWindow) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("viewWindow")
        self.setWindowTitle(f"{title} — {parent.windowTitle()}")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(view)
        view.show()
        self.view = view
        # F11 and Esc are taken before any shortcut: the main window's own F11 (which detaches
        # the view) would otherwise compete with this window's, and Qt runs neither of two
        # ambiguous shortcuts. Only keys typed into this window count.
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            watched, QWidget
        ):
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key in (Qt.Key.Key_F11, Qt.Key.Key_Escape) and watched.window() is self:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # delivered as a key press instead of a shortcut
                    return True
                self.key_pressed(key)
                return True
        return super().eventFilter(watched, event)

    def key_pressed(self, key: int) -> None:
        """F11: full screen on and off. Esc: out of full screen, else back to the tabs."""
        if key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        elif self.isFullScreen():
            self.showNormal()
        else:
            self.close()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._layout.removeWidget(self.view)
        self.view.setParent(None)
        self.returned.emit()
        super().closeEvent(event)
