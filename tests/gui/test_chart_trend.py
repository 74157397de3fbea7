"""The station trend: ranges, what the curves hold, gaps, flags, references, crosshair, live tail,
export, outage and bad input."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from dispatch_app.feed.records import Observation, Station, parse_stations
from ui.wall.charts.series import MemorySeriesSource, SeriesArrays, curve_arrays
from ui.wall.charts.trend import TrendChart, resolution_for

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)  # 14:00 in Changzhou
MINUTE = 60.0


@pytest.fixture(scope="module")
def registry(resources_dir: Path) -> dict[str, Station]:
    stations = parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))
    return {s.id: s for s in stations}


def _air_source() -> MemorySeriesSource:
    """Two days of minute PM2.5 and O3 for AQ-N-01, with a 30-minute hole and flagged values."""
    source = MemorySeriesSource()
    t = NOW.timestamp() - np.arange(2 * 24 * 60)[::-1] * MINUTE
    pm = 40 + 30 * np.sin(np.arange(len(t)) / 180.0)
    flags = np.array(["N"] * len(t))
    flags[-100] = "M"  # maintenance
    flags[-50] = "C"  # calibration
    keep = np.ones(len(t), dtype=bool)
    keep[-400:-370] = False  # the station was silent for 30 minutes
    source.add("AQ-N-01", "PM2.5", "µg/m³", t[keep], pm[keep], flags[keep])
    source.add("AQ-N-01", "O3", "µg/m³", t, 80 + 40 * np.cos(np.arange(len(t)) / 240.0))
    return source


@pytest.fixture
def trend(qtbot: QtBot, registry: dict[str, Station]) -> TrendChart:
    chart = TrendChart(_air_source(), clock=lambda: NOW, redraw_interval_ms=50)
    qtbot.addWidget(chart)
    chart.resize(1200, 800)
    chart.show()
    qtbot.waitExposed(chart)
    with qtbot.waitSignal(chart.loaded, timeout=5000):
        chart.set_station(registry["AQ-N-01"], ["PM2.5", "O3"])
    return chart


def test_curve_holds_the_data_with_gaps_and_flags_apart(trend: TrendChart) -> None:
    plot = trend.plots["PM2.5"]
    x, y = plot.curve_data("PM2.5")
    series = plot.traces["PM2.5"].series
    assert series.resolution == "raw" and len(series) == 24 * 60 + 1 - 30
    # Every N value is on the line at its own time.
    normal = series.normal
    on_line = dict(zip(x[np.isfinite(y)], y[np.isfinite(y)], strict=True))
    assert len(on_line) == int(normal.sum())
    for t, v in zip(series.times[normal][:50], series.values[normal][:50], strict=True):
        assert on_line[t] == v
    # The 30-minute hole is a NaN break, not a straight line across it.
    hole_start = NOW.timestamp() - 400 * MINUTE
    inside = (x > hole_start - MINUTE) & (x < hole_start + 30 * MINUTE)
    assert np.isnan(y[inside]).any()
    # Flagged values are not on the line, and are drawn as markers of their own.
    fx, fy = plot.flagged_data("PM2.5")
    assert sorted(fx.tolist()) == sorted(
        [NOW.timestamp() - 99 * MINUTE, NOW.timestamp() - 49 * MINUTE]
    )
    for t, v in zip(fx, fy, strict=True):
        assert np.isnan(y[x == t]).all()
        assert v == series.values[series.times == t][0]


def test_references_for_air_follow_hj633_2026(trend: TrendChart) -> None:
    plot = trend.plots["PM2.5"]
    # PM2.5 real-time values use the day breakpoints of HJ 633—2026: 35, 60, 115, 150, 250.
    assert [low for low, _ in plot.band_regions()][:6] == [0, 35, 60, 115, 150, 250]
    assert plot.line_values() == []  # GB 3095 sets no 1-hour PM2.5 limit
    o3 = trend.plots["O3"]
    assert o3.line_values() == [200.0]  # O3 1-hour limit


def test_ranges_change_resolution_and_window(qtbot: QtBot, trend: TrendChart) -> None:
    with qtbot.waitSignal(trend.loaded, timeout=5000):
        trend.range_buttons["6h"].click()
    series = trend.plots["PM2.5"].traces["PM2.5"].series
    assert series.times[0] >= NOW.timestamp() - 6 * 3600
    x0, x1 = trend.plots["PM2.5"].time_range()
    assert (x0, x1) == pytest.approx((NOW.timestamp() - 6 * 3600, NOW.timestamp()))
    with qtbot.waitSignal(trend.loaded, timeout=5000):
        trend.set_range("7d")
    series = trend.plots["PM2.5"].traces["PM2.5"].series
    assert series.resolution == "hour"
    assert len(series) == 48 or len(series) == 49
    # Hourly means of N values only (the flagged values are excluded).
    pm_line = trend.plots["PM2.5"].curve_data("PM2.5")[1]
    assert np.isfinite(pm_line).sum() >= 40
    with qtbot.waitSignal(trend.loaded, timeout=5000):
        trend.set_range("1y")
    assert trend.plots["PM2.5"].traces["PM2.5"].series.resolution == "day"
    # A daily PM2.5 point has a GB 3095 day limit: 60 µg/m³ (transition phase).
    assert trend.plots["PM2.5"].line_values() == [60.0]
    with pytest.raises(ValueError, match="unknown range"):
        trend.set_range("2w")


def test_custom_range_and_its_bad_input(qtbot: QtBot, trend: TrendChart) -> None:
    start = NOW - timedelta(hours=3)
    with qtbot.waitSignal(trend.loaded, timeout=5000):
        trend.set_custom_range(start, NOW)
    assert trend.time_window() == (start, NOW, "raw")
    assert resolution_for(timedelta(days=10)) == "hour"
    assert resolution_for(timedelta(days=200)) == "day"
    with pytest.raises(ValueError, match="after"):
        trend.set_custom_range(NOW, start)
    with pytest.raises(ValueError, match="time zone"):
        trend.set_custom_range(start.replace(tzinfo=None), NOW)
    with pytest.raises(ValueError, match="three years"):
        trend.set_custom_range(NOW - timedelta(days=5000), NOW)
    assert trend.time_window() == (start, NOW, "raw")  # a refused range changes nothing
    # Through the widgets: an inverted range is refused with a message, nothing reloads.
    trend.custom_start.setDateTime(trend.custom_end.dateTime().addSecs(3600))
    trend.custom_button.click()
    assert "after" in trend.status.text()
    assert trend.time_window() == (start, NOW, "raw")


def test_unknown_parameter_and_too_many_are_refused(
    trend: TrendChart, registry: dict[str, Station]
) -> None:
    with pytest.raises(ValueError, match="does not measure"):
        trend.set_station(registry["AQ-N-01"], ["TP"])
    with pytest.raises(ValueError, match="at most"):
        trend.set_parameters(["PM2.5"] * 3 + ["a", "b", "c", "d"])


def test_crosshair_tooltip_says_time_value_unit_flag_level(trend: TrendChart) -> None:
    plot = trend.plots["PM2.5"]
    series = plot.traces["PM2.5"].series
    i = len(series) - 200
    text = plot.crosshair_at(float(series.times[i]) + 5, float(series.values[i]))
    when = datetime.fromtimestamp(float(series.times[i]), UTC) + timedelta(hours=8)
    assert when.strftime("%Y-%m-%d %H:%M") in text
    assert f"{series.values[i]:.4g} µg/m³" in text
    assert "[N]" in text and "IAQI" in text
    flagged_t = NOW.timestamp() - 99 * MINUTE
    assert "[M]" in plot.crosshair_at(flagged_t, 40)


def test_live_tail_appends_at_a_bounded_rate_and_not_while_hidden(
    qtbot: QtBot, trend: TrendChart
) -> None:
    plot = trend.plots["PM2.5"]
    before = len(plot.traces["PM2.5"].series)
    t = NOW + timedelta(seconds=30)
    observations = [
        Observation("AQ-N-01", "PM2.5", t, 123.0, "N"),
        Observation("AQ-N-01", "TP", t, 1.0, "N"),  # not shown: ignored
        Observation("AQ-N-02", "PM2.5", t, 5.0, "N"),  # another station: ignored
    ]
    assert trend.append_observations(observations) == 1
    count = trend.gate.redraw_count
    qtbot.waitUntil(lambda: trend.gate.redraw_count == count + 1, timeout=2000)
    series = plot.traces["PM2.5"].series
    assert len(series) == before + 1 and series.values[-1] == 123.0
    assert plot.curve_data("PM2.5")[1][-1] == 123.0
    # Many updates within one interval coalesce into one redraw.
    for k in range(20):
        trend.append_observations(
            [Observation("AQ-N-01", "PM2.5", t + timedelta(seconds=k + 1), 50.0 + k, "N")]
        )
    qtbot.waitUntil(lambda: trend.gate.redraw_count == count + 2, timeout=2000)
    qtbot.wait(150)
    assert trend.gate.redraw_count == count + 2
    # Hidden: no redraw at all; shown again: one redraw with everything.
    trend.hide()
    trend.append_observations([Observation("AQ-N-01", "PM2.5", t + timedelta(minutes=5), 7.0, "N")])
    qtbot.wait(200)
    assert trend.gate.redraw_count == count + 2 and trend.gate.dirty
    trend.show()
    qtbot.waitUntil(lambda: trend.gate.redraw_count == count + 3, timeout=2000)
    assert plot.traces["PM2.5"].series.values[-1] == 7.0
    # Live off: nothing taken.
    trend.set_live(False)
    assert trend.append_observations(observations) == 0


def test_a_failing_source_says_so_and_keeps_what_was_shown(qtbot: QtBot, trend: TrendChart) -> None:
    shown = trend.plots["PM2.5"].traces["PM2.5"].series
    with qtbot.waitSignal(trend.failed, timeout=5000) as signal:
        trend.set_source(MemorySeriesSource())  # knows nothing of AQ-N-01
    assert "PM2.5" in signal.args[0] and "KeyError" in signal.args[0]
    assert "Could not load" in trend.status.text()
    assert trend.plots["PM2.5"].traces["PM2.5"].series is shown


def test_water_trend_draws_class_lines_of_the_lake(
    qtbot: QtBot, registry: dict[str, Station]
) -> None:
    lake = next(
        s for s in registry.values() if s.waterbody == "lake" and s.kind == "water_national"
    )
    source = MemorySeriesSource()
    t = NOW.timestamp() - np.arange(0, 7 * 24 * 3600, 4 * 3600)[::-1]
    source.add(lake.id, "TP", "mg/L", t, np.linspace(0.03, 0.09, len(t)))
    chart = TrendChart(source, clock=lambda: NOW)
    qtbot.addWidget(chart)
    chart.show()
    with qtbot.waitSignal(chart.loaded, timeout=5000):
        chart.set_station(lake, ["TP"])
    plot = chart.plots["TP"]
    assert plot.line_values() == [0.01, 0.025, 0.05, 0.1, 0.2]  # lake TP, not river TP
    assert plot.band_regions() == []
    target = [r for r in plot.references.lines if r.emphasis]
    assert [r.value for r in target] == [[0.01, 0.025, 0.05, 0.1, 0.2][lake.target_class - 1]]
    text = plot.crosshair_at(float(t[-1]), 0.09)
    assert "mg/L" in text and "Ⅳ" in text


def test_export_csv_and_png(trend: TrendChart, tmp_path: Path) -> None:
    out = trend.export_csv(tmp_path / "trend.csv")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["time (Asia/Shanghai)", "station", "name", "parameter", "value"]
    pm = [r for r in rows[1:] if r[3] == "PM2.5"]
    series = trend.plots["PM2.5"].traces["PM2.5"].series
    assert len(pm) == len(series)
    assert {r[6] for r in pm} == {"N", "M", "C"}
    assert pm[-1][0] == "2026-11-28 14:00:00"
    png = trend.export_png(tmp_path / "trend.png")
    assert png.stat().st_size > 10_000
    with pytest.raises(OSError):
        trend.export_png(tmp_path / "no-such-dir" / "x.png")


def test_outage_veils_the_trend_and_says_since_when(trend: TrendChart, artifacts_dir: Path) -> None:
    trend.grab().save(str(artifacts_dir / "trend.png"))
    trend.set_outage(datetime(2026, 11, 28, 5, 58, 7, tzinfo=UTC))
    assert "13:58:07" in trend.veil.text()
    image = trend.grab().toImage()
    centre = trend.plot_area.geometry().center()
    color = image.pixelColor(centre.x(), centre.y() + 100)
    assert abs(color.red() - color.blue()) < 40  # greyed
    trend.grab().save(str(artifacts_dir / "trend_outage.png"))
    trend.set_outage(None)
    assert trend.veil.text() == ""


def test_curve_arrays_never_bridge_a_gap_or_a_flag() -> None:
    s = SeriesArrays(
        "S",
        "PM2.5",
        "µg/m³",
        "raw",
        np.array([0.0, 60, 120, 600, 660, 720]),
        np.array([1.0, 2, 3, 4, np.nan, 6]),
        np.array(["N", "D", "N", "N", "N", "N"]),
    )
    x, y = curve_arrays(s)
    assert x.tolist()[:4] == [0.0, 60.0, 120.0, 360.0]
    assert np.isnan(y[1]) and np.isnan(y[3])  # flag D, then the 8-minute hole
    assert y[0] == 1.0 and y[2] == 3.0 and y[4] == 4.0 and y[-1] == 6.0
    with pytest.raises(ValueError, match="same length"):
        SeriesArrays("S", "P", "", "raw", np.zeros(2), np.zeros(3), np.array(["N", "N"]))


def test_aggregated_ranges_refetch_while_live(qtbot: QtBot, trend: TrendChart) -> None:
    with qtbot.waitSignal(trend.loaded, timeout=5000):
        trend.set_range("7d")
    with qtbot.waitSignal(trend.loaded, timeout=5000):
        trend.refresh_timer.timeout.emit()  # what the 5-minute timer does
    trend.set_live(False)
    with qtbot.assertNotEmitted(trend.loaded, wait=200):
        trend.refresh_timer.timeout.emit()


def test_bands_and_limit_lines_are_painted_across_the_view(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor

    from ui.wall.charts.plot import SeriesPlot
    from ui.wall.charts.references import references_for

    plot = SeriesPlot(legend=False)
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    plot.show()
    qtbot.waitExposed(plot)
    refs = references_for("O3", "raw", NOW.date())
    plot.set_references(refs)
    plot.set_time_range(NOW - timedelta(days=3), NOW)
    plot.set_value_range(0, 320)
    image = plot.grab().toImage()
    vb = plot.plot_item.vb

    def pixel(t: float, value: float) -> QColor:
        point = plot.mapFromScene(vb.mapViewToScene(QPointF(t, value)))
        return image.pixelColor(point.x(), point.y())

    background = QColor(16, 20, 26)
    for band in refs.bands[:4]:
        middle = (band.low + min(band.high or 320.0, 320.0)) / 2
        # Far left and far right of the view: the band spans the whole time range.
        for t in (NOW.timestamp() - 3 * 86400 + 3600, NOW.timestamp() - 3600):
            color = pixel(t, middle)
            assert color != background
            # Tinted towards the level's color: the largest channel of the level leads.
            channel = max(range(3), key=lambda i: band.color[i])
            rgb = (color.red(), color.green(), color.blue())
            assert rgb[channel] >= (16, 20, 26)[channel]
    (line,) = refs.lines
    assert line.value == 200.0 and plot.line_values() == [200.0]
    row = [pixel(NOW.timestamp() - 86400 * k, line.value) for k in (0.2, 1.5, 2.8)]
    # The emphasised limit is drawn red, dashed: red pixels on its row at more than one place.
    reddish = [c for c in row if c.red() > 150 and c.green() < 120]
    assert reddish, [c.getRgb() for c in row]


def test_time_axis_reads_shanghai_time_like_pyqtgraphs_own(qtbot: QtBot) -> None:
    import pyqtgraph as pg
    from PySide6.QtGui import QFont, QFontMetrics

    from ui.wall.charts.time_axis import _NUMERIC, SHANGHAI_UTC_OFFSET_S, ShanghaiTimeAxis

    ours, reference = ShanghaiTimeAxis(), pg.DateAxisItem(utcOffset=SHANGHAI_UTC_OFFSET_S)
    ours.fontMetrics = reference.fontMetrics = QFontMetrics(QFont())
    end = NOW.timestamp()
    for span in (365 * 86400, 30 * 86400, 7 * 86400, 86400, 6 * 3600, 3600, 600):
        for width in (1500, 300):
            for shift in (0.0, 1234.5, 3.3 * 86400):
                for _ in range(2):  # the second answer comes from the cache
                    levels = ours.tickValues(end - span - shift, end - shift, width)
                    expected = reference.tickValues(end - span - shift, end - shift, width)
                    assert [(s, list(v)) for s, v in levels] == [(s, list(v)) for s, v in expected]
                    for spacing, values in levels:
                        spec = next(t for t in ours.zoomLevel.tickSpecs if t.spacing == spacing)
                        texts = ours.tickStrings(values, 1, spacing)
                        if spec.format in _NUMERIC:  # weekday/month names: numbers instead
                            assert all(re.fullmatch(r"\d{2,4}-\d{2}", t) for t in texts)
                        else:
                            assert texts == reference.tickStrings(values, 1, spacing)
    # Midnight in Changzhou (16:00 UTC) is the day tick of a day-and-hours view.
    levels = ours.tickValues(end - 86400, end, 1500)
    midnight = datetime(2026, 11, 27, 16, 0, tzinfo=UTC).timestamp()
    day_spacing, days = levels[0]
    assert midnight in days and ours.tickStrings([midnight], 1, day_spacing) == ["11-28"]
