"""Benchmark harness: each benchmark records its figures; `make bench` prints one table.

Benchmarks measure and report; they never fail on a figure (the default suite asserts no
timings). They do fail when the work they measure goes wrong (wrong results, errors).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Figure:
    area: str
    name: str
    value: float
    unit: str
    target: str
    met: bool | None


_FIGURES: list[Figure] = []


class Recorder:
    def __init__(self, area: str) -> None:
        self.area = area

    def __call__(
        self, name: str, value: float, unit: str, target: str = "", met: bool | None = None
    ) -> None:
        _FIGURES.append(Figure(self.area, name, value, unit, target, met))


@pytest.fixture
def bench(request: pytest.FixtureRequest) -> Recorder:
    """Record a figure: bench("first page of queue", 12.3, "ms", "≤ 300 ms", met=True)."""
    return Recorder(request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_bench_"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    rows = [
        (
            f.area,
            f.name,
            f"{f.value:,.2f} {f.unit}",
            f.target,
            {True: "yes", False: "NO", None: ""}[f.met],
        )
        for f in _FIGURES
    ]
    header = ("area", "benchmark", "figure", "target", "met")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    terminalreporter.write_line("")
    terminalreporter.write_line("Benchmark figures")
    terminalreporter.write_line(line)
    terminalreporter.write_line("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    terminalreporter.write_line(line)
    for r in rows:
        terminalreporter.write_line(
            "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))
        )
    terminalreporter.write_line(line)
