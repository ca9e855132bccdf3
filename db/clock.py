"""The one place the core asks what time and day it is, so tests can pin them."""

from datetime import UTC, date, datetime


def now_iso() -> str:
    """Current UTC time as ISO 8601 text with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def today() -> date:
    """The station's local date."""
    return date.today()
