"""The county reads a station's bundle: every change once, in each station's own order,
field by field, recording conflicts and merging people registered twice."""

import contextlib
import gc
import hashlib
import itertools
import json
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from db import backup
from db.clock import now_iso
from db.outbox import APPLYING
from db.station import Station
from db.sync_tables import SYNCED

from .. import bundle
from ..apply import Applier, Change, Conflict, silenced
from ..conflicts import person_name
from ..errors import BundleRefused, SyncError
from ..jsontext import change_text, sorted_text
from ..keys import PublicKeys, enrollment_proof
from .enrollment import _pending_code, register
from .publish import snapshot_to
from .store import county, station_keys

FUTURE_MS = 5 * 60 * 1000     # stamps further ahead than this are the PC's clock, not time
BIG = 2000
# Records that are one thing county-wide, whichever station registered them first: the
# columns that identify them, and which of them count (the live, or the open, ones).
NATURAL_KEYS = {
    "person": (("id_number",), "deleted_at IS NULL"),
    "employer": (("credit_code",), "deleted_at IS NULL"),
    "brand_tag": (("person_id", "brand"), "deleted_at IS NULL"),
    "ledger_entry": (("person_id",), "left_on IS NULL AND deleted_at IS NULL"),
}
# The columns those conditions ask to be empty.
LIVE = {"person": ("deleted_at",), "employer": ("deleted_at",), "brand_tag": ("deleted_at",),
        "ledger_entry": ("left_on", "deleted_at")}


@dataclass
class Ingested:
    site: str
    station_code: str
    epoch: int
    cursor: int
    applied: int = 0
    parked: int = 0
    duplicate: bool = False
    rewound_from: int | None = None
    conflicts: int = 0
    clock_warning: bool = False
    rejected: list[dict] = field(default_factory=list)
    settled_ids: list[str] = field(default_factory=list)
    # [epoch, eseq, hlc] of changes stamped by a clock far ahead, and the time they got
    clamped: list[list[int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"station": self.station_code, "applied": self.applied, "parked": self.parked,
                "duplicate": self.duplicate, "conflicts": self.conflicts,
                "rejected": self.rejected, "clock_warning": self.clock_warning,
                "rewound": self.rewound_from is not None}


class _Rewound(Exception):
    def __init__(self, eseq: int):
        self.eseq = eseq


def record_hash(record: dict, *, plain: bool = False) -> str:
    """SHA-256 of the change's table, key, clock and columns as sorted-key JSON: the text
    must never change (``jsontext.sorted_text``), or a resent record looks rewound.
    ``plain``: the record is known to hold only text, whole numbers and NULL."""
    body = {"t": record.get("t"), "k": record.get("k"), "h": record.get("h"),
            "c": record.get("c")}
    return hashlib.sha256(sorted_text(body, plain=plain)).hexdigest()


def _sender(store: Station, enroll: dict):
    def check(manifest: dict) -> PublicKeys:
        site = manifest.get("from")
        keys = station_keys(store, site)
        if keys is not None:
            return keys
        request = manifest.get("enroll") or {}
        try:
            keys = PublicKeys(bytes.fromhex(request["sign_pub"]), bytes.fromhex(request["kex_pub"]))
            code = _pending_code(store, str(request["station_code"]))
            valid = (code is not None and request.get("site_id") == site and
                     enrollment_proof(code, request["station_code"], keys) == request["proof"])
        except (KeyError, ValueError, TypeError):
            valid = False
        if not valid:
            raise BundleRefused("这个数据包来自未在本县登记的服务站（或登记已被撤销），已拒绝导入。",
                                "unknown_station")
        enroll.update(request)
        return keys
    return check


def open_station_bundle(store: Station, path: Path | bytes) -> tuple[bundle.Bundle, dict]:
    """Read and check a station's bundle; returns it and any enrollment it carries. Its
    records are read part by part while they are ingested (``bundle.Parts``)."""
    ident = county(store)
    enroll: dict = {}
    opened = bundle.open_bundle(path, _sender(store, enroll), ident.keys, ident.site_id)
    header = opened.header
    if header.get("kind") != "changes" or header.get("site") != opened.sender:
        raise BundleRefused(bundle.TAMPERED, "tampered")
    bundle.numbers(header, "cursor")
    bundle.numbers(header, "epoch", default=1)
    bundle.listed(header, "settlements")
    if not isinstance(header.get("station_name"), str | None):
        raise BundleRefused(bundle.TAMPERED, "tampered")
    return opened, enroll


def ingest(store: Station, opened: bundle.Bundle, enroll: dict, *, way: str) -> Ingested:
    """Apply a station's bundle in one transaction. A history that differs from what the
    county holds for the same numbers (a station copied back from an old backup) is refused
    whole, with the first differing number, so the station can renumber and resend.

    The records stream in part by part, in the station's order. Should a bundle list them
    out of order, the transaction is rolled back and the bundle applied again, sorted.
    A part that turns out damaged rolls everything back, the enrollment too."""
    seen = store.scalar("SELECT 1 FROM county_bundle_seen WHERE bundle_id = ?",
                        [opened.bundle_id])
    if not seen and _count(opened.records) >= BIG:
        backup.make_backup(store, reason="sync")
    with _collector_paused():
        try:
            return _ingest(store, opened, enroll, way, _in_order(opened.records), bool(seen))
        except _Unsorted:
            return _ingest(store, opened, enroll, way, sorted(
                opened.records, key=lambda r: (_int(r.get("e")), _int(r.get("q")))),
                bool(seen))


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off while a bundle is read and applied. Every record
    decodes into some forty dicts and lists that live until their part is in, so the
    collector kept walking the whole part and queue: two thirds of the time spent
    decoding JSON. The records hold no cycles (refcounting frees them); anything cyclic
    made meanwhile waits for the collector's next run."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _ingest(store: Station, opened: bundle.Bundle, enroll: dict, way: str, records,
            seen: bool) -> Ingested:
    header = opened.header
    site = opened.sender
    try:
        with store.atomic() as db:
            if enroll:
                register(store, enroll, way=way)
            result = _result(store, site, header)
            if seen:
                result.duplicate = True
                return result
            with silenced(db.conn), _idle_triggers_dropped(db.conn,
                                                           _count(opened.records)) as big:
                _Ingest(store, site, result, big=big).run(records)
                _settle(store, header.get("settlements") or [], result)
                db.execute("INSERT INTO county_bundle_seen VALUES (?, ?, ?)",
                           [opened.bundle_id, site, now_iso()])
                db.execute("UPDATE county_station SET last_contact = ?, last_way = ?, cursor = "
                           "max(cursor, ?), name = coalesce(?, name) WHERE site_id = ?",
                           [now_iso(), way, result.cursor, header.get("station_name"), site])
    except _Rewound as rewound:
        if enroll:   # the station is enrolled even though its history is refused
            register(store, enroll, way=way)
        result = _result(store, site, header)
        result.rewound_from = rewound.eseq
    return result


