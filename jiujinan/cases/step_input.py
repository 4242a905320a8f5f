"""What a person types for a review step, turned into the step: one table and one reader for
the step dialog and for ``jiujinan case act`` (they used to keep a list each, and split a
list of names differently)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jiujinan.cases.dates import parse_date
from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.errors import DomainError
from jiujinan.cases.money import parse_yuan
from jiujinan.cases.text import split_names

if TYPE_CHECKING:
    from jiujinan.cases.review import Action

# How a field is typed: a date, a line, a longer text, a list of names (、，,；; between them),
# a list of lines (one item per line: 需补充的材料), an amount in yuan, a tick, a reason
# chosen from the usual ones or typed.
DATE, TEXT, LONG, NAMES, LINES, AMOUNT, CHECK, REASON = "date", "text", "long", "names", "lines", "amount", "check", \
    "reason"


@dataclass(frozen=True)
class StepField:
    """One field of a step: its name (the dialog's; ``key`` on the command line), the label
    in the dialog, the short name in a message, how it is typed, and whether the command line
    must be given it (the dialog fills it in or the step's rule says what is missing)."""

    name: str
    label: str
    short: str
    kind: str
    required: bool = False
    key: str = ""
    default: str = ""  # what the dialog offers before anything is typed (data, saved as it is)

    @property
    def command_key(self) -> str:
        return self.key or self.name


@dataclass(frozen=True)
class StepForm:
    """A step as a person records it: its ``case act`` name, its label and fields."""

    kind: StepKind
    command: str
    label: str
    fields: tuple[StepField, ...]
    by_level: bool = False  # decided at the level the case waits at (or given as level=)


def _on(label: str) -> StepField:
    return StepField("on", label, "日期", DATE, True, key="date")


def _signer(label: str = "签字人") -> StepField:
    return StepField("signer", label, "签字人", TEXT, True)


DEFAULT_OPINION = "同意"  # a decision's opinion when none is typed (the usual word on the form)

STEPS: tuple[StepForm, ...] = (
    StepForm(StepKind.VISIT, "visit", "入户调查", (
        _on("调查日期"), StepField("investigators", "调查人（至少两人，用逗号分隔）", "调查人", NAMES, True),
        StepField("findings", "调查情况", "调查结论", LONG, True),
        StepField("household_signed", "申请人家庭已签字确认", "家庭签字确认", CHECK))),
    StepForm(StepKind.DELIBERATION, "deliberation", "理事会评议", (
        _on("评议日期"), StepField("attendees", "参会理事（逗号分隔）", "参会人员", NAMES, True),
        StepField("result", "评议结果", "评议结果", TEXT, True, default="同意救助"), StepField("amount", "评议金额（元）", "金额", AMOUNT, True),
        StepField("repeat_reason", "再次救助理由（一事一救）", "再次救助理由", LONG))),
    StepForm(StepKind.NOTICE, "notice", "公示", (
        _on("公示开始日期"), StepField("place", "公示地点", "公示地点", TEXT, True, default="村务公开栏"))),
    StepForm(StepKind.OBJECTION, "objection", "异议", (
        _on("收到异议日期"), StepField("content", "异议内容", "异议内容", LONG, True),
        StepField("resolution", "处理结果（已处理时填写）", "处理结果", LONG))),
    StepForm(StepKind.OBJECTION_RESOLVED, "resolve", "处理异议", (
        _on("处理日期"), StepField("resolution", "处理结果", "处理结果", LONG, True))),
    StepForm(StepKind.DECISION, "decide", "审批", (
        _on("签署日期"), _signer(), StepField("opinion", "审核意见", "审核意见", LONG, default=DEFAULT_OPINION),
        StepField("amount", "同意金额（元）", "金额", AMOUNT, True),
        StepField("over_request_reason", "超过申请金额的理由", "超过申请金额的理由", LONG)), by_level=True),
    StepForm(StepKind.REJECT, "reject", "不予救助", (
        _on("决定日期"), _signer(), StepField("reasons", "不予救助的理由", "理由", LONG, True)), by_level=True),
    StepForm(StepKind.RETURN, "return", "退回补充", (
        _on("退回日期"), _signer(),
        StepField("missing", "需补充的材料（每行一项，一次性告知）", "需补充的材料", LINES, True)), by_level=True),
    StepForm(StepKind.RESUME, "resume", "补齐后继续", (_on("材料补齐日期"), StepField("note", "说明", "说明", TEXT))),
    StepForm(StepKind.CLOSE, "close", "结案", (_on("结案日期"), StepField("note", "说明", "说明", TEXT))),
    StepForm(StepKind.EMERGENCY, "emergency", "先行救助", (
        _on("批准日期"), _signer("批准人"), StepField("reason", "紧急情况", "理由", LONG, True),
        StepField("amount", "先行救助金额（元）", "金额", AMOUNT, True))),
    StepForm(StepKind.WITHDRAW, "withdraw", "撤回", (
        _on("撤回日期"), StepField("reason", "撤回理由（可选择或填写）", "理由", REASON, True))),
)
FORMS: dict[StepKind, StepForm] = {form.kind: form for form in STEPS}
BY_COMMAND: dict[str, StepForm] = {form.command: form for form in STEPS}


def split_lines(text: str) -> tuple[str, ...]:
    """One item per line, trimmed, empty lines left out (a list of missing material: an item
    may hold commas of its own, so only the line ends it)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def parse_level(text: str) -> Level:
    """village/town/district, or 村/乡镇/区 as the levels are called."""
    for level in Level:
        if text in (level.value, level.label, level.label[:2]):
            return level
    raise DomainError(f"level 应为 village/town/district（村/乡镇/区），不是“{text}”")


def _ticked(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "是", "y", "yes", "true")


def build_step(kind: StepKind, values: Mapping[str, object], *, level: Level, today: dt.date) -> Action:
    """The step from what was typed, by field name (a date may already be a date; a tick a
    bool). Field problems are raised as the domain's errors, tied to their fields."""
    # The steps' rules load when a step is read, not when the command line lists them.
    from jiujinan.cases.review import (
        Close, Decide, Deliberation, Emergency, Objection, Reject, ResolveObjection, Resume, Return, StartNotice,
        Visit, Withdraw,
    )

    def text(name: str) -> str:
        return str(values.get(name, "") or "")

    def on() -> dt.date:
        day = values.get("on")
        return day if isinstance(day, dt.date) else parse_date(text("on"), field="on", today=today)

    def amount() -> int:
        return parse_yuan(text("amount"), field="amount")

    builders: dict[StepKind, Callable[[], Action]] = {
        StepKind.VISIT: lambda: Visit(on(), split_names(text("investigators")), text("findings"),
                                      _ticked(values.get("household_signed", False))),
        StepKind.DELIBERATION: lambda: Deliberation(on(), split_names(text("attendees")), text("result"), amount(),
                                                    text("repeat_reason")),
        StepKind.NOTICE: lambda: StartNotice(on(), text("place")),
        StepKind.OBJECTION: lambda: Objection(on(), text("content"), text("resolution")),
        StepKind.OBJECTION_RESOLVED: lambda: ResolveObjection(on(), text("resolution")),
        StepKind.DECISION: lambda: Decide(level, on(), text("signer"), text("opinion") or DEFAULT_OPINION, amount(),
                                          text("over_request_reason")),
        StepKind.REJECT: lambda: Reject(level, on(), text("signer"), text("reasons")),
        StepKind.RETURN: lambda: Return(level, on(), text("signer"), split_lines(text("missing"))),
        StepKind.RESUME: lambda: Resume(on(), text("note")),
        StepKind.CLOSE: lambda: Close(on(), text("note")),
        StepKind.EMERGENCY: lambda: Emergency(on(), text("signer"), text("reason"), amount()),
        StepKind.WITHDRAW: lambda: Withdraw(on(), text("reason")),
    }
    return builders[kind]()


def from_command(command: str, pairs: list[str], *, level: Level | None, today: dt.date) -> Action:
    """``case act``'s step from KEY=VALUE pairs (date= takes every form the dialog takes;
    level= names the level of a decision, refusal or return). What a step needs and was not
    given is said at once, by the names a clerk knows."""
    form = BY_COMMAND[command]
    lists = {f.command_key for f in form.fields if f.kind == LINES}
    known = [f.command_key for f in form.fields] + (["level"] if form.by_level else [])
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise DomainError(f"参数应为 KEY=VALUE：{pair}")
        key = key.strip()
        if key not in known:  # a typo (amuont=, repeat_reaosn=) must not be lost without a word
            raise DomainError(f"{form.label}（{command}）没有 {key}= 这一项；可填：{' '.join(k + '=' for k in known)}")
        if key in given and key not in lists:
            raise DomainError(f"{key}= 给了两次，请只给一次")
        # A list of lines takes one item per KEY= (missing=身份证 missing=诊断证明).
        given[key] = f"{given[key]}\n{value}" if key in given else value
    needed = [f for f in form.fields if f.required and not given.get(f.command_key, "").strip()]
    if form.by_level and not given.get("level", "").strip() and level is None:
        needed.insert(0, StepField("level", "层级", "层级", TEXT, True))
    if needed:
        said = "、".join(f"{f.short}（{f.command_key}=）" for f in needed)
        raise DomainError(f"{form.label}（{command}）缺少：{said}")
    values: dict[str, object] = {f.name: given[f.command_key] for f in form.fields if f.command_key in given}
    values["on"] = parse_date(given["date"], field="date", today=today)  # as --from and --to are read
    if given.get("level", "").strip():
        level = parse_level(given["level"].strip())
    return build_step(form.kind, values, level=level or Level.VILLAGE, today=today)
