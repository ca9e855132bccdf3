"""Qt's own words in Chinese: standard buttons (确定, 取消, 是, 否), file and print dialogs."""

from .qt import QCoreApplication, QLibraryInfo, QTranslator

QT_CATALOG = "qtbase_zh_CN"


def install_chinese_qt(app: QCoreApplication) -> bool:
    """Load Qt's zh_CN catalog into ``app``; False when the bundle lacks it."""
    translator = QTranslator(app)  # parented, so it lives as long as the application
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QT_CATALOG, folder):
        return False
    return app.installTranslator(translator)
