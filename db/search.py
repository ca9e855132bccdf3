"""As-you-type search over people: name, pinyin initials, ID digits, phone.

Every kind of query is answered by a range scan on a partial index (live people only), so
a keystroke costs about as much as a point lookup even at 100,000 people. Chinese text
also matches inside names through ``name_char``, an index of the characters in names.
"""

import re

from .station import Station

MAX_CHAR = chr(0x10FFFF)
DEFAULT_LIMIT = 1000
_DIGITS = re.compile(r"[0-9]+[xX]?")
_LETTERS = re.compile(r"[a-zA-Z]+")


def _prefix(column: str, index: str) -> str:
    return (f"SELECT rowid FROM person INDEXED BY {index} WHERE deleted_at IS NULL "
            f"AND {column} >= ? AND {column} < ? ORDER BY {column} LIMIT ?")


def _range(prefix: str) -> tuple[str, str]:
    return prefix, prefix + MAX_CHAR


def _queries(text: str) -> list[tuple[str, tuple]]:
    """(sql, params) pairs to run in order; earlier ones rank higher."""
    if _DIGITS.fullmatch(text):
        digits = text.upper()
        plans = [(_prefix("id_rev", "person_id_rev"), _range(digits[::-1])),
                 (_prefix("phone_rev", "person_phone_rev"), _range(digits[::-1]))]
        if len(digits) >= 3:
            plans += [(_prefix("id_number", "person_id_number_live"), _range(digits)),
                      (_prefix("phone", "person_phone"), _range(digits))]
        return plans
    if _LETTERS.fullmatch(text):
        letters = text.lower()
        return [(_prefix("search_initials", "person_initials"), _range(letters)),
                (_prefix("search_pinyin", "person_pinyin"), _range(letters))]
    prefix = (_prefix("name", "person_name"), _range(text))
    if len(text) <= 2:  # name_char holds every inner character and pair of characters
        return [prefix, ("SELECT person_rowid FROM name_char WHERE ch = ? LIMIT ?", (text,))]
    inside = ("SELECT p.rowid FROM name_char g JOIN person p ON p.rowid = g.person_rowid "
              "WHERE g.ch = ? AND instr(p.name, ?) > 1 LIMIT ?")
    return [prefix, (inside, (text[:2], text))]


def search_people(station: Station, text: str, limit: int = DEFAULT_LIMIT) -> list[int]:
    """Row ids of live people matching ``text``, best matches first, at most ``limit``."""
    text = "".join(text.split())
    if not text:
        return all_people(station)
    found: dict[int, None] = {}
    for sql, params in _queries(text):
        for (rowid,) in station.conn.execute(sql, (*params, limit)):
            found.setdefault(rowid)
        if len(found) >= limit:
            break
    return list(found)[:limit]


def all_people(station: Station) -> list[int]:
    """Every live person's row id, by name."""
    return [r[0] for r in station.conn.execute(
        "SELECT rowid FROM person INDEXED BY person_name WHERE deleted_at IS NULL ORDER BY name")]


DISPLAY_COLUMNS = ("id", "name", "sex", "birth_date", "id_number", "phone", "hukou_village",
                   "current_status", "poverty_alleviated", "monitored", "low_income",
                   "rural_disabled", "wants_out")


def fetch_rows(station: Station, rowids: list[int]) -> dict[int, tuple]:
    """Display columns (``DISPLAY_COLUMNS``) of the given people, keyed by row id."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    cols = ", ".join(DISPLAY_COLUMNS)
    cur = station.conn.execute(
        f"SELECT rowid, {cols} FROM person WHERE rowid IN ({marks})", rowids)
    return {row[0]: row[1:] for row in cur}
