"""Commands for rural public-welfare posts: ``subsidy``, ``approve-month`` and the post
documents of ``print`` (attendance, pay, placement-notice, exit-notice).

Wired into ``desktop.commands`` by ``register(subparsers)`` and ``COMMANDS``; the print kinds
plug into the shared ``print`` command through ``PRINT_KINDS`` (see
``desktop.commands_jobs``). The documents themselves come from ``ui.post_documents``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from db import people, placements, policy, subsidy
from db.errors import NotFoundError
from db.station import Station
from ui import documents
from ui.post_documents import (
    attendance_sheets_pdf,
    exit_notice_pdf,
    pay_sheet_pdf,
    placement_notice_pdf,
)

from .session import open_as

# ------------------------------------------------------------- print kinds


def _latest_placement(station: Station, id_number: str) -> str:
    person = people.find_by_id_number(station, id_number)
    if not person:
        raise NotFoundError(f"没有登记公民身份号码为 {id_number} 的人员。")
    found = placements.list_placements(station, person_id=person["id"])
    if not found:
        raise NotFoundError(f"{person['name']}没有公益性岗位上岗记录。")
    return max(found, key=lambda p: p["start_date"])["id"]


@dataclass(frozen=True)
class PrintKind:
    """A document of ``jobstation print``: its help, its arguments and how to make it."""

    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    pdf: Callable[[Station, argparse.Namespace], bytes]


def _month_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", required=True, help="月份，如 2025-03")
    parser.add_argument("--village", default="", help="只打印这个村")


def _pay_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", required=True, help="月份，如 2025-03")
    parser.add_argument("--public", action="store_true", help="公示版（隐去身份证号中间数字）")


def _person_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", help="劳动者的公民身份号码")


def _exit_args(parser: argparse.ArgumentParser) -> None:
    _person_args(parser)
    parser.add_argument("--month", required=True, help="核实收入的月份，如 2025-03")
    parser.add_argument("--exit-date", default=None, help="拟退岗日期（不填则留空待填）")


PRINT_KINDS = {
    "attendance": PrintKind("公益性岗位月度考勤表（按月，可选村）", _month_args,
                            lambda st, a: attendance_sheets_pdf(st, a.month, a.village)[0]),
    "pay": PrintKind("公益性岗位补贴发放表（按月；--public 为公示版）", _pay_args,
                     lambda st, a: pay_sheet_pdf(st, a.month, public=a.public)),
    "placement-notice": PrintKind(
        "公益性岗位上岗通知书（按公民身份号码）", _person_args,
        lambda st, a: placement_notice_pdf(st, _latest_placement(st, a.key))),
    "exit-notice": PrintKind(
        "公益性岗位退岗告知书（按公民身份号码和月份）", _exit_args,
        lambda st, a: exit_notice_pdf(st, _latest_placement(st, a.key), a.month, a.exit_date)),
}


def add_print_kinds(what, common: argparse.ArgumentParser) -> None:
    """Add the post documents to the ``print`` command's sub-parsers ``what``."""
    for kind, spec in PRINT_KINDS.items():
        spec.arguments(what.add_parser(kind, help=spec.help, parents=[common]))


def print_pdf(station: Station, args) -> bytes:
    return PRINT_KINDS[args.what].pdf(station, args)

# ---------------------------------------------------------------- commands


def register(sub) -> None:
    """Add ``subsidy`` and ``approve-month`` to the ``jobstation`` sub-commands."""
    pay = sub.add_parser("subsidy", help="公益性岗位补贴：按月导出补贴发放表（Excel）")
    pay.add_argument("--month", required=True, help="月份，如 2025-03")
    pay.add_argument("--out", type=Path, required=True, help="输出的 .xlsx 文件")
    pay.add_argument("--json", action="store_true")
    close = sub.add_parser("approve-month", help="站长审核某月考勤并锁定，核定补贴")
    close.add_argument("--month", required=True, help="月份，如 2025-03")
    close.add_argument("--json", action="store_true")


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text)


def cmd_subsidy(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        sheet = subsidy.export_pay_sheet(station, args.month, args.out,
                                         full_numbers=documents.sees_full_numbers(station))
    _emit(args, {"month": str(sheet.month), "approved": sheet.approved,
                 "people": len(sheet.rows), "total_fen": sheet.total,
                 "total": sheet.total_text, "out": str(args.out)},
          f"{sheet.title}：{len(sheet.rows)} 人，合计 {sheet.total_text} 元"
          f"（{sheet.status_text}）：{args.out}")


def cmd_approve_month(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        closed = subsidy.approve_month(station, args.month)
    total = policy.format_money(closed.total)
    _emit(args, {"month": str(closed.month), "people": closed.people, "total_fen": closed.total,
                 "total": total},
          f"已审核{closed.month.label}考勤：{closed.people} 人，补贴合计 {total} 元。")


COMMANDS = {"subsidy": cmd_subsidy, "approve-month": cmd_approve_month}
