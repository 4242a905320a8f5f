"""Files the app writes are its owner's only: one place that makes folders 0700 and files 0600
(on POSIX), because they hold the health, debts and bank accounts of people in crisis."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
PRIVATE_UMASK = 0o077  # whatever a library creates (SQLite, Qt, ReportLab) is owner-only too
POSIX = os.name == "posix"


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
    existing file is made owner-only too."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_APPEND if "a" in mode else os.O_EXCL if "x" in mode else os.O_TRUNC
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        if POSIX:
            os.fchmod(fd, PRIVATE_FILE)
        return os.fdopen(fd, mode.replace("x", "w"), **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``data`` into an owner-only file."""
    if isinstance(data, str):
        with open_private(path, "w", encoding=encoding) as f:
            f.write(data)
    else:
        with open_private(path, "wb") as f:
            f.write(data)


def copy_private(source: Path, target: Path) -> None:
    """Copy the bytes of ``source`` into an owner-only ``target``."""
    with open(source, "rb") as src, open_private(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
