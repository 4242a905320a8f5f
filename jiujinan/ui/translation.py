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

# Words of Qt's file and print dialogs that its zh_CN catalogue lacks in this Qt version
# (their English source changed after the catalogue was last translated).
QT_GAPS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QPrintSettingsOutput", "Page &Set:"): "打印页(&S)：",
    ("QPageSetupWidget", "Pages &per sheet:"): "每张页数(&P)：",
    ("QPageSetupWidget", "Page &order:"): "页序(&O)：",
    ("QPageSetupWidget", "Units (%1)"): "单位（%1）",
}


class _QtGaps(QTranslator):
    """Fills QT_GAPS. Installed before Qt's catalogue, so it is asked last; for anything
    else it answers the source text, which is what Qt shows when nobody translates."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # noqa: ARG002
        # Never None: PySide would hand Qt a borrowed None and crash at exit.
        return QT_GAPS.get((context, source), source)

    def isEmpty(self) -> bool:  # noqa: N802
        return False


def install_chinese(app: QCoreApplication) -> list[QTranslator]:
    """Make Chinese the default locale (dates, numbers, calendars) and install Qt's zh_CN
    translations on ``app`` once; returns the translators in use (kept alive on ``app``)."""
    QLocale.setDefault(CHINESE)
    installed: list[QTranslator] | None = getattr(app, "_jiujinan_translators", None)
    if installed is not None:
        return installed
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    gaps = _QtGaps(app)
    app.installTranslator(gaps)
    installed = [gaps]
    for catalog in QT_CATALOGS:
        translator = QTranslator(app)
        if translator.load(CHINESE, catalog, "_", folder) and app.installTranslator(translator):
            installed.append(translator)
        else:
            log.warning("Qt translation %s_zh_CN not found in %s", catalog, folder)
    app._jiujinan_translators = installed  # type: ignore[attr-defined]  # noqa: SLF001 - kept alive with the app
    return installed
