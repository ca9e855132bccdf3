"""Background sync: every few minutes, when the station is enrolled and the county server
answers, one network sync on a worker thread. Never a dialog: the result is one sentence for
the status bar and the 同步 screen. When the server does not answer, the wait doubles
(1, 2, 4 … up to 30 minutes) until it answers again.

Sync modules load inside the worker (they pull in the crypto library), so the window
starts as fast as before.
"""

import logging
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime

from db.errors import StationError
from db.station import Station, open_station

from .qt import QLabel, QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger("jobstation.sync")
MINUTE_MS = 60_000
# One sync at a time: the 同步 screen's buttons wait for it, background sync skips a turn.
SYNC_LOCK = threading.Lock()
DOWN = "县里服务器暂时连不上"

# Outcomes of one background attempt.
IDLE, BUSY, UNREACHABLE, FAILED, SYNCED = "idle", "busy", "unreachable", "failed", "synced"


@dataclass
class Attempt:
    outcome: str
    sentence: str = ""
    received: int = 0


def attempt_sync(station: Station) -> Attempt:
    """One background try on a connection of its own (runs on the worker thread)."""
    from sync import client, history

    own = open_station(station.data_dir)
    try:
        if station.account:
            own.act_as(station.account)
        state = client.status(own)
        url = state["server_url"]
        if not state["enrolled"] or not url:
            return Attempt(IDLE)
        if not client.reachable(url):
            return Attempt(UNREACHABLE)
        if not SYNC_LOCK.acquire(blocking=False):
            return Attempt(BUSY)
        try:
            receipt = client.sync_now(own)
        except StationError as exc:
            return Attempt(FAILED, str(exc))
        finally:
            SYNC_LOCK.release()
        return Attempt(SYNCED, history.receipt_sentence(receipt, own), receipt.received)
    finally:
        own.close()


class _Signals(QObject):
    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, station: Station, signals: _Signals):
        super().__init__()
        self.setAutoDelete(False)
        self.station, self.signals = station, signals

    def run(self) -> None:
        try:
            result = attempt_sync(self.station)
        except Exception as exc:  # noqa: BLE001 - background: log it, report one sentence
            log.exception("background sync failed")
            result = Attempt(FAILED, str(exc) if isinstance(exc, StationError) else
                             "自动同步遇到意外错误，本站数据都已保留。")
        self.signals.done.emit(result)


class BackgroundSync(QObject):
    """Tries a sync every ``interval_ms``; after a failure waits ``backoff_ms``, doubling
    up to ``backoff_max_ms``. The waits are injectable so tests run in milliseconds."""

    reported = Signal(str)    # one sentence: what the last attempt did
    changed = Signal(object)  # tables a sync wrote (None: anything), for the main window

    def __init__(self, station: Station, *, interval_ms: int = 5 * MINUTE_MS,
                 backoff_ms: int = MINUTE_MS, backoff_max_ms: int = 30 * MINUTE_MS,
                 first_ms: int = 20_000, parent: QObject | None = None):
        super().__init__(parent)
        self.station = station
        self.interval_ms, self.backoff_ms, self.backoff_max_ms = (
            interval_ms, backoff_ms, backoff_max_ms)
        self.first_ms = first_ms
        self.failures = 0
        self.delays: list[int] = []   # every wait scheduled, newest last
        self.last_report = ""
        self.attempts = 0
        self.busy = False
        self._job: tuple | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.try_now)

    def start(self) -> None:
        self._schedule(self.first_ms)

    def stop(self) -> None:
        self.timer.stop()

    def next_delay(self) -> int:
        if not self.failures:
            return self.interval_ms
        return min(self.backoff_ms * 2 ** (self.failures - 1), self.backoff_max_ms)

    def _schedule(self, delay_ms: int) -> None:
        self.delays.append(delay_ms)
        self.timer.start(delay_ms)

    def try_now(self) -> None:
        """Start one attempt on a worker thread (skipped while one is running)."""
        if self.busy:
            return
        try:
            configured = self._configured()
        except sqlite3.ProgrammingError:  # the station was closed (restore, window gone)
            self.stop()
            return
        if not configured:
            self._schedule(self.interval_ms)  # not enrolled yet: look again later
            return
        self.busy = True
        self.attempts += 1
        signals = _Signals()
        signals.done.connect(self._finished)
        job = _Job(self.station, signals)
        self._job = (signals, job)  # alive until the result is delivered
        QThreadPool.globalInstance().start(job)

    def _configured(self) -> bool:
        """Enrolled with a server address (a cheap look on the window's own connection)."""
        return bool(self.station.scalar(
            "SELECT count(*) FROM sync_identity WHERE coalesce(server_url, '') != ''"))

    def _finished(self, result: Attempt) -> None:
        self.busy = False
        self._job = None
        if result.outcome in (UNREACHABLE, FAILED):
            self.failures += 1
        elif result.outcome == SYNCED:
            self.failures = 0
        if result.outcome != IDLE and result.outcome != BUSY:
            self._report(result)
        if result.outcome == SYNCED:
            self.changed.emit(None if result.received else {"sync_history", "sync_outbox"})
        elif result.outcome == FAILED:
            self.changed.emit({"sync_history"})
        self._schedule(self.next_delay())

    def _report(self, result: Attempt) -> None:
        when = datetime.now().strftime("%H:%M")
        if result.outcome == UNREACHABLE:
            minutes = max(1, round(self.next_delay() / MINUTE_MS))
            text = f"自动同步（{when}）：{DOWN}，{minutes} 分钟后再试。"
        else:
            text = f"自动同步（{when}）：{result.sentence}"
        self.last_report = text
        self.reported.emit(text)


def attach_background_sync(window) -> BackgroundSync:
    """The main window's hook: start background sync, show its sentence in the status bar,
    and let a sync that wrote something refresh every screen."""
    runner = BackgroundSync(window.station, parent=window)
    label = QLabel("")
    window.statusBar().addWidget(label, 1)
    runner.reported.connect(label.setText)
    runner.changed.connect(window.broadcast)
    window.background_sync = runner
    runner.start()
    return runner
