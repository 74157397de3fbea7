"""End to end: a spill drill played by the real data service (simulator → HJ 212 over TCP →
ingest → HTTP /updates) drives the alarm engine and lifecycle as the desk will.

The drill is a short spill at 奔牛 (WQ-B-01, boundary section, target class Ⅲ) written for the
test, so it plays in seconds at speed 300 while staying inside the hour of future data the
ingest accepts. Only the water sections are simulated (registry subset) to keep the shared
machine quiet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from dispatch_app.domain.alarm_rules import (
    AlarmEngine,
    RuleSet,
    RuleType,
    parse_rules,
    stations_from_registry,
)
from dispatch_app.domain.alarms import (
    Alarm,
    AlarmState,
    Annunciator,
    ChangeKind,
    acknowledge,
    apply_evaluation,
    tick,
)
from dispatch_app.feed.client import DataServiceClient

ROOT = Path(__file__).resolve().parents[2]
SECTION = "WQ-B-01"
RULE = "water-below-target"

SCENARIO = """
name = "alarm_drill_spill"
title = { zh = "测试：奔牛短时泄漏", en = "Test: short spill at Benniu" }
description = "An eight-minute ammonia spill at 奔牛 with emergency sampling every 2 minutes."

[[events]]
kind = "spill"
at_minutes = 2
station = "WQ-B-01"
duration_minutes = 8
travel_minutes_per_link = 180
attenuation_per_link = 0.8
emergency_interval_minutes = 2

[events.increase]
"NH3-N" = 2.5
"""


@pytest.fixture
def drill_service(tmp_path: Path, resources_dir: Path):
    registry = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    water = [s for s in registry["stations"] if s["kind"].startswith("water_")]
    registry_path = tmp_path / "water_registry.json"
    registry_path.write_text(json.dumps({"stations": water}, ensure_ascii=False), encoding="utf-8")
    scenario_path = tmp_path / "alarm_drill_spill.toml"
    scenario_path.write_text(SCENARIO, encoding="utf-8")
    command = [
        sys.executable, "-m", "dispatch_app.dataservice",
        "--host", "127.0.0.1", "--http-port", "0", "--hj212-port", "0",
        "--db", f"sqlite:///{tmp_path / 'ds.db'}",
        "--registry", str(registry_path),
        "--simulate", "--scenario", str(scenario_path), "--speed", "300",
        "--exit-with-stdin", "--log-level", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert ready["event"] == "ready"
        yield ready["http"], stations_from_registry({"stations": water})
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_spill_drill_raises_latches_and_acknowledges(drill_service, resources_dir: Path) -> None:
    url, stations = drill_service
    shipped = parse_rules((resources_dir / "rules" / "alarms.toml").read_text(encoding="utf-8"))
    rules = RuleSet(tuple(r for r in shipped.rules if r.type is RuleType.WATER_CLASS))
    engine = AlarmEngine(rules, stations)
    annunciator = Annunciator()
    alarms: dict[str, Alarm] = {}
    history: list[tuple[ChangeKind, AlarmState]] = []
    announced: list[str] = []
    key = f"{RULE}@{SECTION}"
    now: datetime | None = None
    cursor = 0
    deadline = time.monotonic() + 90
    with DataServiceClient(url) as client:
        while time.monotonic() < deadline:
            page = client.updates(cursor)
            cursor = page.cursor
            rejected = engine.observe_many(
                (o.station, o.parameter, o.time, o.value, o.flag) for o in page.items
            )
            assert rejected == []
            if page.items:
                latest = max(o.time for o in page.items)
                now = latest if now is None else max(now, latest)
            if now is not None:
                changes = apply_evaluation(alarms, engine.evaluate(now), now)
                changes += tick(alarms.values(), now)
                for change in changes:
                    alarms[change.after.key] = change.after
                    if change.after.key == key:
                        history.append((change.kind, change.after.state))
                announced += [a.text_en for a in annunciator.announce(changes, now)]
            if (ChangeKind.CLEARED, AlarmState.CLEARED_UNACKNOWLEDGED) in history:
                break
            if not page.more:
                time.sleep(0.3)
    kinds = [k for k, _ in history]
    assert ChangeKind.RAISED in kinds, f"no alarm at {SECTION}; history {history}"
    assert kinds.count(ChangeKind.RAISED) == 1  # one alarm, updated while the plume passes
    assert (ChangeKind.CLEARED, AlarmState.CLEARED_UNACKNOWLEDGED) in history, history
    alarm = alarms[key]
    # Latched: the plume has passed but nobody acknowledged, so it stays on the panel with
    # the data that triggered it.
    assert alarm.state is AlarmState.CLEARED_UNACKNOWLEDGED and alarm.count == 1
    assert "NH3-N" in {e.parameter for e in alarm.evidence}
    assert alarm.message_zh.startswith("断面水质劣于目标类别")
    assert any("Section worse than its target class" in text for text in announced)
    assert alarm.version == len(history)
    assert now is not None
    done = acknowledge(alarm, "值班员", "奔牛泄漏已通报武进执法分局", now)
    assert done.after.state is AlarmState.NORMAL
