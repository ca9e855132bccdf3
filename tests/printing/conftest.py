"""Fixtures for the printing tests: sample people, rows and documents."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from printing import fonts

from .samples import make_rows


@pytest.fixture
def rows_factory():
    """Make sample list rows: ``rows_factory(n)``."""
    return make_rows


@pytest.fixture
def person() -> dict:
    """Basic information of 张三丰, labels in Chinese."""
    return {
        "姓名": "张三丰", "公民身份号码": "370112199001021234", "性别": "男",
        "出生日期": date(1990, 1, 2), "手机号": "13812345678",
        "户籍地": "山东省济南市历城区某某镇红旗村", "常住地": "浙江省杭州市西湖区文三路 123 号",
        "文化程度": "初中", "技能/工种": "电焊工", "残疾": False,
    }


@pytest.fixture
def sections() -> list:
    """Typical summary sections: status history, registrations, intention, services."""
    return [
        ("就业状态历史", [
            {"日期": date(2022, 3, 1), "就业状态": "省外务工",
             "单位": "杭州市西湖区某某电子科技有限公司", "月收入（元）": 5200},
            {"日期": date(2023, 11, 15), "就业状态": "失业"},
            {"日期": date(2024, 2, 20), "就业状态": "本地就业", "单位": "某某建筑工程有限公司",
             "月收入（元）": 4100},
        ]),
        ("登记记录", [
            {"登记类型": "失业登记", "登记日期": date(2023, 11, 20), "登记编号": "SY-2023-000123",
             "注销日期": date(2024, 2, 20), "注销原因": "已就业"},
        ]),
        ("外出意愿", [("意向地区", "江苏省"), ("意向工种", "电焊"), ("期望月薪", "6000 元")]),
        ("服务记录", [
            {"日期": datetime(2023, 11, 20, 9, 30), "服务类型": "职业指导",
             "内容": "了解求职意向，介绍本地建筑企业用工情况，建议参加焊工技能提升培训。",
             "经办人": "李四"},
            {"日期": datetime(2023, 12, 5, 14, 0), "服务类型": "职业介绍",
             "内容": "推荐至某某建筑工程有限公司", "经办人": "李四"},
        ]),
        ("培训记录", []),
    ]


@pytest.fixture
def fresh_font_search(monkeypatch):
    """Forget the registered font before and after a test that changes the search."""
    fonts.reset_for_tests()
    yield monkeypatch
    fonts.reset_for_tests()
