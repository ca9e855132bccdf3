"""Refusals a clerk can act on; every message is one Chinese sentence."""

from db.errors import StationError


class SyncError(StationError):
    """Sync could not go ahead; nothing was written."""


class BundleRefused(SyncError):
    """A bundle file that must not be applied (tampered, foreign, outdated, …)."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.code = code