@contextlib.contextmanager
def _idle_triggers_dropped(conn: sqlite3.Connection, changes: int):
    """For a big bundle, the triggers that do nothing while changes are applied (change
    capture, the ledger's follow-up of a person: ``WHEN ... applying = 0``) are dropped for
    the ingest and made again after it, in the same transaction. SQLite still enters such a
    trigger for every row to test its WHEN, at a cost that grows with the trigger's size:
    for a status arriving, the person update it causes cost about four times the insert.
    A table's triggers are all made again in their first order, so they fire as before
    (and the bulk insert may take a table's summary trigger out meanwhile: _Summary)."""
    if changes < BIG:
        yield False
        return
    triggers = conn.execute("SELECT name, tbl_name, sql FROM sqlite_master "
                            "WHERE type = 'trigger' ORDER BY rowid").fetchall()
    idle = {name for name, _tbl, sql in triggers if idle_while_applying(sql)}
    tables = {tbl for name, tbl, _sql in triggers if name in idle}
    for name in idle:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield True
    for name, tbl, _sql in triggers:
        if tbl in tables and name not in idle:
            conn.execute(f'DROP TRIGGER "{name}"')
    for _name, tbl, sql in triggers:
        if tbl in tables:
            conn.execute(sql)


def idle_while_applying(sql: str) -> bool:
    """Whether a trigger's WHEN requires ``applying = 0`` whatever else it says: the guard
    is its first or last term, joined by AND to terms with no OR outside parentheses."""
    head, when, rest = sql.partition(" WHEN ")
    if not when or " BEGIN " in head:
        return False
    condition = rest.partition(" BEGIN ")[0]
    for others in (condition.removeprefix(f"{APPLYING} AND "),
                   condition.removesuffix(f" AND {APPLYING}")):
        if condition == APPLYING or (others != condition and not _top_level_or(others)):
            return True
    return False


def _top_level_or(condition: str) -> bool:
    depth = 0
    for i, char in enumerate(condition):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and condition.startswith(" OR ", i):
            return True
    return "'" in condition or '"' in condition      # quotes: not worth reading closer


def _result(store: Station, site: str, header: dict) -> Ingested:
    code = store.scalar("SELECT station_code FROM county_station WHERE site_id = ?", [site])
    return Ingested(site, code, *bundle.numbers(header, "epoch", default=1),
                    *bundle.numbers(header, "cursor"))


class _Unsorted(Exception):
    """The bundle lists a record before one that comes earlier in the station's order."""


def _in_order(records):
    last = (0, 0)
    for record in records:
        key = (_int(record.get("e")), _int(record.get("q")))
        if key < last:
            raise _Unsorted
        last = key
        yield record


