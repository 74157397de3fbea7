"""The desk window on 100 000 cases in SQLite (the targets set for it), measured through the UI.

- start to interactive main window: a fresh process (interpreter, imports, QApplication, open
  and check the database, log in, build the window, show the first page), timed from before
  the process is spawned to the first page painted;
- first page shown, filter/sort change: the windowed model's reload (count + first page read off
  the UI thread, one reset);
- live update of one case: from the change event to the row repainted (the case read in the
  executor, ``dataChanged`` for one row), checking selection and scroll are kept;
- RSS of the desk process after scrolling through the queue and changing filters.
Figures are recorded with ``bench``; the benchmark fails only if the work goes wrong.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

from dispatch_app.demo import bulk_seed
from dispatch_app.desk import Desk, QueueQuery, QueueSort
from dispatch_app.store.queue import OPEN_STATUSES
from tests.gui.conftest import _session_loop, qloop, run  # noqa: F401 - fixtures used below
from ui.cases.queue_model import COL
from ui.shell.desk_calls import DeskCalls
from ui.shell.workspace import Workspace

CASES = 100_000
pytestmark = pytest.mark.timeout(1800)  # seeding 100 000 cases on a busy shared machine
PASSWORD = "bench-password"
ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, resource, sys, time, asyncio
t_spawn = float(sys.argv[2])
t_imports = time.time()
out = {"python_start_s": t_imports - t_spawn}
from PySide6.QtWidgets import QApplication
from ui.shell.event_loop import DeskEventLoop
from dispatch_app.desk import Desk
from ui.shell.desk_calls import DeskCalls
from ui.shell.i18n import install_translators
from ui.shell.theme import apply_theme
from ui.shell.workspace import Workspace
out["imports_s"] = time.time() - t_imports
t0 = time.time()
app = QApplication([])
install_translators(app, "zh")
apply_theme(app, "dark", 13)
loop = DeskEventLoop(app)
asyncio.set_event_loop(loop)
out["app_and_theme_s"] = time.time() - t0
async def main():
    calls = DeskCalls()
    t = time.time()
    desk = await calls.call(Desk.open, sys.argv[1])
    out["open_database_s"] = time.time() - t
    t_login = time.perf_counter()
    await calls.call(desk.login, "admin", sys.argv[3])
    out["login_ms"] = (time.perf_counter() - t_login) * 1000
    t = time.time()
    ws = Workspace(desk, calls, database_text=sys.argv[1])
    ws.window.resize(1600, 900)
    ws.window.show()
    await ws.start()
    await asyncio.sleep(0)  # the first page is painted on the next turn of the event loop
    out["window_and_first_page_s"] = time.time() - t
    out["interactive_s"] = time.time() - t_spawn
    out["rows"] = ws.queue.model.rowCount()
    # Work the way an officer does for a while: scroll the whole queue, change filters.
    model, table = ws.queue.model, ws.queue.table
    held = 0
    for row in range(0, model.rowCount(), 2500):
        table.scrollTo(model.index(row, 0))
        await asyncio.sleep(0.02)  # paint -> page request -> page read
        held = max(held, model.loaded_rows())
    while calls.pending:
        await asyncio.sleep(0.01)
    for kind in ("violation", "quality", None):
        ws.queue.kind.setCurrentIndex(ws.queue.kind.findData(kind))
        await asyncio.sleep(0.02)
        while calls.pending or not model.is_counted:
            await asyncio.sleep(0.01)
    out["loaded_rows_max"] = held
    # The peak RSS of this process's own memory: /proc's VmHWM. ru_maxrss would carry the
    # pytest parent's peak over fork and exec (Linux keeps it in the signal struct).
    try:
        with open("/proc/self/status") as status:
            hwm = next(l for l in status if l.startswith("VmHWM:"))
        out["rss_mb"] = int(hwm.split()[1]) / 1024
    except (OSError, StopIteration):
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    await ws.shutdown()
    await calls.call(desk.close)
    calls.shutdown()
    loop.stop()
with loop:
    loop.create_task(main())
    loop.run_forever()
print(json.dumps(out))
"""


