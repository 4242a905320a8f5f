"""The attachment store: files copied into the data directory under their SHA-256."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jiujinan.cases.errors import DomainError
from jiujinan.cases.file_names import clean_file_name
from jiujinan.files import PRIVATE_FILE, private_dir, tighten

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 20
# A FIFO opened without O_NONBLOCK waits for a writer forever; a regular file ignores the flag.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class StoredFile:
    """A file now held in the store; ``original_name`` is the cleaned name shown and used for
    any copy written out (see cases/file_names.py)."""

    original_name: str
    sha256: str
    size: int


def stored_path(store: Path, sha256: str, original_name: str) -> Path:
    """Where the file lives: store/ab/abcdef….pdf (the suffix lets the system open it)."""
    suffix = Path(clean_file_name(original_name)).suffix.lower()
    if not (suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 10):
        suffix = ""
    return store / sha256[:2] / (sha256 + suffix)


def store_file(store: Path, source: Path) -> StoredFile:
    """Copy ``source`` into the store (once per content) and return its digest and size. Only
    a regular file is read (not a device, pipe or folder, nor a link to one), and never more
    than MAX_ATTACHMENT_BYTES of it, whatever its size said."""
    name = clean_file_name(source.name)
    try:
        fd = os.open(source, _READ_FLAGS)
    except OSError as err:
        reason = "找不到该文件" if isinstance(err, FileNotFoundError) else err.strerror or err
        raise DomainError(f"无法复制附件“{name}”：{reason}") from err
    try:
        with os.fdopen(fd, "rb", buffering=0) as src:
            info = os.fstat(src.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DomainError(f"“{name}”不是普通文件（是文件夹、设备或管道），不能作为附件")
            if info.st_size > MAX_ATTACHMENT_BYTES:
                raise DomainError(f"附件“{name}”超过200MB，请压缩后再添加")
            sha, size = _copy_in(store, src, name)
    except OSError as err:
        raise DomainError(f"无法复制附件“{name}”：{err.strerror or err}") from err
    return StoredFile(name, sha, size)


def _copy_in(store: Path, src, name: str) -> tuple[str, int]:  # noqa: ANN001
    """Copy, hash and count in one pass, stopping past the limit; the file lands under its
    digest only when whole."""
    private_dir(store, owned=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=store, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_ATTACHMENT_BYTES:
                    raise DomainError(f"附件“{name}”超过200MB，请压缩后再添加")
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        target = stored_path(store, sha, name)
        private_dir(target.parent, owned=True)
        if target.exists():
            os.unlink(tmp_name)
            tighten(target, PRIVATE_FILE)
        else:
            tighten(Path(tmp_name), PRIVATE_FILE)
            os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return sha, size


def store_named(store: Path, source: Path, original_name: str) -> StoredFile:
    """Copy a file that came under another name (an attachment received in a packet, named by
    its digest) into the store under the name it had where it was attached."""
    name = clean_file_name(original_name)
    with open(source, "rb") as src:
        sha, size = _copy_in(store, src, name)
    return StoredFile(name, sha, size)
