"""Search finds a part of a value (a given name, the last four digits of an ID number, a
case's running number), within the society and its filters, and agrees with the rule in
plain Python (jiujinan.cases.listing.text_matches) on both backends."""

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiujinan.cases.enums import Cause, CaseStatus
from jiujinan.cases.listing import CaseListQuery, text_matches
from jiujinan.services import case_list, intake, societies
from jiujinan.services.demo import run_demo
from tests.conftest import application, make_id, society_settings


@pytest.fixture(autouse=True, params=["index", "auto"])
def way(request, backend, monkeypatch) -> str:  # noqa: ANN001
    """Every test twice on SQLite: always through the trigram index (as for a society of a
    million cases), and as chosen for a small society (its cases are read when the index
    would give more: common text such as "3418")."""
    from jiujinan.db import search

    if request.param == "index":
        monkeypatch.setattr(search, "READ_SOCIETY_UP_TO", 0)
    elif backend == "postgresql":
        pytest.skip("PostgreSQL has one way: its planner weighs the index against the society's rows")
    return request.param


def _id_ending_in_x(birth: str) -> str:
    return next(i for i in (make_id(birth, f"{n:02d}") for n in range(100)) if i.endswith("X"))


def rows(ctx, query):  # noqa: ANN001, ANN201
    return case_list.page(ctx, query, "王会计", limit=10_000)


def names(ctx, society_id: int, text: str, **filters: object) -> list[str]:  # noqa: ANN001
    query = CaseListQuery(society_id=society_id, text=text, **filters)
    found = rows(ctx, query)
    assert case_list.count(ctx, query, "王会计") == len(found)
    return sorted(r.applicant_name for r in found)


@pytest.fixture
def office(ctx, society_id):  # noqa: ANN001, ANN201
    """Four cases in our society and one in the next village's, which must never show."""
    other = societies.create_society(ctx, society_settings("341802100202", "河口村救急难互助社"), "王会计").id
    ours = {
        "张小五": make_id("19650314", "12", "3"),
        "欧阳小五": _id_ending_in_x("19800101"),
        "李大五": make_id("19721109", "45", "1"),
        "王芳": make_id("19900520", "01", "2"),
    }
    stored = {name: intake.register_application(ctx, society_id, application(applicant_name=name, id_number=number),
                                                "王会计") for name, number in ours.items()}
    intake.register_application(ctx, other, application(applicant_name="赵小五", id_number=make_id("19650314", "12", "3")),
                                "王会计")
    return society_id, stored


def test_a_part_of_a_value_finds_the_case(ctx, office) -> None:  # noqa: ANN001
    sid, stored = office
    assert names(ctx, sid, "小五") == ["张小五", "欧阳小五"]  # a given name without the surname
    assert names(ctx, sid, "阳小") == ["欧阳小五"]
    assert names(ctx, sid, "五") == ["张小五", "李大五"]  # one character: from the name's first three only
    x_number = stored["欧阳小五"].application.id_number
    assert names(ctx, sid, x_number[-4:].lower()) == ["欧阳小五"]  # last four, a trailing X typed lower case
    assert names(ctx, sid, stored["李大五"].application.id_number[-4:]) == ["李大五"]
    li = stored["李大五"].application.id_number
    assert names(ctx, sid, li[6:14]) == ["李大五"]  # the birth date
    assert names(ctx, sid, li[-7:]) == ["李大五"]  # longer text: its last six are looked up, the rest checked
    assert names(ctx, sid, ("1" if li[-7] != "1" else "2") + li[-6:]) == []
    seq = stored["王芳"].case_no[-5:]  # "00004": the case's running number
    assert names(ctx, sid, seq) == names(ctx, sid, seq[1:]) == ["王芳"]
    assert names(ctx, sid, "2026-00001") == ["张小五"]
    assert names(ctx, sid, "3418") == ["张小五", "李大五", "欧阳小五", "王芳"]  # in every ID and case number
    assert names(ctx, sid, "小五张") == names(ctx, sid, "100%") == names(ctx, sid, '"小五"') == []


