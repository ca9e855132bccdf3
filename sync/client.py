"""The station's sync operations: network and USB stick share one path — produce a
bundle, let the county consume it, consume the county's answer."""

import json
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from db.clock import now_iso
from db.station import Station

from . import identity
from .errors import BundleRefused, SyncError
from .incoming import Receipt, consume_bundle, record_history
from .outgoing import pending, produce_bundle

TIMEOUT = 60
UNREACHABLE = "连不上县里服务器，请检查网络后重试；也可以用U盘同步。本站数据都已保留。"
NO_ANSWER = "县里服务器没有及时答复（可能正忙），本站数据都已保留，请稍后再同步。"
# What the county's refusal codes mean from the station's side.
COUNTY_SAYS = {
    "upgrade_peer": "本站程序版本较旧，县里不接受，请升级本站程序后再同步（本站数据都已保留）。",
    "upgrade_self": "县里服务器的程序版本较旧，请县里升级服务器后再同步（本站数据都已保留）。",
}

Progress = Callable[[str, int], None]


def _post(url: str, path: str, body: bytes, content_type: str) -> bytes:
    request = urllib.request.Request(url.rstrip("/") + path, data=body, method="POST",
                                     headers={"Content-Type": content_type})
    # A first sync of a big station takes the county minutes to apply: wait in proportion.
    timeout = TIMEOUT + len(body) / 20_000
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read())
        except ValueError:
            detail = {}
        code = detail.get("code", "")
        message = COUNTY_SAYS.get(code) or detail.get("message") or f"县里服务器出错（{exc.code}）。"
        raise SyncError(message) from exc
    except TimeoutError as exc:
        raise SyncError(NO_ANSWER) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise SyncError(NO_ANSWER) from exc
        raise SyncError(UNREACHABLE) from exc
    except (OSError, ValueError) as exc:
        raise SyncError(UNREACHABLE) from exc


def reachable(url: str, timeout: float = 3.0) -> bool:
    """Whether the county server answers (for background sync; never raises)."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/api/v1/info",  # noqa: S310
                                    timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def enroll_network(station: Station, url: str, code: str) -> identity.Identity:
    request, keys = identity.enrollment_request(station, code)
    answer = json.loads(_post(url, "/api/v1/enroll", json.dumps(request).encode(),
                              "application/json"))
    return identity.accept_county(station, request, keys, answer, code, server_url=url)


def sync_now(station: Station, url: str | None = None,
             progress: Progress | None = None) -> Receipt:
    """One network round: send what is pending, apply the answer. Retries once when the
    county asks this station to renumber (it was restored from an old backup)."""
    ident = identity.require(station)
    url = url or ident.server_url
    if not url:
        raise SyncError("还没有设置县里服务器地址。")
    try:
        for attempt in range(2):
            try:
                receipt = _round(station, url, progress, check=digest_due(station))
            except SyncError as exc:
                if "请再同步一次" in str(exc) and attempt == 0:
                    continue
                raise
            break
        if receipt.mismatched:  # send the differing records right away
            again = _round(station, url, progress)
            receipt.sent += again.sent
            receipt.received += again.received
    except SyncError as exc:
        record_history(station, "network", False, None, str(exc))
        raise
    if url != ident.server_url:
        identity.set_server(station, url)
    record_history(station, "network", True, receipt, _summary(receipt))
    return receipt


def digest_due(station: Station) -> bool:
    """Both sides are compared after the first network sync of a day (it reads every
    record, about a second per 50,000)."""
    last = station.scalar("SELECT digest_at FROM sync_state")
    return not last or last[:10] < now_iso()[:10]


def _round(station: Station, url: str, progress: Progress | None,
           check: bool = False) -> Receipt:
    with tempfile.TemporaryDirectory(prefix="jobstation-sync-") as tmp:
        out = Path(tmp) / "up.bundle"
        if progress:
            progress("正在打包本站的变更…", 0)
        made = produce_bundle(station, out, progress=lambda n: progress and progress(
            "正在打包本站的变更…", n), with_digest=check)
        if progress:
            progress("正在发送到县里…", made.changes)
        answer = _post(url, "/api/v1/sync", out.read_bytes(), "application/octet-stream")
        back = Path(tmp) / "return.bundle"
        back.write_bytes(answer)
        if progress:
            progress("正在导入县里的数据…", 0)
        receipt = consume_bundle(station, back, Receipt(sent=made.changes))
        return receipt


def export_usb(station: Station, out: Path) -> Receipt:
    """Write this station's pending changes to a file for the USB stick."""
    made = produce_bundle(station, Path(out))
    receipt = Receipt(sent=made.changes, message=f"已导出 {made.changes} 条变更到 {out}")
    record_history(station, "usb-out", True, receipt, receipt.message)
    return receipt


def import_usb(station: Station, path: Path) -> Receipt:
    """Apply the county's answer brought back on the USB stick."""
    try:
        receipt = consume_bundle(station, Path(path))
    except (BundleRefused, SyncError) as exc:
        record_history(station, "usb-in", False, None, str(exc))
        raise
    record_history(station, "usb-in", True, receipt, _summary(receipt))
    return receipt


def _summary(receipt: Receipt) -> str:
    if receipt.message:
        return receipt.message
    parts = [f"发出 {receipt.sent} 条", f"收到 {receipt.received} 条"]
    if receipt.conflicts:
        parts.append(f"新冲突 {receipt.conflicts} 条")
    if receipt.rejected:
        parts.append(f"县里未接受 {len(receipt.rejected)} 条")
    if receipt.checked:
        parts.append(f"核对发现 {len(receipt.mismatched)} 组记录不一致，已重新发送"
                     if receipt.mismatched else "与县里核对一致")
    return "，".join(parts) + "。"


def status(station: Station) -> dict:
    """What the 同步 screen and ``sync status`` show."""
    ident = identity.identity(station)
    last = station.query("SELECT at, way, ok, message FROM sync_history WHERE ok = 1 "
                         "ORDER BY id DESC LIMIT 1")
    return {
        "enrolled": ident is not None,
        "county": ident.county_name if ident else "",
        "server_url": ident.server_url if ident else "",
        "pending": pending(station),
        "open_conflicts": station.scalar(
            "SELECT count(*) FROM sync_conflict WHERE status = 'open'"),
        "last_sync": last[0]["at"] if last else None,
    }
