"""One window per station: a second copy on the same data folder is refused in one sentence."""

import subprocess
import sys
from pathlib import Path

import pytest

from desktop import gui, instance
from desktop.instance import ALREADY_OPEN, StationAlreadyOpen, StationLock, claim_station
from ui import messages

ROOT = Path(__file__).resolve().parent.parent
HOLDER = """
import sys, time
from pathlib import Path
from desktop.instance import claim_station
claim_station(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture(autouse=True)
def no_held_locks(monkeypatch):
    """Each test starts with no folder claimed by this process (and drops its claims)."""
    monkeypatch.setattr(instance, "_held", {})


def test_two_locks_on_one_folder_only_the_first_holds_it(tmp_path):
    first, second = StationLock(tmp_path), StationLock(tmp_path)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_locks_on_different_folders_do_not_meet(tmp_path):
    assert claim_station(tmp_path / "a") and claim_station(tmp_path / "b")


def test_second_process_is_refused_until_the_first_ends_even_by_a_kill(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StationAlreadyOpen) as refused:
            claim_station(tmp_path)
        assert str(refused.value) == ALREADY_OPEN
    finally:
        holder.kill()  # no clean exit: the operating system must free the lock itself
        holder.wait()
    assert claim_station(tmp_path).file is not None


def test_already_open_is_one_chinese_sentence():
    assert ALREADY_OPEN.count("。") == 1 and ALREADY_OPEN.endswith("。")
    assert "另一个窗口" in ALREADY_OPEN


def test_second_window_says_so_and_leaves_the_database_closed(qapp, tmp_path, monkeypatch):
    data = tmp_path / "station"
    first_window = StationLock(data)
    assert first_window.acquire()
    warned, opened = [], []
    monkeypatch.setattr(gui, "_application", lambda: qapp)
    monkeypatch.setattr(gui, "setup_logging", lambda: None)
    monkeypatch.setattr(gui, "_open_or_set_up", lambda folder: opened.append(folder))
    monkeypatch.setattr(messages.QMessageBox, "warning",
                        lambda parent, title, text: warned.append(text))

    assert gui.run_gui(data) == 1
    assert warned == [ALREADY_OPEN]
    assert opened == [] and not (data / "station.sqlite3").exists()
    first_window.release()
