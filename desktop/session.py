"""Opening a station as a given clerk, for the command line and the self-test."""

import getpass
import os
from pathlib import Path

from db import accounts
from db.errors import AuthError
from db.station import Station, open_station


def read_password(prompt: str = "密码：") -> str:
    """The password from JOBSTATION_PASSWORD, or asked for on the terminal."""
    password = os.environ.get("JOBSTATION_PASSWORD")
    if password is None:
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
