"""The ``jobstation`` command: the window without a sub-command, headless commands with one.

Starting the window is what clerks do many times a day, so it takes the short way: only
the window's options are parsed here, and the sub-commands (``desktop.commands``, whose
imports cost about half a second) load only when the command line names one. With
``--user`` and the password in ``JOBSTATION_PASSWORD`` the window opens signed in, the
station opened and the password checked on a thread while Qt loads.
``--startup-probe`` (not in the help) prints ``ready <peak KB>`` once the first window is
shown and exits: how bench/ times the real program's start.
"""

import argparse
import os
import sys
from pathlib import Path

WINDOW_OPTIONS = argparse.ArgumentParser(add_help=False)
WINDOW_OPTIONS.add_argument("--data-dir", type=Path)
WINDOW_OPTIONS.add_argument("--user")
WINDOW_OPTIONS.add_argument("--demo", action="store_true")
WINDOW_OPTIONS.add_argument("--self-test", action="store_true")
WINDOW_OPTIONS.add_argument("--startup-probe", action="store_true")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    window, rest = WINDOW_OPTIONS.parse_known_args(argv)
    if rest:  # a sub-command, --help, --version or a mistake: the full parser says which
        from .commands import run

        return run(argv)
    from .paths import default_data_dir

    data_dir = window.data_dir or default_data_dir()
    sign_in = None
    password = os.environ.get("JOBSTATION_PASSWORD")
    if window.user and password is not None and not (window.demo or window.self_test):
        from .session import BackgroundSignIn  # before Qt: it works while Qt loads

        sign_in = BackgroundSignIn(data_dir, window.user, password)
    from .gui import run_gui

    return run_gui(data_dir, demo=window.demo, self_test=window.self_test, sign_in=sign_in,
                   user=window.user or "", probe=window.startup_probe)


if __name__ == "__main__":
    sys.exit(main())
