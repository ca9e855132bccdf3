"""Helpers for the welfare-post tests: people of the priority groups, posts, placements."""

import itertools
from datetime import date

from db import accounts, evaluation, people, placements, welfare_posts
from db.validation.idcard import make_id_number

_seq = itertools.count()


def person(station, name="张三", born=date(1975, 5, 3), household=None, sex="M", **flags):
    """A registered person; poverty_alleviated (脱贫人口) unless other flags are given."""
    seq = (next(_seq) % 400 + 50) * 2 + (1 if sex == "M" else 0)  # odd sequence: male
    flags = flags or {"poverty_alleviated": True}
    return people.create_person(station, {
        "name": name, "id_number": make_id_number("370124", born, seq),
        "household_no": household if household is not None else f"H{seq}", **flags})


def post(station, **fields):
    """A part-time day-marked 保洁员 post in 东关村 (capacity 5) unless told otherwise."""
    return welfare_posts.create_post(station, {
        "name": "村庄保洁员", "category": "public_service", "village": "东关村",
        "schedule": "part_time", "pay_basis": "daily", "daily_hours": "3", "capacity": 5,
        **fields})


def placement(station, start="2025-01-01", end="2025-12-31", post_id=None, **person_fields):
    """A new person placed on ``post_id`` (or a new post)."""
    return placements.place_person(station, person(station, **person_fields),
                                   post_id or post(station), start, end)


def qualified(station, month):
    """Everyone in post in ``month`` evaluated 合格."""
    return evaluation.fill_qualified(station, month)


def act_as_clerk(station):
    clerk = accounts.create_account(station, "clerk1", "李专员", "clerk", "secret123")
    station.act_as(clerk)
    return clerk
