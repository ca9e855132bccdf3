"""What a station file holds, to compare it before and after an upgrade."""

import contextlib

from db.station import Station, open_station


def triggers(station: Station) -> list[tuple[str, str, str]]:
    """Every trigger as (table, name, sql), in each table's firing order."""
    return [tuple(r.values()) for r in station.query(
        "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' "
        "ORDER BY tbl_name, rowid")]


def tables(station: Station) -> dict[str, list]:
    """Every table's rows (as sorted reprs), but the migration list."""
    names = [r["name"] for r in station.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> '_sqlite_migrations'")]
    return {name: sorted(map(repr, station.conn.execute(f'SELECT * FROM "{name}"')))
            for name in names}


@contextlib.contextmanager
def reopened(station: Station):
    """Close ``station`` and open its file again, which applies pending migrations."""
    folder = station.data_dir
    station.close()
    upgraded = open_station(folder)
    try:
        yield upgraded
    finally:
        upgraded.close()
