"""The embedded data service's first start: computing and storing the simulated history.

The whole registry's history (national/provincial air stations hourly, every water section per
sample) over at least 400 days and back to 1 January of last year, into a real SQLite file,
then a two-year daily series and a year of hourly values read back. The target is seconds, not
minutes: the desk waits for it before its first data.
"""

from __future__ import annotations

import time
from pathlib import Path

from dispatch_app.dataservice.history import ensure_history, history_start
from dispatch_app.dataservice.storage import Storage
from dispatch_app.network.registry import DEFAULT_REGISTRY, load_registry
from tests.benchmarks.conftest import Recorder

NOW = 1796625000.0  # 2026-12-07 14:30 CST: 706 days back to 1 January of last year


def test_history_of_the_whole_network(tmp_path: Path, bench: Recorder) -> None:
    registry = load_registry(DEFAULT_REGISTRY)
    storage = Storage(f"sqlite:///{tmp_path / 'ds.db'}")
    try:
        began = time.perf_counter()
        rows = ensure_history(storage, registry.stations, 400, now_s=NOW)
        took = time.perf_counter() - began
        days = (NOW - history_start(NOW, 400)) / 86400
        assert rows > 400_000 and days >= 400
        bench(
            "history: compute and store (first start)",
            took,
            "s",
            "seconds, not minutes",
            met=took < 60,
        )
        bench("history: days covered", days, "days", "≥ 400", met=days >= 400)
        bench("history: day rows stored", rows, "rows")
        began = time.perf_counter()
        daily = storage.series_daily("AQ-N-01", "PM2.5", int(NOW) - 700 * 86400, int(NOW), 1000, 60)
        bench("history: 700-day daily series", (time.perf_counter() - began) * 1000, "ms")
        assert sum(1 for p in daily.points if p.value is not None) >= 680
        began = time.perf_counter()
        hourly = storage.series_hourly(
            "WQ-N-01", "TP", int(NOW) - 365 * 86400, int(NOW), 20_000, 14400
        )
        bench("history: 1-year hourly series (water)", (time.perf_counter() - began) * 1000, "ms")
        assert len(hourly.points) >= 0.95 * 365 * 6
        size = (tmp_path / "ds.db").stat().st_size / 1e6
        bench("history: database size", size, "MB")
    finally:
        storage.close()
