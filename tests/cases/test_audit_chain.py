"""The audit chain says which entries were edited, deleted or added outside the app."""

import dataclasses
import datetime as dt

from jiujinan.cases.audit_chain import GENESIS, ChainLink, StoredLink, chain_problems

T = dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc)


def chain(n: int) -> list[StoredLink]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        link = ChainLink(seq, prev, T + dt.timedelta(minutes=seq), "王会计", 1, "ledger", seq, "payment",
                         "", f'{{"amount_fen": {seq * 100}}}')
        out.append(StoredLink(link, link.digest()))
        prev = out[-1].stored_hash
    return out


def test_an_untouched_chain_has_no_problems() -> None:
    links = chain(5)
    assert chain_problems(links, 5, links[-1].stored_hash) == []
    assert chain_problems([], 0, GENESIS) == []


def test_an_edited_entry_is_named() -> None:
    links = chain(5)
    edited = dataclasses.replace(links[2].link, after_json='{"amount_fen": 999900}')
    links[2] = StoredLink(edited, links[2].stored_hash)
    (problem,) = chain_problems(links, 5, links[-1].stored_hash)
    assert "第 3 条" in problem and "修改" in problem


def test_an_entry_rehashed_after_editing_breaks_the_next_link() -> None:
    links = chain(5)
    edited = dataclasses.replace(links[2].link, after_json='{"amount_fen": 999900}')
    links[2] = StoredLink(edited, edited.digest())
    (problem,) = chain_problems(links, 5, links[-1].stored_hash)
    assert "第 4 条" in problem and "接不上" in problem


def test_deleted_entries_in_the_middle_and_at_the_end() -> None:
    links = chain(8)
    head = links[-1].stored_hash
    problems = chain_problems(links[:2] + links[4:6], 8, head)
    assert any("第 3–4 条不见了" in p for p in problems)
    assert any("最后的审计记录第 7–8 条不见了" in p for p in problems)


def test_entries_added_outside_the_app() -> None:
    links = chain(4)
    assert any("被添加" in p for p in chain_problems(links, 3, links[2].stored_hash))
