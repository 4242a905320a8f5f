"""An export opened by a real spreadsheet program keeps its Chinese text (LibreOffice,
headless: CSV → xlsx → CSV). .ci/run installs it; without it the test says so and skips."""

import datetime as dt
import shutil
import subprocess

import pytest

from jiujinan.cases.clock import FixedClock
from jiujinan.services import export
from jiujinan.services.context import open_context
from jiujinan.services.demo import run_demo

SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_chinese_survives_a_spreadsheet(tmp_path) -> None:  # noqa: ANN001
    ctx = open_context(str(tmp_path / "v.db"), tmp_path, FixedClock(dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)))
    run_demo(ctx, n_societies=1, n_cases=30, seed=2)
    folder = export.export_all(ctx, tmp_path / "out", user="王会计")[0]
    ctx.close()
    original = (folder / "cases.csv").read_text(encoding="utf-8-sig").splitlines()
    env = {"HOME": str(tmp_path)}  # LibreOffice writes its profile there
    subprocess.run([SOFFICE, "--headless", "--infilter=CSV:44,34,76", "--convert-to", "xlsx",
                    str(folder / "cases.csv"), "--outdir", str(tmp_path / "xlsx")],
                   check=True, capture_output=True, timeout=120, env=env)
    subprocess.run([SOFFICE, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    str(tmp_path / "xlsx" / "cases.xlsx"), "--outdir", str(tmp_path / "back")],
                   check=True, capture_output=True, timeout=120, env=env)
    back = (tmp_path / "back" / "cases.csv").read_text(encoding="utf-8").splitlines()
    assert len(back) == len(original) == 31
    for before, after in zip(original[1:], back[1:]):
        b, a = before.split(","), after.split(",")
        assert (a[0], a[2], a[3], a[5], a[7], a[8], a[12]) == (b[0], b[2], b[3], b[5], b[7], b[8], b[12])
        assert "青山" in a[2] or "社区" in a[2] or "村" in a[2]
