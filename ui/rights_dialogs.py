"""维权咨询 dialogs: a new case (parties, employer, amount, period, evidence) and a move."""

from db import glossary, rights, search
from db.errors import StationError
from db.station import Station

from .qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
)
from .widgets import date_edit, date_of, error_label

SEARCH_LIMIT = 20
PARTY_ROLE = Qt.ItemDataRole.UserRole


class NewCaseDialog(QDialog):
    """受理维权咨询: writes the case on 确定; refusals stay in the dialog in red."""

    def __init__(self, station: Station, parent=None):
        super().__init__(parent)
        self.station, self.created = station, None
        self.setWindowTitle("受理维权咨询")
        self.kind = QComboBox()
        for code, label in glossary.RIGHTS_KINDS.items():
            self.kind.addItem(label, code)
        self.received_on = date_edit()
        self.employer = QLineEdit()
        self.employer.setPlaceholderText("用人单位或包工头名称")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元，例如 12000")
        self.period_from, self.period_to = QLineEdit(), QLineEdit()
        for edit in (self.period_from, self.period_to):
            edit.setPlaceholderText("例如 2026-01")
        self.people_count = QSpinBox()
        self.people_count.setRange(0, 100000)
        self.people_count.setSpecialValueText("按当事人人数")
        self.evidence = {code: QCheckBox(label) for code, label in glossary.RIGHTS_EVIDENCE.items()}
        self.description = QLineEdit()
        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名、拼音首字母或身份证号后几位")
        self.found = QListWidget()
        self.found.setMaximumHeight(90)
        self.other_name = QLineEdit()
        self.other_name.setPlaceholderText("未登记人员姓名")
        self.add_other = QPushButton("添加")
        self.parties = QListWidget()
        self.parties.setMaximumHeight(80)
        self.remove_party = QPushButton("移除所选当事人")
        self.error = error_label()
        self._lay_out()
        self.search.textChanged.connect(self._search)
        self.found.itemActivated.connect(self._add_found)
        self.add_other.clicked.connect(self._add_other)
        self.remove_party.clicked.connect(
            lambda: [self.parties.takeItem(self.parties.row(i))
                     for i in self.parties.selectedItems()])

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("咨询类型", self.kind)
        form.addRow("受理日期", self.received_on)
        form.addRow("查找已登记人员", self.search)
        form.addRow("", self.found)
        other = QHBoxLayout()
        other.addWidget(self.other_name, 1)
        other.addWidget(self.add_other)
        form.addRow("未登记当事人", other)
        form.addRow("当事人", self.parties)
        form.addRow("", self.remove_party)
        form.addRow("用人单位", self.employer)
        form.addRow("涉及金额", self.amount)
        period = QHBoxLayout()
        period.addWidget(self.period_from)
        period.addWidget(self.period_to)
        form.addRow("欠薪期间（起、止）", period)
        form.addRow("涉及人数", self.people_count)
        evidence = QHBoxLayout()
        for check in self.evidence.values():
            evidence.addWidget(check)
        form.addRow("持有证据", evidence)
        form.addRow("情况说明", self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("受理")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _search(self, text: str) -> None:
        self.found.clear()
        if not text.strip():
            return
        rowids = search.search_people(self.station, text, SEARCH_LIMIT)
        rows = search.fetch_rows(self.station, rowids)
        cols = search.DISPLAY_COLUMNS
        for rowid in rowids:
            person = dict(zip(cols, rows[rowid], strict=True))
            item = QListWidgetItem(f"{person['name']}　{person['hukou_village'] or ''}　"
                                   f"身份证尾号 {person['id_number'][-4:]}")
            item.setData(PARTY_ROLE, {"person_id": person["id"], "name": person["name"]})
            self.found.addItem(item)

    def add_party(self, party: dict) -> None:
        label = party["name"] + ("" if party.get("person_id") else "（未登记）")
        item = QListWidgetItem(label)
        item.setData(PARTY_ROLE, party)
        self.parties.addItem(item)

    def _add_found(self, item: QListWidgetItem) -> None:
        self.add_party(item.data(PARTY_ROLE))

    def _add_other(self) -> None:
        if self.other_name.text().strip():
            self.add_party({"name": self.other_name.text().strip()})
            self.other_name.clear()

    def fields(self) -> dict:
        parties = [self.parties.item(i).data(PARTY_ROLE) for i in range(self.parties.count())]
        return {
            "kind": self.kind.currentData(), "received_on": date_of(self.received_on),
            "employer_name": self.employer.text(), "amount": self.amount.text().strip(),
            "period_from": self.period_from.text().strip(),
            "period_to": self.period_to.text().strip(),
            "people_count": self.people_count.value() or None,
            "evidence": [c for c, check in self.evidence.items() if check.isChecked()],
            "description": self.description.text(), "parties": parties}

    def accept(self) -> None:
        try:
            self.created = rights.create_case(self.station, self.fields())
        except StationError as exc:
            self.error.setText(str(exc))
            return
        super().accept()


class MoveCaseDialog(QDialog):
    """办理: the date, and for closing a case the result (and money recovered)."""

    def __init__(self, station: Station, case: dict, status: str, parent=None):
        super().__init__(parent)
        self.station, self.case, self.status = station, case, status
        label = glossary.RIGHTS_STATUSES[status]
        self.setWindowTitle(f"{case['number']}：{label}")
        self.day = date_edit()
        self.result = QLineEdit()
        self.recovered = QLineEdit()
        self.recovered.setPlaceholderText("元，可不填")
        form = QFormLayout()
        form.addRow("办理日期", self.day)
        if status != "referred":
            form.addRow("办理结果" if status == "resolved" else "撤回原因", self.result)
        if status == "resolved":
            form.addRow("追回金额", self.recovered)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(label)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            rights.move_case(self.station, self.case["id"], self.status, date_of(self.day),
                             result=self.result.text(),
                             recovered=self.recovered.text().strip() or None)
        except StationError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
