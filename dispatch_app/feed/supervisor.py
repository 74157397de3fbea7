"""Keeps the feed's long-lived asyncio tasks alive: the watchdog of DESIGN.md ("every long-lived
task has a watchdog").

A task can stop in two ways that nobody would otherwise notice:

- it *ends*: an exception escaped it, or something cancelled it from outside;
- it *hangs*: it waits for something that never comes. The worst case is a lost step: when a
  nested event loop (a modal dialog's ``exec()``) runs inside another task, asyncio refuses to
  enter this task from it (``RuntimeError: Cannot enter into task``) and drops the step that
  would have woken it. The task is then neither done nor ever woken again.

So each task promises when it will next be heard of (`beat(name, within_s)`: "I will beat again
within this many seconds", or `idle(name)`: "I am waiting for work, no deadline"), and whoever
hands a waiting task work may set the deadline for it. A task that ended or missed its deadline
(plus a grace) is logged and started again.

The checks run from ``loop.call_later`` callbacks, never from a task of their own: a plain
callback has no step to lose, so the supervisor keeps watching whatever happens to the tasks.
Qt-free; runs on any asyncio loop (qasync in the desk, plain asyncio in tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

TaskFactory = Callable[[], Coroutine[Any, Any, None]]


@dataclass
class _Supervised:
    factory: TaskFactory
    task: asyncio.Task[None]
    deadline: float | None = None  # loop time by which the task must beat again
    restarts: int = 0
    last_reason: str | None = None


@dataclass
class TaskSupervisor:
    """Named tasks on the running loop, checked every `every_s`; see the module docstring.

    `on_restart(name, reason)` is called before a task is started again (the poller renews the
    worker thread a hung call may still hold); `checks` are run on every tick too (the poller
    checks that its polls still succeed). Neither may raise into the supervisor: their errors
    are logged and the ticks go on.
    """

    every_s: float = 1.0
    grace_s: float = 2.0
    start_within_s: float = 1.0  # a new task's first beat (its first step can be lost too)
    on_restart: Callable[[str, str], None] | None = None
    checks: list[Callable[[], None]] = field(default_factory=list)
    _tasks: dict[str, _Supervised] = field(default_factory=dict, init=False)
    _handle: asyncio.TimerHandle | None = field(default=None, init=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)

    # --- tasks ------------------------------------------------------------------------------

    def add(self, name: str, factory: TaskFactory) -> asyncio.Task[None]:
        """Start `factory()` as the task `name` (on the running loop) and watch it."""
        loop = asyncio.get_running_loop()
        self._loop = loop
        task = loop.create_task(factory(), name=name)
        self._tasks[name] = _Supervised(factory, task)
        self.beat(name, self.start_within_s)
        if self._handle is None:
            self._handle = loop.call_later(self.every_s, self._tick)
        return task

    def task(self, name: str) -> asyncio.Task[None] | None:
        entry = self._tasks.get(name)
        return entry.task if entry is not None else None

    def tasks(self) -> list[asyncio.Task[None]]:
        return [e.task for e in self._tasks.values()]

    def restarts(self, name: str) -> int:
        entry = self._tasks.get(name)
        return entry.restarts if entry is not None else 0

    def last_reason(self, name: str) -> str | None:
        """Why `name` was last started again (None: never)."""
        entry = self._tasks.get(name)
        return entry.last_reason if entry is not None else None

    # --- promises ---------------------------------------------------------------------------

    def beat(self, name: str, within_s: float) -> None:
        """`name` promises to beat again within `within_s` seconds (plus the grace)."""
        entry = self._tasks.get(name)
        if entry is not None and self._loop is not None:
            entry.deadline = self._loop.time() + within_s + self.grace_s

    def idle(self, name: str) -> None:
        """`name` waits for work and owes nothing until someone calls `beat` for it."""
        entry = self._tasks.get(name)
        if entry is not None:
            entry.deadline = None

    def expects(self, name: str) -> bool:
        """Whether `name` has a deadline running (work was handed to it)."""
        entry = self._tasks.get(name)
        return entry is not None and entry.deadline is not None

    # --- watching ---------------------------------------------------------------------------

    def check_now(self) -> None:
        """Check every task at once (the ticks do this every `every_s`)."""
        loop = self._loop
        if loop is None:
            return
        now = loop.time()
        for name, entry in list(self._tasks.items()):
            task = entry.task
            if task.done():
                if task.cancelled():
                    self._restart(name, "was cancelled", None)
                else:
                    exc = task.exception()
                    if exc is not None:
                        self._restart(name, f"failed: {exc!r}", exc)
                    else:
                        self._restart(name, "ended", None)
            elif entry.deadline is not None and now > entry.deadline:
                overdue = now - entry.deadline + self.grace_s
                self._restart(name, f"made no progress for {overdue:.1f} s past its promise", None)
        for check in list(self.checks):
            try:
                check()
            except Exception:
                log.exception("supervisor check %r failed", check)

    def _tick(self) -> None:
        try:
            self.check_now()
        except Exception:  # the ticks must go on whatever a check does
            log.exception("task supervisor tick failed")
        finally:
            if self._loop is not None and self._tasks and not self._loop.is_closed():
                self._handle = self._loop.call_later(self.every_s, self._tick)
            else:
                self._handle = None

    def _restart(self, name: str, reason: str, exc: BaseException | None) -> None:
        entry = self._tasks[name]
        old = entry.task
        # A hung task may never run again; cancelling makes sure that if it ever does, it ends
        # at once instead of running beside its replacement.
        if not old.done():
            old.cancel()
        entry.restarts += 1
        entry.last_reason = reason
        log.error(
            "feed task %s %s; starting it again (restart %d)",
            name,
            reason,
            entry.restarts,
            exc_info=exc,
        )
        if self.on_restart is not None:
            try:
                self.on_restart(name, reason)
            except Exception:
                log.exception("restart hook for %s failed", name)
        assert self._loop is not None
        entry.task = self._loop.create_task(entry.factory(), name=name)
        self.beat(name, self.start_within_s)

    # --- stopping ---------------------------------------------------------------------------

    async def stop(self, timeout_s: float = 1.0) -> list[str]:
        """Cancel every task and wait at most `timeout_s` for them; returns the names of tasks
        that did not end in time (a hung task may never end: it is left behind, never awaited)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        entries, self._tasks = self._tasks, {}
        tasks = {e.task: name for name, e in entries.items()}
        for task in tasks:
            task.cancel()
        pending: set[asyncio.Task[None]] = set()
        if tasks:
            with contextlib.suppress(Exception):
                _, pending = await asyncio.wait(tasks, timeout=timeout_s)
        for task in tasks:
            if task.done() and not task.cancelled():
                task.exception()  # retrieved: an error at shutdown must not be logged as lost
        left = [tasks[t] for t in pending]
        if left:
            log.warning("feed tasks did not stop within %.1f s: %s", timeout_s, ", ".join(left))
        return left

    @property
    def running(self) -> bool:
        return any(not e.task.done() for e in self._tasks.values())
