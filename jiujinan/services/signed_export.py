"""The village's side of a signed export: the manifest gains the audit chain's data (its end, the
hash it has now at each earlier export of the society, the restores on it) and the signing key,
is signed, and the chain's end is remembered for the next export."""

from __future__ import annotations

from pathlib import Path

from jiujinan import keys
from jiujinan.db import audit
from jiujinan.db import keys as keys_db
from jiujinan.exports.signature import write_signed
from jiujinan.services import keys as key_service
from jiujinan.services.context import AppContext


def chain_data(ctx: AppContext, society_id: int) -> dict[str, object]:
    """The manifest's ``audit_chain``, read in one go: what the district needs to see that this
    chain extends the one it saw last time (cases/chain_history.py)."""
    with ctx.read() as s:
        entries, last_hash = audit.head(s)
        points = keys_db.chain_points(s, society_id, entries)
        restores = keys_db.restores(s)
    return {"entries": entries, "last_hash": last_hash, "points": [list(p) for p in points],
            "restores": [[seq, at.isoformat(timespec="seconds")] for seq, at in restores if seq <= entries]}


def write_manifest(ctx: AppContext, society_id: int, folder: Path, manifest: dict[str, object],
                   user: str = "") -> dict[str, object]:
    """Write the signed manifest into ``folder`` (before it is put in place) and remember where
    the chain ended; returns the manifest as written."""
    signer = key_service.signer(ctx, user)
    chain = chain_data(ctx, society_id)
    signed = {**manifest, "audit_chain": chain, "signing_key": keys.b64(signer.public_key)}
    write_signed(folder, signed, signer.sign)
    points = chain["points"]
    if points and points[-1][0] == chain["entries"]:  # type: ignore[index]
        with ctx.write() as s:
            keys_db.remember_export(s, society_id, points[-1][0], points[-1][1], ctx.clock.now())  # type: ignore[index]
    return signed
