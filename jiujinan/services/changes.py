"""What changed: every change appends one audit entry, so the chain says both whether anything
changed since a screen last looked (its length, one indexed read) and what it was about (the
entries since then). An operation's result carries the changes since the last look — its own
and any another clerk made meanwhile — and each screen reloads only what concerns it (as
Anki's OpChanges)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jiujinan.db import audit
from jiujinan.services.context import AppContext

# More entries than this since the last look (a restore, a district import, a long absence):
# every screen reloads instead of the entries being read one by one.
MAX_LISTED = 500


@dataclass(frozen=True)
class Changes:
    """The entities the changes touched (``case``, ``ledger``, ``society``, ``user``, ``key``,
    ``calendar``, ``grant``, ``import``, ``month``, ``database``, and ``payment`` for a ledger
    line that pays a case or reverses one), the cases and the societies; ``everything`` when
    the database was replaced or too much changed to list."""

    entities: frozenset[str] = frozenset()
    case_ids: frozenset[int] = frozenset()
    society_ids: frozenset[int] = frozenset()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.entities)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.entities | other.entities, self.case_ids | other.case_ids,
                       self.society_ids | other.society_ids, self.everything or other.everything)

    def touches(self, *entities: str) -> bool:
        """Whether any of ``entities`` changed (always, when everything did)."""
        return self.everything or not self.entities.isdisjoint(entities)

    def touches_case(self, case_id: int) -> bool:
        """Whether the case's window must reload: the case itself, or a payment or a reversal
        (which change what a case has been paid)."""
        return self.everything or case_id in self.case_ids or "payment" in self.entities


NOTHING = Changes()
EVERYTHING = Changes(everything=True)


# Ledger lines that move a case's money: the case screens and lists must read again.
PAYING_ACTIONS = frozenset({"payment", "reversal"})


def of_entries(entries: Iterable[tuple[str, str, int, int | None]]) -> Changes:
    """The changes the audit entries (entity, action, entity id, society id) record."""
    entities, cases, societies = set(), set(), set()
    for entity, action, entity_id, society_id in entries:
        entities.add(entity)
        if entity == "ledger" and action in PAYING_ACTIONS:
            entities.add("payment")
        if entity == "case":
            cases.add(entity_id)
        if society_id is not None:
            societies.add(society_id)
        if entity == "database":
            return EVERYTHING
    return Changes(frozenset(entities), frozenset(cases), frozenset(societies))


def changes_since(ctx: AppContext, seen: int | None) -> tuple[int, Changes]:
    """The chain's length now and what changed after entry ``seen`` (None: the first look,
    nothing to compare with). A shorter chain than seen means another database (a restore)."""
    with ctx.read() as s:
        count = audit.head(s)[0]
        if seen is None or count == seen:
            return count, NOTHING
        if count < seen or count - seen > MAX_LISTED:
            return count, EVERYTHING
        return count, of_entries(audit.touched_since(s, seen, MAX_LISTED))
