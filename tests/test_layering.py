"""The layering rules of DESIGN.md, enforced on the source text."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dispatch_app"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if sub else sorted(PACKAGE.rglob("*.py"))


def test_nothing_under_dispatch_app_imports_qt() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _modules("")
        if any(n.split(".")[0] in {"PySide6", "pyqtgraph", "qasync", "ui"} for n in _imports(p))
    ]
    assert offenders == [], f"Qt or ui imported below ui/: {offenders}"


def test_dataservice_shares_only_standards() -> None:
    forbidden = {"dispatch_app.desk", "dispatch_app.store", "dispatch_app.feed", "ui"}
    offenders = [
        f"{p.relative_to(ROOT)} -> {n}"
        for p in _modules("dataservice")
        for n in _imports(p)
        if any(n == f or n.startswith(f + ".") for f in forbidden)
    ]
    assert offenders == []


def test_domain_and_standards_are_pure() -> None:
    io_modules = {"sqlalchemy", "requests", "socket", "asyncio", "fastapi", "uvicorn"}
    offenders = [
        f"{p.relative_to(ROOT)} -> {n}"
        for sub in ("domain", "standards")
        for p in _modules(sub)
        for n in _imports(p)
        if n.split(".")[0] in io_modules
        or n.startswith(("dispatch_app.store", "dispatch_app.desk", "dispatch_app.feed"))
    ]
    assert offenders == []
