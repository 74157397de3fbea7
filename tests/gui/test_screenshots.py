"""Screenshots of the desk for review (tests/artifacts/): the main window in Chinese and English,
dark and light, the create-case dialog and the dispatch dialog. Also checks that what a duty
officer must see is there: translated headers, countdown texts, overdue rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dispatch_app.desk import Desk
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.districts import District
from tests.gui.conftest import FAST_SCRYPT_N, PASSWORD, Session, draft, run, seed_users
from ui.cases.queue_model import COL
from ui.shell.i18n import install_translators
from ui.shell.screenshots import take_screenshots
from ui.shell.theme import apply_theme

WORKLOAD = [
    (CaseKind.EMERGENCY, "P1", District.XINBEI, "新北区化工园区储罐泄漏，下风向异味", 3),
    (CaseKind.VIOLATION, "P2", District.WUJIN, "武进某印染企业疑似偷排高浓度废水", 26),
    (CaseKind.QUALITY, "P2", District.TIANNING, "天宁区PM2.5小时浓度持续超标", 5),
    (CaseKind.PETITION, "P3", District.ZHONGLOU, "钟楼区居民反映餐饮油烟扰民", 50),
    (CaseKind.QUALITY, "P3", District.LIYANG, "溧阳市某国控断面溶解氧偏低", 1),
    (CaseKind.VIOLATION, "P3", District.JINTAN, "金坛某建材企业粉尘无组织排放", 30),
    (CaseKind.PETITION, "P4", District.JINGKAI, "经开区夜间施工噪声投诉", 2),
    (CaseKind.QUALITY, "P1", District.WUJIN, "滆湖湖区蓝藻聚集，取水口预警", 0.5),
    (CaseKind.EMERGENCY, "P2", District.LIYANG, "溧阳市运输车辆侧翻，少量柴油入河", 8),
    (CaseKind.PETITION, "P3", District.XINBEI, "新北区垃圾中转站异味扰民", 200),
]


def seed_workload(url: str) -> None:
    """Cases opened at different times in the past, so the queue has overdue, at-risk and
    comfortable deadlines, in several statuses."""
    now = datetime.now(UTC)
    for i, (kind, priority, district, title, hours_ago) in enumerate(WORKLOAD):
        at = now - timedelta(hours=hours_ago)
        d = Desk.open(url, clock=lambda at=at: at, scrypt_n=FAST_SCRYPT_N)
        try:
            d.login("officer", PASSWORD)
            case = d.create_case(
                draft(kind, title=title, priority=priority, district=district, address=title[:6])
            )
            if i % 3 == 1:
                d.dispatch(case.id, f"branch-{district.value}", note="请尽快核查")
            if i % 3 == 2:
                d.triage(case.id)
        finally:
            d.close()


def test_screenshots_of_the_desk(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session], artifacts_dir: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    seed_users(sqlite_url)
    seed_workload(sqlite_url)
    try:
        for language, theme in (("zh", "dark"), ("zh", "light"), ("en", "dark"), ("en", "light")):
            install_translators(app, language)
            apply_theme(app, theme, 13)
            s = sessions(sqlite_url, "leader")
            ws = s.workspace
            model = ws.queue.model
            # The first screen needs action; the two cases overdue by more than a day are
            # the backlog, counted on its tab.
            qtbot.waitUntil(lambda ws=ws: ws.queue.counts is not None)
            counts = ws.queue.counts
            assert counts is not None and (counts.needs_action, counts.backlog) == (8, 2)
            assert model.rowCount() == len(WORKLOAD) - counts.backlog
            header = model.headerData(COL["countdown"], Qt.Orientation.Horizontal)
            assert header == ("时限" if language == "zh" else "Deadline")
            countdowns = [
                model.data(model.index(r, COL["countdown"])) for r in range(model.rowCount())
            ]
            overdue_word = "超时" if language == "zh" else "overdue"
            left_word = "剩余" if language == "zh" else "left"
            assert any(overdue_word in c for c in countdowns), countdowns
            assert any(left_word in c for c in countdowns), countdowns
            # Most urgent first: overdue rows at the top.
            assert overdue_word in countdowns[0]
            # A new case selected, so the dispatch dialog is shot too.
            row = next(
                r
                for r in range(model.rowCount())
                if model.row_data(r).status == "new"  # type: ignore[union-attr]
            )
            ws.queue.select_row(row)
            qtbot.waitUntil(lambda ws=ws: ws.detail is not None and ws.detail.case.status == "new")
            suffix = f"_{language}_{theme}"
            saved = run(qtbot, take_screenshots(ws, artifacts_dir, suffix), timeout=30000)
            names = {p.name for p in saved}
            assert {f"main_window{suffix}.png", f"create_case{suffix}.png"} <= names
            assert f"dispatch{suffix}.png" in names
            assert all(p.stat().st_size > 10_000 for p in saved)
            ws.window.close()
    finally:
        install_translators(app, "zh")
        apply_theme(app, "dark", 13)
