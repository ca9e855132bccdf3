"""Shared fixtures: real station files in temporary folders."""

import os
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db import setup  # noqa: E402
from db.validation.idcard import make_id_number  # noqa: E402

ADMIN, ADMIN_PASSWORD = "admin", "secret123"


@pytest.fixture
def station(tmp_path):
    """A fresh station signed in as its 站长 (王站长)."""
    st = setup.create_station(
        tmp_path / "station", code="370124101", name="孔村镇就业服务站", county="平阴县",
        village_names=["东关村", "西关村", "李家庄村"], admin_username=ADMIN,
        admin_display_name="王站长", admin_password=ADMIN_PASSWORD)
    yield st
    st.close()


def id_of(year: int, month: int = 5, day: int = 3, seq: int = 12, region: str = "370124"):
    """A valid ID number for someone born on that day."""
    return make_id_number(region, date(year, month, day), seq)
