"""The station's sync operations: network and USB stick share one path — produce a
bundle, let the county consume it, consume the county's answer."""

import http.client
import json
import select
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from db.clock import now_iso
from db.station import Station

from . import history, identity
from .errors import BundleRefused, SyncError
from .incoming import Receipt, consume_bundle, record_history, write_history
from .outgoing import pending, produce_bundle, produce_bytes

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
    # A first sync of a big station takes the county minutes to apply: wait in proportion.
    timeout = TIMEOUT + len(body) / 20_000
    try:
        status, answer = _send(url.rstrip("/") + path, body, content_type, timeout)
    except TimeoutError as exc:
        raise SyncError(NO_ANSWER) from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise SyncError(UNREACHABLE) from exc
    if status >= 400:
        try:
            detail = json.loads(answer)
        except ValueError:
            detail = {}
        if not isinstance(detail, dict):
            detail = {}
        code = detail.get("code", "")
        message = COUNTY_SAYS.get(code) or detail.get("message") or f"县里服务器出错（{status}）。"
        raise SyncError(message)
    return answer


# ---------------------------------------------------------------- keep-alive connections
# The county's answer to a small sync takes a few milliseconds; a new TCP connection (and
# TLS, where the county has a certificate) for each would add a round trip or more. Idle
# connections wait here, one a server; a caller takes one out, so two threads never share.
_idle: dict[tuple[str, str, int], http.client.HTTPConnection] = {}
_idle_lock = threading.Lock()


def _send(target: str, body: bytes, content_type: str, timeout: float) -> tuple[int, bytes]:
    """POST ``body`` to ``target``: (status, answer). Over a kept-alive connection when no
    proxy is configured for it; a kept connection the server has meanwhile closed (it
    restarted, or its idle timeout passed) is replaced once by a new one. Sending a bundle
    twice is harmless: the county recognises a bundle it has seen."""
    parts = urllib.parse.urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a server address: {target}")
    if _proxied(parts):
        return _send_by_urllib(target, body, content_type, timeout)
    key = (parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    where = parts.path + (f"?{parts.query}" if parts.query else "")
    for attempt in range(2):
        conn, reused = _take(key, timeout)
        try:
            conn.request("POST", where, body=body, headers={"Content-Type": content_type})
            response = conn.getresponse()
            answer = response.read()
        except (ConnectionError, http.client.BadStatusLine):
            conn.close()
            if reused and attempt == 0:
                continue
            raise
        except BaseException:
            conn.close()
            raise
        if response.will_close:
            conn.close()
        else:
            _give_back(key, conn)
        return response.status, answer
    raise AssertionError("unreachable")


def _take(key: tuple[str, str, int], timeout: float) -> tuple[http.client.HTTPConnection, bool]:
    with _idle_lock:
        conn = _idle.pop(key, None)
    if conn is not None:
        if not _dropped(conn):
            conn.timeout = timeout
            conn.sock.settimeout(timeout)
            return conn, True
        conn.close()
    scheme, host, port = key
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    return kind(host, port, timeout=timeout), False


def _give_back(key: tuple[str, str, int], conn: http.client.HTTPConnection) -> None:
    with _idle_lock:
        older = _idle.pop(key, None)
        _idle[key] = conn
    if older is not None:
        older.close()


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """Whether the server closed an idle connection: an idle one has nothing to read
    unless the server ended it."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def close_connections() -> None:
    """Close the kept-alive connections (a test, or a program about to exit)."""
    with _idle_lock:
        idle = list(_idle.values())
        _idle.clear()
    for conn in idle:
        conn.close()


def _proxied(parts: urllib.parse.SplitResult) -> bool:
    """Whether the system's proxy settings (environment; on Windows, the registry) apply
    to this server, as urllib would use them."""
    proxies = urllib.request.getproxies()
    return parts.scheme in proxies and not urllib.request.proxy_bypass(parts.netloc)


def _send_by_urllib(target: str, body: bytes, content_type: str,
                    timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(target, data=body, method="POST",
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise exc.reason from exc
        raise


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
    clerk, noted = station.actor, []

    def note(receipt: Receipt) -> None:
        # the history row goes in with the county's answer: one durable commit less a sync
        if not receipt.mismatched:  # else the differing records go out first
            write_history(station.conn, clerk, "network", True, receipt, summary(station, receipt))
            noted.append(receipt)

    try:
        for attempt in range(2):
            try:
                receipt = _round(station, url, progress, check=digest_due(station), note=note)
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
    if not noted:
        record_history(station, "network", True, receipt, summary(station, receipt))
    return receipt


def digest_due(station: Station) -> bool:
    """Both sides are compared after the first network sync of a day (it reads every
    record, about a second per 50,000)."""
    last = station.scalar("SELECT digest_at FROM sync_state")
    return not last or last[:10] < now_iso()[:10]


def _round(station: Station, url: str, progress: Progress | None,
           check: bool = False, note: Callable[[Receipt], None] | None = None) -> Receipt:
    """Bundles of a network round stay in memory: what must be durable are the two
    databases' commits, and a round that breaks off is simply sent again."""
    if progress:
        progress("正在打包本站的变更…", 0)
    body, changes = produce_bytes(station, progress=lambda n: progress and progress(
        "正在打包本站的变更…", n), with_digest=check)
    if progress:
        progress("正在发送到县里…", changes)
    answer = _post(url, "/api/v1/sync", body, "application/octet-stream")
    if progress:
        progress("正在导入县里的数据…", 0)
    return consume_bundle(station, answer, Receipt(sent=changes), before_commit=note)


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
    record_history(station, "usb-in", True, receipt, summary(station, receipt))
    return receipt


def summary(station: Station, receipt: Receipt) -> str:
    """What a sync did, for its history row and the command line (refused records named)."""
    if receipt.message:
        return receipt.message
    parts = [f"发出 {receipt.sent} 条", f"收到 {receipt.received} 条"]
    if receipt.conflicts:
        parts.append(f"新冲突 {receipt.conflicts} 条")
    if receipt.rejected:
        parts.append(history.rejected_text(station, receipt.rejected))
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
