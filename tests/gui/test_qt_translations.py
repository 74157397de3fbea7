"""Qt's own strings speak the desk's language: standard buttons, message boxes, the non-native
file dialog and a line edit's context menu read Chinese on the Chinese desk, and English again
once the desk is switched to English (Qt's catalogue is swapped with the desk's own)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeView,
)
from pytestqt.qtbot import QtBot

from ui.shell.i18n import I18N_DIR, install_translators, qt_translations_dir

SB = QDialogButtonBox.StandardButton
HAN = re.compile(r"[\u4e00-\u9fff]")


def _han(text: str) -> bool:
    return bool(HAN.search(text))


def switch(app: Any, language: str) -> None:
    """The desk's switch: new translators, then Qt's LanguageChange reaches every widget."""
    install_translators(app, language)
    app.processEvents()


@pytest.fixture
def chinese(qapp: Any) -> Iterator[Any]:
    install_translators(qapp, "zh")
    yield qapp
    install_translators(qapp, "en")


def test_chinese_desk_loads_qt_catalogue_and_the_gaps_file(qapp: Any) -> None:
    try:
        loaded = install_translators(qapp, "zh")
        assert loaded[0] == qt_translations_dir() / "qtbase_zh_CN.qm"
        assert I18N_DIR / "qtbase_extra_zh_CN.qm" in loaded
        assert I18N_DIR / "desk_zh_CN.qm" in loaded
    finally:
        install_translators(qapp, "en")
    assert install_translators(qapp, "en") == []


def test_standard_buttons_read_chinese_then_english(qtbot: QtBot, chinese: Any) -> None:
    box = QDialogButtonBox(SB.Ok | SB.Cancel | SB.Yes | SB.No | SB.Save | SB.Close)
    qtbot.addWidget(box)
    chinese_texts = {
        SB.Ok: "确定",
        SB.Cancel: "取消",
        SB.Yes: "是(&Y)",
        SB.No: "否(&N)",
        SB.Save: "保存",
        SB.Close: "关闭",
    }
    for which, text in chinese_texts.items():
        assert box.button(which).text() == text

    # Switching at runtime: the same, already shown box follows (LanguageChange).
    switch(chinese, "en")
    english = {SB.Ok: "OK", SB.Cancel: "Cancel", SB.Yes: "&Yes", SB.No: "&No", SB.Close: "Close"}
    for which, text in english.items():
        assert box.button(which).text() == text
    switch(chinese, "zh")
    assert box.button(SB.Cancel).text() == "取消"


def test_message_box_and_input_dialog_read_chinese(qtbot: QtBot, chinese: Any) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "t", "?", QMessageBox.StandardButton.Yes)
    box.addButton(QMessageBox.StandardButton.No)
    box.setDetailedText("details")
    qtbot.addWidget(box)
    box.show()
    texts = sorted(b.text() for b in box.buttons())
    assert texts == sorted(["是(&Y)", "否(&N)", "显示详情..."]), texts

    ask = QInputDialog()
    qtbot.addWidget(ask)
    ask.show()
    buttons = {b.text() for b in ask.findChildren(QPushButton)}
    assert {"确定", "取消"} <= buttons, buttons

    switch(chinese, "en")
    box2 = QMessageBox(QMessageBox.Icon.Question, "t", "?", QMessageBox.StandardButton.Yes)
    qtbot.addWidget(box2)
    assert [b.text() for b in box2.buttons()] == ["&Yes"]


def _folder_type(dialog: QFileDialog, qtbot: QtBot) -> str:
    """The Type column of the folder listed in the dialog's directory."""
    tree = dialog.findChild(QTreeView, "treeView")
    assert tree is not None
    model = tree.model()
    qtbot.waitUntil(lambda: model.rowCount(tree.rootIndex()) > 0, timeout=5000)
    return str(model.index(0, 2, tree.rootIndex()).data())


def test_non_native_file_dialog_reads_chinese_then_english(
    qtbot: QtBot, chinese: Any, tmp_path: Path
) -> None:
    (tmp_path / "照片").mkdir()
    dialog = QFileDialog(None, "打开", str(tmp_path), "CSV (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Missing from qtbase_zh_CN.qm (no QAbstractFileIconProvider context): the gaps file.
    assert _folder_type(dialog, qtbot) == "文件夹"
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    # Two of these are missing from PySide6's qtbase_zh_CN.qm and come from the gaps file.
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileNameLabel"] == "文件名称(&N)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    pushes = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"打开(&O)", "取消"} <= pushes, pushes
    tool_tips = {b.objectName(): b.toolTip() for b in dialog.findChildren(QToolButton)}
    assert tool_tips["backButton"] == "后退" and tool_tips["newFolderButton"] == "新建文件夹"
    tree = dialog.findChild(QTreeView, "treeView")
    assert tree is not None
    header = [
        tree.model().headerData(i, Qt.Orientation.Horizontal)
        for i in range(tree.model().columnCount())
    ]
    assert header[0] == "名称" and "修改日期" in header

    # Every visible label and button of the dialog carries Chinese (no English left over).
    english_left = [
        t
        for t in [*labels.values(), *pushes, *tool_tips.values()]
        if t and re.search(r"[A-Za-z]{2,}", t) and not _han(t)
    ]
    assert english_left == []

    # The officer switches the desk to English: the open dialog follows.
    switch(chinese, "en")
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "&Look in:"
    assert labels["fileNameLabel"] == "File &name:"
    assert labels["fileTypeLabel"] == "Files of &type:"
    pushes = {b.text().replace("&", "") for b in dialog.findChildren(QPushButton)}
    assert {"Open", "Cancel"} <= pushes, pushes


def test_line_edit_context_menu_reads_chinese(qtbot: QtBot, chinese: Any) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert texts == ["撤消(&U)", "重做(&R)", "剪切(&T)", "复制(&C)", "粘贴(&P)", "删除", "全选"]
    menu.deleteLater()
    switch(chinese, "en")
    menu = edit.createStandardContextMenu()
    assert "Select All" in [a.text().split("\t")[0] for a in menu.actions()]
    menu.deleteLater()
