"""Small widgets shared by screens: typed date fields, read-only tables, error labels."""

from datetime import date

from .qt import (
    QAbstractItemView,
    QDate,
    QDateEdit,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
)


def date_edit(value: date | None = None) -> QDateEdit:
    """A date field a clerk can type into (yyyy-MM-dd) or pick from a calendar."""
    edit = QDateEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    value = value or date.today()
    edit.setDate(QDate(value.year, value.month, value.day))
    return edit


def date_of(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def error_label() -> QLabel:
    """A red, initially empty line for inline validation messages."""
    label = QLabel("")
    label.setStyleSheet("color: #c0392b;")
    label.setWordWrap(True)
    return label


def fill_table(table: QTableWidget, headers: list[str], rows: list[list]) -> None:
    """Show ``rows`` read-only in ``table`` with ``headers``; row data kept in UserRole."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


def readonly_table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def refill_villages(combo, station, all_label: str) -> None:
    """Fill a village filter with ``all_label`` then the station's villages, keeping the
    current choice and emitting no change signal."""
    from db import villages

    current = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItems([all_label, *villages.list_villages(station)])
    combo.setCurrentIndex(max(combo.findText(current), 0))
    combo.blockSignals(False)
