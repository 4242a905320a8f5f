"""救助申请审批表: one per case, A4, with one opinion box per level for signature and stamp.

Long text is cut into rows of its own, so the table breaks between pages instead of
clipping; each page repeats nothing but the title block, and the foot says 第 1 页 共 N 页.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from jiujinan.cases.disclosure import birth_shown
from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.history import AidHistory
from jiujinan.cases.money import format_yuan_label, to_daxie
from jiujinan.cases.records import StepRecord, StoredCase
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import (
    CONTENT_WIDTH, FONT, SMALL, SUBTITLE, TITLE, DocumentStart, build, para, register_font, style,
)

LABEL_W = 26 * mm
CHUNK = 240  # characters of running text per table row, so a row never outgrows a page
LEVEL_TITLES = {Level.VILLAGE: "村（社区）意见", Level.TOWN: "乡镇（街道）审核意见", Level.DISTRICT: "区民政局审批意见"}


@dataclass(frozen=True)
class FormData:
    """Everything the form shows about one case."""

    society: SocietySettings
    case: StoredCase
    steps: tuple[StepRecord, ...]
    history: AidHistory
    approved_fen: int | None


def _chunks(text: str) -> list[str]:
    """Split running text into pieces of about CHUNK characters, at line ends where possible."""
    pieces: list[str] = []
    for line in (text or "").split("\n"):
        while len(line) > CHUNK:
            pieces.append(line[:CHUNK])
            line = line[CHUNK:]
        pieces.append(line)
    merged: list[str] = []
    for piece in pieces:
        if merged and len(merged[-1]) + len(piece) + 1 <= CHUNK:
            merged[-1] += "\n" + piece
        else:
            merged.append(piece)
    return merged or [""]


def _money(fen: int | None) -> str:
    if not fen:
        return "¥__________　（大写：____________________）"
    return f"{format_yuan_label(fen)}　（大写：{to_daxie(fen)}）"


PAD = 12  # left + right cell padding, in points
VALUE_W = CONTENT_WIDTH / 2 - LABEL_W


def _cell(text: str, width: float, label: bool = False) -> object:
    """A plain string when the text fits on one line (drawn directly, much faster than a
    Paragraph), else a wrapping Paragraph."""
    if "\n" not in text and stringWidth(text, FONT, 10.5) <= width - PAD:
        return text
    return para(text, style(10.5, align=1) if label else None)


class _Rows:
    """Builds the 4-column table: label | value | label | value, with spans and text rows."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []
        self.styles: list[tuple] = []

    def pair(self, l1: str, v1: str, l2: str, v2: str) -> None:
        self.rows.append([_cell(l1, LABEL_W, True), _cell(v1, VALUE_W), _cell(l2, LABEL_W, True), _cell(v2, VALUE_W)])

    def wide(self, label: str, value: object, height: float | None = None) -> int:
        row = len(self.rows)
        cell = value if isinstance(value, (Flowable, list)) else _cell(str(value), CONTENT_WIDTH - LABEL_W)
        self.rows.append([_cell(label, LABEL_W, True), cell, "", ""])
        self.styles.append(("SPAN", (1, row), (3, row)))
        if height:
            self.styles.append(("MINROWHEIGHT", (0, row), (-1, row), height))
        return row

    def text(self, label: str, text: str) -> None:
        """Running text over as many rows as it needs; only the first carries the label."""
        chunks = _chunks(text)
        first = len(self.rows)
        for i, chunk in enumerate(chunks):
            self.wide(label if i == 0 else "", chunk)
        last = len(self.rows) - 1
        if last > first:
            # One cell to the eye: no lines between the pieces of the same text.
            self.styles.append(("LINEBELOW", (0, first), (-1, last - 1), 0, colors.white))
            self.styles.append(("LINEABOVE", (0, first + 1), (-1, last), 0, colors.white))


def _opinion_cell(step: StepRecord | None) -> list[Flowable]:
    """The recorded opinion, then room for handwriting, signature, date and stamp."""
    cell: list[Flowable] = []
    if step is not None:
        amount = f"　审核金额：{format_yuan_label(step.amount_fen)}（{to_daxie(step.amount_fen)}）" \
            if step.amount_fen else ""
        verdict = {StepKind.DECISION: "", StepKind.REJECT: "不予救助：", StepKind.RETURN: "退回补充材料："}[step.kind]
        cell.append(para(f"{verdict}{step.opinion}{amount}"))
        cell.append(Spacer(1, 8 * mm))
        cell.append(para(f"签字：{step.signer}　　　　（盖章）　　　　{format_date_cn(step.on)}", style(10.5, align=2)))
    else:
        cell.append(Spacer(1, 16 * mm))
        cell.append(para("签字：______________　　　　（盖章）　　　　____年____月____日", style(10.5, align=2)))
    return cell