class PaintClock(QObject):
    """Times of the table's paints: a filter change counts until the new rows are painted."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.times.append(time.perf_counter())
        return False


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("bench_desk") / "desk.db"
    url = f"sqlite:///{path}"
    desk = Desk.open(url)
    desk.create_first_administrator("admin", "管理员", PASSWORD)
    desk.create_user("officer", "值班员", "duty_officer", PASSWORD)
    bulk_seed(desk.store, desk.rules, CASES)
    desk.close()
    yield url


def test_start_to_interactive_window_and_rss(big_db: str, bench: Any) -> None:
    t_spawn = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, big_db, repr(t_spawn), PASSWORD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["rows"] > 0
    interactive = out["interactive_s"]
    without_login = interactive - out["login_ms"] / 1000
    bench(
        "start to interactive window (process spawn → first page painted)",
        interactive,
        "s",
        "≤ 2 s",
        interactive <= 2,
    )
    bench("  of which password check (scrypt, deliberate)", out["login_ms"], "ms", "", None)
    bench(
        "start to interactive without the password check",
        without_login,
        "s",
        "≤ 2 s",
        without_login <= 2,
    )
    bench(
        "RSS after scrolling all 100 000 rows and 3 filter changes",
        out["rss_mb"],
        "MB",
        "≤ 400 MB",
        out["rss_mb"] <= 400,
    )
    bench("rows held in memory at most (window of pages)", out["loaded_rows_max"], "rows", "", None)
    for key, label in (
        ("python_start_s", "  interpreter start"),
        ("imports_s", "  imports (Qt, SQLAlchemy, Alembic, desk, ui)"),
        ("app_and_theme_s", "  QApplication, translators, theme"),
        ("open_database_s", "  open database + schema check (Alembic)"),
        ("window_and_first_page_s", "  build window + first page"),
    ):
        bench(label, out[key], "s", "", None)


@pytest.fixture
def workspace(qtbot: QtBot, qloop: Any, big_db: str) -> Iterator[Workspace]:  # noqa: F811
    desk = Desk.open(big_db)
    desk.login("officer", PASSWORD)
    calls = DeskCalls()
    ws = Workspace(desk, calls, database_text=big_db)
    qtbot.addWidget(ws.window)
    ws.window.resize(1600, 900)
    ws.window.show()
    yield ws
    run(qtbot, ws.shutdown())
    desk.close()
    calls.shutdown()


def test_first_page_filter_sort_and_live_update(
    qtbot: QtBot, workspace: Workspace, big_db: str, bench: Any
) -> None:
    ws = workspace
    model = ws.queue.model
    shown: list[float] = []
    t = time.perf_counter()
    model.reloaded.connect(lambda _n: shown.append((time.perf_counter() - t) * 1000))
    run(qtbot, ws.start())
    ready_ms = (time.perf_counter() - t) * 1000
    qtbot.waitUntil(lambda: model.is_counted, timeout=10000)
    counted_ms = (time.perf_counter() - t) * 1000
    # The first screen is the needs-action view (a few hundred of the open cases); the
    # filter and sort changes below run over all of them.
    assert model.rowCount() == ws.desk.queue_count(model.query()) > 0
    assert ws.desk.queue_count(QueueQuery(statuses=OPEN_STATUSES)) > 10_000
    bench(
        "first page shown (needs-action view, most urgent first)",
        shown[0],
        "ms",
        "≤ 300 ms",
        shown[0] <= 300,
    )
    bench("  queue ready (saved filters, first case selected)", ready_ms, "ms", "", None)
    bench("  full count known (scroll bar at its length)", counted_ms, "ms", "", None)

    changes = {
        "kind = violation": QueueQuery(kinds=("violation",), statuses=OPEN_STATUSES),
        "district = wujin": QueueQuery(districts=("wujin",), statuses=OPEN_STATUSES),
        "priority = P1": QueueQuery(priorities=("P1",), statuses=OPEN_STATUSES),
        "overdue only": QueueQuery(overdue=True, statuses=OPEN_STATUSES),
        "unit = branch-xinbei": QueueQuery(unit_ids=("branch-xinbei",)),
        "all statuses": QueueQuery(),
        "sort by priority": QueueQuery(sort=QueueSort.PRIORITY, statuses=OPEN_STATUSES),
        "sort newest first": QueueQuery(sort=QueueSort.CREATED, statuses=OPEN_STATUSES),
        "sort by reference": QueueQuery(sort=QueueSort.REFERENCE),
        "search reference CZ-2026-0001": QueueQuery(text="CZ-2026-0001"),
        "search text 化工 (substring scan)": QueueQuery(text="化工"),
    }
    painted = PaintClock()
    ws.queue.table.viewport().installEventFilter(painted)
    for name, query in changes.items():
        times = []
        for _ in range(3):
            # Timed from the change to the model reset with the new first page (the signal
            # the view repaints on), not to when the test's polling notices it.
            painted.times.clear()
            t = time.perf_counter()
            done: list[float] = []
            model.reloaded.connect(lambda _n, d=done: d.append(time.perf_counter()))
            run(qtbot, model.set_query(query))
            model.reloaded.disconnect()
            qtbot.waitUntil(lambda d=done: any(p > d[0] for p in painted.times))
            times.append((min(p for p in painted.times if p > done[0]) - t) * 1000)
            qtbot.waitUntil(lambda: model.is_counted, timeout=10000)
        assert model.query() == query
        assert model.rowCount() == ws.desk.queue_count(query), name
        ms = statistics.median(times)
        bench(
            f"filter/sort change: {name} ({model.rowCount()} rows)", ms, "ms", "≤ 100 ms", ms <= 100
        )

    # Live update: another workstation triages the case two rows below the selection.
    run(qtbot, model.set_query(QueueQuery(statuses=OPEN_STATUSES)))
    qtbot.waitUntil(lambda: model.is_counted, timeout=10000)
    table = ws.queue.table
    times = []
    other = Desk.open(big_db, upgrade=False)
    other.login("admin", PASSWORD)
    try:
        for i in range(10):
            # Let the previous round's coalesced re-read finish, so it cannot deliver this
            # round's change before the measured path does.
            qtbot.waitUntil(lambda: not model._refresh_timer.isActive() and ws.calls.pending == 0)
            qtbot.wait(50)
            table.scrollTo(model.index(300 + i * 20, 0))
            qtbot.waitUntil(lambda i=i: model.case_id(300 + i * 20) is not None)
            ws.queue.select_row(300 + i * 20)
            selected = ws.queue.current_case_id()
            # The selected case's details load first (the officer just moved there).
            qtbot.waitUntil(
                lambda s=selected: (
                    ws.detail is not None and ws.detail.case.id == s and ws.calls.pending == 0
                )
            )
            scroll = table.verticalScrollBar().value()
            row = 302 + i * 20
            qtbot.waitUntil(lambda r=row: model.case_id(r) is not None)
            case_id = model.case_id(row)
            assert case_id is not None
            status = other.get_case(case_id).status
            action = (
                other.triage
                if status == "new"
                else other.acknowledge
                if status == "dispatched"
                else None
            )
            if action is None:
                other.add_note(case_id, "基准测试备注")
            else:
                action(case_id)
            resets: list[int] = []
            model.modelAboutToBeReset.connect(lambda r=resets: r.append(1))
            changed: list[float] = []
            t = time.perf_counter()

            def seen(
                top: Any,
                bottom: Any,
                roles: Any = (),
                r: int = row,
                t: float = t,
                out: list[float] = changed,
            ) -> None:
                if top.row() == r == bottom.row():
                    out.append(time.perf_counter() - t)

            model.dataChanged.connect(seen)
            run(qtbot, model.update_case(case_id))
            model.dataChanged.disconnect(seen)
            assert changed, "the row was not updated"
            times.append(changed[0] * 1000)
            assert model.row_data(row).version > 1  # type: ignore[union-attr]
            assert resets == []
            assert ws.queue.current_case_id() == selected
            assert table.verticalScrollBar().value() == scroll
            assert model.data(model.index(row, COL["reference"]))
    finally:
        other.close()
    ms = statistics.median(times)
    reads = []
    for _ in range(10):
        t = time.perf_counter()
        ws.desk.get_case(case_id)
        reads.append((time.perf_counter() - t) * 1000)
    bench("  of which desk.get_case (one case read)", statistics.median(reads), "ms", "", None)
    bench(
        "live update of one case (event → case read off-thread → one-row dataChanged)",
        ms,
        "ms",
        "≤ 10 ms",
        ms <= 10,
    )
