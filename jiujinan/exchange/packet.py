"""The packet file (``*.jjnpkt``) one office hands another on a USB stick: a ZIP archive, stored
without compression, of

- ``header.json``: plain, small, read first: who sends it to whom, the channel's number, and the
  SHA-256 and size of the payload;
- ``header.sig``: the sender's Ed25519 signature (base64) over the header's exact bytes;
- ``payload.age``: an age encryption, to the receiver's recipient, of a tar stream holding
  ``packet.json`` (cases, steps and receipts) and ``files/<sha256>`` (the attachments).

Everything is streamed: a packet of hundreds of MB of scans is written and read in a few MB of
memory. Reading checks the header and its signature before anything is decrypted, then the
payload's digest, then each file's. The receiver's own checks (is this packet for me, from
whom) are the caller's: ``read_header`` hands it the header, ``open_payload`` the contents.
Qt-free and SQL-free."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import re
import shutil
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from jiujinan import __version__, keys
from jiujinan.cases.errors import DomainError
from jiujinan.exports.manifest import ManifestError, parse_json
from jiujinan.files import tighten

FORMAT = "jiujinan-packet"
VERSION = 1
SUFFIX = ".jjnpkt"
HEADER, SIGNATURE, PAYLOAD = "header.json", "header.sig", "payload.age"
HEADER_MAX = 16 * 1024
SIGNATURE_MAX = 1024
PACKET_JSON = "packet.json"
PACKET_JSON_MAX = 64 * 1024 * 1024  # some thousand cases with their steps
FILE_MAX = 200 * 1024 * 1024  # one attachment (a scanned bill is a few MB)
FILES_MAX = 4000
CHUNK = 1 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CODE = re.compile(r"\d{12}")
_FINGERPRINT = re.compile(r"[0-9A-F]{4}( [0-9A-F]{4}){3}")


class PacketRejected(DomainError):
    """The packet may not be read; the message says why, in Chinese. Nothing was changed."""


@dataclass(frozen=True)
class Party:
    area_code: str
    fingerprint: str
    name: str = ""


@dataclass(frozen=True)
class Header:
    sender: Party
    receiver: Party
    seq: int
    full: bool
    made_at: str
    payload_sha256: str
    payload_size: int
    app_version: str

    def fields(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "app_version": self.app_version,
                "from": {"area_code": self.sender.area_code, "fingerprint": self.sender.fingerprint,
                         "name": self.sender.name},
                "to": {"area_code": self.receiver.area_code, "fingerprint": self.receiver.fingerprint,
                       "name": self.receiver.name},
                "seq": self.seq, "full": self.full, "made_at": self.made_at,
                "payload": {"sha256": self.payload_sha256, "size": self.payload_size}}


class _Hashing:
    """A writable that hashes and counts what passes through it."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.digest, self.size = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


class _HashingReader:
    """A readable that hashes and counts what is read through it, up to ``limit`` bytes."""

    def __init__(self, source: IO[bytes], limit: int) -> None:
        self.source, self.digest, self.size, self.limit = source, hashlib.sha256(), 0, limit

    def read(self, size: int = -1) -> bytes:
        want = self.limit - self.size if size is None or size < 0 else min(size, self.limit - self.size)
        data = self.source.read(max(want, 0)) if want > 0 else b""
        self.digest.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def write_packet(out: Path, *, sender: Party, receiver: Party, seq: int, full: bool, made_at: dt.datetime,
                 content: dict, files: Iterable[tuple[str, Path]], recipient: str, sign, work: Path) -> Header:  # noqa: ANN001
    """Write the packet to ``out`` (a temporary name beside it first, so a full USB stick leaves
    no half packet under the real name). ``files``: (sha256, path) of each attachment; ``work``:
    a private folder for the intermediate tar and ciphertext. Returns the header written."""
    from pyrage import encrypt_io, x25519

    tar_path, age_path = work / "payload.tar", work / "payload.age"
    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        data = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        _add_bytes(tar, PACKET_JSON, data)
        seen = set()
        for digest, path in files:
            if digest in seen:
                continue
            seen.add(digest)
            tar.add(str(path), arcname=f"files/{digest}", recursive=False, filter=_plain_member)
    with open(tar_path, "rb") as src, open(age_path, "wb") as dst:
        hashing = _Hashing(dst)
        encrypt_io(src, hashing, [x25519.Recipient.from_str(recipient)])
    tar_path.unlink()
    header = Header(sender, receiver, seq, full, made_at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                    hashing.digest.hexdigest(), hashing.size, __version__)
    header_bytes = json.dumps(header.fields(), ensure_ascii=False, indent=2).encode("utf-8")
    partial = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(HEADER, header_bytes)
            archive.writestr(SIGNATURE, keys.b64(sign(header_bytes)) + "\n")
            archive.write(age_path, PAYLOAD)
        tighten(partial)  # owner-only, like every file the app writes (files.py)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
        age_path.unlink(missing_ok=True)
    return header


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _plain_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    info.mtime = 0
    return info


