"""This database's signing key as operations: made on first use, shown (its fingerprint, for the
monthly report and 设置), exported as a public key file for the district, replaced by an
administrator. Every creation and replacement is on the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jiujinan import keys
from jiujinan.files import write_private
from jiujinan.cases.users import Permission
from jiujinan.db import audit
from jiujinan.db import keys as keys_db
from jiujinan.services.access import WHOLE_DATABASE, authorize
from jiujinan.services.context import AppContext

SYSTEM = "系统"  # who made a key on first use when nobody is signed in (an export from the command line)


@dataclass(frozen=True)
class Signer:
    """The key exports are signed with."""

    private_pem: str
    public_key: bytes
    fingerprint: str

    def sign(self, data: bytes) -> bytes:
        return keys.sign(self.private_pem, data)


def signer(ctx: AppContext, user: str = "") -> Signer:
    """The database's key, made now if it has none yet (first use)."""
    with ctx.read() as s:
        row = keys_db.signing_key(s)
        if row is not None:
            return _signer(row.private_pem)
    with ctx.write() as s:
        row = keys_db.signing_key(s, lock=True)
        if row is not None:  # another program made it meanwhile
            return _signer(row.private_pem)
        made = _new(s, ctx, user)
        audit.record(s, user=user or SYSTEM, now=ctx.clock.now(), entity="key", entity_id=1, action="create",
                     after={"fingerprint": made.fingerprint}, seals=[("key", 1)])
    return made


def fingerprint(ctx: AppContext, user: str = "") -> str:
    """``3F2A 9C01 77B4 E0D2``: what the district compares its enrolled key with."""
    return signer(ctx, user).fingerprint


def _signer(private_pem: str) -> Signer:
    raw = keys.public_raw(private_pem)
    return Signer(private_pem, raw, keys.fingerprint(raw))


def _new(s, ctx: AppContext, user: str) -> Signer:  # noqa: ANN001
    made = _signer(keys.new_private_pem())
    keys_db.put_key(s, made.private_pem, keys.b64(made.public_key), made.fingerprint, ctx.clock.now())
    return made


def replace_key(ctx: AppContext, user: str) -> tuple[str, str]:
    """A new key in place of the old (an administrator of the whole database; e.g. when the old
    one may have been copied). Returns (old, new) fingerprints, both on the audit trail. The
    district refuses the new key's exports until it enrols the new key file."""
    with ctx.write() as s:
        authorize(s, user, Permission.SIGNING_KEYS, WHOLE_DATABASE)
        old = keys_db.signing_key(s, lock=True)
        before = old.fingerprint if old is not None else ""
        made = _new(s, ctx, user)
        audit.record(s, user=user, now=ctx.clock.now(), entity="key", entity_id=1, action="replace",
                     before={"fingerprint": before}, after={"fingerprint": made.fingerprint}, seals=[("key", 1)])
    return before, made.fingerprint


def export_public_key(ctx: AppContext, out: Path, user: str = "") -> str:
    """Write the public key file to hand to the district (PEM, owner-only like every file the
    app writes); returns its fingerprint."""
    made = signer(ctx, user)
    write_private(out, keys.public_pem(made.public_key))
    return made.fingerprint


def installation_key(ctx: AppContext) -> str | None:
    """The private key of ``ctx``'s database (None when it has none or cannot be read: the
    database being restored may be the damaged one)."""
    try:
        with ctx.read() as s:
            row = keys_db.signing_key(s)
            return row.private_pem if row is not None else None
    except Exception:  # noqa: BLE001 - a damaged database has no key to keep
        return None


def keep_key(ctx: AppContext, kept: str | None, user: str) -> None:
    """After a restore: the key belongs to the installation, not to the data of a day, so the
    restored database keeps signing with the key the district has enrolled (a backup older
    than the key, or than its replacement, would bring back none or the old one). A database
    that had no readable key (``kept`` None) takes the backup's. Audited when it changes."""
    if kept is None:
        return
    with ctx.write() as s:
        row = keys_db.signing_key(s, lock=True)
        if row is not None and row.private_pem == kept:
            return
        before = row.fingerprint if row is not None else ""
        made = _signer(kept)
        keys_db.put_key(s, kept, keys.b64(made.public_key), made.fingerprint, ctx.clock.now())
        audit.record(s, user=user, now=ctx.clock.now(), entity="key", entity_id=1, action="kept",
                     before={"fingerprint": before}, after={"fingerprint": made.fingerprint}, seals=[("key", 1)])
