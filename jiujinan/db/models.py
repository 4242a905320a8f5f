"""The schema as SQLAlchemy 2 models. Money columns are integer fen; dates are dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    cast,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores an aware datetime as naive UTC, returns it aware: the same on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect):  # noqa: ANN001, ANN201
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass an aware UTC time")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect):  # noqa: ANN001, ANN201
        return value.replace(tzinfo=dt.timezone.utc) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Society(Base):
    """A village's 救急难互助社 and its settings (limits, floor, notice period)."""

    __tablename__ = "society"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    village: Mapped[str] = mapped_column(String(40))
    town: Mapped[str] = mapped_column(String(40))
    district: Mapped[str] = mapped_column(String(40))
    village_limit_fen: Mapped[int] = mapped_column(BigInteger)
    town_limit_fen: Mapped[int] = mapped_column(BigInteger)
    fund_floor_fen: Mapped[int] = mapped_column(BigInteger)
    notice_days: Mapped[int] = mapped_column(Integer)
    notice_working_days: Mapped[bool] = mapped_column(Boolean)
    emergency_deadline_days: Mapped[int] = mapped_column(Integer)
    emergency_limit_fen: Mapped[int] = mapped_column(BigInteger)  # 先行救助最高金额
    objection_phone: Mapped[str] = mapped_column(String(20), default="")
    entrant_may_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    entrant_may_approve_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # On the papers (cases/society.py says what each is).
    village_office: Mapped[str] = mapped_column(String(40), default="", server_default="")
    town_office: Mapped[str] = mapped_column(String(40), default="", server_default="")
    district_office: Mapped[str] = mapped_column(String(40), default="", server_default="")
    notice_shows_id: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    objection_contact: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    return_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    appeal_days: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    appeal_to: Mapped[str] = mapped_column(String(80), default="", server_default="")
    head_name: Mapped[str] = mapped_column(String(30), default="", server_default="")


class AppUser(Base):
    """A person who works in the app, with roles and a password (scrypt hash, never the
    password); written on every change."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    roles: Mapped[str] = mapped_column(String(60), default="clerk")
    password_hash: Mapped[str] = mapped_column(String(200), default="")  # "": must set one at next login
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The societies the user works on: leading digits of their area codes ("" = all; cases/areas.py).
    area: Mapped[str] = mapped_column(String(12), default="")


class LoginThrottle(Base):
    """Wrong sign-in tries under one typed name (its digest; cases/users.py): the counters
    of the growing delay, kept off the user's row so a failure writes no audit entry."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_failed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class AidCase(Base):
    """One aid application and where it stands; the applicant's details are kept as filed."""

    __tablename__ = "aid_case"
    __table_args__ = (
        UniqueConstraint("society_id", "case_year", "case_seq", name="uq_aid_case_seq"),
        # One index per sortable column, led by the society, so every list order is a range scan.
        Index("ix_case_soc_applied", "society_id", "applied_on", "id"),
        Index("ix_case_soc_case_no", "society_id", "case_no"),
        Index("ix_case_soc_name", "society_id", "applicant_name", "id"),
        Index("ix_case_soc_idno", "society_id", "id_number", "id"),
        Index("ix_case_soc_cause", "society_id", "cause", "applied_on", "id"),
        Index("ix_case_soc_amount", "society_id", "requested_fen", "id"),
        Index("ix_case_soc_status", "society_id", "status", "applied_on", "id"),
        Index("ix_case_soc_updated", "society_id", "updated_at", "id"),
        Index("ix_case_soc_emergency", "society_id", "emergency_deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    society_id: Mapped[int] = mapped_column(ForeignKey("society.id"))
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    case_year: Mapped[int] = mapped_column(Integer)
    case_seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    applicant_name: Mapped[str] = mapped_column(String(30))
    sex: Mapped[str] = mapped_column(String(1))
    id_number: Mapped[str] = mapped_column(String(18))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(120))
    residence: Mapped[str] = mapped_column(String(20))
    hukou_address: Mapped[str] = mapped_column(String(120), default="")
    household_size: Mapped[int] = mapped_column(Integer)
    household_type: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str] = mapped_column(String(20))
    hardship: Mapped[str] = mapped_column(Text)
    requested_fen: Mapped[int] = mapped_column(BigInteger)
    approved_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    other_aid: Mapped[str] = mapped_column(Text, default="")
    payment_method: Mapped[str] = mapped_column(String(20))
    bank_name: Mapped[str] = mapped_column(String(60), default="")
    account_no: Mapped[str] = mapped_column(String(30), default="")
    account_holder: Mapped[str] = mapped_column(String(30), default="")
    agent_name: Mapped[str] = mapped_column(String(30), default="")
    agent_id_number: Mapped[str] = mapped_column(String(18), default="")
    agent_relation: Mapped[str] = mapped_column(String(20), default="")
    agent_has_poa: Mapped[bool] = mapped_column(Boolean, default=False)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    repeat_reason: Mapped[str] = mapped_column(Text, default="")
    # Where the review stands (see jiujinan.cases.review); the steps table is the history.
    proposed_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    decided_level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notice_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notice_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    open_objections: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    resume_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    emergency_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    emergency_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    emergency_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    last_step_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(30))

    members: Mapped[list["HouseholdMemberRow"]] = relationship(
        order_by="HouseholdMemberRow.position", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        order_by="Attachment.id", cascade="all, delete-orphan"
    )


