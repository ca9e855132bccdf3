"""One window per station: a second copy on the same data folder says so and stops.

The lock is an operating-system lock on ``jobstation.lock`` in the data folder (a byte
range through ``msvcrt`` on Windows, ``flock`` elsewhere). The system releases it when the
program ends in any way, power cut and crash included, so a stale lock never keeps the
clerk out, also when the folder is on a USB stick moved to another PC.
"""

import os
from pathlib import Path

from db.errors import StationError

LOCK_FILE = "jobstation.lock"
ALREADY_OPEN = "本站已在另一个窗口中打开，请切换到那个窗口继续工作。"

_held: dict[Path, "StationLock"] = {}


class StationAlreadyOpen(StationError):
    """Another copy of the program has this data folder open."""

    def __init__(self) -> None:
        super().__init__(ALREADY_OPEN)


class StationLock:
    """The lock on one data folder, held by at most one open file in the whole computer."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_FILE
        self.file = None

    def acquire(self) -> bool:
        """Take the lock; False when another program (or lock object) holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = open(self.path, "a+b")  # stays open as long as the lock is held
        try:
            _lock(file)
        except OSError:
            file.close()
            return False
        self.file = file
        return True

    def release(self) -> None:
        if self.file is not None:
            _unlock(self.file)
            self.file.close()
            self.file = None


if os.name == "nt":
    import msvcrt

    def _lock(file) -> None:
        file.seek(0)
        msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)  # OSError when held elsewhere

    def _unlock(file) -> None:
        file.seek(0)
        msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(file) -> None:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError when held

    def _unlock(file) -> None:
        fcntl.flock(file.fileno(), fcntl.LOCK_UN)


def claim_station(data_dir: Path) -> StationLock:
    """Hold the data folder's lock until the program ends, or raise StationAlreadyOpen."""
    key = Path(data_dir).resolve()
    if key not in _held:
        lock = StationLock(key)
        if not lock.acquire():
            raise StationAlreadyOpen()
        _held[key] = lock
    return _held[key]
