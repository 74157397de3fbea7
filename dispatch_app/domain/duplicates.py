"""Likely-duplicate petitions, ranked, each with the reasons shown.

The same smell from the same factory brings ten calls in an evening; the officer must see at
intake that this call is the eleventh, and merge. Evidence is combined as a weighted sum of
independent signals, each in [0, 1]:

- place: haversine distance under a radius (closer scores higher);
- subject: the same subject (air, water, noise …);
- enterprise: the same unified social credit code, or the same name once normalised (full-width
  folded, punctuation and company-form suffixes such as 有限公司 removed);
- phone: the same petitioner number;
- text: Jaccard similarity of character bigrams, which works for Chinese without a word
  segmenter and for mixed Chinese/Latin text.

Only petitions received within a time window around the probe count. Every match carries its
reasons in Chinese and English so the officer can judge rather than trust a number.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


@dataclass(frozen=True)
class DuplicateWeights:
    place: float = 0.25
    subject: float = 0.10
    enterprise: float = 0.25
    phone: float = 0.20
    text: float = 0.20


@dataclass(frozen=True)
class DuplicateSettings:
    window: dt.timedelta = dt.timedelta(days=30)
    radius_m: float = 500.0
    min_score: float = 0.20
    text_min_similarity: float = 0.25
    weights: DuplicateWeights = DuplicateWeights()
    limit: int = 20


def duplicate_settings_from_toml(data: Mapping[str, Any]) -> DuplicateSettings:
    """Read [duplicates] of resources/rules/petitions.toml, with clear errors."""
    section = data.get("duplicates", {})

    def number(key: str, default: float, low: float, high: float) -> float:
        value = section.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise ValueError(
                f"duplicates.{key}: expected a number in [{low}, {high}], got {value!r}"
            )
        return float(value)

    raw_w = section.get("weights", {})
    w = {}
    for name in ("place", "subject", "enterprise", "phone", "text"):
        value = raw_w.get(name, getattr(DuplicateWeights, name))
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"duplicates.weights.{name}: expected a number ≥ 0, got {value!r}")
        w[name] = float(value)
    if sum(w.values()) <= 0:
        raise ValueError("duplicates.weights: at least one weight must be positive")
    return DuplicateSettings(
        window=dt.timedelta(days=number("window_days", 30, 1, 3650)),
        radius_m=number("radius_m", 500, 1, 100_000),
        min_score=number("min_score", 0.20, 0, 1),
        text_min_similarity=number("text_min_similarity", 0.25, 0, 1),
        weights=DuplicateWeights(**w),
    )


@dataclass(frozen=True)
class DuplicateCandidate:
    """What the finder needs of a petition (a stored case or the one being taken)."""

    case_id: int | None
    received_at: dt.datetime
    subject: str
    text: str = ""
    lon: float | None = None
    lat: float | None = None
    credit_code: str | None = None
    enterprise_name: str | None = None
    phone: str = ""


@dataclass(frozen=True)
class MatchReason:
    code: str  # place | subject | enterprise | phone | text
    contribution: float  # how much this reason added to the score
    zh: str
    en: str


@dataclass(frozen=True)
class DuplicateMatch:
    case_id: int | None
    score: float  # 0..1
    reasons: tuple[MatchReason, ...]
    candidate: DuplicateCandidate

    def reasons_text(self, lang: str = "zh") -> str:
        sep = "；" if lang.startswith("zh") else "; "
        return sep.join(r.zh if lang.startswith("zh") else r.en for r in self.reasons)


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS 84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Company-form words that differ between how callers and registries name the same enterprise.
_COMPANY_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "分公司",
    "公司",
    "厂",
    "co.,ltd",
    "coltd",
    "ltd",
)


def normalize_text(text: str) -> str:
    """NFKC (folds full-width forms), lower case, punctuation and spaces removed."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def normalize_enterprise_name(name: str) -> str:
    """'常州 某某化工有限公司' and '常州某某化工' compare equal."""
    text = normalize_text(name)
    changed = True
    while changed and text:
        changed = False
        for form in _COMPANY_FORMS:
            if text.endswith(form) and len(text) > len(form) + 1:
                text = text[: -len(form)]
                changed = True
    return text


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the normalised text; a single character is its own gram."""
    return _bigrams_of(normalize_text(text))


def _bigrams_of(norm: str) -> frozenset[str]:
    if len(norm) < 2:
        return frozenset({norm}) if norm else frozenset()
    return frozenset({norm[i : i + 2] for i in range(len(norm) - 1)})


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


class _Prepared:
    """A candidate with its normalised keys, each computed at most once and only when needed.

    The finder runs while the officer is on the phone, over a month of petitions: most
    candidates are ruled out by the cheap signals alone, so their text and enterprise name
    are never normalised.
    """

    __slots__ = ("_enterprise", "_grams", "_norm", "c", "credit_code", "phone")

    def __init__(self, c: DuplicateCandidate) -> None:
        self.c = c
        self.credit_code = (c.credit_code or "").strip().upper()
        phone = c.phone
        if not phone.isdigit():
            phone = "".join(ch for ch in phone if ch.isdigit())
        self.phone = phone[-11:]
        self._norm: str | None = None
        self._grams: frozenset[str] | None = None
        self._enterprise: str | None = None

    @property
    def norm(self) -> str:
        if self._norm is None:
            self._norm = normalize_text(self.c.text)
        return self._norm

    @property
    def grams(self) -> frozenset[str]:
        if self._grams is None:
            self._grams = _bigrams_of(self.norm)
        return self._grams

    @property
    def enterprise(self) -> str:
        if self._enterprise is None:
            self._enterprise = normalize_enterprise_name(self.c.enterprise_name or "")
        return self._enterprise


def _prepare(c: DuplicateCandidate) -> _Prepared:
    return _Prepared(c)


_SUBJECT_ZH = {
    "air": "大气污染",
    "water": "水污染",
    "noise": "噪声污染",
    "odour": "恶臭异味",
    "solid_waste": "固体废物",
    "soil": "土壤污染",
    "radiation": "辐射",
    "other": "其他",
}


def _score(p: _Prepared, q: _Prepared, s: DuplicateSettings) -> DuplicateMatch | None:
    w = s.weights
    total_w = w.place + w.subject + w.enterprise + w.phone + w.text
    reasons: list[MatchReason] = []
    a, b = p.c, q.c
    if a.lon is not None and a.lat is not None and b.lon is not None and b.lat is not None:
        # A cheap box test first: a degree of latitude is about 111 km, and in Changzhou a
        # degree of longitude about 95 km, so a gap larger than radius/90 km cannot be near.
        box = s.radius_m / 90_000
        if abs(a.lat - b.lat) <= box and abs(a.lon - b.lon) <= box * 1.2:
            d = haversine_m(a.lon, a.lat, b.lon, b.lat)
            if d <= s.radius_m:
                # Full weight within a tenth of the radius (same building), falling to a third
                # at the edge: two calls 450 m apart are still worth a look.
                closeness = 1.0 if d <= s.radius_m / 10 else 1.0 - (2 / 3) * (d / s.radius_m)
                reasons.append(
                    MatchReason(
                        "place",
                        w.place * closeness / total_w,
                        f"地点相距{d:.0f}米",
                        f"{d:.0f} m apart",
                    )
                )
    if a.subject and a.subject == b.subject:
        reasons.append(
            MatchReason(
                "subject",
                w.subject / total_w,
                f"同为{_SUBJECT_ZH.get(b.subject, b.subject)}",
                f"same subject ({b.subject})",
            )
        )
    if p.credit_code and p.credit_code == q.credit_code:
        reasons.append(
            MatchReason(
                "enterprise",
                w.enterprise / total_w,
                f"同一被投诉企业（统一社会信用代码{q.credit_code}）",
                f"same enterprise (credit code {q.credit_code})",
            )
        )
    elif a.enterprise_name and b.enterprise_name and p.enterprise and p.enterprise == q.enterprise:
        reasons.append(
            MatchReason(
                "enterprise",
                w.enterprise / total_w,
                f"同一被投诉企业（{b.enterprise_name}）",
                f"same enterprise ({b.enterprise_name})",
            )
        )
    if p.phone and len(p.phone) >= 7 and p.phone == q.phone:
        reasons.append(
            MatchReason(
                "phone",
                w.phone / total_w,
                "同一来电号码",
                "same phone number",
            )
        )
    cheap = sum(r.contribution for r in reasons)
    # The text can add at most w.text·similarity; skip the bigrams when even identical text
    # could not lift the score over the threshold.
    needed = max(s.text_min_similarity, (s.min_score - cheap) * total_w / w.text if w.text else 2)
    if w.text and needed <= 1.0 and a.text and b.text:
        # Only identical text could qualify on its own: compare the normalised strings, which
        # is far cheaper than building bigram sets for every unrelated petition of the month.
        if needed >= 1.0 - 1e-9:
            sim = 1.0 if p.norm == q.norm else 0.0
        else:
            sim = jaccard(p.grams, q.grams)
        if sim >= needed - 1e-9 or (sim >= s.text_min_similarity and cheap >= s.min_score):
            reasons.append(
                MatchReason(
                    "text",
                    w.text * sim / total_w,
                    f"内容相似度{sim:.0%}",
                    f"text {sim:.0%} similar",
                )
            )
    score = sum(r.contribution for r in reasons)
    if not reasons or score < s.min_score - 1e-9:  # tolerance: weights are decimal fractions
        return None
    reasons.sort(key=lambda r: -r.contribution)
    return DuplicateMatch(b.case_id, round(min(1.0, score), 4), tuple(reasons), b)


def find_duplicates(
    probe: DuplicateCandidate,
    candidates: Iterable[DuplicateCandidate],
    settings: DuplicateSettings | None = None,
) -> list[DuplicateMatch]:
    """Candidates likely to be the same matter as ``probe``, best first.

    Candidates outside ``settings.window`` of the probe's receiving time, and the probe itself
    (same case id), are skipped. Ties are broken by the closer receiving time, then case id,
    so the ranking is stable between calls.
    """
    s = settings or DuplicateSettings()
    p = _prepare(probe)
    matches: list[DuplicateMatch] = []
    for c in candidates:
        if probe.case_id is not None and c.case_id == probe.case_id:
            continue
        if abs(c.received_at - probe.received_at) > s.window:
            continue
        m = _score(p, _prepare(c), s)
        if m is not None:
            matches.append(m)
    matches.sort(
        key=lambda m: (
            -m.score,
            abs(m.candidate.received_at - probe.received_at),
            m.case_id if m.case_id is not None else -1,
        )
    )
    return matches[: s.limit]
