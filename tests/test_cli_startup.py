"""The command line starts at once: ``--version`` and the parsing of every command load none
of the heavy libraries (each command imports what it needs inside it), and the GUI's
modules load no printing, signing or migration library before the first window. Each check
runs in a fresh interpreter and names what was loaded, so it fails for the right reason (a
new module-level import), not for a slow machine."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "reportlab", "alembic", "cryptography", "PySide6", "pypdfium2", "mako", "PIL")


def loaded_after(code: str) -> list[str]:
    """The heavy libraries in sys.modules after ``code`` ran in a fresh interpreter."""
    probe = (f"import sys\n{code}\n"
             f"print(__import__('json').dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_version_loads_no_heavy_library() -> None:
    code = ("from jiujinan.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit as done:\n    assert done.code == 0")
    assert loaded_after(code) == []


@pytest.mark.parametrize("argv", [
    ["case", "show", "341802100201-2026-00001", "--db", "f.db", "--user", "王会计"],
    ["case", "act", "X-2026-00001", "visit", "date=2026-11-20", "investigators=张三", "findings=属实"],
    ["print", "forms", "--month", "2026-11", "--out", "f.pdf"],
    ["export", "--out", "d", "--encoding", "gb18030"],
    ["fund", "pay", "X-2026-00001", "--date", "2026-11-20"],
    ["key", "show"], ["restore", "b.db"], ["db", "show"], ["society", "add", "-h"],
])
def test_parsing_a_command_loads_no_heavy_library(argv: list[str]) -> None:
    code = f"from jiujinan.cli import parse_arguments\ntry:\n    parse_arguments({argv!r})\nexcept SystemExit:\n    pass"
    assert loaded_after(code) == []


def test_the_gui_reaches_its_first_window_with_qt_alone() -> None:
    """What ``jiujinan`` imports before its sign-in dialog: Qt, and not even the database
    layer (the dialog opens the database behind it), let alone what only a paper, a
    signature, a preview or a schema change needs."""
    assert loaded_after("import jiujinan.ui.app") == ["PySide6"]


def test_every_step_of_case_act_is_the_step_dialog_s() -> None:
    """``case act`` offers the steps of the one table the step dialog is built from."""
    from jiujinan.cases.enums import StepKind
    from jiujinan.cases.step_input import BY_COMMAND, FORMS

    assert {form.kind for form in BY_COMMAND.values()} == set(FORMS) <= set(StepKind)


def test_pyside_s_feature_check_is_found_and_skipped() -> None:
    """ui/app.py skips PySide6's source check of every module imported after it (0.15–0.25 s of
    the sign-in); if a later PySide6 moves it, this says so instead of the start slowing quietly."""
    code = ("import sys\nimport PySide6.QtCore\nfrom jiujinan.ui.app import skip_feature_check\n"
            "assert skip_feature_check()\n"
            "feature = sys.modules['shibokensupport.feature']\nasked = []\nskipped = feature._mod_uses_pyside\n"
            "feature._mod_uses_pyside = lambda m: asked.append(m.__name__) or skipped(m)\n"
            "import sqlalchemy.orm\n"
            "assert 'sqlalchemy.orm' in asked and feature.pyside_feature_dict['sqlalchemy.orm'] == -1, asked\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
