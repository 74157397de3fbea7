"""Translators: one QTranslator per area file resources/i18n/<area>_<lang>.qm.

Each engineer's area keeps its own .ts (desk, feed, wall) so translations never collide in a
merge; the desk installs every compiled file for the chosen language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
QT_LOCALE = {"zh": "zh_CN", "en": "en"}

_STATE: dict[str, object] = {"language": "zh", "translators": []}


def current_language() -> str:
    """'zh' or 'en': domain errors carry both texts and pick with this."""
    return str(_STATE["language"])


def install_translators(app: QCoreApplication, language: str) -> list[Path]:
    """Installs every area's .qm for ``language``; returns the files loaded (English needs none:
    the source strings are English)."""
    for old in list(_STATE["translators"]):  # type: ignore[call-overload]
        app.removeTranslator(old)
    _STATE["translators"] = []
    _STATE["language"] = language
    QLocale.setDefault(QLocale(QT_LOCALE.get(language, "zh_CN")))
    if language == "en":
        return []
    loaded: list[Path] = []
    translators: list[QTranslator] = []
    for qm in sorted(I18N_DIR.glob(f"*_{QT_LOCALE[language]}.qm")):
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            translators.append(translator)
            loaded.append(qm)
    _STATE["translators"] = translators
    return loaded
