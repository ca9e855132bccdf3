"""账户管理: the 站长 adds a clerk, resets a password, disables and enables accounts."""

from datetime import UTC, datetime, timedelta

import pytest

from db import accounts
from db.errors import AuthError
from db.setup import create_station
from tests.ui.conftest import ime_type
from ui import accounts_screen
from ui.accounts_screen import AccountsScreen, NewAccountDialog, PasswordDialog


@pytest.fixture
def station(tmp_path):
    st = create_station(
        tmp_path, code="370124101", name="测试服务站", county="平阴县",
        village_names=["东关村", "西关村"], admin_username="admin",
        admin_display_name="王站长", admin_password="secret123")
    yield st
    st.close()


@pytest.fixture
def screen(qtbot, station):
    widget = AccountsScreen(station)
    qtbot.addWidget(widget)
    widget.show()
    return widget



def fill_new_account(qtbot, dialog, username="zhangli", name="张丽", password="clerk123",
                     again=None) -> None:
    qtbot.keyClicks(dialog.username, username)
    ime_type(dialog.display_name, name)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClicks(dialog.password2, password if again is None else again)


def rows_shown(screen) -> list[list[str]]:
    table = screen.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_head_creates_a_clerk_who_can_sign_in(qtbot, screen, station, monkeypatch):
    def fill_and_submit(dialog):
        fill_new_account(qtbot, dialog)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(NewAccountDialog, "exec", fill_and_submit)
    with qtbot.waitSignal(screen.changed) as emitted:
        screen.new_button.click()
    assert emitted.args == [{"account"}]
    assert ["zhangli", "张丽", "专员", "启用"] in rows_shown(screen)
    assert "已创建账户 张丽" in screen.status.text()
    signed_in = accounts.authenticate(station, "zhangli", "clerk123")
    assert signed_in.role == "clerk" and not signed_in.sees_full_numbers


def test_mismatched_passwords_are_refused_under_the_second_field(qtbot, station):
    dialog = NewAccountDialog(station)
    qtbot.addWidget(dialog)
    fill_new_account(qtbot, dialog, again="clerk124")
    dialog.submit()
    assert dialog.error.text() == "两次输入的密码不一致。"
    assert dialog.account is None
    assert len(accounts.list_accounts(station)) == 1


@pytest.mark.parametrize(("username", "password", "message"), [
    ("admin", "clerk123", "用户名 admin 已被使用。"),
    ("zhang li", "clerk123", "用户名请使用字母、数字，不含空格。"),
    ("zhangli", "123", "密码至少需要 6 位。"),
])
def test_bad_new_account_says_why_and_creates_nothing(qtbot, station, username, password,
                                                      message):
    dialog = NewAccountDialog(station)
    qtbot.addWidget(dialog)
    fill_new_account(qtbot, dialog, username=username, password=password)
    dialog.submit()
    assert dialog.error.text() == message
    assert len(accounts.list_accounts(station)) == 1


def test_reset_password_sets_the_new_one_and_lifts_a_lockout(qtbot, screen, station):
    accounts.create_account(station, "zhangli", "张丽", "clerk", "clerk123")
    later = datetime.now(UTC)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(AuthError):
            accounts.authenticate(station, "zhangli", "wrong-pass", now=later)
    screen.refresh()
    assert ["zhangli", "张丽", "专员", "已锁定"] in rows_shown(screen)

    dialog = PasswordDialog(station, "zhangli", "张丽")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "newpass99")
    qtbot.keyClicks(dialog.password2, "newpass99")
    dialog.submit()
    assert dialog.result() == PasswordDialog.DialogCode.Accepted
    assert accounts.authenticate(station, "zhangli", "newpass99").username == "zhangli"
    screen.refresh()
    assert ["zhangli", "张丽", "专员", "启用"] in rows_shown(screen)


def test_disabling_and_enabling_a_clerk(qtbot, screen, station):
    accounts.create_account(station, "zhangli", "张丽", "clerk", "clerk123")
    screen.refresh()
    row = [r[0] for r in rows_shown(screen)].index("zhangli")
    screen.table.selectRow(row)
    assert screen.toggle_button.text() == "停用"
    screen.toggle_button.click()
    assert rows_shown(screen)[row][3] == "停用"
    with pytest.raises(AuthError):
        accounts.authenticate(station, "zhangli", "clerk123")
    assert screen.toggle_button.text() == "启用"
    screen.toggle_button.click()
    assert rows_shown(screen)[row][3] == "启用"


def test_the_only_head_cannot_be_disabled(qtbot, screen, monkeypatch):
    shown = []
    monkeypatch.setattr(accounts_screen, "show_error", lambda parent, exc: shown.append(str(exc)))
    screen.table.selectRow(0)
    screen.toggle_button.click()
    assert shown == ["不能停用唯一的站长账户。"]
    assert rows_shown(screen)[0][3] == "启用"


def test_state_reads_locked_only_while_the_lock_lasts():
    row = {"active": 1, "locked_until": (datetime.now(UTC) + timedelta(minutes=5)).isoformat()}
    assert accounts_screen.account_state(row) == "已锁定"
    assert accounts_screen.account_state(row, datetime.now(UTC) + timedelta(hours=1)) == "启用"
