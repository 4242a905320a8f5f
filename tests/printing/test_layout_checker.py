"""The layout checker on small hand-made PDFs: each fault it must see, and a clean paper it
must pass (tests/printing/layout.py)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle

from jiujinan.printing.base import CONTENT_WIDTH, FONT, build, para, register_font, style
from tests.printing import layout

W, H = A4


def drawn(paint: Callable[[canvas.Canvas], None], pagesize: tuple[float, float] = A4) -> bytes:
    """A one-page PDF painted by ``paint`` in the papers' font at 10.5 pt."""
    register_font()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=pagesize)
    c.setFont(FONT, 10.5)
    c.setLineWidth(0.6)
    paint(c)
    c.showPage()
    c.save()
    return out.getvalue()


def box(c: canvas.Canvas, x: float, y: float, w: float, h: float) -> None:
    """A cell ruled with four lines (as ReportLab's GRID draws them)."""
    c.line(x, y, x + w, y)
    c.line(x, y + h, x + w, y + h)
    c.line(x, y, x, y + h)
    c.line(x + w, y, x + w, y + h)


def only(found: list[str], what: str) -> None:
    assert found and all(what in f for f in found), found


def test_a_clean_hand_drawn_cell_has_no_problem() -> None:
    def paint(c: canvas.Canvas) -> None:
        box(c, 100, 600, 200, 40)
        c.drawString(106, 625, "申请人：张三，联系电话")
        c.drawString(106, 610, "13905631234。")
    assert layout.problems(drawn(paint)) == []


def test_text_over_a_horizontal_line() -> None:
    def paint(c: canvas.Canvas) -> None:
        box(c, 100, 600, 200, 40)
        c.drawString(106, 636, "区民政局审批意见")  # the top rule at 640 runs through it
    found = layout.problems(drawn(paint))
    assert any("crosses a ruled line (horizontal" in f and "区民政局审批意见" in f for f in found), found


def test_text_over_a_vertical_line_and_out_of_its_cell() -> None:
    def paint(c: canvas.Canvas) -> None:
        box(c, 100, 600, 60, 30)
        c.drawString(106, 610, "乡镇（街道）审核意见")  # ten characters in a 60 pt cell
    found = layout.problems(drawn(paint))
    assert any("crosses a ruled line (vertical" in f for f in found), found
    assert any("leaves its table cell" in f for f in found), found


def test_text_leaving_its_cell_exactly_at_a_border_is_still_out() -> None:
    def paint(c: canvas.Canvas) -> None:
        box(c, 100, 600, 6 + 4 * 10.5, 30)
        c.drawString(106, 610, "一二三四五六")  # the border falls between 四 and 五: no cut, but out
    found = layout.problems(drawn(paint))
    only(found, "leaves its table cell")
    assert "«五六»" in found[0]


def test_a_line_painted_over_in_white_is_no_line() -> None:
    def paint(c: canvas.Canvas) -> None:
        c.line(100, 613, 300, 613)
        c.setStrokeColor(colors.white)
        c.line(100, 613, 300, 613)
        c.setStrokeColor(colors.black)
        c.drawString(106, 610, "困难情况的续行")
    assert layout.problems(drawn(paint)) == []


