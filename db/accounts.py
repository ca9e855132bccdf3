"""Accounts of the people who work at the station: roles, scrypt password hashes, lockout."""

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .clock import now_iso
from .errors import AuthError, DuplicateError, NotFoundError, PermissionDenied, ValidationError
from .ids import uuid7
from .station import Station

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 6
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    display_name: str
    role: str  # 'head' (站长) or 'clerk' (专员)
    active: bool = True

    @property
    def is_head(self) -> bool:
        return self.role == "head"

    @property
    def sees_full_numbers(self) -> bool:
        """Whether lists and exports show ID and phone numbers unmasked for this role."""
        return self.is_head


def hash_password(password: str) -> str:
    """A salted scrypt hash, self-describing: ``scrypt$n$r$p$salt$hash``."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return "scrypt${n}${r}${p}$".format(**_SCRYPT) + f"{b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _check_new(username: str, display_name: str, password: str, role: str) -> None:
    if not username.strip() or not username.isascii() or " " in username:
        raise ValidationError("用户名请使用字母、数字，不含空格。", field="username")
    if not display_name.strip():
        raise ValidationError("请填写姓名。", field="display_name")
    if role not in ("head", "clerk"):
        raise ValidationError("角色只能是站长或专员。", field="role")
    check_password_strength(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位。", field="password")


def create_account(
    station: Station, username: str, display_name: str, role: str, password: str
) -> Account:
    """Add an account (the first one is created by the set-up wizard as 站长)."""
    _require_head_or_setup(station)
    username = username.strip()
    _check_new(username, display_name, password, role)
    if station.scalar("SELECT 1 FROM account WHERE username = ?", [username]):
        raise DuplicateError(f"用户名 {username} 已被使用。")
    now = now_iso()
    row = {
        "id": uuid7(), "username": username, "display_name": display_name.strip(),
        "role": role, "password_hash": hash_password(password), "failed_logins": 0,
        "locked_until": None, "active": 1, "created_at": now, "created_by": station.actor,
        "updated_at": now, "updated_by": station.actor, "deleted_at": None,
    }
    with station.atomic() as db:
        db["account"].insert(row)
    return _account(row)


def _require_head_or_setup(station: Station) -> None:
    has_accounts = station.scalar("SELECT count(*) FROM account")
    if has_accounts and not (station.account and station.account.is_head):
        raise PermissionDenied("只有站长可以管理账户。")


def _account(row: dict) -> Account:
    return Account(row["id"], row["username"], row["display_name"], row["role"],
                   bool(row["active"]))


def authenticate(station: Station, username: str, password: str, now: datetime | None = None
                 ) -> Account:
    """The account for these credentials; counts failures and locks after too many."""
    now = now or datetime.now(UTC)
    rows = station.query("SELECT * FROM account WHERE username = ?", [username.strip()])
    if not rows or not rows[0]["active"]:
        raise AuthError("用户名或密码不正确。")
    row = rows[0]
    if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
        raise AuthError("密码错误次数过多，账户已锁定 15 分钟，请稍后再试或请站长处理。")
    if not verify_password(password, row["password_hash"]):
        failed = row["failed_logins"] + 1
        locked = (now + LOCKOUT).isoformat() if failed >= MAX_FAILED_LOGINS else None
        _update_login_state(station, row, failed, locked)
        if locked:
            raise AuthError("密码错误次数过多，账户已锁定 15 分钟，请稍后再试或请站长处理。")
        raise AuthError(f"用户名或密码不正确（还可尝试 {MAX_FAILED_LOGINS - failed} 次）。")
    if row["failed_logins"] or row["locked_until"]:
        _update_login_state(station, row, 0, None)
    return _account(row)


def _update_login_state(station: Station, row: dict, failed: int, locked: str | None) -> None:
    with station.atomic() as db:
        db["account"].update(row["id"], {
            "failed_logins": failed, "locked_until": locked,
            "updated_at": now_iso(), "updated_by": row["username"],
        })


def list_accounts(station: Station) -> list[dict]:
    return station.query(
        "SELECT id, username, display_name, role, active, locked_until, failed_logins "
        "FROM account ORDER BY role, username"
    )


def get_account(station: Station, username: str) -> Account:
    rows = station.query("SELECT * FROM account WHERE username = ?", [username])
    if not rows:
        raise NotFoundError(f"没有用户 {username}。")
    return _account(rows[0])


def set_password(station: Station, username: str, password: str) -> None:
    """Set a new password (站长 for anyone; a clerk for themself) and lift any lockout."""
    if not station.account or not (station.account.is_head
                                   or station.account.username == username):
        raise PermissionDenied("只有站长可以修改他人的密码。")
    check_password_strength(password)
    account = get_account(station, username)
    with station.atomic() as db:
        db["account"].update(account.id, {
            "password_hash": hash_password(password), "failed_logins": 0,
            "locked_until": None, "updated_at": now_iso(), "updated_by": station.actor,
        })


def set_active(station: Station, username: str, active: bool) -> None:
    """Enable or disable an account; the last active 站长 cannot be disabled."""
    _require_head_or_setup(station)
    account = get_account(station, username)
    heads = station.scalar("SELECT count(*) FROM account WHERE role='head' AND active=1")
    if not active and account.is_head and heads <= 1:
        raise ValidationError("不能停用唯一的站长账户。")
    with station.atomic() as db:
        db["account"].update(account.id, {
            "active": int(active), "updated_at": now_iso(), "updated_by": station.actor,
        })
