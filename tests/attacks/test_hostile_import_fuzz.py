"""Fuzzing the district import: thousands of export folders, each a real export of the app
mutated (bytes, cells, rows, manifest keys, types and nesting, file types), optionally with
the manifest made to agree again. The import never fails with anything but a refusal, and a
refused folder stores nothing.

CI runs JIUJINAN_FUZZ_EXAMPLES (default 300) examples; for a longer local run:
    JIUJINAN_FUZZ_EXAMPLES=5000 pytest tests/attacks/test_hostile_import_fuzz.py
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiujinan.services.context import open_context
from tests.attacks import forge
from tests.conftest import import_folder

EXAMPLES = int(os.environ.get("JIUJINAN_FUZZ_EXAMPLES", "300"))
CSVS = ("cases.csv", "payments.csv", "ledger.csv")
FILES = ("manifest.json", *CSVS)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)
cells = st.one_of(
    st.text(max_size=40), st.sampled_from(["", "0.00", "-1.00", "1.005", "=1+1", "'=1", "9" * 20, "2026-02-30",
                                           "已发放", "收入", "支出", "冲正", "是", "否", "341802100200", "\x00", "\r\n"]),
    st.integers(-10**9, 10**12).map(lambda n: f"{n / 100:.2f}"), st.text(min_size=200, max_size=400))

byte_edit = st.tuples(st.just("bytes"), st.sampled_from(FILES), st.integers(0, 10**6), st.binary(max_size=8),
                      st.integers(0, 8))
cell_edit = st.tuples(st.just("cell"), st.sampled_from(CSVS), st.integers(0, 10**6), st.integers(0, 20), cells)
row_edit = st.tuples(st.just("row"), st.sampled_from(CSVS), st.sampled_from(["drop", "copy", "swap", "short", "long"]),
                     st.integers(0, 10**6), st.integers(0, 10**6))
key_edit = st.tuples(st.just("key"), st.sampled_from(["format", "society_code", "society_name", "period", "exported_at",
                                                       "opening_balance_yuan", "full_ids", "encoding", "audit", "files",
                                                       "town", "extra"]),
                     st.one_of(st.just(...), json_values))
file_edit = st.tuples(st.just("file"), st.sampled_from(FILES),
                      st.sampled_from(["missing", "folder", "symlink", "fifo", "empty", "deep"]))
edits = st.lists(st.one_of(byte_edit, cell_edit, row_edit, key_edit, file_edit), min_size=1, max_size=4)


def _plain(path: Path) -> bool:
    """Whether the fuzzer itself may read the file (an earlier edit may have made it a FIFO)."""
    return path.is_file() and not path.is_symlink()


def _bytes(folder: Path, name: str, at: int, insert: bytes, remove: int) -> None:
    path = folder / name
    if not _plain(path):
        return
    data = path.read_bytes()
    at %= len(data) + 1
    path.write_bytes(data[:at] + insert + data[at + remove:])


def _table(folder: Path, name: str) -> list[list[str]] | None:
    path = folder / name
    if not _plain(path):
        return None
    try:
        return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None


def _write(folder: Path, name: str, table: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    (folder / name).write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8", "surrogatepass"))


def _cell(folder: Path, name: str, row: int, column: int, value: str) -> None:
    table = _table(folder, name)
    if table and len(table) > 1:
        line = table[1 + row % (len(table) - 1)]
        if line:
            line[column % len(line)] = value
            _write(folder, name, table)


def _row(folder: Path, name: str, how: str, a: int, b: int) -> None:
    table = _table(folder, name)
    if not table or len(table) < 2:
        return
    body = table[1:]
    i, j = a % len(body), b % len(body)
    if how == "drop":
        del body[i]
    elif how == "copy":
        body.insert(j, list(body[i]))
    elif how == "swap":
        body[i], body[j] = body[j], body[i]
    elif how == "short":
        body[i] = body[i][:-1]
    else:
        body[i] = body[i] + ["x"]
    _write(folder, name, [table[0], *body])


def _key(folder: Path, key: str, value: object) -> None:
    if not _plain(folder / "manifest.json"):
        return
    try:
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return
    if not isinstance(m, dict):
        return
    if value is ...:
        m.pop(key, None)
    else:
        m[key] = value
    (folder / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    forge.sign_again(folder)


def _file(folder: Path, name: str, how: str) -> None:
    path = folder / name
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if how == "folder":
        path.mkdir()
    elif how == "symlink":
        path.symlink_to("/dev/zero")
    elif how == "fifo" and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "deep":
        path.write_bytes(b"[" * 50_000)


def _agree(folder: Path) -> None:
    """Make the manifest declare the files as they now are (where both can be read)."""
    if not _plain(folder / "manifest.json"):
        return
    try:
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files = m["files"]
        for name in CSVS:
            path = folder / name
            if _plain(path) and isinstance(files.get(name), dict):
                data = path.read_bytes()
                files[name].update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data),
                                   rows=max(data.count(b"\r\n") - 1, 0))
        (folder / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
        forge.sign_again(folder)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        pass


APPLY = {"bytes": _bytes, "cell": _cell, "row": _row, "key": _key, "file": _file}


def test_no_mutated_export_crashes_the_import_or_is_half_stored(tmp_path) -> None:  # noqa: ANN001
    original = forge.make_export(tmp_path)
    ctx = open_context(str(tmp_path / "district.db"), tmp_path, forge.CLOCK)
    outcomes: dict[str, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 300,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(edits, st.booleans())
    def one(changes: list[tuple], agree: bool) -> None:
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        try:
            folder = forge.copy(original, work)
            for kind, *args in changes:
                APPLY[kind](folder, *args)
            if agree:
                _agree(folder)
            before = forge.stored_counts(ctx)
            result = import_folder(ctx, folder, "区民政局")  # nothing but a result: no exception
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
            after = forge.stored_counts(ctx)
            if result.outcome in ("rejected", "unchanged"):
                assert after == before, result.message
                assert "程序出错" not in result.message
            else:
                assert after[0] == before[0] + 1
        finally:
            shutil.rmtree(work, ignore_errors=True)

    try:
        one()
    finally:
        ctx.close()
    assert outcomes.get("rejected", 0) > EXAMPLES // 2, outcomes  # the mutations reach the checks
