"""Loading the petition rules files: the shipped ones load, broken ones name the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dispatch_app.desk.petitions import PetitionRulesError, load_petition_rules
from dispatch_app.domain.petitions import Subject


def test_shipped_rules_load(resources_dir: Path) -> None:
    rules = load_petition_rules(resources_dir)
    assert rules.deadlines.handling_days == 60
    assert rules.privacy.may_unmask("shift_leader")
    assert set(rules.open311.service_codes) == set(Subject)
    assert rules.calendar.years[2026].provisional is False


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("petitions.toml", "[statutory\n", "not valid TOML"),
        ("petitions.toml", "[statutory]\nhandling_days = -60\n", "handling_days"),
        ("petitions.toml", "[open311.service_codes]\nair = 'A'\n", "no code for"),
        ("holidays.toml", "[[year]]\nyear = 2026\n[[year.holiday]]\ndate = 'x'\n", "holidays.toml"),
    ],
)
def test_broken_rules_name_the_file(
    resources_dir: Path, tmp_path: Path, file: str, text: str, message: str
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(resources_dir / "rules", rules)
    (rules / file).write_text(text, encoding="utf-8")
    with pytest.raises(PetitionRulesError, match=message) as exc:
        load_petition_rules(tmp_path)
    assert file in str(exc.value)


def test_missing_rules_file(resources_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(resources_dir / "rules", tmp_path / "rules")
    (tmp_path / "rules" / "holidays.toml").unlink()
    with pytest.raises(PetitionRulesError, match="not found"):
        load_petition_rules(tmp_path)
