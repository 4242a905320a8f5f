"""printing/lines.py: plain text broken by the 禁则, at any width."""

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from jiujinan.printing.base import CANNOT_END, CANNOT_START, FONT, register_font
from jiujinan.printing.lines import break_lines

# What the papers hold: words, marks, bracketed asides, amounts, numbers set off by words.
PIECES = ["张三", "救助", "（住院）", "，", "。", "：", "、", "审批金额", "计¥2,800.00", "电话13905631234转",
          "编号341802100201-2026-00017号", "票据Hospital-bill-No.0001号", "贰仟捌佰元整", "《告知书》", "入ICU", "第9句"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60), st.floats(min_value=40, max_value=500))
def test_lines_keep_every_character_and_the_rules(pieces: list[str], width: float) -> None:
    register_font()
    text = "".join(pieces)
    lines = break_lines(text, width)
    assert "".join(lines) == text
    for before, line in zip(lines, lines[1:]):
        forced = all(c in CANNOT_START for c in before[1:]) or len(before) == 1
        assert line[:1] not in CANNOT_START or forced, (before, line)
        assert before[-1:] not in CANNOT_END or len(before) == 1, (before, line)
    for line in lines:
        if len(line) > 1:
            # a line holds what fits, but may keep a mark or a short run it must not be parted from
            assert stringWidth(line, FONT, 10.5) <= width + 10.5 * 3 or " " not in line
    for number in ("13905631234", "341802100201-2026-00017"):
        if stringWidth(number, FONT, 10.5) + 4 * 10.5 <= width:
            assert text.count(number) == sum(line.count(number) for line in lines), (number, lines)


def test_a_wrapped_text_leaves_no_character_alone_on_its_last_line() -> None:
    register_font()
    text = "合计金额：" + "壹" * 20 + "分"
    for width in range(60, 300, 5):
        lines = break_lines(text, float(width))
        if len(lines) > 1:
            assert len(lines[-1]) >= 2, (width, lines)


def test_a_paragraph_leaves_no_character_alone_on_its_last_line_either() -> None:
    from jiujinan.printing.base import para, style

    for text in ("经入户调查，家庭人均收入高于本地救助标准，不符合救助条件", "合计金额：" + "壹" * 20 + "分",
                 "第一行\n经入户调查，家庭人均收入高于本地救助标准，不符合救助条件\n第三行"):
        for width in range(60, 400, 3):
            p = para(text, style(10.5))
            p.wrap(width, 100_000)
            lines = ["".join(w.text for w in line.words) for line in p.blPara.lines]
            assert "".join(lines) == text.replace("\n", ""), (width, lines)
            assert all(len(line) != 1 for line in lines), (width, lines)