def test_the_search_keeps_to_the_society_and_the_filters(ctx, office) -> None:  # noqa: ANN001
    sid, stored = office
    first = stored["张小五"].application.id_number
    assert names(ctx, sid, first[-6:]) == ["张小五"]  # 赵小五 next door has the same number
    assert names(ctx, sid, "小五", cause=Cause.ILLNESS) == ["张小五", "欧阳小五"]
    assert names(ctx, sid, "小五", cause=Cause.DISASTER) == []
    assert names(ctx, sid, "小五", status=CaseStatus.PAID) == []
    query = CaseListQuery(society_id=sid, text="341802")
    page_one = case_list.page(ctx, query, "王会计", limit=2)
    last = page_one[-1]
    after = case_list.page(ctx, query, "王会计", limit=10, after=(last.sort_value(query.sort), last.id))
    assert [r.id for r in page_one + after] == [r.id for r in rows(ctx, query)] and len(page_one + after) == 4


def test_an_edited_name_or_id_number_is_found_as_it_is_now(ctx, office) -> None:  # noqa: ANN001
    sid, stored = office
    case = stored["张小五"]
    new_id = make_id("19580707", "33", "5")
    intake.update_application(ctx, case.id, application(applicant_name="张晓武", id_number=new_id), "王会计",
                              version=case.version)
    assert names(ctx, sid, "小五") == ["欧阳小五"]
    assert names(ctx, sid, "晓武") == names(ctx, sid, new_id[-4:]) == ["张晓武"]
    assert names(ctx, sid, case.application.id_number[-8:]) == []
    edited = intake.load(ctx, case.id, "王会计")  # an edit of other fields leaves the name found
    intake.update_application(ctx, case.id, application(applicant_name="张晓武", id_number=new_id, phone="13800000000"),
                              "王会计", version=edited.version)
    assert names(ctx, sid, "张晓武") == ["张晓武"]


def test_cases_imported_in_bulk_are_found(ctx, office) -> None:  # noqa: ANN001
    sid, _stored = office
    run_demo(ctx, n_societies=1, n_cases=200, seed=5)  # the bulk path (demo, benchmarks)
    demo_society = next(r.id for r in societies.list_societies(ctx) if r.settings.area_code == "341802100200")
    everything = rows(ctx, CaseListQuery(society_id=demo_society))
    sample = everything[17]
    for text in (sample.id_number[-4:], sample.applicant_name[1:], sample.case_no[-4:]):
        want = [r.id for r in everything if text_matches(text, name=r.applicant_name, id_number=r.id_number,
                                                         case_no=r.case_no, area_code="341802100200")]
        assert sample.id in want
        assert [r.id for r in rows(ctx, CaseListQuery(society_id=demo_society, text=text))] == want


@pytest.fixture
def corpus(ctx):  # noqa: ANN001, ANN201
    """Two demo societies (their names share characters, their numbers digits)."""
    run_demo(ctx, n_societies=2, n_cases=400, seed=11)
    society = societies.list_societies(ctx)[0]
    everything = rows(ctx, CaseListQuery(society_id=society.id))
    return society, everything


def _texts(everything) -> st.SearchStrategy[str]:  # noqa: ANN001
    values = st.sampled_from([v for r in everything for v in (r.applicant_name, r.id_number, r.case_no)])

    @st.composite
    def part(draw) -> str:  # noqa: ANN001
        value = draw(values)
        start = draw(st.integers(0, len(value) - 1))
        piece = value[start:draw(st.integers(start + 1, len(value)))]
        if draw(st.booleans()):
            piece = piece.lower()
        if len(piece) > 2 and draw(st.booleans()):
            cut = draw(st.integers(1, len(piece) - 1))
            piece = f"{piece[:cut]} {piece[cut:]}"  # typed in groups
        return piece

    noise = st.text(alphabet="0123456789Xx-王李张伟芳华英 ", min_size=1, max_size=6)
    return part() | noise | st.tuples(noise, part()).map("".join)  # the end of a value, something else before it


