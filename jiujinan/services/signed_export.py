"""The village's side of a signed export: the manifest gains the audit chain's data (its end, the
hash it has now at each earlier export of the society, the restores on it) and the signing key,
is signed, and the chain's end is remembered for the next export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jiujinan import keys
from jiujinan.db import audit
from jiujinan.db import keys as keys_db
from jiujinan.exports.signature import write_signed
from jiujinan.services import keys as key_service
from jiujinan.services.context import AppContext


@dataclass
class Sealer:
    """The key and the chain, read once for an export of many societies (217 reads of each
    cost a third of a month's export)."""

    signer: key_service.Signer
    entries: int
    last_hash: str
    restores: list[list[object]]
    heads: dict[int, set[int]]  # society id → chain positions of its earlier exports
    hashes: dict[int, str]  # chain position → the trail's hash there now
    pending: list[int] = field(default_factory=list)  # societies exported at this end, not yet remembered
    user: str = ""  # who exports: the export is on the audit trail

    @classmethod
    def prepare(cls, ctx: AppContext, user: str = "") -> "Sealer":
        signer = key_service.signer(ctx, user)  # made first: its creation is on the trail the export reports
        with ctx.read() as s:
            entries, last_hash = audit.head(s)
            heads = keys_db.export_heads(s, entries)
            hashes = keys_db.hashes_at(s, set().union(*heads.values(), {entries}))
            restores = [[seq, at.isoformat(timespec="seconds")] for seq, at in keys_db.restores(s) if seq <= entries]
        return cls(signer, entries, last_hash, restores, heads, hashes, user=user)

    def remember(self, ctx: AppContext) -> None:
        """Note where the chain ended for the societies exported, in one write: one audited
        «导出» entry per society, sealing the note (an export hands personal data over, and
        the note is what the next export holds the chain to)."""
        if not self.pending:
            return
        now = ctx.clock.now()
        with ctx.write() as s:
            for society_id in self.pending:
                key = keys_db.remember_export(s, society_id, self.entries, self.hashes[self.entries], now)
                if key is not None:
                    audit.record(s, user=self.user or "系统", now=now, entity="society", entity_id=society_id,
                                 action="export", society_id=society_id, after={"chain_entries": self.entries},
                                 seals=[("export", key)])
        self.pending.clear()

    def chain_data(self, society_id: int) -> dict[str, object]:
        """The manifest's ``audit_chain``: what the district needs to see that this chain extends
        the one it saw last time (cases/chain_history.py)."""
        seqs = sorted(self.heads.get(society_id, set()) | {self.entries})
        points = [[seq, self.hashes[seq]] for seq in seqs if seq in self.hashes]
        return {"entries": self.entries, "last_hash": self.last_hash, "points": points, "restores": self.restores}


def write_manifest(ctx: AppContext, society_id: int, folder: Path, manifest: dict[str, object],
                   user: str = "", sealer: Sealer | None = None) -> dict[str, object]:
    """Write the signed manifest into ``folder`` (before it is put in place) and remember where
    the chain ended; returns the manifest as written."""
    shared = sealer is not None
    sealer = sealer or Sealer.prepare(ctx, user)
    chain = sealer.chain_data(society_id)
    signed = {**manifest, "audit_chain": chain, "signing_key": keys.b64(sealer.signer.public_key)}
    write_signed(folder, signed, sealer.signer.sign)
    known = sealer.heads.setdefault(society_id, set())
    if sealer.entries in sealer.hashes and sealer.entries not in known:
        known.add(sealer.entries)
        sealer.pending.append(society_id)
        if not shared:  # one society: remembered now; many: by their caller, in one write
            sealer.remember(ctx)
    return signed