def _count(records) -> int:
    return records.count if isinstance(records, bundle.Parts) else len(records)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class _Ingest:
    def __init__(self, store: Station, site: str, result: Ingested, *, big: bool = False):
        self.big = big
        self.store = store
        self.conn = store.conn
        self.site = site
        self.result = result
        self.applier = Applier(self.conn, detect_conflicts=True)
        self.fk = _foreign_keys(self.conn)
        self.parked = bool(self.conn.execute(
            "SELECT 1 FROM county_parked WHERE site = ? LIMIT 1", [site]).fetchone())
        self.aliases = {(t, pk): canonical for t, pk, canonical in self.conn.execute(
            "SELECT tbl, pk, canonical FROM county_alias")}
        self.merged: list[tuple[str, str]] = []   # records this station registered again
        self.ingested: dict[int, int] = dict(self.conn.execute(
            "SELECT epoch, ingested FROM county_epoch WHERE site = ?", [site]).fetchall())
        self.bulk = _Bulk(self)

    def run(self, records) -> None:
        for record in records:
            self._step(record)
        self.bulk.flush()
        for epoch, done in self.ingested.items():
            self.conn.execute("INSERT INTO county_epoch VALUES (?, ?, ?) ON CONFLICT (site, epoch) "
                              "DO UPDATE SET ingested = excluded.ingested",
                              [self.site, epoch, done])
        for table, pk in dict.fromkeys(self.merged):
            # the station renames its record to the county's key (alias); it then receives
            # the merged record whole, newer than what it held under either key
            snapshot_to(self.store, table, pk, self.site)
        self.result.parked = self.store.scalar(
            "SELECT count(*) FROM county_parked WHERE site = ?", [self.site])

    def _step(self, record: dict, digest: str | None = None, *, bulk: bool = True) -> None:
        """One record in the station's order: queued for the bulk insert when it creates a
        record the county does not hold, else applied on its own once the queue is in."""
        epoch, eseq = _int(record.get("e")), _int(record.get("q"))
        if epoch < 1 or eseq < 1:
            return
        change, plain = _plain(record) if bulk else (None, False)
        digest = digest or record_hash(record, plain=plain)
        if change is not None and self.bulk.add(epoch, eseq, record, digest, change, plain):
            return
        self.bulk.flush()
        # the log holds this station's numbers up to ``done`` and none beyond (parked ones
        # are logged when they are applied), so only those can have been seen before
        done = self.ingested.get(epoch, 0)
        held = self.conn.execute("SELECT hash, hlc, kind FROM county_log WHERE site = ? "
                                 "AND epoch = ? AND eseq = ?",
                                 [self.site, epoch, eseq]).fetchone() if eseq <= done else None
        if held:
            if held[0] != digest:
                raise _Rewound(eseq)
            if held[2] == "change" and held[1] != _int(record.get("h")):
                self.result.clamped.append([epoch, eseq, held[1]])
            return
        done = self.ingested.get(epoch, 0)
        if eseq <= done:
            return
        if eseq > done + 1:
            self.parked = True
            self.conn.execute("INSERT OR REPLACE INTO county_parked VALUES (?, ?, ?, ?)",
                              [self.site, epoch, eseq, json.dumps(record)])
            return
        self._one(epoch, eseq, record, digest)
        self._drain(epoch)

    def _drain(self, epoch: int) -> None:
        if not self.parked:
            return
        while True:
            nxt = self.ingested.get(epoch, 0) + 1
            row = self.conn.execute("SELECT record FROM county_parked WHERE site = ? AND "
                                    "epoch = ? AND eseq = ?", [self.site, epoch, nxt]).fetchone()
            if not row:
                return
            self.conn.execute("DELETE FROM county_parked WHERE site = ? AND epoch = ? AND "
                              "eseq = ?", [self.site, epoch, nxt])
            record = json.loads(row[0])
            self._one(epoch, nxt, record, record_hash(record))

    def _one(self, epoch: int, eseq: int, record: dict, digest: str) -> None:
        self.ingested[epoch] = eseq
        try:
            change = Change.from_record(record)
        except ValueError:
            self._reject(epoch, eseq, record, "数据包中这条变更格式不对。")
            return
        change.site = self.site
        self._follow_aliases(change)
        now = int(time.time() * 1000)
        if change.hlc > now + FUTURE_MS:
            self.result.clock_warning = True
            change.hlc = max(now, self._county_hlc() + 1)
            self.result.clamped.append([epoch, eseq, change.hlc])
        self._merge_same_record(change)
        may, mine = self._may_write(change)
        if not may:
            self._reject(epoch, eseq, record, "不能修改其他服务站的记录。")
            return
        self.store.actor = f"{self.result.station_code}：{change.actor}"
        outcome = self.applier.apply(change)
        if outcome.rejected:
            self._reject(epoch, eseq, record, outcome.rejected)
            return
        self.result.applied += 1
        self.conn.execute(
            "INSERT INTO county_log (kind, tbl, pk, hlc, site, epoch, eseq, hash, actor, ch) "
            "VALUES ('change', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [change.table, change.pk, change.hlc, self.site, epoch, eseq, digest, change.actor,
             change_text(change.changes)])
        if not mine:
            self.conn.execute("INSERT OR IGNORE INTO county_interest VALUES (?, ?, ?)",
                              [change.table, change.pk, self.site])
        for conflict in outcome.conflicts:
            record_conflict(self.store, conflict)
            self.result.conflicts += 1

    def _may_write(self, change: Change) -> tuple[bool, bool]:
        """A station writes new records and the records it holds (wrote, merged into, or
        was handed); never another station's. Also: whether it holds this one already."""
        held, mine, everyone = self.conn.execute(
            f'SELECT EXISTS (SELECT 1 FROM "{change.table}" WHERE id = ?2), EXISTS (SELECT 1 '
            "FROM county_interest WHERE tbl = ?1 AND pk = ?2 AND site = ?3), EXISTS (SELECT 1 "
            "FROM county_interest WHERE tbl = ?1 AND pk = ?2 AND site = '*')",
            [change.table, change.pk, self.site]).fetchone()
        return (not held or mine or everyone), bool(mine)

    def _county_hlc(self) -> int:
        return self.store.scalar("SELECT coalesce(max(hlc), 0) FROM county_log")

    def _reject(self, epoch: int, eseq: int, record: dict, reason: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO county_rejected VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [self.site, epoch, eseq, str(record.get("t")), str(record.get("k")),
                           reason, now_iso()])
        # The number is used: it must still hash the same when resent.
        self.conn.execute(
            "INSERT INTO county_log (kind, tbl, pk, hlc, site, epoch, eseq, hash, actor, ch) "
            "VALUES ('rejected', ?, ?, 0, ?, ?, ?, ?, '', '{}')",
            [str(record.get("t")), str(record.get("k")), self.site, epoch, eseq,
             record_hash(record)])
        self.result.rejected.append({"epoch": epoch, "seq": eseq, "table": record.get("t"),
                                     "key": record.get("k"), "reason": reason})

    def _follow_aliases(self, change: Change) -> None:
        canonical = self._alias(change.table, change.pk)
        if canonical:
            change.pk = canonical
            if "id" in change.changes:
                old, new = change.changes["id"]
                change.changes["id"] = [old and canonical, new and canonical]
        for col, parent in self.fk.get(change.table, {}).items():
            if col in change.changes:
                old, new = change.changes[col]
                change.changes[col] = [self._alias(parent, old) or old,
                                       self._alias(parent, new) or new]

    def _alias(self, table: str, pk) -> str | None:
        if pk is None:
            return None
        return self.aliases.get((table, pk))

    def _merge_same_record(self, change: Change) -> None:
        """Two stations registered one worker (or one employer): the later record becomes
        the earlier one, and the station that sent it is told to rekey."""
        natural = NATURAL_KEYS.get(change.table)
        if natural is None or not change.is_insert:
            return
        columns, live = natural
        values = [change.changes.get(c, [None, None])[1] for c in columns]
        if any(v in (None, "") for v in values):
            return
        if change.table == "ledger_entry" and change.changes.get("left_on", [None, None])[1]:
            return
        match = " AND ".join(f'"{c}" = ?' for c in columns)
        other = self.store.scalar(
            f'SELECT id FROM "{change.table}" WHERE {match} AND {live} AND id <> ?',
            [*values, change.pk])
        if not other:
            return
        self.conn.execute("INSERT OR REPLACE INTO county_alias VALUES (?, ?, ?)",
                          [change.table, change.pk, other])
        self.aliases[(change.table, change.pk)] = other
        self.conn.execute(
            "INSERT INTO county_log (kind, tbl, pk, hlc, site, actor, ch, target) "
            "VALUES ('alias', ?, ?, 0, ?, '', ?, ?)",
            [change.table, change.pk, county(self.store).site_id, json.dumps({"to": other}),
             self.site])
        change.pk = other
        change.changes = self._merged_registration(change.table, other, change.changes)
        self.conn.execute("INSERT OR IGNORE INTO county_interest VALUES (?, ?, ?)",
                          [change.table, other, self.site])
        self.merged.append((change.table, other))

    def _merged_registration(self, table: str, pk: str, changes: dict) -> dict:
        """The second registration as edits of the first: what it leaves empty keeps the
        first's value, what only it knows fills in, and where both differ it is a conflict
        (its old value stays unknown, so the applier keeps both)."""
        cursor = self.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', [pk])
        current = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
        merged = {"id": [None, pk]}
        for col, (_old, new) in changes.items():
            if col in ("id", "created_at", "created_by") or new in (None, ""):
                continue
            held = current.get(col)
            merged[col] = [held if held in (None, "") else None, new]
        return merged


