"""One code path for a station's bundle, whether it came by HTTP or on a USB stick:
read and check it, ingest it, answer with the return bundle."""

from pathlib import Path

from db.station import Station

from ..apply import silenced
from ..digest import bucket_rows, digest, mismatches
from .ingest import Ingested, ingest, open_station_bundle
from .outgoing import pending_for, return_bundle, return_bytes, write_return
from .publish import snapshot_to


def handle(store: Station, path: Path, return_out: Path, *, way: str,
           live: bool = False) -> Ingested:
    """Ingest the station bundle at ``path`` and write the answer to ``return_out``."""
    result, made = _handle(store, Path(path), way=way, live=live)
    write_return(store, made, return_out)
    return result


def _handle(store: Station, source, *, way: str, live: bool):
    opened, enroll = open_station_bundle(store, source)
    result = ingest(store, opened, enroll, way=way)
    checked = compare_digest(store, opened, result)
    made = return_bundle(store, opened.sender, result.cursor, result.epoch, result, live=live)
    if checked is not None:
        made.header["digest"] = {"checked": True, "mismatched": checked}
    return result, made


def compare_digest(store: Station, opened, result: Ingested) -> list | None:
    """When the station sent its digest and nothing else is on its way to it, compare; the
    county's records of a differing bucket are queued for the station, and the station is
    told which buckets to send again. None when the sides could not be compared."""
    theirs = opened.header.get("digest")
    if not isinstance(theirs, dict) or result.rewound_from is not None or result.parked:
        return None
    if pending_for(store, opened.sender, result.cursor, result.epoch):
        return None
    found = mismatches(digest(store.conn, opened.sender), theirs)
    if found:
        with store.atomic() as db, silenced(db.conn):
            for table, bucket in found:
                for pk in bucket_rows(db.conn, table, bucket, opened.sender):
                    snapshot_to(store, table, pk, opened.sender)
    return found


def handle_bytes(store: Station, body: bytes, *, way: str = "network") -> tuple[Ingested, bytes]:
    """The HTTP form of :func:`handle`: bytes in, bytes out, no files. What must survive a
    power cut is the county database's commit; a station whose answer was lost sends the
    same bundle again, which changes nothing."""
    result, made = _handle(store, body, way=way, live=True)
    return result, return_bytes(store, made)
