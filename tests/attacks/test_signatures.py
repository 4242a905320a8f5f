"""Attacks on what travels from village to district (issue 15, part 3): exports changed after
they were signed, signatures removed or made with another key, village histories rewritten,
shortened or dropped, and the key itself. Real exports carried between real database files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from jiujinan.cases.errors import DomainError
from sqlalchemy import func, select

from jiujinan import keys
from jiujinan.cases.audit_chain import GENESIS, ChainLink
from jiujinan.cases.clock import FixedClock
from jiujinan.cases.enums import FundSource
from jiujinan.cases.export_guard import ChangedOutside
from jiujinan.cases.fund import ContributionInput
from jiujinan.cases.users import PermissionDenied
from jiujinan.db import audit
from jiujinan.db.models import AuditEntry, ImportBatch, ReportedCase
from jiujinan.exports.signature import BAD_SIGNATURE
from jiujinan.services import district, export, fund, keys as key_service, societies
from jiujinan.services.context import AppContext, open_context
from tests.conftest import NOW, add_staff_member, import_folder, sign_again, society_settings

CODE = "341802100201"


@pytest.fixture
def district_ctx(tmp_path) -> AppContext:  # noqa: ANN001
    ctx = open_context(str(tmp_path / "district.db"), tmp_path, FixedClock(NOW))
    add_staff_member(ctx, "区管理员")
    yield ctx
    ctx.close()


def later(ctx: AppContext, hours: int) -> None:
    ctx.clock = FixedClock(NOW + dt.timedelta(hours=hours))


def contribute(ctx: AppContext, society_id: int, n: int = 1) -> None:
    for day in range(n):
        fund.add_contribution(ctx, society_id, ContributionInput(dt.date(2026, 11, 2 + day), FundSource.DONATION, 10_000,
                                                                 "张三", ""), "王会计")


def export_to(ctx: AppContext, out: Path, code: str = CODE) -> Path:
    return export.export_all(ctx, out, codes=[code], user="王会计")[0]


def receive(district_ctx: AppContext, folder: Path) -> district.ImportResult:
    return import_folder(district_ctx, folder, "区管理员")


def batches(district_ctx: AppContext) -> int:
    with district_ctx.read() as s:
        return s.scalar(select(func.count()).select_from(ImportBatch))


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def rechain(path: Path, *edits: str) -> None:
    """Edit the audit trail in the file and chain it again consistently (seq, hashes, the
    entries' seals and the chain's end all recomputed as the app computes them): the walk
    of the chain then finds nothing."""
    with sqlite3.connect(path) as conn:
        for sql in edits:
            conn.execute(sql)
        conn.execute("DELETE FROM audit_seal WHERE seq NOT IN (SELECT seq FROM audit_log)")
        rows = conn.execute("SELECT id, seq, at, user_name, society_id, entity, entity_id, action, before_json, "
                            "after_json, form FROM audit_log ORDER BY seq").fetchall()
        prev = GENESIS
        for seq, (row_id, old_seq, at, *content, form) in enumerate(rows, start=1):
            moment = dt.datetime.fromisoformat(at).replace(tzinfo=dt.timezone.utc)
            seals = " ".join(f"{unit}:{key}:{digest or '-'}" for unit, key, digest in conn.execute(
                "SELECT unit, unit_key, digest FROM audit_seal WHERE seq = ? ORDER BY pos", (old_seq,)))
            digest = ChainLink(seq, prev, moment, *content, seals, form).digest()
            conn.execute("UPDATE audit_log SET seq = ?, prev_hash = ?, entry_hash = ? WHERE id = ?",
                         (-seq, prev, digest, row_id))
            conn.execute("UPDATE audit_seal SET seq = ? WHERE seq = ?", (-seq, old_seq))
            prev = digest
        conn.execute("UPDATE audit_log SET seq = -seq")
        conn.execute("UPDATE audit_seal SET seq = -seq")
        conn.execute("UPDATE audit_head SET entries = ?, last_hash = ?", (len(rows), prev))


def chain_is_clean(ctx: AppContext) -> bool:
    with ctx.read() as s:
        return audit.chain_problems(s) == []


# --- the export changed after it was signed ----------------------------------------------------
def test_a_cell_edited_after_export_is_refused_by_its_signature(ctx, society_id, district_ctx, tmp_path) -> None:
    folder = export_to(ctx, tmp_path / "out")
    path = folder / "ledger.csv"
    path.write_bytes(path.read_bytes().replace(b"20000.00", b"30000.00", 1))  # the district budget's money
    manifest = manifest_of(folder)  # and the checksum fixed, as a careful editor would
    import hashlib
    manifest["files"]["ledger.csv"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    write_manifest(folder, manifest)
    result = receive(district_ctx, folder)
    assert result.outcome == "rejected" and BAD_SIGNATURE in result.message
    assert BAD_SIGNATURE == "报送的签名不对：文件在导出之后被改动过，或不是该互助社导出的"
    assert batches(district_ctx) == 0


def test_an_edited_manifest_is_refused(ctx, society_id, district_ctx, tmp_path) -> None:
    folder = export_to(ctx, tmp_path / "out")
    raw = (folder / "manifest.json").read_bytes()
    (folder / "manifest.json").write_bytes(raw.replace(b'"opening_balance_yuan": "0.00"',
                                                       b'"opening_balance_yuan": "9.00"'))
    assert (folder / "manifest.json").read_bytes() != raw
    result = receive(district_ctx, folder)
    assert result.outcome == "rejected" and BAD_SIGNATURE in result.message
    assert batches(district_ctx) == 0


def test_a_signature_that_is_not_a_signature_is_refused(ctx, society_id, district_ctx, tmp_path) -> None:
    folder = export_to(ctx, tmp_path / "out")
    (folder / "manifest.sig").write_text("不是签名")
    assert BAD_SIGNATURE in receive(district_ctx, folder).message
    (folder / "manifest.sig").unlink()
    (folder / "manifest.sig").symlink_to("/dev/zero")
    assert BAD_SIGNATURE in receive(district_ctx, folder).message
    assert batches(district_ctx) == 0


def test_a_signature_removed_after_a_signed_export_is_refused(ctx, society_id, district_ctx, tmp_path) -> None:
    assert receive(district_ctx, export_to(ctx, tmp_path / "a")).outcome == "imported"
    later(ctx, 1)
    folder = export_to(ctx, tmp_path / "b")
    (folder / "manifest.sig").unlink()
    result = receive(district_ctx, folder)
    assert result.outcome == "rejected"
    assert "的报送没有签名，而此前的报送有签名" in result.message and "不能接收" in result.message
    assert batches(district_ctx) == 1


def test_an_unsigned_export_before_any_signed_one_is_taken_but_marked(ctx, society_id, district_ctx,
                                                                      tmp_path) -> None:
    """Exports from before signing existed still import; the reconciliation says 未签名."""
    folder = export_to(ctx, tmp_path / "old")
    (folder / "manifest.sig").unlink()
    manifest = manifest_of(folder)
    del manifest["signing_key"], manifest["audit_chain"]
    write_manifest(folder, manifest)
    assert receive(district_ctx, folder).outcome == "imported"
    (line,) = district.reconcile(district_ctx, "区管理员").societies
    assert "未签名（1 份报送）" in line.audit_note
    later(ctx, 1)  # the next, signed export replaces it and the mark goes
    assert receive(district_ctx, export_to(ctx, tmp_path / "new")).outcome == "replaced"
    (line,) = district.reconcile(district_ctx, "区管理员").societies
    assert "未签名" not in line.audit_note


# --- another key ---------------------------------------------------------------------------------
def _forger(tmp_path: Path, name: str, code: str = CODE) -> AppContext:
    """Another database (another PC) with a society of the given code."""
    other = open_context(str(tmp_path / f"{name}.db"), tmp_path, FixedClock(NOW + dt.timedelta(hours=2)))
    add_staff_member(other, "王会计")
    sid = societies.create_society(other, society_settings(code, "青山村救急难互助社"), "王会计").id
    contribute(other, sid)
    return other


def test_an_export_signed_by_another_key_is_refused_naming_both(ctx, society_id, district_ctx, tmp_path) -> None:
    first = receive(district_ctx, export_to(ctx, tmp_path / "a"))
    genuine = key_service.fingerprint(ctx)
    assert f"已登记其密钥指纹 {genuine}，请与该社月报上的指纹核对" in first.message
    assert first.message.count("首次收到青山村救急难互助社（341802100201）的报送") == 1
    other = _forger(tmp_path, "forger")
    try:
        result = receive(district_ctx, export_to(other, tmp_path / "b"))
        forged = key_service.fingerprint(other)
    finally:
        other.close()
    assert result.outcome == "rejected"
    assert f"签名密钥变了：登记的指纹是 {genuine}，这次是 {forged}" in result.message
    assert "manifest" not in result.message and result.message.count("签名密钥变了") == 1  # said once, in Chinese
    assert "登记某社新密钥…，或命令 jiujinan key trust" in result.message
    assert batches(district_ctx) == 1


def test_an_export_of_one_society_signed_with_anothers_key(ctx, society_id, district_ctx, tmp_path) -> None:
    """B's PC makes an export of A: refused once A's own key is enrolled; before that it is
    enrolled with a warning that the key is B's."""
    b = _forger(tmp_path, "b", code="341802100202")
    try:
        assert receive(district_ctx, export_to(b, tmp_path / "b", code="341802100202")).outcome == "imported"
        societies.create_society(b, society_settings(CODE, "青山村救急难互助社"), "王会计")
        forged_a = export_to(b, tmp_path / "forged", code=CODE)
    finally:
        b.close()
    assert receive(district_ctx, export_to(ctx, tmp_path / "a")).outcome == "imported"  # A's own key
    result = receive(district_ctx, forged_a)
    assert result.outcome == "rejected" and "签名密钥变了" in result.message

    fresh = open_context(str(tmp_path / "district2.db"), tmp_path, FixedClock(NOW))
    try:
        receive(fresh, tmp_path / "b" / "341802100202")
        warned = receive(fresh, forged_a)
    finally:
        fresh.close()
    assert warned.outcome == "imported" and "这把密钥也是 341802100202 的密钥" in warned.message