@dataclass
class _Queued:
    epoch: int
    eseq: int
    record: dict
    digest: str
    change: Change
    plain: bool = False     # no floats among its values
    natural: tuple | None = None    # its natural key's values, checked at the flush

    def row(self) -> dict:
        """The columns the one-by-one path would insert: the changed ones, and the key."""
        values = {c: v[1] for c, v in self.change.changes.items()}
        values["id"] = self.change.pk
        return values


class _Bulk:
    """Changes that create records the county does not hold yet, inserted table by table
    with ``executemany`` instead of one by one: the first sync of a big station is nearly
    all of these. A change qualifies when the one-by-one path would simply insert it: next
    in its station's order, well formed, of a known table and columns, not stamped in the
    future, not deleting, not of a record already queued, and (for records identified by a
    natural key) with nothing to merge with. The queue is inserted before anything else is
    applied, so every other change sees exactly the state it would have seen. Should the
    inserts break a constraint (a record the county holds after all, a missing parent, a
    number already logged), they are undone and the queue goes one by one: the same
    outcome, row by row."""

    LIMIT = 2000

    def __init__(self, ingest: "_Ingest"):
        self.ingest = ingest
        self.conn = ingest.conn
        self.queue: list[_Queued] = []
        self.before: dict[int, int | None] = {}       # each epoch's number before the queue
        self.keys: set[tuple[str, str]] = set()        # (table, pk) of queued records
        self.natural: set[tuple] = set()               # live natural keys of queued records
        self.parents: set[tuple[str, str]] = set()     # (table, pk) queued records refer to
        self.held: set[tuple[str, str]] = set()        # (table, pk) found held at a flush
        self.rank = _parents_first(ingest.fk)
        self.default_values: dict[str, dict | None] = {}
        self.summaries = _Summary.found(self.conn)
        self.site_json = json.dumps(ingest.site)

    def add(self, epoch: int, eseq: int, record: dict, digest: str, change: Change,
            plain: bool = False) -> bool:
        """Queue the change (``_plain_change`` of the record; ``plain``: without floats) if
        it only creates a new record; False sends it one by one."""
        ing = self.ingest
        table = change.table
        if (table, change.pk) in self.parents:
            # a queued change refers to this record before it exists: one by one, that
            # change is refused; inserted table by table, it would not be. So the queue goes
            # in first, and this change is judged against what that leaves.
            self.flush()
        if ing.parked or eseq != ing.ingested.get(epoch, 0) + 1:
            return False
        if table not in SYNCED or (table, change.pk) in ing.aliases or (
                (table, change.pk) in self.held):
            return False
        change.site = ing.site
        if ing.aliases:
            change.changes = dict(change.changes)   # aliases must not rewrite the record
            ing._follow_aliases(change)
        if (change.is_hard_delete or (table, change.pk) in self.keys
                or change.hlc > int(time.time() * 1000) + FUTURE_MS
                or not self._known(table).issuperset(change.changes)):
            return False
        if not change.is_insert:
            return False         # an edit: field by field (a record the county holds
                                 # already is found when the queue goes in: flush)
        natural = self._natural(change)
        if natural is False:
            return False
        refers = self._refers(change)
        if refers is None:
            return False
        self.queue.append(_Queued(epoch, eseq, record, digest, change, plain,
                                  natural[1:] if natural else None))
        self.before.setdefault(epoch, ing.ingested.get(epoch))
        ing.ingested[epoch] = eseq
        self.keys.add((table, change.pk))
        self.parents.update(refers)
        if natural and all(change.changes.get(c, [None, None])[1] is None
                           for c in LIVE[table]):
            self.natural.add(natural)
        if len(self.queue) >= self.LIMIT:
            self.flush()
        return True

    def _insert_rows(self, table: str, rows: list[_Queued]) -> None:
        """Insert one table's queued rows in one statement: a column a change leaves out
        gets its default, as it would in a statement naming only the changed columns."""
        defaults = self._defaults(table)
        if defaults is not None:
            columns = list(defaults)
            others = list(defaults.items())[:-1]
            values = []
            for q in rows:
                changes = q.change.changes
                values.append([changes[c][1] if c in changes else default
                               for c, default in others] + [q.change.pk])
            summary = self.summaries.get(table) if self.ingest.big else None
            if summary is None or summary.column not in columns:
                self.conn.executemany(_insert_sql(table, columns), values)
                return
            at = columns.index(summary.column)
            with summary.once(self.conn, [v[at] for v in values]):
                self.conn.executemany(_insert_sql(table, columns), values)
            return
        for columns, run in itertools.groupby((q.row() for q in rows), key=tuple):
            self.conn.executemany(_insert_sql(table, columns), [list(r.values()) for r in run])

    def _defaults(self, table: str) -> dict | None:
        """Each column's default value (``id`` last), or None when one is not a constant
        (then each set of changed columns needs its own statement)."""
        if table not in self.default_values:
            found: dict | None = {}
            for _cid, name, _type, _notnull, default, _pk in self.conn.execute(
                    f'PRAGMA table_info("{table}")'):
                if name == "id" or name not in self._known(table):
                    continue
                if default is None:
                    found[name] = None
                elif _CONSTANT.fullmatch(default):
                    found[name] = self.conn.execute(f"SELECT {default}").fetchone()[0]
                else:
                    found = None
                    break
            if found is not None:
                found["id"] = None
            self.default_values[table] = found
        return self.default_values[table]

    def _known(self, table: str) -> frozenset[str]:
        return self.ingest.applier.known(table)

    def _natural(self, change: Change):
        """For a record identified by a natural key: False when it may have to merge with a
        queued record (or cannot be told here), else its key (table, values...), or None
        when it has nothing to merge by. Whether the county holds a record to merge with is
        asked at the flush, for the whole queue at once (``_first_held``)."""
        natural = NATURAL_KEYS.get(change.table)
        if natural is None:
            return None
        if not change.is_insert:
            return False
        columns = natural[0]
        values = [change.changes.get(c, [None, None])[1] for c in columns]
        if not all(isinstance(v, str) or v is None for v in values):
            return False        # SQL would compare these by its own rules
        key = (change.table, *values)
        if any(v in (None, "") for v in values):
            return None         # nothing to merge by, nor for a later record to merge with
        if change.table == "ledger_entry" and change.changes.get("left_on", [None, None])[1]:
            return None
        if key in self.natural:
            return False
        return key

    def _refers(self, change: Change) -> list[tuple[str, str]] | None:
        """The (table, pk) of the records this change refers to; None when a reference is
        not text (SQL would compare it by its own rules)."""
        found = []
        for col, parent in self.ingest.fk.get(change.table, {}).items():
            if col in change.changes:
                value = change.changes[col][1]
                if value is None:
                    continue
                if not isinstance(value, str):
                    return None
                found.append((parent, value))
        return found

    def flush(self) -> None:
        """Insert the queue; on a broken constraint, undo it and apply it one by one. A
        record the county turns out to hold splits the queue: what comes before it goes
        in, and it and all after it are taken again in order (it one by one, field by
        field, as it would have gone from the start). Returns with the queue empty."""
        while self.queue:
            queue, before = self.queue, self.before
            self.queue, self.before = [], {}
            self.keys.clear()
            self.natural.clear()
            self.parents.clear()
            first_held = self._first_held(queue)
            if first_held is None:
                self._insert_or_step(queue, before)
                continue
            self._rewind(queue[first_held:], before)
            self._insert_or_step(queue[:first_held], before)
            for queued in queue[first_held:]:
                self.ingest._step(queued.record, queued.digest)

    def _first_held(self, queue: list[_Queued]) -> int | None:
        """Where the first queued record is that the county holds already, or that has a
        live record of the county to merge with (by its natural key); one query a table
        instead of one a record. Those found are remembered as held: they go one by one."""
        tables: dict[str, list[str]] = {}
        naturals: dict[str, dict[tuple, list[str]]] = {}
        for queued in queue:
            change = queued.change
            tables.setdefault(change.table, []).append(change.pk)
            if queued.natural:
                naturals.setdefault(change.table, {}).setdefault(queued.natural, []).append(
                    change.pk)
        found = set()
        for table, keys in tables.items():
            found.update((table, pk) for pk, in self.conn.execute(
                f'SELECT id FROM "{table}" WHERE id IN (SELECT value FROM json_each(?))',
                [json.dumps(keys)]))
        for table, by_key in naturals.items():
            found.update((table, pk) for pk in self._mergeable(table, by_key))
        if not found:
            return None
        self.held |= found
        return next(i for i, q in enumerate(queue) if (q.change.table, q.change.pk) in found)

    def _mergeable(self, table: str, by_key: dict[tuple, list[str]]) -> list[str]:
        """The queued keys (of ``by_key``: natural key values -> queued keys) whose natural
        key a live record of the county holds under another key."""
        columns, live = NATURAL_KEYS[table]
        pairs = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
        held: dict[tuple, set[str]] = {}
        for row in self.conn.execute(
                f'SELECT id, {", ".join(columns)} FROM "{table}" WHERE ({", ".join(columns)}) '
                f"IN (SELECT {pairs} FROM json_each(?)) AND {live}",
                [json.dumps(list(by_key))]):
            held.setdefault(tuple(row[1:]), set()).add(row[0])
        return [pk for values, pks in by_key.items() if values in held
                for pk in pks if held[values] - {pk}]

    def _rewind(self, queued: list[_Queued], before: dict[int, int | None]) -> None:
        """Each station number back to just before ``queued``, the end of the queue."""
        ingested = self.ingest.ingested
        for q in reversed(queued):
            if q.eseq == 1 and before.get(q.epoch, 0) is None:
                ingested.pop(q.epoch, None)
            else:
                ingested[q.epoch] = q.eseq - 1

    def _insert_or_step(self, queue: list[_Queued], before: dict[int, int | None]) -> None:
        if not queue:
            return
        self.conn.execute("SAVEPOINT sync_bulk")
        try:
            self._insert(queue)
        except sqlite3.IntegrityError:
            self.conn.execute("ROLLBACK TO sync_bulk")
            self.conn.execute("RELEASE sync_bulk")
            self._rewind(queue, before)
            for queued in queue:
                self.ingest._step(queued.record, queued.digest, bulk=False)
            return
        self.conn.execute("RELEASE sync_bulk")
        self.ingest.result.applied += len(queue)
        self.ingest.store.actor = f"{self.ingest.result.station_code}：{queue[-1].change.actor}"

    def _insert(self, queue: list[_Queued]) -> None:
        tables: dict[str, list[_Queued]] = {}
        for queued in queue:
            tables.setdefault(queued.change.table, []).append(queued)
        for table in sorted(tables, key=lambda t: (self.rank.get(t, 0), t)):
            # parents first; within a table, the station's order
            self._insert_rows(table, tables[table])
        site = self.ingest.site
        self.conn.executemany(
            "INSERT INTO sync_row (tbl, pk, clocks) VALUES (?, ?, ?) ON CONFLICT (tbl, pk) "
            "DO UPDATE SET clocks = excluded.clocks",
            [(q.change.table, q.change.pk, f'{{"*":[{q.change.hlc},{self.site_json}]}}')
             for q in queue])
        self.conn.executemany(
            "INSERT INTO county_log (kind, tbl, pk, hlc, site, epoch, eseq, hash, actor, ch) "
            "VALUES ('change', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(q.change.table, q.change.pk, q.change.hlc, site, q.epoch, q.eseq, q.digest,
              q.change.actor, change_text(q.change.changes, plain=q.plain))
             for q in queue])
        self.conn.executemany("INSERT OR IGNORE INTO county_interest VALUES (?, ?, ?)",
                              [(q.change.table, q.change.pk, site) for q in queue])


