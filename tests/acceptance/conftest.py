"""The acceptance shift's screens and desks: one desk process per screen size for the whole
shift (its start-up, with the embedded data service's first backfill, is the slow part)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.acceptance.desk import ROOT, FeedWatch, ScreenDesk, XScreen, missing_tools

ARTIFACTS = ROOT / "tests" / "artifacts"
REQUIRE_ENV = "DISPATCH_REQUIRE_ACCEPTANCE"
DISPLAYS_ENV = "DISPATCH_ACCEPTANCE_DISPLAYS"
SIZES = ((1920, 1080), (1366, 768))
DEFAULT_DISPLAYS = (73, 74)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here and item.module.__name__.endswith("test_shift"):
            item.add_marker(pytest.mark.acceptance)


def _displays() -> tuple[int, ...]:
    raw = os.environ.get(DISPLAYS_ENV, "").strip()
    if raw:
        return tuple(int(part) for part in raw.split(",") if part.strip())
    return DEFAULT_DISPLAYS


class Shift:
    """One screen, its desk and what the shift noted on the way."""

    def __init__(self, screen: XScreen, desk: ScreenDesk) -> None:
        self.screen = screen
        self.desk = desk
        self.feed = FeedWatch(desk)
        self.size = f"{screen.width}x{screen.height}"
        self.exit_s: float | None = None
        self.case_reference: str | None = None


@pytest.fixture(scope="module", params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def shift(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shift]:
    missing = missing_tools()
    if missing:
        message = f"acceptance needs {', '.join(missing)} (apt-get install xvfb openbox xdotool imagemagick)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(message + f"; {REQUIRE_ENV}=1 requires it", pytrace=False)
        pytest.skip(message)
    width, height = request.param
    index = SIZES.index(request.param)
    display = _displays()[index % len(_displays())]
    artifacts = ARTIFACTS / f"{width}x{height}"
    shutil.rmtree(artifacts, ignore_errors=True)
    screen = XScreen(display, width, height, artifacts)
    screen.start()
    desk = ScreenDesk(screen, tmp_path_factory.mktemp(f"desk-{width}x{height}"), artifacts)
    try:
        desk.start()
        desk.wait_for_window(timeout=150)
        desk.wait_until_live(timeout=240)
        (artifacts / "startup.json").write_text(
            json.dumps(
                {
                    "window_after_s": round(desk.window_after_s or 0, 1),
                    "live_after_s": round(desk.live_after_s or 0, 1),
                }
            )
        )
        yield Shift(screen, desk)
    finally:
        desk.stop()
        screen.stop()
