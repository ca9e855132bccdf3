"""维权咨询: the cases, a new case, and status moves along the allowed transitions only
(受理 → 转劳动监察 / 已解决 / 已撤回, 转劳动监察 → 已解决 / 已撤回)."""

from db import glossary, rights
from db.errors import StationError
from db.station import Station

from .qt import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from .rights_dialogs import MoveCaseDialog, NewCaseDialog
from .screen import Screen
from .widgets import error_label, fill_table, readonly_table

STATUS_FILTERS = {"": "全部", "open": "办理中", **glossary.RIGHTS_STATUSES}
CASE_COLUMNS = (("number", "受理编号"), ("received_on", "受理日期"), ("kind_label", "咨询类型"),
                ("parties_text", "当事人"), ("employer_name", "用人单位"),
                ("amount_text", "涉及金额（元）"), ("people_count", "涉及人数"),
                ("status_label", "状态"))
MOVES = ("referred", "resolved", "withdrawn")
CHANGED_TABLES = {"rights_case", "rights_party", "service_log", "employer"}


class RightsScreen(Screen):
    title = "维权咨询"

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(station, parent)
        self.cases: list[dict] = []
        self.new_case_dialog: NewCaseDialog | None = None
        self.move_dialog: MoveCaseDialog | None = None
        self.status_filter = QComboBox()
        for code, label in STATUS_FILTERS.items():
            self.status_filter.addItem(label, code)
        self.count_label = QLabel("")
        self.new_button = QPushButton("受理新咨询…")
        self.table = readonly_table()
        self.detail = QLabel("请选择一条咨询")
        self.detail.setWordWrap(True)
        self.move_buttons = {s: QPushButton(glossary.RIGHTS_STATUSES[s] + "…") for s in MOVES}
        self.refusal = error_label()
        self._lay_out()
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.new_button.clicked.connect(self.open_new_case)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.activated.connect(self._open_first_party)
        for status, button in self.move_buttons.items():
            button.clicked.connect(lambda _=False, s=status: self.ask_move(s))
        self.reload()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("状态："))
        top.addWidget(self.status_filter)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.new_button)
        moves = QHBoxLayout()
        moves.addWidget(QLabel("办理："))
        for button in self.move_buttons.values():
            moves.addWidget(button)
        moves.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(moves)
        layout.addWidget(self.refusal)

    # -- what is shown -----------------------------------------------------------------------
    def reload(self) -> None:
        kept = self.selected_case()
        self.cases = rights.list_cases(self.station, status=self.status_filter.currentData())
        fill_table(self.table, [label for _k, label in CASE_COLUMNS],
                   [[c[key] for key, _l in CASE_COLUMNS] for c in self.cases])
        self.count_label.setText(f"共 {len(self.cases)} 件")
        ids = [c["id"] for c in self.cases]
        if kept and kept["id"] in ids:
            self.table.selectRow(ids.index(kept["id"]))
        self._show_selected()

    def selected_case(self) -> dict | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        return self.cases[rows[0].row()] if rows and rows[0].row() < len(self.cases) else None

    def select_number(self, number: str) -> None:
        self.table.selectRow([c["number"] for c in self.cases].index(number))

    def _show_selected(self) -> None:
        case = self.selected_case()
        self.refusal.setText("")
        allowed = rights.TRANSITIONS.get(case["status"], ()) if case else ()
        for status, button in self.move_buttons.items():
            button.setEnabled(status in allowed)
        if not case:
            self.detail.setText("请选择一条咨询")
            return
        lines = [f"{case['number']}　{case['kind_label']}　{case['status_label']}",
                 f"当事人：{case['parties_text']}（涉及 {case['people_count']} 人）",
                 f"用人单位：{case['employer_name'] or '未填写'}　涉及金额：{case['amount_text'] or '—'}"
                 f"　欠薪期间：{case['period'] or '—'}",
                 f"证据：{'、'.join(case['evidence_labels']) or '无'}"]
        if case["referred_on"]:
            lines.append(f"转劳动监察日期：{case['referred_on']}")
        if case["closed_on"]:
            recovered = f"，追回 {case['recovered_text']} 元" if case["recovered_text"] else ""
            lines.append(f"办结日期：{case['closed_on']}　结果：{case['result']}{recovered}")
        self.detail.setText("\n".join(lines))

    def refresh(self, tables: set[str] | None = None) -> None:
        if tables is None or tables & {"rights_case", "rights_party", "person"}:
            self.reload()

    def _open_first_party(self, index) -> None:
        case = self.cases[index.row()] if 0 <= index.row() < len(self.cases) else None
        registered = [p for p in (case["parties"] if case else []) if p["person_id"]]
        if registered:
            self.open_person.emit(registered[0]["person_id"])

    # -- writes ------------------------------------------------------------------------------
    def open_new_case(self) -> None:
        self.new_case_dialog = NewCaseDialog(self.station, self)
        self.new_case_dialog.accepted.connect(self._case_created)
        self.new_case_dialog.open()

    def _case_created(self) -> None:
        created = self.new_case_dialog.created
        self.reload()
        if created and created["number"] in [c["number"] for c in self.cases]:
            self.select_number(created["number"])
        self.changed.emit(set(CHANGED_TABLES))

    def ask_move(self, status: str) -> None:
        """Open the 办理 dialog for ``status``; a move not allowed is refused at once."""
        case = self.selected_case()
        if not case:
            return
        case = rights.get_case(self.station, case["id"])  # another clerk may have moved it
        if status not in rights.TRANSITIONS.get(case["status"], ()):
            try:  # not allowed: the core refuses before writing, in the clerk's words
                rights.move_case(self.station, case["id"], status)
            except StationError as exc:
                self.refusal.setText(str(exc))
            return
        self.move_dialog = MoveCaseDialog(self.station, case, status, self)
        self.move_dialog.accepted.connect(self._moved)
        self.move_dialog.open()

    def _moved(self) -> None:
        self.reload()
        self.changed.emit({"rights_case"})
