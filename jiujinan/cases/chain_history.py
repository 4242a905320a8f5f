"""Holding a village to its history: the district compares the audit chain a new export carries
with the one it saw last time, and names a history that was rewritten, shortened or dropped.

An export's chain data is its chain's end (entries, last hash) and the hash the chain has now at
each position where an earlier export of the society ended (checkpoints). A chain that extends
the old one has the same hash at the old end; one edited at or before it has another (a hash
covers every entry before it); one cut short ends before it.

A rewritten or shortened history is stored with the warning, not refused: the district must still
get the figures (a village that went back to a backup has a shorter, different history, through
no one's fault), and the warning stays on the society's reconciliation for the district to follow
up. The new history becomes the one the society is held to from then on. An export without chain
data after one with it is refused: that is not a restore, only a file made to hide its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.dates import format_moment

MAX_POINTS = 100_000  # checkpoints in one export: one per earlier export; a cap for hostile files


@dataclass(frozen=True)
class ChainClaim:
    """The chain an export (or the district's record of one) carries."""

    entries: int
    last_hash: str
    points: dict[int, str]  # seq → hash, the end included
    restores: tuple[tuple[int, dt.datetime], ...] = ()  # restore entries on the chain: (seq, when)
    exported_at: str = ""


@dataclass(frozen=True)
class Verdict:
    """What the district does with an export's history."""

    refusal: str = ""  # not empty: the export is refused with this message
    note: str = ""  # not empty: stored with this warning (on the import report and the reconciliation)
    advance: bool = False  # the export's chain becomes the one the society is held to


def _first_difference(held: dict[int, str], claim: dict[int, str]) -> int | None:
    return next((seq for seq in sorted(held.keys() & claim.keys()) if held[seq] != claim[seq]), None)


def judge(name: str, held: ChainClaim | None, claim: ChainClaim | None) -> Verdict:
    """The verdict on an export's chain ``claim`` of the society ``name``, given the chain the
    district ``held`` it to (None: nothing with chain data received yet)."""
    if claim is None:
        if held is not None:
            return Verdict(refusal=f"{name}这次的报送没有审计链数据，而上次有：不能接收")
        return Verdict()
    if held is None:
        return Verdict(advance=True)
    changed = _first_difference(held.points, claim.points)
    if claim.exported_at < held.exported_at:  # an older export arriving late: it must agree, and changes nothing
        note = f"{name}的审计记录被改写：第 {changed} 条与后来的报送不同" if changed is not None else ""
        return Verdict(note=_with_restores(note, claim))
    if changed is not None:
        note = f"{name}的审计记录被改写：第 {changed} 条与上次报送时不同"
    elif claim.entries < held.entries:
        note = f"{name}的审计记录被截短：上次报送到第 {held.entries} 条，这次只到第 {claim.entries} 条"
    elif held.entries not in claim.points and held.entries > 0:
        note = (f"{name}的审计记录无法与上次报送核对：这次的报送没有第 {held.entries} 条的校验值"
                "（导出记录在程序之外被删除，或数据库从备份恢复过）")
    else:
        note = ""
    return Verdict(note=_with_restores(note, claim), advance=True)


def _with_restores(note: str, claim: ChainClaim) -> str:
    """A warning says when the village went back to a backup: a restore is on its trail."""
    if not note or not claim.restores:
        return note
    seq, when = claim.restores[-1]
    return f"{note}（该社于 {format_moment(when)} 从备份恢复了数据库，见其审计记录第 {seq} 条）"
