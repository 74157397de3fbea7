"""Where the desk's database lives when no URL is given."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_URL = "DISPATCH_DB_URL"


def default_database_path() -> Path:
    return Path(user_data_dir("dispatch-desk", appauthor=False)) / "desk.db"


def default_database_url() -> str:
    """$DISPATCH_DB_URL, or a SQLite file in the user data directory (created on demand)."""
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return env
    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
