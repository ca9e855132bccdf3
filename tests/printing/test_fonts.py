"""Font discovery: search order, rejected fonts and the clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing import fonts
from printing.fonts import FontNotFoundError, cjk_font_name, font_path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _real_font() -> Path:
    """The font the normal search finds on this machine."""
    return font_path()


def test_registers_a_truetype_cjk_font():
    assert cjk_font_name() == fonts.FAMILY
    path = font_path()
    assert path.is_file()
    assert path.suffix.lower() in (".ttf", ".ttc")
    assert fonts.has_glyph("张") and fonts.has_glyph("页")


def test_env_var_wins(fresh_font_search, tmp_path):
    real = _real_font()
    fonts.reset_for_tests()
    link = tmp_path / ("chosen" + real.suffix)
    link.symlink_to(real)
    fresh_font_search.setenv(fonts.ENV_VAR, str(link))
    assert font_path() == link
    assert cjk_font_name() == fonts.FAMILY


def test_bundled_folder_wins_over_system(fresh_font_search, tmp_path):
    real = _real_font()
    fonts.reset_for_tests()
    bundled = tmp_path / "fonts"
    bundled.mkdir()
    (bundled / ("a-bundled" + real.suffix)).symlink_to(real)
    fresh_font_search.delenv(fonts.ENV_VAR, raising=False)
    fresh_font_search.setattr(fonts, "BUNDLED_DIR", bundled)
    assert font_path() == bundled / ("a-bundled" + real.suffix)


def test_env_var_pointing_nowhere_falls_back(fresh_font_search, tmp_path):
    real = _real_font()
    fonts.reset_for_tests()
    fresh_font_search.setenv(fonts.ENV_VAR, str(tmp_path / "missing.ttf"))
    assert font_path() == real


def test_no_font_anywhere_raises_clear_error(fresh_font_search, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    fresh_font_search.setenv(fonts.ENV_VAR, str(tmp_path / "nowhere" / "font.ttf"))
    fresh_font_search.setattr(fonts, "BUNDLED_DIR", empty)
    fresh_font_search.setattr(fonts, "system_candidates", lambda: [])
    with pytest.raises(FontNotFoundError) as info:
        cjk_font_name()
    message = str(info.value)
    assert "中文字体" in message and "文泉驿正黑" in message and fonts.ENV_VAR in message
    assert isinstance(info.value, Exception)


def test_cff_and_latin_fonts_are_skipped(fresh_font_search, tmp_path):
    """An OpenType/CFF font (OTTO header) and a Latin-only font are passed over."""
    real = _real_font()
    fonts.reset_for_tests()
    bundled = tmp_path / "fonts"
    bundled.mkdir()
    (bundled / "a-noto.otf").write_bytes(b"OTTO" + b"\0" * 64)
    (bundled / "b-cff-named-ttf.ttf").write_bytes(b"OTTO" + b"\0" * 64)
    (bundled / "c-garbage.ttc").write_bytes(b"not a font at all")
    if DEJAVU.is_file():
        (bundled / "d-latin.ttf").symlink_to(DEJAVU)
    fresh_font_search.delenv(fonts.ENV_VAR, raising=False)
    fresh_font_search.setattr(fonts, "BUNDLED_DIR", bundled)
    assert font_path() == real


def test_only_cff_fonts_means_not_found(fresh_font_search, tmp_path):
    bundled = tmp_path / "fonts"
    bundled.mkdir()
    (bundled / "NotoSansCJK-Regular.ttc").write_bytes(b"OTTO" + b"\0" * 64)
    fresh_font_search.delenv(fonts.ENV_VAR, raising=False)
    fresh_font_search.setattr(fonts, "BUNDLED_DIR", bundled)
    fresh_font_search.setattr(fonts, "system_candidates", lambda: [])
    with pytest.raises(FontNotFoundError):
        cjk_font_name()


def test_windows_candidates_follow_windir(monkeypatch, tmp_path):
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    paths = [c.path for c in fonts._windows_candidates()]
    assert paths[0] == tmp_path / "Windows" / "Fonts" / "simsun.ttc"
    names = [p.name for p in paths]
    assert names.index("simhei.ttf") < names.index("msyh.ttc")
