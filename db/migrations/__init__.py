"""Numbered schema migrations, applied in order at start inside a transaction each.

Add a module ``mNNNN_<what>.py`` with ``def migrate(db)`` and list it in ``STEPS``.
A migration never edits an earlier one; the station is backed up before any runs.
"""

from typing import TYPE_CHECKING

from . import (
    m0001_initial,
    m0002_name_characters,
    m0003_jobs,
    m0004_welfare_posts,
    m0005_ledger_rights_training,
    m0006_sync,
    m0007_actor_table,
    m0008_cheaper_new_person,
    m0009_new_person_status,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

STEPS = [
    ("0001_initial", m0001_initial.migrate),
    ("0002_name_characters", m0002_name_characters.migrate),
    ("0003_jobs", m0003_jobs.migrate),
    ("0004_welfare_posts", m0004_welfare_posts.migrate),
    ("0005_ledger_rights_training", m0005_ledger_rights_training.migrate),
    ("0006_sync", m0006_sync.migrate),
    ("0007_actor_table", m0007_actor_table.migrate),
    ("0008_cheaper_new_person", m0008_cheaper_new_person.migrate),
    ("0009_new_person_status", m0009_new_person_status.migrate),
]


def __getattr__(name: str):
    """``migrations``, the sqlite-utils migration set, made on first use: importing
    sqlite-utils takes 0.15 s, which a start with nothing to migrate never pays
    (db.station checks ``STEPS`` against the file itself)."""
    if name != "migrations":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _migration_set()


def _migration_set():
    global _MIGRATIONS
    if _MIGRATIONS is None:
        from sqlite_utils.migrations import Migrations

        _MIGRATIONS = Migrations("jobstation")
        for step_name, fn in STEPS:
            _MIGRATIONS(name=step_name)(fn)
    return _MIGRATIONS


_MIGRATIONS = None


def pending(db: "Database") -> list[str]:
    """Names of the migrations this file still needs."""
    return [m.name for m in _migration_set().pending(db)]


def apply(db: "Database") -> list[str]:
    """Apply every pending migration; returns the names applied."""
    names = pending(db)
    _migration_set().apply(db)
    return names


def latest() -> str:
    """The newest migration this program knows."""
    return STEPS[-1][0]
