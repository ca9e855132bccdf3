"""The 登记凭证 of 求职登记 and 失业登记, also as the station prints it from its records."""

from __future__ import annotations

from datetime import date

import pytest

from db import documents, people, registrations
from printing.certificate import render_certificate
from tests.conftest import id_of
from ui import documents as printed

from .pdfcheck import (
    PDFTOPPM,
    dark_pixels,
    font_is_embedded,
    no_font_env,
    page_fonts,
    page_texts,
    render_gray,
)
from .samples import PRINTED_ON, STATION


def make_cert(kind: str = "求职登记", cancelled_on: date | None = None) -> dict:
    return {
        "station_name": STATION, "kind": kind, "number": "370124101QZ20260007",
        "reg_date": date(2026, 3, 2), "place": "户籍地", "cancelled_on": cancelled_on,
        "cancel_reason": "已实现就业" if cancelled_on else "",
        "person": {"name": "张三丰", "sex": "男", "id_number": "370112199001021234",
                   "birth_date": date(1990, 1, 2), "phone": "13812345678", "hukou": "红旗村",
                   "education": "初中", "skills": "电焊工", "status": "失业"},
    }


def test_job_seeking_certificate_content():
    pdf = render_certificate(make_cert(), PRINTED_ON)
    (text,) = page_texts(pdf)
    for word in (STATION, "求职登记凭证", "370124101QZ20260007", "张三丰", "370112199001021234",
                 "1990年1月2日", "户籍地", "2026年3月2日", "职业介绍", "登记人签字", "（盖章）"):
        assert word in text, word
    assert "已注销" not in text
    assert all(font_is_embedded(f) for f in page_fonts(pdf))


def test_cancelled_unemployment_certificate_says_so():
    text = page_texts(render_certificate(make_cert("失业登记", date(2026, 6, 1)), PRINTED_ON))[0]
    for word in ("失业登记凭证（已注销）", "注销日期", "2026年6月1日", "已实现就业", "就业援助"):
        assert word in text, word


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is not installed")
def test_certificate_renders_without_any_system_font(tmp_path):
    pdf = render_certificate(make_cert(), PRINTED_ON)
    _w, _h, bare = render_gray(pdf, tmp_path / "b", env=no_font_env(tmp_path))
    _w, _h, normal = render_gray(pdf, tmp_path / "n")
    assert dark_pixels(bare) > 3000 and dark_pixels(bare) >= 0.98 * dark_pixels(normal)


def test_station_prints_a_registration_with_the_full_id(station):
    """A 专员 sees masked numbers in lists, but the certificate is the person's own."""
    number = id_of(1980, seq=21)
    pid = people.create_person(station, {"name": "李四", "id_number": number})
    registrations.register(station, pid, "unemployment", "residence", "2026-02-03")
    (reg,) = registrations.list_registrations(station, pid)
    station.account = None  # no role that may see full numbers
    assert documents.registration_certificate(station, reg["number"])["place"] == "常住地"
    text = page_texts(printed.certificate_pdf(station, reg["number"]))[0]
    assert "失业登记凭证" in text and number in text and reg["number"] in text
