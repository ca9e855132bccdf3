"""Writing an import: one transaction, on a thread of its own while the file is still read.

``PlanWriter`` carries out chunks of plans in one transaction on its own connection to
the station file, in a second thread: the triggers behind every written row (audit log,
name index, status, tally, ledger, sync outbox) run inside SQLite, which lets go of
Python's lock meanwhile, so the reading and checking of the next rows goes on on the other
core. (This only pays since the triggers stopped calling the Python function
``jobstation_actor()`` for every row: with that, the two threads took turns at Python's
lock and the import got slower. See db/audit.py.) The transaction commits only when the
caller's block ends normally and rolls back on any error or cancel; an error in the writer
thread is raised in the caller's thread at the next chunk or at the end. When the caller
is inside a transaction of its own, the writing stays on the caller's connection, nested
as before.

``StreamingWriter`` is the one-call import of the command line: when nobody needs to look
at a preview first, each chunk of cleaned rows is planned and written as soon as it is
read: one pass over the file, no scratch copy of the rows. The backup is made just before
the first real change, so importing a file that changes nothing neither writes nor backs
up.

Deciding what each row does (``plan_row``, against the station as committed) stays in the
caller's thread: rows written by this import are never looked up again, since an ID
number occurs only once among the rows an import keeps.
"""

import contextlib
import queue
import threading
from collections.abc import Callable

from .backup import make_backup
from .clock import today
from .roster_fields import ParsedRow
from .roster_plan import Plan, lookup, plan_row, write_plans
from .station import Station, open_station

QUEUED_CHUNKS = 4  # chunks read ahead of the writer at most (memory stays flat)
# The writer's page cache (SQLite's default is 2 MB): one transaction of 100,000 people
# touches far more index pages than that, and each time the cache overflows SQLite writes
# dirty pages to the WAL early, often the same page again and again. 64 MB, a fixed
# ceiling whatever the file's size, cut a 100,000-row import's writing by a fifth.
WRITER_CACHE_KIB = 64 * 1024
_COMMIT, _ROLL_BACK = object(), object()


class _RolledBack(Exception):
    pass


class PlanWriter:
    """A context manager: ``begin()``, then ``write(plans)`` or ``run(fn)`` any number of
    times; the block commits when it ends normally and rolls back when it raises."""

    def __init__(self, station: Station):
        self.station = station
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._nested = contextlib.ExitStack()  # the caller's connection, when no thread
        self.began = False

    def begin(self) -> None:
        self.began = True
        if self.station.conn.in_transaction:  # part of the caller's transaction
            self._nested.enter_context(self.station.atomic())
            return
        self._thread = threading.Thread(target=self._work, name="import-writer", daemon=True)
        self._thread.start()

    def write(self, plans: list[Plan]) -> None:
        self.run(lambda station: write_plans(station, plans))

    def run(self, fn: Callable[[Station], object]) -> None:
        """Do ``fn(station)`` in the transaction (in the writer thread, in order)."""
        if self._thread is None:
            fn(self.station)
            return
        self._put(fn)

    def _end(self, ok: bool) -> None:
        if self._thread.is_alive():
            self._put(_COMMIT if ok else _ROLL_BACK, always=True)
            self._thread.join()
        if ok and self._error is not None:
            raise self._error

    def _put(self, item, always: bool = False) -> None:
        while True:
            if self._error is not None and not always:
                raise self._error
            if not self._thread.is_alive():
                if always:
                    return
                raise self._error or RuntimeError("import writer stopped")
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def _work(self) -> None:
        try:
            station = open_station(self.station.data_dir)
        except BaseException as exc:  # reported in the caller's thread
            self._error = exc
            return
        station.account = self.station.account
        station.actor = self.station.actor
        station.conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        try:
            with station.atomic():
                while (item := self._queue.get()) is not _COMMIT:
                    if item is _ROLL_BACK:
                        raise _RolledBack()
                    item(station)
        except _RolledBack:
            pass
        except BaseException as exc:
            self._error = exc
            self._drain()
        finally:
            station.close()

    def _drain(self) -> None:
        """After a failure: take what the caller still sends until it ends the writer."""
        while self._queue.get() not in (_COMMIT, _ROLL_BACK):
            pass

    def __enter__(self) -> "PlanWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._thread is not None:
            self._end(exc_type is None)
        else:
            self._nested.__exit__(exc_type, exc, tb)


class StreamingWriter:
    """``send`` chunks of ParsedRow inside the ``with`` block: the block commits when it
    ends normally and rolls back when it raises. Counts outcomes as apply_import does."""

    def __init__(self, station: Station, use_file_values: bool = False):
        self.station = station
        self.use_file_values = use_file_values
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "conflicts": 0}
        self._writer = PlanWriter(station)
        self._on = today()

    def send(self, chunk: list[ParsedRow]) -> None:
        """Plan the chunk against the station and write what changes."""
        found = lookup(self.station, (row.id_number for row in chunk))
        choose = (lambda _field: True) if self.use_file_values else (lambda _field: False)
        plans = []
        for row in chunk:
            plan = plan_row(found.get(row.id_number), row, self._on, choose)
            self.counts[plan.outcome] += 1
            self.counts["conflicts"] += bool(plan.conflicts)
            plans.append(plan)
        if not self._writer.began and any(plan.outcome != "unchanged" for plan in plans):
            make_backup(self.station, "import")
            self._writer.begin()
        if self._writer.began:
            self._writer.write(plans)

    def __enter__(self) -> "StreamingWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """Commit when the block ended normally, roll back when it raised."""
        self._writer.__exit__(exc_type, exc, tb)
