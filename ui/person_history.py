"""A person's story, one tab each: status history, registrations, returns, services, audit."""

from collections.abc import Callable
from datetime import datetime

from db import accounts, audit, employment, glossary, registrations, returns, service_log
from db.errors import StationError, ValidationError
from db.station import Station

from .messages import confirm
from .person_form import FieldErrors, code_combo, submit_on_enter
from .person_jobs_tab import PersonJobsTab
from .print_preview import preview_document
from .qt import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import date_edit, date_of, error_label, fill_table, readonly_table

MAX_WIDTH = 320  # wider cells wrap instead of pushing the table sideways


class RecordTab(QWidget):
    """A table of the person's rows above a small form that adds one."""

    changed = Signal(object)  # set[str] of table names
    tables: set[str] = set()

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.person_id: str | None = None
        self.rows: list[dict] = []
        self.table = readonly_table()
        self.table.setWordWrap(True)
        self.error = error_label()
        self.errors = FieldErrors(self.error)
        self.form = QGridLayout()
        self.add_button: QPushButton | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.form)
        layout.addWidget(self.error)

    def load(self, person_id: str) -> None:
        self.person_id = person_id
        self.reload()

    def reload(self) -> None:
        self.rows = self.fetch()
        fill_table(self.table, self.headers(), [self.cells(r) for r in self.rows])
        self.decorate()
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_WIDTH))
        self.table.resizeRowsToContents()

    def fetch(self) -> list[dict]:
        raise NotImplementedError

    def decorate(self) -> None:
        """Style cells after they are filled (before the columns are sized)."""

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cells(self, row: dict) -> list:
        raise NotImplementedError

    def add_row(self, r: int, c: int, label: str, widget: QWidget, span: int = 1) -> None:
        self.form.addWidget(QLabel(label), r, c)
        self.form.addWidget(widget, r, c + 1, 1, span)

    def set_add_button(self, text: str, action: Callable[[], None], *fields: QWidget) -> None:
        self.add_button = QPushButton(text)
        self.add_button.clicked.connect(action)
        submit_on_enter(action, *fields)

    def write(self, action: Callable[[], object]) -> bool:
        """Run one write; on error say why under the form and write nothing."""
        self.errors.clear()
        try:
            action()
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except StationError as exc:
            self.errors.show_text(None, str(exc))
            return False
        self.reload()
        self.changed.emit(set(self.tables))
        return True

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None


def _money(value) -> str:
    return "" if value is None else str(value)


class StatusTab(RecordTab):
    tables = {"employment_status", "person"}

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        labels = glossary.PERSON_FIELDS
        self.status = code_combo(glossary.STATUS, "请选择")
        self.since = date_edit()
        self.income = QLineEdit()
        self.employer = QLineEdit()
        self.work_place = QLineEdit()
        self.remarks = QLineEdit()
        fields = (self.status, self.since, self.income, self.employer, self.work_place,
                  self.remarks)
        self.set_add_button("添加状态", self.add, *fields)
        self.remove_button = QPushButton("撤销所选状态")
        self.remove_button.setToolTip("用于撤销录错的状态，撤销后以上一条状态为当前状态")
        self.remove_button.clicked.connect(self.remove)
        self.add_row(0, 0, "新状态：", self.status)
        self.add_row(0, 2, "起始日期：", self.since)
        self.add_row(0, 4, labels["monthly_income"] + "：", self.income)
        self.add_row(1, 0, labels["employer"] + "：", self.employer)
        self.add_row(1, 2, labels["work_place"] + "：", self.work_place)
        self.add_row(1, 4, "备注：", self.remarks)
        self.form.addWidget(self.add_button, 0, 6)
        self.form.addWidget(self.remove_button, 1, 6)
        self.form.setColumnStretch(3, 1)
        self.form.setColumnStretch(5, 1)
        self.errors.add("status", self.status)
        self.errors.add("monthly_income", self.income)

    def fetch(self):
        return employment.status_history(self.station, self.person_id)

    def headers(self):
        labels = glossary.PERSON_FIELDS
        return ["", "就业状态", "起始日期", labels["employer"], labels["work_place"],
                labels["monthly_income"], "备注"]

    def cells(self, row):
        current = "当前" if self.rows and row is self.rows[0] else ""
        return [current, glossary.status_label(row["status"]), row["since_date"],
                row["employer"], row["work_place"], _money(row["monthly_income"]),
                row["remarks"]]

    def decorate(self) -> None:
        if self.rows:  # the current status in bold
            font = self.table.item(0, 1).font()
            font.setBold(True)
            for c in range(self.table.columnCount()):
                self.table.item(0, c).setFont(font)

    def add(self) -> None:
        if self.write(lambda: employment.add_status(
                self.station, self.person_id, self.status.currentData(), date_of(self.since),
                employer=self.employer.text(), work_place=self.work_place.text(),
                monthly_income=self.income.text(), remarks=self.remarks.text())):
            for edit in (self.income, self.employer, self.work_place, self.remarks):
                edit.clear()
            self.status.setCurrentIndex(0)
            self.status.setFocus()

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            self.errors.show_text(None, "请先在上表中选中要撤销的状态。")
            return
        label = glossary.status_label(row["status"])
        if confirm(self, f"确定撤销 {row['since_date']} 的“{label}”吗？"):
            self.write(lambda: employment.remove_status(self.station, row["id"]))


