"""Sending and receiving packets between offices (``jiujinan send`` / ``receive`` and the GUI).

Sending writes, for each enrolled office above or below this one that has something due, one
packet: going up, the cases whose village stage sent them up, with their applications, every
step and the attachments; going down, the timelines the office below has not seen (this
level's opinions, and the district's relayed by the town). Each packet also carries the numbers
of the receiver's packets applied here (receipts).

Receiving checks a packet before it is opened (addressed to this office, from an enrolled one,
signed by it, not applied before), opens it into a private folder, checks every value, and
applies it in one transaction: new cases, the rest of timelines, conflicts kept aside.
``dry_run`` says what it would change and changes nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from jiujinan import keys
from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.errors import DomainError
from jiujinan.cases.exchange import (
    LEVEL_OF_KIND, SENT_UP_BY, Compared, adopt_state, compare, may_bring, next_down, next_up, step_token,
)
from jiujinan.cases.offices import Office, OfficeKind, TrustedOffice
from jiujinan.cases.users import Permission
from jiujinan.db import audit
from jiujinan.db import keys as keys_db
from jiujinan.db import offices as offices_db
from jiujinan.db import packets as packets_db
from jiujinan.db import societies as societies_db
from jiujinan.exchange.card import office_fingerprint
from jiujinan.exchange.content import Content, IncomingCase, content_dict, read_content
from jiujinan.exchange.packet import (  # noqa: F401 - PacketRejected: the callers' refusal
    SUFFIX, Party, PacketRejected, open_payload, read_header, remove_work, write_packet,
)
from jiujinan.files import private_dir
from jiujinan.services import attachments
from jiujinan.services.access import WHOLE_DATABASE, authorize, bootstrapping
from jiujinan.services.context import AppContext
from jiujinan.services.offices import NOT_SET_UP

SENDER = "数据包"  # who a received step or case is recorded by on the audit trail, beside the user


@dataclass(frozen=True)
class Sent:
    path: Path
    to: TrustedOffice
    seq: int
    cases: int
    files: int
    missing_files: int = 0


@dataclass(frozen=True)
class Plan:
    """What one office is due: the cases, each going with its application or not."""

    to: TrustedOffice
    case_ids: list[int]
    lengths: dict[int, int]
    upward: bool


def _neighbours(office: Office, trusted: list[TrustedOffice]) -> list[TrustedOffice]:
    pairs = [(t.kind, t.area_code) for t in trusted]
    up = next_up(office, pairs)
    out = [t for t in trusted if t.area_code == up]
    for t in trusted:
        if t.kind.rank < office.kind.rank and t not in out:
            out.append(t)
    return out


def _own(s, ctx: AppContext) -> tuple[Office, str, str, str]:  # noqa: ANN001
    """This office, its signing key (PEM), its age identity and its card's fingerprint; made
    on first use like the card's."""
    office = offices_db.office(s)
    if office is None:
        raise DomainError(NOT_SET_UP)
    signing = keys_db.signing_key(s)
    key = offices_db.office_key(s)
    if signing is None or key is None:
        raise DomainError("本单位还没有卡片：请先导出本单位卡片（设置 → 本单位，或 jiujinan office card），交给对方登记")
    fingerprint = office_fingerprint(keys.public_raw(signing.private_pem), key.recipient, office.kind, office.area_code)
    return office, signing.private_pem, key.identity, fingerprint


def _plans(s, office: Office, targets: list[TrustedOffice], full: bool) -> list[Plan]:  # noqa: ANN001
    plans = []
    for target in targets:
        upward = target.kind.rank > office.kind.rank
        if upward:
            level = LEVEL_OF_KIND[target.kind]
            due = []
            for code in office.codes():
                prefix = code[:office.kind.digits]
                due += packets_db.due_cases(s, target.area_code, prefix=prefix,
                                            waiting_status=SENT_UP_BY[level].value, full=full)
        else:
            pairs = [(t.kind, t.area_code) for t in targets]
            # Down only to an office that holds the case (it came from there, or through it).
            due = [d for d in packets_db.due_cases(s, target.area_code, prefix=target.area_code[:target.kind.digits],
                                                   waiting_status=None, full=full, held_only=True)
                   if next_down(office, pairs, d.society_code) == target.area_code]
        if due:
            plans.append(Plan(target, [d.case_id for d in due], {d.case_id: d.length for d in due}, upward))
    return plans


