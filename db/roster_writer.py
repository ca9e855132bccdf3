"""Writing an import as the file is read (the one-call import of the command line).

When nobody needs to look at a preview first, each chunk of cleaned rows is written as
soon as it is read: one pass over the file, no scratch copy of the rows. It is still one
transaction, committed only after the last row was read and rolled back on any error or
cancel. The backup is made just before the first real change, so importing a file that
changes nothing neither writes nor backs up.

(A writer thread overlapping SQLite with the reading was tried and dropped: the audit
triggers call ``jobstation_actor()``, a Python function, for every row, so the two
threads only took turns at Python's lock and the import got slower.)
"""

import contextlib

from .backup import make_backup
from .clock import today
from .roster_fields import ParsedRow
from .roster_plan import lookup, plan_row, write_plans
from .station import Station


class StreamingWriter:
    """``send`` chunks of ParsedRow, then ``finish`` (commit) or ``abort`` (roll back).
    Counts outcomes as apply_import does; use as a context manager."""

    def __init__(self, station: Station, use_file_values: bool = False):
        self.station = station
        self.use_file_values = use_file_values
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "conflicts": 0}
        self._transaction = contextlib.ExitStack()
        self._began = False
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
        if not self._began and any(plan.outcome != "unchanged" for plan in plans):
            make_backup(self.station, "import")
            self._transaction.enter_context(self.station.atomic())
            self._began = True
        if self._began:
            write_plans(self.station, plans)

    def __enter__(self) -> "StreamingWriter":
        return self

    def __exit__(self, *exc) -> bool | None:
        """Commit when the block ended normally, roll back when it raised."""
        return self._transaction.__exit__(*exc)