def test_a_key_swapped_into_the_manifest_and_signed_again_is_another_key(ctx, society_id, district_ctx,
                                                                          tmp_path) -> None:
    receive(district_ctx, export_to(ctx, tmp_path / "a"))
    later(ctx, 1)
    folder = export_to(ctx, tmp_path / "b")
    attacker = keys.new_private_pem()
    manifest = manifest_of(folder)
    manifest["signing_key"] = keys.b64(keys.public_raw(attacker))
    write_manifest(folder, manifest)
    (folder / "manifest.sig").write_text(keys.b64(keys.sign(attacker, (folder / "manifest.json").read_bytes())))
    result = receive(district_ctx, folder)
    assert result.outcome == "rejected" and "签名密钥变了" in result.message


# --- the village's history ---------------------------------------------------------------------
def test_a_rewritten_village_history_is_flagged_by_name(ctx, society_id, district_ctx, tmp_path) -> None:
    contribute(ctx, society_id, 3)
    assert receive(district_ctx, export_to(ctx, tmp_path / "a")).outcome == "imported"
    db = Path(ctx.url.removeprefix("sqlite:///"))
    ctx.engine.dispose()
    # A contribution's trail entry says 20,000 where 10,000 was given; the chain re-made to match.
    rechain(db, "UPDATE audit_log SET after_json = replace(after_json, '10000', '20000') "
                "WHERE seq = (SELECT max(seq) FROM audit_log WHERE entity = 'ledger')")
    assert chain_is_clean(ctx)  # the trail checks out on its own
    contribute(ctx, society_id)
    later(ctx, 1)
    result = receive(district_ctx, export_to(ctx, tmp_path / "b"))
    assert result.outcome == "replaced"  # stored, with the warning (see cases/chain_history.py)
    with ctx.read() as s:
        at = s.scalar(select(AuditEntry.seq).where(AuditEntry.entity == "ledger").order_by(AuditEntry.seq.desc())
                      .offset(1).limit(1))
        last_seen = manifest_of(tmp_path / "a" / CODE)["audit_chain"]["entries"]
    assert at is not None and at <= last_seen
    said = f"青山村救急难互助社（{CODE}）的审计记录被改写：第 {last_seen} 条与上次报送时不同"
    assert said in result.message
    (line,) = district.reconcile(district_ctx, "区管理员").societies
    assert said in line.audit_note
    later(ctx, 2)  # the warning stays on the society after a clean export
    contribute(ctx, society_id)
    clean = receive(district_ctx, export_to(ctx, tmp_path / "c"))
    assert "改写" not in clean.message
    (line,) = district.reconcile(district_ctx, "区管理员").societies
    assert said in line.audit_note


