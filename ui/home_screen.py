"""首页: the clerk's morning screen — risk warnings, today's work by kind, simple counts.

``home.home_summary`` answers in tens of milliseconds even at 100,000 people, so it runs
on the UI thread at every refresh. Each work item opens its record with one double-click
(or Enter): a person's record when the item names a person, else ``open_target``.
"""

from db import glossary, home
from db.station import Station

from .bar_chart import BarChart
from .qt import (
    USER_ROLE,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .screen import Screen

ITEM_ROLE = USER_ROLE
RISK_STYLE = ("QLabel { color: #b00020; background: #fdecea; border: 1px solid #e6a1a1; "
              "padding: 6px 10px; font-weight: bold; }")
GROUP_LABELS = {**glossary.GROUP_FLAGS, "older": glossary.PERSON_FIELDS["older"]}
NO_VILLAGE = "未填写村"


class HomeScreen(Screen):
    """今日待办, 规模性失业风险 and counts by status, group and village."""

    title = "首页"
    open_target = Signal(str, str)  # target table (referral, placement, ...), its key

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__(station, parent)
        self.summary: home.HomeSummary | None = None
        self._report_dialog = None
        self.risk_label = QLabel("")
        self.risk_label.setStyleSheet(RISK_STYLE)
        self.risk_label.setWordWrap(True)
        self.risk_label.hide()
        self.headline = QLabel("")
        self.headline.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.kind_counts = QLabel("")  # every kind's count at a glance, above the long list
        self.kind_counts.setWordWrap(True)
        self.report_button = QPushButton("月度报表…")
        self.work_tree = self._build_tree()
        self.status_chart, self.group_chart, self.village_chart = (BarChart(), BarChart(),
                                                                   BarChart())
        self._lay_out()
        self.work_tree.itemActivated.connect(self._open_item)
        self.report_button.clicked.connect(self.open_monthly_report)
        self.refresh()

    def _build_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setHeaderHidden(True)
        tree.setRootIsDecorated(True)
        tree.setUniformRowHeights(True)
        tree.setWordWrap(False)
        tree.setExpandsOnDoubleClick(False)  # a heading folds once, in _open_item
        tree.setToolTip("双击或回车打开对应记录")
        return tree

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.report_button)
        work = QGroupBox("今日待办（双击打开）")
        QVBoxLayout(work).addWidget(self.work_tree)
        charts = QWidget()
        grid = QGridLayout(charts)
        for row, (title, chart) in enumerate((("按就业状态", self.status_chart),
                                              ("按人员类别", self.group_chart),
                                              ("按户籍村", self.village_chart))):
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: bold;")
            grid.addWidget(heading, row * 2, 0)
            grid.addWidget(chart, row * 2 + 1, 0)
        grid.setRowStretch(6, 1)
        scroll = QScrollArea()
        scroll.setWidget(charts)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        counts = QGroupBox("人员统计")
        QVBoxLayout(counts).addWidget(scroll)
        body = QHBoxLayout()
        body.addWidget(work, 3)
        body.addWidget(counts, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.risk_label)
        layout.addLayout(top)
        layout.addWidget(self.kind_counts)
        layout.addLayout(body, 1)

    # -- what is shown ---------------------------------------------------------------------
    def refresh(self, tables: set[str] | None = None) -> None:
        """Read the summary again (fast at any size) and show it."""
        self.summary = home.home_summary(self.station)
        self._show_risks(self.summary.risks)
        total = sum(self.summary.item_totals.values())
        self.headline.setText(
            f"{self.summary.on.isoformat()}　今日待办 {total} 项　"
            f"在册 {self.summary.people} 人　帮扶台账 {self.summary.ledger_people} 人")
        self.kind_counts.setText("　·　".join(
            f"<b style='color:#b00020'>{glossary.HOME_ITEM_KINDS[k]} {n}</b>" if n
            else f"{glossary.HOME_ITEM_KINDS[k]} 0"
            for k, n in self.summary.item_totals.items()))
        self._show_work(self.summary)
        self._show_counts(self.summary)

    def _show_risks(self, risks: list[home.RiskWarning]) -> None:
        self.risk_label.setText("\n".join(f"⚠ {r.text}" for r in risks))
        self.risk_label.setVisible(bool(risks))

    def _show_work(self, summary: home.HomeSummary) -> None:
        collapsed = {self.work_tree.topLevelItem(i).data(0, ITEM_ROLE)
                    for i in range(self.work_tree.topLevelItemCount())
                    if not self.work_tree.topLevelItem(i).isExpanded()}
        self.work_tree.clear()
        for kind, label in glossary.HOME_ITEM_KINDS.items():
            if kind not in summary.item_totals:
                continue  # that module's tables are not in this station file yet
            items = [i for i in summary.items if i.kind == kind]
            total = summary.item_totals[kind]
            more = f"，列出前 {len(items)} 项" if total > len(items) else ""
            group = QTreeWidgetItem([f"{label}（{total} 项{more}）"])
            group.setData(0, ITEM_ROLE, kind)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            if not total:
                group.setForeground(0, self.palette().placeholderText())
            for work_item in items:
                child = QTreeWidgetItem([work_item.text])
                child.setData(0, ITEM_ROLE, work_item)
                child.setToolTip(0, work_item.text)
                group.addChild(child)
            self.work_tree.addTopLevelItem(group)
            group.setExpanded(bool(total) and kind not in collapsed)

    def _show_counts(self, summary: home.HomeSummary) -> None:
        self.status_chart.set_bars(summary.status_chart())
        self.group_chart.set_bars([(GROUP_LABELS[k], n) for k, n in summary.by_group.items()])
        villages = sorted(summary.by_village.items(), key=lambda kv: (-kv[1], kv[0] or ""))
        self.village_chart.set_bars([(v or NO_VILLAGE, n) for v, n in villages])

    # -- opening a record --------------------------------------------------------------------
    def work_items(self, kind: str) -> list[QTreeWidgetItem]:
        """The tree rows of one kind (for tests and keyboard navigation)."""
        for i in range(self.work_tree.topLevelItemCount()):
            group = self.work_tree.topLevelItem(i)
            if group.data(0, ITEM_ROLE) == kind:
                return [group.child(n) for n in range(group.childCount())]
        return []

    def _open_item(self, row: QTreeWidgetItem, column: int = 0) -> None:
        work_item = row.data(0, ITEM_ROLE)
        if not isinstance(work_item, home.WorkItem):
            row.setExpanded(not row.isExpanded())  # a kind's heading: fold or unfold
            return
        if work_item.person_id:
            self.open_person.emit(work_item.person_id)
        else:
            self.open_target.emit(work_item.target, work_item.target_id)

    def open_monthly_report(self) -> None:
        from .monthly_report_dialog import MonthlyReportDialog  # loads the PDF layout

        self._report_dialog = MonthlyReportDialog(self.station, self)
        self._report_dialog.open()
