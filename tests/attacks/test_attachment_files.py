"""Attack L1: the attachment row (name, sha256, size) is sealed into the audit trail, but the
file in the store is not. A hospital bill replaced or removed on disk is named by ``check``
with its case and original name; a file the app itself stored checks out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jiujinan.cli import main
from jiujinan.services import backups, intake
from jiujinan.services.attachments import stored_path
from jiujinan.services.check import run_checks
from tests.attacks.test_restore import as_user
from tests.conftest import NOW, application, make_id

LINE = "附件文件与登记时一致"


@pytest.fixture
def bills(ctx, society_id, tmp_path):  # noqa: ANN001, ANN201
    """Two cases: the first with a hospital bill and a photo, the second with the same bill."""
    bill, photo = tmp_path / "住院发票.pdf", tmp_path / "公示照片.jpg"
    bill.write_bytes(b"%PDF-1.4 real bill 3,000 yuan")
    photo.write_bytes(b"\xff\xd8\xff the posted notice")
    first = intake.register_application(ctx, society_id, application(requested_yuan="2000"), "王会计",
                                        attachments=[bill, photo])
    second = intake.register_application(ctx, society_id, application(applicant_name="李四", id_number=make_id(seq="45")),
                                         "王会计", attachments=[bill])
    assert run_checks(ctx).ok
    return first, second


def on_disk(ctx, attachment) -> Path:  # noqa: ANN001
    path = stored_path(ctx.attachments_dir, attachment.sha256, attachment.original_name)
    assert path.is_file(), path
    path.chmod(0o600)
    return path


def found(ctx) -> list[str]:  # noqa: ANN001
    return dict(run_checks(ctx).results)[LINE]


def test_a_replaced_bill_is_named_for_every_case_that_holds_it(ctx, bills) -> None:  # noqa: ANN001
    first, second = bills
    on_disk(ctx, first.attachments[0]).write_bytes(b"%PDF-1.4 forged bill 30,000 yuan")
    assert found(ctx) == (f"案件 {first.case_no} 的附件 住院发票.pdf 与登记时不一致：在程序之外被替换",
                          f"案件 {second.case_no} 的附件 住院发票.pdf 与登记时不一致：在程序之外被替换")


def test_a_file_of_the_same_size_is_caught_by_its_digest(ctx, bills) -> None:  # noqa: ANN001
    first, _ = bills
    path = on_disk(ctx, first.attachments[1])
    path.write_bytes(path.read_bytes().replace(b"posted", b"forged"))
    assert found(ctx) == (f"案件 {first.case_no} 的附件 公示照片.jpg 与登记时不一致：在程序之外被替换",)


def test_a_removed_file_is_named(ctx, bills) -> None:  # noqa: ANN001
    first, _ = bills
    on_disk(ctx, first.attachments[1]).unlink()
    assert found(ctx) == (f"案件 {first.case_no} 的附件 公示照片.jpg 的文件不见了：在程序之外被删除或移走",)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_link_in_the_files_place_is_a_replacement(ctx, bills, tmp_path) -> None:  # noqa: ANN001
    """Even a link to a copy of the right bytes: the store holds the file itself."""
    first, _ = bills
    path = on_disk(ctx, first.attachments[1])
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(copy)
    assert found(ctx) == (f"案件 {first.case_no} 的附件 公示照片.jpg 与登记时不一致：在程序之外被替换",)


def test_the_command_line_names_the_swapped_file(ctx, bills, tmp_path, capsys) -> None:  # noqa: ANN001
    first, _ = bills
    on_disk(ctx, first.attachments[1]).write_bytes(b"another photo")
    ctx.close()
    assert main(["--db", str(tmp_path / "test.db"), "check"]) == 1
    assert f"[{LINE}] 案件 {first.case_no} 的附件 公示照片.jpg 与登记时不一致：在程序之外被替换" in capsys.readouterr().out


def test_a_backup_with_attachments_still_restores(ctx, bills, tmp_path) -> None:  # noqa: ANN001
    """The restore checks the backup in a scratch folder with no store beside it: the files
    are this PC's, checked by ``check`` afterwards, not a reason to refuse the backup."""
    from jiujinan.cases.clock import FixedClock

    good = backups.back_up_to(ctx, tmp_path / "good.db", "王会计")
    ctx.close()
    live = tmp_path / "test.db"
    backups.restore(str(live), live.parent, good, FixedClock(NOW), as_user("王会计"))
    assert main(["--db", str(live), "check"]) == 0
