"""Forging village exports as an attacker would: start from a real export made by the app and
change it consistently (checksums, sizes and row counts fixed), so only the importer's
rules stand between the forgery and the district's database."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from jiujinan import keys
from jiujinan.cases.clock import FixedClock
from jiujinan.db import keys as signing_keys
from jiujinan.db.models import ImportBatch, ReportedCase, ReportedEntry, ReportedPayment
from jiujinan.services import export
from jiujinan.services.context import AppContext, open_context
from jiujinan.services.demo import run_demo

CLOCK = FixedClock(dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc))


# The villages' signing keys by public key: a forger here is the village's own (dishonest or
# broken) program, which signs what it changed, so the district's checks of the contents, not
# the signature, must catch the forgery.
_SIGNERS: dict[str, str] = {}


def make_export(where: Path) -> Path:
    """A real export of everything, of one demo society (made once per test module)."""
    ctx = open_context(str(where / "village.db"), where, CLOCK)
    try:
        run_demo(ctx, n_societies=1, n_cases=120, seed=7)
        folder = export.export_all(ctx, where / "out", user="")[0]  # a demo has no users: its holder reads it
        with ctx.read() as s:
            row = signing_keys.signing_key(s)
        _SIGNERS[row.public_key] = row.private_pem
        return folder
    finally:
        ctx.close()


def sign_again(folder: Path) -> None:
    """Sign the manifest as it now is with the key it names, when it is a village's of ours."""
    try:
        data = (folder / "manifest.json").read_bytes()
        pem = _SIGNERS.get(json.loads(data).get("signing_key"))
    except (OSError, ValueError, AttributeError, TypeError, RecursionError):
        return
    if pem is not None:
        (folder / "manifest.sig").write_text(keys.b64(keys.sign(pem, data)) + "\n", encoding="ascii")


def copy(original: Path, where: Path, name: str = "") -> Path:
    """A fresh copy of the export, named as the app names it (or ``name``)."""
    target = where / (name or original.name)
    shutil.copytree(original, target)
    return target


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(folder: Path, data: object) -> None:
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    sign_again(folder)


def rows(folder: Path, name: str) -> list[list[str]]:
    """The file's rows, header first."""
    return list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"), newline="")))


def write_bytes(folder: Path, name: str, data: bytes, count: int | None = None) -> None:
    """Replace a file and make the manifest agree (checksum, size and, if given, rows)."""
    (folder / name).write_bytes(data)
    m = manifest(folder)
    m["files"][name].update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    if count is not None:
        m["files"][name]["rows"] = count
    write_manifest(folder, m)


def write_rows(folder: Path, name: str, table: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    write_bytes(folder, name, b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"), len(table) - 1)


def set_cells(folder: Path, name: str, changes: dict[tuple[int, str], str]) -> None:
    """Set cells by (row index in the file, column name)."""
    table = rows(folder, name)
    for (row, column), value in changes.items():
        table[row][table[0].index(column)] = value
    write_rows(folder, name, table)


def rebalance(folder: Path, opening_fen: int | None = None) -> None:
    """Recompute ledger.csv's balance column from the opening balance, as a careful forger would."""
    from jiujinan.exports.csv_format import read_yuan, yuan

    m = manifest(folder)
    balance = read_yuan(m["opening_balance_yuan"], signed=True) if opening_fen is None else opening_fen
    if opening_fen is not None:
        m["opening_balance_yuan"] = yuan(opening_fen)
        write_manifest(folder, m)
    table = rows(folder, "ledger.csv")
    amount, after = table[0].index("amount_yuan"), table[0].index("balance_yuan")
    for row in table[1:]:
        balance += read_yuan(row[amount], signed=True)
        row[after] = yuan(balance)
    write_rows(folder, "ledger.csv", table)


def stored_counts(ctx: AppContext) -> tuple[int, ...]:
    """How many rows the district's import tables hold."""
    with ctx.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(model))
                     for model in (ImportBatch, ReportedCase, ReportedPayment, ReportedEntry))
