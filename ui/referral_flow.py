"""What every screen does with a referral: make it and print the letter, record the
employer's answer (and offer the new 就业状态), print the letter again."""

from db import glossary, referrals
from db.station import Station

from .documents import referral_letter_pdf
from .messages import confirm
from .post_dialogs import FormDialog
from .print_preview import PrintPreviewDialog
from .qt import QComboBox, QLabel, QLineEdit, QWidget
from .widgets import date_edit, date_of

FINAL_OUTCOMES = {code: glossary.REFERRAL_OUTCOMES[code] for code in referrals.FINAL_OUTCOMES}
HIRED_QUESTION = "是否同时把此人就业状态改为已就业？"


def letter_preview(station: Station, number: str, person_name: str,
                   parent: QWidget | None) -> PrintPreviewDialog:
    """The 推荐介绍信 of ``number`` in a print preview (opened, not exec'd)."""
    pdf = referral_letter_pdf(station, number)
    preview = PrintPreviewDialog(pdf, f"推荐介绍信 {number}",
                                 f"推荐介绍信_{person_name}_{number}.pdf", parent)
    preview.open()
    return preview


def refer(station: Station, person_id: str, job_id: str, person_name: str,
          parent: QWidget | None) -> tuple[dict, PrintPreviewDialog]:
    """Refer and show the letter; StationError when the core refuses (nothing written)."""
    made = referrals.create_referral(station, person_id, job_id)
    return made, letter_preview(station, made["number"], person_name, parent)


class OutcomeDialog(FormDialog):
    """登记推荐结果: 已录用 / 未录用 / 未报到 with the feedback date and a note.

    After 已录用 the clerk is asked whether the person's 就业状态 should follow;
    ``tables`` then says what was written.
    """

    def __init__(self, station: Station, referral: dict, parent: QWidget | None = None):
        super().__init__("登记推荐结果", "保存", parent)
        self.station, self.referral = station, referral
        self.tables: set[str] = set()
        self.outcome = QComboBox()
        for code, label in FINAL_OUTCOMES.items():
            self.outcome.addItem(label, code)
        if referral["outcome"] in FINAL_OUTCOMES:
            self.outcome.setCurrentIndex(self.outcome.findData(referral["outcome"]))
        self.outcome_date = date_edit()
        self.note = QLineEdit(referral.get("outcome_note") or "")
        self.note.setPlaceholderText("如：已签劳动合同、嫌工资低未去")
        who = QLabel(f"{referral['person_name']} → {referral['employer_name']}"
                     f"（{referral['work_type']}），推荐信编号 {referral['number']}，"
                     f"推荐日期 {referral['referral_date']}")
        who.setWordWrap(True)
        self.form.addRow(who)
        self.form.addRow("推荐结果：", self.outcome)
        self.form.addRow("反馈日期：", self.outcome_date)
        self.form.addRow("结果说明：", self.note)
        self.resize(460, self.sizeHint().height())

    def submit(self) -> None:
        answer = referrals.record_outcome(self.station, self.referral["id"],
                                          self.outcome.currentData(), date_of(self.outcome_date),
                                          self.note.text())
        self.tables = {"referral"}
        if answer["offer_status_update"] and confirm(self, HIRED_QUESTION):
            if referrals.apply_hired_status(self.station, self.referral["id"]):
                self.tables |= {"employment_status", "person"}
