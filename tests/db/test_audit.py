"""Every write leaves an audit row naming the clerk, in the same transaction."""

import pytest

from db import (
    accounts,
    audit,
    employment,
    people,
    registrations,
    returns,
    service_log,
    settings,
    villages,
)
from tests.conftest import id_of


def _audit_count(station, table):
    return station.scalar("SELECT count(*) FROM audit_log WHERE table_name = ?", [table])


def test_every_service_write_is_audited(station):
    pid = people.create_person(station, {"name": "张三", "id_number": id_of(1966)})
    employment.add_status(station, pid, "local", "2026-01-05")
    reg = registrations.register(station, pid, "job_seeking", "hukou", "2026-02-01")
    registrations.cancel_registration(station, reg, "2026-03-01", "已就业")
    returns.add_return(station, pid, "2026-01-20", from_place="苏州", reason="春节")
    service_log.log_service(station, pid, "policy", "咨询社保补贴")
    villages.add_village(station, "新村")
    settings.put(station, "older_age.male", 55)
    accounts.create_account(station, "clerk1", "李专员", "clerk", "password1")
    for table, expected in [("person", 1), ("employment_status", 1), ("registration", 2),
                            ("return_home", 1), ("service_log", 1), ("village", 1),
                            ("account", 1)]:
        assert _audit_count(station, table) >= expected, table
    rows = station.query("SELECT DISTINCT actor FROM audit_log WHERE table_name != 'setting'")
    assert {r["actor"] for r in rows} <= {"admin", "系统"}


def test_password_hashes_never_enter_the_audit_log(station):
    accounts.create_account(station, "clerk2", "赵专员", "clerk", "password2")
    text = " ".join(r["changes"] for r in station.query("SELECT changes FROM audit_log"))
    assert "scrypt" not in text
    assert '"password_hash":[null,"***"]' in text.replace(" ", "")


def test_a_failed_transaction_leaves_no_audit_row(station):
    before = station.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(RuntimeError):
        with station.atomic():
            people.create_person(station, {"name": "钱六", "id_number": id_of(1977)})
            raise RuntimeError("power cut")
    assert station.scalar("SELECT count(*) FROM audit_log") == before
    assert people.count_people(station) == 0


def test_history_reads_old_and_new_values(station):
    pid = people.create_person(station, {"name": "孙七", "id_number": id_of(1980)})
    people.update_person(station, pid, {"hukou_village": "东关村"})
    people.update_person(station, pid, {"hukou_village": "西关村"})
    changes = [h["changes"] for h in audit.history(station.db, "person", pid)]
    assert changes[-1] == {"hukou_village": ["东关村", "西关村"]}
    assert changes[0]["name"] == [None, "孙七"]
