"""Translators: Qt's own (qtbase) plus one QTranslator per area file
resources/i18n/<area>_<lang>.qm.

Each engineer's area keeps its own .ts (desk, feed, wall) so translations never collide in a
merge; the desk installs every compiled file for the chosen language. Qt's own strings (OK,
Cancel, Yes, No, the file dialog, a line edit's context menu) come from the qtbase catalogue
that PySide6 ships; the few strings missing from it live in resources/i18n/qtbase_extra_<lang>.ts
under Qt's own contexts (QFileDialog …) and are installed after qtbase, so they win.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dispatch_app.resources import resource_path

I18N_DIR = resource_path("i18n")
QT_LOCALE = {"zh": "zh_CN", "en": "en"}

_STATE: dict[str, object] = {"language": "zh", "translators": []}


LANGUAGE_NAMES: dict[str, str] = {"zh": "中文", "en": "English"}
"""Each interface language named in itself, for the language menu."""


def current_language() -> str:
    """'zh' or 'en': domain errors carry both texts and pick with this."""
    return str(_STATE["language"])


def qt_translations_dir() -> Path:
    """Where PySide6 keeps Qt's own compiled translations (qtbase_*.qm)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install_translators(app: QCoreApplication, language: str) -> list[Path]:
    """Installs Qt's own catalogue and every area's .qm for ``language``, replacing those of the
    previous language (Qt then sends every widget a LanguageChange, so standard buttons and open
    file dialogs switch too); returns the files loaded (English needs none: the source strings
    are English)."""
    for old in list(_STATE["translators"]):  # type: ignore[call-overload]
        app.removeTranslator(old)
    _STATE["translators"] = []
    _STATE["language"] = language
    QLocale.setDefault(QLocale(QT_LOCALE.get(language, "zh_CN")))
    if language == "en":
        return []
    locale = QT_LOCALE[language]
    # Qt's catalogue first: a translator installed later is asked first, so the desk's own
    # files (and the gaps file) override Qt's wording where they overlap.
    files = [qt_translations_dir() / f"qtbase_{locale}.qm"]
    files += sorted(I18N_DIR.glob(f"*_{locale}.qm"))
    loaded: list[Path] = []
    translators: list[QTranslator] = []
    for qm in files:
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            translators.append(translator)
            loaded.append(qm)
    _STATE["translators"] = translators
    return loaded
