"""Quitting the desk in bounded time, whatever is still running (the Qt-free part: the budgets
and the bounded steps; ui/quitting.py adds closing what is on screen).

Ctrl+Q (or closing the window) must end the process within `QUIT_BUDGET_S`, even when a call to
the data service hangs, the embedded child is slow to stop, the database worker is busy, or a
dialog is open. So every step of the shutdown gets a share of the budget and is abandoned (and
logged) when it overruns: blocking steps run on daemon threads of their own, never on an
executor whose shutdown would wait for them, and a step that did not finish is left behind.
What the process's exit still has to wait for afterwards is handled by
`dispatch_app.app.exit_promptly`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

QUIT_BUDGET_S = 3.0
"""From Ctrl+Q to the end of the process."""
STEP_BUDGET_S = 0.8
"""At most this long for one step (stopping the feed and the workspace, closing the database)."""
SHUTDOWN_BUDGET_S = QUIT_BUDGET_S - 1.0
"""For the whole shutdown sequence: the rest is for closing the window before it (saving the
layout) and ending the process after it."""
CHILD_GRACE_S = 1.5
"""The embedded data service gets this long to stop by itself before it is killed."""


class UnwaitedExecutor(ThreadPoolExecutor):
    """A thread pool whose shutdown cancels queued work and never waits for running work: the
    loop's default executor, which the loop shuts down (waiting, with a plain pool) when it
    closes at quit."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)


def in_thread(fn: Callable[[], T], name: str) -> asyncio.Future[T]:
    """Run a blocking `fn` on a daemon thread of its own and await it: unlike an executor's
    worker, a thread left blocked there never holds up the loop's close or the process's exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, exc: BaseException | None) -> None:
        if future.done():
            return
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def target() -> None:
        try:
            result = fn()
        except BaseException as exc:  # handed to the awaiting side
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(settle, None, exc)
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, None)

    threading.Thread(target=target, name=name, daemon=True).start()
    return future


async def within(awaitable: Awaitable[T], timeout_s: float, what: str) -> bool:
    """Await `awaitable` for at most `timeout_s`; False (logged) when it overran or failed.
    A coroutine that overran is cancelled; a thread behind a future is left to end on its own."""
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=timeout_s)
    if not done:
        task.cancel()  # never awaited: a step that hangs may not even end when cancelled
        log.warning("quitting: %s did not finish within %.1f s; left behind", what, timeout_s)
        return False
    if task.cancelled():
        return False
    exc = task.exception()
    if exc is not None:
        log.error("quitting: %s failed", what, exc_info=exc)
        return False
    return True
