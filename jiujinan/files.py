"""Files the app writes are its owner's only: one place that makes folders 0700 and files 0600
(on POSIX), because they hold the health, debts and bank accounts of people in crisis. A file
is never written through a link planted at its name (someone who can write a shared folder
could point it at the database), and a file the user names is written whole or not at all."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from jiujinan.cases.errors import DomainError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
PRIVATE_UMASK = 0o077  # whatever a library creates (SQLite, Qt, ReportLab) is owner-only too
POSIX = os.name == "posix"
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; Windows has no symbolic links to plant here


class LinkRefused(DomainError):
    """The name to write is a link to another file: the app never writes through it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} 是指向别处的链接，程序不会通过链接写文件：请另选文件名，或先删除这个链接")


def restrict_umask() -> None:
    """Make every file and folder this process creates owner-only (called at the program's
    entry, under the helpers below, which do not rely on it)."""
    if POSIX:
        os.umask(PRIVATE_UMASK)


def tighten(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Set ``path`` owner-only if we may (a file of another user or on read-only media is left as it is)."""
    if POSIX:
        try:
            os.chmod(path, mode)
        except OSError:
            pass


def private_dir(path: Path, *, owned: bool = False) -> Path:
    """Create ``path`` and its missing parents as owner-only folders. A folder that already
    exists is left as it is (it may be the clerk's own), unless it is the app's (``owned``)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(PRIVATE_DIR)
        except FileExistsError:
            continue  # made meanwhile by another process
        tighten(folder, PRIVATE_DIR)
    if owned and not missing:
        tighten(path, PRIVATE_DIR)
    if not path.is_dir():
        raise NotADirectoryError(20, "不是文件夹", str(path))
    return path


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """Open ``path`` for writing as an owner-only file ('w', 'wb', 'a', 'ab', 'x', 'xb'); an
    existing file is made owner-only too. A link at ``path`` is refused (LinkRefused), not
    followed."""
    flags = os.O_WRONLY | os.O_CREAT | NO_FOLLOW | getattr(os, "O_BINARY", 0)
    flags |= os.O_APPEND if "a" in mode else os.O_EXCL if "x" in mode else os.O_TRUNC
    try:
        fd = os.open(path, flags, PRIVATE_FILE)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(path):  # EMLINK: FreeBSD's answer
            raise LinkRefused(Path(path)) from err
        raise
    try:
        if POSIX:
            os.fchmod(fd, PRIVATE_FILE)
        return os.fdopen(fd, mode.replace("x", "w"), **kwargs)
    except BaseException:
        os.close(fd)
        raise


def new_beside(path: Path) -> Path:
    """A new, empty, owner-only file of our own in ``path``'s folder (created exclusively,
    never through a link), for writing ``path`` under another name first."""
    path = Path(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    return Path(name)


@contextmanager
def replacing(path: Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Write ``path`` whole or not at all: the block writes a new owner-only file beside it,
    which then takes the name in one rename (a half-written file never has it). A link at
    ``path`` is refused, and one planted meanwhile is replaced, never followed. An OSError
    becomes DomainError «无法写入 …»."""
    path = Path(path)
    if path.is_symlink():
        raise LinkRefused(path)
    if path.exists() and not path.is_file():  # a folder, a device (/dev/null, /dev/full), a pipe
        raise DomainError(f"无法写入 {path}：不是普通文件")
    try:
        part = new_beside(path)
    except OSError as err:
        raise DomainError(f"无法写入 {path}：{err.strerror or err}") from err
    try:
        with open_private(part, mode, **kwargs) as f:
            yield f
        os.replace(part, path)
    except OSError as err:
        raise DomainError(f"无法写入 {path}：{err.strerror or err}") from err
    finally:
        part.unlink(missing_ok=True)


def write_private(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``data`` into an owner-only file, whole or not at all."""
    if isinstance(data, str):
        with replacing(path, "w", encoding=encoding) as f:
            f.write(data)
    else:
        with replacing(path, "wb") as f:
            f.write(data)


def copy_private(source: Path, target: Path) -> None:
    """Copy the bytes of ``source`` into an owner-only ``target``, whole or not at all."""
    with open(source, "rb") as src, replacing(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def refuse_overwriting_other_than_pdf(path: Path) -> None:
    """A paper may replace an earlier PDF of the same name, never another kind of file (the
    open database, a backup, a document typed by mistake as --out). Links, folders and devices
    are refused by ``replacing``, which writes the paper."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():
        return
    try:
        with open(path, "rb") as f:
            head = f.read(5)
    except OSError as err:
        raise DomainError(f"无法写入 {path}：{err.strerror or err}") from err
    if head and head != b"%PDF-":
        raise DomainError(f"{path} 已存在且不是PDF文件，不覆盖：请另选文件名")
