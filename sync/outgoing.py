"""The station's side of a sync, outward: everything not yet acknowledged, in one bundle."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.station import Station

from . import bundle
from .digest import digest
from .identity import Identity, require


@dataclass
class Produced:
    path: Path
    changes: int
    bundle_id: str


def pending(station: Station) -> int:
    """Changes captured at this station that the county has not acknowledged."""
    return station.scalar(
        "SELECT count(*) FROM sync_outbox o, sync_state s WHERE o.epoch > s.acked_epoch "
        "OR (o.epoch = s.acked_epoch AND o.eseq > s.acked_eseq)")


def _records(station: Station, site: str):
    cursor = station.conn.execute(
        "SELECT o.epoch, o.eseq, o.hlc, o.tbl, o.pk, o.ch, o.actor FROM sync_outbox o, "
        "sync_state s WHERE o.epoch > s.acked_epoch OR (o.epoch = s.acked_epoch AND "
        "o.eseq > s.acked_eseq) ORDER BY o.epoch, o.eseq")
    for epoch, eseq, hlc, tbl, pk, ch, actor in cursor:
        yield {"e": epoch, "q": eseq, "t": tbl, "k": pk, "h": hlc, "s": site,
               "a": actor or "", "c": json.loads(ch)}


def settlements(station: Station) -> list[dict]:
    """Conflicts settled here that the county has not confirmed yet."""
    return station.query(
        "SELECT id, settled_value AS value, settled_by AS actor, settled_at AS at "
        "FROM sync_conflict WHERE status = 'settled_here'")


def station_manifest(ident: Identity) -> dict:
    return {"enroll": {"station_code": ident.station_code, "station_name": ident.station_name,
                       "site_id": ident.site_id, "sign_pub": ident.keys.public.sign.hex(),
                       "kex_pub": ident.keys.public.kex.hex(), "proof": ident.enroll_proof}}


def produce_bundle(station: Station, out: Path,
                   progress: Callable[[int], None] | None = None, *,
                   with_digest: bool = False) -> Produced:
    """Write every unacknowledged change to ``out`` (a lost stick costs nothing: the next
    bundle carries the same changes again, and the county ignores what it has)."""
    ident = require(station)
    state = station.query("SELECT epoch, county_cursor FROM sync_state")[0]
    records = list(_records(station, ident.site_id))
    header = {"kind": "changes", "site": ident.site_id, "station_code": ident.station_code,
              "station_name": ident.station_name, "epoch": state["epoch"],
              "cursor": state["county_cursor"], "created_ms": int(time.time() * 1000),
              "settlements": settlements(station)}
    if with_digest:
        header["digest"] = digest(station.conn)
    made = bundle.Bundle(ident.site_id, _county_id(ident), header, records)
    bundle.write_bundle(out, made, ident.keys, ident.county,
                        extra_manifest=station_manifest(ident), progress=progress)
    return Produced(Path(out), len(records), made.bundle_id)


def _county_id(ident: Identity) -> str:
    return f"county:{ident.county_code}"
