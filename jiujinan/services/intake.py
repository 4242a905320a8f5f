"""Registering and editing aid applications, and the applicant's history (一事一救)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from jiujinan.cases.application import (
    Application, ApplicationInput, check_application_editable, check_case_year_kept, validate_application,
)
from jiujinan.cases.case_number import format_case_no
from jiujinan.cases.enums import Cause
from jiujinan.cases.duties import check_payee_kept
from jiujinan.cases.disclosure import Kind, Output, disclose_application, require_full
from jiujinan.cases.errors import ConflictError, NotFoundError
from jiujinan.cases.file_names import refuse_unviewable
from jiujinan.cases.history import AidHistory, check_repeat, summarize_history
from jiujinan.cases.idcard import normalize_id
from jiujinan.db import audit, cases, review, societies
from jiujinan.cases.records import AttachmentInfo, ChangeRecord, StoredCase
from jiujinan.services.attachments import StoredFile, store_file, stored_path
from jiujinan.cases.users import Permission, Role
from jiujinan.services.access import authorize, check_sees
from jiujinan.services.context import AppContext
from jiujinan.services.seal_guard import refuse_changed


def register_application(
    ctx: AppContext,
    society_id: int,
    data: ApplicationInput,
    user: str,
    attachments: list[Path] | None = None,
) -> StoredCase:
    """Validate and store a new application with its attachments; assigns the case number.
    一事一救: a later application for the same person and cause in the year is refused
    (RepeatApplication, naming the earlier cases) unless ``data.repeat_reason`` says why."""
    app = validate_application(data, ctx.clock.today())
    files = [store_file(ctx.attachments_dir, p) for p in attachments or []]
    now = ctx.clock.now()
    year = app.applied_on.year
    try:
        with ctx.write() as s:
            authorize(s, user, Permission.INTAKE, society_id)
            society = societies.get_society(s, society_id)
            history = summarize_history(cases.prior_cases(s, society_id, app.id_number), app.cause, app.applied_on)
            check_repeat(history, app.repeat_reason)
            seq = cases.next_case_seq(s, society_id, year)
            case_no = format_case_no(society.settings.area_code, year, seq)
            case_id = cases.insert_case(s, society_id=society_id, case_no=case_no, year=year,
                                        seq=seq, app=app, user=user, now=now)
            _attach(s, case_id, files, user, now)
            review.add_acceptance(s, case_id, app, user=user, now=now)
            audit.record(s, user=user, now=now, entity="case", entity_id=case_id,
                         action="register", society_id=society_id,
                         after={"case_no": case_no, **app.as_dict(),
                                **({"repeat_of": [p.case_no for p in history.same_cause_this_year]}
                                   if history.same_cause_this_year else {})}, seals=[("case", case_id)])
    except IntegrityError as err:
        # Two clerks took the same running number at once: the second one is told to retry.
        raise ConflictError("案件编号被同时占用，请再点一次保存") from err
    return load(ctx, case_id, user)


def update_application(
    ctx: AppContext, case_id: int, data: ApplicationInput, user: str, *, version: int,
    new_attachments: list[Path] | None = None,
) -> StoredCase:
    """Change an application; the audit trail keeps who changed which fields, before and after."""
    app = validate_application(data, ctx.clock.today())
    files = [store_file(ctx.attachments_dir, p) for p in new_attachments or []]
    now = ctx.clock.now()
    with ctx.write() as s:
        old = cases.load_case(s, case_id)
        authorize(s, user, Permission.INTAKE, old.society_id)
        refuse_changed(s, "case", case_id, "不能修改")  # an edit would seal another's change as audited
        check_application_editable(old.status)
        check_case_year_kept(old.application.applied_on, app.applied_on)
        # 一事一救: every edit of a case that is (after the edit) a later one of the same person
        # and cause is held to the intake rule, whatever changed: a new ID number or cause can
        # make it a repeat, and a repeat may not lose its reason.
        check_repeat(summarize_history(cases.prior_cases(s, old.society_id, app.id_number), app.cause,
                                       app.applied_on, old.case_no), app.repeat_reason)
        state, _version = review.review_state(s, case_id)
        check_payee_kept(old.application, app, state.emergency, state.paid_fen)
        cases.update_case(s, case_id, app, version=version, user=user, now=now)
        _attach(s, case_id, files, user, now)
        before, after = _changed_fields(old.application, app)
        # Saved even when nothing changed: the case's version moved on, and its seal with it.
        audit.record(s, user=user, now=now, entity="case", entity_id=case_id,
                     action="edit", society_id=old.society_id, before=before,
                     after={**after, **({"attachments_added": [f.original_name for f in files]} if files else {})},
                     seals=[("case", case_id)])
    return load(ctx, case_id, user)


def _attach(s, case_id: int, files: list[StoredFile], user: str, now) -> None:  # noqa: ANN001
    for f in files:
        cases.add_attachment(s, case_id, name=f.original_name, sha256=f.sha256, size=f.size,
                             user=user, now=now)


def _changed_fields(old: Application, new: Application) -> tuple[dict[str, object], dict[str, object]]:
    a, b = old.as_dict(), new.as_dict()
    changed = [k for k in a if a[k] != b[k]]
    return {k: a[k] for k in changed}, {k: b[k] for k in changed}


def load(ctx: AppContext, case_id: int, user: str) -> StoredCase:
    """A case as the case screen shows it to ``user`` (refused outside their area; personal
    numbers masked for a role that does not see them in full, cases/disclosure.py)."""
    with ctx.read() as s:
        case = cases.load_case(s, case_id)
        who = check_sees(s, user, case.society_id)
    return _shown(case, who.roles, True)


def load_by_no(ctx: AppContext, case_no: str, user: str, *, full: bool | None = None) -> StoredCase:
    """A case by its number, for ``user`` who must work on its society. ``full``: None shows
    what the user's roles allow; True insists on the full numbers (refused without the
    right, as ``case show --full-ids``); False masks them for anyone."""
    with ctx.read() as s:
        case = cases.load_case(s, cases.case_id_by_no(s, case_no))
        who = check_sees(s, user, case.society_id)
    if full:
        require_full(who.name, who.roles, Output.SCREEN, Kind.ID_NUMBER)
    return _shown(case, who.roles, full is not False)


def _shown(case: StoredCase, roles: frozenset[Role], want_full: bool) -> StoredCase:
    app = disclose_application(case.application, Output.SCREEN, roles, want_full=want_full)
    return case if app == case.application else dataclasses.replace(case, application=app)


def case_changes(ctx: AppContext, case_id: int, user: str) -> list[ChangeRecord]:
    """Who registered and changed the case, when, and which fields."""
    with ctx.read() as s:
        check_sees(s, user, cases.load_case(s, case_id).society_id)
        return audit.changes_of(s, "case", case_id)


def attachment_path(ctx: AppContext, case_id: int, attachment: AttachmentInfo, user: str) -> Path:
    """The stored file of one of the case's attachments, to open it: only for a user who
    sees the case, and only a file the case holds."""
    with ctx.read() as s:
        case = cases.load_case(s, case_id)
        check_sees(s, user, case.society_id)
    if attachment.sha256 not in {a.sha256 for a in case.attachments}:
        raise NotFoundError(f"案件 {case.case_no} 没有附件“{attachment.original_name}”")
    refuse_unviewable(attachment.original_name)
    return stored_path(ctx.attachments_dir, attachment.sha256, attachment.original_name)


def applicant_history(
    ctx: AppContext, society_id: int, id_number: str, cause: Cause | None, applied_on: dt.date,
    case_no: str | None = None, *, user: str,
) -> AidHistory:
    """The person's aid in this society and the earlier cases that make an application for
    ``cause`` on ``applied_on`` a repeat (一事一救); ``case_no`` None is a new application.
    Only for a ``user`` who works on the society."""
    with ctx.read() as s:
        check_sees(s, user, society_id)
        prior = cases.prior_cases(s, society_id, normalize_id(id_number))
    return summarize_history(prior, cause, applied_on, case_no)
