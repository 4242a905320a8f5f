"""The village's side of a signed export: the manifest gains the audit chain's data (its end, the
hash it has now at each earlier export of the society, the restores on it) and the signing key,
is signed, and the chain's end is remembered for the next export."""

from __future__ import annotations

from pathlib import Path

from jiujinan import keys
from jiujinan.db import keys as keys_db
from jiujinan.exports.signature import write_signed
from jiujinan.services import keys as key_service
from jiujinan.services.context import AppContext


def chain_data(ctx: AppContext, society_id: int, state: dict[str, object]) -> dict[str, object]:
    """The manifest's ``audit_chain``: what the district needs to see that this chain extends
    the one it saw last time (cases/chain_history.py)."""
    entries = int(state["entries"])  # type: ignore[call-overload]
    with ctx.read() as s:
        points = keys_db.chain_points(s, society_id, entries)
        restores = keys_db.restores(s)
    return {"entries": entries, "last_hash": state["last_hash"], "points": [list(p) for p in points],
            "restores": [[seq, at.isoformat(timespec="seconds")] for seq, at in restores if seq <= entries]}


def write_manifest(ctx: AppContext, society_id: int, folder: Path, manifest: dict[str, object],
                   state: dict[str, object], user: str = "") -> dict[str, object]:
    """Write the signed manifest into ``folder`` (before it is put in place) and remember where
    the chain ended; returns the manifest as written."""
    signer = key_service.signer(ctx, user)
    signed = {**manifest, "audit_chain": chain_data(ctx, society_id, state),
              "signing_key": keys.b64(signer.public_key)}
    write_signed(folder, signed, signer.sign)
    end = signed["audit_chain"]["points"][-1] if signed["audit_chain"]["points"] else None  # type: ignore[index]
    if end is not None and end[0] == state["entries"]:
        with ctx.write() as s:
            keys_db.remember_export(s, society_id, end[0], end[1], ctx.clock.now())
    return signed
