"""登录: user name and password, with the core's lockout explained in one sentence."""

from db import accounts
from db.errors import StationError
from db.station import Station

from .qt import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout
from .widgets import error_label


class LoginDialog(QDialog):
    def __init__(self, station: Station, station_name: str, parent=None):
        super().__init__(parent)
        self.station = station
        self.account = None
        self.setWindowTitle("登录 — 农民工就业服务站工作台")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        layout = QVBoxLayout(self)
        title = QLabel(f"<h3>{station_name}</h3>")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    def try_login(self) -> None:
        try:
            self.account = accounts.authenticate(
                self.station, self.username.text(), self.password.text())
        except StationError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
