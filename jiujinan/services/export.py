"""Exporting a society's cases, payments and ledger as CSV for the district."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from operator import itemgetter
from pathlib import Path

from jiujinan import __version__

from jiujinan.cases.errors import DomainError
from jiujinan.cases.society import SocietySettings
from jiujinan.cases.export_guard import check_unchanged
from jiujinan.db import audit, exports, seal_check, societies
from jiujinan.exports.folder import check_collection, new_export_folder
from jiujinan.exports.csv_format import CASES, ENCODINGS, FORMAT, LEDGER, PAYMENTS, neutralise, yuan
from jiujinan.services import signed_export
from jiujinan.cases.disclosure import Kind, Output, require_full
from jiujinan.services.access import check_sees, reader
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


def check_before_signing(ctx: AppContext, society_ids: list[int]) -> bool:
    """Before anything is written or signed: the audit chain and the seals of what the export
    of these societies speaks for (db/seal_check.society_problems) are checked, and an export
    of data changed outside the program is refused (cases/export_guard). Returns whether the
    chain checks out, for the manifest."""
    with ctx.read() as s:
        chain = audit.chain_problems(s)
        found = chain + seal_check.society_problems(s, society_ids)
    check_unchanged(found)
    return not chain


def audit_chain_state(ctx: AppContext, intact: bool) -> dict[str, object]:
    """The database's audit chain for the manifest: how many entries, its end, and whether it
    checked out, so the district sees a village whose trail was changed outside the app."""
    with ctx.read() as s:
        entries, last_hash = audit.head(s)
    return {"entries": entries, "last_hash": last_hash, "intact": intact}


def export_society(ctx: AppContext, society_id: int, out_dir: Path, *, period: Period = None,
                   full_ids: bool = False, encoding: str = "utf-8",
                   audit_state: dict[str, object] | None = None, user: str,
                   sealer: signed_export.Sealer | None = None) -> dict[str, object]:
    """Write cases.csv, payments.csv, ledger.csv and manifest.json for one society into
    ``out_dir``: a new folder, put in place whole once all is written (an earlier export
    there is replaced; any other non-empty folder is refused), for a ``user`` who works on
    the society. Full ID numbers only for who may export them (cases/disclosure.py: an
    administrator)."""
    if encoding not in ENCODINGS:
        raise DomainError(f"编码应为 {'/'.join(ENCODINGS)}")
    with ctx.read() as s:
        who = check_sees(s, user, society_id)
    if full_ids:
        require_full(who.name, who.roles, Output.EXPORT, Kind.ID_NUMBER)
    start, end = period if period else (None, None)
    intact = audit_state is not None or check_before_signing(ctx, [society_id])
    with new_export_folder(out_dir) as tmp:  # a new folder; the clerk's own files are never touched
        society, opening, files = _write_files(ctx, society_id, tmp, start, end, full_ids, ENCODINGS[encoding])
        manifest = {
            "format": FORMAT, "society_code": society.area_code, "society_name": society.name,
            "town": society.town, "district": society.district,
            "period": {"from": start.isoformat(), "to": (end - dt.timedelta(days=1)).isoformat()} if period else None,
            "opening_balance_yuan": yuan(opening), "full_ids": full_ids, "encoding": encoding,
            "app_version": __version__, "exported_at": ctx.clock.now().isoformat(timespec="seconds"),
            "audit": audit_state or audit_chain_state(ctx, intact), "files": files,
        }
        manifest = signed_export.write_manifest(ctx, society_id, tmp, manifest, user, sealer)
    return manifest


def export_all(ctx: AppContext, out: Path, *, codes: list[str] | None = None, period: Period = None,
               full_ids: bool = False, encoding: str = "utf-8", progress=None, cancelled=None,  # noqa: ANN001
               user: str) -> list[Path]:
    """One folder per society (all of them, or those named) under ``out``: those ``user``
    works on. Full ID numbers only for an administrator."""
    with ctx.read() as s:
        who = reader(s, user)
        if full_ids:
            require_full(who.name, who.roles, Output.EXPORT, Kind.ID_NUMBER)
        area = who.area
        records = societies.list_societies(s, area)
    if codes:
        known = {r.settings.area_code for r in records}
        missing = [c for c in codes if c not in known]
        if missing:
            where = f"{user} 的工作范围内" if area else ""
            raise DomainError(f"{where}找不到区划代码为 {'、'.join(missing)} 的互助社")
        records = [r for r in records if r.settings.area_code in codes]
    check_collection(out)  # before anything is written: the clerk's own folder is refused whole
    intact = check_before_signing(ctx, [r.id for r in records])  # all of them, once, before anything
    sealer = signed_export.Sealer.prepare(ctx, user)  # the key and the chain, read once
    audit_state = audit_chain_state(ctx, intact)
    suffix = "" if not period else f"-{period[0]:%Y%m%d}-{(period[1] - dt.timedelta(days=1)):%Y%m%d}"
    done = []
    try:
        for n, record in enumerate(records, start=1):
            if cancelled is not None and cancelled():
                raise DomainError(f"已取消，已导出 {len(done)} 个互助社")
            target = out / f"{record.settings.area_code}{suffix}"
            export_society(ctx, record.id, target, period=period, full_ids=full_ids, encoding=encoding, user=user,
                           audit_state=audit_state, sealer=sealer)
            done.append(target)
            if progress is not None:
                progress(n, len(records))
    finally:
        sealer.remember(ctx)  # where the chain ended, for the folders written
    return done
