"""Fixtures for the sync tests: a county folder, stations enrolled with it, a live server."""

import pytest

from .helpers import Server, new_county, new_station


@pytest.fixture
def county_dir(tmp_path):
    return new_county(tmp_path)


@pytest.fixture
def stations(tmp_path, county_dir):
    """make(n) → a new station enrolled with the county; all closed at the end."""
    made = []

    def make(number: int, name: str | None = None):
        st = new_station(tmp_path, county_dir, number, name)
        made.append(st)
        return st

    yield make
    for st in made:
        st.close()


@pytest.fixture
def server(tmp_path, county_dir):
    running = Server(county_dir, tmp_path / "server.log")
    yield running
    running.stop()