_PLAIN = frozenset({type(None), str, float, int})


def _plain_change(record: dict) -> Change | None:
    """``Change.from_record`` for a plain record, checked without a call per value; None
    for anything else (the one-by-one path then judges it with ``from_record`` itself).
    What passes here passes there: text, numbers SQLite can hold, NULL, as [old, new]."""
    return _plain(record)[0]


def _plain(record: dict) -> tuple[Change | None, bool]:
    """``_plain_change``, and whether the record holds nothing but text, whole numbers and
    NULL in the places a change has them (what ``sorted_text`` writes by orjson)."""
    try:
        change = Change(str(record["t"]), str(record["k"]), int(record["h"]), str(record["s"]),
                        str(record.get("a") or ""), record["c"])
    except (KeyError, TypeError, ValueError):
        return None, False
    if type(change.changes) is not dict or not 0 <= change.hlc < 2**62:
        return None, False
    pairs = change.changes.values()
    if not set(map(type, pairs)) <= {list} or not set(map(len, pairs)) <= {2}:
        return None, False
    values = list(itertools.chain.from_iterable(pairs))
    kinds = set(map(type, values))
    if not kinds <= _PLAIN:
        return None, False
    if int in kinds:
        whole = [v for v in values if type(v) is int]
        if min(whole) < -2**63 or max(whole) >= 2**63:
            return None, False
    return change, (float not in kinds and type(record["t"]) is str
                    and type(record["k"]) is str and type(record["h"]) is int)


