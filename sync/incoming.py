"""The station's side of a sync, inward: apply what the county sends back, in one
transaction together with the acknowledgement and the cursor."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from db import backup, outbox
from db.clock import now_iso
from db.station import Station
from db.sync_tables import SYNCED

from . import bundle
from .apply import Applier, Change, silenced, storable
from .errors import BundleRefused, SyncError
from .identity import Identity, require
from .rekey import rekey

BIG = 2000               # a return bundle this large is backed up against first
CLOCK_SKEW_MS = 10 * 60 * 1000
CLOCK_WRONG = "本机系统时间不正确（与县里相差超过 10 分钟），请校准电脑的日期和时间。"


@dataclass
class Receipt:
    """What a sync did, for the clerk and for ``--json``."""

    sent: int = 0
    received: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: list[dict] = field(default_factory=list)
    duplicate: bool = False
    clock_warning: str = ""
    message: str = ""
    checked: bool = False          # both sides compared after this sync
    mismatched: list = field(default_factory=list)
    # changes from the county this station could not apply (kept in the county's log)
    refused_here: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "received": self.received, "applied": self.applied,
                "conflicts": self.conflicts, "rejected": self.rejected,
                "duplicate": self.duplicate, "clock_warning": self.clock_warning,
                "checked": self.checked, "mismatched": self.mismatched,
                "refused_here": self.refused_here}


def _sender_key(ident: Identity):
    def check(manifest: dict):
        if manifest.get("from") != f"county:{ident.county_code}":
            raise BundleRefused("这个数据包不是本县服务器发出的，已拒绝导入。", "foreign")
        return ident.county
    return check


def consume_bundle(station: Station, path: Path, receipt: Receipt | None = None, *,
                   before_commit: Callable[[Receipt], None] | None = None) -> Receipt:
    """Apply a county bundle to this station. Refusals change nothing. ``before_commit``
    runs inside the transaction that applies the bundle, once the receipt is complete
    (not at all for a bundle imported before)."""
    ident = require(station)
    source = path if isinstance(path, bytes) else Path(path)   # a network answer's bytes
    opened = bundle.read_bundle(source, _sender_key(ident), ident.keys, ident.site_id)
    return consume_opened(station, ident, opened, receipt or Receipt(),
                          before_commit=before_commit)


def consume_opened(station: Station, ident: Identity, opened: bundle.Bundle,
                   receipt: Receipt, *,
                   before_commit: Callable[[Receipt], None] | None = None) -> Receipt:
    header = opened.header
    if header.get("kind") != "return":
        raise BundleRefused("这不是县里发给本站的数据包。", "wrong_kind")
    _check_made_right(opened)
    if header.get("status") == "rewound":
        _start_new_epoch(station, int(header.get("mismatch_from") or 1))
        raise SyncError("县里发现本站数据是从较早的备份恢复的；本站已换用新的同步批次，"
                        "请再同步一次。")
    cursor = station.scalar("SELECT county_cursor FROM sync_state")
    first, last = bundle.numbers(header, "from_cseq", "to_cseq")   # null counts as 0
    receipt.rejected = list(header.get("rejected") or [])
    receipt.conflicts = int(header.get("conflicts_new") or 0)
    _check_clock(header, receipt)
    if last <= cursor and not _acks_news(station, header):
        # a bundle covering numbers we hold already was imported before (USB, then HTTP)
        receipt.duplicate = (bool(opened.records) or bool(header.get("duplicate"))
                             or first <= last)
        receipt.message = ("这个数据包已经导入过了，没有新内容。" if receipt.duplicate
                           else "县里没有新内容。")
        if not receipt.duplicate:
            with station.atomic() as db:
                _resend_differing(db.conn, header.get("digest"), receipt)
                if before_commit:
                    before_commit(receipt)
        return receipt
    if first > cursor + 1:
        raise SyncError("缺少县里更早发出的数据包：请先导入较早的数据包，或直接联网同步。")
    records = [r for r in opened.records if int(r.get("z", 0)) > cursor]
    if len(records) >= BIG:
        backup.make_backup(station, reason="sync")
    saved_actor = station.actor
    try:
        with station.atomic() as db:
            applier = Applier(db.conn)
            with silenced(db.conn):
                for record in records:
                    station.actor = f"县里同步：{record.get('a') or '县里'}"
                    receipt.applied += _apply_record(db.conn, applier, record,
                                                     receipt.refused_here)
            acked = header.get("acked") or {}
            ack = bundle.numbers(acked, "epoch", "eseq")     # checked: null counts as 0
            db.execute("UPDATE sync_state SET acked_epoch = ?, acked_eseq = ? WHERE "
                       "acked_epoch < ? OR (acked_epoch = ? AND acked_eseq < ?)",
                       [ack[0], ack[1], ack[0], ack[0], ack[1]])
            newest = max([bundle.numbers(r, "h")[0] for r in records] or [0])
            db.execute("UPDATE sync_state SET county_cursor = max(county_cursor, ?), "
                       "county_hlc = max(county_hlc, ?, ?)",
                       [last, newest, _sane_county_time(header)])
            _take_clamped_stamps(db.conn, header.get("clamped"))
            _resend_differing(db.conn, header.get("digest"), receipt)
            db.execute("UPDATE sync_conflict SET status = 'settled' WHERE status = "
                       "'settled_here' AND id IN (SELECT value FROM json_each(?))",
                       [_json(header.get("settled_ids") or [])])
            receipt.received = len(records)
            if before_commit:
                before_commit(receipt)
    finally:
        station.actor = saved_actor
    return receipt


def _resend_differing(conn, checked, receipt: Receipt) -> None:
    """The county compared both sides: send again what differs, as whole records."""
    if not isinstance(checked, dict) or not checked.get("checked"):
        return
    receipt.checked = True
    receipt.mismatched = [m for m in checked.get("mismatched") or []
                          if isinstance(m, list) and len(m) == 2 and isinstance(m[0], str)
                          and m[0] in SYNCED]
    for table, bucket in receipt.mismatched:
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        conn.execute(outbox.snapshot_sql(table, columns, "substr(t.id, -1) = ?"), [str(bucket)])
        outbox.finish_snapshot(conn)
    conn.execute("UPDATE sync_state SET digest_at = ?", [now_iso()])


def _take_clamped_stamps(conn, clamped) -> None:
    """The county re-stamped changes this PC made with its clock far ahead: take the same
    stamps, so a later edit elsewhere wins here as it did at the county, and the clock goes
    on from sane time instead of from a year ahead."""
    if not isinstance(clamped, list):
        return
    for item in clamped:
        if isinstance(item, list) and len(item) == 3 and all(isinstance(v, int) for v in item):
            conn.execute("UPDATE sync_outbox SET hlc = min(hlc, ?) WHERE epoch = ? AND eseq = ?",
                         [item[2], item[0], item[1]])
    if clamped:
        conn.execute("UPDATE sync_state SET hlc = coalesce((SELECT max(hlc) FROM sync_outbox), 0)")


def _acks_news(station: Station, header: dict) -> bool:
    acked = header.get("acked") or {}
    row = station.conn.execute("SELECT acked_epoch, acked_eseq FROM sync_state").fetchone()
    return tuple(bundle.numbers(acked, "epoch", "eseq")) > tuple(row)   # null counts as 0


def _check_made_right(opened: bundle.Bundle) -> None:
    """Numbers and lists where the header and records must have them, or the bundle is
    refused before anything is written (the county's program made it wrongly)."""
    header = opened.header
    bundle.numbers(header, "from_cseq", "to_cseq", "conflicts_new", "county_time")
    bundle.numbers(header, "mismatch_from", default=1)
    acked = header.get("acked") or {}
    if not isinstance(acked, dict):
        raise BundleRefused(bundle.TAMPERED, "tampered")
    bundle.numbers(acked, "epoch", "eseq")
    for name in ("rejected", "settled_ids", "clamped"):
        bundle.listed(header, name)
    for record in opened.records:
        bundle.numbers(record, "z", "h")


def _apply_record(conn, applier: Applier, record: dict,
                  refused: list[dict] | None = None) -> int:
    kind = record.get("x", "change")
    if kind == "alias":
        if not all(isinstance(record.get(k), str) for k in ("t", "k", "to")) or (
                record["t"] not in SYNCED):
            return 0
        return int(rekey(conn, record["t"], record["k"], record["to"]))
    if kind == "conflict":
        row = record.get("c")
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not all(
                storable(row.get(c)) for c in CONFLICT_COLUMNS):
            return 0
        _upsert_conflict(conn, row)
        return 1
    if kind == "snapshot":
        return _apply_snapshot(applier, record)
    try:
        change = Change.from_record(record)
    except ValueError:
        return 0
    outcome = applier.apply(change)
    if outcome.rejected and refused is not None:
        refused.append({"table": change.table, "key": change.pk, "reason": outcome.rejected})
    return int(outcome.applied)


def _apply_snapshot(applier: Applier, record: dict) -> int:
    """A whole record from the county, each field with the county's clock for it: the
    record at its oldest clock first, then every field group at its own."""
    changes = dict(record.get("c") or {}) if isinstance(record.get("c"), dict) else {}
    clocks = changes.pop("*clocks", None)
    try:
        whole = Change.from_record({**record, "c": changes})
    except ValueError:
        return 0
    groups: dict[tuple, dict] = {}
    for col, pair in changes.items():
        clock = clocks.get(col, clocks.get("*")) if isinstance(clocks, dict) else None
        valid = (isinstance(clock, list) and len(clock) == 2 and isinstance(clock[0], int)
                 and isinstance(clock[1], str))
        groups.setdefault(tuple(clock) if valid else (whole.hlc, whole.site), {})[col] = pair
    ordered = sorted(groups)
    oldest = ordered[0] if ordered else (whole.hlc, whole.site)
    applied = applier.apply(Change(whole.table, whole.pk, oldest[0], oldest[1], whole.actor,
                                   changes)).applied
    for hlc, site in ordered[1:]:
        applied |= applier.apply(Change(whole.table, whole.pk, hlc, site, whole.actor,
                                        groups[(hlc, site)])).applied
    return int(applied)


CONFLICT_COLUMNS = ("id", "tbl", "pk", "col", "kind", "label", "value_a", "site_a", "station_a",
                    "actor_a", "hlc_a", "value_b", "site_b", "station_b", "actor_b", "hlc_b",
                    "winner", "status", "settled_by", "settled_at", "settled_value", "cseq")


def _upsert_conflict(conn, row: dict) -> None:
    values = {c: row.get(c) for c in CONFLICT_COLUMNS}
    local = conn.execute("SELECT status FROM sync_conflict WHERE id = ?", [values["id"]]).fetchone()
    if local and local[0] == "settled_here" and values["status"] == "open":
        return  # settled here; the county has not heard yet
    names = ", ".join(CONFLICT_COLUMNS)
    conn.execute(f"INSERT OR REPLACE INTO sync_conflict ({names}) VALUES "
                 f"({', '.join('?' for _ in CONFLICT_COLUMNS)})",
                 [values[c] for c in CONFLICT_COLUMNS])


def _check_clock(header: dict, receipt: Receipt) -> None:
    if header.get("clock_warning"):
        receipt.clock_warning = CLOCK_WRONG
    county_time = bundle.numbers(header, "county_time")[0]   # null counts as 0, as checked
    if header.get("live") and abs(county_time - time.time() * 1000) > CLOCK_SKEW_MS:
        receipt.clock_warning = CLOCK_WRONG


def _start_new_epoch(station: Station, mismatch_from: int) -> None:
    """The county holds a different history for our numbers from ``mismatch_from`` on (this
    file was copied back from an old backup): what we numbered from there is renumbered
    into a new epoch, so nothing is lost and nothing overwrites the county's copy."""
    with station.atomic() as db:
        epoch = db.execute("SELECT epoch FROM sync_state").fetchone()[0]
        db.execute("UPDATE sync_outbox SET epoch = ?, eseq = eseq - ? + 1 "
                   "WHERE epoch = ? AND eseq >= ?", [epoch + 1, mismatch_from, epoch,
                                                      mismatch_from])
        db.execute("UPDATE sync_state SET epoch = ?, next_eseq = coalesce((SELECT max(eseq) + 1 "
                   "FROM sync_outbox WHERE epoch = ?), 1), acked_epoch = ?, acked_eseq = ?, "
                   "county_cursor = 0", [epoch + 1, epoch + 1, epoch, mismatch_from - 1])


def record_history(station: Station, way: str, ok: bool, receipt: Receipt | None,
                   message: str = "") -> None:
    with station.atomic() as db:
        write_history(db.conn, station.actor, way, ok, receipt, message)


def write_history(conn, clerk: str, way: str, ok: bool, receipt: Receipt | None,
                  message: str = "") -> None:
    """One row of the sync history, in the caller's transaction."""
    conn.execute(
        "INSERT INTO sync_history (at, way, ok, sent, received, conflicts, message, actor) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [now_iso(), way, int(ok), receipt.sent if receipt else 0,
         receipt.received if receipt else 0, receipt.conflicts if receipt else 0,
         message or (receipt.message if receipt else ""), clerk])


def _json(value) -> str:
    return json.dumps(value)


def _sane_county_time(header: dict) -> int:
    """The county's clock, as a floor for ours; only from a live answer (a file may have
    waited days on a stick, which does no harm: a floor in the past changes nothing)."""
    try:
        return int(header.get("county_time", 0))
    except (TypeError, ValueError):
        return 0
