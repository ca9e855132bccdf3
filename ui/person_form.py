"""The person form: every column of ``person`` a clerk types, in keyboard order.

Also the small helpers the person dialog's tabs share: inline field errors and
"Enter submits this little form".
"""

from collections.abc import Callable

from db import glossary, people, villages
from db.clock import today
from db.errors import ValidationError
from db.station import Station
from db.validation.dates import age_on
from db.validation.idcard import normalize_id_number, parse_id_number

from .qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QEvent,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import date_edit, date_of, error_label

NO_STATUS = "（暂不填写）"


class FieldErrors:
    """Red inline messages: one line per known field (or a shared line), focus to the culprit."""

    def __init__(self, fallback: QLabel):
        self.fallback = fallback
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}

    def add(self, field: str, widget: QWidget, label: QLabel | None = None) -> None:
        self.widgets[field] = widget
        if label is not None:
            self.labels[field] = label

    def show(self, exc: ValidationError) -> None:
        self.show_text(getattr(exc, "field", None), str(exc))

    def show_text(self, field: str | None, text: str) -> None:
        self.clear()
        label = self.labels.get(field or "", self.fallback)
        label.setText(text)
        label.setVisible(True)
        widget = self.widgets.get(field or "")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def clear(self) -> None:
        for label in {*self.labels.values(), self.fallback}:
            label.clear()
            label.setVisible(label is self.fallback)


class _EnterFilter(QObject):
    def __init__(self, callback: Callable[[], None], parent: QObject):
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not (isinstance(watched, QComboBox) and watched.view().isVisible()):
                self.callback()
                return True
        return False


def submit_on_enter(callback: Callable[[], None], *widgets: QWidget) -> None:
    """Enter in any of ``widgets`` runs ``callback`` (and goes no further, not to 保存)."""
    for widget in widgets:
        widget.installEventFilter(_EnterFilter(callback, widget))


def choice_combo(items: list[str], editable: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.addItems(items)
    combo.setEditable(editable)
    if editable:
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


def code_combo(labels: dict[str, str], blank: str | None = None) -> QComboBox:
    """A combo showing Chinese labels and holding the codes as item data."""
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, "")
    for code, label in labels.items():
        combo.addItem(label, code)
    return combo


def set_combo_text(combo: QComboBox, text: str) -> None:
    """Select ``text``, adding it when an older record holds a value the list lacks."""
    text = text or ""
    if combo.findText(text) < 0:
        combo.addItem(text)
    combo.setCurrentIndex(combo.findText(text))


