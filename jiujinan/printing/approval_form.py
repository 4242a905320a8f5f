"""救助申请审批表: one per case, A4, with one opinion box per level for signature and stamp.

The case's particulars are one ruled table whose rows split between pages inside long text
(a 2,000-character account flows on, borders unbroken); the three opinion boxes, each tall
enough for a 42 mm seal beside the signature, stay together on one page. Continuation pages
name the form, the case and the applicant at the top; the foot says 第 N 页 共 M 页.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.disclosure import birth_shown
from jiujinan.cases.enums import CaseStatus, Level, StepKind
from jiujinan.cases.history import AidHistory
from jiujinan.cases.money import format_yuan_label, to_daxie
from jiujinan.cases.records import StepRecord, StoredCase, deciding_office, handled_by
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import (
    CONTENT_WIDTH, FONT, PAGE_HEIGHT, SUBTITLE, TITLE, DocumentStart, build, para, register_font,
)
from jiujinan.printing.lines import Ends, Lines, break_lines

TITLE_TEXT = "救助申请审批表"
LABEL_W = 28 * mm  # six characters of 10.5 pt on a line: every label is written to fit
VALUE_W = CONTENT_WIDTH / 2 - LABEL_W
WIDE_W = CONTENT_WIDTH - LABEL_W
PAD = 12  # left + right cell padding, in points
LABEL_BG = colors.HexColor("#f2f2f2")
SPLITTABLE = 50 * mm  # a text row taller than this may be split between pages
BOX_HEIGHT = 46 * mm  # an opinion box: a 42 mm seal beside the signature, and the opinion above
SEAL_ROOM = 44 * mm  # the right part of the box's foot, where the seal goes over office and date
# The boxes' labels, broken by hand where a reader breaks them (never «区民政局审|批意见»); the
# office that decides is named inside the box, from the society's settings.
LEVEL_LABELS = {Level.VILLAGE: "村（社区）\n意见", Level.TOWN: "乡镇（街道）\n审核意见", Level.DISTRICT: "区（县）\n审批意见"}
DECLARATION = ("本人承诺以上情况属实，所提供材料真实有效，同意有关部门核查家庭经济状况。"
               "如有虚报、隐瞒、伪造，愿承担相应责任并退回所得救助金。")


@dataclass(frozen=True)
class FormData:
    """Everything the form shows about one case."""

    society: SocietySettings
    case: StoredCase
    steps: tuple[StepRecord, ...]
    history: AidHistory
    approved_fen: int | None


def _money(fen: int | None) -> str:
    if not fen:
        return "¥__________　（大写：____________________）"
    return f"{format_yuan_label(fen)}　（大写：{to_daxie(fen)}）"


def _cell(text: str, width: float, label: bool = False) -> object:
    """A plain string when every line fits (drawn directly by the table, cheapest), else the
    text broken into lines (printing/lines.py)."""
    if all(stringWidth(line, FONT, 10.5) <= width - PAD for line in text.split("\n")):
        return text
    return Lines(text, align=1 if label else 0)


_GRID = (
    ("FONT", (0, 0), (-1, -1), FONT, 10.5),
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("ALIGN", (0, 0), (0, -1), "CENTER"),
    ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
    ("TOPPADDING", (0, 0), (-1, -1), 4),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
)


class _Rows:
    """Builds the form's two tables: the pairs of short fields in four columns, then label |
    value rows in two, with no cell spanning columns: ReportLab splits a long row between
    pages only in a table without spans."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []
        self.pairs: list[list[object]] = []
        self.styles: list[tuple] = []

    def pair(self, l1: str, v1: str, l2: str, v2: str) -> None:
        """Two short fields side by side; pairs go in a table of their own (head_table)."""
        self.pairs.append([_cell(l1, LABEL_W, True), _cell(v1, VALUE_W), _cell(l2, LABEL_W, True),
                           _cell(v2, VALUE_W)])

    def wide(self, label: str, value: object) -> int:
        row = len(self.rows)
        cell = value if isinstance(value, (Flowable, list)) else _cell(str(value), WIDE_W)
        self.rows.append([_cell(label, LABEL_W, True), cell])
        if isinstance(cell, Lines) and cell.wrap(WIDE_W - PAD, PAGE_HEIGHT)[1] > SPLITTABLE:
            # A row that may run onto the next page is laid out from the top: ReportLab splits
            # a middle-aligned row with gaps and its label on the wrong page.
            self.styles.append(("VALIGN", (0, row), (-1, row), "TOP"))
        return row

    def head_table(self) -> Table:
        """The pairs, in four columns lined up with the label column below."""
        table = Table(self.pairs, colWidths=[LABEL_W, VALUE_W, LABEL_W, VALUE_W])
        table.setStyle(TableStyle([*_GRID, ("ALIGN", (2, 0), (2, -1), "CENTER"),
                                   ("BACKGROUND", (2, 0), (2, -1), LABEL_BG)]))
        return table

    def table(self, **kwargs: object) -> Table:
        table = Table(self.rows, colWidths=[LABEL_W, WIDE_W], **kwargs)
        table.setStyle(TableStyle([*_GRID, *self.styles]))
        return table


