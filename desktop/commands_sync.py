"""``jobstation ... sync`` — enroll with the county, sync by network or USB stick, settle
conflicts. Wired into ``desktop.commands`` by ``register(subparsers)`` and ``COMMANDS``."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

from db.errors import ValidationError
from sync import client, conflicts, identity

from .session import open_as


def register(sub) -> None:
    """Add ``sync`` and its sub-commands to the ``jobstation`` parsers."""
    sync = sub.add_parser("sync", help="与县里同步（联网或U盘）")
    actions = sync.add_subparsers(dest="sync_command", required=True)

    def add(name: str, text: str):
        command = actions.add_parser(name, help=text)
        command.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        return command

    enroll = add("enroll", "用县里发的登记码登记本站")
    enroll.add_argument("--code", required=True, help="一次性登记码")
    where = enroll.add_mutually_exclusive_group(required=True)
    where.add_argument("--server", help="县里服务器地址，例如 http://10.1.2.3:8765")
    where.add_argument("--file", type=Path, help="县里导出的登记文件（U盘）")
    now = add("now", "立即联网同步")
    now.add_argument("--server", help="县里服务器地址（默认用登记时的地址）")
    exp = add("export", "把本站未同步的变更导出到文件（U盘）")
    exp.add_argument("--out", type=Path, required=True)
    imp = add("import", "导入县里的回执数据包（U盘）")
    imp.add_argument("file", type=Path)
    add("status", "同步状态：待同步变更、冲突、最近同步时间")
    add("conflicts", "列出待处理的冲突")
    settle = add("settle", "处理一条冲突")
    settle.add_argument("conflict_id")
    settle.add_argument("--take", required=True, choices=list(conflicts.CHOICES))
    settle.add_argument("--value", help="手工修改时要采用的内容")


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text)


def cmd_sync(args, data_dir: Path) -> None:
    with closing(open_as(data_dir, args.user)) as station:
        _ACTIONS[args.sync_command](station, args)


def _enroll(station, args) -> None:
    if args.file:
        ident = identity.enroll_from_file(station, args.file, args.code)
    else:
        ident = client.enroll_network(station, args.server, args.code)
    _emit(args, {"county_code": ident.county_code, "fingerprint": ident.county.fingerprint,
                 "site_id": ident.site_id},
          f"已登记到{ident.county_name}（县里密钥指纹 {ident.county.fingerprint}）。")


def _now(station, args) -> None:
    receipt = client.sync_now(station, args.server)
    _emit(args, receipt.as_dict(), _text(station, receipt))


def _export(station, args) -> None:
    receipt = client.export_usb(station, args.out)
    _emit(args, receipt.as_dict(), receipt.message)


def _import(station, args) -> None:
    if not args.file.exists():
        raise ValidationError(f"找不到数据包文件：{args.file}")
    receipt = client.import_usb(station, args.file)
    _emit(args, receipt.as_dict(), _text(station, receipt))


def _status(station, args) -> None:
    state = client.status(station)
    _emit(args, state, f"待同步变更 {state['pending']} 条，待处理冲突 {state['open_conflicts']} 条，"
                       f"最近同步：{state['last_sync'] or '从未'}。")


def _conflicts(station, args) -> None:
    rows = conflicts.open_conflicts(station)
    if args.json:
        print(json.dumps({"conflicts": [{"id": r["id"], "sentence": r["sentence"],
                                         "value_a": r["value_a"], "value_b": r["value_b"]}
                                        for r in rows]}, ensure_ascii=False))
        return
    for row in rows:
        print(f"{row['id']}  {row['sentence']}")
    if not rows:
        print("没有待处理的冲突。")


def _settle(station, args) -> None:
    conflicts.settle(station, args.conflict_id, args.take, args.value)
    _emit(args, {"settled": args.conflict_id},
          f"已处理冲突（{conflicts.CHOICES[args.take]}），下次同步时告知县里。")


def _text(station, receipt) -> str:
    text = client.summary(station, receipt)
    if receipt.clock_warning:
        text += receipt.clock_warning
    return text


_ACTIONS = {"enroll": _enroll, "now": _now, "export": _export, "import": _import,
            "status": _status, "conflicts": _conflicts, "settle": _settle}
COMMANDS = {"sync": cmd_sync}
