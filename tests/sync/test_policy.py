"""The county changes the minimum wage mid-month: the station receives it, its closed months
stay as approved, its open months follow."""

import subprocess
from datetime import date

from db import policy, subsidy
from tests.db.welfare_fixtures import placement, qualified

from .helpers import county_exe, usb_round


def _result(st, month):
    [result] = subsidy.month_results(st, month)
    return result


def test_minimum_wage_changed_mid_month_leaves_closed_months_unchanged(tmp_path, county_dir,
                                                                       stations):
    a = stations(1)
    placement(a)
    for month in ("2025-02", "2025-03"):
        qualified(a, month)
    subsidy.approve_month(a, "2025-02")
    closed = _result(a, "2025-02")
    usb_round(a, county_dir, tmp_path / "a")

    subprocess.run([county_exe(), "--data-dir", str(county_dir), "set-policy", "--key",
                    "hourly_min_wage", "--value", "25", "--from", "2025-02-15"],
                   check=True, capture_output=True, timeout=60)
    _, receipt = usb_round(a, county_dir, tmp_path / "a")
    assert receipt.applied >= 1
    assert policy.value(a, "hourly_min_wage", date(2025, 3, 1)) == 2500
    after = _result(a, "2025-02")
    assert (after.amount, after.explanation, after.final) == (
        closed.amount, closed.explanation, True)
    assert _result(a, "2025-03").amount == 150000      # the open month follows the new wage
