"""The acceptance checks find what they are meant to find (and only that)."""

from __future__ import annotations

from tests.acceptance import checks

SCREEN = [0, 0, 1366, 768]


def test_feed_advanced_needs_a_newer_observation() -> None:
    assert checks.feed_advanced("2026-01-01T10:00:00+00:00", "2026-01-01T10:01:00+00:00") == []
    assert checks.feed_advanced(None, "2026-01-01T10:01:00+00:00") == []
    stopped = checks.feed_advanced("2026-01-01T10:01:00+00:00", "2026-01-01T10:01:00+00:00")
    assert stopped and "did not advance" in stopped[0]
    assert checks.feed_advanced("2026-01-01T10:01:00+00:00", "2026-01-01T10:00:00+00:00")
    assert checks.feed_advanced("2026-01-01T10:01:00+00:00", None)


def test_late_live_stations_blames_only_stations_on_time_at_the_service() -> None:
    shown = [
        {"id": "a", "name": "A", "shown": "3 分钟前", "level": "fresh"},
        {"id": "b", "name": "B", "shown": "迟报 · 12 分钟前", "level": "late"},
        {"id": "c", "name": "C", "shown": "断报 · 3 小时前", "level": "stale"},
        {"id": "d", "name": "D", "shown": "断报 · 3 小时前", "level": "stale"},
    ]
    problems = checks.late_live_stations(shown, on_time_at_service={"a", "b", "c"})
    assert len(problems) == 2
    assert "station b" in problems[0] and "station c" in problems[1]
    assert checks.late_live_stations(shown, on_time_at_service={"a"}) == []
    # The words alone count too (a level the table did not report).
    assert checks.late_live_stations([{"id": "e", "shown": "late · 5 min ago"}], {"e"})


def test_outside_screen_names_each_window_and_what_is_cut_off() -> None:
    widgets = [
        {"window": "Desk", "class": "MainWindow", "rect": [0, 0, 1600, 960], "top": True},
        {"window": "Desk", "class": "QPushButton", "object": "ok", "rect": [10, 10, 80, 30]},
        {"window": "Desk", "class": "QLabel", "text": "右", "rect": [1300, 700, 100, 30]},
        {"window": "Dialog", "class": "QDialog", "rect": [100, 100, 400, 300], "top": True},
        {"window": "Gone", "class": "QLabel", "rect": [-10, 0, 0, 0]},
    ]
    problems = checks.outside_screen(widgets, SCREEN)
    assert len(problems) == 1
    assert "“Desk”" in problems[0] and "2 widget(s)" in problems[0] and "右" in problems[0]
    assert checks.outside_screen(widgets[3:], SCREEN) == []
    assert checks.outside_screen([{"window": "W", "rect": [-1, 0, 10, 10]}], SCREEN)


def test_untranslated_buttons_finds_qt_defaults_only() -> None:
    widgets = [
        {"window": "Export", "button": True, "text": "&Cancel"},
        {"window": "Export", "button": True, "text": "Cancel"},  # once per window
        {"window": "Export", "button": True, "text": "取消"},
        {"window": "Export", "button": True, "text": "&Save"},
        {"window": "Export", "button": False, "text": "OK"},  # a label, not a button
        {"window": "Desk", "button": True, "text": "CAP"},
        {"window": "Desk", "button": True, "text": "OK(O)"},
    ]
    problems = checks.untranslated_buttons(widgets)
    assert [p.split("”")[0] for p in problems] == ["button “Cancel", "button “Save", "button “OK"]
    assert checks.untranslated_buttons(widgets[2:3]) == []


def test_exited_in_time() -> None:
    assert checks.exited_in_time(0.8) == []
    assert checks.exited_in_time(3.0) == []
    assert checks.exited_in_time(3.4)
    assert checks.exited_in_time(None)