def test_a_shortened_village_history_is_flagged_by_name(ctx, society_id, district_ctx, tmp_path,  # noqa: ANN001
                                                         monkeypatch) -> None:
    contribute(ctx, society_id, 3)
    receive(district_ctx, export_to(ctx, tmp_path / "a"))
    seen = manifest_of(tmp_path / "a" / CODE)["audit_chain"]["entries"]
    ctx.engine.dispose()
    rechain(Path(ctx.url.removeprefix("sqlite:///")), f"DELETE FROM audit_log WHERE seq > {seen - 2}")
    assert chain_is_clean(ctx)
    later(ctx, 1)
    with pytest.raises(ChangedOutside, match="不能导出：数据库中的数据在程序之外被改动过"):
        export_to(ctx, tmp_path / "b")  # the village's own program refuses to sign it (the seals see it)
    monkeypatch.setattr("jiujinan.services.export.check_unchanged", lambda found: None)  # an altered program
    result = receive(district_ctx, export_to(ctx, tmp_path / "b"))
    now_at = manifest_of(tmp_path / "b" / CODE)["audit_chain"]["entries"]
    assert now_at < seen
    assert f"的审计记录被截短：上次报送到第 {seen} 条，这次只到第 {now_at} 条" in result.message


def test_an_export_without_its_history_after_one_with_it_is_refused(ctx, society_id, district_ctx,
                                                                    tmp_path) -> None:
    """Even signed by the village's own key (its program altered): the chain data is not optional."""
    receive(district_ctx, export_to(ctx, tmp_path / "a"))
    later(ctx, 1)
    folder = export_to(ctx, tmp_path / "b")
    manifest = manifest_of(folder)
    del manifest["audit_chain"]
    write_manifest(folder, manifest)
    sign_again(folder, ctx)
    result = receive(district_ctx, folder)
    assert result.outcome == "rejected"
    assert f"青山村救急难互助社（{CODE}）这次的报送没有审计链数据，而上次有：不能接收" in result.message
    with district_ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportedCase)) == 0 or batches(district_ctx) == 1


