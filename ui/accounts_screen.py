"""账户管理 (站长 only): who may sign in, with which role; new accounts and passwords."""

from datetime import UTC, datetime

from db import accounts, glossary
from db.errors import DuplicateError, StationError, ValidationError
from db.station import Station

from .messages import show_error
from .person_form import FieldErrors, code_combo
from .qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from .screen import Screen
from .widgets import error_label, fill_table, readonly_table

PASSWORD_MISMATCH = "两次输入的密码不一致。"


def account_state(row: dict, now: datetime | None = None) -> str:
    """启用 / 停用 / 已锁定, as the clerk reads it."""
    now = now or datetime.now(UTC)
    if not row["active"]:
        return "停用"
    if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
        return "已锁定"
    return "启用"


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _FormDialog(QDialog):
    """A small OK/Cancel form whose errors show in red under the fields."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label()
        self.errors = FieldErrors(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def submit(self) -> None:
        self.errors.clear()
        try:
            self.write()
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except StationError as exc:
            self.errors.show_text(None, str(exc))
            return
        self.accept()

    def write(self) -> None:
        raise NotImplementedError

    def passwords(self, first: QLineEdit, second: QLineEdit) -> str:
        if first.text() != second.text():
            raise ValidationError(PASSWORD_MISMATCH, field="password2")
        return first.text()


class NewAccountDialog(_FormDialog):
    """新增账户: user name, name, role and the password typed twice."""

    def __init__(self, station: Station, parent: QWidget | None = None):
        super().__init__("新增账户", "创建", parent)
        self.station = station
        self.account: accounts.Account | None = None
        self.username = QLineEdit()
        self.username.setPlaceholderText("字母或数字，如 zhangli")
        self.display_name = QLineEdit()
        self.role = code_combo(glossary.ROLES)
        self.role.setCurrentIndex(self.role.findData("clerk"))
        self.password, self.password2 = _password_edit(), _password_edit()
        self.password.setPlaceholderText(f"至少 {accounts.MIN_PASSWORD_LENGTH} 位")
        for label, widget, field in (("用户名：", self.username, "username"),
                                     ("姓名：", self.display_name, "display_name"),
                                     ("角色：", self.role, "role"),
                                     ("密码：", self.password, "password"),
                                     ("再次输入密码：", self.password2, "password2")):
            self.form.addRow(label, widget)
            self.errors.add(field, widget)

    def write(self) -> None:
        password = self.passwords(self.password, self.password2)
        try:
            self.account = accounts.create_account(
                self.station, self.username.text(), self.display_name.text(),
                self.role.currentData(), password)
        except DuplicateError as exc:
            raise ValidationError(str(exc), field="username") from exc


class PasswordDialog(_FormDialog):
    """重置密码: a new password for one account (also lifts a lockout)."""

    def __init__(self, station: Station, username: str, display_name: str,
                 parent: QWidget | None = None):
        super().__init__(f"重置密码 — {display_name}（{username}）", "确定", parent)
        self.station, self.username = station, username
        self.password, self.password2 = _password_edit(), _password_edit()
        self.password.setPlaceholderText(f"至少 {accounts.MIN_PASSWORD_LENGTH} 位")
        self.form.addRow("新密码：", self.password)
        self.form.addRow("再次输入：", self.password2)
        self.errors.add("password", self.password)
        self.errors.add("password2", self.password2)

    def write(self) -> None:
        accounts.set_password(self.station, self.username,
                              self.passwords(self.password, self.password2))


class AccountsScreen(Screen):
    title = "账户管理"

    def __init__(self, station: Station, parent=None):
        super().__init__(station, parent)
        self.rows: list[dict] = []
        self.table = readonly_table()
        self.new_button = QPushButton("新增账户…")
        self.password_button = QPushButton("重置密码…")
        self.password_button.setToolTip("为选中的账户设置新密码，同时解除锁定")
        self.toggle_button = QPushButton("停用")
        self.status = QLabel("")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.password_button, self.toggle_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("站长可管理全部账户；专员只能办理业务，清单和导出中的证件号、"
                                "手机号对专员做脱敏显示。"))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.new_button.clicked.connect(self.add_account)
        self.password_button.clicked.connect(self.reset_password)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.table.itemSelectionChanged.connect(self._sync_buttons)
        self.table.doubleClicked.connect(lambda _: self.reset_password())
        self.refresh()

    def refresh(self, tables: set[str] | None = None) -> None:
        if tables is not None and "account" not in tables:
            return
        selected = self.selected()
        self.rows = accounts.list_accounts(self.station)
        fill_table(self.table, ["用户名", "姓名", "角色", "状态"], [
            [r["username"], r["display_name"], glossary.ROLES.get(r["role"], r["role"]),
             account_state(r)] for r in self.rows])
        for column, width in enumerate((140, 140, 80)):
            self.table.setColumnWidth(column, width)
        names = [r["username"] for r in self.rows]
        if selected and selected["username"] in names:
            self.table.selectRow(names.index(selected["username"]))
        self._sync_buttons()

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        if self.table.selectedItems() and 0 <= row < len(self.rows):
            return self.rows[row]
        return None

    def _sync_buttons(self) -> None:
        row = self.selected()
        self.password_button.setEnabled(row is not None)
        self.toggle_button.setEnabled(row is not None)
        self.toggle_button.setText("启用" if row and not row["active"] else "停用")

    def add_account(self) -> None:
        dialog = NewAccountDialog(self.station, self)
        if dialog.exec() and dialog.account:
            self._written(f"已创建账户 {dialog.account.display_name}（{dialog.account.username}）。")

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PasswordDialog(self.station, row["username"], row["display_name"], self)
        if dialog.exec():
            self._written(f"已重置 {row['display_name']} 的密码。")

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            accounts.set_active(self.station, row["username"], not row["active"])
        except StationError as exc:
            show_error(self, exc)
            return
        state = "停用" if row["active"] else "启用"
        self._written(f"已{state}账户 {row['display_name']}（{row['username']}）。")

    def _written(self, message: str) -> None:
        self.refresh()
        self.status.setText(message)
        self.changed.emit({"account"})
