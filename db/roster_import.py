"""Import a roster (花名册) from .xlsx, .xls or .csv: preview first, then all or nothing.

``analyze`` reads the file once, streaming: it finds the header, cleans every row with
the people service's own validation, refuses what cannot be right (with the Excel row
number and a Chinese reason), notices an ID number seen twice, compares each person with
the station and keeps the cleaned rows in a scratch file. Nothing is written to the
station. ``apply_import`` then backs the station up and writes the kept rows in one
transaction, deciding again against the station as it is by then. Both report progress
through ``progress(done, total)`` and stop when ``cancelled()`` turns true; a cancelled
or failed import leaves the station untouched. Importing the same file again finds every
person unchanged and writes nothing.
"""

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from . import settings
from .backup import make_backup
from .clock import today
from .errors import StationError, ValidationError
from .excel import (
    FIELD_SYNONYMS,
    cell_text,
    find_header,
    is_blank,
    is_total_row,
    normalize_header,
)
from .roster_fields import (
    EXTRA_HEADERS,
    IMPORT_FIELDS,
    ParsedRow,
    RowLayout,
    has_data,
    parse_row,
)
from .roster_plan import Plan, lookup, plan_row, shown
from .roster_scratch import Scratch, dumps, loads
from .roster_source import roster_rows, scan_sheet
from .roster_writer import PlanWriter, StreamingWriter
from .station import Station

REMEMBERED = "import.remembered_headers"
CHUNK = 500
# While a roster is read, Python's cycle collector runs every 700 new objects by default,
# and every row makes dozens (openpyxl's cells, our cleaned values) that refcounting frees
# anyway: 5-7% of a 20,000-row import's time. Once every 50,000 still collects any cycle,
# so memory stays flat.
COLLECT_EVERY = 50_000
MAX_HEADER_SCAN = 20

MSG_NO_HEADER = ("在文件前20行中找不到表头：需要有“姓名”或“公民身份号码”这样的列名，"
                 "请指定表头所在的行。")
MSG_NO_ID_COLUMN = "请指定哪一列是“公民身份号码”，没有它就无法导入。"
MSG_NO_NAME_COLUMN = "请指定哪一列是“姓名”，没有它就无法导入。"
MSG_TWICE = "“{label}”被指定给了不止一列，请每个项目只选一列。"
MSG_CANCELLED = "已取消导入，本站数据没有任何改动。"
MSG_USED = "这次导入已经结束，请重新选择文件导入。"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ImportCancelled(StationError):
    """The clerk cancelled: nothing was written."""

    def __init__(self, message: str = MSG_CANCELLED):
        super().__init__(message)


# -- the header ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterHeader:
    """Where the header is (1-based ``row_number``; data begins below), the text of every
    header cell by column index, the field each recognized column maps to, and the
    columns a clerk said earlier never to import; ``samples`` holds each column's value in
    the first data row, to help the clerk tell what an unknown column is."""

    row_number: int
    texts: dict[int, str]
    columns: dict[int, str]
    ignored: frozenset[int] = frozenset()
    samples: dict[int, str] = field(default_factory=dict)

    @property
    def unmapped(self) -> dict[int, str]:
        """Columns neither recognized nor known to be ignored: the clerk should look."""
        return {i: text for i, text in self.texts.items()
                if i not in self.columns and i not in self.ignored}


def remembered_headers(station: Station) -> dict[str, str]:
    """Header text → field key ("" to ignore) that clerks taught earlier imports."""
    return dict(settings.get(station, REMEMBERED) or {})


def _taught(station: Station) -> dict[str, str]:
    """Known header texts beyond the synonyms; the clerk's own mappings win."""
    return {**EXTRA_HEADERS, **remembered_headers(station)}


_SYNONYMS = {normalize_header(t): key for key, texts in FIELD_SYNONYMS.items() for t in texts}


def _map_header_row(cells: list, taught: dict[str, str]) -> dict[int, str]:
    known = {normalize_header(text): key for text, key in taught.items()}
    columns: dict[int, str] = {}
    for index, value in enumerate(cells):
        key = normalize_header(cell_text(value))
        field_key = known[key] if key in known else _SYNONYMS.get(key)
        if field_key and field_key not in columns.values():
            columns[index] = field_key
    return columns


def _texts(cells: list, above: list) -> dict[int, str]:
    texts = {}
    for index in range(max(len(cells), len(above))):
        value = cells[index] if index < len(cells) else None
        if value is None and index < len(above):
            value = above[index]
        text = cell_text(value)
        if text:
            texts[index] = text
    return texts


