"""Opening a station's SQLite file: pragmas, migrations, the acting clerk, transactions."""

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from . import migrations
from .errors import DatabaseError, NotFoundError

STATION_FILE = "station.sqlite3"
SYSTEM_ACTOR = "系统"
DAMAGED = "本站数据文件已损坏或不是本程序的数据文件，请从备份恢复。"


class Station:
    """An open station database and the clerk acting on it.

    Every write happens inside :meth:`atomic`; the audit triggers name ``actor``.
    """

    def __init__(self, db: Database, path: Path):
        self.db = db
        self.path = path
        self.actor = SYSTEM_ACTOR
        self.account = None  # the signed-in Account, when a clerk is acting
        db.conn.create_function("jobstation_actor", 0, lambda: self.actor)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction (a savepoint when nested): all of it is written or none."""
        try:
            with self.db.atomic():
                yield self.db
        except sqlite3.OperationalError as exc:
            raise _translate(exc) from exc

    def act_as(self, account) -> None:
        """Make ``account`` the clerk named in the audit log from now on."""
        self.account = account
        self.actor = account.username

    def query(self, sql: str, params=()) -> list[dict]:
        """Rows of a read-only query as dicts."""
        return list(self.db.query(sql, params))

    def scalar(self, sql: str, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.db.close()


def _translate(exc: sqlite3.OperationalError) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError("数据库正被另一个程序使用，请关闭其他打开本站数据的窗口后重试。")
    if "disk" in text and "full" in text:
        return DatabaseError("磁盘空间已满，数据未保存。请清理磁盘后重试。")
    return exc


def station_path(data_dir: Path) -> Path:
    return Path(data_dir) / STATION_FILE


def connect(path: Path) -> Database:
    """A connection with the pragmas every station file needs."""
    try:
        conn = sqlite3.connect(str(path), timeout=5.0)
        db = Database(conn, execute_plugins=False)  # no third-party hooks on station data
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=5000")
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseError(DAMAGED) from exc
        raise DatabaseError(f"无法打开本站数据文件：{path}（{exc}）") from exc
    return db


def open_station(data_dir: Path, *, create: bool = False) -> Station:
    """Open (or with ``create``, create) the station in ``data_dir``, migrating it first.

    A station that needs migrating is backed up before any migration runs.
    """
    path = station_path(data_dir)
    if not path.exists() and not create:
        raise NotFoundError(f"此文件夹中没有本站数据：{data_dir}")
    path.parent.mkdir(parents=True, exist_ok=True)
    is_new = not path.exists()
    station = Station(connect(path), path)
    try:
        _check_readable(station)
        _refuse_newer(station)
        todo = migrations.pending(station.db)
        if todo and not is_new:
            from . import backup

            backup.make_backup(station, reason="upgrade")
        migrations.apply(station.db)
    except Exception:
        station.close()
        raise
    return station


def _refuse_newer(station: Station) -> None:
    """A file written by a newer program must not be opened by this one."""
    known = {name for name, _ in migrations.STEPS}
    applied = {m.name for m in migrations.migrations.applied(station.db)}
    if applied - known:
        raise DatabaseError("本站数据来自更新版本的程序，请升级本程序后再打开。")


def _check_readable(station: Station) -> None:
    try:
        station.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(DAMAGED) from exc