class HouseholdMemberRow(Base):
    """A household member listed on an application."""

    __tablename__ = "household_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aid_case.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(30))
    relation: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(18), default="")
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    income_source: Mapped[str] = mapped_column(String(40), default="", server_default="")


class Attachment(Base):
    """A file attached to a case, copied into the data directory and named by its SHA-256."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aid_case.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(30))


class AuditEntry(Base):
    """Who changed what, when: before and after as JSON text. Append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_name: Mapped[str] = mapped_column(String(30))
    society_id: Mapped[int | None] = mapped_column(ForeignKey("society.id"), nullable=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    before_json: Mapped[str] = mapped_column(Text, default="")
    after_json: Mapped[str] = mapped_column(Text, default="")
    # The hash chain (cases/audit_chain.py): position, the previous entry's hash, this one's.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    # 1: the hash covers a JSON list (entries before seals); 2: a text that covers the seals too.
    form: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class AuditSeal(Base):
    """What an audit entry binds: the digest of each unit it changed, as it was after the
    change (cases/seals.py); ``detail`` only serves to name what differs later. Append-only."""

    __tablename__ = "audit_seal"
    __table_args__ = (Index("ix_audit_seal_unit", "unit", "unit_key", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # the entry's place in the chain
    pos: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit: Mapped[str] = mapped_column(String(10))
    unit_key: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)  # None: the unit is gone
    detail: Mapped[str] = mapped_column(Text, default="")


class AuditHead(Base):
    """The end of the audit chain as the app last wrote it (one row): entries deleted from
    the end of the trail show up against it. Locked while an entry is appended."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class LedgerEntry(Base):
    """One movement of the society's fund (台账). Append-only: a correction is a reversal."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        Index("ix_ledger_soc_posted", "society_id", "posted_on", "id"),
        Index("ix_ledger_case", "case_id"),
        # An entry is reversed at most once: the database itself refuses a second reversal.
        Index("ux_ledger_reversal_of", "reversal_of", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    society_id: Mapped[int] = mapped_column(ForeignKey("society.id"))
    posted_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(30), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # signed: money in > 0, money out < 0
    case_id: Mapped[int | None] = mapped_column(ForeignKey("aid_case.id"), nullable=True)
    payer: Mapped[str] = mapped_column(String(60), default="")
    voucher_no: Mapped[str] = mapped_column(String(40), default="")
    memo: Mapped[str] = mapped_column(String(200), default="")
    reversal_of: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), nullable=True)
    method: Mapped[str] = mapped_column(String(20), default="", server_default="")
    receipt_signed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(30))