@dataclass
class _Summary:
    """A trigger that keeps a summary of a record's children in the record, recomputed from
    all of them whenever one is added: a person's current status from the statuses, a
    ledger entry's last follow-up from the follow-ups. For a bulk insert it is taken out
    and the summary recomputed once per parent afterwards: the same end state (each
    recomputation reads every child there is), without running the trigger once a row."""

    name: str
    sql: str
    update: str       # its UPDATE, for a list of parents
    column: str       # the child's column naming the parent

    # triggers known to recompute (so running them once or many times ends alike)
    RECOMPUTING = ("status_current_insert", "ledger_followup_latest_insert")
    SHAPE = re.compile(r"CREATE TRIGGER (\w+) AFTER INSERT ON (\w+)(?: WHEN .+?)? BEGIN\s+"
                       r"(UPDATE \w+ SET\s"
                       r".+?)\s+WHERE id = NEW\.(\w+);\s*END", re.DOTALL)

    @classmethod
    def found(cls, conn: sqlite3.Connection) -> dict[str, "_Summary"]:
        summaries = {}
        for sql, in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND "
                                 "name IN (?, ?)", cls.RECOMPUTING):
            match = cls.SHAPE.fullmatch(sql.strip())
            if match and "NEW." not in match[3]:   # else: left to run row by row
                summaries[match[2]] = cls(match[1], sql, match[3] + " WHERE id IN (SELECT "
                                          "value FROM json_each(?))", match[4])
        return summaries

    @contextlib.contextmanager
    def once(self, conn: sqlite3.Connection, parents: list):
        conn.execute(f'DROP TRIGGER "{self.name}"')
        yield
        conn.execute(self.update, [json.dumps(list(dict.fromkeys(
            p for p in parents if p is not None)))])
        conn.execute(self.sql)


