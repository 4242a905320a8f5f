"""The district side: import village exports, record grants, reconcile."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from jiujinan.cases.areas import area_label, covers, require_area
from jiujinan.cases.dates import parse_date
from jiujinan.cases.errors import DomainError
from jiujinan.cases.fund import month_of
from jiujinan.cases.masking import mask_id
from jiujinan.cases.money import format_fen
from jiujinan.cases.text import clean_text
from jiujinan.db import audit, district
from jiujinan.cases.users import Permission
from jiujinan.exports.csv_format import inert
from jiujinan.exports.manifest import CLOCK_SKEW
from jiujinan.exports.read_export import ExportRejected, read_export
from jiujinan.files import replacing
from jiujinan.exports.signature import open_envelope
from jiujinan.services import district_trust
from jiujinan.services.access import check_reads
from jiujinan.services.context import AppContext


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    outcome: str  # "imported", "unchanged", "replaced", "rejected"
    message: str
    notes: tuple[str, ...] = ()  # warnings of a stored export: a key enrolled, a history rewritten


def import_folders(ctx: AppContext, folders: list[Path], user: str, progress=None,  # noqa: ANN001
                   cancelled=None) -> list[ImportResult]:
    """Check and store each export in turn: a bad export is refused whole with every
    problem listed, a good one is stored whole; the same export twice changes nothing; a
    newer export of the same society and period replaces the older (recorded).

    One transaction for the whole set (a commit per export cost a third of the time of
    importing 217 monthly exports), with one export in memory at a time. Cancelling, or an
    error such as a full disk, leaves the district database as it was."""
    now = ctx.clock.now()
    results: list[ImportResult] = []
    with ctx.write() as s:
        area = check_reads(s, user, Permission.DISTRICT).area
        index = district.batch_index(s)
        trust = district_trust.load(s)
        for n, folder in enumerate(folders, start=1):
            if cancelled is not None and cancelled():
                raise DomainError("已取消，未导入任何文件夹")
            try:
                envelope = open_envelope(folder)  # the signature before anything else of the folder
                export = read_export(folder, now)
                trusted = district_trust.admit(trust, envelope, export)  # the society's key and history
            except ExportRejected as err:
                listed = "" if len(err.problems) < 2 else "\n" + "\n".join(f"  {p}" for p in err.problems)
                results.append(ImportResult(folder, "rejected", str(err) + listed))  # one problem: said once
            else:
                outside = _outside_area(user, area, export)
                results.append(outside or _store_one(s, index, folder, export, user, ctx.clock.now(), trust, trusted))
                del export
            if progress is not None:
                progress(n, len(folders))
    return results


def _outside_area(user: str, area: str, export) -> ImportResult | None:  # noqa: ANN001
    """An export of a society outside the user's area, refused with the society named."""
    if covers(area, export.society_code):
        return None
    name = export.manifest.society_name[:60]
    return ImportResult(export.folder, "rejected", f"{export.folder.name}：拒收，{user} 的工作范围是{area_label(area)}，"
                                                   f"不能导入{name}（{export.society_code}）的报送")


def _store_one(s, index: district.BatchIndex, folder: Path, export, user: str,  # noqa: ANN001
               now: dt.datetime, trust: district_trust.TrustIndex, trusted: district_trust.Admission) -> ImportResult:
    if export.manifest_sha256 in index.shas:
        return ImportResult(folder, "unchanged", f"{folder.name}：已导入过，未作改动")
    period = export.period
    key = (export.society_code, period[0] if period else None, period[1] if period else None)
    old = index.current.get(key)
    exported_at = district.exported_at(export.manifest)
    # An export stored before export times were checked may claim a time after now (the year
    # 9999): it does not shadow the genuine exports that come after it.
    latest = (now.astimezone(dt.timezone.utc) + CLOCK_SKEW).isoformat(timespec="seconds")
    if old is not None and exported_at <= old[1] <= latest:
        return ImportResult(folder, "unchanged", f"{folder.name}：已有同一时段更新的导出，未作改动")
    new_id = district.store(s, export, user=user, now=now)
    district_trust.record(s, trust, trusted, new_id, user, now)
    outcome = "imported"
    if old is not None:
        district.mark_replaced(s, old[0], new_id)
        outcome = "replaced"
    index.shas.add(export.manifest_sha256)
    index.current[key] = (new_id, exported_at)
    audit.record(s, user=user, now=now, entity="import", entity_id=new_id, action=outcome,
                 after={"society_code": export.society_code, "folder": str(folder),
                        "replaces": old[0] if old else None, "cases": len(export.cases),
                        "payments": len(export.payments), "entries": len(export.ledger)},
                 seals=[("import", new_id), ("trust", 0), ("chain", 0)] + ([("import", old[0])] if old else []))
    word = "替换了之前的导出" if outcome == "replaced" else "已导入"
    return ImportResult(folder, outcome, f"{folder.name}：{word}（{len(export.cases)} 件案件，"
                                         f"{len(export.payments)} 笔发放，{len(export.ledger)} 条台账）"
                        + "".join(f"\n  {note}" for note in trusted.notes), trusted.notes)