class MonthClose(Base):
    """Whether a society's month is closed for entries; reopening is audited with a reason."""

    __tablename__ = "month_close"

    society_id: Mapped[int] = mapped_column(ForeignKey("society.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11"
    closed: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(200), default="")


class CaseStep(Base):
    """One step of a case's review, as recorded: who, when, opinion, amount. Append-only."""

    __tablename__ = "case_step"
    __table_args__ = (Index("ix_case_step_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aid_case.id"))
    kind: Mapped[str] = mapped_column(String(30))
    level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    acted_on: Mapped[dt.date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200), default="")
    opinion: Mapped[str] = mapped_column(Text, default="")
    amount_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    details_json: Mapped[str] = mapped_column(Text, default="")
    status_before: Mapped[str] = mapped_column(String(20))
    status_after: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(30))


class CalendarDay(Base):
    """A public holiday, or a weekend day worked instead (调休), for working-day counts."""

    __tablename__ = "calendar_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")


class ImportBatch(Base):
    """One village export received by the district; a newer one of the same society and
    period replaces it (both stay, the older marked replaced)."""

    __tablename__ = "import_batch"
    __table_args__ = (Index("ix_import_society", "society_code", "period_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    society_code: Mapped[str] = mapped_column(String(12))
    society_name: Mapped[str] = mapped_column(String(60))
    town: Mapped[str] = mapped_column(String(40))
    district: Mapped[str] = mapped_column(String(40))
    period_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    period_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    exported_at: Mapped[str] = mapped_column(String(40))
    manifest_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    full_ids: Mapped[bool] = mapped_column(Boolean)
    opening_fen: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(400))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(30))
    replaced_by: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)
    # The village's audit chain as its export reported it (None: an export from before the chain).
    audit_entries: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audit_intact: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # Its signature and history (services/district_trust.py): None before exports were signed.
    signed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    key_fingerprint: Mapped[str | None] = mapped_column(String(19), nullable=True)
    chain_note: Mapped[str | None] = mapped_column(Text, nullable=True)  # a rewritten or shortened history


