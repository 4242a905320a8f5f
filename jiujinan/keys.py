"""Ed25519 signing keys from the ``cryptography`` package: made, serialised (PKCS8 / SubjectPublicKeyInfo
PEM, nothing invented), fingerprinted and used. Qt-free and SQL-free: the database keeps the key
(db/keys.py), the services decide when it is made or replaced (services/keys.py). ``cryptography``
is imported by the functions that use it: a fingerprint, and the program's start, need none."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from typing import TYPE_CHECKING

from jiujinan.cases.errors import DomainError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PUBLIC_FILE_MAX = 4096  # bytes: a PEM public key is about 113


def new_private_pem() -> str:
    """A fresh private key as PKCS8 PEM (unencrypted: it lives in the owner-only database file)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii")


@functools.lru_cache(maxsize=4)  # an export of 217 societies signs with one key: parsed once
def _private(pem: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise DomainError("本数据库保存的签名密钥不是 Ed25519 密钥")
    return key


def public_raw(private_pem: str) -> bytes:
    """The 32 raw bytes of the public half."""
    from cryptography.hazmat.primitives import serialization

    return _private(private_pem).public_key().public_bytes(serialization.Encoding.Raw,
                                                           serialization.PublicFormat.Raw)


def fingerprint(raw: bytes) -> str:
    """SHA-256 of the raw public key, its first 16 hex digits in groups of 4 (``3F2A 9C01 77B4
    E0D2``): short enough to read over the phone and compare with the monthly report."""
    digits = hashlib.sha256(raw).hexdigest()[:16].upper()
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


def sign(private_pem: str, data: bytes) -> bytes:
    """The raw 64-byte Ed25519 signature of ``data``."""
    return _private(private_pem).sign(data)


def verifies(raw: bytes, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` is the signature of ``data`` by the public key ``raw``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def from_b64(text: object, size: int) -> bytes | None:
    """``size`` bytes from base64 text, or None for anything else (a hostile manifest's field)."""
    if not isinstance(text, str) or len(text) > 4 * size:
        return None
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == size else None


def public_pem(raw: bytes) -> bytes:
    """The public key as a PEM file (SubjectPublicKeyInfo) for the district."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw).public_bytes(serialization.Encoding.PEM,
                                                                serialization.PublicFormat.SubjectPublicKeyInfo)


def read_public_pem(data: bytes) -> bytes:
    """The raw public key from a key file made by ``jiujinan key export``; DomainError otherwise."""
    if len(data) > PUBLIC_FILE_MAX:
        raise DomainError("密钥文件过大：不是本程序导出的公钥文件")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise DomainError("不是本程序导出的公钥文件（应为 jiujinan key export 或 设置 中导出的 .pem 文件）") from None
    if not isinstance(key, Ed25519PublicKey):
        raise DomainError("密钥文件中的不是 Ed25519 公钥")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
