"""The wall's one table of parameter names: what the buttons, axes, boxes and legends show.

Keys are the contract's (docs/contracts.md: PM2.5, temp, NH3-N …); the names go through tr()
under the context "Parameters", so the Chinese desk reads 温度, 氨氮, 总磷 where the data says
temp, NH3-N, TP. Pollutant formulas (PM2.5, SO2, O3 …) are the same in both languages.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CTX = "Parameters"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for lupdate under ``context``; translated by `parameter_name`."""
    return text


NAMES: dict[str, str] = {
    "PM2.5": QT_TRANSLATE_NOOP("Parameters", "PM2.5"),
    "PM10": QT_TRANSLATE_NOOP("Parameters", "PM10"),
    "SO2": QT_TRANSLATE_NOOP("Parameters", "SO2"),
    "NO2": QT_TRANSLATE_NOOP("Parameters", "NO2"),
    "CO": QT_TRANSLATE_NOOP("Parameters", "CO"),
    "O3": QT_TRANSLATE_NOOP("Parameters", "O3"),
    "temp": QT_TRANSLATE_NOOP("Parameters", "Temperature"),
    "humidity": QT_TRANSLATE_NOOP("Parameters", "Humidity"),
    "wind_speed": QT_TRANSLATE_NOOP("Parameters", "Wind speed"),
    "wind_dir": QT_TRANSLATE_NOOP("Parameters", "Wind direction"),
    "pH": QT_TRANSLATE_NOOP("Parameters", "pH"),
    "DO": QT_TRANSLATE_NOOP("Parameters", "Dissolved oxygen"),
    "water_temp": QT_TRANSLATE_NOOP("Parameters", "Water temperature"),
    "conductivity": QT_TRANSLATE_NOOP("Parameters", "Conductivity"),
    "CODMn": QT_TRANSLATE_NOOP("Parameters", "Permanganate index"),
    "COD": QT_TRANSLATE_NOOP("Parameters", "COD"),
    "NH3-N": QT_TRANSLATE_NOOP("Parameters", "Ammonia nitrogen"),
    "TP": QT_TRANSLATE_NOOP("Parameters", "Total phosphorus"),
    "TN": QT_TRANSLATE_NOOP("Parameters", "Total nitrogen"),
}


def parameter_name(key: str) -> str:
    """The translated name of a parameter key; an unknown key is shown as itself."""
    source = NAMES.get(key)
    if source is None:
        return key
    return QCoreApplication.translate(CTX, source)
