"""Backups with SQLite's online backup API: automatic, rotating, verified, restorable."""

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from . import settings
from .errors import DatabaseError, ValidationError
from .station import Station, open_station, station_path

BACKUP_DIR = "backups"
DAILY = "daily"
REASON_LABELS = {"daily": "每日自动", "upgrade": "升级前", "import": "导入前",
                 "restore": "恢复前", "manual": "手动", "sync": "同步前"}


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR


def copy_database(source: sqlite3.Connection, out: Path) -> Path:
    """Write a consistent copy of ``source`` to ``out`` atomically, then verify it."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(str(tmp))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    verify_backup(tmp)
    os.replace(tmp, out)
    return out


def verify_backup(path: Path) -> None:
    """Refuse a file that is not a sound station database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_people = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='person'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError("该文件不是本程序的备份文件，或已损坏。") from exc
    if ok != "ok" or not has_people:
        raise ValidationError("该文件不是本程序的备份文件，或已损坏。")


def make_backup(station: Station, reason: str = "manual") -> Path:
    """An automatic backup in the station's backup folder, then old ones rotated out."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    out = backups_dir(station.data_dir) / f"station-{stamp}-{reason}.sqlite3"
    copy_database(station.conn, out)
    _rotate(station, reason)
    return out


def daily_backup_if_due(station: Station) -> Path | None:
    """Make today's daily backup unless one exists."""
    today = datetime.now().strftime("%Y%m%d")
    if any(p.name.startswith(f"station-{today}") and p.name.endswith(f"-{DAILY}.sqlite3")
           for p in list_backups(station.data_dir)):
        return None
    return make_backup(station, DAILY)


def list_backups(data_dir: Path) -> list[Path]:
    """Backup files, newest first."""
    folder = backups_dir(data_dir)
    if not folder.exists():
        return []
    return sorted(folder.glob("station-*.sqlite3"), reverse=True)


def describe(path: Path) -> str:
    """A clerk's name for a backup: its time and why it was made."""
    parts = path.stem.split("-")  # station, date, time, micro, reason
    when = datetime.strptime(parts[1] + parts[2], "%Y%m%d%H%M%S")
    return f"{when:%Y-%m-%d %H:%M:%S}（{REASON_LABELS.get(parts[-1], parts[-1])}）"


def _rotate(station: Station, reason: str) -> None:
    daily = reason == DAILY
    keep = settings.get(station, "backup.keep_daily" if daily else "backup.keep_other")
    same = [p for p in list_backups(station.data_dir)
            if p.stem.endswith(f"-{DAILY}") == daily]
    for old in same[keep:]:
        old.unlink(missing_ok=True)


def restore(data_dir: Path, backup_file: Path) -> Path:
    """Replace the station's data with ``backup_file``; the current data is backed up first.

    Call with the station closed. Returns the backup of what was replaced.
    """
    backup_file = Path(backup_file)
    if not backup_file.exists():
        raise ValidationError(f"找不到备份文件：{backup_file}")
    verify_backup(backup_file)
    target = station_path(data_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    saved = backups_dir(data_dir) / f"station-{stamp}-restore.sqlite3"
    live = sqlite3.connect(str(target))
    keep = _sync_identity(live)
    try:
        copy_database(live, saved)
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        try:
            source.backup(live)
        finally:
            source.close()
    except sqlite3.OperationalError as exc:
        raise DatabaseError("恢复失败：数据库正被另一个程序使用，请先关闭本站的其他窗口。") from exc
    finally:
        live.close()
    if keep:
        _restore_sync_identity(data_dir, keep)
    return saved


def _sync_identity(conn: sqlite3.Connection) -> dict | None:
    """The live file's enrollment with the county, which a restore must not lose."""
    try:
        identity = conn.execute("SELECT * FROM sync_identity").fetchone()
        names = [d[0] for d in conn.execute("SELECT * FROM sync_identity LIMIT 0").description]
        site, epoch, county_hlc = conn.execute(
            "SELECT site_id, epoch, county_hlc FROM sync_state").fetchone()
    except sqlite3.Error:
        return None
    return {"identity": dict(zip(names, identity, strict=True)) if identity else None,
            "site_id": site, "epoch": epoch, "county_hlc": county_hlc}


def _restore_sync_identity(data_dir: Path, keep: dict) -> None:
    """After a restore the station keeps its identity and starts a new sync epoch, so the
    county can tell the restored history from what it already holds."""
    station = open_station(data_dir)
    try:
        with station.atomic() as db:
            if keep["identity"]:
                db.execute("DELETE FROM sync_identity")
                db["sync_identity"].insert(keep["identity"])
            db.execute(
                "UPDATE sync_state SET site_id = ?, epoch = max(epoch, ?) + 1, next_eseq = 1, "
                "county_cursor = 0, county_hlc = max(county_hlc, ?)",
                [keep["site_id"], keep["epoch"], keep["county_hlc"]])
    finally:
        station.close()


def check(station: Station) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks (empty when sound)."""
    problems = [r[0] for r in station.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    problems += [f"外键错误：{r[0]} 第 {r[1]} 行" for r in
                 station.conn.execute("PRAGMA foreign_key_check")]
    return problems
