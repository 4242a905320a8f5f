"""The attachment store: files copied into the data directory under their SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jiujinan.cases.errors import DomainError

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file now held in the store."""

    original_name: str
    sha256: str
    size: int


def stored_path(store: Path, sha256: str, original_name: str) -> Path:
    """Where the file lives: store/ab/abcdef….pdf (the suffix lets the system open it)."""
    suffix = Path(original_name).suffix.lower()
    if not (suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 10):
        suffix = ""
    return store / sha256[:2] / (sha256 + suffix)


def store_file(store: Path, source: Path) -> StoredFile:
    """Copy ``source`` into the store (once per content) and return its digest and size."""
    try:
        size = source.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise DomainError(f"附件“{source.name}”超过200MB，请压缩后再添加")
        store.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=store, prefix=".incoming-")
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        target = stored_path(store, sha, source.name)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.chmod(tmp_name, 0o600)
            shutil.move(tmp_name, target)
    except OSError as err:
        raise DomainError(f"无法复制附件“{source.name}”：{err.strerror or err}") from err
    return StoredFile(source.name, sha, size)
