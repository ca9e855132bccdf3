"""A throw-away SQLite file that holds an import between its preview and its writing.

The preview reads the roster once, cleans every row and keeps the results here, so that
memory does not grow with the file and writing never reads the spreadsheet again. It also
answers "was this ID number already in the file?" for any number of rows. The file lives
in the station's own folder (personal data never leaves the station PC), is deleted when
the import ends, and leftovers of a crashed import are swept away by the next one.
"""

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from .ids import uuid7

FOLDER = "import-tmp"
STALE_SECONDS = 24 * 3600

SCHEMA = """
CREATE TABLE seen (id_number TEXT PRIMARY KEY, row_no INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE pending (row_no INTEGER PRIMARY KEY, id_number TEXT NOT NULL, row TEXT NOT NULL);
CREATE TABLE rejected (row_no INTEGER PRIMARY KEY, reason TEXT NOT NULL, cells TEXT NOT NULL);
CREATE TABLE conflict (row_no INTEGER NOT NULL, id_number TEXT NOT NULL, name TEXT NOT NULL,
                       field TEXT NOT NULL, station_value TEXT, file_value TEXT);
"""

_TAGS = {"$dt": dt.datetime.fromisoformat, "$d": dt.date.fromisoformat,
         "$t": dt.time.fromisoformat}


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    return str(value)


def _decode(obj: dict):
    if len(obj) == 1:
        tag, text = next(iter(obj.items()))
        if tag in _TAGS:
            return _TAGS[tag](text)
    return obj


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=_encode, separators=(",", ":"))


def loads(text: str):
    return json.loads(text, object_hook=_decode)


def _sweep(folder: Path) -> None:
    """Remove scratch files a killed import left behind."""
    cutoff = time.time() - STALE_SECONDS
    for old in folder.glob("import-*.sqlite3*"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


class Scratch:
    """One import's scratch file. Connections are opened per use, so a preview made on one
    thread can be written on another."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def create(cls, data_dir: Path) -> "Scratch":
        folder = Path(data_dir) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        _sweep(folder)
        scratch = cls(folder / f"import-{uuid7()}.sqlite3")
        with scratch.connect() as conn:
            conn.executescript(SCHEMA)
        return scratch

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")  # one transaction per use: the file is disposable
        return _Closing(conn)

    def remove(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError:
                pass

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def pending_chunks(self, size: int) -> Iterator[list[tuple[int, str]]]:
        """The kept rows in file order, ``size`` at a time: (row number, row JSON)."""
        with self.connect() as conn:
            cursor = conn.execute("SELECT row_no, row FROM pending ORDER BY row_no")
            while chunk := cursor.fetchmany(size):
                yield chunk


class _Closing:
    """A connection that commits and closes at the end of a ``with`` block."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc) -> None:
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            pass
        self.conn.close()
