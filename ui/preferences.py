"""This PC's window preferences (not station data), each declared once with its default."""

from .qt import QApplication, QSettings

FONT_SIZES = {"normal": 10, "large": 13}
DEFAULTS = {"ui/font_size": "normal"}


def _settings() -> QSettings:
    return QSettings("jobstation", "jobstation")


def get(key: str):
    return _settings().value(key, DEFAULTS[key])


def put(key: str, value) -> None:
    _settings().setValue(key, value)


def apply_font(app: QApplication | None = None) -> None:
    """Use the chosen font size (大字号 for clerks who need it) across the window."""
    app = app or QApplication.instance()
    font = app.font()
    font.setPointSize(FONT_SIZES.get(get("ui/font_size"), FONT_SIZES["normal"]))
    app.setFont(font)
