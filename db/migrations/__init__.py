"""Numbered schema migrations, applied in order at start inside a transaction each.

Add a module ``mNNNN_<what>.py`` with ``def migrate(db)`` and list it in ``STEPS``.
A migration never edits an earlier one; the station is backed up before any runs.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import (
    m0001_initial,
    m0002_name_characters,
    m0003_jobs,
    m0004_welfare_posts,
    m0005_ledger_rights_training,
    m0006_sync,
)

STEPS = [
    ("0001_initial", m0001_initial.migrate),
    ("0002_name_characters", m0002_name_characters.migrate),
    ("0003_jobs", m0003_jobs.migrate),
    ("0004_welfare_posts", m0004_welfare_posts.migrate),
    ("0005_ledger_rights_training", m0005_ledger_rights_training.migrate),
    ("0006_sync", m0006_sync.migrate),
]

migrations = Migrations("jobstation")
for _name, _fn in STEPS:
    migrations(name=_name)(_fn)


def pending(db: Database) -> list[str]:
    """Names of the migrations this file still needs."""
    return [m.name for m in migrations.pending(db)]


def apply(db: Database) -> list[str]:
    """Apply every pending migration; returns the names applied."""
    names = pending(db)
    migrations.apply(db)
    return names


def latest() -> str:
    """The newest migration this program knows."""
    return STEPS[-1][0]
