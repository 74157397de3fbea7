"""Fetching series off the UI thread.

A `SeriesSource` may block for as long as the network takes; the UI thread never waits on it
(DESIGN.md, "Live data without freezing the UI"). Requests run on a small thread pool and their
results come back to the UI thread as queued Qt signals, the pattern PyDM uses for its data
plugins. Each request carries a generation number so that a chart ignores answers to questions
it no longer asks (the user changed the range while a slow fetch was running).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.wall.charts.series import SeriesArrays, SeriesSource


@dataclass(frozen=True, slots=True)
class SeriesRequest:
    """One question to a source; `tag` is the asker's own label (series key, row ...)."""

    tag: Any
    station: str
    parameter: str
    start: datetime
    end: datetime
    resolution: str
    generation: int


class SeriesLoader(QObject):
    """Runs fetches on worker threads and reports each on the UI thread, in any order."""

    loaded = Signal(object, object)  # SeriesRequest, SeriesArrays
    failed = Signal(object, str)  # SeriesRequest, message for the user

    def __init__(self, source: SeriesSource, parent: QObject | None = None, workers: int = 2):
        super().__init__(parent)
        self._source = source
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="series")
        self._pending: set[Future[SeriesArrays]] = set()
        self.generation = 0

    @property
    def source(self) -> SeriesSource:
        return self._source

    def set_source(self, source: SeriesSource) -> None:
        self._source = source
        self.generation += 1

    def next_generation(self) -> int:
        self.generation += 1
        return self.generation

    def busy(self) -> bool:
        return bool(self._pending)

    def fetch(self, request: SeriesRequest) -> None:
        source = self._source
        future = self._pool.submit(
            source.fetch_series,
            request.station,
            request.parameter,
            request.start,
            request.end,
            request.resolution,
        )
        self._pending.add(future)
        future.add_done_callback(lambda f: self._done(request, f))

    def _done(self, request: SeriesRequest, future: Future[SeriesArrays]) -> None:
        # Runs on the worker thread: only emit, the connection queues it to the UI thread.
        self._pending.discard(future)
        try:
            result = future.result()
        except Exception as exc:  # any source fault is shown to the user, never raised into Qt
            self.failed.emit(request, f"{type(exc).__name__}: {exc}")
            return
        self.loaded.emit(request, result)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
