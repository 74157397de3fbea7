"""The desk's asyncio loop on Qt: qasync's, with Python's cyclic garbage collection kept on the
GUI thread.

The desk runs every blocking call on worker threads. Python's cyclic collector runs in whichever
thread happens to allocate when a generation's threshold is crossed, often a worker. When it
frees a cycle that holds a Qt widget's wrapper there, Shiboken defers the widget's deletion to
the GUI thread and runs it at the next Python pending call, in the middle of whatever the GUI
thread is doing. The GUI tests crashed that way about once in three full runs (a gdb backtrace:
``Shiboken::BindingManager::runDeletionInMainThread`` → a segmentation fault in QtWidgets), and
the desk, with its executors busy all shift, was exposed the same way.

So the loop turns automatic collection off and collects on the GUI thread from a timer, with the
interpreter's own thresholds (pyqtgraph's ``GarbageCollector``, written for this very problem).
Closing the loop gives automatic collection back.
"""

from __future__ import annotations

import gc

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtWidgets import QApplication
from qasync import QEventLoop

COLLECT_EVERY_S = 1.0


class DeskEventLoop(QEventLoop):
    """``qasync.QEventLoop`` that collects garbage only on the GUI thread. Create it there."""

    def __init__(
        self,
        app: QApplication | None = None,
        set_running_loop: bool = False,
        already_running: bool = False,
    ) -> None:
        super().__init__(app, set_running_loop=set_running_loop, already_running=already_running)
        self._collector: GarbageCollector | None = GarbageCollector(interval=COLLECT_EVERY_S)

    def close(self) -> None:
        if self._collector is not None:
            self._collector.timer.stop()
            self._collector = None
            gc.enable()
        super().close()
