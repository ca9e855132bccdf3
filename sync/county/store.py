"""Opening the county's database: the station schema plus the county's tables."""

from dataclasses import dataclass
from pathlib import Path

from db import settings
from db.clock import now_iso
from db.errors import DuplicateError, NotFoundError, ValidationError
from db.station import Station, open_station, station_path

from ..keys import KeyPair, PublicKeys
from .schema import migrations

COUNTY_ACTOR = "县里"


@dataclass(frozen=True)
class County:
    code: str
    name: str
    keys: KeyPair

    @property
    def site_id(self) -> str:
        return f"county:{self.code}"


def open_county(data_dir: Path, *, create: bool = False) -> Station:
    """The county database in ``data_dir`` (migrated)."""
    if not create and not station_path(data_dir).exists():
        raise NotFoundError(f"此文件夹中没有县级服务器数据：{data_dir}，请先执行 init。")
    store = open_station(data_dir, create=create)
    migrations.apply(store.db)
    _drop_station_only(store)
    store.actor = COUNTY_ACTOR
    if not create and county(store) is None:
        store.close()
        raise NotFoundError(f"此文件夹中没有县级服务器数据：{data_dir}，请先执行 init。")
    return store


# Station triggers the county does without: its log of every change (county_log) already
# says who changed what and when, and nobody searches or counts on the county's tables.
STATION_ONLY_TRIGGERS = ("audit_", "name_char_", "person_tally_")
# Station indexes the county does without: the clerk's searches and lists (by name, pinyin,
# phone, village, status…). No county query uses them, and keeping them up to date was
# most of the cost of a person arriving (14 indexes; a status arriving updates the
# person's current status, which three of them hold). Unique indexes, which are rules and
# not searches, and the indexes that find a record's children all stay.
STATION_ONLY_INDEXES = (
    "person_name", "person_initials", "person_pinyin", "person_id_rev", "person_phone",
    "person_phone_rev", "person_status", "person_village", "person_wants_out",
    "person_seeking", "person_household", "person_sex_birth", "employment_status_lost",
)


def _drop_station_only(store: Station) -> None:
    names = [(kind, name) for kind, name in store.conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index')")
        if (kind == "trigger" and name.startswith(STATION_ONLY_TRIGGERS))
        or (kind == "index" and name in STATION_ONLY_INDEXES)]
    if names:
        with store.atomic() as db:
            for kind, name in names:
                db.execute(f'DROP {kind.upper()} "{name}"')


def init_county(data_dir: Path, code: str, name: str) -> County:
    code = code.strip()
    if not code.isdigit() or len(code) != 6:
        raise ValidationError("县（市、区）代码应为 6 位数字，例如 370124。")
    if not name.strip():
        raise ValidationError("请填写县（市、区）名称。")
    if station_path(data_dir).exists():
        raise DuplicateError(f"此文件夹中已有县级服务器数据：{data_dir}")
    store = open_county(data_dir, create=True)
    try:
        keys = KeyPair.generate()
        sign, kex = keys.private_bytes()
        with store.atomic() as db:
            db["county_identity"].insert({"id": 1, "county_code": code, "name": name.strip(),
                                          "sign_key": sign, "kex_key": kex,
                                          "created_at": now_iso()})
            settings.put(store, "station.code", code)
            settings.put(store, "station.name", name.strip())
            db.execute("UPDATE sync_state SET site_id = ?", [f"county:{code}"])
        return county(store)
    finally:
        store.close()


def county(store: Station) -> County | None:
    row = store.conn.execute(
        "SELECT county_code, name, sign_key, kex_key FROM county_identity").fetchone()
    if not row:
        return None
    return County(row[0], row[1], KeyPair.from_bytes(row[2], row[3]))


def station_keys(store: Station, site_id: str) -> PublicKeys | None:
    row = store.conn.execute(
        "SELECT sign_pub, kex_pub FROM county_station WHERE site_id = ? AND revoked_at IS NULL",
        [site_id]).fetchone()
    return PublicKeys(row[0], row[1]) if row else None
