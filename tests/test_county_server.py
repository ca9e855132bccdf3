"""The county server's own behaviour: one database thread, and a clear answer when too
many stations wait at once."""

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
import uvicorn

from sync.county.app import Busy, CountyWorker, create_app
from sync.county.store import init_county


@pytest.fixture
def county_dir(tmp_path):
    init_county(tmp_path / "county", "370124", "平阴县")
    return tmp_path / "county"


def test_worker_refuses_beyond_the_queue_instead_of_letting_stations_time_out(county_dir):
    worker = CountyWorker(county_dir, max_waiting=2)
    release = threading.Event()
    first = worker.submit(lambda store: release.wait(10))
    second = worker.submit(lambda store: store.scalar("SELECT county_code FROM county_identity"))
    with pytest.raises(Busy):
        worker.submit(lambda store: None)
    release.set()
    assert first.result() is True and second.result() == "370124"
    # The same connection serves every request.
    assert worker.run(lambda store: id(store)) == worker.run(lambda store: id(store))
    worker.close()


def test_busy_server_answers_503_in_chinese(county_dir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(county_dir, max_waiting=0),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        with urllib.request.urlopen(url + "/info", timeout=5) as answer:
            assert json.loads(answer.read())["county_code"] == "370124"
        request = urllib.request.Request(url + "/sync", data=b"bundle", method="POST",
                                         headers={"Content-Type": "application/octet-stream"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 503 and refused.value.headers["Retry-After"] == "10"
        assert "县里服务器正忙" in json.loads(refused.value.read())["message"]
    finally:
        server.should_exit = True
        thread.join(10)
