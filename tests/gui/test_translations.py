"""Every visible string has its Chinese translation, and the compiled .qm matches its .ts.

Strings are collected the way the release does it (pyside6-lupdate over ui/), so a tr() added
without a translation fails here, not in front of a duty officer.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dispatch_app.resources import resources_dir

ROOT = Path(__file__).resolve().parents[2]
I18N = resources_dir() / "i18n"
BIN = Path(sys.executable).parent

AREA_OF_PACKAGE = {
    # Each ui package's strings go to one area's .ts (kept in step with files_for in
    # scripts/update_translations.sh).
    "shell": "desk", "cases": "desk", "stations": "feed", "wall": "wall",
    "petitions": "petition", "emergencies": "emergency", "alarms": "alarm",
}  # fmt: skip
AREA_OF_FILE = {
    # Files kept in another area's .ts than their package's (OWN_AREA in the script).
    "shell/feed_bridge.py": "feed",
    "cases/closure_requests.py": "closure",
}


def area_of(path: Path) -> str:
    """Which area's .ts holds the strings of ui file ``path`` (relative to ui/), by the split
    of scripts/update_translations.sh: the desk shell and the cases, the feed (stations/ and the
    feed bridge), the wall (with its charts and map), and any other part by its package."""
    if path.as_posix() in AREA_OF_FILE:
        return AREA_OF_FILE[path.as_posix()]
    return AREA_OF_PACKAGE.get(path.parts[0], path.parts[0])


def _areas() -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for p in sorted((ROOT / "ui").rglob("*.py")):
        if p.name == "__init__.py":
            continue
        out.setdefault(area_of(p.relative_to(ROOT / "ui")), []).append(p)
    return out


def _messages(ts: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation ('' when unfinished)."""
    out: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            tr = m.find("translation")
            finished = tr is not None and tr.get("type") not in (
                "unfinished",
                "obsolete",
                "vanished",
            )
            text = (tr.text or "").strip() if tr is not None else ""
            if tr is not None and m.get("numerus") == "yes":
                text = " ".join((f.text or "").strip() for f in tr.findall("numerusform"))
            out[(name, m.findtext("source") or "")] = text if finished else ""
    return out


def _collected(files: list[Path], tmp_path: Path) -> dict[tuple[str, str], str]:
    target = tmp_path / "collected.ts"
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), *map(str, files), "-ts", str(target)],
        check=True,
        capture_output=True,
    )
    return _messages(target)


@pytest.mark.parametrize("area", sorted(_areas()))
def test_every_ui_string_has_a_chinese_translation(area: str, tmp_path: Path) -> None:
    ts = I18N / f"{area}_zh_CN.ts"
    files = _areas()[area]
    if area != "desk" and not ts.exists():
        pytest.skip(f"{ts.name} does not exist yet (the {area} part has not added translations)")
    translated: dict[tuple[str, str], str] = {}
    for other in I18N.glob("*_zh_CN.ts"):
        translated.update({k: v for k, v in _messages(other).items() if v})
    collected = _collected(files, tmp_path)
    assert collected, "lupdate found no strings: is the tool broken?"
    missing = sorted(f"{ctx}: {src!r}" for ctx, src in collected if not translated.get((ctx, src)))
    assert missing == [], (
        f"{len(missing)} strings of {area} have no Chinese translation:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("ts", sorted(I18N.glob("*_zh_CN.ts")), ids=lambda p: p.name)
def test_compiled_qm_matches_its_ts(ts: Path, tmp_path: Path) -> None:
    qm = ts.with_suffix(".qm")
    assert qm.exists(), f"{qm.name} missing: run scripts/update_translations.sh"
    fresh = tmp_path / qm.name
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(fresh)], check=True, capture_output=True
    )
    assert fresh.read_bytes() == qm.read_bytes(), (
        f"{qm.name} is stale: run scripts/update_translations.sh and commit both files"
    )


def test_desk_translation_never_left_untranslated_in_chinese() -> None:
    """A 'translation' equal to the English source usually means it was skipped."""
    allowed = {"P1", "P2", "P3", "P4"}
    same = [
        f"{ctx}: {src!r}"
        for (ctx, src), text in _messages(I18N / "desk_zh_CN.ts").items()
        if text == src and src not in allowed and any(c.isalpha() for c in src)
    ]
    assert same == []
