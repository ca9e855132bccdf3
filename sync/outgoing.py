"""The station's side of a sync, outward: everything not yet acknowledged, in one bundle."""

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


# Unacknowledged = after (acked_epoch, acked_eseq); split in two so each half uses the
# outbox's (epoch, eseq) index instead of scanning every row.
_AFTER_ACK = ("SELECT {cols} FROM sync_outbox WHERE epoch = :epoch AND eseq > :eseq "
              "UNION ALL SELECT {cols} FROM sync_outbox WHERE epoch > :epoch")


def _acked(station: Station) -> dict:
    epoch, eseq = station.conn.execute(
        "SELECT acked_epoch, acked_eseq FROM sync_state").fetchone()
    return {"epoch": epoch, "eseq": eseq}


def pending(station: Station) -> int:
    """Changes captured at this station that the county has not acknowledged."""
    return station.scalar(f"SELECT count(*) FROM ({_AFTER_ACK.format(cols='1')})",
                          _acked(station))


# A change's JSON line, written by SQLite (json_quote) as it reads the outbox: one text a
# row reaches Python instead of seven values formatted there (a fifth of a first sync's
# export). The stored change text goes in as it is.
_LINE = ("epoch, eseq, '{\"e\":' || epoch || ',\"q\":' || eseq || ',\"t\":' || json_quote(tbl) "
         "|| ',\"k\":' || json_quote(pk) || ',\"h\":' || hlc || ',\"s\":' || json_quote(:site) "
         "|| ',\"a\":' || json_quote(coalesce(actor, '')) || ',\"c\":' || ch || '}'")


def _records(station: Station, site: str):
    """Unacknowledged changes as JSON lines."""
    cursor = station.conn.execute(_AFTER_ACK.format(cols=_LINE) + " ORDER BY 1, 2",
                                  {**_acked(station), "site": site})
    for _epoch, _eseq, line in cursor:
        yield line


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
    ident, made = _outgoing(station, with_digest)
    bundle.write_bundle(out, made, ident.keys, ident.county,
                        extra_manifest=station_manifest(ident), progress=progress)
    return Produced(Path(out), _changes(made), made.bundle_id)


def produce_bytes(station: Station, progress: Callable[[int], None] | None = None, *,
                  with_digest: bool = False) -> tuple[bytes, int]:
    """As :func:`produce_bundle`, for the network: the bundle's bytes and its change count."""
    ident, made = _outgoing(station, with_digest)
    body = bundle.bundle_bytes(made, ident.keys, ident.county,
                               extra_manifest=station_manifest(ident), progress=progress)
    return body, _changes(made)


def _changes(made: bundle.Bundle) -> int:
    """How many changes the bundle just made carries."""
    return sum(part["records"] for part in made.manifest["parts"])


def _outgoing(station: Station, with_digest: bool) -> tuple[Identity, bundle.Bundle]:
    ident = require(station)
    state = station.query("SELECT epoch, county_cursor FROM sync_state")[0]
    records = _records(station, ident.site_id)
    header = {"kind": "changes", "site": ident.site_id, "station_code": ident.station_code,
              "station_name": ident.station_name, "epoch": state["epoch"],
              "cursor": state["county_cursor"], "created_ms": int(time.time() * 1000),
              "settlements": settlements(station)}
    if with_digest:
        header["digest"] = digest(station.conn)
    return ident, bundle.Bundle(ident.site_id, _county_id(ident), header, records)


def _county_id(ident: Identity) -> str:
    return f"county:{ident.county_code}"