def _members(data: FormData) -> object:
    """The household: name, relation, age and income source, one line each."""
    members = data.case.application.members
    if not members:
        return "无（单人户）"
    head = ["姓名（申请人以外）", "与申请人关系", "年龄", "收入来源"]
    widths = [(WIDE_W - PAD) * f for f in (0.3, 0.25, 0.13, 0.32)]
    rows: list[list[object]] = [head]
    for m in members:
        rows.append([Lines(m.name, 9.5), Lines(m.relation, 9.5, align=1),
                     "" if m.age is None else f"{m.age}岁", Lines(m.income_source, 9.5)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("FONT", (0, 0), (-1, -1), FONT, 9.5), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                               ("ALIGN", (2, 1), (2, -1), "CENTER"),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _earlier_aid(h: AidHistory) -> str:
    """此前救助: what the person had received here before applying (cases/history.py)."""
    if not h.case_count:
        return "无"
    text = f"在本社此前申请 {h.case_count} 次，获救助 {h.times_aided} 次"
    if h.times_aided:
        text += f"，累计 {format_yuan_label(h.total_paid_fen)}；最近一次 {format_date_cn(h.last_paid_on)}，" \
                f"{format_yuan_label(h.last_paid_fen)}"
    return text


def _signature_line(*labels: str) -> str:
    return "　　".join(f"{label}：____________" for label in labels)


def _steps_rows(r: _Rows, data: FormData) -> None:
    """The village stage as recorded: advance, visit, board, notice, and who handled it."""
    steps = {s.kind: s for s in data.steps}  # the latest of each kind
    if advance := steps.get(StepKind.EMERGENCY):
        text = (f"{format_date_cn(advance.on)}经{advance.signer}批准先行救助 {format_yuan_label(advance.amount_fen)}"
                f"（{to_daxie(advance.amount_fen or 0)}）。紧急情况：{advance.opinion}")
        paid = [s for s in data.steps if s.kind is StepKind.PAYMENT and s.on >= advance.on]
        if paid:
            text += f"\n已于{format_date_cn(paid[0].on)}发放 {format_yuan_label(paid[0].amount_fen)}"
        if deadline := advance.details.get("deadline"):
            text += f"{'，' if paid else chr(10)}补办审批手续期限：{_cn(deadline)}"
        r.wide("先行救助", Lines(text))
    if visit := steps.get(StepKind.VISIT):
        r.wide("入户调查", [Lines(f"{format_date_cn(visit.on)}入户调查，调查人：{visit.signer}。{visit.opinion}"),
                            Spacer(1, 3 * mm),
                            Lines(_signature_line("调查人签字", "被调查人（户主）签字"), align=2)])
    if board := steps.get(StepKind.DELIBERATION):
        amount = f"\n评议金额：{format_yuan_label(board.amount_fen)}" if board.amount_fen else ""
        text = f"{format_date_cn(board.on)}民主评议，参加人员：{board.signer}。{board.opinion}{amount}"
        if reason := str(board.details.get("repeat_reason", "")):
            text += f"\n一事一救：理事会记录再次救助的理由：{reason}"
        r.wide("民主评议", Lines(text))
    if notice := steps.get(StepKind.NOTICE):
        objections = [s for s in data.steps if s.kind is StepKind.OBJECTION]
        span = notice.opinion.split("，")[0]  # «公示5个工作日»; the dates from the step's own fields
        start, end = notice.details.get("start"), notice.details.get("end")
        when = f"自{_cn(start)}至{_cn(end)}" if start and end else f"自{format_date_cn(notice.on)}起"
        r.wide("公示情况", Lines(f"{when}在{notice.details.get('place', '')}{span}。"
                                + (f"收到异议 {len(objections)} 条，均已处理。" if objections else "公示期内无异议。")))


def _cn(iso: object) -> str:
    return format_date_cn(dt.date.fromisoformat(str(iso)))


def _handled_by(data: FormData) -> str:
    """受理人 (who registered the case) and 经办人 (cases/records.handled_by)."""
    c = data.case
    return (f"受理人：{c.created_by}　　受理日期：{format_date_cn(c.application.applied_on)}　　"
            f"经办人：{handled_by(data.steps, c.created_by)}")


def _box(data: FormData, level: Level, step: StepRecord | None, note: str | None) -> list[Flowable]:
    """One opinion box: the recorded opinion (or room to write it), then at its foot the
    signature on the left and, on the right, the office and date the seal goes over."""
    width = WIDE_W - PAD
    office = deciding_office(step, level, data.society)
    if note is not None:  # this level has nothing to sign: said, not left blank as if waiting
        return [Lines(note, align=1)]
    if step is None:
        top: list[Flowable] = [Lines("意见：")]
        signer, date = "签字：______________", "____年____月____日"
    else:
        verdict = {StepKind.DECISION: "", StepKind.REJECT: "不予救助。理由：",
                   StepKind.RETURN: "退回补充材料："}[step.kind]
        lines = [f"{verdict}{step.opinion}"]
        if step.kind is StepKind.DECISION and step.amount_fen:
            label = "审批金额" if step.details.get("final") or level is Level.DISTRICT else "审核金额"
            lines.append(f"{label}：{format_yuan_label(step.amount_fen)}（{to_daxie(step.amount_fen)}）")
            if not step.details.get("final") and step.details.get("outcome"):
                lines.append(str(step.details["outcome"]))
        top = [Lines("\n".join(lines))]
        # The name as recorded, and room for the hand that signs it.
        signer, date = f"签字人：{step.signer}　签字：__________", format_date_cn(step.on)
    foot = Ends(signer, "\n".join([*break_lines(f"{office}（盖章）", SEAL_ROOM + 20 * mm), date]), SEAL_ROOM + 20 * mm)
    used = sum(f.wrap(width, BOX_HEIGHT)[1] for f in top) + foot.wrap(width, BOX_HEIGHT)[1]
    room = BOX_HEIGHT - 8 - used  # the row's padding
    return [*top, Spacer(1, max(room, 4 * mm)), foot]


def _level_notes(data: FormData, decisions: dict[Level, StepRecord]) -> dict[Level, str]:
    """What an unsigned box says when its level has nothing to do: the case was decided,
    refused or returned below it."""
    notes: dict[Level, str] = {}
    stopped: tuple[Level, str] | None = None
    for level in Level:
        if stopped is not None:
            notes[level] = stopped[1]
            continue
        step = decisions.get(level)
        if step is None:
            continue
        if step.kind is StepKind.DECISION and step.details.get("final"):
            stopped = (level, f"已由{deciding_office(step, level, data.society)}审批（金额在其审批权限内），本级无需审核")
        elif step.kind is StepKind.REJECT:
            stopped = (level, f"已于{format_date_cn(step.on)}经{level.label}级审核不予救助，本级无需审核")
        elif step.kind is StepKind.RETURN and data.case.status is CaseStatus.RETURNED:
            stopped = (level, f"{level.label}级已于{format_date_cn(step.on)}退回补充材料，材料补齐后再审")
    return notes


def _copies(data: FormData, decisions: dict[Level, StepRecord]) -> str:
    """Who keeps a copy: the district too when the case goes up to it."""
    amount = max(data.case.application.requested_fen, data.approved_fen or 0)
    if Level.DISTRICT in decisions or amount > data.society.town_limit_fen:
        return "本表一式三份，由互助社、乡镇（街道）和区各存一份。"
    return "本表一式两份，由互助社和乡镇（街道）各存一份。"


def form_story(data: FormData) -> list[Flowable]:
    """The form as ReportLab flowables."""
    register_font()  # the cells measure text in the embedded font
    c, app, st = data.case, data.case.application, data.society
    r = _Rows()
    r.pair("申请人", app.applicant_name, "性别", app.sex.label)
    r.pair("身份证号", app.id_number, "出生日期", birth_shown(app))
    r.pair("联系电话", app.phone, "户籍情况", app.residence.label)
    r.wide("现住址", app.address)
    if app.hukou_address:
        r.wide("户籍地址", app.hukou_address)
    r.pair("家庭人口", f"{app.household_size} 人（含申请人）", "家庭类别", app.household_type.label)
    r.wide("家庭成员", _members(data))
    r.wide("救助事由", app.cause.label)
    r.wide("困难情况", Lines(app.hardship))
    r.wide("申请金额", _money(app.requested_fen))
    if c.status is CaseStatus.REJECTED:
        r.wide("审批金额", "不予救助")
    else:
        r.wide("审批金额", _money(data.approved_fen))
    r.wide("其他社会救助\n政策享受情况", Lines(app.other_aid or "无"))
    account = "现金（领款人签字）" if not app.account_no else \
        f"{app.payment_method.label}　{app.bank_name}　账号 {app.account_no}　户名 {app.account_holder}"
    r.wide("发放账户", account)
    if app.agent_name:
        r.wide("代理人", f"{app.agent_name}（{app.agent_relation}）身份证号 {app.agent_id_number}，"
                       f"{'已' if app.agent_has_poa else '未'}提供授权委托书")
    r.wide("附件", Lines("、".join(a.original_name for a in c.attachments) or "无"))
    r.wide("此前救助", _earlier_aid(data.history))
    _steps_rows(r, data)
    r.wide("受理经办", _handled_by(data))
    r.wide("申请人\n承诺", [Lines(DECLARATION), Spacer(1, 5 * mm),
                         Lines("申请人（代理人）签字或按手印：______________　　　____年____月____日", align=2)])

    decisions = {s.level: s for s in data.steps
                 if s.kind in (StepKind.DECISION, StepKind.REJECT, StepKind.RETURN) and s.level}
    notes = _level_notes(data, decisions)
    boxes = _Rows()
    for level in Level:
        boxes.wide(LEVEL_LABELS[level], _box(data, level, decisions.get(level), notes.get(level)))
    opinion_table = boxes.table(rowHeights=None, minRowHeights=[BOX_HEIGHT] * 3)
    opinion_table.setStyle(TableStyle([("VALIGN", (1, 0), (-1, -1), "TOP")]))

    head = f"{TITLE_TEXT}　编号：{c.case_no}　申请人：{app.applicant_name}"
    return [
        DocumentStart(head),
        para(st.name, SUBTITLE()),  # escaped: a name is text, never markup
        Paragraph(TITLE_TEXT, TITLE()),
        Spacer(1, 3 * mm),
        Ends(f"编号：{c.case_no}", f"申请日期：{format_date_cn(app.applied_on)}", 50 * mm, size=9),
        Spacer(1, 1 * mm),
        r.head_table(),
        r.table(splitByRow=1, splitInRow=1, repeatRows=0),
        KeepTogether([opinion_table,
                      Spacer(1, 2 * mm),
                      Lines(f"{st.district}{st.town}{st.village}　{_copies(data, decisions)}", 9)]),
    ]


def write_form(data: FormData, out: str | Path | IO[bytes]) -> None:
    """Write one case's approval form as a PDF."""
    build(out, form_story(data), title=f"{TITLE_TEXT} {data.case.case_no}", author=data.society.name)


def write_forms(forms: list[list[Flowable]], out: str | Path | IO[bytes], title: str) -> None:
    """Write many forms (their stories) into one PDF: one font subset, each form on its own
    pages with its own 第 N 页 共 M 页 and its own running head."""
    story: list[Flowable] = []
    for n, form in enumerate(forms):
        if n:
            story.append(PageBreak())
        story += form
    build(out, story, title=title)
