"""Rendering with poppler's pdftoppm, also as on a PC without any Chinese font."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import cjk_font_name
from printing.lists import render_person_list
from printing.person_summary import render_person_summary

from .pdfcheck import PDFTOPPM, dark_pixels, no_font_env, render_gray
from .samples import LIST_COLUMNS, PRINTED_ON, STATION

pytestmark = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")

CHINESE = "张三丰就业服务站盖章"


def _chinese_only_pdf(font: str) -> bytes:
    """A page with nothing on it but large Chinese text in ``font``."""
    from io import BytesIO
    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(font, 40)
    canvas.drawString(60, 700, CHINESE)
    canvas.save()
    return buffer.getvalue()


def test_no_font_environment_has_no_fonts(tmp_path):
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.skip("fc-list is not installed")
    out = subprocess.run([fc_list], env=no_font_env(tmp_path), capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == ""


def test_non_embedded_cid_font_is_blank_without_fonts(tmp_path):
    """Control: the simulation really hides system fonts (STSong-Light draws nothing)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = _chinese_only_pdf("STSong-Light")
    _w, _h, pixels = render_gray(pdf, tmp_path / "r", env=no_font_env(tmp_path))
    assert dark_pixels(pixels) == 0


def test_embedded_chinese_text_draws_without_system_fonts(tmp_path):
    pdf = _chinese_only_pdf(cjk_font_name())
    _w, _h, with_fonts = render_gray(pdf, tmp_path / "a")
    _w, _h, without = render_gray(pdf, tmp_path / "b", env=no_font_env(tmp_path))
    assert dark_pixels(without) > 300
    assert dark_pixels(without) == dark_pixels(with_fonts)


def test_list_pages_render_non_blank_without_fonts(tmp_path, rows_factory):
    pdf = render_person_list(STATION, "就业人员清单", LIST_COLUMNS, rows_factory(80),
                             PRINTED_ON)
    env = no_font_env(tmp_path)
    for page in (1, 2):
        _w, _h, normal = render_gray(pdf, tmp_path / f"n{page}", page=page)
        _w, _h, bare = render_gray(pdf, tmp_path / f"b{page}", page=page, env=env)
        assert dark_pixels(bare) > 1000
        assert dark_pixels(bare) >= 0.98 * dark_pixels(normal)


def test_summary_renders_non_blank_without_fonts(tmp_path, person, sections):
    pdf = render_person_summary(STATION, person, sections, PRINTED_ON)
    width, height, pixels = render_gray(pdf, tmp_path / "s", env=no_font_env(tmp_path))
    assert height > width
    # The title band (below the header rule) holds only Chinese glyphs.
    band = pixels[int(height * 0.06) * width:int(height * 0.11) * width]
    assert dark_pixels(band) > 20
