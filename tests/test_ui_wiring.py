"""DESIGN.md's rule for the UI, checked on the source text of ui/: the UI receives one typed
session (dispatch_app/session.py) and imports its parts; it never looks a part up by name, never
wires parts through attributes set from outside, never opens an HTTP connection and never builds
a desk, a data-service client or a poller."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "ui"

LOOKUP_CALLS = {"import_module", "__import__", "setattr"}
"""Parts looked up by name, or attributes set by name."""

WIRED_OBJECTS = {"workspace", "window", "wall", "feed", "handle", "alarms", "petitions", "module"}
"""What the UI's wiring used to read with ``getattr``: it reads their typed fields instead."""

BUILT_ONLY_BY_THE_SESSION = {
    "DataServiceClient",
    "FeedPoller",
    "EmbeddedDataService",
    "DataServiceLink",
    "DeskSession",
    "make_client",
    "make_poller",
    "Desk",
    "PetitionDesk",
    "EmergencyDesk",
    "AlarmDesk",
    "DrillDesk",
    "DrillRunner",
    "DrillControl",
    "AlarmFeedLink",
    "Session",
}
"""Constructors (and ``X.open``) the UI must not call: ui/shell/application.py builds the session
through ``DeskSession.from_options``, and that is the one exception."""

HTTP_MODULES = {"requests", "urllib3", "httpx", "http", "aiohttp", "urllib"}


def _sources() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _offences(source: str, where: Path) -> list[str]:
    tree = ast.parse(source, filename=str(where))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            found += [
                f"{where}:{node.lineno} imports {n}"
                for n in names
                if n.split(".")[0] in HTTP_MODULES or n == "importlib"
            ]
        if not isinstance(node, ast.Call):
            continue
        called = _name(node.func)
        line = f"{where}:{node.lineno}"
        if called in LOOKUP_CALLS:
            found.append(f"{line} calls {called}")
        elif called == "getattr" and node.args and _name(node.args[0]) in WIRED_OBJECTS:
            found.append(f"{line} reads a part by name: getattr({_name(node.args[0])}, ...)")
        elif called in BUILT_ONLY_BY_THE_SESSION:
            found.append(f"{line} builds {called}")
        elif (
            called in {"open", "from_options"}
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) in BUILT_ONLY_BY_THE_SESSION
        ):
            target = f"{_name(node.func.value)}.{called}"
            if target != "DeskSession.from_options" or where != Path("ui/shell/application.py"):
                found.append(f"{line} calls {target}")
    return found


def test_the_ui_neither_looks_parts_up_nor_builds_them() -> None:
    offences = [
        o
        for path in _sources()
        for o in _offences(path.read_text(encoding="utf-8"), path.relative_to(ROOT))
    ]
    assert offences == []


def test_the_check_finds_what_it_forbids() -> None:
    """The check itself can fail: each forbidden form in a sample is reported."""
    sample = (
        "import importlib\nimport requests\n"
        "m = importlib.import_module('ui.wall.monitoring_wall')\n"
        "f = getattr(workspace, 'alarms', None)\n"
        "setattr(workspace, 'feed', 1)\n"
        "c = DataServiceClient('http://127.0.0.1:1')\n"
        "d = AlarmDesk.open(desk)\n"
        "s = DeskSession.from_options(options, link)\n"
    )
    offences = _offences(sample, Path("ui/sample.py"))
    assert len(offences) == 8, offences
    assert _offences("s = DeskSession.from_options(o, l)\n", Path("ui/shell/application.py")) == []
