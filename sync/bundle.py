"""The bundle file: one zip that travels by USB stick or HTTP.

    manifest.json   routing and part hashes (plain, signed): format, protocol, schema,
                    bundle id, from, to, the content key wrapped for the recipient
    manifest.sig    Ed25519 signature over manifest.json by the sender's enrolled key
    part-NNNN.bin   zlib-compressed JSON lines, encrypted with AES-256-GCM

The first part is the header (sequence ranges, acknowledgements, …); the others hold
records. The reader checks the signature against the key it knows for the sender before
it decrypts anything, and refuses with one Chinese sentence whatever is wrong.
"""

import collections
import concurrent.futures
import hashlib
import io
import json
import os
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from db import migrations

from . import PROTOCOL
from .errors import BundleRefused
from .keys import _RAW, KeyPair, PublicKeys

FORMAT = "jobstation-bundle"
RECORDS_PER_PART = 5000
MAX_PART_BYTES = 64 * 1024 * 1024      # after decompression
MAX_MANIFEST_BYTES = 1024 * 1024

NOT_A_BUNDLE = "这不是本程序的同步数据包，或文件已损坏。"
TAMPERED = "数据包已被改动或已损坏，已拒绝导入。请重新导出后再试。"


@dataclass
class Bundle:
    """What a bundle carries once opened (or is about to carry when written)."""

    sender: str
    recipient: str
    header: dict
    records: Iterable = field(default_factory=list)  # dicts, or JSON text when writing
    bundle_id: str = ""
    manifest: dict = field(default_factory=dict)


def _wrap_key(content_key: bytes, recipient: PublicKeys, bundle_id: str) -> dict:
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(recipient.kex_key())
    wrapping = _derive(shared, bundle_id)
    nonce = os.urandom(12)
    return {
        "eph": ephemeral.public_key().public_bytes(*_RAW).hex(),
        "nonce": nonce.hex(),
        "key": AESGCM(wrapping).encrypt(nonce, content_key, bundle_id.encode()).hex(),
    }


def _unwrap_key(wrapped: dict, mine: KeyPair, bundle_id: str) -> bytes:
    shared = mine.kex.exchange(X25519PublicKey.from_public_bytes(bytes.fromhex(wrapped["eph"])))
    return AESGCM(_derive(shared, bundle_id)).decrypt(
        bytes.fromhex(wrapped["nonce"]), bytes.fromhex(wrapped["key"]), bundle_id.encode())


def _derive(shared: bytes, bundle_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"jobstation-bundle-key:" + bundle_id.encode()).derive(shared)