def read_header(station: Station, path, *, sheet=None, header_row: int | None = None
                ) -> RosterHeader:
    """Find the header (or take row ``header_row``) and map its columns to fields."""
    taught = _taught(station)
    rows = roster_rows(path, sheet)
    try:
        if header_row is not None:
            return _header_at(rows, header_row, taught)
        scanned = _first_rows(rows)
    finally:
        rows.close()
    return _header_in(scanned, taught)


def _first_rows(rows: Iterator[tuple[int, list]]) -> list[tuple[int, list]]:
    return [row for _, row in zip(range(MAX_HEADER_SCAN), rows, strict=False)]


def _header_in(scanned: list[tuple[int, list]], taught: dict[str, str]) -> RosterHeader:
    """The header among the first rows, or ValidationError when there is none."""
    match = find_header(scanned, max_scan=MAX_HEADER_SCAN, remembered=taught)
    if match is None:
        raise ValidationError(MSG_NO_HEADER)
    cells = dict(scanned).get(match.row_number, [])
    above = dict(scanned).get(match.row_number - 1, [])
    texts = {**_texts(cells, above), **match.labels, **match.unmapped}
    below = next((row for number, row in scanned
                  if number > match.row_number and not is_blank(row)), [])
    return _header(match.row_number, dict(sorted(texts.items())), dict(match.columns), taught,
                   below)


def _header(row_number: int, texts: dict[int, str], columns: dict[int, str],
            taught: dict[str, str], first_data: list) -> RosterHeader:
    skip = {normalize_header(text) for text, key in taught.items() if not key}
    ignored = frozenset(i for i, text in texts.items()
                        if i not in columns and normalize_header(text) in skip)
    samples = {i: cell_text(first_data[i]) or "" for i in texts if i < len(first_data)}
    return RosterHeader(row_number, texts, columns, ignored, samples)


def _header_at(rows: Iterable, header_row: int, taught: dict[str, str]) -> RosterHeader:
    cells = None
    for number, row in rows:
        if number == header_row:
            cells = row
        elif cells is not None and not is_blank(row):
            break
    else:
        row = []
    if cells is None:
        raise ValidationError(f"文件中没有第 {header_row} 行。")
    return _header(header_row, _texts(cells, []), _map_header_row(cells, taught), taught, row)


def check_columns(columns: dict[int, str]) -> None:
    """Refuse a mapping without 公民身份号码 or 姓名, or with one field on two columns."""
    keys = list(columns.values())
    for key in set(keys):
        if keys.count(key) > 1:
            raise ValidationError(MSG_TWICE.format(label=IMPORT_FIELDS.get(key, key)))
    if "id_number" not in keys:
        raise ValidationError(MSG_NO_ID_COLUMN)
    if "name" not in keys:
        raise ValidationError(MSG_NO_NAME_COLUMN)


# -- the preview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    row: int
    reason: str


@dataclass(frozen=True)
class Conflict:
    """A value in the file that differs from the station's for a registered person."""

    row: int
    id_number: str
    name: str
    field: str
    station_value: str
    file_value: str

    @property
    def label(self) -> str:
        return IMPORT_FIELDS.get(self.field, self.field)


@dataclass
class RosterAnalysis:
    """What an import would do; counts add up: created + updated + unchanged + rejected = rows.

    ``conflicts`` counts people with at least one differing value (they are also counted
    as updated or unchanged); ``list_conflicts`` gives the values.
    """

    path: Path
    sheet: object
    header: RosterHeader
    columns: dict[int, str]
    scratch: Scratch
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    skipped: int = 0  # blank and 合计 lines
    rejected: list[Rejection] = field(default_factory=list)

    def counts(self) -> dict:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "conflicts": self.conflicts,
                "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected]}

    def discard(self) -> None:
        """Forget the preview (deletes its scratch file)."""
        self.scratch.remove()


def _tick(progress: Progress | None, cancelled: Cancelled | None, done: int, total: int) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    if progress is not None:
        progress(done, total)


