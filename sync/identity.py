"""A station's enrollment with its county: keys, the county's pinned keys, the site id."""

import hmac
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from db import setup
from db.clock import now_iso
from db.station import Station

from .errors import SyncError
from .keys import KeyPair, PublicKeys, enrollment_proof

NOT_ENROLLED = "本站还没有登记到县里，请先用县里发的登记码完成登记。"
BAD_CODE = "登记码不对或已用过，请向县里重新索取登记码。"


@dataclass(frozen=True)
class Identity:
    site_id: str
    station_code: str
    station_name: str
    county_code: str
    county_name: str
    server_url: str
    keys: KeyPair
    county: PublicKeys
    enroll_proof: str


def identity(station: Station) -> Identity | None:
    row = station.conn.execute(
        "SELECT i.county_code, i.county_name, i.server_url, i.county_sign_pub, "
        "i.county_kex_pub, i.sign_key, i.kex_key, i.enroll_proof, s.site_id "
        "FROM sync_identity i, sync_state s").fetchone()
    if not row or not row[8]:
        return None
    info = setup.station_info(station)
    return Identity(row[8], info.code, info.name, row[0], row[1], row[2] or "",
                    KeyPair.from_bytes(row[5], row[6]), PublicKeys(row[3], row[4]), row[7] or "")


def require(station: Station) -> Identity:
    found = identity(station)
    if found is None:
        raise SyncError(NOT_ENROLLED)
    return found


def enrollment_request(station: Station, code: str) -> tuple[dict, KeyPair]:
    """What a station sends to enroll: its code, name, new keys and proof of the code."""
    keys = KeyPair.generate()
    info = setup.station_info(station)
    site_id = station.scalar("SELECT site_id FROM sync_state") or str(uuid.uuid4())
    return {
        "station_code": info.code, "station_name": info.name, "site_id": site_id,
        "sign_pub": keys.public.sign.hex(), "kex_pub": keys.public.kex.hex(),
        "proof": enrollment_proof(code, info.code, keys.public),
    }, keys


def county_proof(code: str, county_code: str, county: PublicKeys) -> str:
    """The county's answer proves it knows the code too, so the pinned key is the county's."""
    return enrollment_proof(code, county_code, county)


def accept_county(station: Station, request: dict, keys: KeyPair, answer: dict, code: str,
                  server_url: str = "") -> Identity:
    """Check the county's answer against the code and pin its keys."""
    try:
        county = PublicKeys(bytes.fromhex(answer["sign_pub"]), bytes.fromhex(answer["kex_pub"]))
        expected = county_proof(code, answer["county_code"], county)
        genuine = hmac.compare_digest(expected, str(answer["proof"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise SyncError("县里的登记答复不完整，请重新登记。") from exc
    if not genuine:
        raise SyncError(BAD_CODE)
    private = keys.private_bytes()
    with station.atomic() as db:
        db.execute("DELETE FROM sync_identity")
        db["sync_identity"].insert({
            "id": 1, "county_code": answer["county_code"],
            "county_name": answer.get("county_name", ""), "server_url": server_url,
            "county_sign_pub": county.sign, "county_kex_pub": county.kex,
            "sign_key": private[0], "kex_key": private[1], "enroll_proof": request["proof"],
            "enrolled_at": now_iso()})
        db.execute("UPDATE sync_state SET site_id = ?", [request["site_id"]])
    return require(station)


def enroll_from_file(station: Station, path: Path, code: str) -> Identity:
    """Enrollment by USB stick: the county's file names it and its keys; the station's keys
    travel to the county inside its first bundle, with the proof."""
    try:
        answer = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SyncError("无法读取登记文件，请确认是县里导出的登记文件。") from exc
    if not isinstance(answer, dict) or answer.get("format") != "jobstation-enrollment":
        raise SyncError("这不是县里导出的登记文件。")
    if answer.get("station_code") != setup.station_info(station).code:
        raise SyncError("这个登记文件是发给另一个服务站的，请确认乡镇代码。")
    request, keys = enrollment_request(station, code)
    return accept_county(station, request, keys, answer, code)


def set_server(station: Station, url: str) -> None:
    with station.atomic() as db:
        db.execute("UPDATE sync_identity SET server_url = ?", [url.strip()])
