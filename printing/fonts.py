"""Find a CJK TrueType font and register it with reportlab, embedded.

Search order:

1. the environment variable ``JOBSTATION_FONT`` (a path to a .ttf/.ttc file);
2. the bundled folder ``printing/fonts/`` (any .ttf/.ttc there, by name);
3. well-known system fonts of Windows, Linux and macOS.

Only TrueType outlines are accepted: reportlab refuses CFF/OpenType fonts such as
Noto Sans CJK (``.otf`` or CFF ``.ttc``), so those are skipped. The non-embedded CID
font ``STSong-Light`` is never used: a PDF relying on it prints blank pages on a PC
without Chinese fonts.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

FAMILY = "JobstationCJK"
ENV_VAR = "JOBSTATION_FONT"
BUNDLED_DIR = Path(__file__).resolve().parent / "fonts"

# Characters every accepted font must be able to draw (a Latin-only font would
# otherwise be embedded and print empty boxes).
_PROBE_CHARS = "中文第页共人年月日盖章姓名"
_FONT_SUFFIXES = (".ttf", ".ttc")


class FontNotFoundError(Exception):
    """No usable Chinese TrueType font was found on this computer."""

    def __init__(self, tried: list[str] | None = None) -> None:
        self.tried = list(tried or [])
        super().__init__(
            "找不到可用的中文字体，无法生成 PDF。请安装中文 TrueType 字体"
            "（如 文泉驿正黑 fonts-wqy-zenhei、宋体 simsun.ttc 或 黑体 simhei.ttf），"
            f"或将环境变量 {ENV_VAR} 设为字体文件（.ttf/.ttc）的路径。"
        )


@dataclass(frozen=True)
class FontCandidate:
    """A font file to try, with the face index inside a .ttc collection."""

    path: Path
    subfont_index: int = 0


@dataclass(frozen=True)
class _Registered:
    candidate: FontCandidate
    font: TTFont


_lock = threading.Lock()
_registered: _Registered | None = None


def _windows_candidates() -> list[FontCandidate]:
    """Chinese fonts shipped with Windows (SimSun, SimHei, Microsoft YaHei)."""
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    dirs = [Path(windir) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    names = ["simsun.ttc", "simhei.ttf", "msyh.ttc", "msyh.ttf", "simkai.ttf", "simfang.ttf"]
    return [FontCandidate(d / n) for d in dirs for n in names]


def _linux_candidates() -> list[FontCandidate]:
    """WenQuanYi and AR PL fonts at their Debian/Ubuntu and Fedora locations."""
    paths = [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/arphic/ukai.ttc",
        "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    ]
    return [FontCandidate(Path(p)) for p in paths]


def _macos_candidates() -> list[FontCandidate]:
    """Heiti and Arial Unicode on macOS."""
    found: list[FontCandidate] = []
    for folder in (Path("/System/Library/Fonts"), Path("/System/Library/Fonts/Supplemental")):
        if folder.is_dir():
            found.extend(FontCandidate(p) for p in sorted(folder.glob("STHeiti*")))
    for p in ("/Library/Fonts/Arial Unicode.ttf",
              "/System/Library/Fonts/Supplemental/Arial Unicode.ttf"):
        found.append(FontCandidate(Path(p)))
    return found


def system_candidates() -> list[FontCandidate]:
    """Well-known system font files for the current platform, preferred first."""
    if sys.platform.startswith("win"):
        return _windows_candidates()
    if sys.platform == "darwin":
        return _macos_candidates() + _linux_candidates()
    return _linux_candidates()


def bundled_candidates(folder: Path | None = None) -> list[FontCandidate]:
    """TrueType files placed in the bundled font folder, sorted by file name."""
    folder = BUNDLED_DIR if folder is None else folder
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in _FONT_SUFFIXES)
    return [FontCandidate(p) for p in files]


def candidates() -> list[FontCandidate]:
    """All font files to try, in search order (environment, bundled, system)."""
    found: list[FontCandidate] = []
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        found.append(FontCandidate(Path(env).expanduser()))
    found.extend(bundled_candidates())
    found.extend(system_candidates())
    return found


def _load(candidate: FontCandidate) -> TTFont | None:
    """Parse one candidate; return None (and log why) when it cannot be used."""
    path = candidate.path
    if not path.is_file():
        return None
    if path.suffix.lower() == ".otf":
        log.info("skipping OpenType/CFF font %s", path)
        return None
    try:
        font = TTFont(FAMILY, str(path), subfontIndex=candidate.subfont_index)
    except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
        # CFF outlines ("postscript outlines are not supported"), no embedding
        # permission, corrupt files ...
        log.info("skipping font %s: %s", path, exc)
        return None
    char_to_glyph = font.face.charToGlyph
    missing = [ch for ch in _PROBE_CHARS if ord(ch) not in char_to_glyph]
    if missing:
        log.info("skipping font %s: no glyphs for %s", path, "".join(missing))
        return None
    return font


def _find() -> _Registered:
    """Return the first usable candidate or raise FontNotFoundError."""
    tried: list[str] = []
    env = os.environ.get(ENV_VAR, "").strip()
    for candidate in candidates():
        tried.append(str(candidate.path))
        font = _load(candidate)
        if font is not None:
            return _Registered(candidate, font)
        if env and candidate.path == Path(env).expanduser():
            log.warning("%s=%s is not a usable TrueType CJK font", ENV_VAR, env)
    raise FontNotFoundError(tried)


def _ensure_registered() -> _Registered:
    """Register the font family once per process (thread-safe)."""
    global _registered
    with _lock:
        if _registered is None:
            found = _find()
            pdfmetrics.registerFont(found.font)
            # One face only: map bold/italic to it so <b>/<i> markup never fails.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FAMILY, bold, italic, FAMILY)
            _registered = found
            log.info("registered CJK font %s", found.candidate.path)
        return _registered


def cjk_font_name() -> str:
    """Register the CJK font (once) and return its reportlab font name."""
    return _ensure_registered().font.fontName


def font_path() -> Path:
    """Return the file of the registered CJK font (registering it if needed)."""
    return _ensure_registered().candidate.path


def has_glyph(char: str) -> bool:
    """Tell whether the registered CJK font can draw ``char``."""
    return ord(char) in _ensure_registered().font.face.charToGlyph


def reset_for_tests() -> None:
    """Forget the registered font so a test can search again.

    reportlab keeps the old font object under the family name until the next
    successful registration replaces it.
    """
    global _registered
    with _lock:
        _registered = None