# --- reading -------------------------------------------------------------------------------
BROKEN = "数据包不完整或已损坏（可能没有拷贝完整，或U盘出错）：请对方重新发送"


@dataclass
class OpenedPacket:
    """A packet whose header and signature were read; ``archive`` stays open for the payload."""

    path: Path
    header: Header
    header_bytes: bytes
    signature: bytes
    archive: zipfile.ZipFile

    def close(self) -> None:
        self.archive.close()

    def signed_by(self, signing_key: bytes) -> bool:
        return keys.verifies(signing_key, self.signature, self.header_bytes)


def read_header(path: Path) -> OpenedPacket:
    """Open the packet and read its header (not yet trusted: check ``signed_by`` with the
    sender's enrolled key). PacketRejected for anything that is not a whole packet of ours."""
    path = Path(path)
    if not path.is_file():
        raise PacketRejected(f"找不到数据包文件 {path}" if not path.exists() else f"{path} 不是文件")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if _starts_like_card(path):
            raise PacketRejected(f"{path.name} 不是数据包，像是单位卡片（.jjncard）：卡片在 设置 → 本单位 中登记") from None
        raise PacketRejected(f"{path.name}：{BROKEN}") from None
    try:
        names = {info.filename: info for info in archive.infolist()}
        if set(names) != {HEADER, SIGNATURE, PAYLOAD}:
            raise PacketRejected(f"{path.name} 不是本程序的数据包（.jjnpkt）")
        if names[HEADER].file_size > HEADER_MAX or names[SIGNATURE].file_size > SIGNATURE_MAX:
            raise PacketRejected(f"{path.name} 不是本程序的数据包：包头过大")
        header_bytes = archive.read(HEADER)
        signature_text = archive.read(SIGNATURE)
        header = _parse_header(header_bytes, path.name)
        if names[PAYLOAD].file_size != header.payload_size:
            raise PacketRejected(f"{path.name}：{BROKEN}")
        signature = keys.from_b64(signature_text.decode("ascii", "replace").strip(), 64)
        if signature is None:
            raise PacketRejected(f"{path.name} 的签名不对：数据包被改动过，或不是对方发出的")
    except PacketRejected:
        archive.close()
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError, RuntimeError):
        archive.close()  # RuntimeError: a member marked encrypted; NotImplementedError: an unknown compression
        raise PacketRejected(f"{path.name}：{BROKEN}") from None
    return OpenedPacket(path, header, header_bytes, signature, archive)


