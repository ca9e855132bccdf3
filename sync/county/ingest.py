"""The county reads a station's bundle: every change once, in each station's own order,
field by field, recording conflicts and merging people registered twice."""

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from db import backup
from db.clock import now_iso
from db.station import Station

from .. import bundle
from ..apply import Applier, Change, Conflict, silenced
from ..errors import BundleRefused, SyncError
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


def record_hash(record: dict) -> str:
    body = {k: record.get(k) for k in ("t", "k", "h", "c")}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


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


def open_station_bundle(store: Station, path: Path) -> tuple[bundle.Bundle, dict]:
    """Read and check a station's bundle; returns it and any enrollment it carries."""
    ident = county(store)
    enroll: dict = {}
    opened = bundle.read_bundle(Path(path), _sender(store, enroll), ident.keys, ident.site_id)
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
    whole, with the first differing number, so the station can renumber and resend."""
    if enroll:
        register(store, enroll, way=way)
    header = opened.header
    site = opened.sender
    code = store.scalar("SELECT station_code FROM county_station WHERE site_id = ?", [site])
    result = Ingested(site, code, *bundle.numbers(header, "epoch", default=1),
                      *bundle.numbers(header, "cursor"))
    if store.scalar("SELECT 1 FROM county_bundle_seen WHERE bundle_id = ?", [opened.bundle_id]):
        result.duplicate = True
        return result
    if len(opened.records) >= BIG:
        backup.make_backup(store, reason="sync")
    try:
        with store.atomic() as db, silenced(db.conn):
            _Ingest(store, site, result).run(sorted(
                opened.records, key=lambda r: (_int(r.get("e")), _int(r.get("q")))))
            _settle(store, header.get("settlements") or [], result)
            db.execute("INSERT INTO county_bundle_seen VALUES (?, ?, ?)",
                       [opened.bundle_id, site, now_iso()])
            db.execute("UPDATE county_station SET last_contact = ?, last_way = ?, cursor = "
                       "max(cursor, ?), name = coalesce(?, name) WHERE site_id = ?",
                       [now_iso(), way, result.cursor, header.get("station_name"), site])
    except _Rewound as rewound:
        result.rewound_from = rewound.eseq
    return result


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class _Ingest:
    def __init__(self, store: Station, site: str, result: Ingested):
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

    def run(self, records: list[dict]) -> None:
        for record in records:
            epoch, eseq = _int(record.get("e")), _int(record.get("q"))
            if epoch < 1 or eseq < 1:
                continue
            digest = record_hash(record)
            held = self.conn.execute("SELECT hash, hlc, kind FROM county_log WHERE site = ? "
                                     "AND epoch = ? AND eseq = ?",
                                     [self.site, epoch, eseq]).fetchone()
            if held:
                if held[0] != digest:
                    raise _Rewound(eseq)
                if held[2] == "change" and held[1] != _int(record.get("h")):
                    self.result.clamped.append([epoch, eseq, held[1]])
                continue
            done = self.ingested.get(epoch, 0)
            if eseq <= done:
                continue
            if eseq > done + 1:
                self.parked = True
                self.conn.execute("INSERT OR REPLACE INTO county_parked VALUES (?, ?, ?, ?)",
                                  [self.site, epoch, eseq, json.dumps(record)])
                continue
            self._one(epoch, eseq, record, digest)
            self._drain(epoch)
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
        if not self._may_write(change):
            self._reject(epoch, eseq, record, "不能修改其他服务站的记录。")
            return
        actor = f"{self.result.station_code}：{change.actor}"
        if self.store.actor != actor:  # naming the clerk costs a write; most share one
            self.store.actor = actor
        outcome = self.applier.apply(change)
        if outcome.rejected:
            self._reject(epoch, eseq, record, outcome.rejected)
            return
        self.result.applied += 1
        self.conn.execute(
            "INSERT INTO county_log (kind, tbl, pk, hlc, site, epoch, eseq, hash, actor, ch) "
            "VALUES ('change', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [change.table, change.pk, change.hlc, self.site, epoch, eseq, digest, change.actor,
             json.dumps(change.changes, ensure_ascii=False)])
        self.conn.execute("INSERT OR IGNORE INTO county_interest VALUES (?, ?, ?)",
                          [change.table, change.pk, self.site])
        for conflict in outcome.conflicts:
            record_conflict(self.store, conflict)
            self.result.conflicts += 1

    def _may_write(self, change: Change) -> bool:
        """A station writes new records and the records it holds (wrote, merged into, or
        was handed); never another station's."""
        if not self.conn.execute(f'SELECT 1 FROM "{change.table}" WHERE id = ?',
                                 [change.pk]).fetchone():
            return True
        return bool(self.conn.execute(
            "SELECT 1 FROM county_interest WHERE tbl = ? AND pk = ? AND site IN (?, '*')",
            [change.table, change.pk, self.site]).fetchone())

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
                                     "reason": reason})

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
        "kind": conflict.kind, "label": _label(store, conflict.table, conflict.pk),
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


def _label(store: Station, table: str, pk: str) -> str:
    if table == "person":
        return store.scalar("SELECT name FROM person WHERE id = ?", [pk]) or ""
    person = store.scalar(f'SELECT p.name FROM "{table}" t JOIN person p ON p.id = t.person_id '
                          "WHERE t.id = ?", [pk]) if _has_person(store, table) else None
    return person or ""


def _has_person(store: Station, table: str) -> bool:
    return any(r[1] == "person_id" for r in store.conn.execute(f'PRAGMA table_info("{table}")'))


def refuse_rewound(result: Ingested) -> None:
    if result.rewound_from is not None:
        raise SyncError("本站数据与县里已有的记录不一致（可能从旧备份恢复过）。")
