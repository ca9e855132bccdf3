"""The ``jobstation`` command's headless sub-commands (``desktop.cli`` starts the window
when there is none, without loading these).

Messages for people are Chinese on stderr; results on stdout (``--json`` for machines).
Exit 0 on success, 1 on a refusal the clerk can fix, 2 on an internal error.
"""

import argparse
import json
import sys
from pathlib import Path

from db import backup, demo, exports, glossary, lists, setup
from db.errors import StationError

from . import (
    commands_jobs,
    commands_posts,
    commands_report,
    commands_roster,
    commands_sync,
    paths,
)
from .session import open_as, read_password
from .version import program_version


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobstation", description="农民工就业服务站工作台")
    parser.add_argument("--data-dir", type=Path, help="本站数据文件夹")
    parser.add_argument("--user", help="以哪个用户的身份操作（记入操作日志）")
    parser.add_argument("--demo", action="store_true", help="在临时文件夹中打开演示服务站")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：在临时服务站上打开主窗口、读写数据、生成中文 PDF 后退出")
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"%(prog)s {program_version()}")
    sub = parser.add_subparsers(dest="command")

    init = sub.add_parser("init", help="新建服务站")
    init.add_argument("--station-code", required=True)
    init.add_argument("--station-name", required=True)
    init.add_argument("--county", default="")
    init.add_argument("--villages", default="", help="行政村，用逗号分隔")
    init.add_argument("--admin", required=True, help="站长用户名")
    init.add_argument("--admin-name", default="站长")

    seed = sub.add_parser("seed-demo", help="生成演示人员")
    seed.add_argument("--people", type=int, default=3000)
    seed.add_argument("--json", action="store_true")

    export = sub.add_parser("export-list", help="导出清单到 Excel")
    export.add_argument("kind", choices=sorted(glossary.LIST_KINDS))
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--village", default="")
    export.add_argument("--json", action="store_true")

    bk = sub.add_parser("backup", help="备份本站数据到文件")
    bk.add_argument("--out", type=Path, required=True)
    bk.add_argument("--json", action="store_true")
    rs = sub.add_parser("restore", help="从备份文件恢复本站数据")
    rs.add_argument("file", type=Path)
    rs.add_argument("--json", action="store_true")
    ck = sub.add_parser("check", help="检查数据文件完整性")
    ck.add_argument("--json", action="store_true")
    commands_jobs.register(sub)
    commands_posts.register(sub)
    commands_roster.register(sub)
    commands_report.register(sub)
    commands_sync.register(sub)
    return parser


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False) if getattr(args, "json", False) else text)


def cmd_init(args, data_dir: Path) -> None:
    password = read_password("站长密码：")
    station = setup.create_station(
        data_dir, code=args.station_code, name=args.station_name, county=args.county,
        village_names=[v for v in args.villages.replace("，", ",").split(",") if v.strip()],
        admin_username=args.admin, admin_display_name=args.admin_name, admin_password=password)
    station.close()
    print(f"已新建服务站：{args.station_name}（{data_dir}）")


def cmd_seed_demo(args, data_dir: Path) -> None:
    with _station(args, data_dir) as station:
        counts = demo.seed_everything(station, args.people)
    _emit(args, counts, f"已生成 {counts['people']} 名演示人员及其就业、岗位、公益性岗位和帮扶记录。")


def cmd_export_list(args, data_dir: Path) -> None:
    with _station(args, data_dir) as station:
        full = station.account.sees_full_numbers
        written = exports.export_list(station, args.kind, args.out,
                                      lists.ListFilter(village=args.village), full_numbers=full)
    _emit(args, {"kind": args.kind, "rows": written, "out": str(args.out)},
          f"已导出{glossary.LIST_KINDS[args.kind]} {written} 人：{args.out}")


def cmd_backup(args, data_dir: Path) -> None:
    with _station(args, data_dir) as station:
        out = backup.copy_database(station.conn, args.out)
    _emit(args, {"out": str(out), "bytes": out.stat().st_size}, f"已备份到：{out}")


def cmd_restore(args, data_dir: Path) -> None:
    with _station(args, data_dir) as station:
        if not station.account.is_head:
            raise StationError("只有站长可以恢复数据。")
    saved = backup.restore(data_dir, args.file)
    _emit(args, {"restored": str(args.file), "previous_saved_as": str(saved)},
          f"已从 {args.file} 恢复。恢复前的数据已另存为：{saved}")


def cmd_check(args, data_dir: Path) -> None:
    with _station(args, data_dir) as station:
        problems = backup.check(station)
    _emit(args, {"ok": not problems, "problems": problems},
          "数据文件完好。" if not problems else "\n".join(problems))
    if problems:
        raise SystemExit(1)


class _station:
    """``with _station(args, dir) as station``: signed in, closed afterwards."""

    def __init__(self, args, data_dir: Path):
        self.args, self.data_dir = args, data_dir

    def __enter__(self):
        self.station = open_as(self.data_dir, self.args.user)
        return self.station

    def __exit__(self, *exc):
        self.station.close()


COMMANDS = {"init": cmd_init, "seed-demo": cmd_seed_demo, "export-list": cmd_export_list,
            "backup": cmd_backup, "restore": cmd_restore, "check": cmd_check}
COMMANDS.update(commands_jobs.COMMANDS)
COMMANDS.update(commands_posts.COMMANDS)
COMMANDS.update(commands_roster.COMMANDS)
COMMANDS.update(commands_report.COMMANDS)
COMMANDS.update(commands_sync.COMMANDS)


def run(argv: list[str]) -> int:
    """Parse the whole command line and run its sub-command (or show help / the version)."""
    args = build_parser().parse_args(argv)
    data_dir = args.data_dir or paths.default_data_dir()
    if not args.command:  # options only: the window (cli.main normally gets here first)
        from .gui import run_gui

        return run_gui(data_dir, demo=args.demo, self_test=args.self_test,
                       probe=args.startup_probe)
    try:
        COMMANDS[args.command](args, data_dir)
    except StationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0