def send(ctx: AppContext, out_dir: Path, user: str, *, to: str | None = None, full: bool = False,
         progress: Callable[[str], None] | None = None) -> Sending:
    """Write one packet into ``out_dir`` for each enrolled office with something due (only
    ``to`` when given); an empty list when nothing is due."""
    out_dir = Path(out_dir)
    with ctx.read() as s:
        _may_exchange(s, user)
        office, pem, _identity, fingerprint = _own(s, ctx)
        trusted = offices_db.trusted_offices(s)
        targets = _neighbours(office, trusted)
        if to is not None:
            chosen = [t for t in trusted if t.area_code == to]
            if not chosen:
                raise DomainError(f"还没有登记区划代码为 {to} 的单位：请先登记其卡片")
            targets = [t for t in targets if t.area_code == to]
            if not targets:
                raise DomainError(f"{chosen[0].label}不是本单位直接往来的上级或下级单位")
        plans = _plans(s, office, targets, full)
        notes = _unreachable(s, office, trusted) if to is None else []
    if not plans:
        return Sending(notes=notes)
    if not out_dir.is_dir():
        raise DomainError(f"文件夹 {out_dir} 不存在（U盘是否已插好？）")
    return Sending([_send_one(ctx, office, pem, fingerprint, plan, out_dir, user, full, progress) for plan in plans],
                   notes=notes)


class Sending(list):
    """The packets written, with what is due to an office whose card is not enrolled yet (it
    cannot be written, and the clerk must not think it went)."""

    def __init__(self, sent: list[Sent] = (), *, notes: list[str]) -> None:  # noqa: B006 - never changed
        super().__init__(sent)
        self.notes = notes


def _unreachable(s, office: Office, trusted: list[TrustedOffice]) -> list[str]:  # noqa: ANN001
    """Cases waiting for the level above when its office is not enrolled here."""
    above = {OfficeKind.VILLAGE: (OfficeKind.TOWN, SENT_UP_BY[Level.TOWN]),
             OfficeKind.TOWN: (OfficeKind.DISTRICT, SENT_UP_BY[Level.DISTRICT])}.get(office.kind)
    if above is None or next_up(office, [(t.kind, t.area_code) for t in trusted]) is not None:
        return []
    waiting = packets_db.count_in_status(s, [code[:office.kind.digits] for code in office.codes()], above[1].value)
    if not waiting:
        return []
    return [f"{waiting} 件案件等待{above[0].label}审核，但还没有登记{above[0].label}的卡片，未能发送："
            "请先在 设置 → 本单位 登记其卡片（并电话核对指纹），再发送"]


def _may_exchange(s, user: str) -> None:  # noqa: ANN001
    """Packets carry every village's cases: a user of the whole database (or none yet)."""
    if not bootstrapping(s):
        authorize(s, user, Permission.PACKETS, WHOLE_DATABASE)


def _send_one(ctx: AppContext, office: Office, pem: str, fingerprint: str, plan: Plan, out_dir: Path, user: str,
              full: bool, progress: Callable[[str], None] | None) -> Sent:
    target = plan.to
    if progress:
        progress(f"正在准备发往{target.name}的数据包（{len(plan.case_ids)} 件案件）……")
    files: list[tuple[str, Path]] = []
    missing = 0
    with ctx.read() as s:
        items = [packets_db.case_for_packet(s, case_id, with_application=plan.upward) for case_id in plan.case_ids]
        codes = sorted({item["society_code"] for item in items})
        societies = [societies_db.get_society(s, packets_db.society_id_by_code(s, code)).settings
                     for code in codes] if plan.upward else []
        receipts = packets_db.applied_from(s, target.area_code)
        seq = packets_db.next_seq(s, target.area_code)
    for item in items:
        for a in item.get("attachments", []):
            path = attachments.stored_path(ctx.attachments_dir, a["sha256"], a["name"])
            if path.is_file():
                files.append((a["sha256"], path))
            else:
                missing += 1
    content = content_dict(societies, items, receipts)
    name = f"{office.name}至{target.name}_第{seq}号{SUFFIX}"
    out = out_dir / name
    if out.exists():
        raise DomainError(f"{out} 已存在：请换一个文件夹，或先移走旧的数据包")
    work = Path(tempfile.mkdtemp(prefix="jiujinan-packet-"))
    try:
        write_packet(out, sender=Party(office.area_code, fingerprint, office.name),
                     receiver=Party(target.area_code, target.fingerprint, target.name), seq=seq, full=full,
                     made_at=ctx.clock.now(), content=content, files=files, recipient=target.recipient,
                     sign=lambda data: keys.sign(pem, data), work=work)
    except OSError as err:
        raise DomainError(f"数据包写不进 {out_dir}：{err.strerror or err}（U盘是否已满或只读？）") from None
    finally:
        remove_work(work)
    now = ctx.clock.now()
    try:
        with ctx.write() as s, _numbered_once(f"另一位用户刚写出了发往{target.name}的第 {seq} 号数据包：请重新发送"):
            packets_db.record_out(s, target.area_code, seq, full, len(items), name, now, user)
            for case_id in plan.case_ids:
                packets_db.link(s, case_id, target.area_code, sent=plan.lengths[case_id])
            audit.record(s, user=user or SENDER, now=now, entity="packet", entity_id=seq, action="send",
                         after={"to": target.area_code, "seq": seq, "cases": len(items), "full": full})
    except BaseException:
        out.unlink(missing_ok=True)  # not recorded: not handed out either (the next send numbers it again)
        raise
    return Sent(out, target, seq, len(items), len(files), missing)


