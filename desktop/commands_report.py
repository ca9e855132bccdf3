"""Commands of the ledger, consultations, training and reports: ``report``, ``ledger``,
``followup``, ``rights-add``, ``rights-status``, ``training-needs`` and ``home``.

Also the glue of db and printing for the 就业帮扶台账 and the monthly report (the GUI calls
:func:`ledger_pdf`, :func:`monthly_report_pdf`, :func:`write_ledger` and
:func:`write_report`). Wired into ``desktop.commands`` by ``register(subparsers)`` and ``COMMANDS``.
"""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

from db import glossary, home, ledger, monthly_report, people, rights, training
from db.clock import today
from db.errors import NotFoundError, ValidationError
from db.station import Station
from printing.ledger_sheet import render_ledger_sheet
from printing.monthly_report import render_monthly_report
from ui import documents

from .session import open_as

FORMATS = (".xlsx", ".pdf")

# ------------------------------------------------------------------ documents


def output_format(out: str | Path) -> str:
    """".xlsx" or ".pdf" from the file name; anything else is refused."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError("输出文件的扩展名应为 .xlsx（Excel）或 .pdf。", field="out")
    return suffix


def ledger_pdf(station: Station, *, village: str = "", overdue_only: bool = False) -> bytes:
    """The 就业帮扶台账 as PDF, numbers masked by role."""
    sheet = ledger.ledger_sheet(station, village=village, overdue_only=overdue_only,
                                full_numbers=documents.sees_full_numbers(station))
    return documents.pdf_or_font_error(lambda: render_ledger_sheet(sheet, today()))


def write_ledger(station: Station, out: str | Path, *, village: str = "",
                 overdue_only: bool = False) -> int:
    """Write the ledger to ``out`` (.xlsx or .pdf); returns the number of people."""
    if output_format(out) == ".xlsx":
        return ledger.export_ledger(station, out, village=village, overdue_only=overdue_only,
                                    full_numbers=documents.sees_full_numbers(station))
    sheet = ledger.ledger_sheet(station, village=village, overdue_only=overdue_only,
                                full_numbers=documents.sees_full_numbers(station))
    documents.save(out, documents.pdf_or_font_error(lambda: render_ledger_sheet(sheet, today())))
    return len(sheet.rows)


def monthly_report_pdf(station: Station, month) -> bytes:
    """The 农民工就业服务工作月报 of ``month`` as PDF."""
    report = monthly_report.monthly_report(station, month)
    return documents.pdf_or_font_error(lambda: render_monthly_report(report, today()))


def write_report(station: Station, month, out: str | Path) -> monthly_report.MonthlyReport:
    """Write the monthly report to ``out`` (.xlsx or .pdf); returns the report."""
    kind = output_format(out)
    report = monthly_report.monthly_report(station, month)
    if kind == ".xlsx":
        monthly_report.export_xlsx(report, out)
    else:
        documents.save(out, documents.pdf_or_font_error(lambda: render_monthly_report(report, today())))
    return report

# ------------------------------------------------------------------- parsers


def register(sub) -> None:
    """Add this module's commands to the ``jobstation`` sub-command parsers."""
    rep = sub.add_parser("report", help="生成农民工就业服务工作月报（.xlsx 或 .pdf）")
    rep.add_argument("--month", required=True, help="月份，例如 2026-10")
    rep.add_argument("--out", type=Path, required=True, help="输出文件（.xlsx 或 .pdf）")
    rep.add_argument("--json", action="store_true", help="同时打印月报数字（JSON）")

    led = sub.add_parser("ledger", help="导出或打印就业帮扶台账（.xlsx 或 .pdf）")
    led.add_argument("--out", type=Path, required=True)
    led.add_argument("--village", default="")
    led.add_argument("--overdue", action="store_true", help="只列走访逾期的人员")
    led.add_argument("--json", action="store_true")

    fol = sub.add_parser("followup", help="登记帮扶走访（电话或上门走访）")
    fol.add_argument("--id", required=True, help="劳动者的公民身份号码")
    fol.add_argument("--method", required=True, choices=list(glossary.FOLLOWUP_METHODS))
    fol.add_argument("--outcome", required=True, help="走访结果")
    fol.add_argument("--date", default=None, help="走访日期（默认今天）")
    fol.add_argument("--next-due", default=None, help="下次走访日期（默认按走访间隔设置）")
    fol.add_argument("--status", default=None, choices=list(glossary.STATUS),
                     help="走访了解到的新就业状态")
    fol.add_argument("--json", action="store_true")

    add = sub.add_parser("rights-add", help="受理维权咨询，打印受理编号")
    add.add_argument("--kind", default="unpaid_wages", choices=list(glossary.RIGHTS_KINDS))
    add.add_argument("--employer", default="", help="用人单位（或包工头）名称")
    add.add_argument("--person", action="append", default=[], help="已登记当事人的公民身份号码")
    add.add_argument("--name", action="append", default=[], help="未登记当事人的姓名")
    add.add_argument("--people", default=None, help="涉及人数（默认为当事人人数）")
    add.add_argument("--amount", default=None, help="涉及金额（元）")
    add.add_argument("--period-from", default=None, help="欠薪起始月份，例如 2026-01")
    add.add_argument("--period-to", default=None, help="欠薪结束月份")
    add.add_argument("--evidence", default="", help="持有证据，用逗号分隔：" +
                     "、".join(glossary.RIGHTS_EVIDENCE.values()))
    add.add_argument("--date", default=None, help="受理日期（默认今天）")
    add.add_argument("--description", default="")
    add.add_argument("--json", action="store_true")

    move = sub.add_parser("rights-status", help="办理维权咨询：转劳动监察、已解决或已撤回")
    move.add_argument("number", help="受理编号")
    move.add_argument("status", choices=[s for s in glossary.RIGHTS_STATUSES if s != "accepted"])
    move.add_argument("--date", default=None, help="办理日期（默认今天）")
    move.add_argument("--result", default="", help="办理结果或撤回原因")
    move.add_argument("--recovered", default=None, help="追回金额（元）")
    move.add_argument("--json", action="store_true")

    need = sub.add_parser("training-needs", help="导出培训需求名单（.xlsx）")
    need.add_argument("--out", type=Path, required=True)
    need.add_argument("--village", default="")
    need.add_argument("--kind", default="", choices=["", *glossary.TRAINING_KINDS])
    need.add_argument("--json", action="store_true")

    hom = sub.add_parser("home", help="首页：今日待办、统计与风险预警")
    hom.add_argument("--json", action="store_true")


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text)


