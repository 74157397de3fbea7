"""Where the alarm rules are read from and saved to: an administrator's edit goes to the user
config directory (AppPaths.alarm_rules_file), never into the installed package, and is read
from there first; the shipped file stays the defaults."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dispatch_app.config import AppPaths
from dispatch_app.desk import Desk
from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.resources import resource_path
from tests.desk.conftest import FAST_SCRYPT_N, PASSWORD, Clock

SHIPPED = resource_path("rules", "alarms.toml")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_edit_lands_in_the_config_dir_and_the_shipped_rules_stay(
    desk: Desk, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPATCH_DESK_HOME", str(tmp_path / "home"))
    user_file = AppPaths.default().alarm_rules_file
    assert user_file.is_relative_to(tmp_path / "home")
    shipped_before = digest(SHIPPED)

    alarms = AlarmDesk.open(desk)  # no edit yet: the shipped defaults
    assert not user_file.exists()
    assert alarms.rules_text == SHIPPED.read_text(encoding="utf-8")
    assert alarms.rules_path == user_file

    desk.login("admin", PASSWORD)
    start = alarms.rule_set.revision
    alarms.save_rules("# edited on duty\n" + alarms.rules_text, start)

    assert user_file.read_text(encoding="utf-8").startswith("# edited on duty")
    assert f"revision = {start + 1}" in user_file.read_text(encoding="utf-8")
    assert digest(SHIPPED) == shipped_before

    # A desk on another database (nothing saved there) still reads the edit: the file first.
    elsewhere = Desk.open(f"sqlite:///{tmp_path / 'other.db'}", clock=clock, scrypt_n=FAST_SCRYPT_N)
    try:
        fresh = AlarmDesk.open(elsewhere)
        assert fresh.rule_set.revision == start + 1
        assert fresh.rules_text.startswith("# edited on duty")
    finally:
        elsewhere.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_explicit_rules_file_is_read_and_saved_as_before(desk: Desk, tmp_path: Path) -> None:
    rules = tmp_path / "alarms.toml"
    rules.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    alarms = AlarmDesk.open(desk, rules_path=rules)
    desk.login("admin", PASSWORD)
    alarms.save_rules("# mine\n" + alarms.rules_text, alarms.rule_set.revision)
    assert rules.read_text(encoding="utf-8").startswith("# mine")
    assert not AppPaths.default().alarm_rules_file.exists()
