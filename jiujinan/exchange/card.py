"""The office card (``*.jjncard``): a small JSON file that tells another office who this one is
and how to reach it. It holds the office's kind, area code and name, its Ed25519 signing key
(base64 of the raw 32 bytes, as exports carry it) and its age recipient, and is signed by that
key over its canonical JSON (sorted keys, UTF-8, no spaces) without the signature itself.

The card's self-signature only shows that whoever made it holds the key; that the key is the
office's is what the fingerprint, read over the phone, confirms. The fingerprint covers both
keys. Qt-free and SQL-free."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from jiujinan import __version__, keys
from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cases.offices import OfficeKind, OfficeSettings, parse_kind
from jiujinan.exchange.encryption import valid_recipient
from jiujinan.exports.manifest import ManifestError, parse_json
from jiujinan.exports.safe_files import TooLarge, UnsafeFile, read_small

FORMAT = "jiujinan-office-card"
VERSION = 1
SUFFIX = ".jjncard"
MAX_BYTES = 16 * 1024  # a card is under 1 KB


@dataclass(frozen=True)
class Card:
    kind: OfficeKind
    area_code: str
    name: str
    signing_key: bytes  # raw Ed25519 public key
    recipient: str  # age1…
    made_on: str  # YYYY-MM-DD

    @property
    def fingerprint(self) -> str:
        return office_fingerprint(self.signing_key, self.recipient, self.kind, self.area_code)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.kind.short}，{self.area_code}）"


def office_fingerprint(signing_key: bytes, recipient: str, kind: OfficeKind, area_code: str) -> str:
    """``3F2A 9C01 77B4 E0D2``: SHA-256 over both keys and who the office is (its kind and area
    code: the same keys under another office's name give another fingerprint), short enough to
    read over the phone."""
    return keys.fingerprint(signing_key + recipient.encode("ascii") + f"|{kind.value}|{area_code}".encode("ascii"))


def _body(card: Card) -> dict:
    return {"format": FORMAT, "version": VERSION, "kind": card.kind.value, "area_code": card.area_code,
            "name": card.name, "signing_key": keys.b64(card.signing_key), "recipient": card.recipient,
            "made_on": card.made_on, "app_version": __version__}


def canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def card_bytes(card: Card, sign) -> bytes:  # noqa: ANN001 - sign: bytes → raw signature
    """The card file's contents, signed with the office's key."""
    body = _body(card)
    signed = dict(body, signature=keys.b64(sign(canonical(body))))
    return json.dumps(signed, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def read_card(path: Path) -> Card:
    """A card file, checked through; DomainError saying in Chinese what is wrong with it."""
    try:
        data = read_small(Path(path), MAX_BYTES)
    except FileNotFoundError:
        raise DomainError(f"找不到文件 {path}") from None
    except TooLarge:
        raise DomainError(f"{path} 太大，不是单位卡片（卡片不到 1 KB）") from None
    except (UnsafeFile, IsADirectoryError) as err:
        raise DomainError(f"{path} 不能读取：{err}") from None
    except OSError as err:
        raise DomainError(f"{path} 不能读取：{err.strerror or err}") from None
    return parse_card(data, str(path))


def parse_card(data: bytes, where: str = "这个文件") -> Card:
    def bad(reason: str) -> DomainError:
        return DomainError(f"{where} 不是有效的单位卡片：{reason}")

    try:
        raw = parse_json(data)
    except ManifestError as err:
        raise bad(f"内容不是卡片，应为本程序“导出本单位卡片”生成的 .jjncard 文件（{err}）") from None
    if raw.get("format") != FORMAT:
        raise bad("应为本程序“导出本单位卡片”生成的 .jjncard 文件")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad("版本号不对")
    if version > VERSION:
        raise DomainError(f"{where} 由更新版本的程序制作（卡片格式 {version}），请先升级本程序")
    expected = {"format", "version", "kind", "area_code", "name", "signing_key", "recipient", "made_on",
                "app_version", "signature"}
    if unknown := sorted(set(raw) - expected):
        raise bad(f"有不认识的项 {'、'.join(unknown[:3])}")
    try:
        kind = parse_kind(raw.get("kind") if isinstance(raw.get("kind"), str) else "")
        settings = OfficeSettings(kind, str(raw.get("area_code", "")), str(raw.get("name", ""))).validated() \
            if isinstance(raw.get("area_code"), str) and isinstance(raw.get("name"), str) else None
    except ValidationError as err:
        raise bad(str(err)) from None
    if settings is None:
        raise bad("缺少区划代码或名称")
    signing_key = keys.from_b64(raw.get("signing_key"), 32)
    if signing_key is None:
        raise bad("签名公钥不对")
    recipient = valid_recipient(raw.get("recipient"))
    if recipient is None:
        raise bad("加密公钥不对")
    made_on = raw.get("made_on")
    try:
        if not isinstance(made_on, str) or dt.date.fromisoformat(made_on).isoformat() != made_on:
            raise ValueError
    except ValueError:
        raise bad("制作日期不对") from None
    signature = keys.from_b64(raw.get("signature"), 64)
    body = {k: v for k, v in raw.items() if k != "signature"}
    if signature is None or not keys.verifies(signing_key, signature, canonical(body)):
        raise bad("签名不对：卡片在制作之后被改动过")
    return Card(settings.kind, settings.area_code, settings.name, signing_key, recipient, made_on)