class _Collector:
    """Gathers one preview: sorts rows into the scratch file, counts outcomes."""

    def __init__(self, station: Station, analysis: RosterAnalysis, conn, sink=None):
        self.station, self.analysis, self.conn, self.sink = station, analysis, conn, sink
        self.buffer: list[tuple[int, ParsedRow]] = []
        self.on = today()

    def reject(self, number: int, reasons: str, cells: list) -> None:
        self.analysis.rejected.append(Rejection(number, reasons))
        self.conn.execute("INSERT INTO rejected VALUES (?, ?, ?)", [number, reasons, dumps(cells)])

    def keep(self, number: int, parsed: ParsedRow, cells: list) -> None:
        added = self.conn.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)",
                                  [parsed.id_number, number]).rowcount
        if not added:
            first = self.conn.execute("SELECT row_no FROM seen WHERE id_number = ?",
                                      [parsed.id_number]).fetchone()[0]
            self.reject(number, f"与第{first}行的公民身份号码相同，同一人只导入一次，本行未导入。",
                        cells)
            return
        self.buffer.append((number, parsed))
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.sink is not None:
            if self.buffer:
                self.sink([parsed for _, parsed in self.buffer])
            self.buffer = []
            return
        found = lookup(self.station, (p.id_number for _, p in self.buffer))
        a = self.analysis
        pending, conflicts = [], []
        for number, parsed in self.buffer:
            plan = plan_row(found.get(parsed.id_number), parsed, self.on)
            setattr(a, plan.outcome, getattr(a, plan.outcome) + 1)
            a.conflicts += bool(plan.conflicts)
            pending.append((number, parsed.id_number,
                            dumps([parsed.person, parsed.given, parsed.status])))
            name = found[parsed.id_number]["name"] if plan.conflicts else ""
            conflicts += [(number, parsed.id_number, name, key, shown(key, old), shown(key, new))
                          for key, old, new in plan.conflicts]
        self.conn.executemany("INSERT INTO pending VALUES (?, ?, ?)", pending)
        self.conn.executemany("INSERT INTO conflict VALUES (?, ?, ?, ?, ?, ?)", conflicts)
        self.buffer = []


def analyze(station: Station, path, *, sheet=None, header: RosterHeader | None = None,
            columns: dict[int, str] | None = None, progress: Progress | None = None,
            cancelled: Cancelled | None = None,
            sink: Callable[[list[ParsedRow]], None] | None = None) -> RosterAnalysis:
    """Preview importing ``path``: nothing is written to the station.

    ``header`` and ``columns`` (column index → field key, as the clerk confirmed them)
    default to what ``read_header`` finds. Raises ValidationError for a file that cannot
    be read or a mapping without 姓名/公民身份号码, ImportCancelled when cancelled.
    With ``sink``, valid rows go to it in chunks instead of being kept for apply_import
    (and are not counted as created/updated/unchanged here).
    """
    with _fewer_collections(), roster_stream(station, path, sheet, header) as (
            header, rows, total):
        columns = dict(header.columns if columns is None else columns)
        check_columns(columns)
        analysis = RosterAnalysis(Path(path), sheet, header, columns,
                                  Scratch.create(station.data_dir))
        try:
            with analysis.scratch.connect() as conn:
                _read_rows(station, analysis, conn, rows, total, progress, cancelled, sink)
        except BaseException:
            analysis.discard()
            raise
    return analysis


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cycle collector's first generation collected less often while the block runs."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], COLLECT_EVERY), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@contextmanager
def roster_stream(station: Station, path, sheet=None, header: RosterHeader | None = None
                  ) -> Iterator[tuple[RosterHeader, Iterable[tuple[int, list]], int]]:
    """``(header, rows, total)`` reading the file once: the header (found among the first
    rows unless given), every row from the top, and the row count for progress (0 when
    unknown). The file is released when the block ends."""
    scan = scan_sheet(path, sheet)
    rows = roster_rows(path, sheet, scan)
    try:
        stream: Iterable[tuple[int, list]] = rows
        if header is None:
            first = _first_rows(rows)
            header, stream = _header_in(first, _taught(station)), chain(first, rows)
        yield header, stream, scan.rows or 0
    finally:
        rows.close()


def _read_rows(station, analysis: RosterAnalysis, conn, rows, total, progress, cancelled,
               sink) -> None:
    collector = _Collector(station, analysis, conn, sink)
    labels = analysis.header.texts
    columns = analysis.columns
    layout = RowLayout(columns, labels)
    for number, cells in rows:
        if number % 200 == 0:
            _tick(progress, cancelled, number, max(total, number))
        if number <= analysis.header.row_number:
            continue
        if is_blank(cells) or not has_data(cells, columns) or _is_total(cells):
            analysis.skipped += 1
            continue
        analysis.rows += 1
        parsed = parse_row(cells, columns, labels, collector.on, layout)
        if isinstance(parsed, list):
            collector.reject(number, "".join(parsed), cells)
        else:
            collector.keep(number, parsed, cells)
    collector.flush()
    _tick(progress, cancelled, total, total)


def _is_total(cells: list) -> bool:
    """``is_total_row``, asked only of rows with a 计 in some text cell: every totals word
    (合计/总计/小计/共计) ends in 计, and no other character turns into 计 under NFKC, so
    the other rows are not totals and skip its normalizing of every cell."""
    return any(isinstance(value, str) and "计" in value for value in cells) and is_total_row(cells)


