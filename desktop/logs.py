"""Log files in the user log folder (or beside a portable copy), rotated at start.

The file is rotated when the program starts and finds it over 1 MB (``jobstation.log`` →
``.1`` … ``.5``, the oldest dropped): the program logs start-ups, errors and syncs, which
stay far below that in a day. ``logging.handlers`` is not used because it imports socket,
pickle and queue, some 17 ms of every start.
"""

import logging
import os
from pathlib import Path

from . import paths

MAX_BYTES = 1_000_000
BACKUPS = 5


class StationLog(logging.FileHandler):
    """The program's log file handler (one per process)."""


def rotate(path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
    """Shift ``path`` to ``path.1`` (and older ones on) when it has grown past ``max_bytes``."""
    try:
        if path.stat().st_size <= max_bytes:
            return
    except FileNotFoundError:
        return
    for n in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{n + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


def setup_logging(folder: Path | None = None) -> Path:
    """Log to ``jobstation.log`` (rotated at start past 1 MB, 5 older files kept)."""
    folder = folder or paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "jobstation.log"
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if any(isinstance(h, StationLog) for h in root.handlers):
        return path
    try:
        rotate(path)
    except OSError:  # another copy has the file open (Windows): keep appending to it
        pass
    handler = StationLog(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
