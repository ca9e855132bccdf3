"""How the window speaks to the clerk: one Chinese sentence, details copyable, all logged."""

import logging
import traceback

from db.errors import StationError

from .qt import QApplication, QMessageBox, QWidget

log = logging.getLogger("jobstation.ui")
INTERNAL_ERROR = "程序遇到意外错误，操作未完成，已保存的数据不受影响。"


def sentence_for(exc: BaseException) -> str:
    """The one sentence a clerk sees for ``exc``."""
    if isinstance(exc, StationError):
        return str(exc)
    return INTERNAL_ERROR


def show_error(parent: QWidget | None, exc: BaseException, title: str = "提示") -> None:
    """Show ``exc`` as one sentence; unexpected errors get the details and a copy button."""
    if isinstance(exc, StationError):
        QMessageBox.warning(parent, title, str(exc))
        return
    details = "".join(traceback.format_exception(exc))
    log.error("unexpected error: %s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "出错了", INTERNAL_ERROR,
                      QMessageBox.StandardButton.Ok, parent)
    box.setDetailedText(details)
    copy = box.addButton("复制详细信息", QMessageBox.ButtonRole.ActionRole)
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.exec()


def confirm(parent: QWidget | None, question: str, title: str = "请确认") -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def info(parent: QWidget | None, text: str, title: str = "完成") -> None:
    QMessageBox.information(parent, title, text)
