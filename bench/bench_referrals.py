"""Batch printing: 1,000 推荐介绍信 of one day in one PDF, against reportlab alone drawing
the same text of 1,000 pages in the same font (measured in the same run).

The floor is reportlab's canvas writing, line by line, exactly the text pypdf reads back
from our PDF; our time includes reading the letters from the station. Target: ≤ 2×.
Run: .venv/bin/python -m bench.bench_referrals [--letters N] [--rounds 3]
"""

import argparse
import io
from datetime import date

from reportlab.pdfgen.canvas import Canvas

from db import demo, referrals, setup
from db import documents as letter_data
from db.station import open_station, station_path
from printing.fonts import cjk_font_name
from printing.layout import page_size
from tests.printing.pdfcheck import page_texts
from ui import documents

from .common import OUT, PASSWORD, timed


def build_station(letters: int):
    """A station whose ``letters`` referrals all date from today (cached per day)."""
    folder = OUT / f"referrals-{letters}-{date.today().isoformat()}"
    if station_path(folder).exists():
        return open_station(folder)
    folder.mkdir(parents=True, exist_ok=True)
    station = setup.create_station(
        folder, code="370124101", name="孔村镇就业服务站", county="平阴县",
        village_names=demo.DEMO_VILLAGES, admin_username="admin", admin_display_name="站长",
        admin_password=PASSWORD)
    demo.seed_people(station, letters)
    job_ids = demo.seed_jobs(station, 40)
    people = [r[0] for r in station.conn.execute("SELECT id FROM person ORDER BY rowid")]
    with station.atomic():
        for i, person_id in enumerate(people):
            referrals.create_referral(station, person_id, job_ids[i % len(job_ids)])
    return station


def reportlab_alone(texts: list[str]) -> bytes:
    """The same text, page for page and line by line, in the same font, canvas only."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page_size())
    font = cjk_font_name()
    _w, height = page_size()
    for text in texts:
        canvas.setFont(font, 10.5)
        y = height - 40
        for line in text.split("\n"):
            canvas.drawString(40, y, line)
            y -= 12
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    station = build_station(args.letters)
    today = date.today()
    pdf = documents.referral_letters_pdf(station, today)  # also warms fonts and caches
    texts = page_texts(pdf)
    plain = reportlab_alone(texts)
    ours, floor, gather = [], [], []
    for _ in range(args.rounds):  # interleaved, so a busy machine slows both alike
        ours.append(timed(documents.referral_letters_pdf, station, today))
        floor.append(timed(reportlab_alone, texts))
        gather.append(timed(letter_data.referral_letters_on, station, today))
    station.close()
    print(f"letters: {len(texts)} pages, {len(pdf) / 1e6:.1f} MB "
          f"(reportlab alone: {len(plain) / 1e6:.1f} MB)")
    print(f"batch of letters: {min(ours):.2f} s (of which reading the station "
          f"{min(gather):.2f} s), best of {args.rounds}")
    print(f"reportlab alone, same text and font: {min(floor):.2f} s")
    print(f"ratio: {min(ours) / min(floor):.2f}x (target ≤ 2x)")


if __name__ == "__main__":
    main()
