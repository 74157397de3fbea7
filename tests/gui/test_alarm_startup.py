"""Desk start-up against a data service that already holds data (the false flood):
the real data service (a subprocess on loopback), real HJ 212 over TCP, the real FeedPoller and
the alarm integration in a real window, as ui/shell/application.py wires them.

What the lead saw: the embedded service, reused across runs, starts with its stations' data of
the last run (17 h old) while its simulator re-sends the gap; the desk called every station
silent at once ("另有 351 条报警已合并"), although every station was sending. A station is
silent when the data service has nothing recent from it, judged on a feed caught up with the
service and never for longer than the service has been listening.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.feed.client import DataServiceClient
from dispatch_app.feed.poller import FeedPoller
from dispatch_app.feed.records import Station
from dispatch_app.resources import resources_dir
from dispatch_app.session import AlarmFeedLink
from tests.feed.live_service import packet, registry, send
from tests.gui.conftest import Session, run, seed_users

ROOT = Path(__file__).resolve().parents[2]
SENDING = ("AQ-N-01", "AQ-N-02", "AQ-P-01")  # national/provincial: silent after 30 min
STOPPED = "AQ-N-03"  # its logger never comes back
LAST_RUN = timedelta(minutes=1038)  # the lead's measured silence: the last run's data


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[str, int, dict[str, Station]]]:
    """The real data service (ingest and HTTP, no simulator) for four air stations."""
    full = json.loads((resources_dir() / "stations.json").read_text(encoding="utf-8"))
    ids = (*SENDING, STOPPED)
    path = tmp_path / "registry.json"
    chosen = [s for s in full["stations"] if s["id"] in ids]
    path.write_text(json.dumps({"stations": chosen}, ensure_ascii=False), encoding="utf-8")
    command = [
        sys.executable, "-m", "dispatch_app.dataservice",
        "--host", "127.0.0.1", "--http-port", "0", "--hj212-port", "0",
        "--db", f"sqlite:///{tmp_path / 'ds.db'}",
        "--registry", str(path), "--exit-with-stdin", "--log-level", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert ready["event"] == "ready"
        stations = {s.id: s for s in registry() if s.id in ids}
        yield ready["http"], int(ready["hj212_port"]), stations
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def minutes_of(station: Station, end: datetime, count: int) -> list[bytes]:
    return [packet(station, end - timedelta(minutes=count - 1 - i), 30.0) for i in range(count)]


def silent_keys(desk: AlarmDesk) -> set[str]:
    return {a.key for a in desk.alarms() if "silent" in a.rule_id}


def test_no_silent_flood_at_start_up_and_a_stopped_station_still_raises(
    sqlite_url: str,
    sessions: Callable[..., Session],
    qtbot: QtBot,
    tmp_path: Path,
    service: tuple[str, int, dict[str, Station]],
) -> None:
    url, port, stations = service
    now = datetime.now(UTC)
    # The last run: ten minutes of every station, 17 h ago (what /latest holds at start).
    last_run = now - LAST_RUN
    send(port, [p for s in stations.values() for p in minutes_of(s, last_run, 10)])

    seed_users(sqlite_url)
    session = sessions(sqlite_url, "officer")
    rules = tmp_path / "alarms.toml"
    shutil.copy(resources_dir() / "rules" / "alarms.toml", rules)
    alarm_desk = AlarmDesk.open(session.desk, rules_path=rules)
    integration = session.workspace.install_alarms(alarm_desk, evaluate_every_ms=3_600_000)
    client = DataServiceClient(url)
    poller = FeedPoller(client, poll_interval_s=0.2)
    # As the session wires them: the alarm desk follows the feed before its first load.
    link = AlarmFeedLink(alarm_desk, poller)
    try:
        run(qtbot, poller.start())
        qtbot.waitUntil(lambda: poller.caught_up, timeout=10000)
        qtbot.waitUntil(lambda: alarm_desk.station(STOPPED) is not None, timeout=5000)
        run(qtbot, integration.evaluate_now())
        # The service has listened for seconds: nobody can say yet who is silent.
        assert silent_keys(alarm_desk) == set()

        # Three loggers re-send their buffers (an hour of minutes, oldest first) and go live;
        # the desk takes the backlog in and judges again once it has caught up.
        sending = [stations[s] for s in SENDING]
        backlog = [
            packet(s, now - timedelta(minutes=m), 30.0) for m in range(60, 0, -1) for s in sending
        ]
        send(port, backlog)
        cursor = client.health().cursor
        qtbot.waitUntil(lambda: poller.caught_up and poller.cursor >= cursor, timeout=10000)
        run(qtbot, integration.evaluate_now())
        assert silent_keys(alarm_desk) == set()
        assert integration.panel.model.rowCount() == 0
        assert not alarm_desk.in_flood()

        # Half an hour on, the three keep sending and the fourth never came back: it alone is
        # silent, with its true age (the last run's data), once the service has listened
        # longer than the rule's 30 minutes. (The round is run at that time; the packets are
        # stamped so, which the service accepts up to an hour ahead.)
        later = datetime.now(UTC) + timedelta(minutes=31)
        send(port, [packet(s, later - timedelta(minutes=1), 30.0) for s in sending])
        cursor = client.health().cursor
        qtbot.waitUntil(lambda: poller.caught_up and poller.cursor >= cursor, timeout=10000)

        run(qtbot, integration.evaluate_now(later))
        assert silent_keys(alarm_desk) == {f"air-core-silent@{STOPPED}"}
        alarm = alarm_desk.get(f"air-core-silent@{STOPPED}")
        assert alarm.state.active and alarm.value is not None
        assert alarm.value > LAST_RUN.total_seconds() / 60
        qtbot.waitUntil(lambda: integration.panel.model.rowCount() == 1, timeout=5000)
    finally:
        link.close()
        integration.shutdown()
        run(qtbot, poller.stop())
        client.close()
