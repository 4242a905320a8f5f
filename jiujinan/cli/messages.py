"""The command line's own words in Chinese: argparse writes its usage, help headings and
errors through gettext, and a district clerk should not meet "error: unrecognized
arguments". argparse looks its ``_`` up at call time, so pointing it at this table is enough;
a message not in the table stays as argparse wrote it."""

from __future__ import annotations

import argparse
import math
import unicodedata
from collections.abc import Callable

CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n（用 %(prog)s -h 查看用法）\n",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必须给出的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r 不是可选的值（可选：%(choices)s）",
    "expected one argument": "后面应跟一个值",
    "expected at least one argument": "后面应至少跟一个值",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值（应为 %(type)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "one of the arguments %s is required": "须给出其中之一：%s",
    "ignored explicit argument %r": "多余的值 %r",
}


def speak_chinese() -> None:
    """Make argparse's messages Chinese (once, before a parser reports anything)."""
    argparse._ = lambda message: CHINESE.get(message, message)  # noqa: SLF001 - argparse's gettext hook

MAX_LIMIT = 100_000  # rows a --limit may ask for


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type=``: a whole number from ``low`` to ``high``, else a Chinese error
    (a number typed on the command line is bounded before it reaches a query or a timeout)."""
    def parse(text: str) -> int:
        try:
            value = int(unicodedata.normalize("NFKC", text).strip())
        except ValueError:  # not a whole number, or thousands of digits
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{_shown(text)} 不是 {low} 到 {high} 之间的整数")
        return value

    return parse


def one_of(names: dict[str, list[str]]) -> Callable[[str], str]:
    """An argparse ``type=``: one value of ``names`` (value → the words that name it: its
    Chinese label first, as the program shows it), typed as the value or any of its words."""
    said = {word: value for value, words in names.items() for word in (value, *words)}

    def parse(text: str) -> str:
        value = said.get(unicodedata.normalize("NFKC", text).strip())
        if value is None:
            raise argparse.ArgumentTypeError(f"{_shown(text)} 不是可选的值（可选：{listing(names)}）")
        return value

    return parse


def listing(names: dict[str, list[str]]) -> str:
    """The values of ``names`` as a help text lists them: 「已受理（accepted）」."""
    return "、".join(f"{words[0]}（{value}）" if words else value for value, words in names.items())


def seconds(low: float, high: float) -> Callable[[str], float]:
    """An argparse ``type=``: a number of seconds from ``low`` to ``high`` (not inf or nan)."""
    def parse(text: str) -> float:
        value = _number(text)
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{_shown(text)} 不是 {low:g} 到 {high:g} 之间的秒数")
        return float(value)

    return parse


def _number(text: str) -> float | None:
    """The number typed (full-width digits too), or None for text, inf and nan."""
    try:
        value = float(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def _shown(text: str) -> str:
    """What was typed, shortened for a message (a 300-digit number is not echoed whole)."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from a terminal
    return repr(text if len(text) <= 20 else text[:20] + "…")