def form_story(data: FormData) -> list[Flowable]:
    """The form as ReportLab flowables."""
    register_font()  # the cells measure text in the embedded font
    c, app, st = data.case, data.case.application, data.society
    steps = {s.kind: s for s in data.steps}  # the latest of each kind
    decisions = {s.level: s for s in data.steps
                 if s.kind in (StepKind.DECISION, StepKind.REJECT, StepKind.RETURN) and s.level}
    r = _Rows()
    r.pair("申请人", app.applicant_name, "性别", app.sex.label)
    r.pair("身份证号", app.id_number, "出生日期", birth_shown(app))
    r.pair("联系电话", app.phone, "户籍情况", app.residence.label)
    r.wide("现住址", app.address)
    if app.hukou_address:
        r.wide("户籍地址", app.hukou_address)
    r.pair("家庭人口", f"{app.household_size} 人", "家庭类别", app.household_type.label)
    members = "、".join(f"{m.name}（{m.relation}）" for m in app.members) or "无"
    r.wide("家庭成员", members)
    r.wide("救助事由", app.cause.label)
    r.text("困难情况", app.hardship)
    r.wide("申请金额", _money(app.requested_fen))
    r.wide("审批金额", _money(data.approved_fen))
    if app.other_aid:
        r.text("已获其他救助", app.other_aid)
    account = "现金（领款人签字）" if not app.account_no else \
        f"{app.payment_method.label}　{app.bank_name}　账号 {app.account_no}　户名 {app.account_holder}"
    r.wide("发放账户", account)
    if app.agent_name:
        r.wide("代理人", f"{app.agent_name}（{app.agent_relation}）身份证号 {app.agent_id_number}，"
                       f"{'已' if app.agent_has_poa else '未'}提供授权委托书")
    attachments = "、".join(a.original_name for a in c.attachments) or "无"
    r.text("附件", attachments)
    h = data.history
    earlier = "无" if not h.case_count else (
        f"在本社申请 {h.case_count} 次，获救助 {h.times_aided} 次，累计 {format_yuan_label(h.total_paid_fen)}"
        + (f"；最近一次 {format_date_cn(h.last_paid_on)}，{format_yuan_label(h.last_paid_fen)}" if h.last_paid_on else ""))
    r.wide("此前救助", earlier)
    if visit := steps.get(StepKind.VISIT):
        r.text("入户调查", f"{format_date_cn(visit.on)}，调查人：{visit.signer}。{visit.opinion}")
    if board := steps.get(StepKind.DELIBERATION):
        amount = format_yuan_label(board.amount_fen) if board.amount_fen else ""
        r.text("民主评议", f"{format_date_cn(board.on)}，参加：{board.signer}。{board.opinion}　评议金额：{amount}")
    if notice := steps.get(StepKind.NOTICE):
        objections = [s for s in data.steps if s.kind is StepKind.OBJECTION]
        r.text("公示情况", f"{notice.opinion}，地点：{notice.details.get('place', '')}。"
                           + (f"收到异议 {len(objections)} 条，均已处理。" if objections else "公示期内无异议。"))
    for level in Level:
        row = r.wide(LEVEL_TITLES[level], _opinion_cell(decisions.get(level)))
        r.styles.append(("MINROWHEIGHT", (0, row), (-1, row), 32 * mm))

    table = Table(r.rows, colWidths=[LABEL_W, CONTENT_WIDTH / 2 - LABEL_W, LABEL_W, CONTENT_WIDTH / 2 - LABEL_W],
                  splitByRow=1, repeatRows=0)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10.5),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (2, 0), (2, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        *r.styles,
    ]))
    return [
        Paragraph(f"{st.name}", SUBTITLE()),
        Paragraph("救助申请审批表", TITLE()),
        Spacer(1, 3 * mm),
        Table([[para(f"编号：{c.case_no}", SMALL()), para(f"申请日期：{format_date_cn(app.applied_on)}", style(9, align=2))]],
              colWidths=[CONTENT_WIDTH / 2] * 2, style=[("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
        table,
        Spacer(1, 2 * mm),
        para(f"{st.district}{st.town}{st.village}　本表一式两份，由互助社和乡镇（街道）各存一份。", SMALL()),
    ]


def write_form(data: FormData, out: str | Path | IO[bytes]) -> None:
    """Write one case's approval form as a PDF."""
    build(out, form_story(data), title=f"救助申请审批表 {data.case.case_no}", author=data.society.name)


def write_forms(forms: list[list[Flowable]], out: str | Path | IO[bytes], title: str) -> None:
    """Write many forms (their stories) into one PDF: one font subset, each form on its own
    pages with its own 第 N 页 共 M 页."""
    story: list[Flowable] = []
    for n, form in enumerate(forms):
        if n:
            story.append(PageBreak())
        story.append(DocumentStart())
        story += form
    build(out, story, title=title)

