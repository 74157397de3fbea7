"""Runs desk calls off the UI thread, on the one asyncio loop qasync puts on Qt's loop.

DESIGN.md: the UI thread never waits on the database. Every call into dispatch_app.desk goes
through :meth:`DeskCalls.call`, which awaits it in a worker thread. A single worker keeps calls
in the order the officer made them (a dispatch is written before the refresh that shows it),
and SQLite wants one writer anyway. Slow reads whose order does not matter (counts, pages
filled while scrolling) go through :meth:`DeskCalls.read` on their own workers.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class DeskCalls:
    """The small helper every widget uses to call the desk."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk")
        self._reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="desk-read")
        self._pending = 0

    @property
    def pending(self) -> int:
        """Calls started and not finished (tests wait for zero; the status bar shows work)."""
        return self._pending

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        self._pending += 1
        try:
            return await loop.run_in_executor(
                self._executor, functools.partial(fn, *args, **kwargs)
            )
        finally:
            self._pending -= 1

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """For reads that may be slow and need no ordering with the officer's own actions
        (counting a big filtered queue, filling pages while scrolling): they run beside the
        ordered worker, so a 200 ms count never delays a dispatch or the next keystroke's page."""
        loop = asyncio.get_running_loop()
        self._pending += 1
        try:
            return await loop.run_in_executor(self._reads, functools.partial(fn, *args, **kwargs))
        finally:
            self._pending -= 1

    def shutdown(self, wait: bool = True) -> None:
        """Cancel the calls not started yet; with `wait`, wait for the running ones (the desk's
        quit does not: a call stuck on the database must not hold the process)."""
        self._executor.shutdown(wait=wait, cancel_futures=True)
        self._reads.shutdown(wait=wait, cancel_futures=True)