# --- receiving -------------------------------------------------------------------------------
@dataclass
class Received:
    path: Path
    sender: str = ""
    seq: int = 0
    already: bool = False
    new_cases: list[str] = field(default_factory=list)
    updated_cases: list[str] = field(default_factory=list)
    new_steps: int = 0
    conflicts: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    receipts: int = 0
    gaps: list[int] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> dict[str, object]:
        return {"new_cases": len(self.new_cases), "updated_cases": len(self.updated_cases),
                "new_steps": self.new_steps, "conflicts": len(self.conflicts)}


class _DryRun(Exception):  # noqa: N818 - rolls the transaction back after a dry run
    pass


def receive(ctx: AppContext, path: Path, user: str, *, dry_run: bool = False) -> Received:
    """Apply one packet addressed to this office (or, ``dry_run``, say what it would change)."""
    path = Path(path)
    with ctx.read() as s:
        _may_exchange(s, user)
        office, _pem, identity, fingerprint = _own(s, ctx)
        trusted = {t.area_code: t for t in offices_db.trusted_offices(s)}
    opened = read_header(path)
    try:
        header = opened.header
        name = path.name
        if header.receiver.area_code != office.area_code:
            raise PacketRejected(f"{name} 是发给{header.receiver.name or '其他单位'}（{header.receiver.area_code}）的，"
                                 f"不是发给本单位（{office.label}）的")
        if header.receiver.fingerprint != fingerprint:
            raise PacketRejected(f"{name} 是按本单位的另一张卡片（指纹 {header.receiver.fingerprint}）加密的，"
                                 f"与本单位现在的卡片（指纹 {fingerprint}）不同：请对方登记本单位现在的卡片后重新发送")
        sender = trusted.get(header.sender.area_code)
        if sender is None:
            raise PacketRejected(f"{name} 来自未登记的单位{header.sender.name}（{header.sender.area_code}）："
                                 "请先登记该单位的卡片（设置 → 本单位），并电话核对指纹")
        if sender.fingerprint != header.sender.fingerprint or \
                not opened.signed_by(keys.from_b64(sender.signing_key, 32) or b""):
            raise PacketRejected(f"{name} 的签名不对：不是{sender.name}用已登记的卡片发出的，或在途中被改动过")
        result = Received(path, sender.name, header.seq, dry_run=dry_run)
        with ctx.read() as s:
            if packets_db.was_applied(s, sender.area_code, header.seq, header.payload_sha256):
                result.already = True
                return result
        work = Path(tempfile.mkdtemp(prefix="jiujinan-packet-"))
        try:
            payload = open_payload(opened, identity, work)
            content = read_content(payload.content, ctx.clock.today(), name)
            _check_scope(office, sender, content, name)
            _apply(ctx, office.kind, sender, header, content, payload.files, user, result)
        finally:
            remove_work(work)
    finally:
        opened.close()
    return result


def _check_scope(office: Office, sender: TrustedOffice, content: Content, name: str) -> None:
    """Every case must be of a village under both offices, and every step one the sender may
    bring (a village cannot bring a town's approval)."""
    for case in content.cases:
        code = case.society_code
        if not code.startswith(office.prefix) and office.kind is not OfficeKind.VILLAGE:
            raise PacketRejected(f"{name} 中的案件 {case.case_no} 不在本单位的范围内")
        if office.kind is OfficeKind.VILLAGE and code not in office.codes():
            raise PacketRejected(f"{name} 中的案件 {case.case_no} 不是本社的案件")
        if not code.startswith(sender.area_code[:sender.kind.digits]):
            raise PacketRejected(f"{name} 中的案件 {case.case_no} 不在{sender.name}的范围内")
        if case.application is not None and sender.kind.rank > office.kind.rank:
            raise PacketRejected(f"{name} 中的案件 {case.case_no} 带有申请：只有村里报送时才带申请")


