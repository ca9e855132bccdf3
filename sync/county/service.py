"""One code path for a station's bundle, whether it came by HTTP or on a USB stick:
read and check it, ingest it, answer with the return bundle."""

import os
import tempfile
from pathlib import Path

from db.station import Station

from .ingest import Ingested, ingest, open_station_bundle
from .outgoing import return_bundle, write_return


def handle(store: Station, path: Path, return_out: Path, *, way: str,
           live: bool = False) -> Ingested:
    """Ingest the station bundle at ``path`` and write the answer to ``return_out``."""
    opened, enroll = open_station_bundle(store, path)
    result = ingest(store, opened, enroll, way=way)
    made = return_bundle(store, opened.sender, result.cursor, result.epoch, result, live=live)
    write_return(store, made, return_out)
    return result


def handle_bytes(store: Station, body: bytes, *, way: str = "network") -> tuple[Ingested, bytes]:
    """The HTTP form of :func:`handle`: bytes in, bytes out."""
    with tempfile.TemporaryDirectory(prefix="jobstation-county-") as tmp:
        incoming = Path(tmp) / "in.bundle"
        with open(incoming, "wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        out = Path(tmp) / "return.bundle"
        result = handle(store, incoming, out, way=way, live=True)
        return result, out.read_bytes()
