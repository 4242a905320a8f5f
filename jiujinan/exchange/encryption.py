"""Encryption between offices: age (https://age-encryption.org), through ``pyrage``, its
reference implementation in Rust. Each office holds an X25519 identity (``AGE-SECRET-KEY-1…``)
and hands out its recipient (``age1…``) on its card; a packet is encrypted to the receiver's
recipient, so a lost USB stick gives away no one's diagnosis or account. ``pyrage`` is imported
by the functions that use it."""

from __future__ import annotations

import re

from jiujinan.cases.errors import DomainError

# Bech32 of 32 bytes under the "age" prefix: 58 characters after "age1".
_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")


def new_identity() -> tuple[str, str]:
    """A fresh (identity, recipient) pair, both as age writes them."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def recipient_of(identity: str) -> str:
    from pyrage import x25519

    try:
        return str(x25519.Identity.from_str(identity).to_public())
    except Exception:  # noqa: BLE001 - pyrage raises its own IdentityError, or ValueError
        raise DomainError("本数据库保存的加密密钥已损坏") from None


def valid_recipient(text: object) -> str | None:
    """``text`` if it is an age X25519 recipient, else None (a hostile card's field)."""
    if not isinstance(text, str) or not _RECIPIENT.fullmatch(text):
        return None
    from pyrage import x25519

    try:
        x25519.Recipient.from_str(text)
    except Exception:  # noqa: BLE001 - a checksum that does not hold
        return None
    return text
