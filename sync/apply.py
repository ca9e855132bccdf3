"""Applying changes that came from elsewhere: field by field, last writer wins.

Both sides use this: a station applying what the county sends down, the county applying
what a station sends up. Every field carries a clock (hybrid logical time, site); an
incoming value replaces the current one only when its clock is newer, so applying the same
changes again, late or in another order ends in the same state.

Capture is silenced while applying (``sync_state.applying``): what arrives is not this
place's own change. The audit log still records it, in the name of the remote clerk.
"""

import json
import sqlite3
from dataclasses import dataclass, field

from db.sync_tables import DERIVED, SYNCED

Clock = tuple[int, str]
NO_CLOCK: Clock = (0, "")


@dataclass
class Change:
    """One captured change: ``changes`` maps a column to ``[old, new]``."""

    table: str
    pk: str
    hlc: int
    site: str
    actor: str
    changes: dict

    @property
    def is_hard_delete(self) -> bool:
        ident = self.changes.get("id")
        return bool(ident) and ident[0] is not None and ident[1] is None

    @property
    def is_insert(self) -> bool:
        ident = self.changes.get("id")
        return bool(ident) and ident[0] is None and ident[1] is not None

    @classmethod
    def from_record(cls, record: dict) -> "Change":
        try:
            change = cls(str(record["t"]), str(record["k"]), int(record["h"]),
                         str(record["s"]), str(record.get("a") or ""), record["c"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError("malformed change") from exc
        if not isinstance(change.changes, dict) or not all(
                isinstance(v, list) and len(v) == 2 and all(map(storable, v))
                for v in change.changes.values()) or not 0 <= change.hlc < 2**62:
            raise ValueError("malformed change")
        return change

    def record(self) -> dict:
        return {"t": self.table, "k": self.pk, "h": self.hlc, "s": self.site,
                "a": self.actor, "c": self.changes}


@dataclass
class Conflict:
    """Two places changed one field without seeing each other's value."""

    table: str
    pk: str
    column: str
    kind: str                 # "field" or "delete_edit"
    current: object           # value before the incoming change
    current_clock: Clock
    current_actor: str
    incoming: Change
    incoming_wins: bool
    incoming_value: object = None


@dataclass
class Outcome:
    applied: bool = False
    rejected: str | None = None
    conflicts: list[Conflict] = field(default_factory=list)


class Applier:
    """Applies changes on one connection; call inside a transaction."""

    def __init__(self, conn: sqlite3.Connection, *, detect_conflicts: bool = False):
        self.conn = conn
        self.detect_conflicts = detect_conflicts
        self._columns: dict[str, list[str]] = {}
        self._known: dict[str, frozenset[str]] = {}
        self._read_sql: dict[str, str] = {}

    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            self._columns[table] = [
                r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')
                if r[1] not in DERIVED.get(table, ())]
            self._known[table] = frozenset(self._columns[table])
        return self._columns[table]

    def known(self, table: str) -> frozenset[str]:
        """The columns a change to ``table`` may name, as a set."""
        if table not in self._known:
            self.columns(table)
        return self._known[table]

    # ------------------------------------------------------------------ clocks
    def _read(self, change: Change) -> tuple[dict | None, dict[str, Clock]]:
        """The record as it is, and the current clock of each of its columns, in one
        statement: the newest of what arrived from elsewhere (sync_row) and what this place
        changed itself (its outbox)."""
        sql = self._read_sql.get(change.table)
        if sql is None:
            sql = self._read_sql[change.table] = (
                "SELECT (SELECT clocks FROM sync_row WHERE tbl = ?1 AND pk = t.id), "
                "(SELECT json_group_array(json_array(hlc, json(ch))) FROM sync_outbox "
                f'WHERE tbl = ?1 AND pk = t.id), t.* FROM "{change.table}" t WHERE t.id = ?2')
        cursor = self.conn.execute(sql, [change.table, change.pk])
        row = cursor.fetchone()
        if row is None:
            return None, {}
        current = dict(zip([d[0] for d in cursor.description[2:]], row[2:], strict=True))
        return current, self._clocks(row[0], row[1])

    def _clocks(self, arrived: str | None, own: str) -> dict[str, Clock]:
        clocks: dict[str, Clock] = {}
        if arrived:
            for col, (hlc, site) in json.loads(arrived).items():
                clocks[col] = (hlc, site)
        if own == "[]":   # no change of this place's own to the record (the usual case)
            return clocks
        own_site = self.own_site()
        for hlc, ch in json.loads(own):
            for col, (old, new) in ch.items():
                if _same(old, new):
                    continue      # listed by a delete as seen, not changed
                if (hlc, own_site) > clocks.get(col, clocks.get("*", NO_CLOCK)):
                    clocks[col] = (hlc, own_site)
        return clocks

    def own_site(self) -> str:
        if not hasattr(self, "_own_site"):
            self._own_site = self.conn.execute(
                "SELECT coalesce(site_id, '') FROM sync_state").fetchone()[0]
        return self._own_site

    def _save_clocks(self, change: Change, clocks: dict[str, Clock]) -> None:
        self.conn.execute(
            "INSERT INTO sync_row (tbl, pk, clocks) VALUES (?, ?, ?) ON CONFLICT (tbl, pk) "
            "DO UPDATE SET clocks = excluded.clocks",
            [change.table, change.pk, _compact(clocks)])

    # ------------------------------------------------------------------ apply
    def apply(self, change: Change) -> Outcome:
        """Apply one change; a change that cannot be applied is reported and leaves nothing
        behind. No savepoint is needed for that: the record's own INSERT, UPDATE or DELETE
        is the first thing a change writes and the only one a constraint can refuse, and
        SQLite undoes a refused statement whole, with what its triggers wrote (none of them
        RAISEs, no constraint is deferred or says ON CONFLICT FAIL)."""
        if change.table not in SYNCED:
            return Outcome(rejected=f"本程序不认识的记录类型：{change.table}")
        known = self.known(change.table)
        unknown = [c for c in change.changes if c not in known]
        if unknown:
            return Outcome(rejected=f"本程序不认识的字段：{change.table}.{unknown[0]}")
        try:
            return self._apply(change)
        except sqlite3.IntegrityError as exc:
            return Outcome(rejected=_integrity_reason(exc))

    def _apply(self, change: Change) -> Outcome:
        table = change.table
        current, clocks = self._read(change)
        stamp: Clock = (change.hlc, change.site)
        outcome = Outcome()
        if current is None:
            if change.is_hard_delete:
                return outcome
            values = {c: v[1] for c, v in change.changes.items()}
            values["id"] = change.pk
            cols = list(values)
            names = ", ".join(f'"{c}"' for c in cols)
            self.conn.execute(f'INSERT INTO "{table}" ({names}) VALUES '
                              f'({", ".join("?" for _ in cols)})', [values[c] for c in cols])
            self._save_clocks(change, {"*": stamp})
            outcome.applied = True
            return outcome
        if change.is_hard_delete:
            newest = max(clocks.values(), default=NO_CLOCK)
            if stamp > newest:
                self.conn.execute(f'DELETE FROM "{table}" WHERE id = ?', [change.pk])
                self.conn.execute("DELETE FROM sync_row WHERE tbl = ? AND pk = ?",
                                  [table, change.pk])
                outcome.applied = True
            return outcome
        if self.detect_conflicts:
            outcome.conflicts = self._conflicts(change, current, clocks)
        winners = {}
        for col, (old, new) in change.changes.items():
            if col == "id" or _same(old, new):
                # a delete lists every field as its clerk saw it; only what it changed is
                # written, so an edit made elsewhere meanwhile is not wiped out by it
                continue
            if stamp > clocks.get(col, clocks.get("*", NO_CLOCK)):
                winners[col] = new
                clocks[col] = stamp
        if winners:
            sets = ", ".join(f'"{c}" = ?' for c in winners)
            self.conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?',
                              [*winners.values(), change.pk])
            self._save_clocks(change, clocks)
            outcome.applied = True
        return outcome

    def _conflicts(self, change: Change, current: dict, clocks: dict) -> list[Conflict]:
        found = []
        stamp = (change.hlc, change.site)
        deleted = change.changes.get("deleted_at")
        deleting = bool(deleted) and deleted[0] is None and deleted[1] is not None
        for col, (old, new) in change.changes.items():
            if col in BOOKKEEPING:
                continue
            have = current.get(col)
            clock = clocks.get(col, clocks.get("*", NO_CLOCK))
            if clock[1] in ("", change.site):
                continue
            if _same(old, have) or _same(new, have):
                continue
            if deleting:
                # deleted without seeing an edit made elsewhere: one delete-edit conflict
                # (the edit stays in the record, so keeping it brings it back whole)
                mine = clocks.get("deleted_at", clocks.get("*", NO_CLOCK))
                return [Conflict(change.table, change.pk, "deleted_at", "delete_edit",
                                 current.get("deleted_at"), clock, "", change, stamp > mine,
                                 deleted[1])]
            if col == "deleted_at":
                kind = "delete_edit"
            elif current.get("deleted_at") is not None and "deleted_at" not in change.changes:
                kind = "delete_edit"
            else:
                kind = "field"
            found.append(Conflict(change.table, change.pk, col, kind, have, clock, "",
                                  change, stamp > clock, new))
        if (current.get("deleted_at") is not None and not found
                and "deleted_at" not in change.changes):
            clock = clocks.get("deleted_at", clocks.get("*", NO_CLOCK))
            if clock[1] not in ("", change.site):
                found.append(Conflict(change.table, change.pk, "deleted_at", "delete_edit",
                                      current["deleted_at"], clock, "", change, False, None))
        return found


# json.dumps makes a new encoder for every call with separators given; one does for all
_compact = json.JSONEncoder(separators=(",", ":")).encode

BOOKKEEPING = frozenset({"updated_at", "updated_by", "created_at", "created_by",
                         "search_initials", "search_pinyin", "id_rev", "phone_rev"})


def storable(value) -> bool:
    """A value SQLite can hold as a column of ours (what a captured change carries)."""
    if isinstance(value, int):
        return -2**63 <= value < 2**63
    return value is None or isinstance(value, str | float)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return str(a) == str(b)


def _integrity_reason(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "FOREIGN KEY" in text:
        return "这条记录引用的人员或记录不存在。"
    if "UNIQUE" in text and "id_number" in text:
        return "身份证号与另一位在册人员重复。"
    if "UNIQUE" in text:
        return "与已有记录重复。"
    if "NOT NULL" in text:
        return "缺少必填内容。"
    return f"数据不符合要求（{text}）。"


def silenced(conn: sqlite3.Connection):
    """Context manager: changes applied inside are not captured as this place's own."""
    return _Silence(conn)


class _Silence:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("UPDATE sync_state SET applying = 1")

    def __exit__(self, *exc):
        self.conn.execute("UPDATE sync_state SET applying = 0")
        return False
