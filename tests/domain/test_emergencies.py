"""Emergency levels from figures (every threshold on both sides), areas, level decisions,
the coordination log's line syntax."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dispatch_app.domain.cases import EmergencyLevel as L
from dispatch_app.domain.emergencies import (
    EmergencyDetail,
    EmergencyType,
    Figures,
    IntakeCut,
    LogKind,
    ResponseLead,
    area_from_json,
    decide_level,
    detail_from_json,
    make_circle,
    make_polygon,
    parse_log_line,
    propose_level,
    response_lead,
    validate_figures,
)
from dispatch_app.domain.errors import PermissionDenied, ValidationError
from dispatch_app.domain.roles import Role

T = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)

# (figure, value, expected level): each bound (inclusive lower) and the value just below it.
BOUNDARIES = [
    ("deaths", 30, L.I),
    ("deaths", 29, L.II),
    ("deaths", 10, L.II),
    ("deaths", 9, L.III),
    ("deaths", 3, L.III),
    ("deaths", 2, L.IV),
    ("deaths", 1, L.IV),
    ("poisoned_or_injured", 100, L.I),
    ("poisoned_or_injured", 99, L.II),
    ("poisoned_or_injured", 50, L.II),
    ("poisoned_or_injured", 49, L.III),
    ("poisoned_or_injured", 10, L.III),
    ("poisoned_or_injured", 9, L.IV),
    ("evacuated", 50_000, L.I),
    ("evacuated", 49_999, L.II),
    ("evacuated", 10_000, L.II),
    ("evacuated", 9_999, L.III),
    ("evacuated", 5_000, L.III),
    ("evacuated", 4_999, L.IV),
    ("direct_loss_yuan", 100_000_000, L.I),
    ("direct_loss_yuan", 99_999_999, L.II),
    ("direct_loss_yuan", 20_000_000, L.II),
    ("direct_loss_yuan", 19_999_999, L.III),
    ("direct_loss_yuan", 5_000_000, L.III),
    ("direct_loss_yuan", 4_999_999, L.IV),
]


@pytest.mark.parametrize(("figure", "value", "level"), BOUNDARIES)
def test_each_threshold_on_both_sides(figure: str, value: int, level: L) -> None:
    proposal = propose_level(Figures(**{figure: value}))
    assert proposal.level is level
    assert [r.figure for r in proposal.reasons] == [figure]


@pytest.mark.parametrize(
    ("cut", "level"),
    [(IntakeCut.PREFECTURE, L.I), (IntakeCut.COUNTY, L.II), (IntakeCut.TOWNSHIP, L.III)],
)
def test_intake_cut_off(cut: IntakeCut, level: L) -> None:
    proposal = propose_level(Figures(intake_cut=cut))
    assert proposal.level is level
    assert "取水中断" in proposal.reasons[0].zh


def test_nothing_reported_is_level_iv_without_reasons() -> None:
    p = propose_level(Figures())
    assert p.level is L.IV and p.reasons == () and p.lead is ResponseLead.COUNTY


def test_highest_level_wins_and_every_decisive_figure_is_named() -> None:
    p = propose_level(
        Figures(deaths=2, poisoned_or_injured=60, evacuated=12_000, intake_cut=IntakeCut.TOWNSHIP)
    )
    assert p.level is L.II
    assert {r.figure for r in p.reasons} == {"poisoned_or_injured", "evacuated"}
    assert len(p.all_reasons) == 4
    assert "中毒或重伤60人" in p.reasons[0].zh


def test_response_lead() -> None:
    assert response_lead(L.I) is ResponseLead.PROVINCE
    assert response_lead(L.II) is ResponseLead.PROVINCE
    assert response_lead(L.III) is ResponseLead.CITY
    assert response_lead(L.IV) is ResponseLead.COUNTY


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"deaths": -1}, "deaths"),
        ({"deaths": 2.5}, "deaths"),
        ({"deaths": "3"}, "deaths"),
        ({"deaths": True}, "deaths"),
        ({"evacuated": 10**9}, "evacuated"),
        ({"intake_cut": "province"}, "intake_cut"),
        ({"injured": 3}, "injured"),
    ],
)
def test_bad_figures_are_refused_naming_the_field(raw: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_figures(raw)
    assert err.value.field == field


def test_whole_floats_are_accepted() -> None:
    assert validate_figures({"deaths": 3.0}).deaths == 3


def test_areas() -> None:
    c = make_circle(119.95, 31.78, 2_000)
    assert area_from_json(c.to_json()) == c
    p = make_polygon([[119.9, 31.7], [120.0, 31.7], [120.0, 31.8]])
    assert p.points[0] == p.points[-1] and len(p.points) == 4
    assert p.contains(119.97, 31.72) and not p.contains(119.8, 31.72)
    assert area_from_json(p.to_json()) == p


@pytest.mark.parametrize(
    "raw",
    [
        {"shape": "circle", "lon": 200, "lat": 31, "radius_m": 10},
        {"shape": "circle", "lon": 119.9, "lat": -91, "radius_m": 10},
        {"shape": "circle", "lon": 119.9, "lat": 31.7, "radius_m": 0},
        {"shape": "circle", "lon": 119.9, "lat": 31.7, "radius_m": float("nan")},
        {"shape": "circle", "lon": "x", "lat": 31.7, "radius_m": 10},
        {"shape": "polygon", "points": [[119.9, 31.7], [120.0, 31.7]]},
        {"shape": "polygon", "points": [[119.9, 31.7], [119.9, 31.7], [119.9, 31.7]]},
        {"shape": "polygon", "points": [[119.9], [120.0, 31.7], [120, 31.8]]},
        {"shape": "square"},
        "circle",
    ],
)
def test_bad_areas(raw: object) -> None:
    with pytest.raises(ValidationError) as err:
        area_from_json(raw)
    assert err.value.field == "area"


def test_level_decision_rules() -> None:
    proposal = propose_level(Figures(deaths=4))  # Ⅲ
    d = decide_level(
        level="III",
        proposal=proposal,
        previous=None,
        role=Role.SHIFT_LEADER,
        username="leader",
        reason="",
        at=T,
    )
    assert d.level is L.III and d.follows_proposal and d.reason == ""
    with pytest.raises(PermissionDenied):
        decide_level(
            level="III",
            proposal=proposal,
            previous=None,
            role=Role.DUTY_OFFICER,
            username="demo",
            reason="x",
            at=T,
        )
    with pytest.raises(ValidationError) as err:  # departing from the proposal needs a reason
        decide_level(
            level="II",
            proposal=proposal,
            previous=None,
            role=Role.SHIFT_LEADER,
            username="leader",
            reason="  ",
            at=T,
        )
    assert err.value.field == "reason"
    with pytest.raises(ValidationError) as err:  # changing a set level needs a reason
        decide_level(
            level="III",
            proposal=proposal,
            previous=L.IV,
            role=Role.SHIFT_LEADER,
            username="leader",
            reason="",
            at=T,
        )
    assert err.value.field == "reason"
    with pytest.raises(ValidationError) as err:
        decide_level(
            level="III",
            proposal=proposal,
            previous=L.III,
            role=Role.SHIFT_LEADER,
            username="leader",
            reason="again",
            at=T,
        )
    assert err.value.key == "error.level_unchanged"
    with pytest.raises(ValidationError):
        decide_level(
            level="V",
            proposal=proposal,
            previous=None,
            role=Role.SHIFT_LEADER,
            username="leader",
            reason="x",
            at=T,
        )
    up = decide_level(
        level="II",
        proposal=proposal,
        previous=L.III,
        role=Role.ADMINISTRATOR,
        username="admin",
        reason="水源地受威胁",
        at=T,
    )
    assert up.previous is L.III and not up.follows_proposal


def test_detail_round_trip_and_bad_detail() -> None:
    d = EmergencyDetail(
        EmergencyType.CHEMICAL_RELEASE,
        make_circle(119.95, 31.78, 500),
        Figures(evacuated=300),
        ("AQ-N-01",),
        exercise=True,
        wind_from_deg=45,
    )
    assert detail_from_json(d.to_json()) == d
    with pytest.raises(ValidationError) as err:
        detail_from_json({**d.to_json(), "type": "earthquake"})
    assert err.value.field == "type"
    with pytest.raises(ValidationError) as err:
        detail_from_json({**d.to_json(), "wind_from_deg": 400})
    assert err.value.field == "wind_from_deg"


def test_log_line_prefixes() -> None:
    assert parse_log_line("/d 启动水污染预案") == (LogKind.DECISION, "启动水污染预案")
    assert parse_log_line("/C 市政府来电") == (LogKind.CALL, "市政府来电")
    assert parse_log_line("/r 五牧 NH3-N 3.2") == (LogKind.READING, "五牧 NH3-N 3.2")
    assert parse_log_line("/s 武进分局出发") == (LogKind.DISPATCH, "武进分局出发")
    assert parse_log_line("现场天气晴") == (LogKind.NOTE, "现场天气晴")
    assert parse_log_line("/x 未知前缀") == (LogKind.NOTE, "/x 未知前缀")
    for bad in ("", "   ", "/d   ", "x" * 4001):
        with pytest.raises(ValidationError):
            parse_log_line(bad)


def test_figures_text() -> None:
    from dispatch_app.domain.emergencies import figures_text_zh

    assert figures_text_zh(Figures()) == "无人员伤亡及损失报告"
    assert (
        figures_text_zh(Figures(deaths=2, evacuated=12_000, intake_cut=IntakeCut.COUNTY))
        == "死亡2人，疏散转移12,000人，县级城市饮用水水源地取水中断"
    )


def test_monitoring_task_timing_and_samples() -> None:
    from datetime import timedelta

    from dispatch_app.domain.emergency_monitoring import (
        MonitoringTask,
        TaskStatus,
        validate_sample,
    )
    from dispatch_app.domain.errors import IllegalTransition

    task = MonitoringTask("WQ-N-01", ("NH3-N",), 30, "monitoring-center", T)
    assert task.status(T + timedelta(minutes=30)) is TaskStatus.ON_TIME
    assert task.status(T + timedelta(minutes=30, seconds=1)) is TaskStatus.OVERDUE
    later = MonitoringTask(
        "WQ-N-01", ("NH3-N",), 30, "monitoring-center", T, T + timedelta(minutes=25), 1
    )
    assert later.next_due_at == T + timedelta(minutes=55)
    assert validate_sample(task, {"NH3-N": 2}) == {"NH3-N": 2.0}
    for bad in ({}, {"TP": 1.0}, {"NH3-N": -1.0}, {"NH3-N": "2"}, {"NH3-N": float("inf")}):
        with pytest.raises(ValidationError):
            validate_sample(task, bad)
    ended = MonitoringTask("WQ-N-01", ("NH3-N",), 30, "m", T, ended_at=T)
    assert ended.status(T) is TaskStatus.ENDED
    with pytest.raises(IllegalTransition):
        validate_sample(ended, {"NH3-N": 1.0})
