"""The files the desk and the data service ship with, read from the installed package.

The layout below this package: ``stations.json`` and ``units.toml`` (registries), ``rules/``,
``plans/``, ``scenarios/`` (TOML), ``basemap/``, ``cap/`` (the CAP schema), ``themes/`` (QSS)
and ``i18n/`` (.ts sources and compiled .qm). They travel inside the wheel as package data, so
an installed desk finds them wherever it was installed; this module is the one place that
knows where they are. Files an officer edits are not written here: see
``dispatch_app.config.AppPaths``.

Qt and the loaders want file-system paths, so the directory is handed out as a ``Path``
(``importlib.resources.as_file``: the package directory itself for an ordinary install).
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

_extracted = ExitStack()
atexit.register(_extracted.close)


@cache
def resources_dir() -> Path:
    """The directory holding every shipped resource file."""
    return _extracted.enter_context(as_file(files(__name__)))


def resource_path(*parts: str) -> Path:
    """A shipped file or directory, e.g. ``resource_path("rules", "alarms.toml")``."""
    return resources_dir().joinpath(*parts)