def _chunks(records: Iterable[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= RECORDS_PER_PART:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _seal(aes: AESGCM, payload: list | dict, bundle_id: str, name: str) -> bytes:
    """Encrypt one part; records may come already encoded as JSON text."""
    return _seal_text(aes, _part_text(payload), bundle_id, name)


def _part_text(payload: list | dict) -> bytes:
    if isinstance(payload, dict):
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    else:
        text = "\n".join(r if isinstance(r, str) else
                         json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                         for r in payload)
    return text.encode()


def _seal_text(aes: AESGCM, text: bytes, bundle_id: str, name: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + aes.encrypt(nonce, zlib.compress(text, 6), f"{bundle_id}/{name}".encode())


def _sealed_parts(aes: AESGCM, records: Iterable, bundle_id: str,
                  progress: Callable[[int], None] | None) -> Iterator[tuple[str, bytes, int]]:
    """The record parts, sealed. From the second part on, a part is compressed and
    encrypted on a thread of its own while the next is read and written out as text:
    zlib lets go of the interpreter while it compresses, so a big bundle takes both cores
    (compression was a third of a first sync's export)."""
    waiting: collections.deque = collections.deque()
    pool = None
    written = 0
    try:
        for number, chunk in enumerate(_chunks(records), start=1):
            name = f"part-{number:04d}.bin"
            text = _part_text(chunk)
            if number == 1:
                sealed = _seal_text(aes, text, bundle_id, name)
                waiting.append((name, None, sealed, len(chunk)))
            else:
                pool = pool or concurrent.futures.ThreadPoolExecutor(1, "bundle-seal")
                waiting.append((name, pool.submit(_seal_text, aes, text, bundle_id, name),
                                None, len(chunk)))
            written += len(chunk)
            if progress:
                progress(written)
            while len(waiting) > 2 or (waiting and waiting[0][1] is None):
                yield _done(waiting.popleft())
        while waiting:
            yield _done(waiting.popleft())
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def _done(entry) -> tuple[str, bytes, int]:
    name, future, sealed, count = entry
    return name, sealed if future is None else future.result(), count


def write_bundle(path: Path, bundle: Bundle, sender_keys: KeyPair, recipient: PublicKeys,
                 *, extra_manifest: dict | None = None,
                 progress: Callable[[int], None] | None = None) -> Path:
    """Write ``bundle`` to ``path`` atomically (temp file, fsync, rename), then read it back
    and check it. Returns ``path``."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "wb") as raw:
        _assemble(raw, bundle, sender_keys, recipient, extra_manifest, progress)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    verify_written(path, sender_keys.public)
    return path


def bundle_bytes(bundle: Bundle, sender_keys: KeyPair, recipient: PublicKeys, *,
                 extra_manifest: dict | None = None,
                 progress: Callable[[int], None] | None = None) -> bytes:
    """``bundle`` as bytes, for a network request: no file, checked as a written one is."""
    raw = io.BytesIO()
    _assemble(raw, bundle, sender_keys, recipient, extra_manifest, progress)
    made = raw.getvalue()
    verify_written(made, sender_keys.public)
    return made


def _assemble(raw, bundle: Bundle, sender_keys: KeyPair, recipient: PublicKeys,
              extra_manifest: dict | None, progress: Callable[[int], None] | None) -> None:
    bundle_id = bundle.bundle_id or str(uuid.uuid4())
    content_key = AESGCM.generate_key(bit_length=256)
    aes = AESGCM(content_key)
    parts: list[tuple[str, bytes, int]] = [
        ("part-0000.bin", _seal(aes, bundle.header, bundle_id, "part-0000.bin"), 0)]
    parts.extend(_sealed_parts(aes, bundle.records, bundle_id, progress))
    manifest = {
        "format": FORMAT, "protocol": PROTOCOL, "schema": migrations.latest(),
        "id": bundle_id, "from": bundle.sender, "to": bundle.recipient,
        "wrapped": _wrap_key(content_key, recipient, bundle_id),
        "parts": [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b),
                   "records": r} for n, b, r in parts],
        **(extra_manifest or {}),
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
    signature = sender_keys.sign.sign(manifest_bytes)
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.sig", signature)
        for name, blob, _ in parts:
            zf.writestr(name, blob)
    bundle.bundle_id = bundle_id
    bundle.manifest = manifest


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows has no directory handles to fsync
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify_written(path: Path, sender: PublicKeys) -> None:
    """Re-read a bundle just written: signature and every part's hash must match."""
    with _open_zip(path) as zf:
        manifest_bytes, manifest = _manifest(zf)
        _check_signature(zf, manifest_bytes, sender)
        _check_parts(zf, manifest)


def peek(path: Path) -> dict:
    """The manifest of a bundle, unverified: only to find out who sent it."""
    with _open_zip(path) as zf:
        return _manifest(zf)[1]


def read_bundle(path: Path, sender_key: Callable[[dict], PublicKeys], mine: KeyPair,
                my_id: str) -> Bundle:
    """Open and check a bundle addressed to ``my_id``, with every record decoded.

    ``sender_key(manifest)`` returns the enrolled keys of the sender the manifest names
    (or raises BundleRefused). Order of checks: readable, signed by that sender, meant for
    us, a protocol we speak, parts intact; only then is anything decrypted.
    """
    opened = open_bundle(path, sender_key, mine, my_id)
    opened.records = list(opened.records)
    return opened


def open_bundle(path: Path | bytes, sender_key: Callable[[dict], PublicKeys], mine: KeyPair,
                my_id: str) -> Bundle:
    """As :func:`read_bundle`, but the records are read part by part while they are iterated
    (:class:`Parts`), so a big bundle is never held in memory whole. The checks before
    decrypting are the same; a part damaged after them is refused as it is reached."""
    with _open_zip(path) as zf:
        manifest_bytes, manifest = _manifest(zf)
        _check_signature(zf, manifest_bytes, sender_key(manifest))
        if manifest.get("to") != my_id:
            raise BundleRefused("这个数据包不是发给本站（本县）的，请确认U盘上的文件。",
                                "wrong_recipient")
        check_versions(manifest)
        _check_parts(zf, manifest)
        try:
            key = _unwrap_key(manifest["wrapped"], mine, manifest["id"])
            first = manifest["parts"][0]
            header = json.loads(_open_part(AESGCM(key), zf.read(first["name"]), manifest["id"],
                                           first["name"]))
        except (InvalidTag, ValueError, KeyError, TypeError, zlib.error) as exc:
            raise BundleRefused(TAMPERED, "tampered") from exc
    if not isinstance(header, dict):
        raise BundleRefused(TAMPERED, "tampered")
    source = path if isinstance(path, bytes) else Path(path)
    return Bundle(manifest["from"], manifest["to"], header, Parts(source, manifest, key),
                  manifest["id"], manifest)


class Parts:
    """The records of an opened bundle, decrypted one part at a time on each iteration.
    Every part's hash is checked again as it is read (the file may have changed since it
    was opened), and anything that does not decode is refused as tampered."""

    def __init__(self, path: Path, manifest: dict, key: bytes):
        self.path = path
        self.manifest = manifest
        self._key = key

    @property
    def count(self) -> int:
        """How many records the sender says the parts hold (signed, but only a hint)."""
        counts = [p.get("records") for p in self.manifest["parts"][1:]]
        return sum(c for c in counts if isinstance(c, int) and not isinstance(c, bool))

    def __iter__(self) -> Iterator[dict]:
        aes = AESGCM(self._key)
        with _open_zip(self.path) as zf:
            for part in self.manifest["parts"][1:]:
                yield from self._part(zf, aes, part)

    def _part(self, zf: zipfile.ZipFile, aes: AESGCM, part: dict) -> list[dict]:
        try:
            blob = zf.read(part["name"])
            if hashlib.sha256(blob).hexdigest() != part["sha256"]:
                raise BundleRefused(TAMPERED, "tampered")
            payload = _open_part(aes, blob, self.manifest["id"], part["name"])
            records = [json.loads(line) for line in payload.splitlines() if line]
        except BundleRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged part is a damaged bundle
            raise BundleRefused(TAMPERED, "tampered") from exc
        if not all(isinstance(r, dict) for r in records):
            raise BundleRefused(TAMPERED, "tampered")
        return records


MAX_NUMBER = 2**62


def numbers(header: dict, *names: str, default: int = 0) -> list[int]:
    """Whole numbers a bundle's header gives for ``names`` (``default`` when absent);
    anything else means the bundle was made wrongly, and it is refused."""
    found = []
    for name in names:
        value = header.get(name)
        if value is None:
            value = default
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_NUMBER:
            raise BundleRefused(TAMPERED, "tampered")
        found.append(value)
    return found


def listed(header: dict, name: str) -> list:
    """A list a bundle's header gives for ``name`` (empty when absent), or refused."""
    value = header.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BundleRefused(TAMPERED, "tampered")
    return value


UPGRADE_SELF = "数据包来自更新版本的程序，请先升级本程序再导入（数据包已保留，未导入任何内容）。"
UPGRADE_PEER = "数据包来自旧版本的程序，请对方升级程序后重新导出（未导入任何内容）。"


def check_versions(manifest: dict) -> None:
    """Refuse a bundle from a program too old or too new, saying which side to upgrade."""
    protocol, schema = manifest.get("protocol"), manifest.get("schema")
    if not isinstance(protocol, int) or not isinstance(schema, str):
        raise BundleRefused(TAMPERED, "tampered")
    if protocol > PROTOCOL or schema not in migrations.NAMES:
        raise BundleRefused(UPGRADE_SELF, "upgrade_self")
    if protocol < PROTOCOL or schema != migrations.latest():
        raise BundleRefused(UPGRADE_PEER, "upgrade_peer")


def _open_zip(path: Path | bytes) -> zipfile.ZipFile:
    """A bundle file, or a bundle's bytes (a network request's)."""
    try:
        return zipfile.ZipFile(io.BytesIO(path) if isinstance(path, bytes) else path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError) as exc:  # e.g. a damaged "version needed" field
        raise BundleRefused(NOT_A_BUNDLE, "unreadable") from exc


def _manifest(zf: zipfile.ZipFile) -> tuple[bytes, dict]:
    try:
        info = zf.getinfo("manifest.json")
        if info.file_size > MAX_MANIFEST_BYTES:
            raise BundleRefused(NOT_A_BUNDLE, "unreadable")
        raw = zf.read(info)
        manifest = json.loads(raw)
    except BundleRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any damage means: not a bundle
        raise BundleRefused(NOT_A_BUNDLE, "unreadable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleRefused(NOT_A_BUNDLE, "unreadable")
    for key, kind in (("id", str), ("from", str), ("to", str), ("parts", list),
                      ("wrapped", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BundleRefused(TAMPERED, "tampered")
    return raw, manifest


def _check_signature(zf: zipfile.ZipFile, manifest_bytes: bytes, sender: PublicKeys) -> None:
    try:
        signature = zf.read("manifest.sig")
        sender.verifier().verify(signature, manifest_bytes)
    except (InvalidSignature, KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError,
            RuntimeError, NotImplementedError, zlib.error) as exc:  # any unreadable entry
        raise BundleRefused("数据包的签名不对：它不是由登记的服务站（县里）签发的，或已被改动，"
                            "已拒绝导入。", "bad_signature") from exc


def _check_parts(zf: zipfile.ZipFile, manifest: dict) -> None:
    try:
        for part in manifest["parts"]:
            blob = zf.read(part["name"])
            if hashlib.sha256(blob).hexdigest() != part["sha256"]:
                raise BundleRefused(TAMPERED, "tampered")
    except BundleRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged zip entry is a damaged bundle
        raise BundleRefused(TAMPERED, "tampered") from exc
    if not manifest["parts"]:
        raise BundleRefused(TAMPERED, "tampered")


def _open_part(aes: AESGCM, blob: bytes, bundle_id: str, name: str) -> str:
    plain = aes.decrypt(blob[:12], blob[12:], f"{bundle_id}/{name}".encode())
    inflater = zlib.decompressobj()
    text = inflater.decompress(plain, MAX_PART_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("part too large")
    return text.decode()
