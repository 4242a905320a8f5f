"""jiujinan/files.py: folders the app makes are 0700, files it writes 0600; the clerk's own
folders are left as they are."""

import os
import stat
from pathlib import Path

import pytest

from jiujinan.files import open_private, private_dir, write_private

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX mode bits")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask():  # noqa: ANN201
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_private_dir_makes_missing_folders_owner_only_and_leaves_existing_ones(tmp_path) -> None:  # noqa: ANN001
    os.chmod(tmp_path, 0o755)
    made = private_dir(tmp_path / "a" / "b")
    assert made == tmp_path / "a" / "b" and mode(tmp_path / "a") == mode(made) == 0o700
    assert mode(tmp_path) == 0o755  # the clerk's folder: not ours to change
    clerks = tmp_path / "clerks"
    clerks.mkdir(mode=0o755)
    private_dir(clerks)
    assert mode(clerks) == 0o755
    private_dir(clerks, owned=True)  # one of the app's own folders, made by an older version
    assert mode(clerks) == 0o700


def test_private_dir_refuses_a_file(tmp_path) -> None:  # noqa: ANN001
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        private_dir(tmp_path / "f")


def test_open_private_writes_new_and_existing_files_owner_only(tmp_path) -> None:  # noqa: ANN001
    new = tmp_path / "new.csv"
    write_private(new, "张三,2000\n")
    assert new.read_text(encoding="utf-8") == "张三,2000\n" and mode(new) == 0o600
    old = tmp_path / "old.log"
    old.write_text("line 1\n")
    os.chmod(old, 0o644)
    with open_private(old, "a", encoding="utf-8") as f:
        f.write("line 2\n")
    assert old.read_text() == "line 1\nline 2\n" and mode(old) == 0o600
    write_private(old, b"bytes")
    assert old.read_bytes() == b"bytes" and mode(old) == 0o600
    with pytest.raises(FileExistsError):
        open_private(old, "xb")