class RegistrationsTab(RecordTab):
    tables = {"registration"}

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.kind = code_combo(glossary.REGISTRATION_KINDS)
        self.place = code_combo(glossary.REGISTRATION_PLACES)
        self.reg_date = date_edit()
        self.number = QLineEdit()
        self.number.setPlaceholderText("留空则自动编号")
        self.set_add_button("新增登记", self.add, self.kind, self.place, self.reg_date,
                            self.number)
        self.cancel_date = date_edit()
        self.cancel_reason = QLineEdit()
        self.cancel_reason.setPlaceholderText("如：已实现就业、迁出本地")
        self.cancel_button = QPushButton("注销所选登记")
        self.cancel_button.clicked.connect(self.cancel)
        self.print_button = QPushButton("打印登记凭证…")
        self.print_button.clicked.connect(self.print_certificate)
        self.preview = None
        submit_on_enter(self.cancel, self.cancel_date, self.cancel_reason)
        self.add_row(0, 0, "登记类型：", self.kind)
        self.add_row(0, 2, "登记地：", self.place)
        self.add_row(0, 4, "登记日期：", self.reg_date)
        self.add_row(0, 6, "登记编号：", self.number)
        self.form.addWidget(self.add_button, 0, 8)
        self.add_row(1, 0, "注销日期：", self.cancel_date)
        self.add_row(1, 2, "注销原因：", self.cancel_reason, 5)
        self.form.addWidget(self.cancel_button, 1, 8)
        self.form.addWidget(self.print_button, 2, 8)
        self.form.setColumnStretch(7, 1)
        for field, widget in (("kind", self.kind), ("place_type", self.place),
                              ("cancel_reason", self.cancel_reason),
                              ("cancelled_on", self.cancel_date)):
            self.errors.add(field, widget)

    def fetch(self):
        return registrations.list_registrations(self.station, self.person_id)

    def headers(self):
        return ["登记类型", "登记地", "登记日期", "登记编号", "状态", "注销日期", "注销原因"]

    def cells(self, row):
        return [glossary.REGISTRATION_KINDS.get(row["kind"], row["kind"]),
                glossary.REGISTRATION_PLACES.get(row["place_type"], row["place_type"]),
                row["reg_date"], row["number"], "已注销" if row["cancelled_on"] else "有效",
                row["cancelled_on"] or "", row["cancel_reason"]]

    def add(self) -> None:
        if self.write(lambda: registrations.register(
                self.station, self.person_id, self.kind.currentData(),
                self.place.currentData(), date_of(self.reg_date), self.number.text())):
            self.number.clear()

    def cancel(self) -> None:
        row = self.selected()
        if row is None or row["cancelled_on"]:
            self.errors.show_text(None, "请先在上表中选中一条未注销的登记。")
            return
        if self.write(lambda: registrations.cancel_registration(
                self.station, row["id"], date_of(self.cancel_date), self.cancel_reason.text())):
            self.cancel_reason.clear()

    def print_certificate(self) -> None:
        """Preview the 登记凭证 of the selected registration."""
        from .documents import certificate_pdf

        row = self.selected()
        if row is None:
            self.errors.show_text(None, "请先在上表中选中一条登记。")
            return
        kind = glossary.REGISTRATION_KINDS.get(row["kind"], "")
        self.preview = preview_document(
            self, lambda: certificate_pdf(self.station, row["number"]),
            f"{kind}凭证_{row['number']}")


