"""Open311 GeoReport v2 import (with malformed records) and masked export."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.open311 import (
    ExportItem,
    Open311Settings,
    export_service_requests,
    import_service_requests,
    open311_settings_from_toml,
)
from dispatch_app.domain.petitions import (
    Channel,
    PetitionDetail,
    Petitioner,
    Subject,
    validate_petition,
)

SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 28, 23, 0, tzinfo=SH)


@pytest.fixture(scope="module")
def settings(resources_dir: Path) -> Open311Settings:
    data = tomllib.loads((resources_dir / "rules" / "petitions.toml").read_text("utf-8"))
    return open311_settings_from_toml(data)


def good(rid: str, **kw: object) -> dict[str, object]:
    record: dict[str, object] = {
        "service_request_id": rid,
        "status": "open",
        "service_code": "ENV-ODOUR",
        "service_name": "异味",
        "description": "小区旁工厂夜间排放刺鼻气体",
        "requested_datetime": "2026-11-28T20:15:00+08:00",
        "address": "新北区春江镇某路",
        "lat": 31.92,
        "long": 119.95,
        "media_url": "https://12345.example/media/1.jpg",
    }
    record.update(kw)
    return record


def test_every_subject_has_a_distinct_code(settings: Open311Settings) -> None:
    assert set(settings.service_codes) == set(Subject)
    for subject, code in settings.service_codes.items():
        assert settings.subject_for(code) is subject
    assert settings.default_channel is Channel.HOTLINE_12345


def test_import_keeps_good_records_and_reports_each_bad_one(settings: Open311Settings) -> None:
    records: list[object] = [
        good("A1"),
        good(
            "A2",
            status="CLOSED",
            service_code="ENV-NOISE",
            first_name="三",
            last_name="张",
            phone="13812345678",
        ),
        "not an object",
        good("B1", status="pending"),
        good("B2", service_code="POTHOLE"),
        good("B3", requested_datetime="2026-11-28 20:15"),
        good("B4", requested_datetime="yesterday"),
        good("B5", lat=51.5, long=-0.12),  # London: not in Changzhou
        good("B6", lat="north"),
        good("B7", description=""),
        {k: v for k, v in good("x").items() if k != "service_request_id"},
        good("A1"),  # repeated id
        good("B8", requested_datetime="2027-01-01T00:00:00+08:00"),  # in the future
        good("B9", lat=31.92, long=None),
        good("A3", lat=None, long=None, address="", media_url=None),
        good("B10", first_name="李", phone="12345"),
        good("B11", service_code=["ENV-AIR"]),
    ]
    result = import_service_requests(json.dumps(records, ensure_ascii=False), settings, NOW)
    assert [a.service_request_id for a in result.accepted] == ["A1", "A2", "A3"]
    rejected = {(r.index, r.service_request_id): r for r in result.rejected}
    expected_fields = {
        (2, None): "record",
        (3, "B1"): "status",
        (4, "B2"): "service_code",
        (5, "B3"): "requested_datetime",
        (6, "B4"): "requested_datetime",
        (7, "B5"): "long",
        (8, "B6"): "lat",
        (9, "B7"): "description",
        (10, None): "service_request_id",
        (11, "A1"): "service_request_id",
        (12, "B8"): "requested_datetime",
        (13, "B9"): "long",
        (15, "B10"): "phone",
        (16, "B11"): "service_code",
    }
    assert {k: r.field for k, r in rejected.items()} == expected_fields
    assert "UTC offset" in rejected[(5, "B3")].reason_en
    assert "POTHOLE" in rejected[(4, "B2")].reason_en
    assert "twice" in rejected[(11, "A1")].reason_en
    assert "swapped" in rejected[(7, "B5")].reason_en or "outside" in rejected[(7, "B5")].reason_en
    assert all(r.reason_zh for r in result.rejected)

    a1, a2, a3 = result.accepted
    assert a1.detail.subject is Subject.ODOUR
    assert a1.detail.channel is Channel.HOTLINE_12345
    assert a1.detail.received_at == dt.datetime(2026, 11, 28, 12, 15, tzinfo=dt.UTC)
    assert (a1.detail.lon, a1.detail.lat) == (119.95, 31.92)
    assert a1.detail.petitioner.anonymous
    assert a1.detail.external_ref == "A1"
    assert a1.media_url.endswith("1.jpg")
    assert a2.status == "closed"
    assert a2.detail.subject is Subject.NOISE
    assert a2.detail.petitioner.name == "张三"  # Chinese order: family name first
    assert a2.detail.petitioner.phone == "13812345678"
    assert a3.detail.lon is None and a3.media_url == ""


def test_wrapped_documents_and_unreadable_documents(settings: Open311Settings) -> None:
    wrapped = import_service_requests({"service_requests": [good("W1")]}, settings, NOW)
    assert [a.service_request_id for a in wrapped.accepted] == ["W1"]
    for payload in ("{not json", b"\xff\xfe", json.dumps({"a": 1}), 42):
        with pytest.raises(ValidationError) as exc:
            import_service_requests(payload, settings, NOW)
        assert exc.value.field == "payload"
    assert import_service_requests("[]", settings, NOW).accepted == ()


def _petition() -> PetitionDetail:
    return validate_petition(
        PetitionDetail(
            channel=Channel.HOTLINE_12369,
            received_at=dt.datetime(2026, 11, 28, 21, 40, tzinfo=SH),
            subject=Subject.WATER,
            description="来电人13812341234反映河道发黑，身份证11010519491231002X",
            petitioner=Petitioner(name="张三", phone="13812341234", id_number="11010519491231002X"),
            address="武进区某河段",
            lon=119.96,
            lat=31.70,
        ),
        NOW,
    )


def test_export_masks_by_default(settings: Open311Settings) -> None:
    item = ExportItem(
        "DD-42",
        _petition(),
        "open",
        status_notes="已派执法分局，联系人13900001111",
        expected_at=dt.datetime(2027, 1, 27, 16, tzinfo=dt.UTC),
    )
    (record,) = export_service_requests([item], settings)
    text = json.dumps(record, ensure_ascii=False)
    assert "13812341234" not in text and "138****1234" in text
    assert "11010519491231002X" not in text
    assert "13900001111" not in text
    assert record["first_name"] == "张*"
    assert record["phone"] == "138****1234"
    assert record["service_code"] == "ENV-WATER"
    assert record["requested_datetime"] == "2026-11-28T21:40:00+08:00"
    assert record["expected_datetime"] == "2027-01-28T00:00:00+08:00"
    assert record["agency_responsible"] == settings.agency_responsible
    assert (record["lat"], record["long"]) == (31.70, 119.96)
    for field in (
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "lat",
        "long",
        "media_url",
    ):
        assert field in record


def test_export_unmasked_on_request_never_includes_the_id(settings: Open311Settings) -> None:
    (record,) = export_service_requests(
        [ExportItem("DD-42", _petition(), "closed")], settings, unmasked=True
    )
    assert record["phone"] == "13812341234"
    assert record["first_name"] == "张三"
    assert "13812341234" in record["description"]
    assert "id_number" not in record
    with pytest.raises(ValueError, match="open or closed"):
        export_service_requests([ExportItem("DD-1", _petition(), "pending")], settings)


def test_round_trip_export_then_import(settings: Open311Settings) -> None:
    original = _petition()
    for unmasked in (False, True):
        exported = export_service_requests(
            [ExportItem("DD-42", original, "open")], settings, unmasked=unmasked
        )
        back = import_service_requests(json.dumps(exported, ensure_ascii=False), settings, NOW)
        assert back.rejected == ()
        (item,) = back.accepted
        assert item.detail.subject is original.subject
        assert item.detail.received_at == original.received_at
        assert (item.detail.lon, item.detail.lat) == (original.lon, original.lat)
        assert item.detail.address == original.address
        assert item.service_request_id == "DD-42"
        if unmasked:
            assert item.detail.petitioner.phone == "13812341234"
            assert item.detail.petitioner.name == "张三"
        else:
            # Masked values are withheld data: read as absent, never stored as 138****1234.
            assert item.detail.petitioner.anonymous
            assert item.detail.petitioner.phone == ""


def test_malformed_settings() -> None:
    with pytest.raises(ValueError, match="no code for"):
        open311_settings_from_toml({"open311": {"service_codes": {"air": "A"}}})
    codes = {s.value: "SAME" for s in Subject}
    with pytest.raises(ValueError, match="share one"):
        open311_settings_from_toml({"open311": {"service_codes": codes}})
    with pytest.raises(ValueError, match="not a subject"):
        open311_settings_from_toml({"open311": {"service_codes": {"smell": "X"}}})
    full = {s.value: s.value.upper() for s in Subject}
    with pytest.raises(ValueError, match="default_channel"):
        open311_settings_from_toml({"open311": {"service_codes": full, "default_channel": "fax"}})
