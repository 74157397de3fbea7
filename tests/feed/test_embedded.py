"""The embedded data service: a child process started, watched and stopped by the desk."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from dispatch_app.feed.client import DataServiceClient
from dispatch_app.feed.embedded import (
    DATABASE_FILE,
    LOG_FILE,
    EmbeddedDataService,
    EmbeddedServiceError,
    EmbeddedState,
    EmbeddedStatus,
    start_embedded,
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); read its state.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def test_start_embedded_serves_a_simulated_network_and_stops_with_the_desk(
    tmp_path: Path,
) -> None:
    """What the desk does at start-up: a simulated network with history, in the data dir."""
    states: list[EmbeddedStatus] = []
    service = start_embedded(tmp_path / "data", backfill_hours=None, speed=60.0)
    try:
        service.subscribe(states.append)
        assert service.status.state is EmbeddedState.RUNNING
        assert service.url is not None and service.url.startswith("http://127.0.0.1:")
        pid = service.pid
        assert pid is not None and _alive(pid)
        with DataServiceClient(service.url) as client:
            assert client.health().stations > 300
            deadline = time.monotonic() + 20
            while client.health().cursor == 0:  # the simulated network delivers data
                assert time.monotonic() < deadline, "no simulated data within 20 s"
                time.sleep(0.2)
        assert (tmp_path / "data" / DATABASE_FILE).exists()
        assert (tmp_path / "data" / LOG_FILE).exists()
    finally:
        service.stop()
    assert not _alive(pid)
    assert service.status.state is EmbeddedState.STOPPED
    assert [s.state for s in states][-1] is EmbeddedState.STOPPED
    assert all(s.state is not EmbeddedState.RESTARTING for s in states)  # a stop is no crash


def test_command_line_matches_the_contract(tmp_path: Path) -> None:
    service = EmbeddedDataService(tmp_path / "x.db", speed=10, scenario="algae_bloom")
    cmd = service.command()
    assert cmd[1:3] == ["-m", "dispatch_app.dataservice"]
    for flag, value in [
        ("--host", "127.0.0.1"),
        ("--http-port", "0"),
        ("--hj212-port", "0"),
        ("--db", f"sqlite:///{tmp_path / 'x.db'}"),
        ("--backfill-hours", "48"),
        ("--speed", "10"),
        ("--scenario", "algae_bloom"),
    ]:
        assert cmd[cmd.index(flag) + 1] == value
    assert "--simulate" in cmd and "--exit-with-stdin" in cmd


def test_failing_start_reports_the_childs_stderr(tmp_path: Path) -> None:
    """A database the service cannot open (its directory would be inside a regular file): it
    exits, and the error quotes what it said."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    service = EmbeddedDataService(
        blocker / "sub" / "ds.db", simulate=False, log_path=tmp_path / "ds.log"
    )
    try:
        with pytest.raises(EmbeddedServiceError) as info:
            service.start()
        failed = service.status
    finally:
        service.stop()
    message = str(info.value)
    assert "exited with code" in message and "before it was ready" in message
    assert "its last output" in message
    assert "Not a directory" in message
    assert failed.state is EmbeddedState.FAILED
    assert failed.last_error == message


def test_missing_interpreter_is_a_clear_error(tmp_path: Path) -> None:
    service = EmbeddedDataService(tmp_path / "x.db", python=str(tmp_path / "no-python"))
    with pytest.raises(EmbeddedServiceError, match="could not start"):
        service.start()


def test_no_ready_line_times_out_and_a_stubborn_child_is_killed(tmp_path: Path) -> None:
    """A child that never gets ready and ignores SIGTERM: the start fails after the ready timeout,
    and the child is killed after the grace period, not left behind."""
    pid_file = tmp_path / "pid"
    script = tmp_path / "stubborn.sh"
    script.write_text(
        f"#!/bin/sh\necho $$ > {pid_file}\necho 'loading registry...' >&2\n"
        "trap '' TERM\nwhile true; do sleep 0.1; done\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    service = EmbeddedDataService(
        tmp_path / "x.db",
        python=str(script),
        ready_timeout_s=1.0,
        stop_grace_s=0.5,
        log_path=tmp_path / "ds.log",
    )
    t0 = time.monotonic()
    with pytest.raises(EmbeddedServiceError) as info:
        service.start()
    assert time.monotonic() - t0 < 5
    assert "no ready line within 1 s" in str(info.value)
    assert "loading registry..." in str(info.value)
    assert not _alive(int(pid_file.read_text()))
