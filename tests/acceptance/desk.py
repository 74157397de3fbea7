"""The real demo desk on a real X screen, driven as an officer drives it.

`XScreen` is an Xvfb screen of a given size with openbox managing its windows. `ScreenDesk` is
`python main.py --demo` started on it as a child process (xcb, not offscreen), typed at and
clicked with xdotool, photographed with ImageMagick's `import`, and read back through the desk's
test-only inspection socket (ui/inspection.py), which answers from the running widgets.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "openbox", "xdotool", "import")
T = TypeVar("T")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class DeskGone(RuntimeError):
    """The desk's process ended (or its inspection socket closed) while the shift ran."""


class XScreen:
    """Xvfb at WIDTHxHEIGHT on display `number`, with openbox as its window manager."""

    def __init__(self, number: int, width: int, height: int, log_dir: Path) -> None:
        self.number, self.width, self.height = number, width, height
        self.display = f":{number}"
        self.log_dir = log_dir
        self._procs: list[subprocess.Popen[bytes]] = []

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display}

    def start(self) -> None:
        lock = Path(f"/tmp/.X{self.number}-lock")
        if lock.exists():
            raise RuntimeError(f"display {self.display} is taken ({lock} exists)")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        xvfb_log = open(self.log_dir / f"xvfb-{self.number}.log", "wb")  # noqa: SIM115
        self._procs.append(
            subprocess.Popen(
                [
                    "Xvfb",
                    self.display,
                    "-screen",
                    "0",
                    f"{self.width}x{self.height}x24",
                    "-nolisten",
                    "tcp",
                ],
                stdout=xvfb_log,
                stderr=subprocess.STDOUT,
            )
        )
        sock = Path(f"/tmp/.X11-unix/X{self.number}")
        wait_until(sock.exists, 10, f"Xvfb on {self.display}")
        wm_log = open(self.log_dir / f"openbox-{self.number}.log", "wb")  # noqa: SIM115
        self._procs.append(
            subprocess.Popen(
                ["openbox", "--sm-disable"], env=self.env, stdout=wm_log, stderr=subprocess.STDOUT
            )
        )
        time.sleep(0.5)  # openbox takes the screen before the desk maps its first window

    def stop(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self._procs.clear()

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=15
        )
        return done.stdout.strip()

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["import", "-window", "root", str(path)], env=self.env, capture_output=True, timeout=30
        )
        return path


def wait_until(predicate: Callable[[], T], timeout: float, what: str, interval: float = 0.25) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(interval)


@dataclass
class Step:
    """What one step of the shift left behind, for the checks that look across steps."""

    name: str
    widgets: list[dict[str, Any]] = field(default_factory=list)
    screenshot: Path | None = None
    language: str = "zh"


