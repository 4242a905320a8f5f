"""Opening a file of an export folder as the hostile thing it may be: a regular file only
(never a symlink, FIFO, device or folder), never blocking on open, and never read past a
bound, with the SHA-256 of the bytes read counted on the way."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

# O_NOFOLLOW refuses a symlink as the last part of the path; O_NONBLOCK lets opening a FIFO
# return at once instead of waiting for a writer (fstat then refuses it). Windows has neither.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class UnsafeFile(Exception):
    """The file cannot be read safely; the message says why, in Chinese."""


class TooLarge(Exception):
    """More bytes than the bound allowed."""


class LineTooLong(Exception):
    """A line longer than the reader's line bound; ``line`` is its number (from 1)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "是符号链接，不是普通文件"
    if stat.S_ISFIFO(mode):
        return "是命名管道，不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是设备，不是普通文件"
    if stat.S_ISDIR(mode):
        return "是文件夹，不是普通文件"
    return "不是普通文件"


def open_regular(path: Path, limit: int) -> "BoundedReader":
    """Open ``path`` for reading if it is a regular file of at most ``limit`` bytes; raises
    FileNotFoundError when it is missing and UnsafeFile for anything else."""
    before = os.lstat(path)
    if not stat.S_ISREG(before.st_mode):
        raise UnsafeFile(_kind(before.st_mode))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        raise UnsafeFile(f"无法打开（{err.strerror}）") from None
    try:
        now = os.fstat(fd)
        # Swapped for something else between lstat and open: refuse rather than guess.
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise UnsafeFile(_kind(now.st_mode))
        if now.st_size > limit:
            raise UnsafeFile(f"文件过大（{now.st_size} 字节，上限 {limit} 字节）")
        return BoundedReader(fd, limit, now.st_size)
    except BaseException:
        os.close(fd)
        raise


class BoundedReader(io.RawIOBase):
    """A raw reader over an open file that stops with TooLarge past ``limit`` bytes and
    hashes every byte it hands out."""

    def __init__(self, fd: int, limit: int, size: int) -> None:
        super().__init__()
        self._fd, self.limit, self.size = fd, limit, size
        self.read_bytes = 0
        self._sha = hashlib.sha256()
        self.max_line: int | None = None  # bytes between line ends, if bounded
        self._lines = 0  # line ends seen
        self._run = 0  # bytes since the last line end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001
        # One byte more than allowed is asked for, so a file that grew is seen.
        want = min(len(buffer), self.limit + 1 - self.read_bytes)
        if want <= 0:
            raise TooLarge
        data = os.read(self._fd, want)
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise TooLarge
        self._sha.update(data)
        if self.max_line is not None:
            self._check_lines(data)
        buffer[: len(data)] = data
        return len(data)

    def _check_lines(self, data: bytes) -> None:
        """Refuse a line longer than max_line bytes, block by block (so no text layer above
        ever holds one): the parts between line ends, the first continuing the last block's."""
        parts = data.split(b"\n")
        longest = max(map(len, parts[1:-1]), default=0)
        first = self._run + len(parts[0])
        if first > self.max_line or longest > self.max_line or len(parts[-1]) > self.max_line:
            at = 0 if first > self.max_line else next(
                (n for n, part in enumerate(parts) if n and len(part) > self.max_line), len(parts) - 1)
            raise LineTooLong(self._lines + at + 1)
        self._lines += len(parts) - 1
        self._run = len(parts[-1]) if len(parts) > 1 else first

    def drain(self) -> None:
        """Read (and hash) what is left, for the checksum of a file whose rows were not all needed."""
        while self.readinto(bytearray(1 << 16)):
            pass

    def hexdigest(self) -> str:
        return self._sha.hexdigest()

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


def read_small(path: Path, limit: int) -> bytes:
    """A whole small file (the manifest), read safely."""
    with open_regular(path, limit) as reader:
        return io.BufferedReader(reader).read()
