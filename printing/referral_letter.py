"""推荐介绍信 on one A4 page: the 存根 kept at the station, the letter the worker takes to
the employer, and the 回执 the employer fills in and returns, separated by cut lines.
The letter and the 回执 carry the referral number as a QR code.

``letter`` is a plain dict (``db.documents.referral_letter`` makes it)::

    {"station_name": str, "number": str, "referral_date": date, "due_date": date,
     "clerk": str,
     "person": {"name", "sex", "age", "id_number", "phone", "education", "skills", "hukou"},
     "employer": {"name", "credit_code", "contact_person", "contact_phone", "address"},
     "job": {"work_type", "wage_text", "work_place", "place_label", "requirements",
             "headcount"}}

The letter is a fixed form, not a flowing story: a day's batch prints hundreds of them.
Everything that is the same on every letter of a station (titles, labels, grids, cut
lines, seal boxes) is drawn once into a PDF form XObject that every page reuses; only the
person's and the job's particulars and the QR codes are drawn per page, each fitted into
its box (wrapped, then shrunk, so nothing overlaps whatever the length).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from .fonts import has_glyph
from .layout import CutLine, PageContext, SealBox, build_pdf, cn_date, get_styles, markup
from .styles import CELL_PAD, GRID_COLOR, HEADER_BG

DOC_TITLE = "推荐介绍信"
STUB_TITLE = "推荐介绍信（存根）"
RECEIPT_TITLE = "推荐介绍信回执"
QR_SIZE = 18 * mm
SEAL_HEIGHT = 32 * mm
BLANK = "________"
BODY_SIZE = 11
LEADING = 1.6  # body line height as a multiple of the font size

# ------------------------------------------------------------------------ text


_TOKENS = re.compile(r"[0-9A-Za-z\-./:+_@]+|.", re.S)  # Latin runs stay whole (ID numbers)
_NO_LINE_START = frozenset("，。、；：？！）》」』”’%…·,.;:!?)")


@functools.lru_cache(maxsize=8192)
def _unit_width(token: str, font: str) -> float:
    """Width of ``token`` at 1 pt (cached: letters repeat the same characters)."""
    return stringWidth(token, font, 1)


def wrap_text(text: str, font: str, size: float, width: float, indent: float = 0.0
              ) -> list[str]:
    """Greedy line breaking for Chinese text: any character may end a line, Latin runs
    move whole unless wider than a line, and no line starts with closing punctuation."""
    tokens: list[str] = []
    for token in _TOKENS.findall(text.replace("\n", " ")):
        tokens.extend(token if _unit_width(token, font) * size > width else [token])
    lines, line, used = [], "", indent
    for token in tokens:
        w = _unit_width(token, font) * size
        if line and used + w > width and token not in _NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += token
        used += w
    return [*lines, line] if line else lines


def fit_text(text: str, font: str, width: float, height: float, size: float,
             min_size: float = 6.5, indent_chars: float = 0.0, leading: float = LEADING
             ) -> tuple[float, list[str]]:
    """The largest size (down to ``min_size``) at which ``text`` fits the box, and its
    lines; at the smallest size the last line that fits ends with "…"."""
    if (indent_chars + stringWidth(text, font, 1)) * size <= width and "\n" not in text:
        return size, [text]  # the common case: it fits on one line
    while True:
        lines = wrap_text(text, font, size, width, indent_chars * size)
        fits = max(1, int((height - size) // (size * leading) + 1 + 1e-6))
        if len(lines) <= fits:
            return size, lines
        if size - 0.5 < min_size:
            return size, [*lines[:fits - 1], lines[fits - 1][:-1] + "…"]
        size -= 0.5


class TextWriter:
    """A page's variable text in one PDF text object (one BT…ET), in the CJK font,
    switching the size only when it changes: far cheaper than a drawString each."""

    def __init__(self, canv: Canvas) -> None:
        self.canv = canv
        self.font = get_styles().font
        self.text = canv.beginText()
        self.size: float | None = None

    def string(self, x: float, y: float, text: str, size: float, align: str = "left") -> None:
        """``text`` with its baseline at y, starting at x (or ending at / centred on x)."""
        if size != self.size:
            self.text.setFont(self.font, size)
            self.size = size
        if align != "left":
            width = stringWidth(text, self.font, size)
            x -= width if align == "right" else width / 2
        self.text.setTextOrigin(x, y)
        self.text.textOut(text)

    def close(self) -> None:
        """Put the text on the page."""
        self.canv.drawText(self.text)


def draw_text_box(out: TextWriter, text: str, x: float, top: float, width: float,
                  height: float, size: float = BODY_SIZE, *, indent_chars: float = 0.0,
                  middle: bool = False, min_size: float = 6.5, leading: float = LEADING
                  ) -> None:
    """Write ``text`` inside the box whose top-left corner is (x, top), wrapped and shrunk
    to fit; ``middle`` centres the lines vertically (table cells)."""
    size, lines = fit_text(text, out.font, width, height, size, min_size, indent_chars, leading)
    leading *= size
    block = leading * (len(lines) - 1) + size
    y = top - (height - block) / 2 - size * 0.85 if middle else top - size
    for i, line in enumerate(lines):
        out.string(x + (indent_chars * size if i == 0 else 0), y - i * leading, line, size)


# ------------------------------------------------------------------------ grids


@dataclass(frozen=True)
class _Grid:
    """A label | value table of fixed geometry, two pairs per row."""

    top: float  # from the top of the frame
    rows: int
    label_w: float
    row_h: float = 6.5 * mm

    def value_w(self, width: float) -> float:
        return width / 2 - self.label_w

    def cell(self, i: int, width: float, height: float) -> tuple[float, float]:
        """Left x of the value cell of pair ``i`` and the y of its top edge."""
        row, col = divmod(i, 2)
        return col * width / 2 + self.label_w, height - self.top - row * self.row_h

    def draw_static(self, canv: Canvas, labels: Sequence[str], width: float, height: float
                    ) -> None:
        """Label backgrounds, grid lines and the labels."""
        font, top = get_styles().font, height - self.top
        bottom = top - self.rows * self.row_h
        canv.saveState()
        canv.setFillColor(HEADER_BG)
        for col in range(2):
            canv.rect(col * width / 2, bottom, self.label_w, top - bottom, stroke=0, fill=1)
        canv.setStrokeColor(GRID_COLOR)
        canv.setLineWidth(0.5)
        for r in range(self.rows + 1):
            canv.line(0, top - r * self.row_h, width, top - r * self.row_h)
        for x in (0, self.label_w, width / 2, width / 2 + self.label_w, width):
            canv.line(x, top, x, bottom)
        canv.setFillColorRGB(0, 0, 0)
        canv.setFont(font, 9)
        for i, label in enumerate(labels):
            x, y = self.cell(i, width, height)
            canv.drawCentredString(x - self.label_w / 2, y - self.row_h / 2 - 3.2, label)
        canv.restoreState()

    def draw_values(self, out: TextWriter, values: Sequence[str], width: float,
                    height: float) -> None:
        """Each value fitted into its cell (``None`` leaves the cell to the shared form)."""
        for i, value in enumerate(values):
            if value is None:
                continue
            x, y = self.cell(i, width, height)
            draw_text_box(out, value, x + CELL_PAD, y, self.value_w(width) - 2 * CELL_PAD,
                          self.row_h, 9, middle=True, leading=1.15)


STUB_GRID = _Grid(top=10 * mm, rows=5, label_w=24 * mm)
STUB_LABELS = ["姓名", "性别 / 年龄", "公民身份号码", "联系电话", "推荐单位", "推荐工种",
               "推荐日期", "经办人", "回执期限", "推荐结果"]
LETTER_GRID = _Grid(top=100 * mm, rows=3, label_w=22 * mm)
LETTER_LABELS = ["工作地点", "薪资待遇", "招聘人数", "岗位要求", "单位联系人", "联系电话"]


# ------------------------------------------------------------------------ QR code


class QrCode(Flowable):
    """A QR code drawn as one filled path, ``size`` points square.

    Encoding uses a fixed mask pattern (any of the eight is valid for readers): choosing
    the "best" one costs ten times the rest, and a batch of letters draws thousands.
    """

    def __init__(self, text: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.matrix = _qr_matrix(text)
        self.text = text
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Fixed size."""
        return self.width, self.height

    def draw(self) -> None:
        """One rectangle per run of dark modules, in module units, filled at once."""
        n = len(self.matrix)
        quiet = 2  # modules of white border inside the box
        cell = self.width / (n + 2 * quiet)
        ops = []
        for r, row in enumerate(self.matrix):
            y = n + quiet - 1 - r
            c = 0
            while c < n:
                if row[c]:
                    start = c
                    while c < n and row[c]:
                        c += 1
                    ops.append(f"{start + quiet} {y} {c - start} 1 re")
                c += 1
        canv = self.canv
        canv.saveState()
        canv.scale(cell, cell)
        canv.addLiteral("\n".join(ops) + "\nf")
        canv.restoreState()


