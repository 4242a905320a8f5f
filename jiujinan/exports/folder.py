"""Where an export lands: always a new folder, swapped in whole. A folder that holds anything
but an earlier export of this app is refused and left untouched (the clerk's own documents
once vanished under `export --out`), and nothing that is not the app's is ever deleted."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jiujinan.cases.errors import DomainError
from jiujinan.cases.file_names import clean_file_name
from jiujinan.exports.csv_format import FILES
from jiujinan.exports.manifest import MAX_MANIFEST_BYTES
from jiujinan.files import PRIVATE_FILE, private_dir, tighten

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # exports/signature.py writes it beside the manifest
# Every name an export writes; a folder holding only these, with our manifest, is an earlier
# export that may be replaced. (A new file of the export must be named here too.)
EXPORT_FILE_NAMES = frozenset({*FILES, MANIFEST, SIGNATURE})
FORMAT_PREFIX = "jiujinan-export/"
_TEMP_MARK = ".jiujinan-export-"  # folders the app makes beside a target while writing
_ASK = "；为免覆盖，导出不写入这里，请选择一个空文件夹或新文件夹"


@contextmanager
def new_export_folder(target: Path) -> Iterator[Path]:
    """A fresh owner-only folder beside ``target`` to write an export into; once the block
    ends without error it becomes ``target`` (an earlier export there is swapped out and its
    files removed), otherwise it is removed. Raises DomainError for a target that is not new,
    empty or an earlier export, before anything is written."""
    check_target(target)
    try:
        private_dir(target.parent)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}{_TEMP_MARK}"))
    except OSError as err:
        raise DomainError(f"无法写入 {target}：{err.strerror or err}") from err
    try:
        yield tmp
        for entry in os.scandir(tmp):
            tighten(Path(entry.path), PRIVATE_FILE)
        check_target(target)  # again: the folder may have changed while the export was written
        _swap_in(tmp, target)
    except BaseException as err:
        shutil.rmtree(tmp, ignore_errors=True)  # our own fresh folder, nothing else in it
        if isinstance(err, OSError):
            raise DomainError(f"无法写入 {target}：{err.strerror or err}") from err
        raise


def export_folders_in(base: Path) -> list[Path]:
    """The export folders a district officer means by ``base``: the folder itself when it is
    one, else each folder in it that is (a USB stick with a folder per village, as 导出全部
    writes it); an interrupted export's hidden folder is none. A folder that holds neither is
    given back as it is, for the import to say what it lacks."""
    if (base / MANIFEST).exists() or not base.is_dir():
        return [base]
    inner = sorted(p for p in base.iterdir() if not p.name.startswith(".") and (p / MANIFEST).exists())
    return inner or [base]


def check_target(target: Path) -> None:
    """Refuse (DomainError) a target that exists and is not an empty folder or an earlier export."""
    if target.is_symlink():
        raise DomainError(f"{target} 是一个链接，不是文件夹{_ASK}")
    if not target.exists():
        return
    if not target.is_dir():
        raise DomainError(f"{target} 是一个文件，不是文件夹{_ASK}")
    if reason := _readable(_not_an_export, target):
        raise DomainError(f"文件夹 {target} {reason}{_ASK}")


def check_collection(folder: Path) -> None:
    """Refuse a folder meant to hold one export folder per society that holds anything else."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise DomainError(f"{folder} 不是文件夹{_ASK}")
    if not folder.exists():
        return
    foreign = _readable(_foreign_entries, folder)
    if foreign:
        raise DomainError(f"文件夹 {folder} 里已有不是本程序导出的内容（{_names(foreign)}）{_ASK}")


def _foreign_entries(folder: Path) -> list[str]:
    """The entries of a collection folder that are not export folders of ours."""
    return [e.name for e in _entries(folder)
            if not e.is_dir(follow_symlinks=False) or _not_an_export(Path(e.path), leftover=_TEMP_MARK in e.name)]


def _readable(look, folder: Path):  # noqa: ANN001, ANN202
    """``look(folder)``, with a folder that cannot be read said in Chinese."""
    try:
        return look(folder)
    except OSError as err:
        raise DomainError(f"无法读取文件夹 {folder}：{err.strerror or err}") from err


def _not_an_export(folder: Path, *, leftover: bool = False) -> str:
    """Why ``folder`` is not an empty folder or an earlier export ("" when it is one). A
    leftover of an interrupted export may lack its manifest."""
    entries = _entries(folder)
    foreign = [e.name for e in entries if e.name not in EXPORT_FILE_NAMES or not e.is_file(follow_symlinks=False)]
    if foreign:
        return f"里已有不是本程序导出的文件（{_names(foreign)}）"
    if not entries or leftover:
        return ""
    if not _our_manifest(folder / MANIFEST):
        return "里的文件不是本程序的导出（没有本程序的 manifest.json）"
    return ""


def _our_manifest(path: Path) -> bool:
    """True when ``path`` is a small JSON object naming this app's export format."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            return False
        manifest = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(manifest, dict) and str(manifest.get("format", "")).startswith(FORMAT_PREFIX)


def _swap_in(tmp: Path, target: Path) -> None:
    """Put ``tmp`` in place of ``target``; an earlier export there is moved aside first, put
    back if the swap fails, and otherwise emptied of the export's own files only."""
    if not target.exists():
        os.rename(tmp, target)
        return
    aside = target.with_name(f".{target.name}{_TEMP_MARK}old-{secrets.token_hex(4)}")
    os.rename(target, aside)
    try:
        os.rename(tmp, target)
    except OSError:
        os.rename(aside, target)
        raise
    discard_export(aside)


def discard_export(folder: Path) -> None:
    """Remove an export folder: the files an export writes, then the folder if that emptied
    it (anything else found there is left where it is)."""
    for entry in _entries(folder):
        if entry.name in EXPORT_FILE_NAMES and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return list(it)


def _names(names: list[str]) -> str:
    shown = "、".join(clean_file_name(n) for n in sorted(names)[:5])
    return shown + (f" 等 {len(names)} 项" if len(names) > 5 else "")