class PersonForm(QWidget):
    """The person's columns; ``values()`` gives them as the core's field names."""

    id_entered = Signal(str)  # a valid ID number, normalized, when the field is left

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self._build_fields()
        self.id_number.installEventFilter(self)
        self.id_number.textChanged.connect(lambda: self.check_id_number(final=False))
        self.consent.toggled.connect(self.consent_date.setEnabled)
        self.wants_out.toggled.connect(self._sync_enabled)
        self.wants_training.toggled.connect(self._sync_enabled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self._identity_box(), 1)
        top.addWidget(self._situation_box(), 1)
        layout.addLayout(top)
        layout.addWidget(self._intention_box())
        layout.addWidget(self._first_status_box())
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        self._chain_tab_order()
        self._sync_enabled()
        self.consent_date.setEnabled(False)
        self.errors.clear()

    # -- building ---------------------------------------------------------------------------
    def _build_fields(self) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(people.MAX_NAME_LENGTH)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(24)
        self.id_number.setPlaceholderText("18 位，末位可为 X")
        self.id_info = QLabel("")
        self.id_info.setStyleSheet("color: #1f5f8b;")
        self.id_info.setWordWrap(True)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("11 位手机号或带区号的座机")
        self.hukou_village = choice_combo([""] + villages.list_villages(self.station), True)
        self.hukou_address = QLineEdit()
        self.residence = QLineEdit()
        self.household_no = QLineEdit()
        self.education = choice_combo(list(glossary.EDUCATION))
        self.skills = QLineEdit()
        self.skills.setPlaceholderText("如：电焊工、家政服务")
        self.health = choice_combo(list(glossary.HEALTH))
        self.disability = QLineEdit()
        self.disability.setPlaceholderText("无残疾则不填")
        self.flags = {key: QCheckBox(label) for key, label in glossary.GROUP_FLAGS.items()}
        self.consent = QCheckBox("已同意采集个人信息")
        self.consent_date = date_edit()
        self.wants_out = QCheckBox(glossary.PERSON_FIELDS["wants_out"])
        self.out_destination = QLineEdit()
        self.out_work_type = QLineEdit()
        self.out_expected_wage = QLineEdit()
        self.out_expected_wage.setMaximumWidth(90)
        self.wants_training = QCheckBox(glossary.PERSON_FIELDS["wants_training"])
        self.training_wish = QLineEdit()
        self.remarks = QLineEdit()
        self.status = code_combo(glossary.STATUS, NO_STATUS)
        self.status_since = date_edit()
        self.employer = QLineEdit()
        self.work_place = QLineEdit()
        self.monthly_income = QLineEdit()
        self.monthly_income.setMaximumWidth(90)

    def _row(self, form: QFormLayout, field: str, widget: QWidget, label: str = "") -> None:
        """A labelled row with its own (hidden until needed) error line underneath."""
        form.addRow(label or glossary.PERSON_FIELDS[field] + "：", widget)
        line = error_label()
        form.addRow("", line)
        self.errors.add(field, widget, line)

    def _identity_box(self) -> QGroupBox:
        box = QGroupBox("身份与户籍")
        form = QFormLayout(box)
        self._row(form, "name", self.name)
        self._row(form, "id_number", self.id_number)
        form.addRow("", self.id_info)
        self._row(form, "phone", self.phone)
        form.addRow(glossary.PERSON_FIELDS["hukou_village"] + "：", self.hukou_village)
        form.addRow(glossary.PERSON_FIELDS["hukou_address"] + "：", self.hukou_address)
        form.addRow(glossary.PERSON_FIELDS["residence"] + "：", self.residence)
        form.addRow(glossary.PERSON_FIELDS["household_no"] + "：", self.household_no)
        return box

    def _situation_box(self) -> QGroupBox:
        box = QGroupBox("个人情况")
        form = QFormLayout(box)
        for field in ("education", "skills", "health", "disability"):
            form.addRow(glossary.PERSON_FIELDS[field] + "：", getattr(self, field))
        groups = QGridLayout()
        for i, check in enumerate(self.flags.values()):
            groups.addWidget(check, i // 2, i % 2)
        form.addRow("人员类别：", groups)
        consent = QHBoxLayout()
        consent.addWidget(self.consent)
        consent.addWidget(self.consent_date)
        consent.addStretch(1)
        self._row(form, "consent_date", _wrap(consent), "个人信息：")
        self.errors.widgets["consent_date"] = self.consent_date
        return box

    def _intention_box(self) -> QGroupBox:
        box = QGroupBox("就业意愿")
        grid = QGridLayout(box)
        labels = glossary.PERSON_FIELDS
        grid.addWidget(self.wants_out, 0, 0)
        grid.addWidget(QLabel(labels["out_destination"] + "："), 0, 1)
        grid.addWidget(self.out_destination, 0, 2)
        grid.addWidget(QLabel(labels["out_work_type"] + "："), 0, 3)
        grid.addWidget(self.out_work_type, 0, 4)
        grid.addWidget(QLabel(labels["out_expected_wage"] + "："), 0, 5)
        grid.addWidget(self.out_expected_wage, 0, 6)
        grid.addWidget(self.wants_training, 1, 0)
        grid.addWidget(QLabel(labels["training_wish"] + "："), 1, 1)
        grid.addWidget(self.training_wish, 1, 2, 1, 5)
        grid.addWidget(QLabel(labels["remarks"] + "："), 2, 0)
        grid.addWidget(self.remarks, 2, 1, 1, 6)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(4, 1)
        wage_error = error_label()
        grid.addWidget(wage_error, 3, 0, 1, 7)
        self.errors.add("out_expected_wage", self.out_expected_wage, wage_error)
        return box

    def _first_status_box(self) -> QGroupBox:
        self.status_box = QGroupBox("当前就业状态（与人员信息一起保存）")
        grid = QGridLayout(self.status_box)
        labels = glossary.PERSON_FIELDS
        pairs = [("就业状态：", self.status), ("起始日期：", self.status_since),
                 (labels["monthly_income"] + "：", self.monthly_income),
                 (labels["employer"] + "：", self.employer),
                 (labels["work_place"] + "：", self.work_place)]
        for i, (text, widget) in enumerate(pairs):
            row, col = divmod(i, 3)
            grid.addWidget(QLabel(text), row, col * 2)
            grid.addWidget(widget, row, col * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        status_error = error_label()
        grid.addWidget(status_error, 2, 0, 1, 6)
        self.errors.add("status", self.status, status_error)
        self.errors.add("monthly_income", self.monthly_income, status_error)
        return self.status_box

    def _chain_tab_order(self) -> None:
        order = [self.name, self.id_number, self.phone, self.hukou_village, self.hukou_address,
                 self.residence, self.household_no, self.education, self.skills, self.health,
                 self.disability, *self.flags.values(), self.consent, self.consent_date,
                 self.wants_out, self.out_destination, self.out_work_type,
                 self.out_expected_wage, self.wants_training, self.training_wish, self.remarks,
                 self.status, self.status_since, self.monthly_income, self.employer,
                 self.work_place]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _sync_enabled(self) -> None:
        for widget in (self.out_destination, self.out_work_type, self.out_expected_wage):
            widget.setEnabled(self.wants_out.isChecked())
        self.training_wish.setEnabled(self.wants_training.isChecked())

    # -- the ID number ----------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if (watched is self.id_number and event.type() == QEvent.Type.FocusOut
                and event.reason() not in (Qt.FocusReason.ActiveWindowFocusReason,
                                           Qt.FocusReason.PopupFocusReason)):
            number = self.check_id_number(final=True)
            if number:
                self.id_entered.emit(number)
        return False

    def check_id_number(self, *, final: bool) -> str | None:
        """Show what the ID number says (sex, birth, age, 大龄) or why it is wrong.

        While typing only a complete-looking number is judged; ``final`` judges any text
        and writes the number back in its normalized form.
        """
        line = self.errors.labels["id_number"]
        text = normalize_id_number(self.id_number.text())
        self.id_info.clear()
        line.clear()
        line.setVisible(False)
        if not text or (not final and len(text) not in (15, 18)):
            return None
        try:
            info = parse_id_number(text)
        except ValidationError as exc:
            line.setText(str(exc))
            line.setVisible(True)
            return None
        if final and self.id_number.text() != info.number:
            self.id_number.setText(info.number)
        age = age_on(info.birth_date, today())
        older = "是" if age >= people.older_age(self.station, info.sex) else "否"
        self.id_info.setText(
            f"性别 {glossary.SEX[info.sex]} · 出生日期 {info.birth_date:%Y-%m-%d} · "
            f"{age} 岁 · 大龄：{older}")
        self.id_info.setToolTip(f"签发地：{info.region_name}")
        return info.number

    # -- values in and out ------------------------------------------------------------------
    def values(self) -> dict:
        """What the clerk typed, keyed by the core's person field names."""
        consent = date_of(self.consent_date).isoformat() if self.consent.isChecked() else None
        return {
            "name": self.name.text(), "id_number": self.id_number.text(),
            "phone": self.phone.text(), "hukou_village": self.hukou_village.currentText(),
            "hukou_address": self.hukou_address.text(), "residence": self.residence.text(),
            "household_no": self.household_no.text(),
            "education": self.education.currentText(), "skills": self.skills.text(),
            "health": self.health.currentText(), "disability": self.disability.text(),
            **{key: check.isChecked() for key, check in self.flags.items()},
            "consent_date": consent,
            "wants_out": self.wants_out.isChecked(),
            "out_destination": self.out_destination.text(),
            "out_work_type": self.out_work_type.text(),
            "out_expected_wage": self.out_expected_wage.text(),
            "wants_training": self.wants_training.isChecked(),
            "training_wish": self.training_wish.text(), "remarks": self.remarks.text(),
        }

    def first_status(self) -> dict | None:
        """The first 就业状态 for ``employment.add_status``, or None when left out."""
        status = self.status.currentData()
        extra = (self.employer.text(), self.work_place.text(), self.monthly_income.text())
        if not status and not any(s.strip() for s in extra):
            return None
        return {"status": status, "since": date_of(self.status_since),
                "employer": extra[0], "work_place": extra[1], "monthly_income": extra[2]}

    def load(self, person: dict) -> None:
        """Show a stored person; the first-status box is for new people only."""
        for key in ("name", "id_number", "phone", "hukou_address", "residence",
                    "household_no", "skills", "disability", "out_destination",
                    "out_work_type", "training_wish", "remarks"):
            getattr(self, key).setText(person.get(key) or "")
        for key in ("hukou_village", "education", "health"):
            set_combo_text(getattr(self, key), person.get(key) or "")
        for key, check in self.flags.items():
            check.setChecked(bool(person.get(key)))
        consent = person.get("consent_date")
        self.consent.setChecked(bool(consent))
        if consent:
            self.consent_date.setDate(QDate.fromString(consent, "yyyy-MM-dd"))
        self.wants_out.setChecked(bool(person.get("wants_out")))
        wage = person.get("out_expected_wage")
        self.out_expected_wage.setText("" if wage is None else str(wage))
        self.wants_training.setChecked(bool(person.get("wants_training")))
        self.status_box.setVisible(False)
        self.errors.clear()
        self.check_id_number(final=True)


def _wrap(layout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
