"""The small forms of the posts screen: a post, a placement's term, exit and insurance."""

from datetime import date, timedelta

from db import glossary, placements, villages, welfare_posts
from db.errors import StationError
from db.policy import format_money
from db.station import Station

from .qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from .widgets import date_edit, date_of, error_label


def choice_box(labels: dict[str, str], current: str | None = None) -> QComboBox:
    """A combo of glossary labels whose item data are the stored codes."""
    box = QComboBox()
    for code, label in labels.items():
        box.addItem(label, code)
    if current is not None:
        box.setCurrentIndex(max(box.findData(current), 0))
    return box


class FormDialog(QDialog):
    """A titled form with OK/Cancel; ``submit()`` writes, errors stay in the dialog."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        try:
            self.submit()
        except StationError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class PostDialog(FormDialog):
    """新增 or 修改 a welfare post."""

    def __init__(self, station: Station, post_id: str | None = None, parent=None):
        super().__init__("修改岗位" if post_id else "新增公益性岗位", "保存", parent)
        self.station, self.post_id = station, post_id
        post = welfare_posts.get_post(station, post_id) if post_id else {}
        self.name = QLineEdit(post.get("name", ""))
        self.category = choice_box(glossary.POST_CATEGORIES, post.get("category"))
        self.village = QComboBox()
        self.village.addItems(villages.list_villages(station))
        if post:
            self.village.setCurrentText(post["village"])
        self.schedule = choice_box(glossary.POST_SCHEDULES, post.get("schedule", "part_time"))
        self.pay_basis = choice_box(glossary.PAY_BASES, post.get("pay_basis"))
        self.daily_hours = QLineEdit(post.get("daily_hours") or "")
        self.daily_hours.setPlaceholderText("全日制不超过 8，非全日制不超过 4")
        self.monthly_hours = QLineEdit(post.get("monthly_hours") or "")
        self.monthly_hours.setPlaceholderText("不填按政策参数的月标准工时")
        standard = post.get("subsidy_standard")
        self.subsidy = QLineEdit("" if standard is None else format_money(standard))
        self.subsidy.setPlaceholderText("不填按小时最低工资标准计算")
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 999)
        self.capacity.setValue(post.get("capacity", 1))
        self.duties = QPlainTextEdit(post.get("duties") or "")
        self.duties.setFixedHeight(60)
        self.remarks = QLineEdit(post.get("remarks") or "")
        for label, widget in (("岗位名称：", self.name), ("岗位类别：", self.category),
                              ("所在村：", self.village), ("用工形式：", self.schedule),
                              ("考勤方式：", self.pay_basis), ("每日工时（小时）：", self.daily_hours),
                              ("月工时（小时）：", self.monthly_hours),
                              ("月补贴标准（元）：", self.subsidy), ("定员（人）：", self.capacity),
                              ("岗位职责：", self.duties), ("备注：", self.remarks)):
            self.form.addRow(label, widget)
        self.resize(460, 0)

    def fields(self) -> dict:
        return {"name": self.name.text(), "category": self.category.currentData(),
                "village": self.village.currentText(), "schedule": self.schedule.currentData(),
                "pay_basis": self.pay_basis.currentData(),
                "daily_hours": self.daily_hours.text().strip(),
                "monthly_hours": self.monthly_hours.text().strip(),
                "subsidy_standard": self.subsidy.text().strip(),
                "capacity": self.capacity.value(),
                "duties": self.duties.toPlainText(), "remarks": self.remarks.text()}

    def submit(self) -> None:
        if self.post_id:
            welfare_posts.update_post(self.station, self.post_id, self.fields())
        else:
            self.post_id = welfare_posts.create_post(self.station, self.fields())


class TermDialog(FormDialog):
    """变更聘期 (续聘: a later end)."""

    def __init__(self, station: Station, placement: dict, parent=None):
        super().__init__(f"变更聘期 — {placement['name']}", "保存", parent)
        self.station, self.placement = station, placement
        self.start = date_edit(date.fromisoformat(placement["start_date"]))
        end = placement["end_date"]
        self.end = date_edit(date.fromisoformat(end) if end else None)
        self.form.addRow("上岗日期：", self.start)
        self.form.addRow("聘期结束：", self.end)

    def submit(self) -> None:
        placements.change_term(self.station, self.placement["id"], date_of(self.start),
                               date_of(self.end))


class ExitDialog(FormDialog):
    """退岗 with date and reason."""

    def __init__(self, station: Station, placement: dict, parent=None):
        super().__init__(f"退岗 — {placement['name']}", "办理退岗", parent)
        self.station, self.placement = station, placement
        self.day = date_edit()
        self.reason = choice_box(glossary.EXIT_REASONS)
        self.note = QLineEdit()
        self.note.setPlaceholderText("原因为“其他”时必填")
        self.form.addRow("退岗日期（最后在岗日）：", self.day)
        self.form.addRow("退岗原因：", self.reason)
        self.form.addRow("说明：", self.note)

    def submit(self) -> None:
        placements.exit_placement(self.station, self.placement["id"], date_of(self.day),
                                  self.reason.currentData(), self.note.text())


class InsuranceDialog(FormDialog):
    """登记 the 意外伤害商业保险 of a placement."""

    def __init__(self, station: Station, placement: dict, parent=None):
        super().__init__(f"登记意外伤害保险 — {placement['name']}", "保存", parent)
        self.station, self.placement = station, placement
        self.insurer = QLineEdit()
        self.policy_no = QLineEdit()
        start = date.fromisoformat(placement["start_date"])
        self.start = date_edit(start)
        self.end = date_edit(placements.add_months(start, 12) - timedelta(days=1))
        for label, widget in (("承保公司：", self.insurer), ("保单号：", self.policy_no),
                              ("保险起期：", self.start), ("保险止期：", self.end)):
            self.form.addRow(label, widget)

    def submit(self) -> None:
        placements.add_insurance(self.station, self.placement["id"], self.insurer.text(),
                                 self.policy_no.text(), date_of(self.start), date_of(self.end))
