"""One person's record: register a new person, or see and edit everything about one.

A new person is the form alone (with the first 就业状态); once saved, or when the clerk
types an ID number that is already registered, the same dialog shows that person with
the tabs of their story below.
"""

from db import employment, glossary, people
from db.errors import DuplicateError, StationError, ValidationError
from db.station import Station

from .messages import confirm, show_error
from .person_form import PersonForm
from .person_history import history_tabs
from .print_preview import preview_document
from .qt import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

NOTICE_STYLE = "color: #1e7e34; font-weight: bold;"
SUMMARY_STYLE = "font-weight: bold; padding: 2px 0;"


class PersonDialog(QDialog):
    """``PersonDialog(station)`` registers a new person; with ``person_id`` opens one."""

    changed = Signal(object)  # set[str] of table names, after each write

    def __init__(self, station: Station, person_id: str | None = None,
                 parent: QWidget | None = None, id_number: str = ""):
        super().__init__(parent)
        self.station = station
        self.person_id: str | None = None
        self.summary = QLabel("")
        self.summary.setStyleSheet(SUMMARY_STYLE)
        self.notice = QLabel("")
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setWordWrap(True)
        self.form = PersonForm(station)
        self.form.id_entered.connect(self._on_id_entered)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._scrolling(self.form), "基本信息")
        self.history = history_tabs(station)
        for title, tab in self.history:
            self.tabs.addTab(tab, title)
            tab.changed.connect(self._tab_changed)
        self.tabs.currentChanged.connect(self._tab_switched)
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("关闭")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.summary_button = QPushButton("打印服务记录…")
        self.summary_button.setAutoDefault(False)
        self.summary_button.clicked.connect(self.print_summary)
        self.preview = None
        self.delete_button = QPushButton("删除此人")
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(self.delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._buttons())
        self._fit_to_screen()
        if person_id:
            self.show_person(person_id)
        else:
            self._show_new(id_number)

    def _fit_to_screen(self) -> None:
        """Wide enough for the form at the chosen font size, never beyond the screen."""
        available = self.screen().availableGeometry()
        wanted = self.form.sizeHint()
        width = max(1000, wanted.width() + 60)
        height = max(660, wanted.height() + 160)
        self.resize(min(width, available.width() - 16), min(height, available.height() - 40))

    @staticmethod
    def _scrolling(widget: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        return scroll

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addWidget(self.summary_button)
        row.addStretch(1)
        self.hint = QLabel("回车保存，Esc 关闭")
        self.hint.setStyleSheet("color: #777;")
        row.addWidget(self.hint)
        row.addWidget(self.save_button)
        row.addWidget(self.close_button)
        return row

    # -- modes ------------------------------------------------------------------------------
    def _show_new(self, id_number: str) -> None:
        self.setWindowTitle("新登记人员")
        self.form.id_number.setText(id_number.strip())
        self._set_tabs_visible(False)
        self.delete_button.setVisible(False)
        self.summary_button.setVisible(False)
        self.summary.setVisible(False)
        self.say("")
        self._saved_values = self.form.values()
        self.form.name.setFocus()
        number = self.form.check_id_number(final=True) if id_number.strip() else None
        if number:  # typed in the search box: maybe this person is already registered
            self._on_id_entered(number)

    def show_person(self, person_id: str, notice: str = "") -> None:
        """Show an existing person (the form filled in, the story tabs below)."""
        person = people.get_person(self.station, person_id)
        self.person_id = person_id
        self.setWindowTitle(f"{person['name']}　{person['id_number']} — 人员信息")
        self.form.load(person)
        for _, tab in self.history:
            tab.load(person_id)
        self._set_tabs_visible(True)
        account = self.station.account
        self.delete_button.setVisible(bool(account and account.is_head))
        self.summary_button.setVisible(True)
        self._saved_values = self.form.values()
        self.show_summary(person)
        self.say(notice)

    def show_summary(self, person: dict) -> None:
        """One line above the tabs: who this is and their current 就业状态."""
        since = person.get("current_status_since")
        older = "（大龄）" if person["older"] else ""
        self.summary.setText(
            f"{person['name']}　{glossary.SEX[person['sex']]}　{person['age']} 岁{older}　"
            f"{person['hukou_village'] or '户籍村未填'}　当前就业状态："
            f"{glossary.status_label(person['current_status'])}"
            + (f"（{since} 起）" if since else ""))
        self.summary.setVisible(True)

    def say(self, text: str) -> None:
        """A one-line notice (saved, or opened an existing person); hidden when empty."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _set_tabs_visible(self, visible: bool) -> None:
        for index in range(1, self.tabs.count()):
            self.tabs.setTabVisible(index, visible)
        self.tabs.tabBar().setVisible(visible)

    def _tab_switched(self, index: int) -> None:
        """Enter saves the person on the form tab, and adds a row on the other tabs."""
        tab = self.tabs.widget(index)
        button = getattr(tab, "add_button", None) if index else self.save_button
        self.save_button.setDefault(index == 0)
        if button is not None:
            button.setDefault(True)
        action = "保存" if index == 0 else "添加" if button is not None else ""
        self.hint.setText(f"回车{action}，Esc 关闭" if action else "Esc 关闭")

    # -- writes -----------------------------------------------------------------------------
    def save(self) -> None:
        """Save the form: create (with the first status) or update; errors stay inline."""
        self.form.errors.clear()
        self.say("")
        try:
            if self.person_id is None:
                self._create()
            else:
                self._update()
        except DuplicateError as exc:
            if self.person_id is None and exc.existing_id:
                self.show_person(exc.existing_id, str(exc))
            else:
                self.form.errors.show_text("id_number", str(exc))
        except ValidationError as exc:
            self.tabs.setCurrentIndex(0)
            self.form.errors.show(exc)
        except Exception as exc:  # the clerk sees one sentence, the log the details
            show_error(self, exc)

    def _create(self) -> None:
        status = self.form.first_status()
        with self.station.atomic():
            person_id = people.create_person(self.station, self.form.values())
            if status:
                employment.add_status(self.station, person_id, **status)
        name = self.form.name.text().strip()
        self.show_person(person_id, f"已保存 {name}。可在下方各页办理登记、记录服务，按 Esc 关闭。")
        self.changed.emit({"person", "employment_status"} if status else {"person"})

    def _update(self) -> None:
        changes = people.update_person(self.station, self.person_id, self.form.values())
        self.show_person(self.person_id, "已保存修改。" if changes else "没有需要保存的修改。")
        if changes:
            self.changed.emit({"person"})

    def _tab_changed(self, tables) -> None:
        for _, tab in self.history:  # 操作记录 may have grown; a referral logs a service
            if tab is not self.sender():
                tab.reload()
        if "person" in tables:  # a new status changes the current one
            self.show_summary(people.get_person(self.station, self.person_id))
        self.changed.emit(tables)

    def print_summary(self) -> None:
        """Preview this person's 服务记录 summary (numbers masked by role)."""
        from .documents import person_summary_pdf

        name = self.form.name.text()
        self.preview = preview_document(
            self, lambda: person_summary_pdf(self.station, self.person_id), f"{name}服务记录")

    def delete(self) -> None:
        name = self.form.name.text().strip()
        if not confirm(self, f"确定删除 {name} 吗？删除后此人不再出现在查询和清单中，"
                             "已有的记录仍保留在操作记录里。"):
            return
        try:
            people.delete_person(self.station, self.person_id)
        except StationError as exc:
            show_error(self, exc)
            return
        self.changed.emit({"person"})
        self.accept()

    # -- an ID number that is already registered ---------------------------------------------
    def _on_id_entered(self, number: str) -> None:
        if self.person_id is not None:
            return
        existing = people.find_by_id_number(self.station, number)
        if existing:
            message = (f"公民身份号码 {number} 已登记为 {existing['name']}，已为您打开此人。")
            # Leave the focus-out handler before the form is refilled.
            QTimer.singleShot(0, lambda: self.show_person(existing["id"], message))

    # -- leaving ----------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc / 关闭: ask before throwing away what was typed but not saved."""
        if self.form.values() != self._saved_values and not confirm(
                self, "有尚未保存的修改，确定放弃并关闭吗？"):
            return
        super().reject()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)
