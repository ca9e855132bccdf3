from datetime import UTC, datetime, timedelta

import pytest

from db import accounts
from db.errors import AuthError, DuplicateError, PermissionDenied, ValidationError


def test_password_is_stored_as_salted_scrypt_hash(station):
    accounts.create_account(station, "clerk1", "李专员", "clerk", "password1")
    stored = station.scalar("SELECT password_hash FROM account WHERE username='clerk1'")
    assert stored.startswith("scrypt$") and "password1" not in stored
    assert accounts.verify_password("password1", stored)
    assert not accounts.verify_password("password2", stored)


def test_login_with_right_and_wrong_password(station):
    assert accounts.authenticate(station, "admin", "secret123").is_head
    with pytest.raises(AuthError, match="不正确"):
        accounts.authenticate(station, "admin", "wrong")
    with pytest.raises(AuthError, match="不正确"):
        accounts.authenticate(station, "nobody", "secret123")


def test_account_locks_after_five_failures_and_unlocks_after_fifteen_minutes(station):
    now = datetime.now(UTC)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(AuthError):
            accounts.authenticate(station, "admin", "wrong", now=now)
    with pytest.raises(AuthError, match="锁定"):
        accounts.authenticate(station, "admin", "secret123", now=now)
    later = now + accounts.LOCKOUT + timedelta(seconds=1)
    assert accounts.authenticate(station, "admin", "secret123", now=later).username == "admin"


def test_only_the_head_manages_accounts(station):
    accounts.create_account(station, "clerk1", "李专员", "clerk", "password1")
    station.act_as(accounts.get_account(station, "clerk1"))
    with pytest.raises(PermissionDenied):
        accounts.create_account(station, "clerk2", "赵专员", "clerk", "password2")
    with pytest.raises(PermissionDenied):
        accounts.set_password(station, "admin", "newpass1")
    accounts.set_password(station, "clerk1", "mynewpass")  # their own
    assert accounts.authenticate(station, "clerk1", "mynewpass")


def test_duplicate_username_short_password_and_last_head(station):
    with pytest.raises(DuplicateError):
        accounts.create_account(station, "admin", "又一个", "clerk", "password1")
    with pytest.raises(ValidationError, match="至少"):
        accounts.create_account(station, "clerk9", "短密码", "clerk", "123")
    with pytest.raises(ValidationError, match="唯一的站长"):
        accounts.set_active(station, "admin", False)


def test_disabled_account_cannot_log_in(station):
    accounts.create_account(station, "clerk1", "李专员", "clerk", "password1")
    accounts.set_active(station, "clerk1", False)
    with pytest.raises(AuthError):
        accounts.authenticate(station, "clerk1", "password1")
    assert not accounts.get_account(station, "clerk1").sees_full_numbers
