"""Desk settings: where files live and what the operator chose, validated, Qt-free.

The settings file is JSON in the user configuration directory (platformdirs). A duty officer
cannot be left without a desk because a file was half-written during a power cut, so a file that
does not parse or does not validate is never fatal: it is renamed to ``settings.json.bad`` (kept
for the administrator to inspect), the defaults are used, and the problem is reported in words the
UI can show. Writes go to a temporary file first and replace the old one atomically.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "dispatch-desk"
APP_AUTHOR = "changzhou-eeb"
HOME_ENV = "DISPATCH_DESK_HOME"
"""When set, every file of the desk (settings, layout, default database) lives under this
directory instead of the platform's user directories: one workstation, several trial setups."""

LANGUAGES = ("zh", "en")
THEMES = ("dark", "light")
MIN_FONT_PT = 9
MAX_FONT_PT = 28
DEFAULT_FONT_PT = 13
"""Readable from a few metres away on a 24-inch control-room monitor."""

_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class SettingsError(ValueError):
    """A setting that cannot be used, with a message fit for the operator."""


@dataclass(frozen=True)
class AppPaths:
    """Every file location the desk uses, resolved once at start."""

    config_dir: Path
    data_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def layout_file(self) -> Path:
        """Window geometry and dock layout (written by the UI through QSettings, INI format)."""
        return self.config_dir / "layout.ini"

    @property
    def alarm_rules_file(self) -> Path:
        """The alarm rules as an administrator last saved them in the desk (the shipped
        defaults in the package are read until the first save and never written)."""
        return self.config_dir / "rules" / "alarms.toml"

    @property
    def default_database_file(self) -> Path:
        return self.data_dir / "desk.db"

    @property
    def default_database_url(self) -> str:
        return sqlite_url(self.default_database_file)

    def ensure(self) -> None:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)

    @classmethod
    def default(cls) -> AppPaths:
        home = os.environ.get(HOME_ENV, "").strip()
        if home:
            root = Path(home).expanduser()
            return cls(config_dir=root / "config", data_dir=root / "data")
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        )


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class Settings:
    """What the operator chose. ``None`` means "not chosen": the launcher picks the default.
    Saved queue filters are not here: they belong to the user and live in the database."""

    language: str = "zh"
    theme: str = "dark"
    font_pt: int = DEFAULT_FONT_PT
    database_url: str | None = None
    data_service_url: str | None = None


def validate_language(value: object) -> str:
    if value not in LANGUAGES:
        raise SettingsError(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}")
    return str(value)


def validate_theme(value: object) -> str:
    if value not in THEMES:
        raise SettingsError(f"theme must be one of {', '.join(THEMES)}, not {value!r}")
    return str(value)


def validate_font_pt(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(f"font_pt must be a whole number of points, not {value!r}")
    if not MIN_FONT_PT <= value <= MAX_FONT_PT:
        raise SettingsError(f"font_pt must be between {MIN_FONT_PT} and {MAX_FONT_PT}, not {value}")
    return value


def validate_database_url(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError("database URL must be a non-empty text such as sqlite:///desk.db")
    url = value.strip()
    if not url.startswith(("sqlite://", "postgresql://", "postgresql+")):
        raise SettingsError(
            f"database URL {url!r} is not supported: use sqlite:///PATH or postgresql+psycopg://..."
        )
    return url


def validate_service_url(value: object) -> str:
    if not isinstance(value, str) or not _URL_SCHEME.match(value.strip()):
        raise SettingsError(f"data service URL must look like http://host:port, not {value!r}")
    url = value.strip().rstrip("/")
    if not url.lower().startswith(("http://", "https://")):
        raise SettingsError(f"data service URL must use http or https, not {url!r}")
    return url


def settings_from_dict(raw: object) -> Settings:
    """Validates a parsed settings document; raises SettingsError naming the bad key."""
    if not isinstance(raw, dict):
        raise SettingsError("the settings file must hold a JSON object")
    s = Settings()
    known = {"language", "theme", "font_pt", "database_url", "data_service_url"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(unknown)}")
    if "language" in raw:
        s = replace(s, language=validate_language(raw["language"]))
    if "theme" in raw:
        s = replace(s, theme=validate_theme(raw["theme"]))
    if "font_pt" in raw:
        s = replace(s, font_pt=validate_font_pt(raw["font_pt"]))
    if raw.get("database_url") is not None:
        s = replace(s, database_url=validate_database_url(raw["database_url"]))
    if raw.get("data_service_url") is not None:
        s = replace(s, data_service_url=validate_service_url(raw["data_service_url"]))
    return s


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    return {
        "language": settings.language,
        "theme": settings.theme,
        "font_pt": settings.font_pt,
        "database_url": settings.database_url,
        "data_service_url": settings.data_service_url,
    }


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    problem: str | None = None
    """Set when the file was unusable: what was wrong and where the bad copy was put."""
    set_aside: Path | None = None


def load_settings(path: Path) -> LoadedSettings:
    """Reads the settings file; a missing file gives the defaults silently, a bad one is set aside."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except OSError as exc:
        return LoadedSettings(Settings(), problem=f"cannot read {path}: {exc.strerror}")
    try:
        settings = settings_from_dict(json.loads(raw.decode("utf-8")))
    except UnicodeDecodeError as exc:
        reason = f"not valid JSON: not UTF-8 text ({exc.reason} at byte {exc.start})"
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON ({exc})"
    except SettingsError as exc:
        reason = str(exc)
    else:
        return LoadedSettings(settings)
    bad = path.with_name(path.name + ".bad")
    try:
        os.replace(path, bad)
    except OSError as exc:
        return LoadedSettings(
            Settings(),
            problem=f"settings file {path} is unusable: {reason}; it could not be set aside "
            f"({exc.strerror}); defaults are used",
        )
    return LoadedSettings(
        Settings(),
        problem=f"settings file {path} is unusable: {reason}; it was kept as {bad} and the "
        "defaults are used",
        set_aside=bad,
    )


def save_settings(path: Path, settings: Settings) -> None:
    """Writes atomically, so a crash mid-write leaves the previous file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps(settings_to_dict(settings), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)


def describe_database(url: str) -> str:
    """A short, password-free description for the status bar: the SQLite path or the PG host."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ":memory:"
        return path or ":memory:"
    rest = url.split("://", 1)[-1]
    host_part = rest.split("@", 1)[-1]
    host_db = host_part.split("?", 1)[0]
    scheme = url.split("://", 1)[0].split("+", 1)[0]
    return f"{scheme}://{host_db}"


@dataclass(frozen=True)
class LaunchOptions:
    """Everything the front end needs to know to start, after arguments met settings."""

    paths: AppPaths
    settings: Settings
    """The settings as stored (what "save settings" writes back), not overridden by arguments."""
    language: str
    theme: str
    font_pt: int
    database_url: str
    demo: bool = False
    data_service_url: str | None = None
    """None: start the embedded data service."""
    screenshot_dir: Path | None = None
    settings_problem: str | None = None
    """Why the settings file was set aside, to be shown to the operator once the window is up."""
    temporary_dir: Path | None = None
    """The demo database's directory, removed when the desk stops."""
