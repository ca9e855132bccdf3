"""Commands for jobs, matching, referrals and printing: ``import-jobs``, ``match``,
``refer``, ``outcome`` and ``print``.

Wired into ``desktop.commands`` by ``register(subparsers)`` and the ``COMMANDS`` table.
"""

import argparse
import json
from contextlib import closing
from pathlib import Path

from db import glossary, job_import, labour_export, lists, matching, people, referrals
from db.errors import NotFoundError, ValidationError
from ui import documents

from . import commands_posts
from .session import open_as

PRINT_KINDS = {
    "referral": "推荐介绍信（按推荐信编号）",
    "day": "某一天的全部推荐介绍信（按日期）",
    "certificate": "登记凭证（按登记编号）",
    "list": "人员清单（employed / unemployed / willing）",
    "person": "个人服务记录（按公民身份号码）",
    "export": "劳务输出人员花名册（按批次编号）",
}


def register(sub) -> None:
    """Add this module's commands to the ``jobstation`` sub-command parsers."""
    imp = sub.add_parser("import-jobs", help="从 Excel 导入岗位")
    imp.add_argument("file", type=Path)
    imp.add_argument("--source", default="county", choices=sorted(glossary.JOB_SOURCES),
                     help="岗位来源（默认 county：县就业服务中心）")
    imp.add_argument("--sheet", default=None, help="工作表名称（默认第一个）")
    imp.add_argument("--rejects", type=Path, help="把未导入的行写入此 Excel 文件")
    imp.add_argument("--json", action="store_true")

    match = sub.add_parser("match", help="人岗匹配：为某人找岗位，或为某岗位找人")
    who = match.add_mutually_exclusive_group(required=True)
    who.add_argument("--id", help="劳动者的公民身份号码")
    who.add_argument("--job", help="岗位编号（导入时给出的 id）")
    match.add_argument("--limit", type=int, default=20)
    match.add_argument("--json", action="store_true")

    refer = sub.add_parser("refer", help="推荐某人到某岗位，打印推荐信编号")
    refer.add_argument("--id", required=True, help="劳动者的公民身份号码")
    refer.add_argument("--job", required=True, help="岗位编号")
    refer.add_argument("--date", default=None, help="推荐日期（默认今天）")
    refer.add_argument("--json", action="store_true")

    out = sub.add_parser("outcome", help="登记推荐结果")
    out.add_argument("number", help="推荐信编号")
    out.add_argument("result", choices=list(glossary.REFERRAL_OUTCOMES))
    out.add_argument("--date", default=None, help="反馈日期（默认今天）")
    out.add_argument("--note", default="")
    out.add_argument("--update-status", action="store_true", help="已录用时同时更新就业状态")
    out.add_argument("--json", action="store_true")

    _register_print(sub)


def _register_print(sub) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    common.add_argument("--json", action="store_true")
    pr = sub.add_parser("print", help="打印文书到 PDF")
    what = pr.add_subparsers(dest="what", required=True)
    for kind, label in PRINT_KINDS.items():
        p = what.add_parser(kind, help=label, parents=[common])
        if kind == "list":
            p.add_argument("key", choices=sorted(glossary.LIST_KINDS))
            p.add_argument("--village", default="")
        else:
            p.add_argument("key")
    commands_posts.add_print_kinds(what, common)


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text)


def _person_id(station, id_number: str) -> str:
    person = people.find_by_id_number(station, id_number)
    if not person:
        raise NotFoundError(f"没有登记公民身份号码为 {id_number} 的人员。")
    return person["id"]


def cmd_import_jobs(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        result = job_import.import_jobs(station, args.file, source=args.source, sheet=args.sheet)
    if args.rejects and result.rejected:
        job_import.write_rejects(args.rejects, result)
    payload = {"created": result.created, "unchanged": len(result.unchanged),
               "employers_created": result.employers_created,
               "rejected": [{"row": r.row, "reason": r.reason} for r in result.rejected]}
    lines = [result.summary()] + [f"第 {r.row} 行：{r.reason}" for r in result.rejected]
    _emit(args, payload, "\n".join(lines))


def _match_row(m: matching.Match, side: str) -> dict:
    other = m.job if side == "job" else m.person
    keys = (("id", "employer_name", "work_type", "wage_text", "place_label", "valid_until")
            if side == "job" else ("id", "name", "sex", "age", "hukou_village", "current_status"))
    return {**{k: other[k] for k in keys}, "score": m.score,
            "reasons": [str(r) for r in m.reasons]}


def cmd_match(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        if args.id:
            found = matching.jobs_for_person(station, _person_id(station, args.id),
                                             limit=args.limit)
            rows = [_match_row(m, "job") for m in found]
            text = [f"{r['score']:>4}  {r['employer_name']} {r['work_type']}（{r['id']}）"
                    for r in rows]
        else:
            found = matching.people_for_job(station, args.job, limit=args.limit,
                                            full_numbers=documents.sees_full_numbers(station))
            rows = [_match_row(m, "person") for m in found]
            text = [f"{r['score']:>4}  {r['name']} {r['sex']} {r['age']}岁 {r['hukou_village']}"
                    for r in rows]
    _emit(args, {"matches": rows},
          "\n".join(f"{line}\n      {'；'.join(r['reasons'])}" for line, r in zip(
              text, rows, strict=True)) or "没有合适的匹配。")


def cmd_refer(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        made = referrals.create_referral(station, _person_id(station, args.id), args.job,
                                         on=args.date)
    _emit(args, made, made["number"])


def cmd_outcome(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        referral = referrals.get_by_number(station, args.number)
        if args.update_status and args.result != "hired":
            raise ValidationError("只有已录用时才能更新就业状态。")
        with station.atomic():
            referrals.record_outcome(station, referral["id"], args.result, args.date, args.note)
            status_id = (referrals.apply_hired_status(station, referral["id"])
                         if args.update_status else None)
    label = glossary.REFERRAL_OUTCOMES[args.result]
    _emit(args, {"number": referral["number"], "outcome": args.result,
                 "status_updated": bool(status_id)},
          f"推荐信 {referral['number']}：{label}" + ("，已更新就业状态。" if status_id else "。"))


def _print_pdf(station, args) -> bytes:
    if args.what in commands_posts.PRINT_KINDS:
        return commands_posts.print_pdf(station, args)
    if args.what == "referral":
        return documents.referral_letter_pdf(station, args.key)
    if args.what == "day":
        return documents.referral_letters_pdf(station, args.key)
    if args.what == "certificate":
        return documents.certificate_pdf(station, args.key)
    if args.what == "list":
        return documents.list_pdf(station, args.key, lists.ListFilter(village=args.village))
    if args.what == "person":
        return documents.person_summary_pdf(station, _person_id(station, args.key))
    return documents.export_roster_pdf(station, labour_export.get_by_number(station, args.key)["id"])


def cmd_print(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        pdf = _print_pdf(station, args)
    out = documents.save(args.out, pdf)
    _emit(args, {"out": str(out), "bytes": len(pdf)}, f"已生成：{out}")


COMMANDS = {"import-jobs": cmd_import_jobs, "match": cmd_match, "refer": cmd_refer,
            "outcome": cmd_outcome, "print": cmd_print}
