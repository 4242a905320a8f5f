"""What a packet carries (``packet.json``), made and read: the societies of the cases sent up,
each case with its timeline (and, going up, its application and attachments), and the numbers
of the receiver's packets the sender applied (its receipts).

Reading treats the content as hostile, as an import does (exports/): every value is checked
for its type and bounds, the application by the same rules as the form, each step's free text
by the review's text rules; anything wrong refuses the whole packet, naming the case and field.
Qt-free and SQL-free."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from jiujinan.cases.application import Application, ApplicationInput, MEMBER_CELLS, as_input, validate_application
from jiujinan.cases.case_number import parse_case_no
from jiujinan.cases.enums import CaseStatus, Level, StepKind
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.case_number import format_case_no
from jiujinan.cases.exchange import DATE_STATE, STATE_FIELDS, STEP_FIELDS, chain_problem, decision_of, owner_level
from jiujinan.cases.file_names import clean_file_name
from jiujinan.cases.review import TEXT_FIELDS
from jiujinan.cases.society import SocietySettings
from jiujinan.cases.text import clean_text
from jiujinan.exchange.packet import PacketRejected

FORMAT = "jiujinan-packet-content"
VERSION = 1
MAX_CASES = 20_000
MAX_STEPS = 500  # of one case
MAX_ATTACHMENTS = 200  # of one case
MAX_FEN = 10**12
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CODE = re.compile(r"\d{12}")


@dataclass(frozen=True)
class IncomingCase:
    case_no: str
    society_code: str
    year: int
    seq: int
    steps: list[dict[str, Any]]
    state: dict[str, Any]
    application: Application | None = None
    created_at: dt.datetime | None = None
    created_by: str = ""
    attachments: list[dict[str, Any]] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class Content:
    societies: dict[str, SocietySettings]
    cases: list[IncomingCase]
    receipts: list[int]


def content_dict(societies: list[SocietySettings], cases: list[dict[str, Any]], receipts: list[int]) -> dict:
    """``packet.json`` as written: an application goes as the form's values (as_input)."""
    out_cases = []
    for item in cases:
        item = dict(item)
        app = item.pop("application", None)
        if app is not None:
            values = dataclasses.asdict(as_input(app))
            values["applied_on"] = app.applied_on.isoformat()
            values["members"] = [list(m) for m in values["members"]]
            item["application"] = values
        out_cases.append(item)
    return {"format": FORMAT, "version": VERSION, "societies": [dataclasses.asdict(s) for s in societies],
            "cases": out_cases, "receipts": sorted(set(receipts))}


class _Bad(Exception):
    pass


def read_content(raw: dict[str, Any], today: dt.date, where: str) -> Content:
    """The content checked through; PacketRejected naming what is wrong."""
    try:
        return _read(raw, today)
    except _Bad as err:
        raise PacketRejected(f"{where} 的内容不对：{err}") from None


def _read(raw: dict[str, Any], today: dt.date) -> Content:
    if raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise _Bad("格式或版本不对")
    societies = {}
    for item in _list(raw.get("societies"), 1000, "互助社"):
        settings = _society(item)
        societies[settings.area_code] = settings
    receipts = [_int(n, 1, 10**9, "回执编号") for n in _list(raw.get("receipts"), 100_000, "回执")]
    cases = []
    seen = set()
    for item in _list(raw.get("cases"), MAX_CASES, "案件"):
        incoming = _case(item, today)
        if incoming.case_no in seen:
            raise _Bad(f"案件 {incoming.case_no} 出现了两次")
        seen.add(incoming.case_no)
        cases.append(incoming)
    return Content(societies, cases, receipts)


def _list(value: object, most: int, what: str) -> list:
    if not isinstance(value, list):
        raise _Bad(f"{what}应为列表")
    if len(value) > most:
        raise _Bad(f"{what}过多（{len(value)}）")
    return value


def _dict(value: object, what: str) -> dict:
    if not isinstance(value, dict):
        raise _Bad(f"{what}应为对象")
    return value


