"""Every paper printed with extreme data (tests/printing/extreme.py) and read back by the
layout checker (tests/printing/layout.py): nothing over a rule or out of its cell, nothing in
the 5 mm margin, no line starting with «，», no lone character after a wrap, no phone or case
number cut in two; and the approval form's opinion boxes hold a 42 mm seal, all three on one
page (issue 16).

A paper that fails is a bug in the paper (or, rarely, in the checker: tests/printing/
test_layout_checker.py holds the checker to hand-made cases).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import pytest

from jiujinan.cases.clock import FixedClock
from jiujinan.services import fund, intake, printing, review
from jiujinan.services.context import AppContext, open_context
from tests.printing import layout
from tests.printing.extreme import CLERK, MONTH, NOW, PERIOD, SPECIAL, Extreme, build_extreme

SEAL_MM = 42  # a village or town seal is 40–42 mm across
OPINION = re.compile(r".{1,40}意见")  # the opinion boxes' labels: 村（社区）意见, …审核意见, …审批意见


@pytest.fixture(scope="module")
def extreme(tmp_path_factory) -> Iterator[tuple[AppContext, Extreme]]:  # noqa: ANN001
    """One database of extreme data for the whole module (building it takes a while)."""
    folder = tmp_path_factory.mktemp("extreme")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("jiujinan.cases.users.SCRYPT_N", 2**8)
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            mp.setenv(var, str(folder / "home" / var.lower()))
        ctx = open_context(str(folder / "extreme.db"), folder, FixedClock(NOW))
        try:
            yield ctx, build_extreme(ctx, routine=30, attachments_dir=folder / "files")
        finally:
            ctx.close()


Paper = Callable[[AppContext, Extreme, io.BytesIO], object]


def _form(role: str) -> Paper:
    return lambda ctx, data, out: printing.print_form(ctx, data.cases[role], out, CLERK)


PAPERS: dict[str, Paper] = {
    "form 100,000.01 (district, 2,000-character account)": _form("big"),
    "form 0.05": _form("tiny"),
    "form 先行救助": _form("emergency"),
    "form repeat applicant": _form("repeat"),
    "form returned": _form("returned"),
    "form rejected": _form("rejected"),
    "form reversed payment": _form("reversed"),
    "forms batch": lambda ctx, data, out: printing.print_forms(ctx, data.society_id, out, CLERK, period=SPECIAL),
    "notice": lambda ctx, data, out: printing.print_notice(ctx, data.society_id, out, CLERK),
    "notice of the month": lambda ctx, data, out: printing.print_notice(ctx, data.society_id, out, CLERK,
                                                                        period=PERIOD),
    "roster": lambda ctx, data, out: printing.print_roster(ctx, data.society_id, out, CLERK, period=PERIOD),
    "masked roster": lambda ctx, data, out: printing.print_roster(ctx, data.society_id, out, CLERK, period=PERIOD,
                                                                  masked=True),
    "ledger": lambda ctx, data, out: printing.print_ledger(ctx, data.society_id, MONTH, out, CLERK),
    "monthly": lambda ctx, data, out: printing.print_monthly(ctx, data.society_id, MONTH, out, CLERK),
    "letter: missing material": lambda ctx, data, out: printing.print_letter(ctx, data.cases["returned"], out, CLERK),
    "letter: rejection": lambda ctx, data, out: printing.print_letter(ctx, data.cases["rejected"], out, CLERK),
}

# Papers the checker still finds fault with; empty: every paper prints clean (issue 16).
FAILING_TODAY: dict[str, str] = {}


def _params() -> list[object]:
    out = []
    for name in PAPERS:
        # raises=AssertionError: only the checker's findings are expected; a paper that no longer
        # prints at all (a crash) fails the test.
        marks = [pytest.mark.xfail(strict=False, raises=AssertionError, reason=FAILING_TODAY[name])] \
            if name in FAILING_TODAY else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def printed(extreme: tuple[AppContext, Extreme], name: str) -> bytes:
    ctx, data = extreme
    out = io.BytesIO()
    PAPERS[name](ctx, data, out)
    return out.getvalue()


@pytest.mark.parametrize("name", _params())
def test_paper_has_no_layout_problem(extreme, name: str) -> None:  # noqa: ANN001
    pdf = printed(extreme, name)
    assert pdf.startswith(b"%PDF")
    found = layout.problems(pdf)
    assert not found, f"{name}: {len(found)} layout problems:\n" + "\n".join(found)


def opinion_boxes(pdf: bytes) -> list[layout.RowBox]:
    """The opinion boxes of a one-case form: label cells in the form's label column."""
    boxes = layout.row_boxes(pdf, OPINION)
    left = min((b.cell.left for b in boxes), default=0)
    return [b for b in boxes if abs(b.cell.left - left) < 1]


