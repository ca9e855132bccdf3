"""Masking of ID and phone numbers for lists, exports and printouts. Never raises."""

from __future__ import annotations

from .idcard import as_text, normalize_id_number, squeeze

MASK = "*"


def _mask_middle(text: str, keep_head: int, keep_tail: int, min_hidden: int = 4) -> str:
    """Keep ``keep_head`` and ``keep_tail`` characters, star the rest.

    Text too short to hide at least ``min_hidden`` characters that way is starred completely.
    """
    hidden = len(text) - keep_head - keep_tail
    if hidden < min_hidden:
        return MASK * len(text)
    return text[:keep_head] + MASK * hidden + text[len(text) - keep_tail:]


def mask_id_number(number: object) -> str:
    """``370124199001011234`` → ``3701**********1234``; "" for nothing; never raises."""
    try:
        return _mask_middle(normalize_id_number(number), 4, 4)
    except Exception:  # masking must never break a list or an export
        return MASK * 8


def mask_phone(phone: object) -> str:
    """``13812345678`` → ``138****5678``, ``0531-88886666`` → ``0531-****6666``; never raises."""
    try:
        text = squeeze(as_text(phone))
        area, dash, local = text.rpartition("-")
        if dash and area.startswith("0") and len(area) <= 4 and len(local) >= 7:
            return f"{area}-{_mask_middle(local, 0, 4, min_hidden=3)}"
        return _mask_middle(text, 3, 4)
    except Exception:  # masking must never break a list or an export
        return MASK * 8
