"""The rows an import refused, back as an .xlsx the clerk fixes and imports again.

Same columns as the original roster, then 原行号 (the row in the original file) and
未导入原因. The next import recognizes this layout: the title row is passed over and the
two added columns are ignored.
"""

import os

from . import glossary
from .excel import Column, cell_text, write_table
from .roster_import import RosterAnalysis
from .roster_scratch import loads

TEXT_FIELDS = {"id_number", "phone", "household_no"}


def _columns(analysis: RosterAnalysis) -> list[Column]:
    columns = []
    for index, text in analysis.header.texts.items():
        is_text = analysis.columns.get(index) in TEXT_FIELDS
        columns.append(Column(f"c{index}", text, 22 if is_text else None, is_text))
    columns.append(Column("source_row", glossary.ROSTER_EXTRA_FIELDS["source_row"], 8))
    columns.append(Column("reason", glossary.ROSTER_EXTRA_FIELDS["reject_reason"], 60))
    return columns


def _rows(analysis: RosterAnalysis, columns: list[Column]):
    text_keys = {c.key for c in columns if c.text}
    with analysis.scratch.connect() as conn:
        for number, reason, cells in conn.execute(
                "SELECT row_no, reason, cells FROM rejected ORDER BY row_no"):
            values = loads(cells)
            row = {"source_row": number, "reason": reason}
            for index in analysis.header.texts:
                value = values[index] if index < len(values) else None
                key = f"c{index}"
                row[key] = cell_text(value) if key in text_keys else value
            yield row


def write_rejected(analysis: RosterAnalysis, out: str | os.PathLike) -> int:
    """Write the refused rows of ``analysis`` to ``out``; returns how many."""
    columns = _columns(analysis)
    return write_table(
        out, title=f"未导入的行（{analysis.path.name}）",
        subtitle=f"共 {len(analysis.rejected)} 行。请按“未导入原因”改正后重新导入本文件。",
        columns=columns, rows=_rows(analysis, columns), sheet_name="未导入的行")
