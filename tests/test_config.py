"""Settings and launch options (Qt-free): defaults, arguments over settings, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dispatch_app.app import DataServiceLink, launched, prepare
from dispatch_app.config import (
    AppPaths,
    Settings,
    SettingsError,
    describe_database,
    load_settings,
    save_settings,
)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")


def test_defaults_without_a_settings_file(paths: AppPaths) -> None:
    options = prepare([], paths=paths)
    assert options.language == "zh" and options.theme == "dark"
    assert options.database_url == f"sqlite:///{paths.data_dir / 'desk.db'}"
    assert options.data_service_url is None  # embedded service
    assert options.settings_problem is None
    assert not options.demo and options.temporary_dir is None


def test_arguments_override_settings(paths: AppPaths) -> None:
    paths.ensure()
    save_settings(paths.settings_file, Settings(language="en", theme="light", font_pt=16))
    options = prepare([], paths=paths)
    assert (options.language, options.theme, options.font_pt) == ("en", "light", 16)
    options = prepare(
        [
            "--lang",
            "zh",
            "--theme",
            "dark",
            "--db",
            "postgresql+psycopg://u@db.example:5432/desk",
            "--data-service",
            "http://127.0.0.1:8765/",
        ],
        paths=paths,
    )
    assert (options.language, options.theme) == ("zh", "dark")
    assert options.database_url == "postgresql+psycopg://u@db.example:5432/desk"
    assert options.data_service_url == "http://127.0.0.1:8765"


def test_settings_round_trip(paths: AppPaths) -> None:
    s = Settings(language="en", theme="light", font_pt=18, database_url="sqlite:///x.db")
    save_settings(paths.settings_file, s)
    loaded = load_settings(paths.settings_file)
    assert loaded.settings == s and loaded.problem is None
    assert not paths.settings_file.with_name("settings.json.tmp").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"theme": "dark", "language": ', "not valid JSON"),
        ("[1, 2, 3]", "JSON object"),
        ('{"theme": "purple"}', "theme must be one of"),
        ('{"font_pt": 4}', "font_pt must be between"),
        ('{"font_pt": "big"}', "whole number"),
        ('{"database_url": "mysql://x"}', "not supported"),
        ('{"data_service_url": "ftp://x"}', "http or https"),
        ('{"colour": "dark"}', "unknown settings: colour"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_corrupt_settings_file_is_set_aside_and_defaults_used(
    paths: AppPaths, content: str | bytes, reason: str
) -> None:
    paths.ensure()
    raw = content.encode() if isinstance(content, str) else content
    paths.settings_file.write_bytes(raw)
    options = prepare([], paths=paths)
    assert options.settings == Settings()
    assert options.settings_problem is not None and reason in options.settings_problem
    bad = paths.settings_file.with_name("settings.json.bad")
    assert bad.read_bytes() == raw  # kept for the administrator, byte for byte
    assert str(bad) in options.settings_problem
    assert not paths.settings_file.exists()
    # The next start is clean: the bad file does not come back.
    assert prepare([], paths=paths).settings_problem is None


def test_unreadable_settings_file_is_reported(paths: AppPaths) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    paths.ensure()
    paths.settings_file.write_text("{}", encoding="utf-8")
    paths.settings_file.chmod(0)
    loaded = load_settings(paths.settings_file)
    assert loaded.problem is not None and "cannot read" in loaded.problem


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--db", "oracle://x"], "not supported"),
        (["--db", "  "], "non-empty"),
        (["--data-service", "localhost:8000"], "http://host:port"),
    ],
)
def test_bad_arguments_are_refused_clearly(paths: AppPaths, argv: list[str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        prepare(argv, paths=paths)


def test_unknown_language_is_refused_by_the_parser(paths: AppPaths) -> None:
    with pytest.raises(SystemExit):
        prepare(["--lang", "fr"], paths=paths)


def test_demo_uses_a_temporary_database_removed_at_exit(paths: AppPaths) -> None:
    options = prepare(["--demo"], paths=paths)
    assert options.demo and options.temporary_dir is not None
    assert options.database_url == f"sqlite:///{options.temporary_dir / 'demo.db'}"
    (options.temporary_dir / "demo.db").write_bytes(b"x")
    with launched(options) as link:
        assert isinstance(link, DataServiceLink) and link.embedded
    assert not options.temporary_dir.exists()


def test_screenshot_implies_demo_unless_a_database_is_given(
    paths: AppPaths, tmp_path: Path
) -> None:
    shots = prepare(["--screenshot", str(tmp_path / "shots")], paths=paths)
    assert shots.demo and shots.screenshot_dir == tmp_path / "shots"
    assert shots.temporary_dir is not None
    shots.temporary_dir.rmdir()
    own = prepare(["--screenshot", str(tmp_path), "--db", "sqlite:///x.db"], paths=paths)
    assert not own.demo


def test_given_data_service_is_used_as_is(paths: AppPaths) -> None:
    options = prepare(["--data-service", "http://10.0.0.5:8000"], paths=paths)
    link = DataServiceLink(options)
    assert not link.embedded
    assert link.start() == "http://10.0.0.5:8000"
    link.stop()


def test_home_environment_variable_moves_every_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DISPATCH_DESK_HOME", str(tmp_path / "home"))
    paths = AppPaths.default()
    assert paths.settings_file == tmp_path / "home" / "config" / "settings.json"
    assert paths.default_database_file == tmp_path / "home" / "data" / "desk.db"


def test_database_description_hides_passwords() -> None:
    assert describe_database("sqlite:////var/desk.db") == "/var/desk.db"
    text = describe_database("postgresql+psycopg://desk:s3cret@db.cz.local:5432/desk?x=1")
    assert text == "postgresql://db.cz.local:5432/desk"
    assert "s3cret" not in text


def test_saved_file_is_readable_json(paths: AppPaths) -> None:
    save_settings(paths.settings_file, Settings(theme="light"))
    data = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    assert data["theme"] == "light" and data["language"] == "zh"


def test_database_url_from_the_environment(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPATCH_DB_URL", "postgresql+psycopg://desk@pg.local/desk")
    assert prepare([], paths=paths).database_url == "postgresql+psycopg://desk@pg.local/desk"
    assert prepare(["--db", "sqlite:///a.db"], paths=paths).database_url == "sqlite:///a.db"
    monkeypatch.setenv("DISPATCH_DB_URL", "nonsense")
    with pytest.raises(SettingsError, match="not supported"):
        prepare([], paths=paths)


def test_main_refuses_bad_arguments_with_a_clear_message(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DISPATCH_DESK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    bad_db = subprocess.run(
        [sys.executable, "main.py", "--db", "oracle://desk"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad_db.returncode == 2
    assert "not supported" in bad_db.stdout
    bad_lang = subprocess.run(
        [sys.executable, "main.py", "--lang", "fr"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad_lang.returncode == 2
    assert "invalid choice" in bad_lang.stderr
