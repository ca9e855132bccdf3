"""The forms of the jobs screen: a 用人单位, a 岗位, a 劳务输出 batch."""

from db import employers, glossary, jobs, labour_export
from db.errors import ValidationError
from db.station import Station

from .post_dialogs import FormDialog, choice_box
from .qt import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget
from .widgets import date_edit, date_of


def employer_combo(station: Station, current: str | None = None) -> QComboBox:
    """Live employers by name; item data are their keys."""
    box = QComboBox()
    box.addItem("请选择用人单位", "")
    for employer in employers.list_employers(station):
        box.addItem(employer["name"], employer["id"])
    if current:
        box.setCurrentIndex(max(box.findData(current), 0))
    return box


class EmployerDialog(FormDialog):
    """新增用人单位; the core checks the 统一社会信用代码 (GB 32100) and duplicates."""

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__("新增用人单位", "保存", parent)
        self.station = station
        self.employer_id: str | None = None
        labels = glossary.EMPLOYER_FIELDS
        self.edits = {key: QLineEdit() for key in ("name", "credit_code", "contact_person",
                                                   "contact_phone", "industry", "address")}
        self.edits["credit_code"].setPlaceholderText("18 位，可不填")
        self.edits["credit_code"].setMaxLength(18)
        self.flags = {key: QCheckBox(label) for key, label in glossary.EMPLOYER_FLAGS.items()}
        for key, edit in self.edits.items():
            self.form.addRow(f"{labels[key]}：", edit)
        row = QHBoxLayout()
        for box in self.flags.values():
            row.addWidget(box)
        self.form.addRow("标记：", row)
        self.resize(480, self.sizeHint().height())

    def submit(self) -> None:
        fields = {key: edit.text() for key, edit in self.edits.items()}
        fields.update({key: box.isChecked() for key, box in self.flags.items()})
        self.employer_id = employers.create_employer(self.station, fields)


class JobDialog(FormDialog):
    """新增岗位: employer (or a new one), 工种, 人数, wage and age written as clerks say them."""

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__("新增岗位", "保存", parent)
        self.station = station
        self.job_id: str | None = None
        self.employer_dialog: EmployerDialog | None = None
        self.employer = employer_combo(station)
        self.new_employer = QPushButton("新增用人单位…")
        self.new_employer.setAutoDefault(False)
        self.new_employer.clicked.connect(self.add_employer)
        self.work_type = QLineEdit()
        self.work_type.setPlaceholderText("如：包装工、电焊工、普工")
        self.headcount = QSpinBox()
        self.headcount.setRange(1, jobs.MAX_HEADCOUNT)
        self.wage = QLineEdit()
        self.wage.setPlaceholderText("如：4000-6000、5000以上、面议（元/月）")
        self.place_type = choice_box({"": "请选择", **glossary.JOB_PLACES})
        self.work_place = QLineEdit()
        self.work_place.setPlaceholderText("如：玫瑰镇工业园、苏州市")
        self.age = QLineEdit()
        self.age.setPlaceholderText("如：18-45、50岁以下、不限")
        self.requirements = QLineEdit()
        self.gig = QCheckBox(glossary.JOB_FLAGS["gig"])
        self.older_friendly = QCheckBox(glossary.JOB_FLAGS["older_friendly"])
        self.valid_until = date_edit(jobs.default_valid_until(station))
        employer_row = QHBoxLayout()
        employer_row.addWidget(self.employer, 1)
        employer_row.addWidget(self.new_employer)
        flags = QHBoxLayout()
        flags.addWidget(self.gig)
        flags.addWidget(self.older_friendly)
        flags.addStretch(1)
        self.form.addRow("用人单位：", employer_row)
        for label, widget in (("工种：", self.work_type), ("招聘人数：", self.headcount),
                              ("薪资范围：", self.wage), ("工作地类型：", self.place_type),
                              ("工作地点：", self.work_place), ("年龄要求：", self.age),
                              ("岗位要求：", self.requirements)):
            self.form.addRow(label, widget)
        self.form.addRow("标记：", flags)
        self.form.addRow("有效期至：", self.valid_until)
        self.fields = {"employer_id": self.employer, "work_type": self.work_type,
                       "wage": self.wage, "wage_min": self.wage, "wage_max": self.wage,
                       "place_type": self.place_type, "age": self.age, "age_min": self.age,
                       "age_max": self.age, "valid_until": self.valid_until}
        self.resize(520, self.sizeHint().height())

    def add_employer(self) -> None:
        self.employer_dialog = EmployerDialog(self.station, self)
        self.employer_dialog.accepted.connect(self._employer_added)
        self.employer_dialog.open()

    def _employer_added(self) -> None:
        self.employer.addItem(self.employer_dialog.edits["name"].text().strip(),
                              self.employer_dialog.employer_id)
        self.employer.setCurrentIndex(self.employer.count() - 1)
        self.work_type.setFocus()

    def values(self) -> dict:
        wage_min, wage_max = jobs.parse_wage_range(self.wage.text())
        age_min, age_max = jobs.parse_age_range(self.age.text())
        return {"employer_id": self.employer.currentData(), "work_type": self.work_type.text(),
                "headcount": self.headcount.value(), "wage_min": wage_min, "wage_max": wage_max,
                "place_type": self.place_type.currentData(), "work_place": self.work_place.text(),
                "age_min": age_min, "age_max": age_max,
                "requirements": self.requirements.text(), "gig": self.gig.isChecked(),
                "older_friendly": self.older_friendly.isChecked(),
                "valid_until": date_of(self.valid_until)}

    def submit(self) -> None:
        try:
            self.job_id = jobs.create_job(self.station, self.values())
        except ValidationError as exc:
            widget = self.fields.get(exc.field or "")
            if widget is not None:
                widget.setFocus()
            raise


class BatchDialog(FormDialog):
    """新建劳务输出批次: destination employer or region, place type, date, transport."""

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__("新建劳务输出批次", "保存", parent)
        self.station = station
        self.batch: dict | None = None
        self.employer = employer_combo(station)
        self.employer.setItemText(0, "（不指定单位）")
        self.destination = QLineEdit()
        self.destination.setPlaceholderText("如：江苏省苏州市")
        self.place_type = choice_box({"": "请选择", **glossary.JOB_PLACES})
        self.depart_date = date_edit()
        self.transport = QComboBox()
        self.transport.setEditable(True)
        self.transport.addItems(glossary.TRANSPORT)
        self.leader = QLineEdit()
        self.leader_phone = QLineEdit()
        for label, widget in (("输出单位：", self.employer), ("输出地区：", self.destination),
                              ("工作地类型：", self.place_type), ("出发日期：", self.depart_date),
                              ("交通方式：", self.transport), ("带队人：", self.leader),
                              ("带队人电话：", self.leader_phone)):
            self.form.addRow(label, widget)
        self.resize(440, self.sizeHint().height())

    def submit(self) -> None:
        self.batch = labour_export.create_batch(self.station, {
            "employer_id": self.employer.currentData(), "destination": self.destination.text(),
            "place_type": self.place_type.currentData(), "depart_date": date_of(self.depart_date),
            "transport": self.transport.currentText(), "leader": self.leader.text(),
            "leader_phone": self.leader_phone.text()})
