"""安置上岗: find a person (name, pinyin or ID digits), see at once whether the rules allow
the placement and why not, then place them on the post."""

from datetime import timedelta

from db import glossary, people, placements, policy, search, welfare_posts
from db.clock import today
from db.errors import StationError
from db.placements import NotEligibleError
from db.station import Station
from db.validation.masking import mask_id_number

from .post_dialogs import FormDialog
from .qt import QLabel, QLineEdit, QListWidget, QListWidgetItem, Qt, QTimer
from .widgets import date_edit, date_of

RESULT_LIMIT = 50
_COLUMNS = search.DISPLAY_COLUMNS
OK_STYLE = "color: #1e7e34; font-weight: bold;"


def _groups(row: dict) -> str:
    return "、".join(label for code, label in glossary.GROUP_FLAGS.items() if row.get(code))


class PlaceDialog(FormDialog):
    """Place someone on ``post_id``; ``placement_id`` is set once saved."""

    def __init__(self, station: Station, post_id: str, parent=None):
        post = welfare_posts.get_post(station, post_id)
        super().__init__(f"安置上岗 — {post['village']} {post['name']}", "安置上岗", parent)
        self.station, self.post_id = station, post_id
        self.placement_id: str | None = None
        self.full = bool(station.account and station.account.sees_full_numbers)
        self.query = QLineEdit()
        self.query.setPlaceholderText("输入姓名、拼音首字母或身份证号（可只输后几位）")
        self.results = QListWidget()
        self.results.setMinimumHeight(160)
        start = today()
        self.start = date_edit(start)
        self.end = date_edit(self._default_end(start))
        self.verdict = QLabel("请先查找并选中要安置的人员。")
        self.verdict.setWordWrap(True)
        self.form.addRow("查找人员：", self.query)
        self.form.addRow("", self.results)
        self.form.addRow("上岗日期：", self.start)
        self.form.addRow("聘期结束：", self.end)
        self.form.addRow("", self.verdict)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.find)
        self.query.textChanged.connect(self._debounce.start)
        self.results.currentItemChanged.connect(lambda *_: self.check())
        self.start.dateChanged.connect(lambda *_: self.check())
        self.end.dateChanged.connect(lambda *_: self.check())
        self.ok_button.setEnabled(False)
        self.resize(560, 480)

    def _default_end(self, start):
        months = policy.value(self.station, "eligibility.max_term_months", start) or 12
        return placements.add_months(start, months) - timedelta(days=1)

    def find(self) -> None:
        """List the people matching what was typed (an 18-digit ID goes straight to one)."""
        self._debounce.stop()
        text = self.query.text().strip()
        self.results.clear()
        if not text:
            return
        found = people.find_by_id_number(self.station, text) if len(text) == 18 else None
        rows = [found] if found else [
            dict(zip(_COLUMNS, values, strict=True)) for values in search.fetch_rows(
                self.station, search.search_people(self.station, text, RESULT_LIMIT)).values()]
        for row in rows:
            number = row["id_number"] if self.full else mask_id_number(row["id_number"])
            text = f"{row['name']}　{number}　{row['hukou_village'] or ''}　{_groups(row) or '非安置对象类别'}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        else:
            self.verdict.setStyleSheet("")
            self.verdict.setText("没有找到这个人，请先在人员登记中登记。")

    def person_id(self) -> str | None:
        item = self.results.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def check(self) -> list[str]:
        """Show every rule the chosen placement breaks (or that it is allowed)."""
        person_id = self.person_id()
        if person_id is None:
            self.ok_button.setEnabled(False)
            return []
        problems = placements.eligibility_problems(
            self.station, person_id, self.post_id, date_of(self.start), date_of(self.end))
        if problems:
            self.verdict.setStyleSheet("color: #c0392b;")
            self.verdict.setText("不能安置：\n" + "\n".join(f"· {p}" for p in problems))
        else:
            self.verdict.setStyleSheet(OK_STYLE)
            self.verdict.setText("符合安置条件，可以上岗。")
        self.ok_button.setEnabled(not problems)
        return problems

    def submit(self) -> None:
        person_id = self.person_id()
        if person_id is None:
            raise StationError("请先选中要安置的人员。")
        try:
            self.placement_id = placements.place_person(
                self.station, person_id, self.post_id, date_of(self.start), date_of(self.end))
        except NotEligibleError as exc:
            self.check()
            raise StationError("不能安置上岗：" + "；".join(exc.reasons)) from exc
