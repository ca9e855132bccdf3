"""Opening a station as a given clerk: for the command line, and for a window whose clerk
is known before it starts."""

import os
import threading
from pathlib import Path

from db import accounts
from db.errors import AuthError, StationError
from db.station import Station, open_station

from .instance import claim_station


def read_password(prompt: str = "密码：") -> str:
    """The password from JOBSTATION_PASSWORD, or asked for on the terminal."""
    password = os.environ.get("JOBSTATION_PASSWORD")
    if password is None:
        import getpass  # the terminal's (termios): not for the window's start

        try:
            password = getpass.getpass(prompt)
        except (EOFError, KeyboardInterrupt):
            raise AuthError("未输入密码。") from None
    return password


def open_as(data_dir: Path, username: str | None) -> Station:
    """Open the station and sign ``username`` in (password from env or prompt)."""
    station = open_station(data_dir)
    if not username:
        station.close()
        raise AuthError("请用 --user 指定用户名。")
    try:
        station.act_as(accounts.authenticate(station, username, read_password()))
    except Exception:
        station.close()
        raise
    return station


class BackgroundSignIn:
    """The station opened and a clerk signed in on a thread of their own, started before
    the window's modules load; the window then takes the signed-in station over.

    Opening the file parses its schema (some 0.04 s) and, once the password is right, the
    首页's figures are read (``home.prefetch_summary``, some 0.03 s): SQLite lets go of
    Python's lock for both, so Qt and the window's modules load on the main thread
    meanwhile. (The password check itself, scrypt at full strength, holds the lock in
    CPython's hashlib: it overlaps nothing, it only no longer waits for the others.) The
    data folder is claimed first (one window per station).
    """

    def __init__(self, data_dir: Path, username: str, password: str):
        self.data_dir = Path(data_dir)
        self._station: Station | None = None
        self._error: BaseException | None = None
        try:
            claim_station(self.data_dir)
        except StationError as exc:  # raised by station(), where the window can say so
            self._error = exc
            self._thread = None
            return
        self._thread = threading.Thread(target=self._sign_in, args=(username, password),
                                        name="sign-in", daemon=True)
        self._thread.start()

    def _sign_in(self, username: str, password: str) -> None:
        try:
            station = open_station(self.data_dir, any_thread=True)  # handed to the window
        except BaseException as exc:  # raised again in the window's thread
            self._error = exc
            return
        try:
            station.act_as(accounts.authenticate(station, username, password))
            from db import home  # the 首页's figures, read while Qt loads (after sign-in only)

            home.prefetch_summary(station)
        except BaseException as exc:
            station.close()
            self._error = exc
            return
        self._station = station

    def station(self) -> Station:
        """The signed-in station, once ready (AuthError and the like raised here)."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._station
