"""登记凭证: the certificate a person receives for a 求职登记 or 失业登记.

``cert`` is a plain dict (``db.documents.registration_certificate`` makes it)::

    {"station_name": str, "kind": "求职登记" | "失业登记", "number": str, "reg_date": date,
     "place": str (登记地类型), "cancelled_on": date | None, "cancel_reason": str,
     "person": {"name", "sex", "id_number", "birth_date", "phone", "hukou", "education",
                "skills", "status"}}

The person's full ID number is printed: the certificate is that person's own document.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from .layout import (
    PageContext,
    SealBox,
    build_pdf,
    cn_date,
    key_value_table,
    markup,
    signature_line,
)
from .referral_letter import title_with_qr

NOTES = {
    "求职登记": [
        "本凭证是您在本站办理求职登记的证明，请妥善保管。",
        "凭本凭证可享受免费的政策咨询、职业指导、职业介绍等公共就业服务。",
        "就业状况或联系方式发生变化时，请及时到本站办理变更或注销。",
    ],
    "失业登记": [
        "本凭证是您在本站办理失业登记的证明，请妥善保管。",
        "登记失业人员可按规定享受职业指导、职业介绍、职业培训和就业援助等服务与政策。",
        "实现就业或不再符合登记条件时，请及时到本站办理注销。",
    ],
}


def certificate_title(cert: dict) -> str:
    """"求职登记凭证" or "失业登记凭证"."""
    return f"{cert['kind']}凭证"


def _pairs(cert: dict) -> list[tuple[str, object]]:
    person = cert["person"]
    pairs = [
        ("姓名", person["name"]), ("性别", person["sex"]),
        ("公民身份号码", person["id_number"]), ("出生日期", cn_date(person["birth_date"])),
        ("户籍地", person["hukou"]), ("联系电话", person["phone"]),
        ("文化程度", person["education"]), ("技能/工种", person["skills"]),
        ("登记类型", cert["kind"]), ("登记地类型", cert["place"]),
        ("登记编号", cert["number"]), ("登记日期", cn_date(cert["reg_date"])),
    ]
    if cert["cancelled_on"]:
        pairs += [("注销日期", cn_date(cert["cancelled_on"])), ("注销原因", cert["cancel_reason"])]
    return pairs


def certificate_story(ctx: PageContext, cert: dict) -> list[Flowable]:
    """Title with QR, the person and registration block, notes, signature and seal."""
    styles = ctx.styles
    title = certificate_title(cert)
    if cert["cancelled_on"]:
        title += "（已注销）"
    notes = NOTES.get(cert["kind"], [])
    story: list[Flowable] = [
        title_with_qr(ctx, title, cert["number"]),
        Spacer(1, 4 * mm),
        key_value_table(_pairs(cert), width=ctx.width, label_width=26 * mm),
        Spacer(1, 3 * mm),
        Paragraph("说明", styles.heading),
        *(Paragraph(markup(f"{i}. {text}"), styles.body) for i, text in enumerate(notes, 1)),
    ]
    story.append(KeepTogether([
        Spacer(1, 10 * mm),
        signature_line(["登记人签字", "经办人"], ctx.width * 0.6),
        Spacer(1, 4 * mm),
        SealBox(cert["station_name"]),
    ]))
    return story


def render_certificate(cert: dict, printed_on: date | None = None) -> bytes:
    """The 登记凭证 as a one-page portrait A4 PDF."""
    return build_pdf(lambda ctx: certificate_story(ctx, cert),
                     station_name=cert["station_name"], title=certificate_title(cert),
                     printed_on=printed_on or date.today())
