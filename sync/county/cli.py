"""The ``jobstation-county`` command: the county server and its staff's tools.

Messages for people are Chinese on stderr; results on stdout (``--json`` for machines).
Exit 0 on success, 1 on a refusal that can be fixed, 2 on an internal error.
"""

import argparse
import json
import sys
from pathlib import Path

from db import job_import, policy
from db.errors import StationError

from . import enrollment, outgoing, publish, report, service
from .store import county, init_county, open_county


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobstation-county",
                                     description="农民工就业服务站 县级同步服务器")
    parser.add_argument("--data-dir", type=Path, required=True, help="县级数据文件夹")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=text)
        command.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        return command

    init = add("init", "新建县级服务器数据")
    init.add_argument("--county-code", required=True)
    init.add_argument("--name", required=True)
    serve = add("serve", "启动同步服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    code = add("enroll-code", "为服务站生成一次性登记码")
    code.add_argument("--station-code", required=True)
    code.add_argument("--out", type=Path, help="同时写出登记文件（用U盘登记时）")
    imp = add("import-bundle", "导入服务站的数据包并写出回执数据包")
    imp.add_argument("file", type=Path)
    imp.add_argument("--return-out", type=Path, required=True)
    exp = add("export-bundle", "为服务站导出县里的数据包")
    exp.add_argument("--station", required=True, help="乡镇代码")
    exp.add_argument("--out", type=Path, required=True)
    add("stations", "列出已登记的服务站")
    rep = add("report", "全县月报")
    rep.add_argument("--month", required=True, help="YYYY-MM")
    rep.add_argument("--out", type=Path, required=True)
    pol = add("set-policy", "发布政策参数（如小时最低工资）")
    pol.add_argument("--key", required=True, choices=sorted(policy.DECLARED))
    pol.add_argument("--value", required=True)
    pol.add_argument("--from", dest="effective_from", required=True, help="生效日期")
    jobs = add("import-jobs", "导入岗位信息（Excel），发布给全县服务站")
    jobs.add_argument("file", type=Path)
    rev = add("revoke", "撤销服务站的登记（电脑丢失或更换时）")
    rev.add_argument("--station", required=True, help="乡镇代码")
    move = add("move-person", "把人员移交给现在服务他的服务站")
    move.add_argument("--id-number", required=True)
    move.add_argument("--to", required=True, help="接收服务站的乡镇代码")
    return parser


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text)


def run(args) -> None:
    if args.command == "init":
        made = init_county(args.data_dir, args.county_code, args.name)
        _emit(args, {"county_code": made.code, "fingerprint": made.keys.public.fingerprint},
              f"已新建县级服务器：{made.name}（{made.code}），密钥指纹 {made.keys.public.fingerprint}")
        return
    if args.command == "serve":
        serve(args.data_dir, args.host, args.port)
        return
    store = open_county(args.data_dir)
    try:
        _commands[args.command](store, args)
    finally:
        store.close()


def _enroll_code(store, args) -> None:
    if args.out:
        issued = enrollment.write_enrollment_file(store, args.station_code, args.out)
    else:
        issued = enrollment.issue_code(store, args.station_code)
    _emit(args, issued, f"服务站 {issued['station_code']} 的一次性登记码：{issued['code']}\n"
                        f"县里密钥指纹：{issued['fingerprint']}（登记时请核对）")


def _import_bundle(store, args) -> None:
    if not args.file.exists():
        raise StationError(f"找不到数据包文件：{args.file}")
    result = service.handle(store, args.file, args.return_out, way="usb")
    payload = result.as_dict()
    text = ("这个数据包已经导入过了，已重新写出回执。" if result.duplicate else
            f"已导入服务站 {result.station_code} 的 {result.applied} 条变更"
            f"（冲突 {result.conflicts} 条，未接受 {len(result.rejected)} 条），"
            f"回执已写到 {args.return_out}")
    _emit(args, payload, text)


def _export_bundle(store, args) -> None:
    publish.publish(store)
    path, count = outgoing.export_for_station(store, args.station, args.out)
    _emit(args, {"records": count, "out": str(path)}, f"已为服务站 {args.station} 导出 {count} 条。")


def _stations(store, args) -> None:
    rows = report.stations(store)
    if args.json:
        print(json.dumps({"stations": rows}, ensure_ascii=False, default=str))
        return
    for row in rows:
        print(f"{row['station_code']} {row['name'] or ''} 最近联系：{row['last_contact'] or '从未'}"
              f" 待下发：{row['pending_down']} 人员：{row['people']}")


def _report(store, args) -> None:
    count = report.write_month_report(store, args.month, args.out)
    _emit(args, {"rows": count, "out": str(args.out)}, f"已写出全县月报：{args.out}")


def _set_policy(store, args) -> None:
    policy.set_parameter(store, args.key, args.value, args.effective_from, source="county")
    published = publish.publish(store)
    _emit(args, {"published": published}, "已发布政策参数，服务站下次同步时收到。")


def _import_jobs(store, args) -> None:
    result = job_import.import_jobs(store, args.file, source="county")
    published = publish.publish(store)
    payload = {"created": result.created, "unchanged": len(result.unchanged),
               "rejected": [{"row": r.row, "reason": r.reason} for r in result.rejected],
               "published": published}
    lines = [result.summary() + "服务站下次同步时收到。"]
    lines += [f"第 {r.row} 行：{r.reason}" for r in result.rejected]
    _emit(args, payload, "\n".join(lines))


def _revoke(store, args) -> None:
    count = enrollment.revoke(store, args.station)
    _emit(args, {"revoked": count}, f"已撤销服务站 {args.station} 的登记；它需要新的登记码才能再同步。")


def _move_person(store, args) -> None:
    count = publish.move_person(store, args.id_number, args.to)
    _emit(args, {"records": count}, f"已移交 {count} 条记录，接收服务站下次同步时收到。")


_commands = {"enroll-code": _enroll_code, "import-bundle": _import_bundle,
             "export-bundle": _export_bundle, "stations": _stations, "report": _report,
             "set-policy": _set_policy, "move-person": _move_person,
             "import-jobs": _import_jobs, "revoke": _revoke}


def serve(data_dir: Path, host: str, port: int) -> None:
    import uvicorn

    from .app import create_app

    store = open_county(data_dir)  # refuse early, in Chinese, when there is no county here
    ident = county(store)
    store.close()
    print(f"县级同步服务已启动：{ident.name}，http://{host}:{port}/api/v1/info", file=sys.stderr)
    uvicorn.run(create_app(data_dir), host=host, port=port, log_level="warning")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except StationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
    except Exception as exc:  # noqa: BLE001 - one sentence for people, the trace for the log
        print(f"内部错误：{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
