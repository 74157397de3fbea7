"""Every way a case is opened — the generic form, an emergency, an alarm's automatic case and a
petition — writes the same shape of row beside the same records: the next reference of the
year, one 'created' timeline entry, one ``case.create`` audit entry and one change row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from dispatch_app.audit.verify import verify_chain
from dispatch_app.desk import Changed, Desk
from dispatch_app.desk.alarms import SYSTEM_ACTOR, AlarmDesk
from dispatch_app.desk.emergencies import EmergencyDesk, EmergencyDraft, load_emergency_resources
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.emergencies import EmergencyType
from dispatch_app.domain.petitions import Channel, PetitionDetail, Petitioner, Subject
from dispatch_app.domain.reference import format_reference, reference_year
from dispatch_app.store import case_records
from dispatch_app.store.models import audit_log, cases, changes
from tests.desk.conftest import Clock, draft

NATIONAL = "WQ-N-01"  # a water_national section: its below-target rule opens a case itself

# Set by every path; the rest (the enterprise, the unit, the closure, the workflow times) are
# empty on a new case whatever opened it.
ALWAYS_SET = {c.name for c in cases.columns} - {
    "enterprise_name",
    "credit_code",
    "unit_id",
    "closure_code",
    "triaged_at",
    "dispatched_at",
    "acknowledged_at",
    "arrived_at",
    "resolved_at",
    "closed_at",
    "cancelled_at",
    "closure_requested_at",  # no closure request waits on a new case
}


def _alarm_case(desk: Desk, clock: Clock, tmp_path: Path, resources_dir: Path) -> int:
    doc = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    water = [s for s in doc["stations"] if s["kind"].startswith("water_")]
    rules = tmp_path / "alarms.toml"
    shutil.copy(resources_dir / "rules" / "alarms.toml", rules)
    alarms = AlarmDesk.open(desk, rules_path=rules, stations=water)
    alarms.feed(
        [
            (NATIONAL, "pH", clock.now, 7.4, "N"),
            (NATIONAL, "DO", clock.now, 7.0, "N"),
            (NATIONAL, "CODMn", clock.now, 3.0, "N"),
            (NATIONAL, "NH3-N", clock.now, 3.0, "N"),  # 劣Ⅴ against target Ⅲ
            (NATIONAL, "TP", clock.now, 0.08, "N"),
        ]
    )
    opened = alarms.evaluate().opened_cases
    assert len(opened) == 1
    return opened[0]


def _create_through_every_path(
    desk: Desk, clock: Clock, tmp_path: Path, resources_dir: Path
) -> dict[str, int]:
    generic = desk.create_case(draft(CaseKind.QUALITY)).id
    emergency = (
        EmergencyDesk(desk, load_emergency_resources(resources_dir))
        .create(
            EmergencyDraft(
                title="京杭大运河奔牛段柴油泄漏",
                district="xinbei",
                type=EmergencyType.WATER_POLLUTION,
                description="运输船碰撞，柴油入河",
                lon=119.80,
                lat=31.85,
            )
        )
        .case.id
    )
    alarm = _alarm_case(desk, clock, tmp_path, resources_dir)
    petition = (
        PetitionDesk.open(desk, attachments_dir=tmp_path / "attachments")
        .intake(
            PetitionDetail(
                channel=Channel.HOTLINE_12369,
                received_at=clock.now,
                subject=Subject.ODOUR,
                description="春江镇化工园区晚上有刺鼻气味",
                petitioner=Petitioner(name="张三", phone="13812345678"),
                address="新北区春江镇某路18号",
                lon=119.97,
                lat=31.95,
            ),
            district="xinbei",
        )
        .case.id
    )
    return {"generic": generic, "emergency": emergency, "alarm": alarm, "petition": petition}


def test_every_path_writes_the_same_shape_of_case(
    desk: Desk, clock: Clock, tmp_path: Path, resources_dir: Path
) -> None:
    published: list[Changed] = []
    desk.events.subscribe(published.append)
    ids = _create_through_every_path(desk, clock, tmp_path, resources_dir)
    assert list(ids.values()) == sorted(ids.values())
    year = reference_year(clock.now)
    with desk.store.read() as conn:
        rows: dict[str, dict[str, Any]] = {
            path: dict(case_records.get_case(conn, case_id)) for path, case_id in ids.items()
        }
        timelines = {
            path: list(case_records.timeline_for(conn, case_id)) for path, case_id in ids.items()
        }
        audits = list(
            conn.execute(audit_log.select().where(audit_log.c.action == "case.create")).mappings()
        )
        case_changes = list(
            conn.execute(changes.select().where(changes.c.topic == "case")).mappings()
        )
    assert {path: row["created_by"] for path, row in rows.items()} == {
        "generic": "admin",
        "emergency": "admin",
        "alarm": SYSTEM_ACTOR,
        "petition": "admin",
    }
    for n, (path, row) in enumerate(rows.items(), start=1):
        set_columns = {name for name, value in row.items() if value is not None}
        assert set_columns == ALWAYS_SET, path
        assert row["reference"] == format_reference(year, n), path
        assert (
            row["kind"]
            == {
                "generic": "quality",
                "emergency": "emergency",
                "alarm": "quality",
                "petition": "petition",
            }[path]
        )
        assert row["status"] == "new" and row["version"] == 1, path
        assert row["created_at"] == row["updated_at"] == clock.now, path
        assert row["updated_by"] == row["created_by"], path
        assert row["due_at"] in (row["response_due_at"], row["resolution_due_at"]), path

        created = [e for e in timelines[path] if e["entry_kind"] == "created"]
        assert len(created) == 1 and timelines[path][0]["entry_kind"] == "created", path
        assert created[0]["to_status"] == "new" and created[0]["actor"] == row["created_by"]
        assert created[0]["at"] == clock.now, path

        audit = [a for a in audits if a["target_id"] == str(row["id"])]
        assert len(audit) == 1, path
        assert audit[0]["target_type"] == "case" and audit[0]["actor"] == row["created_by"]
        payload = json.loads(audit[0]["payload"])
        assert payload["reference"] == row["reference"], path
        assert {k: payload[k] for k in ("kind", "title", "district", "priority")} == {
            k: row[k] for k in ("kind", "title", "district", "priority")
        }, path

        created_rows = [
            c for c in case_changes if c["entity_id"] == row["id"] and c["action"] == "create"
        ]
        assert len(created_rows) == 1 and created_rows[0]["version"] == 1, path
        assert created_rows[0]["origin"] == desk.origin, path
        # After commit every path tells this workstation of the case's creation once (the
        # alarm round too: its queue must show an automatic case at once).
        assert [
            (e.version, e.local)
            for e in published
            if e.topic == "case" and e.entity_id == row["id"] and e.action == "create"
        ] == [(1, True)], path
    assert len(audits) == 4
    assert verify_chain(desk.store).intact
