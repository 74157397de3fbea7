"""Runs desk calls off the UI thread, on the one asyncio loop qasync puts on Qt's loop.

DESIGN.md: the UI thread never waits on the database. Every call into dispatch_app.desk goes
through :meth:`DeskCalls.call`, which awaits it in a worker thread. A single worker keeps calls
in the order the officer made them (a dispatch is written before the refresh that shows it),
and SQLite wants one writer anyway; reads that may be slow on a big queue use the same worker so
they never race a write the officer just made.
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

    def call_blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """For the start-up path before the window exists (login), where nothing else runs."""
        return self._executor.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
