"""What the county sends a station: acknowledgements, and every change since the station's
cursor that concerns it (its records' changes made elsewhere, conflicts, merges, what the
county publishes to all)."""

import json
import time
from pathlib import Path

from db.station import Station

from .. import bundle
from ..errors import SyncError
from .ingest import Ingested
from .store import county

RECEIVE = (
    "SELECT cseq, kind, tbl, pk, hlc, site, actor, ch, target FROM county_log l "
    "WHERE cseq > :cursor AND ("
    " (kind = 'change' AND NOT (site = :site AND epoch >= :epoch) AND EXISTS (SELECT 1 FROM "
    "  county_interest i WHERE i.tbl = l.tbl AND i.pk = l.pk AND i.site IN (:site, '*')))"
    " OR (kind = 'conflict' AND EXISTS (SELECT 1 FROM county_interest i WHERE i.tbl = l.tbl "
    "  AND i.pk = l.pk AND i.site IN (:site, '*')))"
    " OR (kind IN ('alias', 'snapshot') AND target = :site)"
    ") ORDER BY cseq"
)


def _acked(store: Station, site: str) -> dict:
    rows = store.conn.execute("SELECT epoch, ingested FROM county_epoch WHERE site = ? "
                              "ORDER BY epoch", [site]).fetchall()
    ack = {"epoch": 0, "eseq": 0}
    for epoch, done in rows:
        ack = {"epoch": epoch, "eseq": done}
        if store.scalar("SELECT 1 FROM county_parked WHERE site = ? AND epoch = ?",
                        [site, epoch]):
            break
    return ack


def pending_for(store: Station, site: str, cursor: int, epoch: int) -> int:
    return store.scalar(f"SELECT count(*) FROM ({RECEIVE})",
                        {"cursor": cursor, "site": site, "epoch": epoch})


def return_bundle(store: Station, site: str, cursor: int, epoch: int,
                  result: Ingested | None = None, live: bool = False) -> bundle.Bundle:
    records = []
    for cseq, kind, tbl, pk, hlc, origin, actor, ch, _target in store.conn.execute(
            RECEIVE, {"cursor": cursor, "site": site, "epoch": epoch}):
        body = json.loads(ch)
        record = {"z": cseq, "x": kind, "t": tbl, "k": pk, "h": hlc, "s": origin,
                  "a": actor or ""}
        if kind == "alias":
            record["to"] = body["to"]
        else:
            record["c"] = body
        records.append(record)
    header = {
        "kind": "return", "acked": _acked(store, site), "from_cseq": cursor + 1,
        "to_cseq": store.scalar("SELECT coalesce(max(cseq), 0) FROM county_log"),
        "county_time": int(time.time() * 1000), "live": live,
        "status": "ok",
    }
    if result is not None:
        header.update({
            "rejected": result.rejected, "conflicts_new": result.conflicts,
            "clock_warning": result.clock_warning, "settled_ids": result.settled_ids,
            "duplicate": result.duplicate, "clamped": result.clamped,
        })
        if result.rewound_from is not None:
            header.update({"status": "rewound", "mismatch_from": result.rewound_from})
            records = []
    return bundle.Bundle(county(store).site_id, site, header, records)


def write_return(store: Station, made: bundle.Bundle, out: Path) -> Path:
    return bundle.write_bundle(out, made, county(store).keys, _recipient(store, made))


def return_bytes(store: Station, made: bundle.Bundle) -> bytes:
    return bundle.bundle_bytes(made, county(store).keys, _recipient(store, made))


def _recipient(store: Station, made: bundle.Bundle):
    from .store import station_keys

    keys = station_keys(store, made.recipient)
    if keys is None:
        raise SyncError("这个服务站没有在本县登记，或登记已被撤销。")
    return keys


def export_for_station(store: Station, station_code: str, out: Path) -> tuple[Path, int]:
    """A bundle for a station that has not sent anything (jobs, policy, conflicts, moves)."""
    row = store.conn.execute("SELECT site_id, cursor FROM county_station WHERE station_code = ? "
                             "AND revoked_at IS NULL", [station_code]).fetchone()
    if not row:
        raise SyncError(f"乡镇代码为 {station_code} 的服务站没有在本县登记。")
    epoch = store.scalar("SELECT coalesce(max(epoch), 1) FROM county_epoch WHERE site = ?",
                         [row[0]])
    made = return_bundle(store, row[0], row[1], epoch)
    write_return(store, made, out)
    return Path(out), len(made.records)
