"""A part's background tasks (ui/shell/background_tasks.py): kept while running, a failure
logged and said in words, a cancelled task neither."""

from __future__ import annotations

import asyncio
import logging

import pytest
from pytestqt.qtbot import QtBot
from qasync import QEventLoop

from dispatch_app.domain.errors import DomainError
from ui.shell.background_tasks import NEWS_SHOWN_MS, BackgroundTasks, say_in_status_bar


class Status:
    def __init__(self) -> None:
        self.shown: list[tuple[str, int]] = []

    def show_activity(self, text: str, timeout_ms: int = 0) -> None:
        self.shown.append((text, timeout_ms))


def test_failure_is_logged_and_said_in_words(
    qtbot: QtBot, qloop: QEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    said: list[str] = []
    tasks = BackgroundTasks("petition task", logging.getLogger("test.part"), said.append)

    async def fails() -> None:
        raise DomainError("deadline_passed", "the deadline has passed", "期限已过")

    with caplog.at_level(logging.ERROR, logger="test.part"):
        tasks.spawn(fails())
        assert len(tasks) == 1
        qtbot.waitUntil(lambda: len(tasks) == 0)
    assert [r.getMessage() for r in caplog.records] == ["petition task failed"]
    assert len(said) == 1 and said[0] in ("期限已过", "the deadline has passed")


def test_cancelled_and_finished_tasks_are_let_go_silently(
    qtbot: QtBot, qloop: QEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    said: list[str] = []
    tasks = BackgroundTasks("desk task", logging.getLogger("test.part"), said.append)
    with caplog.at_level(logging.ERROR, logger="test.part"):
        hang = tasks.spawn(asyncio.sleep(3600))
        done = tasks.spawn(asyncio.sleep(0, result=7))
        qtbot.waitUntil(done.done)
        tasks.cancel_all()
        qtbot.waitUntil(lambda: len(tasks) == 0)
    assert hang.cancelled() and done.result() == 7
    assert said == [] and caplog.records == []


def test_say_in_status_bar_marks_failures_and_lets_news_fade() -> None:
    status = Status()
    say_in_status_bar(status, "Saved")
    say_in_status_bar(status, "Database unreachable", error=True)
    assert status.shown == [("Saved", NEWS_SHOWN_MS), ("⚠ Database unreachable", 0)]
