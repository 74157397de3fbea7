"""The tasks a part of the window runs on the desk's asyncio loop, and what it says about them.

Every part that calls the desk without blocking (the workspace, the queue, petitions,
emergencies, alarms) starts coroutines with :meth:`BackgroundTasks.spawn`. The set keeps a
reference to each task until it is done (asyncio holds only a weak one: an unreferenced task can
be collected mid-flight), :meth:`BackgroundTasks.cancel_all` stops them when the part closes,
and a task that fails is logged and said to the officer in words (ui.shell.errors) through the
part's ``on_failure``, never lost in a "Task exception was never retrieved" at exit.

:func:`say_in_status_bar` is the status-bar half of every part's ``say``: a failure is marked with ⚠ and stays
until the next message; other news fades after a few seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from ui.shell.errors import describe_error

T = TypeVar("T")

NEWS_SHOWN_MS = 6000
"""How long a message that is not a failure stays in the status bar."""


class ShowsActivity(Protocol):
    def show_activity(self, text: str, timeout_ms: int = 0) -> None: ...


def say_in_status_bar(status: ShowsActivity, text: str, error: bool = False) -> None:
    """Tells the officer ``text`` in the status bar; a failure is marked and does not fade."""
    status.show_activity(("⚠ " if error else "") + text, 0 if error else NEWS_SHOWN_MS)


class BackgroundTasks:
    """The running tasks of one part of the window.

    ``what`` names the part's tasks in the log ("petition task failed"); ``log`` is the part's
    own logger; ``on_failure`` receives the failure in the officer's words (usually the part's
    ``say(text, error=True)``). Without ``on_failure`` a failure is only logged.
    """

    def __init__(
        self,
        what: str,
        log: logging.Logger,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self._what = what
        self._log = log
        self._on_failure = on_failure
        self._tasks: set[asyncio.Future[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, coro: Awaitable[T]) -> asyncio.Future[T]:
        """Runs ``coro`` on the loop, keeping its task until it is done."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        self._log.error("%s failed", self._what, exc_info=exc)
        if self._on_failure is not None:
            self._on_failure(describe_error(exc))
