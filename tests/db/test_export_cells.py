"""The export's cells are computed by the database (db/exports.py); they must be exactly what
the Python format functions write (exports/csv_format.py, cases/masking.py)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import BigInteger, Integer, String, literal, select

from jiujinan.cases.enums import Cause
from jiujinan.cases.masking import mask_id
from jiujinan.db import exports
from jiujinan.exports.csv_format import FORMULA_START, neutralise, yuan

FEN = st.one_of(st.none(), st.integers(min_value=-10**13, max_value=10**13),
                st.sampled_from([0, 1, -1, 5, -5, 99, 100, -100, 101, 150000, -150005]))
# Any text PostgreSQL can hold: no NUL and no lone surrogates (the app refuses both, with every
# control character, before anything is stored).
CHARS = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
TEXT = st.one_of(st.text(CHARS, max_size=12),
                 st.tuples(st.sampled_from(FORMULA_START + ("'", "a", "张")), st.text(CHARS, max_size=6)).map("".join))
IDS = st.text(alphabet="0123456789X", max_size=20)
# The database fixture is only read, so sharing it between examples is safe.
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def cell(ctx, expression):  # noqa: ANN001, ANN201
    with ctx.read() as s:
        return s.execute(select(expression)).scalar_one()


@EXAMPLES
@given(fen=FEN)
def test_amounts_match_the_python_writer(ctx, fen) -> None:  # noqa: ANN001
    assert cell(ctx, exports.yuan_cell(literal(fen, BigInteger))) == yuan(fen)  # SQLite's printf
    assert cell(ctx, exports.portable_yuan_cell(literal(fen, BigInteger))) == yuan(fen)  # other databases


def test_amounts_of_expressions_with_parameters(ctx) -> None:  # noqa: ANN001
    """The SQLite form repeats its argument; each repeat binds its own parameters in order."""
    expression = literal(-250, Integer) + literal(100, Integer)
    assert cell(ctx, exports.yuan_cell(expression)) == "-1.50"


@EXAMPLES
@given(text=TEXT)
def test_neutralising_matches_the_python_writer(ctx, text) -> None:  # noqa: ANN001
    assert cell(ctx, exports.text_cell(literal(text, String))) == neutralise(text)


@EXAMPLES
@given(number=IDS)
def test_masking_matches_the_published_rule(ctx, number) -> None:  # noqa: ANN001
    assert cell(ctx, exports.masked_id_cell(literal(number, String))) == mask_id(number)


def test_labels_and_empty_values(ctx) -> None:  # noqa: ANN001
    for member in Cause:
        assert cell(ctx, exports.label_cell(literal(member.value, String), Cause)) == member.label
    assert cell(ctx, exports.label_cell(literal(None, String), Cause)) == ""
    assert cell(ctx, exports.text_cell(literal(None, String))) == ""