def test_sql_search_equals_the_python_rule(ctx, corpus) -> None:  # noqa: ANN001
    society, everything = corpus
    area = society.settings.area_code

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(text=_texts(everything), status=st.none() | st.sampled_from(list(CaseStatus)),
           cause=st.none() | st.sampled_from(list(Cause)))
    def agree(text: str, status: CaseStatus | None, cause: Cause | None) -> None:
        query = dataclasses.replace(CaseListQuery(society_id=society.id), text=text, status=status, cause=cause)
        want = [r.id for r in everything
                if (status is None or r.status is status) and (cause is None or r.cause is cause)
                and text_matches(text, name=r.applicant_name, id_number=r.id_number, case_no=r.case_no,
                                 area_code=area)]
        assert [r.id for r in rows(ctx, query)] == want
        assert case_list.count(ctx, query, "王会计") == len(want)

    agree()


def test_without_pg_trgm_the_search_still_finds_and_the_index_comes_later(backend, db_url, tmp_path, clock,
                                                                          monkeypatch, caplog) -> None:  # noqa: ANN001
    """A server where the extension cannot be created (here: asked for one that is not
    there): the upgrade goes through and says so, the search reads every case instead, and
    the next start builds the index once the extension can be had."""
    if backend != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    from alembic import command
    from sqlalchemy import text

    from jiujinan.db import search
    from jiujinan.db.migrate import alembic_config
    from jiujinan.services.context import open_context

    first = open_context(db_url, tmp_path, clock)
    command.downgrade(alembic_config(first.engine), "0008")  # migration 0009 runs again below
    first.close()
    monkeypatch.setattr(search, "PG_EXTENSION", "CREATE EXTENSION IF NOT EXISTS pg_trgm_not_installed_here")
    ctx = open_context(db_url, tmp_path, clock)
    assert "pg_trgm" in caplog.text and "jiujinan db upgrade" in caplog.text
    run_demo(ctx, n_societies=1, n_cases=60, seed=2)
    sid = societies.list_societies(ctx)[0].id
    sample = rows(ctx, CaseListQuery(society_id=sid))[5]
    assert sample.id in [r.id for r in rows(ctx, CaseListQuery(society_id=sid, text=sample.id_number[-4:]))]
    ctx.close()
    monkeypatch.undo()
    again = open_context(db_url, tmp_path, clock)
    with again.engine.connect() as conn:
        assert conn.scalar(text("SELECT to_regclass(:n)"), {"n": search.TRGM_INDEX}) is not None
    again.close()


def test_typed_text_is_normalised_and_what_cannot_match_is_dropped(ctx, office) -> None:  # noqa: ANN001
    """Full-width digits and letters from an input method find the case; NUL, control
    characters, lone surrogates (a terminal's invalid UTF-8) and U+10FFFF neither fail nor
    match; a text left empty lists every case; a huge text is cut, not sent whole."""
    sid, stored = office
    x_number = stored["欧阳小五"].application.id_number
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in x_number[-4:].lower())  # ２７０ｘ
    assert names(ctx, sid, full_width) == ["欧阳小五"]
    assert names(ctx, sid, "２０２６－００００１") == ["张小五"]
    everyone = ["张小五", "李大五", "欧阳小五", "王芳"]
    for text in ("\x00", "\U0010FFFF", "\udcff", "\x07\t", "\U0010FFFF\U0010FFFF"):
        assert names(ctx, sid, text) == everyone
    assert names(ctx, sid, "小\x00五") == names(ctx, sid, "小\udcff五") == ["张小五", "欧阳小五"]
    assert names(ctx, sid, "张\U0010FFFF") == ["张小五"]
    assert names(ctx, sid, "小五" * 500_000) == []
