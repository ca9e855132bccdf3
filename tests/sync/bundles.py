"""Making altered bundle files: what an attacker, a bad stick or an old program produces."""

import json
import zipfile
from pathlib import Path

from sync.keys import KeyPair


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_entries(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, blob in files.items():
            zf.writestr(name, blob)
    return path


def resign(source: Path, out: Path, key: KeyPair | None, **changes) -> Path:
    """A copy of ``source`` with manifest fields changed, signed again by ``key`` (or left
    with the old signature when ``key`` is None)."""
    files = entries(source)
    manifest = json.loads(files["manifest.json"])
    manifest.update(changes)
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
    if key is not None:
        files["manifest.sig"] = key.sign.sign(files["manifest.json"])
    return write_entries(out, files)


def flip_byte(source: Path, out: Path, offset: int) -> Path:
    data = bytearray(source.read_bytes())
    data[offset % len(data)] ^= 0x01
    out.write_bytes(bytes(data))
    return out
