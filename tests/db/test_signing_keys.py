"""This database's signing key (services/keys.py) on both backends, and the command line's
``key`` commands between a village file and a district file."""

import re

import pytest
from sqlalchemy import func, select

from jiujinan.db.models import AuditEntry, ExportHead
from jiujinan.services import export, keys
from tests.conftest import PASSWORD

FINGERPRINT = re.compile(r"[0-9A-F]{4}( [0-9A-F]{4}){3}")


def test_the_key_is_made_once_on_first_use_and_audited(ctx, society_id) -> None:
    first = keys.fingerprint(ctx, "王会计")
    assert FINGERPRINT.fullmatch(first) and keys.fingerprint(ctx) == first
    with ctx.read() as s:
        made = s.scalars(select(AuditEntry).where(AuditEntry.entity == "key")).all()
    assert [(e.action, e.user_name) for e in made] == [("create", "王会计")]


def test_each_export_remembers_where_the_chain_ended(ctx, society_id, tmp_path) -> None:
    folder = export.export_all(ctx, tmp_path / "a", user="王会计")[0]
    import json
    chain = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["audit_chain"]
    assert chain["entries"] > 0 and chain["points"][-1][0] == chain["entries"]
    # The export is itself on the trail, so the next one ends later and carries both places.
    second = export.export_all(ctx, tmp_path / "b", user="王会计")[0]
    points = json.loads((second / "manifest.json").read_text(encoding="utf-8"))["audit_chain"]["points"]
    assert [p[0] for p in points] == [chain["entries"], chain["entries"] + 1]
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(ExportHead)) == 2


@pytest.fixture
def village_file(tmp_path, capsys, monkeypatch):  # noqa: ANN001, ANN201
    from tests.test_cli import add_users, run

    db = str(tmp_path / "village.db")
    assert run(capsys, "--db", db, "demo", "--societies", "1", "--cases", "20")[0] == 0
    add_users(capsys, db, monkeypatch, "王会计")
    monkeypatch.setenv("JIUJINAN_PASSWORD", PASSWORD)
    return db


def test_key_commands_from_village_to_district(village_file, tmp_path, capsys, monkeypatch) -> None:  # noqa: ANN001
    from tests.test_cli import add_users, run

    code, out, _ = run(capsys, "--db", village_file, "key", "show")
    shown = FINGERPRINT.search(out).group()
    assert code == 0 and out.startswith("签名密钥指纹：")
    pem = tmp_path / "青山村.pem"
    code, out, _ = run(capsys, "--db", village_file, "key", "export", "--out", str(pem))
    assert code == 0 and shown in out and pem.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    district = str(tmp_path / "district.db")
    add_users(capsys, district, monkeypatch, "区管理员")
    code, out, _ = run(capsys, "--db", district, "--user", "区管理员", "key", "trust", str(pem),
                       "--society", "341802100200")  # first the fingerprint to read back, nothing enrolled
    assert code == 1 and f"指纹是 {shown}。未登记" in out and f'--fingerprint "{shown}"' in out
    code, out, _ = run(capsys, "--db", district, "--user", "区管理员", "key", "trust", str(pem),
                       "--society", "341802100200", "--fingerprint", shown)
    assert code == 0 and f"已为 341802100200 登记公钥，指纹 {shown}" in out
    run(capsys, "--db", village_file, "export", "--out", str(tmp_path / "out"))
    code, out, err = run(capsys, "--db", district, "--user", "区管理员", "import", str(tmp_path / "out" / "341802100200"))
    assert code == 0 and "已导入" in out and "首次收到" not in out  # enrolled from the file already

    code, out, _ = run(capsys, "--db", village_file, "--user", "王会计", "key", "replace")
    assert code == 0 and f"原指纹 {shown}" in out
    run(capsys, "--db", village_file, "export", "--out", str(tmp_path / "again"))
    code, _, err = run(capsys, "--db", district, "--user", "区管理员", "import", str(tmp_path / "again"))  # the
    # folder 导出全部 wrote, one folder per society in it, as the GUI's import takes it
    assert code == 1 and "签名密钥变了" in err


@pytest.mark.parametrize("content, message", [
    (b"", "不是本程序导出的公钥文件"),
    (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "不是本程序导出的公钥文件"),
    (b"x" * 10_000, "密钥文件过大"),
])
def test_a_key_file_that_is_not_one_is_refused_in_words(tmp_path, capsys, monkeypatch, content: bytes,  # noqa: ANN001
                                                        message: str) -> None:
    from tests.test_cli import add_users, run

    district = str(tmp_path / "district.db")
    add_users(capsys, district, monkeypatch, "区管理员")
    bad = tmp_path / "bad.pem"
    bad.write_bytes(content)
    code, _, err = run(capsys, "--db", district, "--user", "区管理员", "key", "trust", str(bad), "--society", "341802100200")
    assert code == 1 and message in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", district, "--user", "区管理员", "key", "trust", "/dev/zero", "--society", "341802100200")
    assert code == 1 and "不是普通文件" in err
