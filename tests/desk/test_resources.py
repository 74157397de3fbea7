"""A broken unit registry or rules file stops the desk with a message naming the file and the
entry; the shipped files load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.registry import load_deadline_rules, load_units
from dispatch_app.domain.deadlines import DeadlineRulesError
from dispatch_app.domain.units import UnitRegistryError


@pytest.fixture
def resources(tmp_path: Path, resources_dir: Path) -> Path:
    target = tmp_path / "resources"
    (target / "rules").mkdir(parents=True)
    shutil.copy(resources_dir / "units.toml", target / "units.toml")
    shutil.copy(resources_dir / "rules" / "deadlines.toml", target / "rules" / "deadlines.toml")
    return target


def test_shipped_files_load(resources_dir: Path) -> None:
    assert len(load_units(resources_dir / "units.toml").units) == 34
    assert len(load_deadline_rules(resources_dir / "rules" / "deadlines.toml").targets) == 16


def test_corrupt_units_file(resources: Path, sqlite_url: str) -> None:
    (resources / "units.toml").write_text("[[unit]\nid = ", encoding="utf-8")
    with pytest.raises(UnitRegistryError, match=r"units\.toml is not valid TOML"):
        Desk.open(sqlite_url, resources_dir=resources)


def test_units_file_with_a_bad_entry(resources: Path, sqlite_url: str) -> None:
    text = (resources / "units.toml").read_text(encoding="utf-8")
    (resources / "units.toml").write_text(
        text.replace('district = "wujin"', 'district = "wuxi"', 1), encoding="utf-8"
    )
    with pytest.raises(UnitRegistryError, match=r"unit branch-wujin: unknown district 'wuxi'"):
        Desk.open(sqlite_url, resources_dir=resources)


def test_missing_rules_file(resources: Path, sqlite_url: str) -> None:
    (resources / "rules" / "deadlines.toml").unlink()
    with pytest.raises(DeadlineRulesError, match=r"deadlines\.toml not found"):
        Desk.open(sqlite_url, resources_dir=resources)


def test_rules_file_not_utf8(resources: Path) -> None:
    (resources / "rules" / "deadlines.toml").write_bytes(b"\xff\xfe[quality]")
    with pytest.raises(DeadlineRulesError, match="not UTF-8"):
        load_deadline_rules(resources / "rules" / "deadlines.toml")