def test_a_history_that_went_back_to_a_backup_says_so(ctx, society_id, district_ctx, tmp_path) -> None:
    """A village that restored a backup sends a shorter history: flagged, and the restore named."""
    from jiujinan.services import backups

    backup = backups.back_up_to(ctx, tmp_path / "before.db", "王会计")
    contribute(ctx, society_id, 3)
    receive(district_ctx, export_to(ctx, tmp_path / "a"))
    later(ctx, 1)
    backups.restore_open(ctx, backup, "王会计")
    later(ctx, 2)
    result = receive(district_ctx, export_to(ctx, tmp_path / "b"))
    assert result.outcome == "replaced"
    assert "的审计记录" in result.message and "从备份恢复了数据库" in result.message, result.message


# --- the key itself ----------------------------------------------------------------------------
def test_the_private_key_is_only_in_the_owner_only_database_and_its_backups(ctx, society_id, tmp_path) -> None:
    from jiujinan.services import backups

    made = key_service.fingerprint(ctx)
    db = Path(ctx.url.removeprefix("sqlite:///"))
    assert db.stat().st_mode & 0o077 == 0
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".key", ".pem") or "PRIVATE" in _head(p)]
    copy = backups.back_up_to(ctx, tmp_path / "usb.db", "王会计")
    assert copy.stat().st_mode & 0o077 == 0
    restored = open_context(str(copy), tmp_path, FixedClock(NOW))
    try:
        assert key_service.fingerprint(restored) == made  # the backup carries the key
    finally:
        restored.close()
    out = tmp_path / "public.pem"
    assert key_service.export_public_key(ctx, out) == made
    assert out.stat().st_mode & 0o077 == 0 and b"PRIVATE" not in out.read_bytes()


