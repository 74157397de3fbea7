"""The composition root (dispatch_app/session.py) without any UI: built from the launch options,
opened, its parts wired, closed within the quit budget; the live feed's observations reach the
alarm desk through the session's own wiring, from a real data service on loopback."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from dispatch_app.app import DataServiceLink, prepare
from dispatch_app.config import AppPaths
from dispatch_app.desk.desk import Desk
from dispatch_app.session import DeskSession
from tests.feed.live_service import packet, registry, running_service, send

ROOT = Path(__file__).resolve().parent.parent
FAST_SCRYPT_N = 2**10
T = TypeVar("T")


def fast_desk(url: str) -> Desk:
    return Desk.open(url, scrypt_n=FAST_SCRYPT_N)


def run_alone(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine on a plain asyncio loop of its own (on a thread: a GUI test earlier in
    the run may have left Qt's loop registered as running on this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def until(condition: Callable[[], bool], timeout_s: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        await asyncio.sleep(0.05)


def test_the_session_is_built_opened_and_closed_without_qt(tmp_path: Path) -> None:
    """In a fresh interpreter: the session opens the database and every part, and closes
    them, and nothing of Qt (nor of ui/) was imported on the way."""
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        from dispatch_app.app import DataServiceLink, prepare
        from dispatch_app.config import AppPaths
        from dispatch_app.session import DeskSession

        paths = AppPaths(config_dir=__import__("pathlib").Path({str(tmp_path / "cfg")!r}),
                         data_dir=__import__("pathlib").Path({str(tmp_path / "data")!r}))
        options = prepare(["--data-service", "http://127.0.0.1:9"], paths=paths)
        session = DeskSession.from_options(options, DataServiceLink(options))
        session.open()
        parts = session.open_parts()
        assert parts.problems == [], parts.problems
        assert parts.petitions and parts.emergencies and parts.alarms and parts.drills
        assert parts.drills.drills.alarms is parts.alarms

        async def main():
            await session.close()

        asyncio.run(main())
        assert session.closed
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui"))
        assert not qt, qt
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


def test_session_module_imports_no_qt() -> None:
    source = (ROOT / "dispatch_app" / "session.py").read_text(encoding="utf-8")
    assert "PySide6" not in source and "from ui" not in source and "import ui" not in source


def test_a_part_that_cannot_open_is_reported_and_the_rest_runs(tmp_path: Path) -> None:
    """A broken part (here: emergency resources that do not parse) is a problem on record; the
    other parts open, and no drills come without emergencies."""
    resources = tmp_path / "resources"
    (resources / "plans").mkdir(parents=True)
    (resources / "plans" / "broken.toml").write_text("this is = = not toml", encoding="utf-8")
    session = DeskSession(f"sqlite:///{tmp_path / 'desk.db'}", open_desk=fast_desk)
    session.resources_dir = resources
    session.open()
    try:
        parts = session.open_parts()
        failed = {p.part for p in parts.problems}
        assert "emergencies" in failed
        assert parts.emergencies is None and parts.drills is None
        assert parts.alarms is not None  # the others run on
        assert session.open_parts() is parts  # once per run
    finally:
        run_alone(session.close())


def test_the_live_feed_reaches_the_alarm_desk_without_any_ui(tmp_path: Path) -> None:
    """A real data service on loopback, the session connected to it: the registry of the first
    load becomes the alarm engine's stations, and an observation sent over HJ 212 afterwards is
    taken in by the alarm desk; closing stops the feed."""
    station = next(s for s in registry() if s.id == "AQ-N-01")
    with running_service(tmp_path / "ds.db", tmp_path / "ds.log") as service:
        port = service.status.hj212_port
        assert service.url is not None and port is not None
        paths = AppPaths(config_dir=tmp_path / "cfg", data_dir=tmp_path / "data")
        options = prepare(
            ["--data-service", service.url, "--db", f"sqlite:///{tmp_path / 'desk.db'}"],
            paths=paths,
        )
        session = DeskSession(options.database_url, DataServiceLink(options), open_desk=fast_desk)
        session.open()
        alarms = session.open_parts().alarms
        assert alarms is not None

        async def scenario() -> None:
            feed = await session.connect_data_service()
            assert feed is not None and session.alarm_feed is not None
            assert await session.connect_data_service() is feed  # once per run
            await until(lambda: feed.poller.caught_up, what="the first load")
            await until(lambda: alarms.station(station.id) is not None, what="the registry")
            when = (datetime.now(UTC) - timedelta(minutes=1)).replace(second=0, microsecond=0)
            await asyncio.to_thread(send, port, [packet(station, when, 42.0)])

            def taken_in() -> bool:
                alarms.absorb()  # what a round does first
                return alarms.latest_data_time == when

            await until(taken_in, what="the observation at the alarm desk")
            await session.close()

        run_alone(scenario())
    assert session.closed and session.feed is not None and not session.feed.poller.running