@pytest.mark.parametrize("role", ["big", "tiny", "emergency", "rejected", "returned"])
def test_opinion_boxes_hold_a_seal_and_stay_on_one_page(extreme, role: str) -> None:  # noqa: ANN001
    ctx, data = extreme
    out = io.BytesIO()
    printing.print_form(ctx, data.cases[role], out, CLERK)
    boxes = opinion_boxes(out.getvalue())
    assert len(boxes) == 3, [b.text for b in boxes]
    assert len({b.page for b in boxes}) == 1, [(b.text, b.page) for b in boxes]
    short = [f"{b.text} {b.height_mm:.1f} mm" for b in boxes if b.height_mm < SEAL_MM]
    assert not short, f"opinion boxes under {SEAL_MM} mm: {short}"


def test_every_page_of_a_long_form_names_the_case(extreme) -> None:  # noqa: ANN001
    """A district signer never signs a page that names no case: the 2,000-character form runs
    over several pages, and each carries the title, the case number, the applicant and
    第 N 页 共 M 页."""
    ctx, data = extreme
    out = io.BytesIO()
    printing.print_form(ctx, data.cases["big"], out, CLERK)
    pages = layout.page_pieces(out.getvalue())
    assert len(pages) >= 2
    name = intake.load_by_no(ctx, data.cases["big"], CLERK).application.applicant_name
    missing = [(n, what) for n, pieces in enumerate(pages, start=1)
               for what in ("救助申请审批表", data.cases["big"], name, f"第{n}页共{len(pages)}页")
               if not any(what in piece for piece in pieces)]
    assert not missing, f"pages that do not name the form, case or applicant: {missing}"


def test_the_extreme_data_is_what_it_says(extreme) -> None:  # noqa: ANN001
    """The fixture holds the extremes the papers are tested with (so a change to it that
    quietly drops one is seen)."""
    ctx, data = extreme
    assert len(printing._society(ctx, data.society_id).name) >= 30  # noqa: SLF001 - the settings as printed
    big = intake.load_by_no(ctx, data.cases["big"], CLERK).application
    assert len(big.hardship) == 2000 and len(big.address) >= 100 and len(big.applicant_name) == 30
    assert re.search(r"[A-Za-z-]{40,}", big.hardship) and re.search(r"\d{30,}", big.hardship)
    amounts = [line.amount_fen for line in fund.ledger(ctx, data.society_id, CLERK, month=MONTH).lines]
    assert {-5, -10_000_001, 120_000, -120_000} <= set(amounts)  # 0.05, 100,000.01, a payment and its reversal
    statuses = {role: review.case_view(ctx, intake.load_by_no(ctx, no, CLERK).id, CLERK).state
                for role, no in data.cases.items() if not role.startswith("routine")}
    assert statuses["emergency"].emergency and statuses["emergency"].emergency_fen == 200_000
    assert statuses["repeat"].repeat_reason and statuses["returned"].status.value == "returned"
    assert statuses["rejected"].status.value == "rejected" and statuses["reversed"].status.value == "paid"
    assert len(layout.page_texts(printed(extreme, "roster"))) >= 2  # rosters and ledgers of several pages
    assert len(layout.page_texts(printed(extreme, "ledger"))) >= 2
