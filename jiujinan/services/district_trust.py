"""The district holds each village to its key and its history: an export's signature must be the
society's enrolled key (enrolled at its first signed export, or from a key file), an unsigned one
is refused once the society has signed, and its audit chain must extend the one seen last time
(cases/chain_history.py). Called from one place in the import (services/district.py)."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from jiujinan import keys
from jiujinan.cases.areas import require_area
from jiujinan.cases.chain_history import MAX_POINTS, ChainClaim, Verdict, judge
from jiujinan.cases.errors import DomainError
from jiujinan.cases.users import Permission
from jiujinan.db import audit
from jiujinan.db import district_trust as trust_db
from jiujinan.exports.read_export import ExportRejected, ParsedExport, Problem
from jiujinan.exports.signature import Envelope
from jiujinan.services.access import authorize
from jiujinan.services.context import AppContext

_HASH = re.compile(r"[0-9a-f]{64}")
TrustIndex = trust_db.TrustIndex


def load(s: Session) -> TrustIndex:
    """The keys and chains the district holds societies to, once per import."""
    return trust_db.trust_index(s)


@dataclass(frozen=True)
class Admission:
    """An export found acceptable, with what its import records and says."""

    code: str
    signed: bool
    public_key: bytes | None
    fingerprint: str | None
    enrol: bool  # the society's first signed export: its key is enrolled
    claim: ChainClaim | None
    verdict: Verdict
    notes: tuple[str, ...] = field(default=())


def society_name(manifest: dict, code: str) -> str:
    """How a message names the society: its name from the manifest when it is a plain one."""
    name = manifest.get("society_name")
    if isinstance(name, str) and 0 < len(name) <= 60 and name.isprintable():
        return f"{name}（{code}）"
    return code


def admit(index: trust_db.TrustIndex, envelope: Envelope, export: ParsedExport) -> Admission:
    """Check an export's signature against the enrolled key and its chain against the one held;
    ExportRejected (nothing stored) when it may not be received."""
    code, manifest = export.society_code, export.manifest.raw
    name = society_name(manifest, code)

    def refuse(file: str, column: str, reason: str) -> ExportRejected:
        return ExportRejected(export.folder, [Problem(file, 0, column, reason)])

    if envelope.manifest_sha256 != export.manifest_sha256:
        raise refuse("manifest.json", "", "清单文件在检查签名之后又被改动：请重新导入")
    held = index.keys.get(code)  # (public key, fingerprint)
    notes: list[str] = []
    fingerprint = keys.fingerprint(envelope.signing_key) if envelope.signing_key else None
    if envelope.signing_key is None:
        if held is not None:
            raise refuse("", "", f"{name}的报送没有签名，而此前的报送有签名（密钥指纹 {held[1]}）：不能接收")
    elif held is None:
        notes.append(f"首次收到{name}的报送，已登记其密钥指纹 {fingerprint}，请与该社月报上的指纹核对")
        if shared := [c for c in index.codes_with_key(keys.b64(envelope.signing_key)) if c != code]:
            named = "、".join(shared[:3]) + (f" 等 {len(shared)} 个互助社" if len(shared) > 3 else "")
            notes.append(f"注意：这把密钥也是 {named} 的密钥（同一个数据库导出的几个互助社共用一把；如不是，可能被人冒用）")
    elif held[0] != keys.b64(envelope.signing_key):
        raise refuse("", "", f"{name}的签名密钥变了：登记的指纹是 {held[1]}，这次是 {fingerprint}。"
                             "未经登记不能接收：请向该社核实新指纹后，登记其新的公钥文件"
                             "（导出页“区里：导入与对账”的 登记某社新密钥…，或命令 jiujinan key trust）")
    claim = _claim(export, refuse)
    verdict = judge(name, index.chains.get(code), claim)
    if verdict.refusal:
        raise refuse("manifest.json", "audit_chain", verdict.refusal)
    if verdict.note:
        notes.append(verdict.note)
    return Admission(code, envelope.signing_key is not None, envelope.signing_key, fingerprint,
                     envelope.signing_key is not None and held is None, claim, verdict, tuple(notes))


def _claim(export: ParsedExport, refuse) -> ChainClaim | None:  # noqa: ANN001
    """The manifest's audit_chain, checked field by field (a hostile file's)."""
    data = export.manifest.raw.get("audit_chain")
    if data is None:
        return None
    bad = refuse("manifest.json", "audit_chain", "审计链数据格式不对")
    if not isinstance(data, dict):
        raise bad
    entries, last, points, restores = (data.get(k) for k in ("entries", "last_hash", "points", "restores"))
    if type(entries) is not int or entries < 0 or not isinstance(last, str) or not _HASH.fullmatch(last):
        raise bad
    if not isinstance(points, list) or len(points) > MAX_POINTS or not isinstance(restores, list) \
            or len(restores) > MAX_POINTS:
        raise bad
    held: dict[int, str] = {}
    for point in points:
        if not (isinstance(point, list) and len(point) == 2 and type(point[0]) is int and 0 < point[0] <= entries
                and isinstance(point[1], str) and _HASH.fullmatch(point[1])):
            raise bad
        held[point[0]] = point[1]
    if entries:  # the trail's own hash at its end, when it is listed, over what the end was noted as
        held.setdefault(entries, last)
    moments = []
    for item in restores:
        try:
            seq, when = item
            moment = dt.datetime.fromisoformat(when)
        except (TypeError, ValueError):
            raise bad from None
        if type(seq) is not int or moment.tzinfo is None:
            raise bad
        moments.append((seq, moment))
    return ChainClaim(entries, last, held, tuple(moments), str(export.manifest.raw.get("exported_at", "")))


def record(s: Session, index: trust_db.TrustIndex, admission: Admission, batch_id: int, user: str,
           now: dt.datetime) -> None:
    """Store what the import of ``batch_id`` found: signed or not, the key enrolled at a first
    signed export (audited), and the chain the society is held to from now on."""
    with s.no_autoflush:  # the trail's entries are flushed together at the end of the import
        trust_db.mark_batch(s, batch_id, signed=admission.signed, fingerprint=admission.fingerprint,
                            note=admission.verdict.note)
        if admission.enrol and admission.public_key is not None and admission.fingerprint:
            _enrol(s, index, admission.code, admission.public_key, "first_import", user, now, batch_id)
        if admission.verdict.advance and admission.claim is not None:
            trust_db.hold_chain(s, index, admission.code, admission.claim, batch_id)


def _enrol(s: Session, index: trust_db.TrustIndex, code: str, raw: bytes, how: str, user: str, now: dt.datetime,
           batch_id: int | None) -> str:
    digest = keys.fingerprint(raw)
    key_id = trust_db.enrol(s, index, code, keys.b64(raw), digest, how, user, now, batch_id)
    audit.record(s, user=user, now=now, entity="key", entity_id=key_id, action="enrol",
                 after={"society_code": code, "fingerprint": digest, "how": how}, seals=[("trust", 0)])
    return digest


def key_file_fingerprint(path: Path) -> str:
    """The fingerprint of a society's public key file, to read back to the society (by phone,
    or from its monthly report) before enrolling it."""
    return keys.fingerprint(keys.read_public_pem(_key_file_bytes(path)))


def trust_key_file(ctx: AppContext, path: Path, code: str, user: str, confirmed: str) -> tuple[str, str]:
    """Enrol a society's new public key from the file it handed over (``jiujinan key export``),
    once the district has checked its fingerprint with the society and typed it back as
    ``confirmed``: an administrator's act, on the audit trail. Returns (the fingerprint
    enrolled before or "", the new one)."""
    if len(code) != 12 or not code.isdigit():
        raise DomainError("区划代码应为12位数字")
    raw = keys.read_public_pem(_key_file_bytes(path))
    shown = keys.fingerprint(raw)
    if _plain(confirmed) != _plain(shown):
        raise DomainError(f"核对的指纹（{confirmed.strip() or '未填'}）与公钥文件的指纹 {shown} 不符：未登记。"
                          "请与该社核对其月报或设置页上的指纹")
    now = ctx.clock.now()
    with ctx.write() as s:
        record_ = authorize(s, user, Permission.SIGNING_KEYS)
        require_area(user, record_.area, code, code)
        index = trust_db.trust_index(s)
        old = index.keys.get(code)
        if old is not None and old[0] == keys.b64(raw):
            raise DomainError(f"这把公钥（指纹 {shown}）已经是 {code} 登记的密钥：未作改动")
        return (old[1] if old else ""), _enrol(s, index, code, raw, "key_file", user, now, None)


def _plain(fingerprint: str) -> str:
    return "".join(fingerprint.split()).upper()


def _key_file_bytes(path: Path) -> bytes:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise DomainError(f"{path} 不是普通文件")
        with path.open("rb") as f:
            return f.read(keys.PUBLIC_FILE_MAX + 1)
    except OSError as err:
        raise DomainError(f"无法读取密钥文件 {path}：{err.strerror or err}") from err


def reconcile_notes(s: Session) -> dict[str, str]:
    """Per society, what its signatures and history say (for the reconciliation's 审计 column)."""
    out = {}
    for code, (unsigned, notes) in trust_db.trust_notes(s).items():
        said = ([f"未签名（{unsigned} 份报送）"] if unsigned else []) + notes
        if said:
            out[code] = "；".join(said)
    return out