def test_a_background_is_no_line() -> None:
    def paint(c: canvas.Canvas) -> None:
        c.setFillColor(colors.HexColor("#f2f2f2"))
        c.rect(100, 605, 200, 10, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.drawString(106, 600, "底色上的字")
    assert layout.problems(drawn(paint)) == []


@pytest.mark.parametrize("head", ["，", "：", "）", "。", "、"])
def test_a_line_starting_with_closing_punctuation(head: str) -> None:
    def paint(c: canvas.Canvas) -> None:
        c.drawString(100, 600, "如对本决定有异议，可自收到本告知书之日起")
        c.drawString(100, 585, f"{head}向乡镇人民政府提出")
    found = layout.problems(drawn(paint))
    only(found, "starts with closing punctuation")
    assert f"«{head}»" in found[0]


def test_a_lone_character_after_a_wrap() -> None:
    def paint(c: canvas.Canvas) -> None:
        c.drawString(100, 600, "月末余额：叁万柒仟贰佰元零伍角肆")
        c.drawString(100, 585, "分")
    found = layout.problems(drawn(paint))
    only(found, "lone character")
    assert "«分»" in found[0]


def test_a_single_character_alone_in_its_own_cell_is_fine() -> None:
    def paint(c: canvas.Canvas) -> None:
        box(c, 100, 600, 100, 20)
        box(c, 100, 580, 100, 20)
        c.drawString(106, 606, "一二三四")
        c.drawString(106, 586, "无")
    assert layout.problems(drawn(paint)) == []


@pytest.mark.parametrize(("first", "second", "what"), [
    ("公示期内如有异议，请致电监督电话：0563-", "2012345。", "phone number"),
    ("请联系经办人王会计，手机13905", "631234。", "phone number"),
    ("编号：341802100201-2026-", "00012", "case number"),
])
def test_a_number_split_across_lines(first: str, second: str, what: str) -> None:
    def paint(c: canvas.Canvas) -> None:
        c.drawString(100, 600, first)
        c.drawString(100, 585, second)
    found = layout.problems(drawn(paint))
    assert any(f"{what} split across lines" in f for f in found), found


def test_text_written_over_text() -> None:
    def paint(c: canvas.Canvas) -> None:
        c.drawString(100, 600, "第 1 页 共 2 页")
        c.drawString(118, 602, "合计金额（大写）")
    found = layout.problems(drawn(paint))
    only(found, "overlaps other text")


@pytest.mark.parametrize("pagesize", [A4, (A4[1], A4[0])], ids=["portrait", "landscape"])
def test_text_and_lines_in_the_unprintable_margin(pagesize: tuple[float, float]) -> None:
    w, h = pagesize

    def paint(c: canvas.Canvas) -> None:
        c.drawString(w - 40, 300, "签字栏")  # runs off the right edge
        c.line(30, 3 * mm, 200, 3 * mm)  # a rule 3 mm from the foot
        c.drawString(100, 300, "正文在页内")
    found = layout.problems(drawn(paint, pagesize))
    assert any("«签字栏»" in f and "margin" in f for f in found), found
    assert any(f.startswith("第1页 line") and "margin" in f for f in found), found
    assert not any("正文" in f for f in found), found


def test_a_platypus_table_with_wrapped_cells_is_clean() -> None:
    """The way the papers are built (Paragraphs in a GRID table, CJK wrapping), done right."""
    rows = [[para("序号", style(10, align=1)), para("姓名", style(10, align=1)), para("困难情况", style(10, align=1))]]
    for n in range(1, 30):
        rows.append([para(str(n), style(10, align=1)), para("张" + "三" * (n % 4)),
                     para("家中突发重病，自付医疗费用高昂，生活陷入困境。" * (n % 3 + 1))])
    table = Table(rows, colWidths=[14 * mm, 30 * mm, CONTENT_WIDTH - 44 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2"))]))
    out = io.BytesIO()
    build(out, [table], "clean")
    assert layout.problems(out.getvalue()) == []


def test_row_boxes_measure_a_row_by_its_label() -> None:
    def paint(c: canvas.Canvas) -> None:
        top = 700
        for label, height in (("村（社区）意见", 45 * mm), ("乡镇（街道）", 30 * mm)):
            box(c, 60, top - height, 80, height)
            box(c, 140, top - height, 380, height)
            c.drawString(66, top - height / 2 - 4, label[:4])
            if len(label) > 4:
                c.drawString(66, top - height / 2 - 19, label[4:])
            top -= height
    pdf = drawn(paint)
    village = layout.row_boxes(pdf, r"村（社区）意见")
    assert len(village) == 1 and village[0].page == 1 and village[0].height_mm == pytest.approx(45, abs=0.1)
    assert [round(b.height_mm) for b in layout.row_boxes(pdf, r".*（.*")] == [45, 30]
    assert layout.row_boxes(pdf, r"区民政局审批意见") == []


def test_two_cells_close_to_their_border_are_two_runs_not_one_leaving_its_cell() -> None:
    def paint(c: canvas.Canvas) -> None:
        box(c, 100, 600, 4 + 6 * 10.5, 30)
        box(c, 100 + 4 + 6 * 10.5, 600, 60, 30)
        c.drawString(102, 610, "一二三四五六")  # 2 pt from the border, as a table's padding leaves
        c.drawString(100 + 6 + 6 * 10.5, 610, "七八")
    assert layout.problems(drawn(paint)) == []
