"""Index of the characters inside names, so a Chinese search never scans every name.

A query such as "华" or "长江" that is not a name's start would otherwise scan all names;
``name_char`` maps each character after the first, and each pair of characters after the
first, to its people. Triggers keep it, like the audit log, so no write leaves it stale;
deleted people are removed from it.
"""

MAX_NAME_LENGTH = 30

STATEMENTS = [
    "CREATE TABLE name_char (ch TEXT NOT NULL, person_rowid INTEGER NOT NULL, "
    "PRIMARY KEY (ch, person_rowid)) WITHOUT ROWID",
    "CREATE TABLE name_pos (i INTEGER PRIMARY KEY)",
]

_FILL = ("INSERT OR IGNORE INTO name_char(ch, person_rowid) "
         "SELECT substr({ref}.name, i, n), {ref}.rowid FROM name_pos, "
         "(SELECT 1 AS n UNION ALL SELECT 2) WHERE i + n - 1 <= length({ref}.name)")

TRIGGERS = [
    "CREATE TRIGGER name_char_insert AFTER INSERT ON person WHEN NEW.deleted_at IS NULL "
    f"BEGIN {_FILL.format(ref='NEW')}; END",
    "CREATE TRIGGER name_char_update AFTER UPDATE OF name, deleted_at ON person BEGIN "
    "DELETE FROM name_char WHERE person_rowid = OLD.rowid; "
    f"{_FILL.format(ref='NEW')} AND NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER name_char_delete AFTER DELETE ON person BEGIN "
    "DELETE FROM name_char WHERE person_rowid = OLD.rowid; END",
]

BACKFILL = ("INSERT OR IGNORE INTO name_char(ch, person_rowid) "
            "SELECT substr(p.name, i, n), p.rowid FROM person p, name_pos, "
            "(SELECT 1 AS n UNION ALL SELECT 2) "
            "WHERE i + n - 1 <= length(p.name) AND p.deleted_at IS NULL")


def migrate(db) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
    db.execute("INSERT INTO name_pos(i) VALUES " + ",".join(
        f"({i})" for i in range(2, MAX_NAME_LENGTH + 1)))
    for statement in TRIGGERS:
        db.execute(statement)
    db.execute(BACKFILL)