# A column default that is a plain value (a number, a quoted text or NULL).
_CONSTANT = re.compile(r"NULL|[-+]?\d+(\.\d+)?|'([^']|'')*'", re.IGNORECASE)


def _insert_sql(table: str, columns) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


def _parents_first(fk: dict[str, dict[str, str]]) -> dict[str, int]:
    """Each table's depth in the foreign-key graph: a table comes after those it refers to."""
    rank: dict[str, int] = {}

    def depth(table: str, seen: frozenset = frozenset()) -> int:
        if table not in rank:
            parents = [p for p in fk.get(table, {}).values() if p != table and p not in seen]
            rank[table] = 1 + max((depth(p, seen | {table}) for p in parents), default=-1)
        return rank[table]

    for table in fk:
        depth(table)
    return rank


def _foreign_keys(conn) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for fk in conn.execute(f'PRAGMA foreign_key_list("{name}")'):
            found.setdefault(name, {})[fk[3]] = fk[2]
    return found


def record_conflict(store: Station, conflict: Conflict) -> str:
    """Keep both values of a conflict and queue it for every station holding the record."""
    incoming = conflict.incoming
    hlcs = sorted([conflict.current_clock[0], incoming.hlc])
    conflict_id = hashlib.sha1(f"{conflict.table}|{conflict.pk}|{conflict.column}|{hlcs}"
                               .encode()).hexdigest()[:20]
    actor = store.conn.execute(
        "SELECT actor FROM county_log WHERE tbl = ? AND pk = ? AND kind = 'change' AND "
        "site = ? AND json_extract(ch, ?) IS NOT NULL ORDER BY cseq DESC LIMIT 1",
        [conflict.table, conflict.pk, conflict.current_clock[1],
         f'$."{conflict.column}"']).fetchone()
    new_value = conflict.incoming_value
    row = {
        "id": conflict_id, "tbl": conflict.table, "pk": conflict.pk, "col": conflict.column,
        "kind": conflict.kind, "label": person_name(store, conflict.table, conflict.pk),
        "value_a": _text(conflict.current), "site_a": conflict.current_clock[1],
        "station_a": _station_name(store, conflict.current_clock[1]),
        "actor_a": actor[0] if actor else "", "hlc_a": conflict.current_clock[0],
        "value_b": _text(new_value), "site_b": incoming.site,
        "station_b": _station_name(store, incoming.site), "actor_b": incoming.actor,
        "hlc_b": incoming.hlc, "winner": "b" if conflict.incoming_wins else "a",
        "status": "open",
    }
    store.db["sync_conflict"].upsert(row, pk="id")
    queue_conflict(store, conflict_id)
    return conflict_id


