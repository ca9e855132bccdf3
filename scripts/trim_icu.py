"""A smaller ICU data library for the Linux bundle (build.spec uses it).

PySide6's Linux wheels link Qt against ICU, whose data library (libicudata.so.NN) is 31 MB:
every locale's names of languages, regions, currencies, units and time zones, 200 legacy
code pages, dictionaries for Thai/Lao/Khmer/Burmese/CJK word breaking. Qt reads from ICU
only collation (QCollator, locale-aware sorting), code-page conversion (QStringConverter)
and case mapping; Qt's own CLDR tables give its locale names. This keeps the core data,
the Chinese and English locales, the Chinese code pages (GB18030, GBK, GB2312), and drops
the rest, then writes the data back as a shared library with the same soname and symbol
(assembled with binutils, which PyInstaller needs on Linux anyway).

Windows wheels carry no ICU, so nothing happens there.

    python scripts/trim_icu.py LIBICUDATA OUT_DIR     # write OUT_DIR/libicudata.so.NN
"""

import re
import struct
import subprocess
import sys
from pathlib import Path

# Items named "<category>/..." dropped whole: display names and formats Qt never asks ICU for.
DROPPED_CATEGORIES = {"curr", "lang", "region", "unit", "zone", "rbnf", "translit"}
KEPT_LANGUAGES = {"zh", "en"}
# GB18030, GBK (windows-936 extends ibm-1386), GB2312 (EUC-CN) and its ISO-IR-165 superset.
KEPT_CODE_PAGES = {"gb18030", "windows-936-2000", "ibm-1386_P100-2001", "ibm-1383_P110-1999",
                   "ibm-5478_P100-1995", "iso-ir-165"}
LOCALE_ITEM = re.compile(r"(?:\w+/)?([a-z]{2,3})(?:_\w+)?\.res")
NOT_LOCALES = {"res_index.res", "pool.res", "root.res"}


def keep_item(name: str) -> bool:
    """Whether an item (``coll/zh.res``, ``gb18030.cnv``, ...) stays in the data."""
    category, _, leaf = name.rpartition("/")
    if category in DROPPED_CATEGORIES:
        return False
    if leaf.endswith(".cnv"):
        return leaf[:-4] in KEPT_CODE_PAGES
    if leaf.endswith(".dict"):  # word-break dictionaries for scripts without spaces
        return False
    locale = LOCALE_ITEM.fullmatch(name)
    if locale and leaf not in NOT_LOCALES:
        return locale.group(1) in KEPT_LANGUAGES
    return True


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split an ICU common-data package ("CmnD") into its header and (name, item) pairs."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD" or data[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = header_size
    count = struct.unpack_from("<I", data, toc)[0]
    entries = [struct.unpack_from("<II", data, toc + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(data)
        name = data[toc + name_at:data.index(b"\0", toc + name_at)].decode("ascii")
        items.append((name, data[toc + data_at:toc + end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package back as bytes: table of contents, names, then 16-byte aligned items."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    names_at, offset = table_size, table_size + len(names)
    offset += -offset % 16
    table, body = [struct.pack("<I", len(items))], []
    name_offset = names_at
    for name, item in items:
        table.append(struct.pack("<II", name_offset, offset))
        name_offset += len(name) + 1
        padded = item + b"\0" * (-len(item) % 16)
        body.append(padded)
        offset += len(padded)
    toc = b"".join(table) + names
    return header + toc + b"\0" * (-len(toc) % 16) + b"".join(body)


def data_symbol(library: Path) -> tuple[str, int, int]:
    """Name, file offset and size of the ``icudtNN_dat`` symbol in the library."""
    symbols = subprocess.run(["readelf", "--dyn-syms", "-W", str(library)], check=True,
                             capture_output=True, text=True).stdout
    found = re.search(r"\s([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+OBJECT\s+GLOBAL\s+\w+\s+\d+\s+"
                      r"(icudt\d+_dat)$", symbols, re.M)
    if not found:
        raise ValueError(f"{library} holds no icudtNN_dat symbol")
    address, size, name = int(found.group(1), 16), int(found.group(2), 0), found.group(3)
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], check=True,
                              capture_output=True, text=True).stdout
    rodata = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)", sections)
    return name, address - int(rodata.group(1), 16) + int(rodata.group(2), 16), size


def link_library(package: bytes, symbol: str, soname: str, out_dir: Path) -> Path:
    """A shared library exporting ``symbol`` as the (16-byte aligned) package bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "icudata.dat").write_bytes(package)
    (out_dir / "icudata.s").write_text(
        f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n'
        f'{symbol}:\n.incbin "icudata.dat"\n.size {symbol}, . - {symbol}\n'
        '.section .note.GNU-stack,"",@progbits\n')
    subprocess.run(["as", "-o", "icudata.o", "icudata.s"], cwd=out_dir, check=True)
    subprocess.run(["ld", "-shared", "-soname", soname, "-o", soname, "icudata.o"],
                   cwd=out_dir, check=True)
    return out_dir / soname


def trim_library(library: Path, out_dir: Path) -> Path:
    """Write a trimmed copy of ``library`` (libicudata.so.NN) into ``out_dir``."""
    symbol, offset, size = data_symbol(library)
    raw = library.read_bytes()[offset:offset + size]
    header, items = read_package(raw)
    kept = [(name, item) for name, item in items if keep_item(name.split("/", 1)[1])]
    return link_library(write_package(header, kept), symbol, library.name, out_dir)


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    out = trim_library(source, target)
    print(f"{source.stat().st_size / 1e6:.1f} MB -> {out.stat().st_size / 1e6:.1f} MB: {out}")
