"""A clerk signed in on a thread of its own while the window loads (the window's start)."""

import threading

import pytest

from db.errors import AuthError
from desktop import instance
from desktop.instance import StationAlreadyOpen, StationLock
from desktop.session import BackgroundSignIn
from tests.conftest import ADMIN, ADMIN_PASSWORD


def release_station(folder) -> None:
    """Give back the folder lock this test process claimed (a program holds it to the end)."""
    lock = instance._held.pop(folder.resolve(), None)
    if lock is not None:
        lock.release()


def test_the_signed_in_station_is_handed_to_the_window_thread(station):
    folder = station.data_dir
    station.close()
    sign_in = BackgroundSignIn(folder, ADMIN, ADMIN_PASSWORD)
    try:
        opened = sign_in.station()
        assert opened.account.username == ADMIN and opened.actor == ADMIN
        assert threading.current_thread() is threading.main_thread()
        assert opened.scalar("SELECT count(*) FROM account") == 1  # usable here
        opened.close()
    finally:
        release_station(folder)


def test_a_wrong_password_is_refused_in_the_window_thread(station):
    folder = station.data_dir
    station.close()
    sign_in = BackgroundSignIn(folder, ADMIN, "wrong-password")
    try:
        with pytest.raises(AuthError, match="用户名或密码不正确"):
            sign_in.station()
    finally:
        release_station(folder)


def test_a_second_window_on_the_folder_is_refused_before_opening(station):
    folder = station.data_dir
    station.close()
    other_window = StationLock(folder)
    assert other_window.acquire()
    try:
        sign_in = BackgroundSignIn(folder, ADMIN, ADMIN_PASSWORD)
        assert sign_in._thread is None  # nothing opened
        with pytest.raises(StationAlreadyOpen):
            sign_in.station()
    finally:
        other_window.release()
