"""Rules for free text typed by a clerk: length, control characters, direction marks."""

from __future__ import annotations

import unicodedata

from jiujinan.cases.errors import ValidationError

# Bidirectional controls can make a name display differently from what is stored.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(
    value: str,
    *,
    field: str,
    label: str,
    max_len: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """Trim ``value`` and check it; returns the text to store or raises ValidationError."""
    text = value.strip()
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if required and not text:
        raise ValidationError(f"请填写{label}", field)
    if len(text) > max_len:
        raise ValidationError(f"{label}最多{max_len}个字，现有{len(text)}个", field)
    for ch in text:
        if multiline and ch in "\n\t":
            continue
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            raise ValidationError(f"{label}含有不可见的控制字符，请重新输入", field)
    return text
