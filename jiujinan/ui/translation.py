"""Qt's own words in Chinese: the print and file dialogs, standard buttons, calendars.

The app speaks Chinese whatever the system locale is (a clerk's PC may be set to English),
so Qt's zh_CN translations, which ship with PySide6, are loaded before any widget exists.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("jiujinan.ui")

CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China)
QT_CATALOGS = ("qtbase",)  # the catalogues of the Qt modules this app uses (widgets, print support)


def install_chinese(app: QCoreApplication) -> list[QTranslator]:
    """Make Chinese the default locale (dates, numbers, calendars) and install Qt's zh_CN
    translations on ``app`` once; returns the translators in use (kept alive on ``app``)."""
    QLocale.setDefault(CHINESE)
    installed: list[QTranslator] | None = getattr(app, "_jiujinan_translators", None)
    if installed is not None:
        return installed
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for catalog in QT_CATALOGS:
        translator = QTranslator(app)
        if translator.load(CHINESE, catalog, "_", folder) and app.installTranslator(translator):
            installed.append(translator)
        else:
            log.warning("Qt translation %s_zh_CN not found in %s", catalog, folder)
    app._jiujinan_translators = installed  # type: ignore[attr-defined]  # noqa: SLF001 - kept alive with the app
    return installed
