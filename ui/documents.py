"""Printed documents: data gathered by ``db.documents``, laid out by ``printing``.

The one place that joins the two (``db`` never imports ``printing`` and vice versa).
Every function returns PDF bytes; :func:`save` writes them atomically. ID and phone numbers
in lists, rosters and summaries are masked unless the signed-in role may see them; the
referral letter and the certificate are the person's own documents and show them in full.
"""

from collections.abc import Callable
from pathlib import Path

from db import documents, lists
from db.clock import today
from db.errors import NotFoundError, StationError
from db.station import Station
from db.validation.dates import parse_date
from printing import FontNotFoundError, render_person_list, render_person_summary, write_atomic
from printing.certificate import render_certificate
from printing.export_roster import render_export_roster
from printing.referral_letter import render_referral_letter, render_referral_letters


def sees_full_numbers(station: Station) -> bool:
    """Whether the signed-in clerk's role may see unmasked ID and phone numbers."""
    return bool(station.account and station.account.sees_full_numbers)


def pdf_or_font_error(build: Callable[[], bytes]) -> bytes:
    """Run a layout; a missing Chinese font becomes the clerk's one-sentence error."""
    try:
        return build()
    except FontNotFoundError as exc:
        raise StationError(str(exc)) from exc


def referral_letter_pdf(station: Station, number: str) -> bytes:
    """The 推荐介绍信 (存根 + letter + 回执) of one referral."""
    letter = documents.referral_letter(station, number)
    return pdf_or_font_error(lambda: render_referral_letter(letter, today()))


def referral_letters_pdf(station: Station, day, progress: Callable[[int, int], None] | None = None
                         ) -> bytes:
    """All referral letters of ``day`` in one PDF, one page each (batch printing)."""
    letters = documents.referral_letters_on(station, day)
    if not letters:
        raise NotFoundError(f"{parse_date(day).isoformat()} 没有推荐记录。")
    name = documents.station_header(station)["name"]
    return pdf_or_font_error(lambda: render_referral_letters(letters, station_name=name, printed_on=today(),
                                                progress=progress))


def certificate_pdf(station: Station, registration_number: str) -> bytes:
    """The 登记凭证 of a 求职登记 or 失业登记."""
    cert = documents.registration_certificate(station, registration_number)
    return pdf_or_font_error(lambda: render_certificate(cert, today()))


def list_pdf(station: Station, kind: str, flt: lists.ListFilter | None = None) -> bytes:
    """One of the three lists (就业 / 失业 / 有意愿外出), numbers masked by role."""
    data = documents.person_list(station, kind, flt, full_numbers=sees_full_numbers(station))
    return pdf_or_font_error(lambda: render_person_list(data["station_name"], data["title"], data["columns"],
                                           data["rows"], today(), data["filters_text"]))


def person_summary_pdf(station: Station, person_id: str) -> bytes:
    """A person's 服务记录 summary, numbers masked by role."""
    data = documents.person_summary(station, person_id, full_numbers=sees_full_numbers(station))
    return pdf_or_font_error(lambda: render_person_summary(data["station_name"], data["person"],
                                              data["sections"], today()))


def export_roster_pdf(station: Station, batch_id: str) -> bytes:
    """The 劳务输出人员花名册 of a batch, numbers masked by role."""
    roster = documents.export_roster(station, batch_id, full_numbers=sees_full_numbers(station))
    return pdf_or_font_error(lambda: render_export_roster(roster, today()))


def save(path: str | Path, pdf: bytes) -> Path:
    """Write a PDF atomically (a half-written file never replaces a good one)."""
    try:
        return write_atomic(path, pdf)
    except OSError as exc:
        raise StationError(f"无法保存文件：{path}（文件可能正被其他程序打开）。") from exc

