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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_graph() -> dict[str, set[str]]:
    """Every dispatch_app module and the dispatch_app modules it imports, at any depth of its
    text (a lazy import inside a function closes a circle as surely as one at the top)."""
    paths = {_module_name(p): p for p in _modules("") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        deps: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = {f"{node.module}.{a.name}" for a in node.names} & paths.keys()
                if subs:
                    deps |= subs
                elif node.module in paths:
                    deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names} & paths.keys()
        graph[name] = deps - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_under_dispatch_app() -> None:
    assert _cycles(_project_graph()) == []


def _offenders(subs: tuple[str, ...], allowed: tuple[str, ...]) -> list[str]:
    """Imports of dispatch_app modules from `subs` that are not under one of `allowed`."""
    return [
        f"{p.relative_to(ROOT)} -> {n}"
        for sub in subs
        for p in _modules(sub)
        for n in _imports(p)
        if (n == "dispatch_app" or n.startswith("dispatch_app.") or n.split(".")[0] == "ui")
        and not any(n == a or n.startswith(a + ".") for a in allowed)
    ]


def test_network_and_standards_are_the_lowest_layer() -> None:
    # dispatch_app.resources holds the shipped files (the registry, scenarios): data, no code.
    allowed = ("dispatch_app.network", "dispatch_app.standards", "dispatch_app.resources")
    assert _offenders(("network",), allowed) == []
    assert _offenders(("standards",), ("dispatch_app.standards",)) == []


def test_dataservice_is_its_own_program() -> None:
    allowed = (
        "dispatch_app.dataservice",
        "dispatch_app.network",
        "dispatch_app.standards",
        "dispatch_app.resources",
    )
    assert _offenders(("dataservice",), allowed) == []


def test_the_dataservice_command_line_is_imported_by_nothing_of_the_service() -> None:
    """cli starts the server; the server, the listener and the API take their defaults from
    dataservice.config, never from cli (that made an import circle)."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in _modules("dataservice")
        if p.name not in {"cli.py", "__main__.py"} and "dispatch_app.dataservice.cli" in _imports(p)
    ]
    assert offenders == []


def test_store_imports_nothing_above_it() -> None:
    allowed = (
        "dispatch_app.store",
        "dispatch_app.domain",
        "dispatch_app.network",
        "dispatch_app.standards",
    )
    assert _offenders(("store",), allowed) == []


def test_domain_imports_only_the_layers_below() -> None:
    allowed = ("dispatch_app.domain", "dispatch_app.network", "dispatch_app.standards")
    assert _offenders(("domain",), allowed) == []


def test_feed_imports_only_the_layers_below() -> None:
    allowed = (
        "dispatch_app.feed",
        "dispatch_app.domain",
        "dispatch_app.network",
        "dispatch_app.standards",
    )
    assert _offenders(("feed",), allowed) == []
