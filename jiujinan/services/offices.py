"""The office this installation is, its card, and the offices it enrolls: named operations for
``jiujinan office …`` and 设置 → 本单位. Setting up, enrolling and replacing are on the audit chain."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from jiujinan import keys
from jiujinan.cases.errors import DomainError
from jiujinan.cases.offices import (
    Office, OfficeSettings, TrustedOffice, check_setup, fingerprint_digits, require_related, same_fingerprint,
)
from jiujinan.cases.users import Permission
from jiujinan.db import audit
from jiujinan.db import keys as keys_db
from jiujinan.db import offices as offices_db
from jiujinan.exchange import card as cards
from jiujinan.exchange.encryption import new_identity
from jiujinan.files import write_private
from jiujinan.services import keys as signing
from jiujinan.services.access import WHOLE_DATABASE, authorize, bootstrapping, reader
from jiujinan.services.context import AppContext

FINGERPRINT_DIGITS = 16
NOT_SET_UP = ("本单位还没有设立：请先设立（命令行：jiujinan office setup --kind village|town|district "
              "--area-code 区划代码 --name 名称；或在 设置 → 本单位 中填写）")


def current_office(ctx: AppContext) -> Office | None:
    """The office set up (or, for a database from before offices, the village office of its
    societies); None before either. Names and codes only: no one's personal data."""
    with ctx.read() as s:
        return offices_db.office(s)


def setup_office(ctx: AppContext, settings: OfficeSettings, user: str) -> tuple[Office, bool]:
    """Set the office up once (first start, or ``office setup``); returns it and whether this
    changed anything (the same setup again changes nothing). Its keys are made now, so its card
    can be handed out at once."""
    clean = settings.validated()
    now = ctx.clock.now()
    with ctx.write() as s:
        if not bootstrapping(s):
            authorize(s, user, Permission.OFFICES, WHOLE_DATABASE)
        old = offices_db.stored_office(s, lock=True)
        changed = check_setup(offices_db.office(s) if old is not None else None, clean,
                              [code for code, _name in offices_db.society_codes(s)])
        if changed:
            offices_db.put_office(s, clean, now, user or signing.SYSTEM)
            _recipient(s, ctx, user)
            audit.record(s, user=user or signing.SYSTEM, now=now, entity="office", entity_id=1, action="setup",
                         after={"kind": clean.kind.value, "area_code": clean.area_code, "name": clean.name},
                         seals=[("office", 1)])
    if changed:
        signing.signer(ctx, user)
    return Office(clean.kind, clean.area_code, clean.name), changed


def _recipient(s, ctx: AppContext, user: str) -> str:  # noqa: ANN001
    """The encryption key's recipient, made now if there is none (inside a write)."""
    row = offices_db.office_key(s, lock=True)
    if row is not None:
        return row.recipient
    identity, recipient = new_identity()
    offices_db.put_office_key(s, identity, recipient, ctx.clock.now())
    audit.record(s, user=user or signing.SYSTEM, now=ctx.clock.now(), entity="office_key", entity_id=1,
                 action="create", after={"recipient": recipient}, seals=[("office_key", 1)])
    return recipient


def recipient(ctx: AppContext, user: str = "") -> str:
    """This office's age recipient (made on first use)."""
    with ctx.read() as s:
        row = offices_db.office_key(s)
        if row is not None:
            return row.recipient
    with ctx.write() as s:
        return _recipient(s, ctx, user)


@dataclass(frozen=True)
class OwnCard:
    office: Office
    card: cards.Card

    @property
    def fingerprint(self) -> str:
        return self.card.fingerprint


def own_card(ctx: AppContext, user: str) -> OwnCard:
    """This office's card as it would be handed out (its keys made on first use)."""
    with ctx.read() as s:
        reader(s, user)
        office = offices_db.office(s)
    if office is None:
        raise DomainError(NOT_SET_UP)
    signer = signing.signer(ctx, user)
    card = cards.Card(office.kind, office.area_code, office.name, signer.public_key, recipient(ctx, user),
                      ctx.clock.today().isoformat())
    return OwnCard(office, card)


def write_card(ctx: AppContext, out: Path, user: str) -> OwnCard:
    """Write this office's card to ``out`` (owner-only, whole or not at all)."""
    made = own_card(ctx, user)
    write_private(card_path(out), cards.card_bytes(made.card, signing.signer(ctx, user).sign))
    return made


def card_path(out: Path) -> Path:
    """Where ``write_card`` puts a card asked for at ``out`` (the suffix added if missing)."""
    out = Path(out)
    return out if out.suffix.lower() == cards.SUFFIX else out.with_name(out.name + cards.SUFFIX)


