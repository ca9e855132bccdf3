"""Typed errors of the core. Each carries one Chinese sentence a clerk can read."""


class StationError(Exception):
    """Base of every error the core raises on purpose; ``str(e)`` is the clerk's sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(StationError):
    """Input that cannot be right (bad ID number, impossible date, missing name, ...)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFoundError(StationError):
    """The record asked for does not exist (or was deleted)."""


class DuplicateError(StationError):
    """A record that must be unique already exists; ``existing_id`` names it."""

    def __init__(self, message: str, existing_id: str | None = None):
        super().__init__(message)
        self.existing_id = existing_id


class PermissionDenied(StationError):
    """The signed-in account's role may not do this."""


class AuthError(StationError):
    """Wrong user name or password, or the account is locked."""


class DatabaseError(StationError):
    """The station file is damaged, locked by another copy, or the disk is full."""