class ReturnsTab(RecordTab):
    tables = {"return_home"}

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.return_date = date_edit()
        self.from_place = QLineEdit()
        self.from_place.setPlaceholderText("如：苏州市")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：企业停产、合同到期、照顾家庭")
        self.remarks = QLineEdit()
        self.set_add_button("添加返乡记录", self.add, self.return_date, self.from_place,
                            self.reason, self.remarks)
        self.add_row(0, 0, "返乡日期：", self.return_date)
        self.add_row(0, 2, "从何处返乡：", self.from_place)
        self.add_row(0, 4, "返乡原因：", self.reason)
        self.add_row(1, 0, "备注：", self.remarks, 5)
        self.form.addWidget(self.add_button, 1, 6)
        self.form.setColumnStretch(3, 1)
        self.form.setColumnStretch(5, 1)
        self.errors.add("return_date", self.return_date)

    def fetch(self):
        return returns.list_returns(self.station, self.person_id)

    def headers(self):
        return ["返乡日期", "从何处返乡", "返乡原因", "备注"]

    def cells(self, row):
        return [row["return_date"], row["from_place"], row["reason"], row["remarks"]]

    def add(self) -> None:
        if self.write(lambda: returns.add_return(
                self.station, self.person_id, date_of(self.return_date),
                from_place=self.from_place.text(), reason=self.reason.text(),
                remarks=self.remarks.text())):
            for edit in (self.from_place, self.reason, self.remarks):
                edit.clear()


class ServicesTab(RecordTab):
    tables = {"service_log"}

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.kind = code_combo(glossary.SERVICE_KINDS)
        self.service_date = date_edit()
        self.content = QLineEdit()
        self.content.setPlaceholderText("如：电话联系，介绍玫瑰食品公司包装工岗位")
        self.set_add_button("添加服务记录", self.add, self.kind, self.service_date, self.content)
        self.add_row(0, 0, "服务类型：", self.kind)
        self.add_row(0, 2, "服务日期：", self.service_date)
        self.add_row(1, 0, "服务内容：", self.content, 3)
        self.form.addWidget(self.add_button, 1, 4)
        self.form.setColumnStretch(3, 1)
        self.errors.add("kind", self.kind)
        self.errors.add("content", self.content)

    def fetch(self):
        return service_log.list_services(self.station, self.person_id)

    def headers(self):
        return ["服务日期", "服务类型", "服务内容", "经办人"]

    def cells(self, row):
        return [row["service_date"], glossary.SERVICE_KINDS.get(row["kind"], row["kind"]),
                row["content"], row["clerk"]]

    def add(self) -> None:
        if self.write(lambda: service_log.log_service(
                self.station, self.person_id, self.kind.currentData(), self.content.text(),
                date_of(self.service_date))):
            self.content.clear()


_OPS = {"insert": "新建", "update": "修改", "delete": "删除"}
_EXTRA_LABELS = {"deleted_at": "删除时间"}
_HIDDEN = {"id"}


def _shown(column: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    if column in glossary.GROUP_FLAGS or column in ("wants_out", "wants_training"):
        return "是" if value else "否"
    if column == "sex":
        return glossary.SEX.get(value, value)
    return str(value)


def describe_changes(op: str, changes: dict) -> str:
    """One line a clerk reads: 手机号：138… → 139…；备注：（空） → 外出务工."""
    parts = []
    for column, (old, new) in changes.items():
        if column in _HIDDEN or (op == "insert" and new in ("", 0, None)):
            continue
        label = glossary.PERSON_FIELDS.get(column) or _EXTRA_LABELS.get(column, column)
        if op == "insert":
            parts.append(f"{label}：{_shown(column, new)}")
        else:
            parts.append(f"{label}：{_shown(column, old)} → {_shown(column, new)}")
    return "；".join(parts)


def local_time(at: str) -> str:
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone().strftime(
        "%Y-%m-%d %H:%M")


class AuditTab(RecordTab):
    """操作记录: who changed what in the person's record, newest first (read-only)."""

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self._names: dict[str, str] = {}

    def fetch(self):
        return list(reversed(audit.history(self.station.conn, "person", self.person_id)))

    def headers(self):
        return ["时间", "操作人", "操作", "修改内容（原值 → 新值）"]

    def reload(self) -> None:
        self._names = {a["username"]: a["display_name"]
                       for a in accounts.list_accounts(self.station)}
        super().reload()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

    def cells(self, row):
        actor = row["actor"] or ""
        who = f"{self._names[actor]}（{actor}）" if actor in self._names else actor
        return [local_time(row["at"]), who, _OPS.get(row["op"], row["op"]),
                describe_changes(row["op"], row["changes"])]


def history_tabs(station: Station) -> list[tuple[str, QWidget]]:
    """The tabs below the person form, with their titles."""
    from .person_training_tab import TrainingTab  # it builds on RecordTab above

    return [("就业状态", StatusTab(station)), ("登记", RegistrationsTab(station)),
            ("返乡", ReturnsTab(station)), ("服务记录", ServicesTab(station)),
            ("操作记录", AuditTab(station)), ("岗位推荐", PersonJobsTab(station)),
            ("培训", TrainingTab(station))]