def add_grant(ctx: AppContext, code: str, on: str, amount_fen: int, memo: str, user: str) -> int:
    """Record seed money the district granted a society it knows, within ``user``'s area
    (a district role: 审核人 or 管理员)."""
    day = parse_date(on, field="date", today=ctx.clock.today())
    if len(code) != 12 or not code.isdigit():
        raise DomainError("区划代码应为12位数字")
    if amount_fen <= 0:
        raise DomainError("金额必须大于零")
    clean = clean_text(memo, field="memo", label="摘要", max_len=200)
    now = ctx.clock.now()
    with ctx.write() as s:
        who = check_reads(s, user, Permission.DISTRICT)
        name = district.known_society(s, code)
        if name is None:  # a grant nobody can reconcile: a typing slip, or money sent nowhere
            raise DomainError(f"区里不知道区划代码为 {code} 的互助社（既没有登记，也没有导入过它的报送），未登记拨款")
        require_area(who.name, who.area, code, name)
        grant_id = district.add_grant(s, code, day, amount_fen, clean, user, now)
        audit.record(s, user=user, now=now, entity="grant", entity_id=grant_id, action="create",
                     after={"society_code": code, "amount_fen": amount_fen, "granted_on": day.isoformat()},
                     seals=[("grant", grant_id)])
    return grant_id


@dataclass(frozen=True)
class SocietyLine:
    code: str
    name: str
    granted_fen: int
    reported_district_fen: int
    payments: int
    paid_fen: int
    balance_fen: int
    missing_months: tuple[str, ...]
    audit_note: str = ""  # what is wrong with the village's audit trail, if anything

    @property
    def grant_gap_fen(self) -> int:
        return self.reported_district_fen - self.granted_fen


@dataclass(frozen=True)
class Finding:
    """The same person aided in two societies in one year."""

    person: str
    year: int
    cases: tuple[tuple[str, str], ...]  # (society code, case no)


@dataclass(frozen=True)
class Reconciliation:
    societies: tuple[SocietyLine, ...]
    findings: tuple[Finding, ...]


def audit_note(history: list[tuple[int | None, bool | None]]) -> str:
    """What the exports of one society, oldest first, say about its audit trail: the newest
    found its chain broken, or the trail got shorter from one export to a later one."""
    notes = []
    if history and history[-1][1] is False:
        notes.append("导出时审计链自检未通过（记录在程序之外被改动）")
    counts = [entries for entries, _ in history if entries is not None]
    if any(later < earlier for earlier, later in zip(counts, counts[1:])):
        notes.append(f"审计记录条数变少（{max(counts)} → {counts[-1]}），有记录被删除")
    return "；".join(notes)


def _months(start: dt.date, end: dt.date) -> list[str]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(month_of(day))
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def reconcile(ctx: AppContext, user: str) -> Reconciliation:
    """Per society: grants against reported district money, payments, balance, missing
    months; across societies: people aided in two societies in one year. Only the
    societies in ``user``'s area, for a district role."""
    with ctx.read() as s:
        area = check_reads(s, user, Permission.DISTRICT).area
        batches = [b for b in district.current_batches(s) if covers(area, b.society_code)]
        granted = district.grants(s)
        audits = district.audit_history(s)
        trust = district_trust.reconcile_notes(s)
        by_code: dict[str, list] = defaultdict(list)
        for b in batches:
            by_code[b.society_code].append(b)
        lines = []
        for code, group in sorted(by_code.items()):
            figures = district.society_figures(s, [b.id for b in group])
            missing: list[str] = []
            periods = [(b.period_from, b.period_to) for b in group if b.period_from]
            if periods and len(periods) == len(group):
                covered = {m for start, end in periods for m in _months(start, end)}
                span = _months(min(p[0] for p in periods), max(p[1] for p in periods))
                missing = [m for m in span if m not in covered]
            lines.append(SocietyLine(code, group[-1].society_name, granted.get(code, 0),
                                     figures["district_budget_fen"], figures["payments"], figures["paid_fen"],
                                     figures["balance_fen"], tuple(missing),
                                     "；".join(filter(None, (audit_note(audits.get(code, [])), trust.get(code))))))
        # Full ID where the district has it; otherwise name + the masked ID (the export masks
        # the birth date away, and the visible digits tell people apart better than a name).
        people = district.people_in_two_societies(s, [b.id for b in batches])
    groups: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
    for key, year, code, case_no in people:
        groups[(key, int(year))].add((code, case_no))
    findings = tuple(
        Finding(key if "*" in key else mask_id(key), year, tuple(sorted(cases)))
        for (key, year), cases in sorted(groups.items())
        if len({code for code, _ in cases}) > 1)
    return Reconciliation(tuple(lines), findings)


def write_report_csv(report: Reconciliation, out: Path) -> None:
    """The reconciliation as CSV (UTF-8 with BOM, for Excel); text from the villages' exports is
    written inert (no formula, no control characters), as the exports themselves are."""
    with replacing(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["society_code", "society_name", "granted_yuan", "reported_district_budget_yuan",
                    "difference_yuan", "payments", "paid_yuan", "balance_yuan", "missing_months", "audit"])
        for line in report.societies:
            w.writerow([inert(line.code), inert(line.name), format_fen(line.granted_fen),
                        format_fen(line.reported_district_fen), format_fen(line.grant_gap_fen), line.payments,
                        format_fen(line.paid_fen), format_fen(line.balance_fen), " ".join(line.missing_months),
                        inert(line.audit_note)])
        w.writerow([])
        w.writerow(["finding", "person", "year", "cases"])
        for finding in report.findings:
            w.writerow(["同一人一年内在两个互助社获救助", inert(finding.person), finding.year,
                        inert(" ".join(f"{code}:{no}" for code, no in finding.cases))])


def write_report_pdf(ctx: AppContext, report: Reconciliation, out) -> None:  # noqa: ANN001
    """The reconciliation printed (PDF)."""
    from jiujinan.printing.reports import write_reconciliation

    with ctx.read() as s:
        names = {b.district for b in district.current_batches(s)}
    write_reconciliation("、".join(sorted(names)) or "区民政局", list(report.societies), list(report.findings), out,
                         printed_on=ctx.clock.today())
