"""The log file: written where setup_logging says, rotated at start when it has grown."""

import logging

from desktop import logs


def test_log_lines_reach_the_file_and_setup_twice_adds_one_handler(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = logs.setup_logging(tmp_path)
        logs.setup_logging(tmp_path)
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1
        logging.getLogger("jobstation").warning("同步未成功：连不上县里服务器")
        added[0].flush()
        assert "同步未成功" in path.read_text(encoding="utf-8")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def test_a_grown_log_is_rotated_at_start_keeping_five_older_files(tmp_path):
    path = tmp_path / "jobstation.log"
    for n in range(1, 6):
        path.with_name(f"jobstation.log.{n}").write_text(f"old {n}")
    path.write_text("x" * 200)
    logs.rotate(path, max_bytes=100)
    assert not path.exists()
    assert path.with_name("jobstation.log.1").read_text() == "x" * 200
    assert path.with_name("jobstation.log.2").read_text() == "old 1"
    assert path.with_name("jobstation.log.5").read_text() == "old 4"  # old 5 dropped
    assert not path.with_name("jobstation.log.6").exists()


def test_a_small_log_is_left_as_it_is(tmp_path):
    path = tmp_path / "jobstation.log"
    path.write_text("short")
    logs.rotate(path, max_bytes=100)
    assert path.read_text() == "short"
    logs.rotate(tmp_path / "missing.log")  # nothing to rotate: no error
