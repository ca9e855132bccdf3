"""One helper for every slow action: work off the UI thread, results back on it.

``run_in_background(parent, work, on_done, label=...)`` runs ``work(progress, cancelled)``
in a worker thread. ``progress(done, total)`` may be called from the worker; a progress
dialog appears only after 600 ms so quick work never flashes a window. The worker never
touches a widget and opens its own SQLite connection (connections stay on their thread).
"""

from collections.abc import Callable

from .messages import show_error
from .qt import (
    QObject,
    QProgressDialog,
    QRunnable,
    QThreadPool,
    QTimer,
    QWidget,
    Signal,
    is_alive,
)

PROGRESS_DELAY_MS = 600
# Jobs in flight keep their Python objects alive here until their result has been
# delivered on the UI thread: the thread pool drops the runnable as soon as run()
# returns, which would otherwise delete the signals before the queued result arrives.
_in_flight: set = set()


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable, signals: _Signals):
        super().__init__()
        self.setAutoDelete(False)
        self.work, self.signals, self.cancel_requested = work, signals, False

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit, lambda: self.cancel_requested)
        except BaseException as exc:  # reported on the UI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_in_background(parent: QWidget, work: Callable, on_done: Callable[[object], None],
                      *, label: str = "正在处理，请稍候……", cancellable: bool = False,
                      on_error: Callable[[BaseException], None] | None = None) -> _Job:
    """Start ``work`` off the UI thread; ``on_done(result)`` runs on the UI thread."""
    signals = _Signals()
    job = _Job(work, signals)
    dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    from .qt import Qt  # here, not at import: ui.operations loads at start (see ui.qt.USER_ROLE)

    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.reset()  # not shown until the timer says so
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(lambda: setattr(job, "cancel_requested", True))
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: is_alive(dialog) and dialog.show())
    entry = (signals, job, timer)
    _in_flight.add(entry)

    def progress(done: int, total: int) -> None:
        if is_alive(dialog):
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)

    def close() -> None:
        timer.stop()
        _in_flight.discard(entry)
        if is_alive(dialog):
            dialog.hide()
            dialog.deleteLater()

    def finished(result) -> None:
        close()
        on_done(result)

    def failed(exc) -> None:
        close()
        (on_error or (lambda e: show_error(parent if is_alive(parent) else None, e)))(exc)

    signals.progress.connect(progress)
    signals.finished.connect(finished)
    signals.failed.connect(failed)
    timer.start(PROGRESS_DELAY_MS)
    QThreadPool.globalInstance().start(job)
    return job
