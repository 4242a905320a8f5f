"""``check``: the attachment files in the store are still the ones registered. The attachment
row (name, sha256, size) is sealed into the audit trail, but the file beside the database
is not: a hospital bill replaced on disk would otherwise be served as the evidence. Each
file is read once (cases sharing a file share its verdict), hashed as it streams."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from jiujinan.db import cases
from jiujinan.services.attachments import stored_path
from jiujinan.services.context import AppContext

ATTACHMENT_CHECK = "附件文件与登记时一致"
_CHUNK = 1 << 20
# Never through a link, never waiting on a FIFO put in a file's place.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
MISSING = "的文件不见了：在程序之外被删除或移走"
REPLACED = "与登记时不一致：在程序之外被替换"


def attachment_problems(ctx: AppContext) -> list[str]:
    """Each attachment whose file is missing, of another size or another SHA-256 than its row
    says, named by its case and original name."""
    with ctx.read() as s:
        rows = cases.stored_attachments(s)
    verdicts: dict[Path, str | None] = {}
    out = []
    for case_no, name, sha256, size in rows:
        path = stored_path(ctx.attachments_dir, sha256, name)
        if path not in verdicts:
            verdicts[path] = _file_differs(path, sha256, size)
        if verdicts[path]:
            out.append(f"案件 {case_no} 的附件 {name} {verdicts[path]}")
    return out


def _file_differs(path: Path, sha256: str, size: int) -> str | None:
    """Why the file at ``path`` is not the registered one (None: it is)."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        return MISSING
    except OSError as err:
        return REPLACED if os.path.islink(path) else f"的文件无法读取（{err.strerror or err}）"
    with os.fdopen(fd, "rb", buffering=0) as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
            return REPLACED
        digest, read = hashlib.sha256(), 0
        while (chunk := f.read(_CHUNK)) and read <= size:
            digest.update(chunk)
            read += len(chunk)
    return None if read == size and digest.hexdigest() == sha256 else REPLACED