def read_card(path: Path) -> cards.Card:
    """Another office's card, checked (format, keys, its own signature); not yet enrolled."""
    return cards.read_card(Path(path))


class FingerprintMismatch(DomainError):
    """The fingerprint read over the phone is not the card's (``wrong_length``: not even a
    fingerprint's length)."""

    def __init__(self, message: str, *, wrong_length: bool = False) -> None:
        super().__init__(message)
        self.wrong_length = wrong_length


class ReplacementNeeded(DomainError):
    """The office is enrolled with other keys: a new card replaces it only when confirmed."""


@dataclass(frozen=True)
class Enrolment:
    office: TrustedOffice
    replaced: str  # the fingerprint of the enrolment it replaced ("" if none)
    already: bool  # the same card was enrolled before: nothing changed


def trust_card(ctx: AppContext, path: Path, user: str, fingerprint: str, *, replace: bool = False) -> Enrolment:
    """Enroll another office from its card once its fingerprint, read over the phone, is
    confirmed. An office already enrolled with other keys is replaced only when asked
    (``replace``): its packets were signed with the old key until now."""
    card = read_card(path)
    if len(fingerprint_digits(fingerprint)) != FINGERPRINT_DIGITS:
        raise FingerprintMismatch(f"指纹应为{FINGERPRINT_DIGITS}位（4组，每组4位，如 3F2A 9C01 77B4 E0D2），"
                                  f"输入的是“{fingerprint.strip()[:40]}”", wrong_length=True)
    if not same_fingerprint(fingerprint, card.fingerprint):
        raise FingerprintMismatch(f"指纹不一致：卡片的指纹是 {card.fingerprint}，核对的是 {fingerprint.strip() or '（空）'}。"
                          "请与对方再次电话核对；不一致的卡片可能被调换过，不能登记")
    now = ctx.clock.now()
    with ctx.write() as s:
        if not bootstrapping(s):
            authorize(s, user, Permission.OFFICES, WHOLE_DATABASE)
        own = offices_db.office(s)
        if own is None:
            raise DomainError(NOT_SET_UP)
        if card.area_code == own.area_code or keys.b64(card.signing_key) == _own_signing_key(s):
            raise DomainError("这是本单位自己的卡片：应登记对方单位的卡片")
        if others := [t for t in offices_db.trusted_offices(s) if t.area_code != card.area_code
                      and (t.signing_key == keys.b64(card.signing_key) or t.recipient == card.recipient)]:
            raise DomainError(f"这张卡片的密钥已登记为{others[0].label}的：一把密钥只属于一个单位，不能登记")
        require_related(own, card.kind, card.area_code, card.name)
        old = offices_db.trusted_office(s, card.area_code)
        if old is not None and old.fingerprint == card.fingerprint and old.kind == card.kind:
            return Enrolment(old, "", True)
        if old is not None and not replace:
            raise ReplacementNeeded(f"已登记过{old.label}的卡片（指纹 {old.fingerprint}），与这张（指纹 "
                                    f"{card.fingerprint}）不同：请与对方核实确已更换密钥，再确认替换")
        entry = TrustedOffice(0, card.kind, card.area_code, card.name, card.fingerprint, keys.b64(card.signing_key),
                              card.recipient, now, user or signing.SYSTEM)
        if old is not None:
            offices_db.retire(s, old.id, now, user or signing.SYSTEM)
        new_id = offices_db.enrol(s, entry, card.made_on)
        after = {"kind": card.kind.value, "area_code": card.area_code, "name": card.name,
                 "fingerprint": card.fingerprint}
        units = [("enrolled", new_id)] + ([("enrolled", old.id)] if old is not None else [])
        audit.record(s, user=user or signing.SYSTEM, now=now, entity="trusted_office", entity_id=new_id,
                     action="replace" if old is not None else "enrol",
                     before={"fingerprint": old.fingerprint} if old is not None else None, after=after, seals=units)
    return Enrolment(dataclasses.replace(entry, id=new_id), old.fingerprint if old is not None else "", False)


def _own_signing_key(s) -> str:  # noqa: ANN001
    row = keys_db.signing_key(s)
    return row.public_key if row is not None else ""


def trusted(ctx: AppContext, user: str) -> list[TrustedOffice]:
    """The offices enrolled and in force (names, codes and fingerprints: no personal data)."""
    with ctx.read() as s:
        reader(s, user)
        return offices_db.trusted_offices(s)