def _apply(ctx: AppContext, receiver_kind: OfficeKind, sender: TrustedOffice, header, content: Content,  # noqa: ANN001
           files: dict[str, Path], user: str, result: Received) -> None:
    seq, digest = header.seq, header.payload_sha256
    now = ctx.clock.now()
    who = user or SENDER
    store = ctx.attachments_dir
    created: list[Path] = []  # attachment files new in the store: removed again if nothing is kept
    try:
        with ctx.write() as s, _numbered_once(f"另一位用户刚接收了这个数据包（来自{sender.name}的第 {seq} 号）"):
            if packets_db.was_applied(s, sender.area_code, seq, digest):  # another clerk applied it meanwhile
                result.already = True
                return
            for case in content.cases:
                _apply_case(s, receiver_kind, sender, seq, case, content, files, store, who, now, result, created)
            result.receipts = packets_db.acknowledge(s, sender.area_code, content.receipts, now)
            packets_db.record_in(s, sender.area_code, seq, digest, header.full, result.summary(), now, who)
            result.gaps = missing_numbers(packets_db.applied_from(s, sender.area_code))
            audit.record(s, user=who, now=now, entity="packet", entity_id=seq, action="receive",
                         after={"from": sender.area_code, "seq": seq, **result.summary()})
            if result.dry_run:
                raise _DryRun
    except BaseException as err:
        for path in created:
            path.unlink(missing_ok=True)
        if not isinstance(err, _DryRun):
            raise


@contextmanager
def _numbered_once(said: str) -> Iterator[None]:
    """Two clerks of one office on a shared database writing or applying the same packet
    number at once: the second is told so (the database's unique key caught it), nothing kept."""
    try:
        yield
    except IntegrityError:
        raise DomainError(said) from None


def _apply_case(s, receiver_kind: OfficeKind, sender: TrustedOffice, seq: int, case: IncomingCase, content: Content,  # noqa: ANN001, PLR0913
                files: dict[str, Path], store: Path, who: str, now, result: Received,  # noqa: ANN001
                created: list[Path]) -> None:
    theirs = [step_token(step) for step in case.steps]
    case_id = packets_db.case_id_by_no(s, case.case_no)
    if case_id is None:
        if case.application is None:
            raise PacketRejected(f"本单位没有案件 {case.case_no}：{sender.name}发来的只有其办理记录，"
                                 "可能是前面的数据包还没有收到")
        _refuse_foreign_steps(sender, receiver_kind, case, case.steps)
        society_id = packets_db.society_id_by_code(s, case.society_code)
        if society_id is None:
            settings = content.societies.get(case.society_code)
            if settings is None:
                raise PacketRejected(f"数据包缺少案件 {case.case_no} 所属互助社的设置")
            society_id = packets_db.add_remote_society(s, settings, case.society_code, now)
            audit.record(s, user=who, now=now, entity="society", entity_id=society_id, action="received",
                         society_id=society_id, after={"area_code": case.society_code, "from": sender.area_code},
                         seals=[("society", society_id)])
        case_id = packets_db.insert_received_case(s, society_id, case.case_no, case.year, case.seq, case.application,
                                             case.created_at, case.created_by)
        packets_db.append_steps(s, case_id, case.steps)
        packets_db.set_state(s, case_id, case.state, now, who)
        _attach(s, case_id, case, files, store, created)
        audit.record(s, user=who, now=now, entity="case", entity_id=case_id, action="received",
                     society_id=society_id, after={"case_no": case.case_no, "from": sender.area_code, "seq": seq,
                                                   "steps": len(case.steps)}, seals=[("case", case_id)])
        packets_db.link(s, case_id, sender.area_code, known=len(theirs))
        result.new_cases.append(case.case_no)
        result.new_steps += len(case.steps)
        return
    mine = packets_db.tokens(s, case_id)
    verdict = compare(mine, theirs)
    society_id = packets_db.society_of(s, case_id)
    if verdict is Compared.SAME:
        changed = _attach(s, case_id, case, files, store, created)
        if case.application is not None:
            changed = packets_db.update_application(s, case_id, case.application, now, who) or changed
        if changed:
            _audit_case(s, who, now, case_id, society_id, "received", {"from": sender.area_code, "seq": seq})
            result.updated_cases.append(case.case_no)
    elif verdict is Compared.BEHIND:
        new_steps = case.steps[len(mine):]
        _refuse_foreign_steps(sender, receiver_kind, case, new_steps)
        packets_db.append_steps(s, case_id, new_steps)
        state = adopt_state(packets_db.state_by_id(s, case_id), case.state,
                            from_above=sender.kind.rank > receiver_kind.rank)
        packets_db.set_state(s, case_id, state, now, who)
        if case.application is not None:
            packets_db.update_application(s, case_id, case.application, now, who)
        _attach(s, case_id, case, files, store, created)
        _audit_case(s, who, now, case_id, society_id, "received_steps",
                    {"from": sender.area_code, "seq": seq, "steps": [st["kind"] for st in new_steps]})
        result.updated_cases.append(case.case_no)
        result.new_steps += len(new_steps)
    elif verdict is Compared.AHEAD:
        result.stale.append(case.case_no)
    else:
        packets_db.add_conflict(s, case_id, sender.area_code, seq, [
            {k: v for k, v in step.items() if k != "owner"} for step in case.steps], now)
        audit.record(s, user=who, now=now, entity="case", entity_id=case_id, action="conflict",
                     society_id=society_id, after={"from": sender.area_code, "seq": seq})
        result.conflicts.append(case.case_no)
    packets_db.link(s, case_id, sender.area_code, known=len(theirs) if verdict is not Compared.PARTED else 0)


