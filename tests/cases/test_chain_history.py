"""The district's verdict on a village's history (cases/chain_history.py), table-driven."""

import datetime as dt

import pytest

from jiujinan.cases.chain_history import ChainClaim, judge

H = {n: f"{n:064x}" for n in range(1, 40)}
X = {n: f"{n + 1000:064x}" for n in range(1, 40)}  # another history's hashes


def claim(entries: int, points: dict[int, str], at: str = "2026-11-20T10:00:00+08:00",
          restores: tuple = ()) -> ChainClaim:
    return ChainClaim(entries, points.get(entries, H[entries]), points, restores, at)


HELD = claim(10, {4: H[4], 10: H[10]}, "2026-11-01T10:00:00+08:00")

CASES = {
    "extends": (claim(15, {4: H[4], 10: H[10], 15: H[15]}), "", True),
    "same end again": (claim(10, {4: H[4], 10: H[10]}), "", True),
    "rewritten before the last end": (claim(15, {4: H[4], 10: X[10], 15: X[15]}), "被改写：第 10 条与上次报送时不同", True),
    "rewritten before an earlier end": (claim(15, {4: X[4], 10: X[10], 15: X[15]}), "被改写：第 4 条", True),
    "shortened": (claim(8, {4: H[4], 8: H[8]}), "被截短：上次报送到第 10 条，这次只到第 8 条", True),
    "heads deleted": (claim(15, {15: H[15]}), "无法与上次报送核对：这次的报送没有第 10 条的校验值", True),
    "an older export arriving late": (claim(4, {4: H[4]}, "2026-10-01T10:00:00+08:00"), "", False),
    "an older export that disagrees": (claim(4, {4: X[4]}, "2026-10-01T10:00:00+08:00"), "第 4 条与后来的报送不同", False),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_verdicts(kind: str) -> None:
    incoming, said, advance = CASES[kind]
    verdict = judge("青山村", HELD, incoming)
    assert verdict.refusal == ""
    assert (said in verdict.note) if said else verdict.note == ""
    assert verdict.advance is advance
    if said:
        assert verdict.note.startswith("青山村的审计记录")


def test_history_dropped_after_one_was_seen_is_refused() -> None:
    assert judge("青山村", HELD, None).refusal == "青山村这次的报送没有审计链数据，而上次有：不能接收"
    assert judge("青山村", None, None).refusal == ""  # an export from before the chain data existed


def test_a_first_history_is_taken_as_it_is() -> None:
    verdict = judge("青山村", None, claim(3, {3: H[3]}))
    assert verdict == verdict.__class__(advance=True)


def test_a_restore_on_the_trail_is_named_in_the_warning() -> None:
    when = dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.timezone.utc)
    verdict = judge("青山村", HELD, claim(8, {8: H[8]}, restores=((7, when),)))
    assert "被截短" in verdict.note and "从备份恢复了数据库，见其审计记录第 7 条" in verdict.note
