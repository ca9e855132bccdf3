"""培训 tab of a person: training needs, training taken with certificates, 劳务品牌 tags."""

from db import glossary, training
from db.station import Station

from .person_form import code_combo
from .person_history import RecordTab
from .qt import QLineEdit, QPushButton
from .widgets import date_edit, date_of


class TrainingTab(RecordTab):
    tables = {"training_record", "training_need", "brand_tag"}

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.kind = code_combo(glossary.TRAINING_KINDS)
        self.course = QLineEdit()
        self.course.setPlaceholderText("如：电焊工、育婴员")
        self.start = date_edit()
        self.result = code_combo(glossary.TRAINING_RESULTS)
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText("已结业时填写")
        self.set_add_button("登记培训", self.add_record, self.course, self.certificate)
        self.need_button = QPushButton("登记培训需求")
        self.need_button.clicked.connect(self.add_need)
        self.brands = QLineEdit()
        self.brands.setPlaceholderText("多个品牌用顿号或逗号分隔，如：平阴玫瑰工匠、鲁嫂家政")
        self.brand_button = QPushButton("保存劳务品牌")
        self.brand_button.clicked.connect(self.save_brands)
        self.add_row(0, 0, "培训类型：", self.kind)
        self.add_row(0, 2, "培训项目：", self.course)
        self.add_row(0, 4, "开始日期：", self.start)
        self.add_row(1, 0, "培训结果：", self.result)
        self.add_row(1, 2, "证书名称：", self.certificate, 3)
        self.form.addWidget(self.add_button, 0, 6)
        self.form.addWidget(self.need_button, 1, 6)
        self.add_row(2, 0, "劳务品牌：", self.brands, 5)
        self.form.addWidget(self.brand_button, 2, 6)
        self.form.setColumnStretch(3, 1)
        for field, widget in (("course", self.course), ("start_date", self.start),
                              ("certificate", self.certificate), ("kind", self.kind)):
            self.errors.add(field, widget)

    def fetch(self):
        needs = [{**n, "what": "培训需求", "state": "已满足" if n["met_on"] else "待培训",
                  "date": n["recorded_on"], "cert": ""} for n in
                 training.needs_of(self.station, self.person_id)]
        records = [{**r, "what": "培训记录", "state": r["result_label"], "date": r["start_date"],
                    "cert": r["certificate"]} for r in
                   training.training_of(self.station, self.person_id)]
        self.brands.setText("、".join(training.brands_of(self.station, self.person_id)))
        return records + needs

    def headers(self):
        return ["类别", "培训类型", "培训项目", "日期", "状态", "证书"]

    def cells(self, row):
        return [row["what"], row["kind_label"], row["course"], row["date"], row["state"],
                row["cert"]]

    def add_record(self) -> None:
        fields = {"kind": self.kind.currentData(), "course": self.course.text(),
                  "start_date": date_of(self.start), "result": self.result.currentData(),
                  "certificate": self.certificate.text()}
        if self.write(lambda: training.record_training(self.station, self.person_id, fields)):
            self.course.clear()
            self.certificate.clear()

    def add_need(self) -> None:
        if self.write(lambda: training.add_need(self.station, self.person_id,
                                                self.kind.currentData(), self.course.text())):
            self.course.clear()

    def save_brands(self) -> None:
        names = [b.strip() for b in self.brands.text().replace(",", "、").replace("，", "、")
                 .split("、") if b.strip()]
        self.write(lambda: training.set_brands(self.station, self.person_id, names))
