"""The county server's HTTP interface: its OpenAPI description lists the three endpoints, and
a schema-driven fuzz (schemathesis) never gets a 5xx."""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path


def _openapi(server) -> dict:
    with urllib.request.urlopen(server.url + "/openapi.json", timeout=10) as response:
        return json.loads(response.read())


def test_openapi_lists_info_enroll_and_sync(server):
    spec = _openapi(server)
    assert set(spec["paths"]) == {"/api/v1/info", "/api/v1/enroll", "/api/v1/sync"}
    assert "get" in spec["paths"]["/api/v1/info"]
    assert "post" in spec["paths"]["/api/v1/enroll"]
    sync = spec["paths"]["/api/v1/sync"]["post"]
    assert "application/octet-stream" in sync["requestBody"]["content"]
    assert server.info["county_code"] == "370124"


def test_schemathesis_finds_no_server_error_and_answers_as_described(tmp_path, server):
    """Every check but one: a bundle is opaque bytes to the description, so valid-looking
    bytes are rightly refused (positive_data_acceptance cannot hold)."""
    st = Path(sys.executable).with_name("st")
    done = subprocess.run(
        [str(st), "run", server.url + "/openapi.json", "--checks", "all",
         "--exclude-checks", "positive_data_acceptance",
         "--max-examples", "60", "--seed", "1", "--request-timeout", "30",
         "--generation-database", "none"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout, done.stdout
