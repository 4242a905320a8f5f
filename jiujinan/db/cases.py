"""Storing and reading aid cases, their household members and attachments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from jiujinan.cases.application import Application, HouseholdMember
from jiujinan.cases.enums import Cause, CaseStatus, HouseholdType, PaymentMethod, Residence, Sex
from jiujinan.cases.errors import ConflictError, NotFoundError
from jiujinan.cases.file_names import clean_file_name
from jiujinan.cases.history import PriorCase
from jiujinan.cases.records import AttachmentInfo, StoredCase
from jiujinan.db.models import AidCase, Attachment, HouseholdMemberRow

# Application fields stored as columns of the same name (members are a table of their own).
_SCALAR_FIELDS = [
    "applicant_name", "sex", "id_number", "birth_date", "phone", "address", "residence",
    "hukou_address", "household_size", "household_type", "cause", "hardship", "requested_fen",
    "other_aid", "payment_method", "bank_name", "account_no", "account_holder", "agent_name",
    "agent_id_number", "agent_relation", "agent_has_poa", "applied_on", "repeat_reason",
]


def next_case_seq(session: Session, society_id: int, year: int) -> int:
    """The next running number of the society's cases in ``year``."""
    current = session.scalar(
        select(func.max(AidCase.case_seq)).where(
            AidCase.society_id == society_id, AidCase.case_year == year
        )
    )
    return (current or 0) + 1


def _columns(app: Application) -> dict[str, object]:
    values = app.as_dict()
    return {name: values[name] for name in _SCALAR_FIELDS}


def _member_rows(app: Application) -> list[HouseholdMemberRow]:
    return [
        HouseholdMemberRow(position=i, name=m.name, relation=m.relation, id_number=m.id_number, age=m.age,
                           income_source=m.income_source)
        for i, m in enumerate(app.members)
    ]


def insert_case(
    session: Session,
    *,
    society_id: int,
    case_no: str,
    year: int,
    seq: int,
    app: Application,
    user: str,
    now: dt.datetime,
) -> int:
    """Store a new case in status 已受理; returns its id."""
    row = AidCase(
        society_id=society_id,
        case_no=case_no,
        case_year=year,
        case_seq=seq,
        status=CaseStatus.ACCEPTED.value,
        paid_fen=0,
        version=1,
        created_at=now,
        created_by=user,
        updated_at=now,
        updated_by=user,
        **_columns(app),
    )
    row.members = _member_rows(app)
    session.add(row)
    session.flush()
    return row.id


def update_case(
    session: Session, case_id: int, app: Application, *, version: int, user: str, now: dt.datetime
) -> None:
    """Replace a case's application fields if nobody changed it since ``version`` was read."""
    result = session.execute(
        update(AidCase)
        .where(AidCase.id == case_id, AidCase.version == version)
        .values(version=version + 1, updated_at=now, updated_by=user, **_columns(app))
    )
    if result.rowcount != 1:
        if session.get(AidCase, case_id) is None:
            raise NotFoundError("找不到该案件")
        raise ConflictError("该案件已被他人修改，请关闭后重新打开再改")
    row = session.get(AidCase, case_id)
    assert row is not None
    session.refresh(row)
    row.members = _member_rows(app)
    session.flush()


def _application(row: AidCase) -> Application:
    return Application(
        applicant_name=row.applicant_name,
        sex=Sex(row.sex),
        id_number=row.id_number,
        birth_date=row.birth_date,
        phone=row.phone,
        address=row.address,
        residence=Residence(row.residence),
        hukou_address=row.hukou_address,
        household_size=row.household_size,
        household_type=HouseholdType(row.household_type),
        members=tuple(HouseholdMember(m.name, m.relation, m.id_number, m.age, m.income_source or "")
                      for m in row.members),
        cause=Cause(row.cause),
        hardship=row.hardship,
        requested_fen=row.requested_fen,
        other_aid=row.other_aid,
        payment_method=PaymentMethod(row.payment_method),
        bank_name=row.bank_name,
        account_no=row.account_no,
        account_holder=row.account_holder,
        agent_name=row.agent_name,
        agent_id_number=row.agent_id_number,
        agent_relation=row.agent_relation,
        agent_has_poa=row.agent_has_poa,
        applied_on=row.applied_on,
        repeat_reason=row.repeat_reason,
    )


def load_case(session: Session, case_id: int) -> StoredCase:
    """A whole case with members and attachments."""
    # Members and attachments in the same query (a batch of forms loads a thousand cases).
    row = session.get(AidCase, case_id, options=[joinedload(AidCase.members), joinedload(AidCase.attachments)])
    if row is None:
        raise NotFoundError("找不到该案件")
    return StoredCase(
        id=row.id,
        society_id=row.society_id,
        case_no=row.case_no,
        status=CaseStatus(row.status),
        version=row.version,
        application=_application(row),
        attachments=tuple(
            # Names stored before they were cleaned are shown cleaned as well.
            AttachmentInfo(a.id, clean_file_name(a.original_name), a.sha256, a.size_bytes, a.added_at, a.added_by)
            for a in row.attachments
        ),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def case_id_by_no(session: Session, case_no: str) -> int:
    """The id of the case with this number, or NotFoundError."""
    case_id = session.scalar(select(AidCase.id).where(AidCase.case_no == case_no))
    if case_id is None:
        shaped = len(case_no) == 23 and case_no[12] == case_no[17] == "-"
        raise NotFoundError(f"找不到案件 {case_no}" + ("" if shaped else "（案件编号应写全，如 341802100201-2026-00017）"))
    return case_id


# The columns a PriorCase is made of (prior_case turns such a row into one).
PRIOR_CASE_COLUMNS = (AidCase.case_no, AidCase.cause, AidCase.applied_on, AidCase.status,
                      AidCase.requested_fen, AidCase.paid_fen, AidCase.paid_on)


def prior_case(row) -> PriorCase:  # noqa: ANN001 - a row holding PRIOR_CASE_COLUMNS
    """A case as the applicant's history (一事一救) needs it."""
    return PriorCase(row.case_no, Cause(row.cause), row.applied_on, CaseStatus(row.status),
                     row.requested_fen, row.paid_fen, row.paid_on)


def prior_cases(session: Session, society_id: int, id_number: str) -> list[PriorCase]:
    """Every case of the person with this ID number in the society (uses the ID index)."""
    stmt = select(*PRIOR_CASE_COLUMNS).where(AidCase.society_id == society_id, AidCase.id_number == id_number)
    return [prior_case(r) for r in session.execute(stmt)]


def set_paid_on(session: Session, case_id: int, paid_on: dt.date) -> None:
    """Remember the date of the latest payment (for the applicant's history)."""
    session.execute(update(AidCase).where(AidCase.id == case_id).values(paid_on=paid_on))


def add_attachment(
    session: Session, case_id: int, *, name: str, sha256: str, size: int, user: str, now: dt.datetime
) -> int:
    """Record a file already copied into the attachment store."""
    row = Attachment(case_id=case_id, original_name=name, sha256=sha256, size_bytes=size,
                     added_at=now, added_by=user)
    session.add(row)
    session.flush()
    return row.id


def stored_attachments(session: Session) -> list[tuple[str, str, str, int]]:
    """Every attachment as (case number, original name, sha256, size), in case order: what
    ``check`` compares with the files in the store."""
    stmt = select(AidCase.case_no, Attachment.original_name, Attachment.sha256, Attachment.size_bytes) \
        .join(AidCase, AidCase.id == Attachment.case_id).order_by(AidCase.id, Attachment.id)
    return [tuple(row) for row in session.execute(stmt)]
