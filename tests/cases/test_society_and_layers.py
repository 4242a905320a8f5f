"""Society settings, case numbers, and the one-direction dependency rule between layers."""

import ast
import dataclasses
from pathlib import Path

import pytest

from jiujinan.cases.case_number import format_case_no, parse_case_no
from jiujinan.cases.errors import ValidationError
from tests.conftest import society_settings

PACKAGE = Path(__file__).resolve().parents[2] / "jiujinan"


def test_settings_validate_every_field_at_once() -> None:
    bad = dataclasses.replace(society_settings(), name="", area_code="3418", town_limit_fen=1,
                              notice_days=0, objection_phone="12")
    with pytest.raises(ValidationError) as info:
        bad.validated()
    assert {e.field for e in info.value.errors} == {"name", "area_code", "town_limit_fen",
                                                    "notice_days", "objection_phone"}


def test_case_numbers_carry_area_code_and_year() -> None:
    assert format_case_no("341802100201", 2026, 17) == "341802100201-2026-00017"
    assert parse_case_no("341802100201-2026-00017") == ("341802100201", 2026, 17)
    assert parse_case_no("2026-17") is None


def _imports(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module if node.module.startswith("jiujinan") else node.module.split(".")[0])
        found[str(path.relative_to(PACKAGE))] = names
    return found


def test_domain_is_plain_python() -> None:
    for path, names in _imports(PACKAGE / "cases").items():
        assert not names & {"PySide6", "sqlalchemy", "reportlab", "alembic"}, path
        assert not any(n.startswith(("jiujinan.db", "jiujinan.ui", "jiujinan.services")) for n in names), path


def test_ui_has_no_sql() -> None:
    for path, names in _imports(PACKAGE / "ui").items():
        assert not names & {"sqlalchemy", "sqlite3", "alembic"}, path
        assert not any(n.startswith("jiujinan.db") for n in names), path