def list_conflicts(analysis: RosterAnalysis, limit: int | None = None) -> list[Conflict]:
    """The differing values found by the preview, in file order."""
    with analysis.scratch.connect() as conn:
        rows = conn.execute("SELECT * FROM conflict ORDER BY row_no, rowid LIMIT ?",
                            [-1 if limit is None else limit]).fetchall()
    return [Conflict(*row) for row in rows]


def list_rejected(analysis: RosterAnalysis, limit: int | None = None
                  ) -> list[tuple[int, str, str]]:
    """(row, the name written in the row, reason) of each refused row, in file order."""
    name_at = next((i for i, key in analysis.columns.items() if key == "name"), None)
    with analysis.scratch.connect() as conn:
        rows = conn.execute("SELECT row_no, reason, cells FROM rejected ORDER BY row_no LIMIT ?",
                            [-1 if limit is None else limit]).fetchall()
    found = []
    for number, reason, cells in rows:
        values = loads(cells)
        name = values[name_at] if name_at is not None and name_at < len(values) else None
        found.append((number, cell_text(name) or "", reason))
    return found


# -- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    conflicts: int
    rejected: tuple[Rejection, ...]

    def counts(self) -> dict:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "conflicts": self.conflicts,
                "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected]}

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _chooser(use_file_values, id_number: str) -> Callable[[str], bool]:
    if use_file_values is True:
        return lambda _field: True
    chosen = use_file_values or ()
    return lambda field_key: (id_number, field_key) in chosen


def apply_import(station: Station, analysis: RosterAnalysis, *,
                 use_file_values: bool | set[tuple[str, str]] = False,
                 remember: dict[str, str] | None = None, progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> ImportResult:
    """Write the previewed rows: a backup first, then one transaction, all or nothing.

    ``use_file_values`` is True (the file wins every conflict) or a set of
    ``(id_number, field)`` whose file value the clerk chose. ``remember`` maps header texts
    to field keys ("" to ignore) to keep for later imports. A successful import uses the
    preview up; after a failure or cancel it can be applied again.
    """
    if not analysis.scratch.exists:
        raise ValidationError(MSG_USED)
    if analysis.created or analysis.updated or analysis.conflicts or remember:
        make_backup(station, "import")
    counts = {"created": 0, "updated": 0, "unchanged": 0, "conflicts": 0}
    with PlanWriter(station) as writer:
        writer.begin()
        _write_all(station, writer, analysis, use_file_values, counts, progress, cancelled)
        if remember:
            taught = {**remembered_headers(station), **remember}
            writer.run(lambda writing: settings.put(writing, REMEMBERED, taught))
    analysis.discard()  # kept after a failure or cancel, so the clerk can try again
    return ImportResult(analysis.rows, rejected=tuple(analysis.rejected), **counts)


def _write_all(station, writer: PlanWriter, analysis, use_file_values, counts, progress,
               cancelled) -> None:
    total = analysis.rows - len(analysis.rejected)
    done, on = 0, today()
    for chunk in analysis.scratch.pending_chunks(CHUNK):
        _tick(progress, cancelled, done, total)
        parsed = [ParsedRow(*loads(text)) for _, text in chunk]
        found = lookup(station, (p.id_number for p in parsed))
        plans: list[Plan] = []
        for row in parsed:
            choose = _chooser(use_file_values, row.id_number)
            plan = plan_row(found.get(row.id_number), row, on, choose)
            counts[plan.outcome] += 1
            counts["conflicts"] += bool(plan.conflicts)
            plans.append(plan)
        writer.write(plans)
        done += len(chunk)
    _tick(progress, cancelled, total, total)


def import_roster(station: Station, path, *, sheet=None, dry_run: bool = False,
                  use_file_values: bool = False, report: str | os.PathLike | None = None,
                  progress: Progress | None = None, cancelled: Cancelled | None = None
                  ) -> ImportResult:
    """Import in one call, as the command line does: no preview to wait for, so each chunk
    is written as soon as it is read (one transaction, a backup before the first change).
    ``dry_run`` only previews; ``report`` receives the refused rows as .xlsx.
    """
    from .roster_report import write_rejected

    if dry_run:
        analysis = analyze(station, path, sheet=sheet, progress=progress, cancelled=cancelled)
        try:
            if report is not None:
                write_rejected(analysis, report)
            return ImportResult(analysis.rows, analysis.created, analysis.updated,
                                analysis.unchanged, analysis.conflicts, tuple(analysis.rejected))
        finally:
            analysis.discard()
    with StreamingWriter(station, use_file_values) as writer:
        analysis = analyze(station, path, sheet=sheet, progress=progress, cancelled=cancelled,
                           sink=writer.send)
        try:
            if report is not None:
                write_rejected(analysis, report)
        finally:
            analysis.discard()  # its scratch rows are no longer needed
    return ImportResult(analysis.rows, rejected=tuple(analysis.rejected), **writer.counts)
