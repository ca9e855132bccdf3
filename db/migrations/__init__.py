"""Numbered schema migrations, applied in order at start inside a transaction each.

Add a module ``mNNNN_<what>.py`` with ``def migrate(db)`` and list its name in ``NAMES``.
A migration never edits an earlier one; the station is backed up before any runs.

The modules load only when a migration is to run: a start with nothing to migrate checks
``NAMES`` against the file (db.station) and never imports them, nor sqlite-utils (0.15 s).
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

NAMES = (
    "0001_initial",
    "0002_name_characters",
    "0003_jobs",
    "0004_welfare_posts",
    "0005_ledger_rights_training",
    "0006_sync",
    "0007_actor_table",
    "0008_cheaper_new_person",
    "0009_new_person_status",
    "0010_changes_computed_once",
)


def step(name: str):
    """The ``migrate(db)`` function of migration ``name``."""
    return importlib.import_module(f"{__name__}.m{name}").migrate


def __getattr__(name: str):
    """``migrations``, the sqlite-utils migration set, made on first use."""
    if name == "migrations":
        return _migration_set()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _migration_set():
    global _MIGRATIONS
    if _MIGRATIONS is None:
        from sqlite_utils.migrations import Migrations

        _MIGRATIONS = Migrations("jobstation")
        for step_name in NAMES:
            _MIGRATIONS(name=step_name)(step(step_name))
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
    return NAMES[-1]
