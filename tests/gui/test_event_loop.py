"""The desk's event loop (ui/event_loop.py): garbage is collected on the GUI thread only, so a
cycle freed while workers are busy never frees a Qt wrapper off the GUI thread; and results of
work done in executors still come back to the loop under load."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pytestqt.qtbot import QtBot
from qasync import QEventLoop

from tests.gui.conftest import run
from ui.shell.event_loop import DeskEventLoop


class _Node:
    other: Any = None


def test_cycles_made_on_a_worker_are_collected_on_the_gui_thread(
    qtbot: QtBot, qloop: QEventLoop
) -> None:
    assert isinstance(qloop, DeskEventLoop)
    gui = threading.get_ident()
    freed_on: list[int] = []

    def make_cycles() -> None:
        # Enough allocations to cross the collector's first threshold many times over.
        for _ in range(3000):
            a, b = _Node(), _Node()
            a.other, b.other = b, a
            weakref.finalize(a, lambda: freed_on.append(threading.get_ident()))

    worker = threading.Thread(target=make_cycles)
    worker.start()
    worker.join()
    assert freed_on == []  # nothing collected on the worker
    # The loop's timer collects them, on this thread.
    qtbot.waitUntil(lambda: len(freed_on) == 3000, timeout=5000)
    assert set(freed_on) == {gui}


def test_the_loop_turns_automatic_collection_off_and_back_on(qapp: Any) -> None:
    was = gc.isenabled()
    gc.enable()
    loop = DeskEventLoop(qapp)
    try:
        assert not gc.isenabled()
    finally:
        loop.close()
    try:
        assert gc.isenabled()
    finally:
        if not was:  # the GUI tests run with collection on the GUI thread only
            gc.disable()


def test_executor_results_come_back_under_load(qtbot: QtBot, qloop: QEventLoop) -> None:
    """The desk's pattern: many blocking calls in an executor, awaited on the GUI loop."""

    def work(i: int) -> tuple[int, int]:
        time.sleep(0.001 * (i % 3))
        return i, threading.get_ident()

    async def many() -> list[tuple[int, int]]:
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(6) as pool:
            return list(
                await asyncio.gather(*(loop.run_in_executor(pool, work, i) for i in range(600)))
            )

    results = run(qtbot, many(), timeout=20000)
    assert [i for i, _ in results] == list(range(600))
    assert threading.get_ident() not in {thread for _, thread in results}
