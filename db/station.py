"""Opening a station's SQLite file: pragmas, migrations, the acting clerk, transactions.

The start of the program opens the station on a plain ``sqlite3`` connection: the
sqlite-utils ``Database`` (about 0.15 s to import) is made the first time something asks
for ``station.db``, and the migrations (which use it) only load when one is pending.
"""

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from .audit import ACTOR_TABLE
from .errors import DatabaseError, NotFoundError

STATION_FILE = "station.sqlite3"
SYSTEM_ACTOR = "系统"
DAMAGED = "本站数据文件已损坏或不是本程序的数据文件，请从备份恢复。"
MIGRATION_SET = "jobstation"  # the migration set name in ``_sqlite_migrations``


class Station:
    """An open station database and the clerk acting on it.

    Every write happens inside :meth:`atomic`; the audit triggers name ``actor``.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._db = None
        self._actor = SYSTEM_ACTOR
        self._actor_row = False  # whether our transaction holds the audit_actor row
        self._has_actor_table = False  # set by open_station once migrations have run
        self.account = None  # the signed-in Account, when a clerk is acting
        conn.create_function("jobstation_actor", 0, self._current_actor)

    def _current_actor(self) -> str:
        return self._actor

    @property
    def actor(self) -> str:
        """The clerk (user name) the audit log names for writes from now on."""
        return self._actor

    @actor.setter
    def actor(self, name: str) -> None:
        if name == self._actor:  # the same clerk: nothing to write (sync names the clerk
            return               # of every change it applies; most share one)
        self._actor = name
        if self._actor_row:  # changed inside a transaction: later rows name the new clerk
            self.conn.execute(f"UPDATE {ACTOR_TABLE} SET actor = ?", [name])

    @property
    def db(self):
        """The sqlite-utils ``Database`` on this connection, made on first use."""
        if self._db is None:
            from sqlite_utils import Database

            # connect() already set the pragma sqlite-utils would set (recursive triggers)
            self._db = Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._db

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    @contextlib.contextmanager
    def atomic(self):
        """One transaction (a savepoint when nested): all of it is written or none.

        Yields the sqlite-utils ``Database`` (as ``db.atomic()`` did) for code that writes
        through it. The outermost block puts the acting clerk into ``audit_actor`` for the
        triggers and takes it out again before committing.
        """
        try:
            if self.conn.in_transaction:
                with self._savepoint():
                    yield self.db
            else:
                with self._transaction():
                    yield self.db
        except sqlite3.OperationalError as exc:
            raise _translate(exc) from exc

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"station_{os.urandom(8).hex()}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # an error such as RAISE(ROLLBACK) may already have ended the transaction
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.conn.execute(f"RELEASE SAVEPOINT {name}")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN")
        try:
            if self._has_actor_table:
                self.conn.execute(f"INSERT INTO {ACTOR_TABLE} (id, actor) VALUES (1, ?)",
                                  [self._actor])
                self._actor_row = True
            yield
            if self._actor_row:
                self._actor_row = False
                self.conn.execute(f"DELETE FROM {ACTOR_TABLE}")
            self.conn.execute("COMMIT")
        except BaseException:
            self._actor_row = False
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def act_as(self, account) -> None:
        """Make ``account`` the clerk named in the audit log from now on."""
        self.account = account
        self.actor = account.username

    def query(self, sql: str, params=()) -> list[dict]:
        """Rows of a read-only query as dicts."""
        if not sql.lstrip()[:6].upper() == "SELECT":
            return list(self.db.query(sql, params))  # its checks for other statements
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        if len(set(keys)) != len(keys):
            from sqlite_utils.utils import dedupe_keys

            keys = dedupe_keys(keys)
        return [dict(zip(keys, row, strict=True)) for row in cursor]

    def scalar(self, sql: str, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()


def _translate(exc: sqlite3.OperationalError) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError("数据库正被另一个程序使用，请关闭其他打开本站数据的窗口后重试。")
    if "disk" in text and "full" in text:
        return DatabaseError("磁盘空间已满，数据未保存，请清理磁盘后重试。")
    return exc


def station_path(data_dir: Path) -> Path:
    return Path(data_dir) / STATION_FILE


def connect(path: Path, *, any_thread: bool = False) -> sqlite3.Connection:
    """A connection with the pragmas every station file needs; with ``any_thread`` it may
    be handed from the thread that opened it to another (used by one thread at a time)."""
    try:
        conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=not any_thread)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA recursive_triggers=on")  # as sqlite-utils always had it
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseError(DAMAGED) from exc
        raise DatabaseError(f"无法打开本站数据文件：{path}（{exc}）") from exc
    return conn


def open_station(data_dir: Path, *, create: bool = False, any_thread: bool = False
                 ) -> Station:
    """Open (or with ``create``, create) the station in ``data_dir``, migrating it first.

    A station that needs migrating is backed up before any migration runs. ``any_thread``:
    the station may be opened on one thread and used on another (see ``connect``).
    """
    path = station_path(data_dir)
    if not path.exists() and not create:
        raise NotFoundError(f"此文件夹中没有本站数据：{data_dir}")
    path.parent.mkdir(parents=True, exist_ok=True)
    is_new = not path.exists()
    station = Station(connect(path, any_thread=any_thread), path)
    try:
        _check_readable(station)
        _migrate(station, is_new)
        station._has_actor_table = bool(station.scalar(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [ACTOR_TABLE]))
    except Exception:
        station.close()
        raise
    return station


def _migrate(station: Station, is_new: bool) -> None:
    """Refuse a file from a newer program; back up and apply pending migrations."""
    from . import migrations

    applied = set(applied_migrations(station.conn))
    known = migrations.NAMES
    if applied - set(known):
        raise DatabaseError("本站数据来自更新版本的程序，请升级本程序后再打开。")
    if all(name in applied for name in known):
        return  # the usual start: nothing to do, and sqlite-utils never loads
    if not is_new:
        from . import backup

        backup.make_backup(station, reason="upgrade")
    migrations.apply(station.db)


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations the file has had, oldest first (read without sqlite-utils)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = '_sqlite_migrations'").fetchone():
        return []
    return [name for (name,) in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET])]


def _check_readable(station: Station) -> None:
    try:
        station.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(DAMAGED) from exc
