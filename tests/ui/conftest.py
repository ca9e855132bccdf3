"""GUI test helpers: typing Chinese the way a pinyin IME delivers it."""

from ui.qt import QApplication, QInputMethodEvent


def ime_type(widget, text: str) -> None:
    """Commit ``text`` into ``widget`` as an input method does (keyClicks can't do Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
