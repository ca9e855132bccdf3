"""Comparing both sides after a sync: per table and key bucket, a count and a checksum of
every synced column. A mismatch names the buckets to send again, never a full resync."""

import zlib

from db.sync_tables import DERIVED, SYNCED

BUCKETS = 16


def _crc(text) -> int:
    return zlib.crc32(str(text).encode())


def _columns(conn, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')
            if r[1] not in DERIVED.get(table, ())]


def digest(conn, site: str | None = None) -> dict[str, dict[str, list[int]]]:
    """``{table: {bucket: [rows, checksum]}}`` of the synced records; at the county, of the
    records that concern ``site``."""
    conn.create_function("jobstation_crc", 1, _crc, deterministic=True)
    result: dict[str, dict[str, list[int]]] = {}
    for table in SYNCED:
        values = ", ".join(f'"{c}"' for c in _columns(conn, table))
        where = ""
        params: list = []
        if site is not None:
            where = ("WHERE id IN (SELECT pk FROM county_interest WHERE tbl = ? AND "
                     "site IN (?, '*'))")
            params = [table, site]
        rows = conn.execute(
            f"SELECT substr(id, -1), count(*), sum(jobstation_crc(json_array({values}))) "
            f'FROM "{table}" {where} GROUP BY 1', params).fetchall()
        if rows:
            result[table] = {bucket: [n, total % (1 << 32)] for bucket, n, total in rows}
    return result


def mismatches(ours: dict, theirs: dict) -> list[list[str]]:
    """``[[table, bucket], …]`` where the two digests differ."""
    found = []
    for table in sorted(set(ours) | set(theirs)):
        a, b = ours.get(table, {}), theirs.get(table, {})
        found += [[table, bucket] for bucket in sorted(set(a) | set(b))
                  if a.get(bucket) != b.get(bucket)]
    return found


def bucket_rows(conn, table: str, bucket: str, site: str | None = None) -> list[str]:
    """Keys of the records of one bucket (at the county, those concerning ``site``)."""
    if site is None:
        return [r[0] for r in conn.execute(
            f'SELECT id FROM "{table}" WHERE substr(id, -1) = ?', [bucket])]
    return [r[0] for r in conn.execute(
        f'SELECT id FROM "{table}" WHERE substr(id, -1) = ? AND id IN (SELECT pk FROM '
        "county_interest WHERE tbl = ? AND site IN (?, '*'))", [bucket, table, site])]
