"""The duplicate finder on a seeded set of petitions written here."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path

import pytest

from dispatch_app.domain.duplicates import (
    DuplicateCandidate,
    DuplicateSettings,
    bigrams,
    duplicate_settings_from_toml,
    find_duplicates,
    haversine_m,
    jaccard,
    normalize_enterprise_name,
)

SH = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 28, 21, 0, tzinfo=SH)
LON, LAT = 119.9500, 31.9200  # a chemical park in Xinbei
CODE = "91320400MA1ABCDE0X"
M_PER_DEG_LAT = 111_195.0  # 2πR/360 with the mean Earth radius


def north(metres: float) -> float:
    return LAT + metres / M_PER_DEG_LAT


PROBE = DuplicateCandidate(
    case_id=None,
    received_at=T0,
    subject="odour",
    text="春江镇化工园区晚上有刺鼻的化学气味，味道很大，窗户都不敢开",
    lon=LON,
    lat=LAT,
    credit_code=CODE,
    enterprise_name="常州某某化工有限公司",
    phone="13812345678",
)

SEEDED = [
    # 1: the same caller, an hour earlier, same place, same factory, nearly the same words.
    DuplicateCandidate(
        1,
        T0 - dt.timedelta(hours=1),
        "odour",
        "春江镇化工园区晚上刺鼻化学气味很大，窗户不敢开",
        LON,
        north(20),
        CODE,
        "常州某某化工有限公司",
        "138 1234 5678",
    ),
    # 2: a neighbour 150 m away, same smell, own words, no enterprise named.
    DuplicateCandidate(
        2,
        T0 - dt.timedelta(days=2),
        "odour",
        "化工园区附近有刺鼻气味，晚上味道很大",
        LON,
        north(150),
        None,
        None,
        "13900001111",
    ),
    # 3: the same enterprise by credit code, reported from 2 km away, about waste water.
    DuplicateCandidate(
        3,
        T0 - dt.timedelta(days=10),
        "water",
        "排污口夜间偷排废水，河水发黑",
        LON,
        north(2000),
        CODE,
        "某某化工",
        "13700002222",
    ),
    # 4: the same enterprise by name only (full-width spaces, no company form), same subject.
    DuplicateCandidate(
        4,
        T0 - dt.timedelta(days=5),
        "odour",
        "工厂排气",
        None,
        None,
        None,
        "常州　某某化工",
        "",
    ),
    # 5: everything the same as 1 but 40 days ago: outside the 30-day window.
    DuplicateCandidate(
        5,
        T0 - dt.timedelta(days=40),
        "odour",
        "春江镇化工园区晚上刺鼻化学气味很大，窗户不敢开",
        LON,
        LAT,
        CODE,
        "常州某某化工有限公司",
        "13812345678",
    ),
    # 6: same subject only, 5 km away: not evidence enough.
    DuplicateCandidate(
        6, T0 - dt.timedelta(days=1), "odour", "垃圾站臭味", LON, north(5000), None, None, ""
    ),
    # 7: unrelated noise complaint across the city.
    DuplicateCandidate(
        7,
        T0 - dt.timedelta(days=3),
        "noise",
        "工地夜间施工噪声扰民",
        119.97,
        31.78,
        None,
        None,
        "13600003333",
    ),
    # 8: the same phone number about something else entirely, 3 km away.
    DuplicateCandidate(
        8,
        T0 - dt.timedelta(days=20),
        "noise",
        "楼下饭店油烟机噪声",
        LON,
        north(3000),
        None,
        None,
        "+86 13812345678",
    ),
]


def test_haversine_against_known_distances() -> None:
    assert haversine_m(0, 0, 1, 0) == pytest.approx(2 * math.pi * 6_371_008.8 / 360, rel=1e-9)
    assert haversine_m(LON, LAT, LON, north(150)) == pytest.approx(150, abs=0.5)
    assert haversine_m(LON, LAT, LON, LAT) == 0


def test_text_similarity_works_for_chinese() -> None:
    a = bigrams("刺鼻气味")
    assert a == {"刺鼻", "鼻气", "气味"}
    assert jaccard(a, bigrams("刺鼻 气味！")) == 1.0
    assert jaccard(a, bigrams("噪声扰民")) == 0.0
    assert jaccard(frozenset(), a) == 0.0
    assert 0 < jaccard(a, bigrams("有刺鼻的味道")) < 1


def test_enterprise_names_normalised() -> None:
    assert normalize_enterprise_name("常州某某化工有限公司") == normalize_enterprise_name(
        "常州　某某化工"
    )
    assert normalize_enterprise_name("ABC Chemical Co., Ltd.") == normalize_enterprise_name(
        "abc chemical"
    )
    assert normalize_enterprise_name("某某化工") != normalize_enterprise_name("某某化纤")


def test_ranking_on_the_seeded_set() -> None:
    matches = find_duplicates(PROBE, SEEDED)
    ids = [m.case_id for m in matches]
    assert ids[0] == 1  # the repeat call
    assert ids[1] == 2  # the neighbour: place, subject and text
    assert set(ids) == {1, 2, 3, 4, 8}
    assert 5 not in ids  # outside the window
    assert 6 not in ids and 7 not in ids  # not enough evidence
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    reasons = {m.case_id: {r.code for r in m.reasons} for m in matches}
    assert reasons[1] == {"place", "subject", "enterprise", "phone", "text"}
    assert reasons[2] == {"place", "subject", "text"}
    assert reasons[3] == {"enterprise"}
    assert reasons[4] == {"subject", "enterprise"}
    assert reasons[8] == {"phone"}
    first = matches[0]
    assert "同一来电号码" in first.reasons_text("zh")
    assert "same phone number" in first.reasons_text("en")
    assert "统一社会信用代码" in first.reasons_text("zh")
    assert any("m apart" in r.en for r in matches[1].reasons)
    # Reasons are listed strongest first.
    contributions = [r.contribution for r in first.reasons]
    assert contributions == sorted(contributions, reverse=True)


def test_window_limit_and_threshold_are_settings() -> None:
    wide = find_duplicates(PROBE, SEEDED, DuplicateSettings(window=dt.timedelta(days=60)))
    assert 5 in [m.case_id for m in wide]
    assert [m.case_id for m in wide][:2] in ([1, 5], [5, 1])
    strict = find_duplicates(PROBE, SEEDED, DuplicateSettings(min_score=0.6))
    assert [m.case_id for m in strict] == [1]
    top2 = find_duplicates(PROBE, SEEDED, DuplicateSettings(limit=2))
    assert [m.case_id for m in top2] == [1, 2]


def test_the_probe_itself_is_skipped_and_ties_are_stable() -> None:
    stored_probe = DuplicateCandidate(**{**PROBE.__dict__, "case_id": 1})
    assert 1 not in [m.case_id for m in find_duplicates(stored_probe, SEEDED)]
    twin_a = DuplicateCandidate(20, T0 - dt.timedelta(days=1), "air", "", phone="13812345678")
    twin_b = DuplicateCandidate(21, T0 - dt.timedelta(days=2), "air", "", phone="13812345678")
    twin_c = DuplicateCandidate(19, T0 - dt.timedelta(days=2), "air", "", phone="13812345678")
    ranked = find_duplicates(PROBE, [twin_b, twin_c, twin_a])
    assert [m.case_id for m in ranked] == [20, 19, 21]  # equal scores: closer in time, then id


def test_no_signal_no_match() -> None:
    empty = DuplicateCandidate(None, T0, "")
    assert find_duplicates(empty, SEEDED) == []
    assert find_duplicates(PROBE, []) == []


def test_settings_from_rules_file(resources_dir: Path) -> None:
    data = tomllib.loads((resources_dir / "rules" / "petitions.toml").read_text("utf-8"))
    s = duplicate_settings_from_toml(data)
    assert s.window == dt.timedelta(days=30)
    assert s.radius_m == 500
    w = s.weights
    assert w.place + w.subject + w.enterprise + w.phone + w.text == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"duplicates\.radius_m"):
        duplicate_settings_from_toml({"duplicates": {"radius_m": -5}})
    with pytest.raises(ValueError, match=r"duplicates\.weights\.text"):
        duplicate_settings_from_toml({"duplicates": {"weights": {"text": "high"}}})
    zero = dict.fromkeys(("place", "subject", "enterprise", "phone", "text"), 0)
    with pytest.raises(ValueError, match="at least one weight"):
        duplicate_settings_from_toml({"duplicates": {"weights": zero}})


def test_identical_text_alone_is_a_match_but_similar_text_alone_is_not() -> None:
    """A copy-pasted online complaint from another account is the same matter; merely
    similar wording from elsewhere about something else is not evidence enough."""
    copy = DuplicateCandidate(
        30,
        T0 - dt.timedelta(days=1),
        "water",
        "春江镇化工园区晚上有刺鼻的化学气味，味道很大！窗户都不敢开。",
    )
    similar = DuplicateCandidate(
        31, T0 - dt.timedelta(days=1), "water", "春江镇化工园区晚上有刺鼻的化学气味，味道很大"
    )
    matches = find_duplicates(PROBE, [copy, similar])
    assert [m.case_id for m in matches] == [30]
    assert [r.code for r in matches[0].reasons] == ["text"]
    assert matches[0].reasons[0].en == "text 100% similar"


def test_place_at_the_edge_of_the_radius() -> None:
    inside = DuplicateCandidate(40, T0, "odour", "", LON, north(490), phone="13812345678")
    outside = DuplicateCandidate(41, T0, "odour", "", LON, north(510), phone="13812345678")
    by_id = {
        m.case_id: {r.code for r in m.reasons} for m in find_duplicates(PROBE, [inside, outside])
    }
    assert "place" in by_id[40]
    assert "place" not in by_id[41]