def _int(value: object, low: int, high: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _Bad(f"{what}不对")
    return value


def _opt_int(value: object, low: int, high: int, what: str) -> int | None:
    return None if value is None else _int(value, low, high, what)


def _str(value: object, most: int, what: str) -> str:
    if not isinstance(value, str) or len(value) > most:
        raise _Bad(f"{what}不对")
    return value


YEARS = range(1990, 2200)  # of every date and time a packet carries


def _date(value: object, what: str) -> dt.date:
    text = _str(value, 10, what)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{what}不对") from None
    if day.year not in YEARS or day.isoformat() != text:
        raise _Bad(f"{what}不对")
    return day


def _moment(value: object, what: str) -> dt.datetime:
    """A time as the app writes it: UTC, ISO, so that it is stored and named (step_token) alike."""
    text = _str(value, 40, what)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{what}不对") from None
    if moment.tzinfo is None or moment.utcoffset() != dt.timedelta(0) or moment.year not in YEARS \
            or moment.isoformat() != text:
        raise _Bad(f"{what}应为协调世界时（UTC）")
    return moment


def _clean(value: object, most: int, what: str, *, multiline: bool = False) -> str:
    """Text that is already as the app's text rule leaves it (no control or direction characters)."""
    text = _str(value, most, what)
    try:
        clean = clean_text(text, field="text", label=what, max_len=most, multiline=multiline)
    except ValidationError as err:
        raise _Bad(str(err)) from None
    if clean != text.replace("\r\n", "\n") and clean != text:
        raise _Bad(f"{what}的首尾有空白或格式不对")
    return text


def _society(item: object) -> SocietySettings:
    values = _dict(item, "互助社")
    names = {f.name: str(f.type) for f in fields(SocietySettings)}
    if set(values) != set(names):
        raise _Bad("互助社设置的项不对")
    for name, kind in names.items():
        value = values[name]
        fits = {"str": isinstance(value, str) and len(value) <= 200, "bool": isinstance(value, bool),
                "int": isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_FEN,
                "int | None": value is None or (isinstance(value, int) and not isinstance(value, bool)
                                                and 0 <= value <= MAX_FEN)}.get(kind, False)
        if not fits:
            raise _Bad(f"互助社设置 {name} 不对")
    try:
        return SocietySettings(**values).validated()
    except ValidationError as err:
        raise _Bad(f"互助社设置不对：{err}") from None


def _case(item: object, today: dt.date) -> IncomingCase:
    values = _dict(item, "案件")
    case_no = _str(values.get("case_no"), 32, "案件编号")
    parsed = parse_case_no(case_no)
    if parsed is None:
        raise _Bad(f"案件编号 {case_no[:32]} 不对")
    code, year, seq = parsed
    if case_no != format_case_no(code, year, seq):
        raise _Bad(f"案件编号 {case_no[:32]} 的写法不对")
    society_code = _str(values.get("society_code"), 12, "区划代码")
    if society_code != code:
        raise _Bad(f"案件 {case_no} 的区划代码与编号不符")

    def bad(reason: str) -> _Bad:
        return _Bad(f"案件 {case_no}：{reason}")

    try:
        steps = [_step(step) for step in _list(values.get("steps"), MAX_STEPS, "办理记录")]
        state = _state(_dict(values.get("state"), "状态"))
    except _Bad as err:
        raise bad(str(err)) from None
    if not steps or steps[-1]["status_after"] != state["status"]:
        raise bad("办理记录与状态不符")
    chain = [(StepKind(st["kind"]), Level(st["level"]) if st["level"] else None, CaseStatus(st["status_before"]),
              CaseStatus(st["status_after"]), st["amount_fen"]) for st in steps]
    if problem := chain_problem(chain):
        raise bad(f"办理记录不是审核规则能记下的：{problem}")
    # What was decided is what the steps say, whatever the packet's state claims.
    state.update(decision_of(chain, [st["acted_on"] for st in steps]))
    app, created_at, created_by, attachments = None, None, "", []
    if "application" in values:
        app = _application(_dict(values["application"], "申请"), today, case_no)
        try:
            created_at = _moment(values.get("created_at"), "登记时间")
            created_by = _clean(values.get("created_by"), 30, "登记人")
            attachments = [_attachment(a) for a in _list(values.get("attachments"), MAX_ATTACHMENTS, "附件")]
        except _Bad as err:
            raise bad(str(err)) from None
    return IncomingCase(case_no, society_code, year, seq, steps, state, app, created_at, created_by, attachments)


def _step(item: object) -> dict[str, Any]:
    values = _dict(item, "办理记录")
    if set(values) != set(STEP_FIELDS):
        raise _Bad("办理记录的项不对")
    try:
        kind = StepKind(values["kind"])
        level = Level(values["level"]) if values["level"] is not None else None
        CaseStatus(values["status_before"])
        CaseStatus(values["status_after"])
    except (ValueError, TypeError):
        raise _Bad("办理记录的步骤、层级或状态不对") from None
    _date(values["acted_on"], "办理日期")
    _moment(values["recorded_at"], "记录时间")
    _opt_int(values["amount_fen"], -MAX_FEN, MAX_FEN, "金额")
    _clean(values["recorded_by"], 30, "记录人")
    details = _str(values["details_json"], 20_000, "详情")
    _clean(values["signer"], 300, "签字人")
    _clean(values["opinion"], TEXT_FIELDS["opinion"][1], "意见", multiline=True)
    if details:
        import json

        try:
            parsed = json.loads(details)
        except (ValueError, RecursionError):
            raise _Bad("办理记录的详情不对") from None
        if not isinstance(parsed, dict) or any(ch < " " for ch in details):
            raise _Bad("办理记录的详情不对")
    values = dict(values)
    values["owner"] = owner_level(kind, level)  # not part of the step: what ownership checks
    return values


def _state(values: dict) -> dict[str, Any]:
    if set(values) != set(STATE_FIELDS):
        raise _Bad("状态的项不对")
    out: dict[str, Any] = {}
    try:
        out["status"] = CaseStatus(values["status"]).value
        out["decided_level"] = Level(values["decided_level"]).value if values["decided_level"] is not None else None
        out["resume_status"] = CaseStatus(values["resume_status"]).value \
            if values["resume_status"] is not None else None
    except (ValueError, TypeError):
        raise _Bad("状态不对") from None
    for name in ("proposed_fen", "approved_fen", "emergency_fen"):
        out[name] = _opt_int(values[name], 0, MAX_FEN, name)
    out["paid_fen"] = _int(values["paid_fen"], 0, MAX_FEN, "已发放金额")
    out["open_objections"] = _int(values["open_objections"], 0, 10_000, "未处理异议")
    if not isinstance(values["emergency"], bool):
        raise _Bad("先行救助标记不对")
    out["emergency"] = values["emergency"]
    for name in DATE_STATE:
        out[name] = _date(values[name], name).isoformat() if values[name] is not None else None
    return out


def _application(values: dict, today: dt.date, case_no: str) -> Application:
    names = {f.name for f in fields(ApplicationInput)}
    if set(values) != names:
        raise _Bad(f"案件 {case_no} 的申请项不对")
    typed: dict[str, Any] = {}
    for name in names:
        value = values[name]
        if name == "members":
            rows = _list(value, 50, "家庭成员")
            if any(not isinstance(r, list) or len(r) != MEMBER_CELLS or not all(isinstance(c, str) for c in r)
                   for r in rows):
                raise _Bad(f"案件 {case_no} 的家庭成员不对")
            typed[name] = [tuple(r) for r in rows]
        elif name == "agent_has_poa":
            if not isinstance(value, bool):
                raise _Bad(f"案件 {case_no} 的授权委托书标记不对")
            typed[name] = value
        elif name == "applied_on":
            typed[name] = _date(value, "申请日期")
        else:
            typed[name] = _str(value, 5000, name)
    try:
        return validate_application(ApplicationInput(**typed), today)
    except ValidationError as err:
        raise _Bad(f"案件 {case_no} 的申请不符合规定：{err}") from None


def _attachment(item: object) -> dict[str, Any]:
    values = _dict(item, "附件")
    if set(values) != {"name", "sha256", "size", "added_at", "added_by"}:
        raise _Bad("附件的项不对")
    digest = _str(values["sha256"], 64, "附件校验值")
    if not _HEX64.fullmatch(digest):
        raise _Bad("附件校验值不对")
    name = clean_file_name(_str(values["name"], 255, "附件名"))
    return {"name": name, "sha256": digest, "size": _int(values["size"], 0, 200 * 1024 * 1024, "附件大小"),
            "added_at": _moment(values["added_at"], "添加时间").isoformat(),
            "added_by": _clean(values["added_by"], 30, "添加人")}
