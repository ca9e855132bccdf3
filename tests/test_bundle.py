"""The one-folder bundle: build.spec builds it, the built program passes its self-test
offscreen and runs the command line, and the folder stays under 150 MB.

Builds with PyInstaller into a temporary folder (a minute or two; ``-m "not bundle"`` skips).
"""

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parent.parent
SIZE_LIMIT = 150 * 1024 * 1024  # what Windows Explorer shows as "150 MB"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """dist/jobstation built from build.spec, in a temporary folder."""
    work = tmp_path_factory.mktemp("bundle")
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work / "dist" / "jobstation"


@pytest.fixture
def run_bundled(bundle, tmp_path):
    """Run the bundled command line offscreen, with logs and data kept in ``tmp_path``."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", JOBSTATION_PASSWORD="secret123",
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"),
               LOCALAPPDATA=str(tmp_path / "local"))
    env.pop("JOBSTATION_FONT", None)  # the bundle must print with the font it carries

    def run(*args, check=True):
        proc = subprocess.run([str(bundle / f"jobstation-cli{EXE_SUFFIX}"), *map(str, args)],
                              env=env, capture_output=True, text=True, encoding="utf-8",
                              timeout=300)
        assert not check or proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    return run


def folder_size(folder: Path) -> int:
    """Bytes of every file in ``folder`` (symbolic links count as themselves)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())


def test_bundle_folder_is_under_150_mb(bundle):
    size = folder_size(bundle)
    assert size < SIZE_LIMIT, f"bundle is {size / 2**20:.1f} MB"


def test_bundled_self_test_opens_window_writes_reads_and_prints_chinese(run_bundled):
    out = run_bundled("--self-test").stdout
    assert "主窗口已打开" in out and "数据库写入并读回" in out and "PDF 已生成，中文可读" in out
    assert "Qt 标准按钮为中文" in out and "Qt 打印组件可用" in out and out.rstrip().endswith("自检通过。")


def test_bundled_program_knows_its_version(run_bundled):
    assert metadata.version("jobstation") in run_bundled("--version").stdout


def test_bundled_command_line_exports_and_prints_a_list(run_bundled, tmp_path):
    data = tmp_path / "station"
    run_bundled("--data-dir", data, "init", "--station-code", "370124101",
                "--station-name", "孔村镇就业服务站", "--villages", "东关村", "--admin", "admin")
    run_bundled("--data-dir", data, "--user", "admin", "seed-demo", "--people", "30")
    run_bundled("--data-dir", data, "--user", "admin", "export-list", "employed",
                "--out", tmp_path / "list.xlsx")
    run_bundled("--data-dir", data, "--user", "admin", "print", "list", "employed",
                "--out", tmp_path / "list.pdf")
    assert (tmp_path / "list.xlsx").stat().st_size > 0
    assert (tmp_path / "list.pdf").read_bytes().startswith(b"%PDF")


def test_county_server_bundle_initializes_enrolls_and_serves(bundle, tmp_path):
    """The county server's own folder, beside the station's: init, a code, and HTTP."""
    import json
    import socket
    import time
    import urllib.request

    county = bundle.parent / "jobstation-county" / f"jobstation-county{EXE_SUFFIX}"
    data = tmp_path / "county"

    def run(*args):
        proc = subprocess.run([str(county), "--data-dir", str(data), *args], capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    run("init", "--county-code", "370124", "--name", "平阴县")
    issued = json.loads(run("enroll-code", "--station-code", "370124101", "--json"))
    assert len(issued["code"]) == 14
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(county), "--data-dir", str(data), "serve", "--host",
                               "127.0.0.1", "--port", str(port)])
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/info",
                                            timeout=1) as answer:
                    info = json.loads(answer.read())
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the bundled county server did not answer")
    finally:
        server.kill()
        server.wait()
    assert info["county_code"] == "370124" and info["fingerprint"] == issued["fingerprint"]
