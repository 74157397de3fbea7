"""No nested event loop anywhere in ui/: the cause of a live feed that died after a file dialog.

A modal ``exec()`` (QFileDialog/QMessageBox/QInputDialog static functions, ``dialog.exec()``,
``menu.exec()``) or ``processEvents()`` runs a nested Qt event loop. Run from a coroutine, it
re-enters the asyncio loop, asyncio refuses to step the other tasks from it ("Cannot enter into
task 'feed-poll' …") and the poller stops for good. A plain slot is no safer: a coroutine can
reach it (a signal emitted from a task). So these calls are banned from ui/ altogether; dialogs
are opened with ``open()`` and awaited (Workspace.run_dialog, ui/widgets/file_dialogs.py).

The scan reads the source with ``ast`` (aliases and ``QtWidgets.QFileDialog`` spellings
included), and is itself tested on a sample, so it cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"

MODAL_STATICS: dict[str, frozenset[str]] = {
    "QFileDialog": frozenset(
        {
            "getOpenFileName",
            "getOpenFileNames",
            "getSaveFileName",
            "getExistingDirectory",
            "getExistingDirectoryUrl",
            "getOpenFileUrl",
            "getOpenFileUrls",
            "getSaveFileUrl",
        }
    ),
    "QMessageBox": frozenset(
        {"information", "warning", "critical", "question", "about", "aboutQt"}
    ),
    "QInputDialog": frozenset({"getText", "getInt", "getDouble", "getItem", "getMultiLineText"}),
    "QColorDialog": frozenset({"getColor"}),
    "QFontDialog": frozenset({"getFont"}),
    "QPrintDialog": frozenset(),  # only its exec(), caught below
}
NESTED_LOOP_METHODS = frozenset({"exec", "exec_", "processEvents"})


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    call: str
    in_coroutine: bool

    def __str__(self) -> str:
        where = "in a coroutine" if self.in_coroutine else "in a function a coroutine may reach"
        return f"{self.path}:{self.line}: {self.call} {where}"


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.aliases: dict[str, str] = {}  # local name -> Qt class name
        self.found: list[Violation] = []
        self._async_depth = 0

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name in MODAL_STATICS:
                self.aliases[alias.asname or alias.name] = alias.name
        self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._async_depth += 1
        self.generic_visit(node)
        self._async_depth -= 1

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        # A def nested in a coroutine runs when called, not necessarily inside it: judged on
        # its own, like any other function (all calls are banned anyway).
        depth, self._async_depth = self._async_depth, 0
        self.generic_visit(node)
        self._async_depth = depth

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = self._class_name(func.value)
            if owner is not None and func.attr in MODAL_STATICS[owner]:
                self._add(node, f"{owner}.{func.attr}()")
            elif func.attr in NESTED_LOOP_METHODS:
                self._add(node, f"{ast.unparse(func)}()")
        self.generic_visit(node)

    def _class_name(self, value: ast.expr) -> str | None:
        if isinstance(value, ast.Name):
            return self.aliases.get(value.id, value.id if value.id in MODAL_STATICS else None)
        if isinstance(value, ast.Attribute) and value.attr in MODAL_STATICS:
            return value.attr  # QtWidgets.QFileDialog.getOpenFileName
        return None

    def _add(self, node: ast.Call, call: str) -> None:
        self.found.append(Violation(self.path, node.lineno, call, self._async_depth > 0))


def scan_source(source: str, path: str = "<source>") -> list[Violation]:
    scanner = _Scanner(path)
    scanner.visit(ast.parse(source, filename=path))
    return scanner.found


def scan_ui() -> list[Violation]:
    found: list[Violation] = []
    for file in sorted(UI.rglob("*.py")):
        rel = str(file.relative_to(UI.parent))
        found.extend(scan_source(file.read_text(encoding="utf-8"), rel))
    return found


def test_ui_runs_no_modal_exec_and_no_nested_event_loop() -> None:
    files = list(UI.rglob("*.py"))
    assert len(files) > 30  # the scan sees the whole ui/ package
    violations = scan_ui()
    assert not violations, "nested event loops in ui/ (use open() and await, see " + (
        "ui/widgets/file_dialogs.py):\n" + "\n".join(str(v) for v in violations)
    )


def test_the_scan_finds_every_spelling_of_a_nested_loop() -> None:
    sample = """
from PySide6 import QtWidgets
from PySide6.QtWidgets import QFileDialog, QMessageBox as Box, QInputDialog

async def export(self):
    path, _ = QFileDialog.getSaveFileName(self, "x")
    Box.warning(self, "t", "x")
    self.dialog.exec()

def slot(self):
    QInputDialog.getText(self, "t", "x")
    QtWidgets.QFileDialog.getOpenFileNames(self)
    menu.exec_(pos)
    QApplication.processEvents()

async def fine(self):
    dialog.open()
    await self.run_dialog(dialog)
    QFileDialog(self).selectedFiles()
"""
    found = scan_source(sample)
    calls = [(v.line, v.call, v.in_coroutine) for v in found]
    assert calls == [
        (6, "QFileDialog.getSaveFileName()", True),
        (7, "QMessageBox.warning()", True),
        (8, "self.dialog.exec()", True),
        (11, "QInputDialog.getText()", False),
        (12, "QFileDialog.getOpenFileNames()", False),
        (13, "menu.exec_()", False),
        (14, "QApplication.processEvents()", False),
    ]
