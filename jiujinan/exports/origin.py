"""Whether an export comes from the society it names.

Today: the folder's name. The app names an export folder after the society's area code (and
the period), so a folder named for one society holding another's manifest was renamed or
forged. The hook for signatures: a check that the export is signed with the key enrolled for
``manifest.society_code`` belongs in ``origin_problems`` too, returning its reasons the same
way, so a forged origin is refused before anything is stored."""

from __future__ import annotations

import re
from pathlib import Path

from jiujinan.exports.manifest import Manifest

_APP_NAME = re.compile(r"([0-9]{12})(?:-([0-9]{8})-([0-9]{8}))?")


def origin_problems(folder: Path, manifest: Manifest) -> list[tuple[str, str]]:
    """The reasons (manifest key, reason) to doubt the export's origin; empty when none."""
    named = _APP_NAME.fullmatch(folder.name)
    if named is None:
        return []  # a folder the clerk named: nothing claimed here
    problems = []
    code, start, end = named.groups()
    if code != manifest.society_code:
        problems.append(("society_code", f"文件夹名 {folder.name} 表明是区划代码 {code} 的导出，"
                                         f"清单却是 {manifest.society_code}"))
    period = manifest.period
    said = f"{period[0]:%Y%m%d}-{period[1]:%Y%m%d}" if period else None
    if (start, end) != (None, None) and said != f"{start}-{end}":
        problems.append(("period", f"文件夹名 {folder.name} 表明的时段与清单不符"))
    return problems
