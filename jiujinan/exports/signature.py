"""The signature of an export: ``manifest.sig`` holds the Ed25519 signature (base64) of the exact
bytes of ``manifest.json``, which names the signing key (``signing_key``, base64 raw) and the
SHA-256 of every file. The district checks it before it reads anything else of the folder."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from jiujinan import keys
from jiujinan.exports.folder import SIGNATURE as SIGNATURE_FILE
from jiujinan.exports.manifest import MAX_MANIFEST_BYTES, ManifestError, parse_json
from jiujinan.exports.read_export import ExportRejected, Problem
from jiujinan.exports.safe_files import TooLarge, UnsafeFile, read_small

SIGNATURE_MAX = 1024
BAD_SIGNATURE = "报送的签名不对：文件在导出之后被改动过，或不是该互助社导出的"


def write_signed(folder: Path, manifest: dict, sign) -> bytes:  # noqa: ANN001 - sign: bytes → signature
    """Write manifest.json and manifest.sig; returns the manifest's bytes."""
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    (folder / "manifest.json").write_bytes(data)
    (folder / SIGNATURE_FILE).write_text(keys.b64(sign(data)) + "\n", encoding="ascii")
    return data


@dataclass(frozen=True)
class Envelope:
    """What the signature says about an export folder, before its contents are read."""

    manifest_sha256: str | None  # of the bytes whose signature was checked (None: no manifest to check)
    signing_key: bytes | None  # the key that signed it (None: not signed)


def _read_regular(path: Path, cap: int) -> bytes | None:
    """A regular file's bytes (None: absent; empty: a symlink, FIFO, device or a file over
    ``cap``, read as nothing: a signature then fails, a manifest is refused by read_export)."""
    try:
        return read_small(path, cap)
    except FileNotFoundError:
        return None
    except (UnsafeFile, TooLarge):
        return b""


def open_envelope(folder: Path) -> Envelope:
    """Check the folder's signature; ExportRejected when there is one and it fails. A folder
    without manifest.sig is unsigned (the district decides whether it may be)."""
    bad = ExportRejected(folder, [Problem(SIGNATURE_FILE, 0, "", BAD_SIGNATURE)])
    try:
        signature_text = _read_regular(folder / SIGNATURE_FILE, SIGNATURE_MAX)
        data = _read_regular(folder / "manifest.json", MAX_MANIFEST_BYTES)
    except OSError:
        raise bad from None
    if signature_text is None:
        return Envelope(hashlib.sha256(data).hexdigest() if data else None, None)
    if not data:  # no manifest that can be read: read_export refuses the folder and names why
        return Envelope(None, None)
    try:
        manifest = parse_json(data)  # bounded in size and depth before it is parsed
    except ManifestError:  # read_export lists what is wrong with it, and refuses the folder
        return Envelope(None, None)
    try:
        signature = keys.from_b64(signature_text.decode("ascii").strip(), 64)
    except ValueError:  # not ASCII
        raise bad from None
    key = keys.from_b64(manifest.get("signing_key") if isinstance(manifest, dict) else None, 32)
    if key is None or signature is None or not keys.verifies(key, signature, data):
        raise bad
    return Envelope(hashlib.sha256(data).hexdigest(), key)
