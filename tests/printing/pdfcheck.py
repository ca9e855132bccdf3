"""Helpers to read PDFs back: text per page, embedded fonts, rendering with pdftoppm."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

PDFTOPPM = shutil.which("pdftoppm")


def reader(pdf: bytes) -> PdfReader:
    """A pypdf reader over PDF bytes."""
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Extracted text of every page."""
    return [page.extract_text() or "" for page in reader(pdf).pages]


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def page_fonts(pdf: bytes) -> list[DictionaryObject]:
    """Every font dictionary used by any page (including form XObjects)."""
    fonts: dict[int, DictionaryObject] = {}

    def walk(resources) -> None:
        resources = _resolve(resources)
        if not resources:
            return
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            fonts[id(font)] = font
        for xobj in (_resolve(resources.get("/XObject")) or {}).values():
            xobj = _resolve(xobj)
            if xobj.get("/Subtype") == "/Form":
                walk(xobj.get("/Resources"))

    for page in reader(pdf).pages:
        walk(page.get("/Resources"))
    return list(fonts.values())


def font_is_embedded(font: DictionaryObject) -> bool:
    """True when the font (or its CID descendant) carries a FontFile/2/3 stream."""
    font = _resolve(font)
    if "/DescendantFonts" in font:
        return all(font_is_embedded(_resolve(d)) for d in _resolve(font["/DescendantFonts"]))
    desc = _resolve(font.get("/FontDescriptor"))
    if desc is None:
        return False
    return any(key in desc for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def no_font_env(tmp: Path) -> dict[str, str]:
    """Environment for pdftoppm where fontconfig knows no font directory at all."""
    cache = tmp / "fc-cache"
    cache.mkdir(parents=True, exist_ok=True)
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{cache}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(conf)
    env.pop("FONTCONFIG_PATH", None)
    return env


def parse_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit gray pixels of a binary PGM (P5) image."""
    data = re.sub(rb"#[^\n]*\n", b"\n", data[:200]) + data[200:]  # strip header comments
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert m, "not a binary PGM"
    width, height, maxval = (int(g) for g in m.groups())
    assert maxval < 256
    pixels = data[m.end():m.end() + width * height]
    assert len(pixels) == width * height
    return width, height, pixels


def render_gray(pdf: bytes, tmp: Path, page: int = 1, dpi: int = 40,
                env: dict[str, str] | None = None) -> tuple[int, int, bytes]:
    """Render one page with pdftoppm to gray pixels."""
    assert PDFTOPPM, "pdftoppm is not installed"
    tmp.mkdir(parents=True, exist_ok=True)
    src = tmp / "in.pdf"
    src.write_bytes(pdf)
    out = tmp / f"page{page}"
    subprocess.run(
        [PDFTOPPM, "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
         str(src), str(out)],
        check=True, env=env, capture_output=True, timeout=120,
    )
    return parse_pgm((tmp / f"page{page}.pgm").read_bytes())


def dark_pixels(pixels: bytes, threshold: int = 200) -> int:
    """How many pixels are darker than ``threshold`` (0 black .. 255 white)."""
    return sum(1 for p in pixels if p < threshold)
