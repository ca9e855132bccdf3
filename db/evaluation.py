"""考核: each post holder's monthly result (优秀 / 合格 / 不合格) with notes.

Results are entered while the month is open; the 站长 approves the month only when every
post holder has one. After approval only a correction (db.subsidy.correct_evaluation)
changes a result.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import glossary
from .attendance import OUT, check_unlocked, plan_of
from .errors import ValidationError
from .holidays import Month
from .placements import get_placement, list_placements
from .records import insert_record, update_record
from .station import Station


def evaluations(station: Station, month) -> dict[str, dict]:
    """{placement_id: {"result", "notes", "id"}} of ``month``."""
    rows = station.conn.execute(
        "SELECT id, placement_id, result, notes FROM evaluation WHERE month = ? "
        "AND deleted_at IS NULL", [str(Month.parse(month))]).fetchall()
    return {r[1]: {"id": r[0], "result": r[2], "notes": r[3]} for r in rows}


def _check(station: Station, placement_id: str, month: Month, result: str) -> None:
    if result not in glossary.EVALUATION_RESULTS:
        raise ValidationError("考核结果只能是优秀、合格或不合格。", field="result")
    placement = get_placement(station, placement_id)
    if set(plan_of(placement, month)) == {OUT}:
        raise ValidationError(f"{placement['name']}{month.label}不在岗，不能考核。",
                              field="month")


def apply_evaluations(station: Station, month: Month,
                      results: Iterable[tuple[str, str, str]]) -> int:
    """Write (placement_id, result, notes) without the lock check; all or nothing.

    Returns how many results changed.
    """
    results = list(results)
    for placement_id, result, _notes in results:
        _check(station, placement_id, month, result)
    current = evaluations(station, month)
    changed = 0
    with station.atomic():
        for placement_id, result, notes in results:
            notes = " ".join(str(notes or "").split())
            old = current.get(placement_id)
            if old is None:
                insert_record(station, "evaluation", {"placement_id": placement_id,
                              "month": str(month), "result": result, "notes": notes})
            elif (old["result"], old["notes"]) != (result, notes):
                update_record(station, "evaluation", old["id"],
                              {"result": result, "notes": notes})
            else:
                continue
            changed += 1
    return changed


def set_evaluation(station: Station, placement_id: str, month, result: str,
                   notes: str = "") -> None:
    """Record one month's result (code of EVALUATION_RESULTS) while the month is open."""
    set_evaluations(station, month, [(placement_id, result, notes)])


def set_evaluations(station: Station, month, results: Iterable[tuple[str, str, str]]) -> int:
    """Record many results — (placement_id, result, notes) — in one transaction."""
    month = Month.parse(month)
    check_unlocked(station, month)
    return apply_evaluations(station, month, results)


def fill_qualified(station: Station, month, village: str | None = None) -> int:
    """Give 合格 to everyone in post in ``month`` who has no result yet; returns how many."""
    month = Month.parse(month)
    done = evaluations(station, month)
    todo = [(p["id"], "qualified", "") for p in list_placements(station, month=month,
                                                                 village=village)
            if p["id"] not in done]
    return set_evaluations(station, month, todo)