def _starts_like_card(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return b"jiujinan-office-card" in f.read(512)
    except OSError:
        return False


def _parse_header(data: bytes, where: str) -> Header:
    def bad(reason: str) -> PacketRejected:
        return PacketRejected(f"{where} 不是本程序的数据包：{reason}")

    try:
        raw = parse_json(data)
    except ManifestError as err:
        raise bad(str(err)) from None
    if raw.get("format") != FORMAT:
        raise bad("格式标记不对")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad("版本号不对")
    if version > VERSION:
        raise PacketRejected(f"{where} 由更新版本的程序（{_text(raw.get('app_version'), 20) or '未知版本'}）制作，"
                             "本程序读不了：请先升级本程序")

    def party(key: str) -> Party:
        value = raw.get(key)
        if not isinstance(value, dict):
            raise bad(f"缺少{'发送' if key == 'from' else '接收'}单位")
        code, fingerprint = value.get("area_code"), value.get("fingerprint")
        if not isinstance(code, str) or not _CODE.fullmatch(code) or not isinstance(fingerprint, str) \
                or not _FINGERPRINT.fullmatch(fingerprint):
            raise bad("单位的区划代码或指纹不对")
        return Party(code, fingerprint, _text(value.get("name"), 40))

    seq, full, payload = raw.get("seq"), raw.get("full"), raw.get("payload")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= 10**9:
        raise bad("编号不对")
    if not isinstance(full, bool):
        raise bad("缺少是否完整重发的标记")
    if not isinstance(payload, dict) or not isinstance(payload.get("sha256"), str) \
            or not _HEX64.fullmatch(payload["sha256"]) or not isinstance(payload.get("size"), int) \
            or isinstance(payload.get("size"), bool) or payload["size"] < 0:
        raise bad("内容校验值不对")
    made_at = _text(raw.get("made_at"), 40)
    return Header(party("from"), party("to"), seq, full, made_at, payload["sha256"], payload["size"],
                  _text(raw.get("app_version"), 20))


def _text(value: object, max_len: int) -> str:
    """A short plain text from a header (anything else: empty)."""
    if not isinstance(value, str) or len(value) > max_len or not value.isprintable():
        return ""
    return value


@dataclass(frozen=True)
class Payload:
    content: dict[str, Any]
    files: dict[str, Path]  # sha256 → the file, checked, in the private folder


def open_payload(opened: OpenedPacket, identity: str, work: Path) -> Payload:
    """Decrypt the payload into ``work`` (a private folder the caller removes), checking it
    against the signed header as it streams, and each file against its name."""
    from pyrage import DecryptError, decrypt_io, x25519

    tar_path = work / "payload.tar"
    where = opened.path.name
    try:
        with opened.archive.open(PAYLOAD) as source, open(tar_path, "wb") as out:
            reader = _HashingReader(source, opened.header.payload_size + 1)
            decrypt_io(reader, out, [x25519.Identity.from_str(identity)])
            reader.read()  # whatever age left unread still counts
    except DecryptError as err:
        text = str(err)
        if "no matching keys" in text.lower() or "NoMatchingKeys" in text:
            raise PacketRejected(f"{where} 不是用本单位的密钥加密的：本单位打不开") from None
        raise PacketRejected(f"{where}：{BROKEN}") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as err:
        if isinstance(err, OSError) and err.errno == errno.ENOSPC:
            raise DomainError("磁盘空间不足，数据包没有接收：请清理磁盘后再接收") from None
        raise PacketRejected(f"{where}：{BROKEN}") from None
    if reader.size != opened.header.payload_size or reader.digest.hexdigest() != opened.header.payload_sha256:
        raise PacketRejected(f"{where}：{BROKEN}")
    return _unpack(tar_path, work, where, opened.header.payload_size)


def _unpack(tar_path: Path, work: Path, where: str, most: int) -> Payload:
    """The tar's members, each a plain file (no link, folder or sparse file, whose few bytes
    would unpack into many), together no larger than the payload that carried them."""
    files_dir = work / "files"
    files_dir.mkdir(mode=0o700)
    content: dict[str, Any] | None = None
    files: dict[str, Path] = {}
    try:
        with tarfile.open(tar_path, "r:") as tar:
            total = 0
            for member in tar:
                total += member.size
                if not member.isreg() or member.issparse() or total > most:
                    raise PacketRejected(f"{where} 的内容不对：含有非普通文件或过大的文件 {member.name[:60]}")
                if member.name == PACKET_JSON and content is None:
                    if member.size > PACKET_JSON_MAX:
                        raise PacketRejected(f"{where} 的内容过大")
                    try:
                        content = parse_json(tar.extractfile(member).read())
                    except ManifestError as err:
                        raise PacketRejected(f"{where} 的内容不对：{err}") from None
                    continue
                digest = member.name.removeprefix("files/")
                if not member.name.startswith("files/") or not _HEX64.fullmatch(digest) or digest in files:
                    raise PacketRejected(f"{where} 的内容不对：不认识的文件 {member.name[:60]}")
                if member.size > FILE_MAX or len(files) >= FILES_MAX:
                    raise PacketRejected(f"{where} 的附件过大或过多")
                target = files_dir / digest
                hashing = hashlib.sha256()
                with tar.extractfile(member) as src, open(target, "xb") as dst:
                    while chunk := src.read(CHUNK):
                        hashing.update(chunk)
                        dst.write(chunk)
                if hashing.hexdigest() != digest:
                    raise PacketRejected(f"{where} 的附件与其校验值不符：数据包被改动过")
                files[digest] = target
    except (tarfile.TarError, EOFError):
        raise PacketRejected(f"{where} 的内容不对：不是完整的文件包") from None
    except OSError as err:
        if err.errno == errno.ENOSPC:
            raise DomainError("磁盘空间不足，数据包没有接收：请清理磁盘后再接收") from None
        raise
    finally:
        tar_path.unlink(missing_ok=True)
    if content is None:
        raise PacketRejected(f"{where} 的内容不对：缺少 {PACKET_JSON}")
    return Payload(content, files)


def remove_work(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
