"""Emergencies: what the duty room feels during a response.

A coordination log entry is typed in seconds and must be stored at once (target ≤ 50 ms per
entry); the emergency panel reloads the emergency and its whole log after every action (a long
incident: 1 000 entries, two plans; target ≤ 150 ms); a CAP message is checked against the
CAP 1.2 schema on import and before sending (target ≤ 50 ms). Measured on a real SQLite file
and, when DISPATCH_TEST_PG_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import statistics
import time

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.emergencies import EmergencyDesk, EmergencyDraft, load_emergency_resources
from dispatch_app.domain import cap
from dispatch_app.domain.emergencies import EmergencyType, Figures
from dispatch_app.resources import resources_dir

RESOURCES = resources_dir()
PASSWORD = "correct-horse-9"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


def test_log_append_and_panel_reload(url: str, bench) -> None:  # type: ignore[no-untyped-def]
    desk = Desk.open(url, scrypt_n=2**10)
    try:
        desk.create_first_administrator("admin", "值班管理员", PASSWORD)
        em = EmergencyDesk(desk, load_emergency_resources(RESOURCES))
        view = em.create(
            EmergencyDraft(
                title="京杭大运河奔牛段柴油泄漏",
                district="xinbei",
                type=EmergencyType.WATER_POLLUTION,
                lon=119.82,
                lat=31.875,
                figures=Figures(evacuated=300),
            )
        )
        cid = view.case.id
        em.activate_plan(cid, "water_pollution")
        em.activate_plan(cid, "flood_season_water_quality")
        times = []
        for i in range(1000):
            t0 = time.perf_counter()
            em.log(cid, f"/r 九里断面第{i}次采样 NH3-N {1 + i % 7 * 0.3:.1f} mg/L")
            times.append(time.perf_counter() - t0)
        median = statistics.median(times) * 1000
        p95 = statistics.quantiles(times, n=20)[18] * 1000
        db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        bench(f"log entry stored ({db}, median)", median, "ms", "≤ 50 ms", median <= 50)
        bench(f"log entry stored ({db}, p95)", p95, "ms", "≤ 50 ms", p95 <= 50)
        loads = []
        for _ in range(20):
            t0 = time.perf_counter()
            v = em.get(cid)
            entries = em.log_entries(cid)
            loads.append(time.perf_counter() - t0)
        assert len(entries) >= 1000 and len(v.activations) == 2
        load = statistics.median(loads) * 1000
        bench(f"panel reload, 1 000 entries ({db})", load, "ms", "≤ 150 ms", load <= 150)
    finally:
        desk.close()


def test_cap_schema_check(bench) -> None:  # type: ignore[no-untyped-def]
    import xmlschema

    t0 = time.perf_counter()
    schema = xmlschema.XMLSchema11(str(RESOURCES / "cap" / "CAP-v1.2.xsd"))
    compile_ms = (time.perf_counter() - t0) * 1000
    bench("CAP schema compiled (once per desk)", compile_ms, "ms", "", None)
    from datetime import UTC, datetime

    from dispatch_app.domain.emergencies import EmergencyDetail, make_polygon

    detail = EmergencyDetail(
        EmergencyType.CHEMICAL_RELEASE,
        make_polygon([[119.95 + i * 0.001, 31.78 + (i % 2) * 0.01] for i in range(40)]),
    )
    xml = cap.to_xml(
        cap.emergency_message(
            identifier="CZ-1",
            sent=datetime.now(UTC),
            msg_type=cap.MsgType.ALERT,
            case_reference="CZ-2026-000001",
            title="储罐泄漏",
            description="x" * 2000,
            address="新北区",
            detail=detail,
            level=None,
        )
    )
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        errors = list(schema.iter_errors(xml))
        times.append(time.perf_counter() - t0)
        assert errors == []
    median = statistics.median(times) * 1000
    bench("CAP message checked against the schema", median, "ms", "≤ 50 ms", median <= 50)
