"""The registry's table model: row ids in memory, row contents fetched a page at a time.

Holding only the ordered row ids (8 bytes each) keeps 100,000 people cheap; the view asks
for visible rows only, and each page of 200 rows is one indexed query.
"""

from db import glossary, search
from db.station import Station
from db.validation.masking import mask_id_number, mask_phone

from .qt import QAbstractTableModel, QModelIndex, Qt

PAGE = 200
COLUMNS = [("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期"),
           ("id_number", "公民身份号码"), ("phone", "手机号"), ("hukou_village", "户籍村"),
           ("current_status", "就业状态"), ("groups", "人员类别")]
_INDEX = {name: i for i, name in enumerate(search.DISPLAY_COLUMNS)}
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PeopleModel(QAbstractTableModel):
    def __init__(self, station: Station, parent=None):
        super().__init__(parent)
        self.station = station
        self.rowids: list[int] = []
        self._pages: dict[int, dict[int, tuple]] = {}
        self.full_numbers = bool(station.account and station.account.sees_full_numbers)

    def set_rowids(self, rowids: list[int]) -> None:
        self.beginResetModel()
        self.rowids = rowids
        self._pages.clear()
        self.endResetModel()

    def invalidate(self) -> None:
        """Forget cached rows (after a write) without changing which people are shown."""
        self._pages.clear()
        if self.rowids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rowids) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rowids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None

    def _record(self, row: int) -> tuple | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            wanted = self.rowids[page_no * PAGE:(page_no + 1) * PAGE]
            page = search.fetch_rows(self.station, wanted)
            if len(self._pages) > 50:  # bound the cache while scrolling far
                self._pages.clear()
            self._pages[page_no] = page
        return page.get(self.rowids[row])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self._record(index.row())
        if record is None:
            return None
        if role == PERSON_ID_ROLE:
            return record[_INDEX["id"]]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, COLUMNS[index.column()][0])
        return None

    def _display(self, record: tuple, key: str) -> str:
        if key == "groups":
            return "、".join(label for flag, label in glossary.GROUP_FLAGS.items()
                            if record[_INDEX[flag]])
        value = record[_INDEX[key]]
        if key == "sex":
            return glossary.SEX.get(value, "")
        if key == "current_status":
            return glossary.status_label(value)
        if key == "id_number" and not self.full_numbers:
            return mask_id_number(value)
        if key == "phone" and not self.full_numbers:
            return mask_phone(value)
        return value or ""

    def person_id(self, row: int) -> str | None:
        record = self._record(row)
        return record[_INDEX["id"]] if record else None