class ScreenDesk:
    """The demo desk running on `screen`, with its own home (settings, layout, data service)."""

    def __init__(self, screen: XScreen, home: Path, artifacts: Path) -> None:
        self.screen = screen
        self.home = home
        self.artifacts = artifacts
        self.socket_path = str(home / "inspect.sock")
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = artifacts / "desk.log"
        self.started_at = 0.0
        self.window_after_s: float | None = None
        self.live_after_s: float | None = None
        self.steps: list[Step] = []
        self._sock: socket.socket | None = None
        self._buffer = b""

    # ---- the process ---------------------------------------------------------------------
    def start(self, *args: str) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.artifacts.mkdir(parents=True, exist_ok=True)
        env = {
            **self.screen.env,
            "QT_QPA_PLATFORM": "xcb",
            "DISPATCH_DESK_HOME": str(self.home),
            "DISPATCH_INSPECT_SOCKET": self.socket_path,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DISPATCH_DB_URL", None)
        log = open(self.log_path, "wb")  # noqa: SIM115
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "--demo", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_for_window(self, timeout: float = 120) -> None:
        wait_until(self._window_up, timeout, "the desk's main window")
        self.window_after_s = time.monotonic() - self.started_at

    def _window_up(self) -> bool:
        if not self.alive():
            raise DeskGone(f"the desk exited with {self.proc and self.proc.returncode}")
        try:
            state = self.ask("state")
        except OSError:
            return False
        window = state.get("main_window")
        return bool(window and state.get("modal") is None)

    def wait_until_live(self, timeout: float = 240) -> dict[str, Any]:
        """Until the feed is connected, caught up and shows current data for most stations."""

        def live() -> dict[str, Any] | None:
            feed = self.ask("feed")
            stations = feed["stations"]
            fresh = sum(1 for s in stations if s["level"] == "fresh")
            ok = (
                feed["connected"]
                and feed["caught_up"]
                and stations
                and fresh >= 0.9 * len(stations)
            )
            return feed if ok else None

        feed = wait_until(live, timeout, "live data in the station table", interval=1.0)
        self.live_after_s = time.monotonic() - self.started_at
        return feed

    def quit_and_time(self, keys: str = "ctrl+q", timeout: float = 20.0) -> float | None:
        """Press the quit key; seconds until the process ended (None: not within `timeout`)."""
        assert self.proc is not None
        self.close_socket()
        started = time.monotonic()
        self.screen.xdotool("key", keys)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        return time.monotonic() - started

    def stop(self) -> None:
        self.close_socket()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    # ---- reading back --------------------------------------------------------------------
    def _connect(self) -> socket.socket:
        if self._sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(20)
            sock.connect(self.socket_path)
            self._sock, self._buffer = sock, b""
        return self._sock

    def close_socket(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def ask(self, question: str, **args: Any) -> Any:
        sock = self._connect()
        try:
            sock.sendall(json.dumps({"q": question, "args": args}).encode() + b"\n")
            while b"\n" not in self._buffer:
                chunk = sock.recv(1 << 20)
                if not chunk:
                    raise DeskGone("the desk closed its inspection socket")
                self._buffer += chunk
        except OSError:
            self.close_socket()
            raise
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer = json.loads(line)
        if not answer["ok"]:
            raise RuntimeError(f"inspection {question}: {answer['error']}")
        return answer["result"]

    def state(self) -> dict[str, Any]:
        return dict(self.ask("state"))

    def find(self, **query: str) -> list[dict[str, Any]]:
        return list(self.ask("find", **query))

    def find_one(self, timeout: float = 15, **query: str) -> dict[str, Any]:
        return wait_until(lambda: next(iter(self.find(**query)), None), timeout, f"{query}")

    def modal(self) -> dict[str, Any] | None:
        return self.state()["modal"]

    def wait_modal(self, object_name: str | None = None, timeout: float = 15) -> dict[str, Any]:
        def up() -> dict[str, Any] | None:
            modal = self.modal()
            if modal and (object_name is None or modal["object"] == object_name):
                return modal
            return None

        return wait_until(up, timeout, f"dialog {object_name or ''} to open")

    def wait_no_modal(self, timeout: float = 15) -> None:
        wait_until(lambda: self.modal() is None, timeout, "the dialog to close")

    # ---- real input ----------------------------------------------------------------------
    def activate(self, window_id: int | None = None) -> None:
        if window_id is None:
            state = self.state()
            target = state["modal"] or state["main_window"]
            window_id = target["id"]
        self.screen.xdotool("windowactivate", "--sync", str(window_id))
        time.sleep(0.2)

    def key(self, *keys: str) -> None:
        self.screen.xdotool("key", "--delay", "80", *keys)
        time.sleep(0.3)

    def type(self, text: str) -> None:
        self.screen.xdotool("type", "--delay", "30", text)
        time.sleep(0.2)

    def move_pointer(self, x: int, y: int) -> None:
        """The pointer to (x, y), waiting until it is there (`--sync` waits for a move, and
        forever when the pointer is there already)."""
        where = self.screen.xdotool("getmouselocation", "--shell")
        at = dict(line.split("=", 1) for line in where.splitlines() if "=" in line)
        if (at.get("X"), at.get("Y")) != (str(x), str(y)):
            self.screen.xdotool("mousemove", "--sync", str(x), str(y))

    def click_rect(self, rect: list[int], button: str = "1", double: bool = False) -> None:
        x, y = rect[0] + rect[2] // 2, rect[1] + rect[3] // 2
        if not (0 <= x < self.screen.width and 0 <= y < self.screen.height):
            raise AssertionError(
                f"the target at ({x}, {y}) is outside the {self.screen.width}×"
                f"{self.screen.height} screen: an officer cannot click it"
            )
        self.move_pointer(x, y)
        time.sleep(0.1)
        args = ["click", "--repeat", "2", "--delay", "80", button] if double else ["click", button]
        self.screen.xdotool(*args)
        time.sleep(0.4)

    def click(self, timeout: float = 15, **query: str) -> dict[str, Any]:
        """Click the visible widget matching `query` (object name, text, class)."""
        found = self.find_one(timeout, **query)
        self.click_rect(found["rect"])
        return found

    def reveal(self, scroll_object: str, timeout: float = 20, **query: str) -> dict[str, Any]:
        """Scroll `scroll_object` with the mouse wheel on its scroll bar (where the wheel never
        lands on a table or spin box inside the panel) until the widget matching `query` is
        inside its viewport, as an officer scrolls a long panel; returns the widget."""
        deadline = time.monotonic() + timeout
        while True:
            area = self.find_one(object=scroll_object)["rect"]
            widget = self.find_one(**query)
            _x, y, _w, h = widget["rect"]
            top, bottom = area[1], area[1] + area[3]
            if y >= top and y + h <= bottom:
                return widget
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not scroll {query} into view")
            bar = self._scroll_bar(area)
            if bar is None:
                raise AssertionError(f"{scroll_object} has no scroll bar but {query} is outside it")
            self.move_pointer(bar[0] + bar[2] // 2, bar[1] + bar[3] // 2)
            self.screen.xdotool("click", "--repeat", "3", "5" if y + h > bottom else "4")
            time.sleep(0.3)

    def _scroll_bar(self, area: list[int]) -> list[int] | None:
        """The vertical scroll bar along the right edge of the scroll area at `area`."""
        right = area[0] + area[2]
        for bar in self.find(cls="QScrollBar"):
            x, y, w, h = bar["rect"]
            if h > w and abs(x + w - right) <= 4 and y >= area[1] and y + h <= area[1] + area[3]:
                return list(bar["rect"])
        return None

    def menu(self, action: str) -> dict[str, Any]:
        """Through the menu bar, as an officer does: click the menu, then (for an entry of a
        submenu) the submenu's entry, then the entry."""
        where = self.ask("action", name=action)
        if not where["menu_title"]:
            raise AssertionError(f"{action}: its menu is not in the menu bar")
        self.click_rect(where["menu_title"])
        for depth in range(len(where.get("submenus") or [])):
            entry = wait_until(
                lambda d=depth: self.ask("action", name=action)["submenus"][d],
                5,
                f"the submenu on the way to {action}",
            )
            self.click_rect(entry)
        opened = wait_until(
            lambda: self.ask("action", name=action)["item"], 5, f"the menu of {action}"
        )
        if not where["enabled"]:
            self.key("Escape")
            raise AssertionError(f"{action} ({where['text']}) is disabled")
        self.click_rect(opened)
        return dict(where)

    # ---- recording -----------------------------------------------------------------------
    def record(self, name: str, language: str = "zh") -> Step:
        """A screenshot and every visible widget, after a step of the shift (on the desk in
        `language`)."""
        time.sleep(0.3)
        step = Step(name, list(self.ask("widgets")), language=language)
        step.screenshot = self.screen.screenshot(
            self.artifacts / f"{len(self.steps):02d}-{name}.png"
        )
        self.steps.append(step)
        return step


class FeedWatch:
    """After each dialog the feed's newest observation time must move on. The simulated network
    reports once a minute, so a dialog is noted with the newest time it left behind and judged
    once the feed had time to advance (`ADVANCE_WITHIN_S`): a feed a dialog killed never
    advances again, one that lives does within a minute."""

    ADVANCE_WITHIN_S = 100.0

    def __init__(self, desk: ScreenDesk) -> None:
        self.desk = desk
        self.pending: list[tuple[str, str | None, float]] = []

    def newest(self) -> str | None:
        return self.desk.ask("feed")["newest"]

    def mark(self, what: str) -> None:
        self.pending.append((what, self.newest(), time.monotonic()))

    def settle(self, wait: bool = False) -> list[str]:
        """Problems of the marks that are due (all of them with `wait`, waiting as needed)."""
        from tests.acceptance.checks import feed_advanced

        problems: list[str] = []
        still: list[tuple[str, str | None, float]] = []
        for what, before, at in self.pending:
            due = at + self.ADVANCE_WITHIN_S
            now = self.newest()
            while wait and feed_advanced(before, now) and time.monotonic() < due:
                time.sleep(2)
                now = self.newest()
            found = feed_advanced(before, now)
            if not found:
                continue
            if time.monotonic() >= due:
                problems.extend(f"after {what}: {p}" for p in found)
            else:
                still.append((what, before, at))
        self.pending = still
        return problems


def on_time_at_service(url: str) -> set[str]:
    """The stations whose newest observation at the data service is on time now, by each
    station's own reporting schedule (the same rule the desk applies)."""
    from datetime import UTC, datetime

    from dispatch_app.feed.client import DataServiceClient
    from dispatch_app.feed.network_state import Staleness, staleness_of

    client = DataServiceClient(url)
    try:
        stations = {s.id: s for s in client.stations()}
        newest: dict[str, datetime] = {}
        for obs in client.latest().items:
            if obs.station not in newest or obs.time > newest[obs.station]:
                newest[obs.station] = obs.time
    finally:
        client.close()
    now = datetime.now(UTC)
    return {
        sid
        for sid, station in stations.items()
        if staleness_of(newest.get(sid), station.schedule, now) is Staleness.FRESH
    }
