"""Attacks on the files the app reads and writes (issue 15, part 7): a device, a pipe or a
link to a device offered as an attachment, names that disguise or inject, an export aimed
at a folder of the clerk's own documents, and files other users of the PC could read."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jiujinan.cases.errors import DomainError
from jiujinan.cli import main
from jiujinan.db.models import AidCase, AuditEntry
from jiujinan.services import attachments, export, intake
from tests.conftest import application

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX devices, pipes and mode bits")


def case_count(ctx) -> int:  # noqa: ANN001
    with ctx.read() as s:
        return s.scalar(select(func.count()).select_from(AidCase))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: what the clerk would miss."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clerks_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "我的文档"
    (folder / "照片").mkdir(parents=True)
    (folder / "工作总结.docx").write_bytes(b"PK\x03\x04 the clerk's report")
    (folder / "照片" / "全家福.jpg").write_bytes(b"\xff\xd8\xff family photo")
    return folder


# --- attachments ------------------------------------------------------------------------------

@posix_only
def test_dev_zero_is_not_an_attachment(ctx, society_id) -> None:  # noqa: ANN001
    """/dev/zero says it is 0 bytes and then never ends: it used to pass the 200 MB limit."""
    with pytest.raises(DomainError, match="不是普通文件"):
        intake.register_application(ctx, society_id, application(), "王会计", attachments=[Path("/dev/zero")])
    assert case_count(ctx) == 0


@posix_only
def test_a_fifo_is_refused_without_hanging(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    fifo = tmp_path / "诊断书.pdf"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def attach() -> None:
        try:
            attachments.store_file(ctx.attachments_dir, fifo)
            outcome.append(None)
        except BaseException as err:  # noqa: BLE001 - looked at below
            outcome.append(err)

    worker = threading.Thread(target=attach, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # release the reader that waits for a writer, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5)
        pytest.fail("reading a FIFO as an attachment hangs")
    assert isinstance(outcome[0], DomainError) and "不是普通文件" in str(outcome[0])


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_refused(ctx, society_id, tmp_path, device) -> None:  # noqa: ANN001
    link = tmp_path / "发票.jpg"
    link.symlink_to(device)
    with pytest.raises(DomainError, match="不是普通文件"):
        intake.register_application(ctx, society_id, application(), "王会计", attachments=[link])
    assert case_count(ctx) == 0


def test_a_folder_is_refused(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(DomainError, match="附件"):
        intake.register_application(ctx, society_id, application(), "王会计", attachments=[tmp_path])
    assert case_count(ctx) == 0


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="Linux /proc")
def test_the_size_is_counted_while_copying(ctx, monkeypatch) -> None:  # noqa: ANN001
    """A file whose size says 0 (as /proc's do, or one still growing) is stopped at the limit."""
    assert Path("/proc/self/maps").stat().st_size == 0
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 100)
    with pytest.raises(DomainError, match="超过200MB"):
        attachments.store_file(ctx.attachments_dir, Path("/proc/self/maps"))
    assert [p for p in ctx.attachments_dir.rglob("*") if p.is_file()] == []  # nothing half-copied stays


@pytest.mark.parametrize("given, shown", [
    ("发票\u202efdp.exe", "发票fdp.exe"),  # right-to-left override: it looked like «发票exe.pdf»
    ("诊断\n书.pdf", "诊断书.pdf"),
    ("$(rm -rf ~).pdf", "(rm -rf _).pdf"),
    ("`reboot`;x|y&z.jpg", "reboot__x_y_z.jpg"),
    ("\u2067证明\u2069\u200e\u200f.png", "证明.png"),
    ("-rf .pdf", "rf .pdf"),
])
@posix_only
def test_attachment_names_are_cleaned(ctx, society_id, tmp_path, given, shown) -> None:  # noqa: ANN001
    source = tmp_path / given
    source.write_bytes(b"%PDF-1.4 " + given.encode())
    case = intake.register_application(ctx, society_id, application(), "王会计", attachments=[source])
    (att,) = case.attachments
    assert att.original_name == shown
    assert att.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    if shown.endswith(".exe"):  # a program is kept, and never handed to the system to open
        with pytest.raises(DomainError, match="不直接打开“.exe”类型的附件“发票fdp.exe”"):
            intake.attachment_path(ctx, case.id, att, "王会计")
    else:
        stored = intake.attachment_path(ctx, case.id, att, "王会计")  # what «打开» hands to the system
        assert stored.read_bytes() == source.read_bytes()  # digest and a clean suffix
        assert stored.name.startswith(att.sha256) and stored.parent.parent == ctx.attachments_dir
    with ctx.read() as s:
        trail = s.scalars(select(AuditEntry.after_json)).all()
    assert not any(given in entry for entry in trail)