def queue_conflict(store: Station, conflict_id: str) -> None:
    row = store.query("SELECT * FROM sync_conflict WHERE id = ?", [conflict_id])[0]
    cseq = store.conn.execute(
        "INSERT INTO county_log (kind, tbl, pk, hlc, site, actor, ch) VALUES "
        "('conflict', ?, ?, 0, ?, '', ?)",
        [row["tbl"], row["pk"], county(store).site_id,
         json.dumps(row, ensure_ascii=False)]).lastrowid
    store.conn.execute("UPDATE sync_conflict SET cseq = ? WHERE id = ?", [cseq, conflict_id])


def _settle(store: Station, settlements: list, result: Ingested) -> None:
    for item in settlements:
        if not isinstance(item, dict) or not item.get("id") or not isinstance(item["id"], str):
            continue
        at = item.get("at") if isinstance(item.get("at"), str) else None
        changed = store.conn.execute(
            "UPDATE sync_conflict SET status = 'settled', settled_by = ?, settled_at = ?, "
            "settled_value = ? WHERE id = ? AND status = 'open'",
            [f"{result.station_code}：{item.get('actor') or ''}", at or now_iso(),
             _text(item.get("value")), item["id"]]).rowcount
        if changed:
            queue_conflict(store, item["id"])
        result.settled_ids.append(item["id"])


def _text(value) -> str | None:
    return None if value is None else str(value)


def _station_name(store: Station, site: str) -> str:
    if site.startswith("county:"):
        return "县里"
    return store.scalar("SELECT coalesce(name, station_code) FROM county_station "
                        "WHERE site_id = ?", [site]) or "其他服务站"


def refuse_rewound(result: Ingested) -> None:
    if result.rewound_from is not None:
        raise SyncError("本站数据与县里已有的记录不一致（可能从旧备份恢复过）。")