class ReportedCase(Base):
    """A case as a village reported it."""

    __tablename__ = "reported_case"
    __table_args__ = (Index("ix_reported_case_batch", "batch_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    case_no: Mapped[str] = mapped_column(String(32))
    applicant_name: Mapped[str] = mapped_column(String(30))
    id_number: Mapped[str] = mapped_column(String(18))
    household_type: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str] = mapped_column(String(20))
    requested_fen: Mapped[int] = mapped_column(BigInteger)
    approved_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    decided_level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    emergency: Mapped[bool] = mapped_column(Boolean)


class ReportedPayment(Base):
    """A payment as a village reported it (reversals negative, pointing at the payment)."""

    __tablename__ = "reported_payment"
    __table_args__ = (Index("ix_reported_payment_batch", "batch_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    payment_no: Mapped[int] = mapped_column(Integer)
    case_no: Mapped[str] = mapped_column(String(32))
    paid_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(20), default="")
    payee_name: Mapped[str] = mapped_column(String(60), default="")
    voucher_no: Mapped[str] = mapped_column(String(40), default="")
    reversal_of: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReportedEntry(Base):
    """A ledger entry as a village reported it."""

    __tablename__ = "reported_entry"
    __table_args__ = (Index("ix_reported_entry_batch", "batch_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    entry_no: Mapped[int] = mapped_column(Integer)
    posted_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(30), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    voucher_no: Mapped[str] = mapped_column(String(40), default="")
    memo: Mapped[str] = mapped_column(String(200), default="")
    reversal_of: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SigningKey(Base):
    """This database's Ed25519 signing key (one row; keys.py): made on first use, replaced by an
    administrator. Kept in the database so that backups carry it and every PC that opens a shared
    database signs alike; the file is owner-only."""

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(44))  # base64 of the 32 raw bytes
    fingerprint: Mapped[str] = mapped_column(String(19))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ExportHead(Base):
    """Where the audit chain ended when a society was exported: each later export of it carries
    the chain's hash at these positions, so the district can hold the village to what it saw."""

    __tablename__ = "export_head"
    __table_args__ = (UniqueConstraint("society_id", "seq", name="uq_export_head_society_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    society_id: Mapped[int] = mapped_column(ForeignKey("society.id"))
    seq: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))
    exported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SocietyKey(Base):
    """A society's public key as the district enrolled it (at its first signed export, or from a
    key file); the newest row of a society is the one its exports must be signed with."""

    __tablename__ = "society_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    society_code: Mapped[str] = mapped_column(String(12), index=True)
    public_key: Mapped[str] = mapped_column(String(44))
    fingerprint: Mapped[str] = mapped_column(String(19))
    how: Mapped[str] = mapped_column(String(20))  # "first_import" or "key_file"
    enrolled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    enrolled_by: Mapped[str] = mapped_column(String(30))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class SocietyChain(Base):
    """The village audit chain the district holds a society to: the end and the checkpoints
    (seq → hash, JSON) of the newest export received with chain data."""

    __tablename__ = "society_chain"

    society_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    points: Mapped[str] = mapped_column(Text)
    exported_at: Mapped[str] = mapped_column(String(40))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class DistrictGrant(Base):
    """Seed money the district says it granted a society (区财政), to check against reports."""

    __tablename__ = "district_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    society_code: Mapped[str] = mapped_column(String(12), index=True)
    granted_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(30))


class Office(Base):
    """This installation's office (one row; cases/offices.py): a village society's, a town's or
    the district's, set up once. A database from before offices has none and reads as the
    village office of its societies."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(30))


class OfficeKey(Base):
    """The office's age encryption identity (one row; exchange/encryption.py): packets to it are
    encrypted to its recipient. Made on first use, beside the signing key."""

    __tablename__ = "office_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(String(62))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class TrustedOffice(Base):
    """Another office enrolled from its card (exchange/card.py) after its fingerprint was
    confirmed. A replaced enrolment is retired, never deleted: the newest active row of an area
    code is the one its packets must be signed with."""

    __tablename__ = "trusted_office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(40))
    signing_key: Mapped[str] = mapped_column(String(44))
    recipient: Mapped[str] = mapped_column(String(62))
    fingerprint: Mapped[str] = mapped_column(String(19))
    made_on: Mapped[str] = mapped_column(String(10))
    enrolled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    enrolled_by: Mapped[str] = mapped_column(String(30))
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retired_by: Mapped[str | None] = mapped_column(String(30), nullable=True)


class PacketOut(Base):
    """A packet this office wrote for another (exchange/packet.py): numbered per receiver, so
    the receiver can name a gap; ``acked_at`` once the receiver's receipt came back."""

    __tablename__ = "packet_out"
    __table_args__ = (UniqueConstraint("to_code", "seq", name="uq_packet_out_to_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_code: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(Integer)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    cases: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    made_by: Mapped[str] = mapped_column(String(30))
    acked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PacketIn(Base):
    """A packet applied here: once, so applying it again changes nothing. Two packets with one
    number from one office (two PCs set up from one backup) differ in their payload: both apply."""

    __tablename__ = "packet_in"
    __table_args__ = (UniqueConstraint("from_code", "seq", "payload_sha256", name="uq_packet_in_from_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_code: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(Integer)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    received_by: Mapped[str] = mapped_column(String(30))


class CaseLink(Base):
    """How much of a case's timeline another office has: ``sent`` steps went to it in a packet,
    ``known`` it showed it holds (by sending them, or the case, back). A case is due to an
    office when its timeline has grown beyond what was sent."""

    __tablename__ = "case_link"

    case_id: Mapped[int] = mapped_column(ForeignKey("aid_case.id"), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    known: Mapped[int] = mapped_column(Integer, default=0)


class CaseConflict(Base):
    """Another office's timeline of a case that parts from this one's (two PCs answered the
    same case differently): kept to be resolved, never applied over this one."""

    __tablename__ = "case_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aid_case.id"), index=True)
    from_code: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(Integer)
    steps_json: Mapped[str] = mapped_column(Text)
    found_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(30), nullable=True)


class RemoteSociety(Base):
    """A society whose cases came here by packet: its office owns it, this one reviews them."""

    __tablename__ = "remote_society"

    society_id: Mapped[int] = mapped_column(ForeignKey("society.id"), primary_key=True)
    owner_code: Mapped[str] = mapped_column(String(12))
    first_received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


def fen_sum(expr):  # noqa: ANN001, ANN201
    """sum() of fen as a 64-bit integer (PostgreSQL's sum of a bigint is numeric, which
    would reach Python as a Decimal)."""
    return cast(func.sum(expr), BigInteger)
