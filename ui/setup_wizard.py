"""First-run set-up: the station, its villages and the 站长 account, in three pages."""

from pathlib import Path

from db import setup
from db.errors import StationError

from .qt import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)
from .widgets import error_label


class StationPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("第一步：服务站信息")
        self.setSubTitle("填写本乡镇（街道）就业服务站的基本信息。")
        self.name = QLineEdit()
        self.name.setPlaceholderText("例如：孔村镇就业服务站")
        self.code = QLineEdit()
        self.code.setPlaceholderText("9 位乡镇（街道）代码，例如 370124101")
        self.code.setMaxLength(9)
        self.county = QLineEdit()
        self.county.setPlaceholderText("例如：平阴县")
        form = QFormLayout(self)
        form.addRow("服务站名称：", self.name)
        form.addRow("乡镇（街道）代码：", self.code)
        form.addRow("所属县（市、区）：", self.county)
        self.error = error_label()
        form.addRow(self.error)

    def validatePage(self) -> bool:
        try:
            setup.check_station_code(self.code.text())
        except StationError as exc:
            self.error.setText(str(exc))
            return False
        if not self.name.text().strip():
            self.error.setText("请填写服务站名称。")
            return False
        self.error.clear()
        return True


class VillagesPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("第二步：行政村")
        self.setSubTitle("每行一个行政村名称，以后可在“本站设置”中修改。")
        self.villages = QPlainTextEdit()
        layout = QVBoxLayout(self)
        layout.addWidget(self.villages)

    def names(self) -> list[str]:
        return [line.strip() for line in self.villages.toPlainText().splitlines() if line.strip()]


class AdminPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("第三步：站长账户")
        self.setSubTitle("站长负责审批、管理专员账户。请牢记密码。")
        self.username = QLineEdit()
        self.username.setPlaceholderText("字母或数字，例如 zhanzhang")
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        form.addRow("密码：", self.password)
        form.addRow("再次输入密码：", self.password2)
        self.error = error_label()
        form.addRow(self.error)


class SetupWizard(QWizard):
    """Creates the station file on 完成; ``station`` holds it (signed in as the 站长)."""

    def __init__(self, data_dir: Path, parent=None):
        super().__init__(parent)
        self.data_dir = data_dir
        self.station = None
        self.setWindowTitle("新建服务站 — 农民工就业服务站工作台")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.station_page, self.villages_page, self.admin_page = (
            StationPage(), VillagesPage(), AdminPage())
        for page in (self.station_page, self.villages_page, self.admin_page):
            self.addPage(page)
        for button, text in ((QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.BackButton, "< 上一步"),
                             (QWizard.WizardButton.FinishButton, "完成"),
                             (QWizard.WizardButton.CancelButton, "取消")):
            self.setButtonText(button, text)
        self.admin_page.validatePage = self._create
        self.resize(560, 420)
        intro = QLabel(f"数据将保存在：{data_dir}")
        intro.setWordWrap(True)
        self.station_page.layout().addRow(intro)

    def _create(self) -> bool:
        page = self.admin_page
        if page.password.text() != page.password2.text():
            page.error.setText("两次输入的密码不一致。")
            return False
        try:
            self.station = setup.create_station(
                self.data_dir, code=self.station_page.code.text(),
                name=self.station_page.name.text(), county=self.station_page.county.text(),
                village_names=self.villages_page.names(), admin_username=page.username.text(),
                admin_display_name=page.display_name.text(), admin_password=page.password.text())
        except StationError as exc:
            page.error.setText(str(exc))
            return False
        return True
