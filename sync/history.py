"""What the 同步 screen reads: the sync history in the clerk's words, and a receipt as one
sentence. Read-only; the history rows are written by ``sync.incoming.record_history``."""

from datetime import datetime

from db.station import Station
from db.sync_tables import SYNCED

from .conflicts import TABLE_LABELS, person_name
from .incoming import Receipt

REJECTED_NAMED = 3  # refused records named in the sentence; the rest counted

WAYS = {"network": "联网", "usb-out": "导出到U盘", "usb-in": "从U盘导入"}
COLUMNS = ["时间", "方式", "结果", "发出", "收到", "冲突", "说明"]


def local_time(stamp: str | None) -> str:
    """An ISO time stamp as the clerk's local ``YYYY-MM-DD HH:MM``; 从未 when there is none."""
    if not stamp:
        return "从未"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def recent(station: Station, limit: int = 200) -> list[dict]:
    """The newest history rows first, each with ``cells`` in the order of ``COLUMNS``."""
    rows = station.query("SELECT * FROM sync_history ORDER BY id DESC LIMIT ?", [limit])
    for row in rows:
        row["cells"] = [local_time(row["at"]), WAYS.get(row["way"], row["way"]),
                        "成功" if row["ok"] else "未成功", row["sent"], row["received"],
                        row["conflicts"], row["message"] or ""]
    return rows


def last(station: Station) -> dict | None:
    """The newest history row, successful or not."""
    rows = recent(station, 1)
    return rows[0] if rows else None


def receipt_sentence(receipt: Receipt, station: Station | None = None) -> str:
    """What a sync did, in one sentence (plus the clock warning when the PC's time is off);
    with ``station``, the records the county refused are named with its reasons."""
    if receipt.message:
        text = receipt.message
    else:
        parts = [f"发出 {receipt.sent} 条", f"收到 {receipt.received} 条"]
        if receipt.conflicts:
            parts.append(f"新冲突 {receipt.conflicts} 条，请在“冲突”中处理")
        if receipt.rejected:
            parts.append(rejected_text(station, receipt.rejected))
        text = "同步完成：" + "，".join(parts) + "。"
    if receipt.clock_warning:
        text += receipt.clock_warning
    return text


def rejected_text(station: Station | None, rejected: list[dict]) -> str:
    """``县里未接受 N 条：人员“张三”：reason；…`` — which records, and why (the first few)."""
    text = f"县里未接受 {len(rejected)} 条"
    if station is None:
        return text
    named = [f"{_record_label(station, r.get('table'), r.get('key'))}："
             f"{str(r.get('reason') or '原因不详').rstrip('。')}" for r in rejected[:REJECTED_NAMED]]
    more = f"等（另有 {len(rejected) - REJECTED_NAMED} 条）" if len(rejected) > REJECTED_NAMED else ""
    return f"{text}（{'；'.join(named)}{more}）"


def _record_label(station: Station, table, key) -> str:
    """人员“张三”, 就业状态（张三）, or the kind of record when its person is unknown."""
    thing = TABLE_LABELS.get(table, "记录")
    if table not in SYNCED or not key:  # a name the county sent: only our own tables
        return thing
    name = person_name(station, table, str(key))
    if not name:
        return thing
    return f"{thing}“{name}”" if table == "person" else f"{thing}（{name}）"
