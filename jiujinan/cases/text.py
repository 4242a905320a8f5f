"""Rules for free text typed by a clerk: length, control characters, direction marks."""

from __future__ import annotations

import unicodedata

from jiujinan.cases.errors import ValidationError

# Bidirectional controls can make a name display differently from what is stored.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Emoji and pictographs: the forms' font has none of them, so they would print as boxes.
# (Symbols clerks do write, such as ℃, ×, ①, ☎, stay allowed: the font has them.)
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0xFE00, 0xFE0F), (0xE0000, 0xE007F))
# Characters that draw nothing but are letters or symbols to Unicode (so strip() keeps them):
# a text of only these is as empty as one of only blanks.
_BLANK_LOOKING = frozenset("\u115f\u1160\u2800\u3164\uffa0")
# A person's name: letters of any script, with the separators names really use.
_NAME_MARKS = frozenset("·•．.-' ")


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


def clean_text(
    value: str,
    *,
    field: str,
    label: str,
    max_len: int,
    required: bool = False,
    multiline: bool = False,
    person_name: bool = False,
) -> str:
    """Trim ``value`` and check it; returns the text to store or raises ValidationError."""
    text = value.strip()
    if all(ch in _BLANK_LOOKING for ch in text):
        text = ""
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
        if _is_emoji(ch):
            raise ValidationError(f"{label}含有表情符号，打印出来会是方框，请删去", field)
        if person_name and not (unicodedata.category(ch)[0] in "LM" or ch in _NAME_MARKS):
            raise ValidationError(f"{label}只能由文字组成（少数民族姓名可用间隔号“·”），不能有“{ch}”", field)
    return text


# What separates the names typed in a list of people (调查人, 参会理事): the step stores them
# joined by 、 (cases/review), and clerks type ， or , or ； between them.
NAME_SEPARATORS = "、，,；;"


def split_names(text: str) -> tuple[str, ...]:
    """The names in a typed list of people, trimmed, empty ones left out."""
    for sep in NAME_SEPARATORS[1:]:
        text = text.replace(sep, NAME_SEPARATORS[0])
    return tuple(part.strip() for part in text.split(NAME_SEPARATORS[0]) if part.strip())
