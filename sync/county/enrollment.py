"""Enrolling stations: one-time codes, and the answer that pins the county's keys."""

import hmac
import json
import secrets
from pathlib import Path

from db.clock import now_iso
from db.errors import ValidationError
from db.setup import check_station_code
from db.station import Station

from ..errors import SyncError
from ..identity import BAD_CODE, county_proof
from ..keys import PublicKeys, enrollment_proof, normalize_code
from .store import county

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I/L to misread


def issue_code(store: Station, station_code: str) -> dict:
    """A new one-time code for ``station_code`` (replacing an unused earlier one)."""
    station_code = check_station_code(station_code)
    ident = county(store)
    if not station_code.startswith(ident.code):
        raise ValidationError(f"乡镇代码 {station_code} 不属于本县（{ident.code}）。")
    code = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))
    with store.atomic() as db:
        db.execute("INSERT OR REPLACE INTO county_enroll_code (station_code, code, created_at) "
                   "VALUES (?, ?, ?)", [station_code, normalize_code(code), now_iso()])
    return {"station_code": station_code, "code": code,
            "fingerprint": ident.keys.public.fingerprint, "county_code": ident.code,
            "county_name": ident.name}


def answer(store: Station, station_code: str, code: str) -> dict:
    """The county's half of an enrollment: its keys, proven with the code."""
    ident = county(store)
    keys = ident.keys.public
    return {"format": "jobstation-enrollment", "station_code": station_code,
            "county_code": ident.code, "county_name": ident.name,
            "sign_pub": keys.sign.hex(), "kex_pub": keys.kex.hex(),
            "proof": county_proof(code, ident.code, keys)}


def write_enrollment_file(store: Station, station_code: str, out: Path) -> dict:
    """The county's answer on a USB stick, for a station without a network."""
    issued = issue_code(store, station_code)
    data = answer(store, issued["station_code"], issued["code"])
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return issued


def _pending_code(store: Station, station_code: str) -> str | None:
    row = store.conn.execute("SELECT code FROM county_enroll_code WHERE station_code = ? "
                             "AND used_at IS NULL", [station_code]).fetchone()
    return row[0] if row else None


def register(store: Station, request: dict, *, way: str) -> dict:
    """Check a station's enrollment request (HTTP or inside its first bundle) and record
    its keys; the code is used up. Returns the county's answer."""
    try:
        station_code = str(request["station_code"])
        keys = PublicKeys(bytes.fromhex(request["sign_pub"]), bytes.fromhex(request["kex_pub"]))
        site_id = str(request["site_id"])
        proof = str(request["proof"])
    except (KeyError, ValueError, TypeError) as exc:
        raise SyncError("登记申请不完整，请重新登记。") from exc
    code = _pending_code(store, station_code)
    if not code or not hmac.compare_digest(enrollment_proof(code, station_code, keys), proof):
        raise SyncError(BAD_CODE)
    with store.atomic() as db:
        db.execute("UPDATE county_enroll_code SET used_at = ? WHERE station_code = ?",
                   [now_iso(), station_code])
        # A station enrolling again from a new PC takes over what its old install held.
        for (old,) in db.execute("SELECT site_id FROM county_station WHERE station_code = ? "
                                 "AND site_id <> ?", [station_code, site_id]).fetchall():
            db.execute("UPDATE OR IGNORE county_interest SET site = ? WHERE site = ?",
                       [site_id, old])
            db.execute("DELETE FROM county_station WHERE site_id = ?", [old])
        db.execute(
            "INSERT INTO county_station (site_id, station_code, name, sign_pub, kex_pub, "
            "enrolled_at, last_way) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id) DO "
            "UPDATE SET sign_pub = excluded.sign_pub, kex_pub = excluded.kex_pub, "
            "revoked_at = NULL", [site_id, station_code, request.get("station_name", ""),
                                  keys.sign, keys.kex, now_iso(), way])
    return answer(store, station_code, code)


def revoke(store: Station, station_code: str) -> int:
    """Stop accepting a station's key (a lost or replaced PC); its records stay."""
    with store.atomic() as db:
        count = db.execute("UPDATE county_station SET revoked_at = ? WHERE station_code = ? "
                           "AND revoked_at IS NULL", [now_iso(), station_code]).rowcount
    if not count:
        raise SyncError(f"乡镇代码为 {station_code} 的服务站没有在本县登记。")
    return count