def _head(path: Path) -> str:
    if not path.is_file() or path.suffix == ".db":
        return ""
    return path.read_bytes()[:100].decode("latin-1")


def test_replacing_the_key_is_an_administrators_act_on_the_trail(ctx, society_id, district_ctx,
                                                                  tmp_path) -> None:
    from jiujinan.services import users

    receive(district_ctx, export_to(ctx, tmp_path / "a"))
    old = key_service.fingerprint(ctx)
    add_staff_member(ctx, "李经办")
    users.set_roles(ctx, "李经办", frozenset({users.Role.CLERK}), "王会计")
    with pytest.raises(PermissionDenied, match="更换或登记签名密钥"):
        key_service.replace_key(ctx, "李经办")
    was, new = key_service.replace_key(ctx, "王会计")
    assert was == old and new != old and key_service.fingerprint(ctx) == new
    with ctx.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "key").order_by(AuditEntry.seq.desc())).first()
    assert (entry.user_name, entry.action) == ("王会计", "replace")
    assert json.loads(entry.before_json) == {"fingerprint": old} and json.loads(entry.after_json) == {"fingerprint": new}
    assert chain_is_clean(ctx)

    later(ctx, 1)  # the district refuses the new key until it enrols it
    folder = export_to(ctx, tmp_path / "b")
    refused = receive(district_ctx, folder)
    assert refused.outcome == "rejected" and f"登记的指纹是 {old}，这次是 {new}" in refused.message
    key_file = tmp_path / "new.pem"
    key_service.export_public_key(ctx, key_file)
    from jiujinan.services import district_trust
    with pytest.raises(PermissionDenied):
        district_trust.trust_key_file(district_ctx, key_file, CODE, "外人", new)
    with pytest.raises(DomainError, match=f"核对的指纹（{old}）与公钥文件的指纹 {new} 不符：未登记"):
        district_trust.trust_key_file(district_ctx, key_file, CODE, "区管理员", old)  # read back wrong
    assert district_trust.key_file_fingerprint(key_file) == new
    assert district_trust.trust_key_file(district_ctx, key_file, CODE, "区管理员", new.lower()) == (old, new)
    with pytest.raises(DomainError, match="已经是 .* 登记的密钥：未作改动"):
        district_trust.trust_key_file(district_ctx, key_file, CODE, "区管理员", new)
    with district_ctx.read() as s:
        enrolled = s.scalars(select(AuditEntry).where(AuditEntry.entity == "key")
                             .order_by(AuditEntry.seq.desc())).first()
    assert enrolled.user_name == "区管理员" and json.loads(enrolled.after_json)["how"] == "key_file"
    assert receive(district_ctx, folder).outcome == "replaced"
