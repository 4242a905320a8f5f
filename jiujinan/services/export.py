"""Exporting a society's cases, payments and ledger as CSV for the district."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
from operator import itemgetter
from pathlib import Path

from jiujinan import __version__

from jiujinan.cases.errors import DomainError
from jiujinan.cases.society import SocietySettings
from jiujinan.db import audit, exports, societies
from jiujinan.exports.csv_format import CASES, ENCODINGS, FORMAT, LEDGER, PAYMENTS, neutralise, yuan
from jiujinan.cases.users import Permission
from jiujinan.services.access import authorize, user_area
from jiujinan.services.context import AppContext

Period = tuple[dt.date, dt.date] | None


class _CsvFile:
    """One CSV file being written: header first, rows as they come, counted."""

    def __init__(self, path: Path, header: tuple[str, ...], codec: str) -> None:
        self.path, self.rows = path, 0
        # utf-8-sig encodes through Python code on every write; utf-8 plus the BOM by hand is
        # the same bytes through C (a tenth of an export's time).
        bom = codec == "utf-8-sig"
        self._file = path.open("w", encoding="utf-8" if bom else codec, newline="")
        if bom:
            self._file.write("\ufeff")
        self._writer = csv.writer(self._file, lineterminator="\r\n")
        self._writer.writerow(header)

    def write(self, rows: list) -> None:  # noqa: ANN001
        self._writer.writerows(rows)
        self.rows += len(rows)

    def close(self) -> dict[str, object]:
        self._file.close()
        data = self.path.read_bytes()
        # The district reads no more than the declared bytes (docs/csv-format.md).
        return {"rows": self.rows, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


_LEDGER_CELLS = itemgetter(*exports.LEDGER_CELLS)
_PAYMENT_CELLS = itemgetter(*exports.PAYMENT_CELLS)


def _write_files(ctx: AppContext, society_id: int, tmp: Path, start: dt.date | None, end: dt.date | None,
                 full_ids: bool, codec: str) -> tuple[SocietySettings, int, dict[str, object]]:
    """The three CSV files, from one read transaction: every file sees the same data."""
    with ctx.read() as s:
        society = societies.get_society(s, society_id).settings
        cells = [society.area_code] + [neutralise(v) for v in (society.name, society.town, society.district)]
        opening = exports.opening_balance(s, society_id, start)
        cases = _CsvFile(tmp / "cases.csv", CASES, codec)
        payments = _CsvFile(tmp / "payments.csv", PAYMENTS, codec)
        ledger = _CsvFile(tmp / "ledger.csv", LEDGER, codec)
        try:
            society_cells, at = tuple(cells), exports.CASE_SOCIETY_AT
            for chunk in exports.case_rows(s, society_id, start, end, full_ids=full_ids):
                cases.write([row[:at] + society_cells + row[at:] for row in chunk])
            paid = exports.PAYMENT_CASE
            for chunk in exports.ledger_rows(s, society_id, start, end, code=society.area_code, opening_fen=opening):
                ledger.write(list(map(_LEDGER_CELLS, chunk)))
                payments.write([_PAYMENT_CELLS(row) for row in chunk if row[paid] is not None])
        finally:
            files = {f.path.name: f.close() for f in (cases, payments, ledger)}
    return society, opening, files


def audit_chain_state(ctx: AppContext) -> dict[str, object]:
    """The database's audit chain for the manifest: how many entries, its end, and whether it
    checks out, so the district sees a village whose trail was changed outside the app."""
    with ctx.read() as s:
        entries, last_hash = audit.head(s)
        intact = not audit.chain_problems(s)
    return {"entries": entries, "last_hash": last_hash, "intact": intact}


def export_society(ctx: AppContext, society_id: int, out_dir: Path, *, period: Period = None,
                   full_ids: bool = False, encoding: str = "utf-8",
                   audit_state: dict[str, object] | None = None, user: str = "") -> dict[str, object]:
    """Write cases.csv, payments.csv, ledger.csv and manifest.json for one society into
    ``out_dir`` (created; files land under their names only once all are written). Full ID
    numbers only for an administrator (``user``) of the society."""
    if encoding not in ENCODINGS:
        raise DomainError(f"编码应为 {'/'.join(ENCODINGS)}")
    if full_ids:
        with ctx.read() as s:
            authorize(s, user, Permission.FULL_IDS, society_id)
    start, end = period if period else (None, None)
    tmp = out_dir.with_name(out_dir.name + ".part")
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        society, opening, files = _write_files(ctx, society_id, tmp, start, end, full_ids, ENCODINGS[encoding])
        manifest = {
            "format": FORMAT, "society_code": society.area_code, "society_name": society.name,
            "town": society.town, "district": society.district,
            "period": {"from": start.isoformat(), "to": (end - dt.timedelta(days=1)).isoformat()} if period else None,
            "opening_balance_yuan": yuan(opening), "full_ids": full_ids, "encoding": encoding,
            "app_version": __version__, "exported_at": ctx.clock.now().isoformat(timespec="seconds"),
            "audit": audit_state or audit_chain_state(ctx), "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    except BaseException as err:  # nothing half-written stays behind
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, OSError):
            raise DomainError(f"无法写入 {out_dir}：{err.strerror or err}") from err
        raise
    return manifest


def export_all(ctx: AppContext, out: Path, *, codes: list[str] | None = None, period: Period = None,
               full_ids: bool = False, encoding: str = "utf-8", progress=None, cancelled=None,  # noqa: ANN001
               user: str = "") -> list[Path]:
    """One folder per society (all of them, or those named) under ``out``: those ``user``
    works on (all for "", the database's operator). Full ID numbers only for an
    administrator."""
    with ctx.read() as s:
        if full_ids:
            authorize(s, user, Permission.FULL_IDS)
        area = user_area(s, user) if user else ""
        records = societies.list_societies(s, area)
    if codes:
        known = {r.settings.area_code for r in records}
        missing = [c for c in codes if c not in known]
        if missing:
            where = f"{user} 的工作范围内" if area else ""
            raise DomainError(f"{where}找不到区划代码为 {'、'.join(missing)} 的互助社")
        records = [r for r in records if r.settings.area_code in codes]
    audit_state = audit_chain_state(ctx)  # the chain is the database's: checked once
    suffix = "" if not period else f"-{period[0]:%Y%m%d}-{(period[1] - dt.timedelta(days=1)):%Y%m%d}"
    done = []
    for n, record in enumerate(records, start=1):
        if cancelled is not None and cancelled():
            raise DomainError(f"已取消，已导出 {len(done)} 个互助社")
        target = out / f"{record.settings.area_code}{suffix}"
        export_society(ctx, record.id, target, period=period, full_ids=full_ids, encoding=encoding, user=user,
                       audit_state=audit_state)
        done.append(target)
        if progress is not None:
            progress(n, len(records))
    return done
