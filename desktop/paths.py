"""Where the station's data lives: the user data folder, or beside the program (portable)."""

import sys
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

APP_NAME = "jobstation"
PORTABLE_MARKER = "portable.txt"


def program_dir() -> Path:
    """The folder of the running program (the bundle folder when frozen)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def is_portable() -> bool:
    """A copy installed on a USB stick keeps its data beside itself."""
    return (program_dir() / PORTABLE_MARKER).exists()


def default_data_dir() -> Path:
    if is_portable():
        return program_dir() / "data"
    return Path(user_data_dir(APP_NAME, appauthor=False))


def log_dir(data_dir: Path | None = None) -> Path:
    if is_portable():
        return program_dir() / "logs"
    return Path(user_log_dir(APP_NAME, appauthor=False))
