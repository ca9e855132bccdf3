"""本站设置: the station's name, villages, 大龄 thresholds and backup retention; font size.

Station settings are the 站长's to change (clerks see them read-only); the font size is a
preference of this PC and applies at once for whoever is signed in.
"""

from db import settings, villages
from db.errors import StationError, ValidationError
from db.station import Station

from . import preferences
from .messages import show_error
from .person_form import FieldErrors
from .qt import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
)
from .screen import Screen
from .widgets import error_label

FONT_CHOICES = {"normal": "标准", "large": "大字号"}
NUMBER_KEYS = ("older_age.male", "older_age.female", "backup.keep_daily", "backup.keep_other")


def _spin(key: str) -> QSpinBox:
    declared = settings.DECLARED[key]
    box = QSpinBox()
    box.setRange(declared.minimum, declared.maximum)
    box.setSuffix(" 岁" if key.startswith("older_age") else " 份")
    return box


class SettingsScreen(Screen):
    title = "本站设置"

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.code = QLineEdit()
        self.code.setReadOnly(True)
        self.name = QLineEdit()
        self.county = QLineEdit()
        self.numbers = {key: _spin(key) for key in NUMBER_KEYS}
        self.village_list = QListWidget()
        self.village_list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.new_village = QLineEdit()
        self.new_village.setPlaceholderText("输入村名后按回车或点“添加”")
        self.village_buttons = {text: QPushButton(text)
                                for text in ("添加", "删除", "上移", "下移")}
        self.font_size = QComboBox()
        for code, label in FONT_CHOICES.items():
            self.font_size.addItem(label, code)
        self.save_button = QPushButton("保存设置")
        self.status = QLabel("")
        self.error = error_label()
        self.errors = FieldErrors(self.error)
        self.errors.add("village", self.new_village)
        self.errors.add("station.name", self.name)
        for key, box in self.numbers.items():
            self.errors.add(key, box)
        self._lay_out()
        self._connect()
        self.refresh()
        self._apply_role()

    def _lay_out(self) -> None:
        station_box = QGroupBox("服务站")
        form = QFormLayout(station_box)
        for key, widget in (("station.code", self.code), ("station.name", self.name),
                            ("station.county", self.county)):
            form.addRow(settings.DECLARED[key].label + "：", widget)
        rules_box = QGroupBox("政策参数与备份")
        rules = QFormLayout(rules_box)
        for key, box in self.numbers.items():
            rules.addRow(settings.DECLARED[key].label + "：", box)
        display_box = QGroupBox("本机显示")
        display = QFormLayout(display_box)
        display.addRow("字号：", self.font_size)
        left = QVBoxLayout()
        for box in (station_box, rules_box, display_box):
            left.addWidget(box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self._village_box(), 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

    def _village_box(self) -> QGroupBox:
        box = QGroupBox("行政村（按此顺序在各处列出）")
        layout = QVBoxLayout(box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_village, 1)
        add_row.addWidget(self.village_buttons["添加"])
        layout.addLayout(add_row)
        middle = QHBoxLayout()
        middle.addWidget(self.village_list, 1)
        side = QVBoxLayout()
        for text in ("上移", "下移", "删除"):
            side.addWidget(self.village_buttons[text])
        side.addStretch(1)
        middle.addLayout(side)
        layout.addLayout(middle, 1)
        note = QLabel("双击村名可改名。改名或删除村不会改变已登记人员的户籍村。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout.addWidget(note)
        return box

    def _connect(self) -> None:
        self.village_buttons["添加"].clicked.connect(self.add_village)
        self.new_village.returnPressed.connect(self.add_village)
        self.village_buttons["删除"].clicked.connect(self.remove_village)
        self.village_buttons["上移"].clicked.connect(lambda: self.move_village(-1))
        self.village_buttons["下移"].clicked.connect(lambda: self.move_village(1))
        self.save_button.clicked.connect(self.save)
        self.font_size.activated.connect(self.apply_font_size)

    @property
    def can_edit(self) -> bool:
        return bool(self.account and self.account.is_head)

    def _apply_role(self) -> None:
        editable = self.can_edit
        for widget in (self.name, self.county, *self.numbers.values(), self.new_village,
                       *self.village_buttons.values()):
            widget.setEnabled(editable)
        self.save_button.setVisible(editable)
        if not editable:
            self.village_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.status.setText("只有站长可以修改本站设置；字号可随时调整。")

    # -- loading and saving ---------------------------------------------------------------------
    def refresh(self, tables: set[str] | None = None) -> None:
        """Show what is stored (unsaved edits are replaced)."""
        if tables is not None and not tables & {"setting", "village"}:
            return
        self.code.setText(settings.get(self.station, "station.code"))
        self.name.setText(settings.get(self.station, "station.name"))
        self.county.setText(settings.get(self.station, "station.county"))
        for key, box in self.numbers.items():
            box.setValue(int(settings.get(self.station, key)))
        self.village_list.clear()
        for name in villages.list_villages(self.station):
            self._append_village(name)
        choice = preferences.get("ui/font_size")
        self.font_size.setCurrentIndex(max(self.font_size.findData(choice), 0))

    def village_names(self) -> list[str]:
        return [self.village_list.item(i).text().strip()
                for i in range(self.village_list.count())]

    def save(self) -> None:
        """Write every station setting and the village list in one transaction."""
        self.errors.clear()
        try:
            if not self.name.text().strip():
                raise ValidationError("请填写服务站名称。", field="station.name")
            with self.station.atomic():
                settings.put(self.station, "station.name", self.name.text().strip())
                settings.put(self.station, "station.county", self.county.text().strip())
                for key, box in self.numbers.items():
                    settings.put(self.station, key, box.value())
                villages.set_villages(self.station, self.village_names())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except StationError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.status.setText("设置已保存。")
        self.changed.emit({"setting", "village"})

    # -- the village list -----------------------------------------------------------------------
    def _append_village(self, name: str) -> None:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.village_list.addItem(item)

    def add_village(self) -> None:
        name = self.new_village.text().strip()
        self.errors.clear()
        if not name:
            self.errors.show_text("village", "请填写村名。")
            return
        if name in self.village_names():
            self.errors.show_text("village", f"村名 {name} 已在列表中。")
            return
        self._append_village(name)
        self.village_list.setCurrentRow(self.village_list.count() - 1)
        self.new_village.clear()
        self.status.setText("村名已添加到列表，点“保存设置”后生效。")

    def remove_village(self) -> None:
        row = self.village_list.currentRow()
        if row >= 0:
            self.village_list.takeItem(row)
            self.status.setText("已从列表删除，点“保存设置”后生效。")

    def move_village(self, step: int) -> None:
        row = self.village_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.village_list.count():
            return
        item = self.village_list.takeItem(row)
        self.village_list.insertItem(target, item)
        self.village_list.setCurrentRow(target)

    # -- this PC's font size ------------------------------------------------------------------
    def apply_font_size(self) -> None:
        """Store the choice for this PC and enlarge (or restore) the font at once."""
        preferences.put("ui/font_size", self.font_size.currentData())
        preferences.apply_font()
