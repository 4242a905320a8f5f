"""The quick column readers accept only what the cell readers accept, and read it the same."""

import datetime as dt

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from jiujinan.cases.enums import Cause
from jiujinan.exports import columns
from jiujinan.exports.csv_format import yuan

AMOUNT_CELLS = st.one_of(
    st.integers(min_value=-10**15, max_value=10**15).map(yuan),
    st.sampled_from(["", "1.5", "1.005", "１.00", "1,000.00", "-0.00", "12345678901234.00", "1.00\n2.00", " 1.00"]),
    st.text(alphabet="0123456789.-\n", max_size=8),
)
DATE_CELLS = st.one_of(st.dates(min_value=dt.date(1900, 1, 1)).map(dt.date.isoformat),
                       st.sampled_from(["", "2026-02-30", "2026-13-01", "2026-1-01", "２０２６-01-01", "20260101"]))
NUMBER_CELLS = st.one_of(st.integers(min_value=0, max_value=10**10).map(str),
                         st.sampled_from(["", "-1", "1.0", "１２", "0x1", "1\n2"]))
TEXT_CELLS = st.one_of(st.text(max_size=12), st.sampled_from(["'=1", "=1", "'x", "\u202eab", "a\x00b", "\ta", "x" * 41, "a\nb"]))
LABEL_CELLS = st.one_of(st.sampled_from([m.label for m in Cause] + [m.value for m in Cause]), st.text(max_size=3))

EDGES = ["", " ", "0", "-0", "1.5", "1.005", "１.00", "1,000.00", "-0.00", "-1.00", "12345678901234.00", "1.00\n2.00",
         "2026-02-30", "2026-13-01", "２０２６-01-01", "20260101", "2026-01-01\n", "-1", "１２", "1234567890",
         "'=1", "=1", "'x", "\u202eab", "a\x00b", "\ta", "x" * 41, "a\nb", "是", "因病", "illness"]
READERS = {
    "amounts": (columns.amounts(), AMOUNT_CELLS),
    "signed optional amounts": (columns.amounts(signed=True, required=False), AMOUNT_CELLS),
    "dates": (columns.dates(), DATE_CELLS),
    "optional dates": (columns.dates(required=False), DATE_CELLS),
    "numbers": (columns.numbers(), NUMBER_CELLS),
    "optional numbers": (columns.numbers(required=False), NUMBER_CELLS),
    "text": (columns.text(40), TEXT_CELLS),
    "required text": (columns.text(40, required=True), TEXT_CELLS),
    "labels": (columns.labels(Cause), LABEL_CELLS),
    "optional labels": (columns.labels(Cause, empty=None, required=False), LABEL_CELLS),
}


def cell_by_cell(reader: columns.Column, cells: list[str]) -> tuple[list, list[int]]:
    values, bad = [], []
    for n, cell in enumerate(cells):
        try:
            values.append(reader.cell(cell))
        except columns.ValidationError:
            values.append(None)
            bad.append(n)
    return values, bad


def check(name: str, reader: columns.Column, column: list[str]) -> None:
    expected, bad = cell_by_cell(reader, column)
    try:
        quick = reader.quick(column)
    except columns.QuickFailed:
        quick = None
    if quick is not None:  # whatever the quick reader accepts is good, and read alike
        assert not bad, (name, column)
        assert quick == expected, (name, column)
    values, problems = columns.read_column(reader, column)
    assert values == expected and [i for i, _ in problems] == bad, (name, column)


@pytest.mark.parametrize("name", list(READERS))
def test_quick_readers_agree_with_the_cell_readers(name: str) -> None:
    reader, cells = READERS[name]

    @settings(max_examples=80, deadline=None)
    @given(st.lists(cells, max_size=6))
    def random_columns(column: list[str]) -> None:
        check(name, reader, column)

    random_columns()


@pytest.mark.parametrize("name", list(READERS))
def test_every_edge_cell_alone_and_among_good_ones(name: str) -> None:
    reader, _ = READERS[name]
    good = {"amounts": "1.00", "dates": "2026-01-01", "numbers": "7", "text": "张三", "labels": "因病"}
    fine = next(v for k, v in good.items() if k in name)
    for cell in EDGES:
        for column in ([cell], [fine, cell], [cell, fine, fine]):
            check(name, reader, column)


def test_a_bad_cell_is_named_with_its_reason() -> None:
    values, problems = columns.read_column(columns.amounts(), ["1.00", "2.005", "3.00", "99999999999999.00"])
    assert values == [100, None, 300, None]
    assert [i for i, _ in problems] == [1, 3] and "两位小数" in problems[0][1]
    _, problems = columns.read_column(columns.text(10), ["好", "=SUM(A1)", "a\x07"])
    assert [(i, "公式" in r or "控制字符" in r) for i, r in problems] == [(1, True), (2, True)]
