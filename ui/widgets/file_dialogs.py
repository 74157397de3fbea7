"""Asking the officer for a file to open or save, without a nested event loop.

QFileDialog's static functions (``getOpenFileName``, ``getSaveFileName``, …) run the dialog with
``exec()``: a nested event loop. Inside a coroutine that loop re-enters the asyncio loop; asyncio
then refuses to step any other task from it ("Cannot enter into task 'feed-poll' … while another
task … is being executed") and the step is lost, so the live feed stops for good. Every file
question therefore goes through here: the dialog is opened with ``open()`` (window-modal, no
nested loop) and the answer arrives through its ``finished`` signal, awaited as a future from a
coroutine (`ask_open_file`, `ask_open_files`, `ask_save_file`) or handed to a callback from a
plain slot (`choose_files`). tests/gui/test_no_nested_loops.py keeps the static calls out of ui/.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget


class FileMode(StrEnum):
    OPEN = "open"  # one existing file
    OPEN_MANY = "open_many"  # one or more existing files
    SAVE = "save"  # a file to write (asks before overwriting)


def file_dialog(
    parent: QWidget | None,
    caption: str,
    directory: str = "",
    filters: str = "",
    *,
    mode: FileMode = FileMode.OPEN,
    default_suffix: str | None = None,
) -> QFileDialog:
    """A file dialog set up for `mode`, not shown yet."""
    dialog = QFileDialog(parent, caption, directory, filters)
    dialog.setObjectName("fileDialog")
    if mode is FileMode.SAVE:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        if default_suffix:
            dialog.setDefaultSuffix(default_suffix)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(
            QFileDialog.FileMode.ExistingFiles
            if mode is FileMode.OPEN_MANY
            else QFileDialog.FileMode.ExistingFile
        )
    return dialog


def choose_files(
    parent: QWidget | None,
    caption: str,
    on_chosen: Callable[[list[Path]], None],
    directory: str = "",
    filters: str = "",
    *,
    mode: FileMode = FileMode.OPEN,
    default_suffix: str | None = None,
) -> QFileDialog:
    """Open a window-modal file dialog and return at once; `on_chosen(paths)` is called when it
    closes: the chosen paths, or an empty list when the officer cancelled."""
    dialog = file_dialog(
        parent, caption, directory, filters, mode=mode, default_suffix=default_suffix
    )

    def finished(result: int) -> None:
        accepted = result == QDialog.DialogCode.Accepted
        paths = [Path(name) for name in dialog.selectedFiles() if name] if accepted else []
        dialog.deleteLater()
        on_chosen(paths)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


async def ask_files(
    parent: QWidget | None,
    caption: str,
    directory: str = "",
    filters: str = "",
    *,
    mode: FileMode = FileMode.OPEN,
    default_suffix: str | None = None,
) -> list[Path]:
    """From a coroutine: the chosen paths (empty when cancelled). If the coroutine is cancelled
    while the dialog is open (the desk is closing), the dialog closes too."""
    future: asyncio.Future[list[Path]] = asyncio.get_running_loop().create_future()

    def chosen(paths: list[Path]) -> None:
        if not future.done():
            future.set_result(paths)

    dialog = choose_files(
        parent,
        caption,
        chosen,
        directory,
        filters,
        mode=mode,
        default_suffix=default_suffix,
    )
    try:
        return await future
    finally:
        cancelled = not future.done() or future.cancelled()
        if cancelled and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.reject()


async def ask_open_file(
    parent: QWidget | None, caption: str, directory: str = "", filters: str = ""
) -> Path | None:
    paths = await ask_files(parent, caption, directory, filters, mode=FileMode.OPEN)
    return paths[0] if paths else None


async def ask_open_files(
    parent: QWidget | None, caption: str, directory: str = "", filters: str = ""
) -> list[Path]:
    return await ask_files(parent, caption, directory, filters, mode=FileMode.OPEN_MANY)


async def ask_save_file(
    parent: QWidget | None,
    caption: str,
    directory: str = "",
    filters: str = "",
    default_suffix: str | None = None,
) -> Path | None:
    paths = await ask_files(
        parent, caption, directory, filters, mode=FileMode.SAVE, default_suffix=default_suffix
    )
    return paths[0] if paths else None


def open_file_dialogs() -> list[QFileDialog]:
    """The file dialogs on screen now (tests and the desk's shutdown find them here)."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QFileDialog) and w.isVisible() and shiboken6.isValid(w)
    ]
