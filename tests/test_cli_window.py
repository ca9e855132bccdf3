"""Starting the window from the command line, in real subprocesses (offscreen).

``--startup-probe`` makes the program print ``ready <peak KB> <what is shown>`` once its
first window is up and exit, so the real start path is checked here end to end.
"""

import os
import subprocess
import sys

from db import people
from desktop import gui, instance
from desktop.session import BackgroundSignIn
from tests.conftest import ADMIN, ADMIN_PASSWORD, id_of

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def start(*args, password=None):
    env = dict(ENV)
    env.pop("JOBSTATION_PASSWORD", None)
    if password is not None:
        env["JOBSTATION_PASSWORD"] = password
    code = ("import sys; from desktop import cli; rc = cli.main(sys.argv[1:]); "
            "print('commands loaded' if 'desktop.commands' in sys.modules else 'lean'); "
            "core = sys.modules.get('PySide6.QtCore'); "
            "print('Qt namespace built' if core and 'Qt' in vars(core) else 'no Qt namespace'); "
            "sys.exit(rc)")
    return subprocess.run([sys.executable, "-c", code, *map(str, args), "--startup-probe"],
                          capture_output=True, text=True, env=env, timeout=120)


def test_password_given_opens_the_home_screen_signed_in_without_the_subcommands(station):
    people.create_person(station, {"name": "张三", "id_number": id_of(1970)})
    folder = station.data_dir
    station.close()
    proc = start("--data-dir", folder, "--user", ADMIN, password=ADMIN_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    ready, lean, namespace = proc.stdout.splitlines()
    assert ready.startswith("ready ") and "在册 1 人" in ready
    assert lean == "lean"  # the window's start never loads the headless commands
    # nor has PySide build its ``Qt`` namespace (30-50 ms; see ui.qt.USER_ROLE)
    assert namespace == "no Qt namespace"


def test_without_a_password_the_login_dialog_comes_first(station):
    folder = station.data_dir
    station.close()
    proc = start("--data-dir", folder, "--user", ADMIN)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].endswith("LoginDialog")


def test_a_new_folder_starts_the_setup_wizard(tmp_path):
    proc = start("--data-dir", tmp_path / "new")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].endswith("SetupWizard")


def test_a_sub_command_still_goes_to_the_full_command_line(station):
    folder = station.data_dir
    station.close()
    env = {**ENV, "JOBSTATION_PASSWORD": ADMIN_PASSWORD}
    proc = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(folder),
                           "--user", ADMIN, "check"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "数据文件完好" in proc.stdout


def test_a_wrong_password_gets_the_login_dialog_with_the_user_and_the_reason(
        qapp, station, monkeypatch):
    folder = station.data_dir
    station.close()
    shown = []
    monkeypatch.setattr(gui, "_report_ready", shown.append)
    try:
        sign_in = BackgroundSignIn(folder, ADMIN, "wrong-password")
        assert gui._signed_in(sign_in, ADMIN, probe=True) is None
        login = shown[0]
        assert login.username.text() == ADMIN
        assert "用户名或密码不正确" in login.error.text()
        login.close()
    finally:
        instance._held.pop(folder.resolve()).release()


def test_a_station_the_window_cannot_open_says_why_and_exits(station):
    folder = station.data_dir
    station.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                         "VALUES ('jobstation', '9999_from_the_future', '2030-01-01')")
    station.conn.commit()
    station.close()
    proc = start("--data-dir", folder, "--user", ADMIN, password=ADMIN_PASSWORD)
    assert proc.returncode == 1
    assert "请升级本程序" in proc.stderr
