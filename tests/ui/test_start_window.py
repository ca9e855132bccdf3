"""The window started with the password given: signed in on its own thread, 首页 first."""

from db import people
from desktop import gui, instance
from desktop.session import BackgroundSignIn
from tests.conftest import ADMIN, ADMIN_PASSWORD, id_of


def test_the_window_opens_signed_in_on_the_home_screen_with_its_counts(qapp, station,
                                                                        monkeypatch):
    people.create_person(station, {"name": "张三", "id_number": id_of(1970)})
    folder = station.data_dir
    station.close()
    monkeypatch.setattr(gui, "setup_logging", lambda: None)
    monkeypatch.setattr(gui, "_application", lambda: qapp)
    session = gui.show_signed_in(BackgroundSignIn(folder, ADMIN, ADMIN_PASSWORD))
    try:
        qapp.processEvents()
        home = session.window.stack.currentWidget()
        assert type(home).__name__ == "HomeScreen" and home.isVisible()
        assert "在册 1 人" in home.headline.text()
        assert session.station.account.username == ADMIN
    finally:
        session.window.close()
        session.station.close()
        instance._held.pop(folder.resolve()).release()
