"""Sample data shared by the printing tests."""

from __future__ import annotations

import random
from datetime import date

STATION = "历城区某某镇农民工就业服务站"
PRINTED_ON = date(2024, 5, 6)
LIST_COLUMNS = [
    ("name", "姓名"), ("id_number", "公民身份号码"), ("sex", "性别"), ("phone", "手机号"),
    ("village", "户籍村"), ("status", "就业状态"), ("employer", "就业单位"),
    ("place", "就业地点"), ("since", "起始日期"),
]

_SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
_VILLAGES = ["红旗村", "东风村", "向阳村", "新华村", "光明村"]
_STATUSES = ["本地就业", "县外省内务工", "省外务工", "灵活就业", "自主创业"]
_EMPLOYERS = ["", "某某建筑工程有限公司", "杭州市西湖区某某电子科技有限公司第二分厂", "自营"]
_PLACES = ["本镇", "济南市历下区", "浙江省杭州市西湖区文三路", "广东省深圳市"]


def make_rows(n: int, seed: int = 7) -> list[dict]:
    """``n`` realistic list rows; row 0 is 张三丰 and row i has phone 138****{i:04d}."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        name = rnd.choice(_SURNAMES) + "".join(rnd.choice(_GIVEN)
                                               for _ in range(rnd.randint(1, 2)))
        rows.append({
            "name": "张三丰" if i == 0 else name,
            "id_number": f"3701{rnd.randint(10, 99)}**********{rnd.randint(100, 999)}X",
            "sex": rnd.choice("男女"),
            "phone": f"138****{i % 10000:04d}",
            "village": rnd.choice(_VILLAGES),
            "status": rnd.choice(_STATUSES),
            "employer": rnd.choice(_EMPLOYERS),
            "place": rnd.choice(_PLACES),
            "since": date(2023, rnd.randint(1, 12), rnd.randint(1, 28)),
        })
    return rows
