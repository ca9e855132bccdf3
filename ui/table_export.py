"""Export whatever a table shows to .xlsx: its headers, its rows, as the clerk sees them.

Models already mask ID and phone numbers by role, so the file holds exactly what is on the
screen. Cells are read on the UI thread (models are not thread-safe); the file is written
in the background.
"""

import re
from datetime import date
from pathlib import Path

from db.excel import Column, write_table

from .messages import info
from .operations import run_in_background
from .qt import QAbstractItemView, QFileDialog, Qt, QWidget

# Columns whose digits Excel must keep as text (IDs, phones) even when they look numeric.
TEXT_LABELS = {"公民身份号码", "身份证号", "身份证号码", "手机号", "联系电话", "电话", "户编号",
               "登记编号", "推荐信编号", "统一社会信用代码", "保单号"}
_LONG_DIGITS = re.compile(r"^[0-9*]{7,}X?$|\*{3,}")
_INTEGER = re.compile(r"^-?(0|[1-9][0-9]{0,14})$")
_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]{0,12})\.[0-9]{1,6}$")


def _cell(model, row: int, column: int) -> str:
    value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
    return "" if value is None else str(value)


def model_table(model) -> tuple[list[Column], list[dict]]:
    """The model's visible headers and rows as ``write_table`` columns and row dicts.

    Whole numbers and decimals become numbers unless the column holds IDs or phones.
    """
    labels = [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                  or "") for c in range(model.columnCount())]
    texts = [[_cell(model, r, c) for c in range(len(labels))] for r in range(model.rowCount())]
    columns = []
    for c, label in enumerate(labels):
        as_text = label in TEXT_LABELS or any(_LONG_DIGITS.search(row[c]) for row in texts[:200])
        columns.append(Column(f"c{c}", label or f"列{c + 1}", text=as_text))
    rows = [{col.key: _typed(value, col.text) for col, value in zip(columns, row, strict=True)}
            for row in texts]
    return columns, rows


def _typed(value: str, as_text: bool):
    if not value:
        return None
    if as_text:
        return value
    if _INTEGER.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return float(value)
    return value


def ask_xlsx_path(parent: QWidget, suggested_name: str) -> Path | None:
    """A save dialog for an .xlsx; the extension is added when the clerk left it out."""
    suggested = Path.home() / f"{suggested_name}_{date.today():%Y%m%d}.xlsx"
    path, _ = QFileDialog.getSaveFileName(parent, "导出 Excel", str(suggested),
                                          "Excel 工作簿 (*.xlsx)")
    if not path:
        return None
    return Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")


def export_model(parent: QWidget, model, title: str, *, subtitle: str = "",
                 out: Path | None = None) -> Path | None:
    """Ask where to save (unless ``out``), then write the model's table to an .xlsx.

    Returns the chosen path (the file is written in the background), or None if cancelled.
    """
    if isinstance(model, QAbstractItemView):
        model = model.model()
    out = out or ask_xlsx_path(parent, title)
    if out is None:
        return None
    columns, rows = model_table(model)

    def work(progress, cancelled):
        return write_table(out, title=title, subtitle=subtitle, columns=columns, rows=rows,
                           sheet_name=title)

    run_in_background(parent, work, lambda n: info(parent, f"已导出 {n} 行到：\n{out}"),
                      label="正在导出 Excel……")
    return out