def _qr_matrix(text: str) -> list[list[bool]]:
    """Modules of the QR code of ``text``: version 2 when it holds the text (a referral
    number does), which spares the search for the smallest version; larger otherwise."""
    code = qrcode.QRCode(version=2, border=0, error_correction=ERROR_CORRECT_M, mask_pattern=0)
    code.add_data(text)
    try:
        code.make(fit=False)
    except DataOverflowError:
        code = qrcode.QRCode(border=0, error_correction=ERROR_CORRECT_M, mask_pattern=0)
        code.add_data(text)
        code.make(fit=True)
    return code.get_matrix()


def title_with_qr(ctx: PageContext, title: str, number: str) -> Table:
    """Centred title and "编号：…" with the QR code of the number on the right (a flowable
    for documents that flow, such as the 登记凭证)."""
    styles = ctx.styles
    middle = [Paragraph(markup(title), styles.title),
              Paragraph(markup(f"编号：{number}"), styles.cell_header)]
    return Table([["", middle, QrCode(number)]],
                 colWidths=[QR_SIZE, ctx.width - 2 * QR_SIZE, QR_SIZE],
                 style=TableStyle([("FONT", (0, 0), (-1, -1), styles.font),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))


# ------------------------------------------------------------------------ the form

# Baselines and tops, in mm from the top of the frame.
CUT_1, CUT_2 = 48.5, 165
LETTER_TITLE, RECEIPT_TITLE_AT = 62, 178
QR_TOP = {"letter": 53.5, "receipt": 169.5}
SEAL_TOPS = (127, 220)


def _box() -> str:
    """A tick box character the font can draw."""
    return "□" if has_glyph("□") else "〇"


def _static_parts(canv: Canvas, station: str, w: float, h: float) -> None:
    """Everything every letter of ``station`` shares (drawn once into a form XObject)."""
    font, box = get_styles().font, _box()

    def at(top_mm: float) -> float:
        return h - top_mm * mm

    canv.setFont(font, 14)
    canv.drawCentredString(w * 0.3, at(6), STUB_TITLE)
    STUB_GRID.draw_static(canv, STUB_LABELS, w, h)
    LETTER_GRID.draw_static(canv, LETTER_LABELS, w, h)
    shared = TextWriter(canv)
    STUB_GRID.draw_values(shared, [None] * 9 + [f"{box}已录用 {box}未录用 {box}未报到"], w, h)
    shared.close()
    for center in (CUT_1, CUT_2):
        cut = CutLine()
        _cw, ch = cut.wrap(w, h)
        cut.drawOn(canv, 0, at(center) - ch / 2)
    canv.setFont(font, 18)
    canv.drawCentredString(w / 2, at(LETTER_TITLE), DOC_TITLE)
    canv.drawCentredString(w / 2, at(RECEIPT_TITLE_AT), RECEIPT_TITLE)
    canv.setFont(font, BODY_SIZE)
    canv.drawString(2 * BODY_SIZE, at(134), "此致")
    canv.drawString(0, at(140.5), "敬礼！")
    canv.drawString(0, at(193), f"{station}：")
    options = [f"{box} 已录用，上岗日期：{BLANK}年{BLANK[:4]}月{BLANK[:4]}日",
               f"{box} 未录用，原因：{BLANK * 2}", f"{box} 未报到"]
    for i, text in enumerate(options):
        canv.drawString(2 * BODY_SIZE, at(215 + 7 * i), text)
    canv.drawString(0, at(240), f"经办人：{BLANK * 2}")
    canv.drawString(0, at(248), f"联系电话：{BLANK * 2}")
    for label, top in zip((station, "用人单位"), SEAL_TOPS, strict=True):
        seal = SealBox(label, height=SEAL_HEIGHT)
        seal_w, seal_h = seal.wrap(w, h)
        seal.drawOn(canv, w - seal_w, at(top) - seal_h)


def _variable_parts(canv: Canvas, letter: dict, w: float, h: float) -> None:
    """The particulars of one referral, each fitted into its place."""
    person, job, employer = letter["person"], letter["job"], letter["employer"]
    number = f"编号：{letter['number']}"
    out = TextWriter(canv)

    def at(top_mm: float) -> float:
        return h - top_mm * mm

    out.string(w, at(6), number, 10, "right")
    out.string(w / 2, at(LETTER_TITLE + 5.5), number, 10, "centre")
    out.string(w / 2, at(RECEIPT_TITLE_AT + 5.5), number, 10, "centre")
    STUB_GRID.draw_values(out, [
        person["name"], f"{person['sex']} / {person['age']}岁", person["id_number"],
        person["phone"], employer["name"], job["work_type"], cn_date(letter["referral_date"]),
        letter["clerk"], cn_date(letter["due_date"]), None], w, h)
    draw_text_box(out, f"{employer['name']}：", 0, at(72.5), w - QR_SIZE - 2 * mm, 6 * mm)
    phone = f"，联系电话{person['phone']}" if person["phone"] else ""
    skills = f"，技能/工种：{person['skills']}" if person["skills"] else ""
    draw_text_box(out, f"兹介绍我站登记的求职人员{person['name']}同志（{person['sex']}，"
                       f"{person['age']}岁，公民身份号码{person['id_number']}{phone}{skills}）"
                       f"前往贵单位应聘{job['work_type']}岗位，请予接洽。",
                  0, at(79), w, 19.5 * mm, indent_chars=2)
    place = "，".join(t for t in (job["work_place"], job["place_label"]) if t)
    LETTER_GRID.draw_values(out, [
        place, job["wage_text"], f"{job['headcount']}人", job["requirements"] or "无",
        employer["contact_person"], employer["contact_phone"]], w, h)
    draw_text_box(out, f"请将下方回执填写盖章后，于{cn_date(letter['due_date'])}前交回我站。",
                  0, at(121.5), w, 6.5 * mm, indent_chars=2)
    draw_text_box(out, f"经办人：{letter['clerk']}　　推荐日期：{cn_date(letter['referral_date'])}",
                  0, at(145.5), w - 66 * mm, 6.5 * mm)
    draw_text_box(out, f"贵站推荐的{person['name']}同志（公民身份号码{person['id_number']}）"
                       f"应聘我单位{job['work_type']}岗位，结果如下：",
                  0, at(195.5), w, 13 * mm, indent_chars=2)
    out.close()


class ReferralLetterForm(Flowable):
    """One letter filling the frame: the shared form plus this letter's particulars."""

    def __init__(self, letter: dict, width: float, height: float,
                 on_drawn: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.letter = letter
        self.width, self.height = width, height - 1  # leave the frame to the next letter
        self.on_drawn = on_drawn

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv, w, h = self.canv, self.width, self.height
        station, number = self.letter["station_name"], self.letter["number"]
        canv.doForm(_form_once(canv, f"rl-{_key(station, w, h)}", w, h,
                               lambda: _static_parts(canv, station, w, h)))
        qr = _form_once(canv, f"qr-{_key(number)}", QR_SIZE, QR_SIZE,
                        lambda: QrCode(number).drawOn(canv, 0, 0))
        for top in QR_TOP.values():  # one code, drawn on the letter and on the 回执
            canv.saveState()
            canv.translate(w - QR_SIZE, h - top * mm - QR_SIZE)
            canv.doForm(qr)
            canv.restoreState()
        _variable_parts(canv, self.letter, w, h)
        if self.on_drawn:
            self.on_drawn()


def _key(*parts) -> str:
    """A short name-safe key for a form XObject."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _form_once(canv: Canvas, name: str, w: float, h: float, draw: Callable[[], None]) -> str:
    """``name`` of a form XObject drawn by ``draw``, defined the first time it is asked for."""
    defined = canv.__dict__.setdefault("_jobstation_forms", set())
    if name not in defined:
        canv.beginForm(name, 0, 0, w, h)
        draw()
        canv.endForm()
        defined.add(name)
    return name


def render_referral_letter(letter: dict, printed_on: date | None = None) -> bytes:
    """One 推荐介绍信 (存根 + letter + 回执) as a one-page A4 PDF."""
    return render_referral_letters([letter], station_name=letter["station_name"],
                                   printed_on=printed_on or date.today())


def render_referral_letters(letters: Sequence[dict], *, station_name: str, printed_on: date,
                            progress: Callable[[int, int], None] | None = None) -> bytes:
    """Many letters in one PDF, one page each (batch printing of a day's referrals).

    ``progress(done, total)`` is called as each page is drawn; raising from it cancels.
    """
    total = len(letters)

    def story(ctx: PageContext) -> list[Flowable]:
        out: list[Flowable] = []
        for i, letter in enumerate(letters):
            if i:
                out.append(PageBreak())
            tick = (lambda done=i + 1: progress(done, total)) if progress else None
            out.append(ReferralLetterForm(letter, ctx.width, ctx.height, tick))
        return out

    return build_pdf(story, station_name=station_name, title=DOC_TITLE, printed_on=printed_on)