def test_a_long_name_is_cut_keeping_its_suffix(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    source = tmp_path / ("long" * 60 + ".pdf")  # 244 bytes, near the file system's 255
    source.write_bytes(b"%PDF")
    (att,) = intake.register_application(ctx, society_id, application(), "王会计", attachments=[source]).attachments
    assert len(att.original_name) == 120 and att.original_name.endswith("long.pdf")


# --- export into the clerk's own folder ------------------------------------------------------

@pytest.mark.parametrize("one_society", [True, False])
def test_export_into_a_folder_of_the_clerks_files_is_refused(ctx, society_id, tmp_path, one_society) -> None:  # noqa: ANN001
    """`export --out DIR` used to rmtree DIR (with --society) or DIR/CODE."""
    folder = clerks_folder(tmp_path)
    before, beside = snapshot(folder), sorted(os.listdir(tmp_path))
    with pytest.raises(DomainError) as info:
        if one_society:
            export.export_society(ctx, society_id, folder, user="王会计")
        else:
            export.export_all(ctx, folder, user="王会计")
    assert "不是本程序导出" in str(info.value) and "工作总结.docx" in str(info.value)
    assert "请选择一个空文件夹或新文件夹" in str(info.value)
    assert snapshot(folder) == before and sorted(os.listdir(tmp_path)) == beside  # no temp folder left either


def test_a_society_folder_of_the_clerks_inside_the_target_is_refused(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    mine = out / "341802100201"
    mine.mkdir(parents=True)
    (mine / "cases.csv").write_text("my own list", encoding="utf-8")  # an export's name, not an export
    with pytest.raises(DomainError, match="不是本程序"):
        export.export_all(ctx, out, user="王会计")
    assert (mine / "cases.csv").read_text(encoding="utf-8") == "my own list"


def test_the_command_line_refuses_the_clerks_folder(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo", "--societies", "1", "--cases", "3"]) == 0
    folder = clerks_folder(tmp_path)
    before = snapshot(folder)
    capsys.readouterr()
    for extra in ([], ["--society", "340000000000"]):
        code = main(["--db", db, "export", "--out", str(folder), *extra])
        assert code != 0 and "错误" in capsys.readouterr().err
    assert snapshot(folder) == before


def test_a_part_folder_beside_the_target_is_not_ours_to_delete(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    """The old export wrote into «TARGET.part» after deleting whatever was there."""
    part = tmp_path / "out.part"
    part.mkdir()
    (part / "账本.xlsx").write_bytes(b"the clerk's")
    export.export_society(ctx, society_id, tmp_path / "out", user="王会计")
    assert (part / "账本.xlsx").read_bytes() == b"the clerk's"


def test_an_earlier_export_is_replaced_and_a_file_added_to_it_stops_that(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    export.export_society(ctx, society_id, out, user="王会计")
    first = (out / "manifest.json").read_bytes()
    intake.register_application(ctx, society_id, application(), "王会计")
    export.export_society(ctx, society_id, out, user="王会计")  # an earlier export: replaced whole
    assert (out / "manifest.json").read_bytes() != first
    assert sorted(os.listdir(out)) == ["cases.csv", "ledger.csv", "manifest.json", "manifest.sig", "payments.csv"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp folder left
    (out / "说明.txt").write_text("the clerk's note", encoding="utf-8")
    with pytest.raises(DomainError, match="说明.txt"):
        export.export_society(ctx, society_id, out, user="王会计")
    assert (out / "说明.txt").read_text(encoding="utf-8") == "the clerk's note"
    assert (out / "manifest.json").exists()


def test_an_export_folder_without_our_manifest_is_refused(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"format": "someone else"}', encoding="utf-8")
    (out / "cases.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(DomainError, match="manifest.json"):
        export.export_society(ctx, society_id, out, user="王会计")
    assert (out / "cases.csv").read_text(encoding="utf-8") == "mine"


@posix_only
def test_a_link_in_place_of_the_target_is_refused(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    folder = clerks_folder(tmp_path)
    link = tmp_path / "out"
    link.symlink_to(folder, target_is_directory=True)
    before = snapshot(folder)
    with pytest.raises(DomainError, match="链接"):
        export.export_society(ctx, society_id, link, user="王会计")
    assert snapshot(folder) == before


# --- every file the app writes is its owner's only ------------------------------------------

def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():  # noqa: ANN201
    """The usual 022: the helpers must make files private themselves, not rely on the umask
    the program sets at its start."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@posix_only
def test_export_files_and_folders_are_owner_only(ctx, society_id, tmp_path, open_umask) -> None:  # noqa: ANN001
    intake.register_application(ctx, society_id, application(), "王会计")
    (folder,) = export.export_all(ctx, tmp_path / "new" / "exports", full_ids=True, user="王会计")
    assert mode(tmp_path / "new") == mode(tmp_path / "new" / "exports") == mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert [p.name for p in files] == ["cases.csv", "ledger.csv", "manifest.json", "manifest.sig", "payments.csv"]
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    export.export_all(ctx, tmp_path / "new" / "exports", full_ids=True, user="王会计")  # replaced: still private
    assert mode(folder) == 0o700 and {mode(p) for p in folder.iterdir()} == {0o600}


@posix_only
def test_pdfs_are_owner_only(ctx, society_id, tmp_path, open_umask) -> None:  # noqa: ANN001
    from reportlab.platypus import Paragraph

    from jiujinan.printing.base import build, style

    target = tmp_path / "form.pdf"
    target.write_bytes(b"%PDF-1.4 an older paper, readable by all")
    os.chmod(target, 0o644)
    build(target, [Paragraph("张三", style())], "救助申请审批表")
    assert target.read_bytes().startswith(b"%PDF") and mode(target) == 0o600
    build(str(tmp_path / "notice.pdf"), [Paragraph("公示", style())], "公示")
    assert mode(tmp_path / "notice.pdf") == 0o600


@posix_only
def test_print_on_the_command_line_is_owner_only(capsys, tmp_path, open_umask) -> None:  # noqa: ANN001
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo", "--societies", "1", "--cases", "5"]) == 0
    os.umask(0o022)  # main set the program's umask: back to the usual one, to test the helpers
    clerks = tmp_path / "roster.pdf.part"
    clerks.write_bytes(b"the clerk's own file")
    out = tmp_path / "roster.pdf"
    assert main(["--db", db, "print", "roster", "--month", "2026-11", "--out", str(out)]) == 0, capsys.readouterr()
    assert mode(out) == 0o600 and clerks.read_bytes() == b"the clerk's own file"


@posix_only
def test_the_preview_saved_as_a_file_is_owner_only(tmp_path, open_umask) -> None:  # noqa: ANN001
    from jiujinan.files import copy_private

    source = tmp_path / "preview.pdf"
    source.write_bytes(b"%PDF-1.4")
    target = tmp_path / "saved.pdf"
    copy_private(source, target)
    assert target.read_bytes() == b"%PDF-1.4" and mode(target) == 0o600


@posix_only
def test_the_log_file_is_owner_only(tmp_path, open_umask) -> None:  # noqa: ANN001
    import logging

    from jiujinan.logging_setup import setup_logging

    log_file = setup_logging(tmp_path / "logs")
    try:
        logging.getLogger("test").error("张三 340102196503141234")
        assert mode(tmp_path / "logs") == 0o700 and mode(log_file) == 0o600
        handler = next(h for h in logging.getLogger().handlers if getattr(h, "jiujinan", False))
        handler.doRollover()  # the rotated file and the new one
        assert mode(log_file) == 0o600 and mode(log_file.with_name("jiujinan.log.1")) == 0o600
    finally:
        for h in [h for h in logging.getLogger().handlers if getattr(h, "jiujinan", False)]:
            logging.getLogger().removeHandler(h)
            h.close()


@posix_only
def test_backups_are_owner_only(ctx, society_id, tmp_path, open_umask) -> None:  # noqa: ANN001
    from jiujinan.db.backup import copy_database

    from jiujinan.files import private_dir

    folder = private_dir(tmp_path / "备份" / "2026")
    target = folder / "copy.db"
    copy_database(Path(ctx.url.removeprefix("sqlite:///")), target)
    assert mode(tmp_path / "备份") == mode(folder) == 0o700 and mode(target) == 0o600


@posix_only
def test_the_database_and_its_companions_are_owner_only(tmp_path, clock, open_umask) -> None:  # noqa: ANN001
    from jiujinan.services.context import open_context

    db = tmp_path / "数据" / "jiujinan.db"
    context = open_context(str(db), tmp_path, clock)
    try:
        with context.read() as s:
            s.execute(select(func.count()).select_from(AidCase)).scalar()
            companions = [p for p in db.parent.iterdir() if p.name != db.name]
            assert {p.name for p in companions} >= {"jiujinan.db-wal", "jiujinan.db-shm"}
            assert {p.name: mode(p) for p in companions} == {p.name: 0o600 for p in companions}
        assert mode(db.parent) == 0o700 and mode(db) == 0o600
    finally:
        context.close()


@posix_only
def test_an_older_database_file_readable_by_all_is_tightened(tmp_path, clock, open_umask) -> None:  # noqa: ANN001
    from jiujinan.services.context import open_context

    db = tmp_path / "old.db"
    open_context(str(db), tmp_path, clock).close()
    os.chmod(db, 0o644)
    open_context(str(db), tmp_path, clock).close()
    assert mode(db) == 0o600


@posix_only
def test_attachments_store_is_owner_only(ctx, society_id, tmp_path, open_umask) -> None:  # noqa: ANN001
    source = tmp_path / "诊断书.pdf"
    source.write_bytes(b"%PDF diagnosis")
    os.chmod(source, 0o644)
    case = intake.register_application(ctx, society_id, application(), "王会计", attachments=[source])
    (att,) = case.attachments
    stored = intake.attachment_path(ctx, case.id, att, "王会计")
    assert mode(ctx.attachments_dir) == mode(stored.parent) == 0o700 and mode(stored) == 0o600


@posix_only
def test_settings_files_are_owner_only(tmp_path, qapp, open_umask) -> None:  # noqa: ANN001
    from jiujinan.services.connection import ServerSetting, save_server
    from jiujinan.ui.prefs import Preferences

    config = tmp_path / "config" / "jiujinan"
    prefs = Preferences(config / "prefs.ini")
    prefs.last_user = "王会计"
    prefs.sync()
    save_server(config, ServerSetting("192.168.1.10", 5432, "jiujinan", "wang"))
    assert mode(tmp_path / "config") == mode(config) == 0o700
    assert {p.name: mode(p) for p in config.iterdir()} == {"prefs.ini": 0o600, "database.json": 0o600}


@posix_only
def test_the_reconciliation_report_is_owner_only(ctx, society_id, tmp_path, open_umask) -> None:  # noqa: ANN001
    from jiujinan.services import district

    report = district.reconcile(ctx, "王会计")
    district.write_report_csv(report, tmp_path / "对账.csv")
    district.write_report_pdf(ctx, report, tmp_path / "对账.pdf")
    assert mode(tmp_path / "对账.csv") == mode(tmp_path / "对账.pdf") == 0o600


@posix_only
def test_the_program_sets_an_owner_only_umask(tmp_path, capsys) -> None:  # noqa: ANN001
    """Whatever a library writes (SQLite's journal, Qt's files) is private too."""
    old = os.umask(0o022)
    try:
        main(["--db", str(tmp_path / "missing.db"), "check"])
        assert os.umask(0o022) == 0o077
    finally:
        os.umask(old)