def _audit_case(s, who: str, now, case_id: int, society_id: int, action: str, after: dict) -> None:  # noqa: ANN001
    audit.record(s, user=who, now=now, entity="case", entity_id=case_id, action=action, society_id=society_id,
                 after=after, seals=[("case", case_id)])


def _refuse_foreign_steps(sender: TrustedOffice, receiver: OfficeKind, case: IncomingCase, steps: list[dict]) -> None:
    for step in steps:
        if not may_bring(sender.kind, receiver, step["owner"]):
            raise PacketRejected(f"数据包中案件 {case.case_no} 有一步“{StepKind(step['kind']).label}”（{step['owner'].label}），"
                                 f"不该由{sender.name}发来：整个数据包不予接收")


def _attach(s, case_id: int, case: IncomingCase, files: dict[str, Path], store: Path,  # noqa: ANN001
            created: list[Path]) -> bool:
    have = packets_db.attachment_digests(s, case_id)
    added = False
    for item in case.attachments:
        if item["sha256"] in have:
            continue
        source = files.get(item["sha256"])
        if source is None:
            continue  # the sender's file was missing: the row would point at nothing
        target = attachments.stored_path(store, item["sha256"], item["name"])
        if not target.exists():
            created.append(target)
        stored = attachments.store_named(store, source, item["name"])
        packets_db.add_attachment(s, case_id, dict(item, name=stored.original_name, size=stored.size))
        have.add(item["sha256"])
        added = True
    return added


GAPS_SHOWN = 20


def missing_numbers(applied: list[int]) -> list[int]:
    """The first numbers missing below the highest applied (sorted ``applied``), at most
    GAPS_SHOWN of them: a hostile number (10⁹) costs nothing."""
    out: list[int] = []
    expected = 1
    for number in applied:
        while expected < number and len(out) < GAPS_SHOWN:
            out.append(expected)
            expected += 1
        if len(out) >= GAPS_SHOWN:
            break
        expected = number + 1
    return out


def gap_names(sender: str, gaps: list[int]) -> list[str]:
    return [f"缺少来自{sender}的第 {n} 号数据包" for n in gaps]


def describe(got: Received) -> str:
    """What a packet did (or would do), in one line for the clerk."""
    if got.already:
        return f"{got.path.name}：来自{got.sender}的第 {got.seq} 号数据包早已接收，无需再收"
    head = "（试运行，未改动）" if got.dry_run else ""
    def named(cases: list[str]) -> str:
        return f"（{'、'.join(cases[:3])}{' 等' if len(cases) > 3 else ''}）" if cases else ""

    parts = [f"新案件 {len(got.new_cases)} 件{named(got.new_cases)}",
             f"更新案件 {len(got.updated_cases)} 件{named(got.updated_cases)}", f"新步骤 {got.new_steps} 步"]
    if got.conflicts:
        parts.append(f"冲突 {len(got.conflicts)} 件（{'、'.join(got.conflicts[:5])}）：须核对处理")
    if got.receipts:
        parts.append(f"对方确认收到本单位的数据包 {got.receipts} 个")
    return f"{head}{got.path.name}：来自{got.sender}的第 {got.seq} 号数据包，" + "，".join(parts)
