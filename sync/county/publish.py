"""What the county itself writes: policy parameters and job postings for every station,
settlements by county staff, and handing a person to the station that now serves them."""

import json

from db.errors import NotFoundError
from db.station import Station

from ..apply import silenced
from .store import county

CLOCKS = "*clocks"     # in a snapshot's changes: the county's clock of every field
BROADCAST = frozenset({"policy_parameter", "job", "employer"})


def publish(store: Station) -> int:
    """Move the county's own captured changes into the county log, so stations receive
    them: policy parameters and jobs go to every station, other records to the stations
    that hold them. Returns how many changes were published."""
    site = county(store).site_id
    with store.atomic() as db:
        rows = db.execute(
            "SELECT o.epoch, o.eseq, o.hlc, o.tbl, o.pk, o.ch, o.actor FROM sync_outbox o, "
            "sync_state s WHERE o.epoch > s.acked_epoch OR (o.epoch = s.acked_epoch AND "
            "o.eseq > s.acked_eseq) ORDER BY o.epoch, o.eseq").fetchall()
        for epoch, eseq, hlc, tbl, pk, ch, actor in rows:
            if tbl == "job":  # its employer first, or stations could not insert the job
                employer = json.loads(ch).get("employer_id", [None, None])[1] or db.execute(
                    "SELECT employer_id FROM job WHERE id = ?", [pk]).fetchone()[0]
                if employer:
                    broadcast(store, "employer", employer)
            db.execute("INSERT INTO county_log (kind, tbl, pk, hlc, site, epoch, eseq, actor, ch) "
                       "VALUES ('change', ?, ?, ?, ?, ?, ?, ?, ?)",
                       [tbl, pk, hlc, site, epoch, eseq, actor, ch])
            if tbl in BROADCAST:
                db.execute("INSERT OR IGNORE INTO county_interest VALUES (?, ?, '*')", [tbl, pk])
        if rows:
            last = rows[-1]
            db.execute("UPDATE sync_state SET acked_epoch = ?, acked_eseq = ?", [last[0], last[1]])
    return len(rows)


def broadcast(store: Station, table: str, pk: str) -> None:
    """Make an existing record reach every station (the employer of a published job that a
    station registered first): the whole record enters the log once, for everyone."""
    if store.scalar("SELECT 1 FROM county_interest WHERE tbl = ? AND pk = ? AND site = '*'",
                    [table, pk]):
        return
    changes, newest = _whole_record(store, table, pk)
    store.conn.execute(
        "INSERT INTO county_log (kind, tbl, pk, hlc, site, actor, ch) "
        "VALUES ('change', ?, ?, ?, ?, '县里', ?)",
        [table, pk, newest, county(store).site_id, json.dumps(changes, ensure_ascii=False)])
    store.conn.execute("INSERT OR IGNORE INTO county_interest VALUES (?, ?, '*')", [table, pk])


def _whole_record(store: Station, table: str, pk: str) -> tuple[dict, int]:
    """A record as an insert of all its values, stamped with its newest field clock."""
    cursor = store.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', [pk])
    row = cursor.fetchone()
    names = [d[0] for d in cursor.description]
    clocks = store.scalar("SELECT clocks FROM sync_row WHERE tbl = ? AND pk = ?", [table, pk])
    newest = max((c[0] for c in json.loads(clocks).values()), default=0) if clocks else 0
    return {n: [None, v] for n, v in zip(names, row, strict=True) if v is not None}, newest


def move_person(store: Station, id_number: str, station_code: str) -> int:
    """Hand a person (and their records) to the station that now serves them: that station
    receives the whole record at its next sync. Returns the number of records handed over."""
    person = store.scalar("SELECT id FROM person WHERE id_number = ? AND deleted_at IS NULL",
                          [id_number.strip().upper()])
    if not person:
        raise NotFoundError("县里没有这个身份证号的在册人员。")
    site = store.scalar("SELECT site_id FROM county_station WHERE station_code = ? AND "
                        "revoked_at IS NULL", [station_code])
    if not site:
        raise NotFoundError(f"乡镇代码为 {station_code} 的服务站没有在本县登记。")
    rows = [("person", person)]
    for (table,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if any(fk[2] == "person" and fk[3] == "person_id"
               for fk in store.conn.execute(f'PRAGMA foreign_key_list("{table}")')):
            rows += [(table, pk) for (pk,) in store.conn.execute(
                f'SELECT id FROM "{table}" WHERE person_id = ?', [person])]
    rows = _with_parents(store, rows, site)
    with store.atomic() as db, silenced(db.conn):
        for table, pk in rows:
            snapshot_to(store, table, pk, site)
    return len(rows)


def _with_parents(store: Station, rows: list[tuple[str, str]], site: str
                  ) -> list[tuple[str, str]]:
    """``rows`` preceded by the records they point at that ``site`` does not hold yet (a
    referral's job and its employer), parents first, so every one of them applies there."""
    ordered: dict[tuple[str, str], None] = {}

    def visit(table: str, pk: str) -> None:
        if (table, pk) in ordered:
            return
        for fk in store.conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            parent = store.scalar(f'SELECT "{fk[3]}" FROM "{table}" WHERE id = ?', [pk])
            if parent and fk[4] in (None, "id") and not store.scalar(
                    "SELECT 1 FROM county_interest WHERE tbl = ? AND pk = ? AND site IN (?, '*')",
                    [fk[2], parent, site]):
                visit(fk[2], parent)
        ordered[(table, pk)] = None

    for table, pk in rows:
        visit(table, pk)
    return list(ordered)


def snapshot_to(store: Station, table: str, pk: str, site: str) -> None:
    """Queue the whole current record for ``site`` and let it follow later changes."""
    changes, newest = _whole_record(store, table, pk)
    clocks = store.scalar("SELECT clocks FROM sync_row WHERE tbl = ? AND pk = ?", [table, pk])
    if clocks:
        # each field keeps the clock it has here, so a change the county has yet to receive
        # wins at the station just as it will here (see sync.incoming._apply_snapshot)
        changes[CLOCKS] = json.loads(clocks)
    store.conn.execute(
        "INSERT INTO county_log (kind, tbl, pk, hlc, site, actor, ch, target) "
        "VALUES ('snapshot', ?, ?, ?, ?, '县里', ?, ?)",
        [table, pk, newest, county(store).site_id, json.dumps(changes, ensure_ascii=False), site])
    store.conn.execute("INSERT OR IGNORE INTO county_interest VALUES (?, ?, ?)",
                       [table, pk, site])
    from .ingest import queue_conflict  # (ingest uses this module)

    for (conflict_id,) in store.conn.execute(
            "SELECT id FROM sync_conflict WHERE tbl = ? AND pk = ?", [table, pk]).fetchall():
        queue_conflict(store, conflict_id)   # its conflicts came before it was of interest