def _person_id(station: Station, id_number: str) -> str:
    person = people.find_by_id_number(station, id_number)
    if not person:
        raise NotFoundError(f"没有登记公民身份号码为 {id_number} 的人员。")
    return person["id"]

# ------------------------------------------------------------------ handlers


def cmd_report(args, data_dir: Path) -> None:
    output_format(args.out)  # refuse a wrong name before any work
    with closing(open_as(data_dir, args.user)) as station:
        report = write_report(station, args.month, args.out)
    _emit(args, {"out": str(args.out), **report.figures},
          f"已生成{report.title}：{args.out}")


def cmd_ledger(args, data_dir: Path) -> None:
    output_format(args.out)
    with closing(open_as(data_dir, args.user)) as station:
        written = write_ledger(station, args.out, village=args.village,
                               overdue_only=args.overdue)
    _emit(args, {"out": str(args.out), "rows": written},
          f"已生成就业帮扶台账 {written} 人：{args.out}")


def cmd_followup(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        person_id = _person_id(station, args.id)
        entry = ledger.open_entry(station, person_id)
        if not entry:
            raise ValidationError("此人不在就业帮扶台账中（不是脱贫人口或监测对象，或已稳定就业）。")
        followup_id = ledger.record_followup(
            station, entry["id"], args.date, args.method, args.outcome, args.next_due,
            new_status=args.status)
        still_in = ledger.open_entry(station, person_id) is not None
        due = next(f["next_due_date"] for f in ledger.followups(station, entry["id"])
                   if f["id"] == followup_id)
    text = f"已登记走访，下次走访日期 {due}。" if still_in else "已登记走访，此人已退出就业帮扶台账。"
    _emit(args, {"id": followup_id, "next_due_date": due, "in_ledger": still_in}, text)


def cmd_rights_add(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        parties = ([{"person_id": _person_id(station, n)} for n in args.person]
                   + [{"name": n} for n in args.name])
        made = rights.create_case(station, {
            "kind": args.kind, "employer_name": args.employer, "parties": parties,
            "people_count": args.people, "amount": args.amount, "evidence": args.evidence,
            "period_from": args.period_from, "period_to": args.period_to,
            "received_on": args.date, "description": args.description})
    _emit(args, made, made["number"])


def cmd_rights_status(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        case = rights.get_by_number(station, args.number)
        changes = rights.move_case(station, case["id"], args.status, args.date,
                                   result=args.result, recovered=args.recovered)
    label = glossary.RIGHTS_STATUSES[args.status]
    _emit(args, {"number": case["number"], **changes}, f"维权咨询 {case['number']}：{label}。")


def cmd_training_needs(args, data_dir: Path) -> None:
    if Path(args.out).suffix.lower() != ".xlsx":
        raise ValidationError("培训需求名单请导出为 .xlsx 文件。", field="out")
    with closing(open_as(data_dir, args.user)) as station:
        written = training.export_need_list(station, args.out, village=args.village,
                                            kind=args.kind,
                                            full_numbers=documents.sees_full_numbers(station))
    _emit(args, {"out": str(args.out), "rows": written}, f"已导出培训需求名单 {written} 条：{args.out}")


def home_payload(summary: home.HomeSummary) -> dict:
    """The home summary as plain JSON-ready data."""
    return {
        "on": summary.on.isoformat(), "people": summary.people,
        "ledger_people": summary.ledger_people, "item_totals": summary.item_totals,
        "items": [{"kind": i.kind, "text": i.text, "target": i.target, "target_id": i.target_id,
                   "person_id": i.person_id} for i in summary.items],
        "by_status": summary.by_status, "by_group": summary.by_group,
        "by_village": summary.by_village,
        "risks": [{"village": r.village, "people": r.people, "returned": r.returned,
                   "lost_work": r.lost_work, "since": r.since.isoformat(), "text": r.text}
                  for r in summary.risks],
    }


def cmd_home(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        summary = home.home_summary(station)
    lines = [r.text for r in summary.risks]
    lines += [f"{glossary.HOME_ITEM_KINDS[k]}：{n} 项" for k, n in summary.item_totals.items() if n]
    lines += [f"[{i.kind_label}] {i.text}" for i in summary.items[:20]]
    _emit(args, home_payload(summary), "\n".join(lines) or "今日没有待办事项。")


COMMANDS = {"report": cmd_report, "ledger": cmd_ledger, "followup": cmd_followup,
            "rights-add": cmd_rights_add, "rights-status": cmd_rights_status,
            "training-needs": cmd_training_needs, "home": cmd_home}
