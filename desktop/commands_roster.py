"""Commands for rosters: ``import-roster`` (花名册导入) and ``compare`` (信息比对).

Wired into ``desktop.commands`` by ``register(subparsers)`` and the ``COMMANDS`` table.
"""

import json
import sys
from contextlib import closing
from pathlib import Path

from db import compare, glossary, roster_import

from .session import open_as


def register(sub) -> None:
    """Add this module's commands to the ``jobstation`` sub-command parsers."""
    imp = sub.add_parser("import-roster", help="从 Excel/WPS 或 CSV 花名册导入人员")
    imp.add_argument("file", type=Path)
    imp.add_argument("--sheet", default=None, help="工作表名称（默认第一个可见工作表）")
    imp.add_argument("--dry-run", action="store_true", help="只预览，不写入本站数据")
    imp.add_argument("--report", type=Path, help="把未导入的行（附原因）写入此 .xlsx 文件")
    imp.add_argument("--use-file-values", action="store_true",
                     help="与本站不一致的值一律采用文件中的值（默认保留本站的值）")
    imp.add_argument("--json", action="store_true")

    cmp = sub.add_parser("compare", help="信息比对：县里下发的名单与本站数据比对")
    cmp.add_argument("file", type=Path)
    cmp.add_argument("--kind", required=True,
                     help="名单类型：" + "、".join(f"{k}（{v}）"
                                               for k, v in glossary.COMPARE_KINDS.items()))
    cmp.add_argument("--out", type=Path, help="把比对结果写入此 .xlsx 文件")
    cmp.add_argument("--sheet", default=None, help="工作表名称（默认第一个可见工作表）")
    cmp.add_argument("--json", action="store_true")


def _progress_printer():
    """Progress on stderr for a person at a terminal; silent in scripts."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r已处理 {done}/{total} 行", end="", file=sys.stderr, flush=True)
    return show


def cmd_import_roster(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        counts = roster_import.import_roster(
            station, args.file, sheet=args.sheet, dry_run=args.dry_run,
            use_file_values=args.use_file_values, report=args.report,
            progress=_progress_printer()).counts()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print(json.dumps(counts, ensure_ascii=False))
        return
    print(_import_summary(counts, args))


def _import_summary(counts: dict, args) -> str:
    verb = "预览（未写入）" if args.dry_run else "导入完成"
    lines = [f"{verb}：共 {counts['rows']} 行，新增 {counts['created']} 人，"
             f"更新 {counts['updated']} 人，无变化 {counts['unchanged']} 人，"
             f"有冲突 {counts['conflicts']} 人，未导入 {len(counts['rejected'])} 行。"]
    lines += [f"第{r['row']}行：{r['reason']}" for r in counts["rejected"][:50]]
    if len(counts["rejected"]) > 50:
        lines.append(f"……另有 {len(counts['rejected']) - 50} 行未列出，请用 --report 导出。")
    if args.report:
        lines.append(f"未导入的行已写入：{args.report}")
    return "\n".join(lines)


def cmd_compare(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        result = compare.compare_roster(station, args.file, args.kind, sheet=args.sheet,
                                        progress=_progress_printer())
        if args.out:
            compare.export_comparison(result, args.out,
                                      full_numbers=station.account.sees_full_numbers)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    counts = result.counts()
    if args.json:
        print(json.dumps(counts, ensure_ascii=False))
        return
    kind = glossary.COMPARE_KINDS[result.kind]
    text = (f"{kind}名单共 {counts['rows']} 行：名单有、本站无 {counts['only_in_list']} 人；"
            f"本站有、名单无 {counts['only_in_station']} 人；信息不一致 {counts['differing']} 人；"
            f"无法比对 {len(counts['unreadable'])} 行。")
    print(text + (f"\n比对结果已写入：{args.out}" if args.out else ""))


COMMANDS = {"import-roster": cmd_import_roster, "compare": cmd_compare}
