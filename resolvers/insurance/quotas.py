"""Tariff insurance quotas (额度, TI-1, TI-5): applied for by an operator with the tariff-insurance
permission, once the enterprise has a SIGNED three-party agreement for guarantees, is insurable
(customs credit GENERAL or better) and has a valid credit-check authorisation with the insurer;
one valid quota per enterprise.

Life: SUBMITTED -> RECEIVED (接收成功) -> APPROVED (total, rate, effective and expiry dates) or
FAILED; APPROVED -> EXPIRED once the expiry date has passed (at once, as read by
:mod:`resolvers.insurance.states`; written down by :func:`expire_due`, a scheduled job).
FAILED and EXPIRED quotas are re-applied for (the same record; a new application is steered
there); APPROVED ones increased, each increase approved by the insurer on its own. Every event
is kept with the amounts before and after (:mod:`resolvers.insurance.history`).

Policies (TI-6) hold coverage of a quota and then use it or give it back
(:mod:`resolvers.insurance.reservations`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models import (
    VALID_QUOTA_STATES,
    Enterprise,
    Qualification,
    QuotaEventKind,
    QuotaStatus,
    TariffQuota,
)
from resolvers.core import fields, pagination, scopes
from resolvers.core.context import RequestContext, Services, Viewer
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.loaders import Loaders
from resolvers.core.uow import commit, send_later
from resolvers.credit import records as credit
from resolvers.insurance import access, checks, credit_authorisations, customs, policies, states
from resolvers.insurance.errors import InsuranceErrorCode
from resolvers.insurance.history import QUOTA_KIND, record

KIND = QUOTA_KIND


@dataclass
class QuotaForm:
    """额度申请: every field of the manual's form; the enterprise's name comes from its record."""

    insurer_id: int
    requested_amount: Decimal
    contact_name: str
    legal_rep_name: str
    address: str
    customs_code: str
    registered_customs: str
    email: str
    contact_phone: str
    legal_rep_phone: str
    insurer_branch: str | None = None
    salesperson_number: str | None = None


def _check_form(problems: Problems, form: QuotaForm) -> dict[str, Any]:
    """The form's fields, cleaned (None where a field is wrong)."""
    return {
        "requested_amount": fields.money(problems, form.requested_amount, "requestedAmount"),
        "contact_name": fields.text(problems, form.contact_name, "contactName", max_length=50),
        "legal_rep_name": fields.text(problems, form.legal_rep_name, "legalRepName", max_length=50),
        "address": fields.text(problems, form.address, "address", max_length=200),
        "insurer_branch": fields.text(
            problems, form.insurer_branch, "insurerBranch", max_length=100, required=False
        ),
        "salesperson_number": fields.text(
            problems, form.salesperson_number, "salespersonNumber", max_length=32, required=False
        ),
        "customs_code": checks.customs_code(problems, form.customs_code, "customsCode"),
        "registered_customs": checks.office(problems, form.registered_customs, "registeredCustoms"),
        "email": fields.email(problems, form.email, "email"),
        "contact_phone": checks.phone(problems, form.contact_phone, "contactPhone"),
        "legal_rep_phone": checks.phone(problems, form.legal_rep_phone, "legalRepPhone"),
    }


async def _check_registration(
    ctx: RequestContext, problems: Problems, enterprise_id: int, cleaned: dict[str, Any]
) -> None:
    """The customs code and registered customs agree with the enterprise's own customs
    registration (我的资质, SW-15) where it holds them; the manual makes that page optional."""
    registration = await ctx.db.get(Qualification, enterprise_id)
    if registration is None:
        return
    code = cleaned["customs_code"]
    if registration.customs_code and code and code != registration.customs_code:
        problems.add(
            InsuranceErrorCode.CUSTOMS_CODE_MISMATCH,
            "customsCode",
            registered=registration.customs_code,
        )
    office = cleaned["registered_customs"]
    if registration.customs_office and office and office != registration.customs_office:
        expected = registration.customs_office
        problems.add(
            InsuranceErrorCode.REGISTERED_CUSTOMS_MISMATCH,
            "registeredCustoms",
            expected=f"{customs.name(expected)}（{expected}）",
        )


async def _check_application(
    ctx: RequestContext, form: QuotaForm, reapplying: TariffQuota | None = None
) -> tuple[Enterprise, dict[str, Any]]:
    """Everything an application or a re-application needs, in the order the user can fix it;
    returns the enterprise and the quota's columns from the form."""
    applicant = await access.require_actor(ctx)
    enterprise: Enterprise = await ctx.loaders.enterprise.load(applicant.enterprise_id or 0)
    enterprise_id = enterprise.id or 0
    problems = Problems()
    cleaned = _check_form(problems, form)
    await credit_authorisations.insurer(ctx, problems, form.insurer_id)
    await _check_registration(ctx, problems, enterprise_id, cleaned)
    problems.raise_if_any()
    await credit_authorisations.require_agreement(ctx, enterprise_id)
    await credit.require_insurable(ctx, enterprise)
    await credit_authorisations.require_valid(ctx, enterprise_id, form.insurer_id)
    if reapplying is None:
        await _check_no_quota(ctx, enterprise_id)
    cleaned |= {"institution_id": form.insurer_id, "enterprise_name": enterprise.name}
    return enterprise, cleaned


async def _check_no_quota(ctx: RequestContext, enterprise_id: int) -> None:
    """One valid quota per enterprise; a FAILED or EXPIRED one is re-applied for, not doubled."""
    rows = (
        await ctx.db.exec(
            select(TariffQuota)
            .where(col(TariffQuota.enterprise_id) == enterprise_id)
            .where(col(TariffQuota.status).in_((*VALID_QUOTA_STATES, *states.REAPPLICABLE)))
            .order_by(col(TariffQuota.submitted_at).desc())
        )
    ).all()
    today = ctx.clock.today()
    if any(states.quota_status(q, today) in VALID_QUOTA_STATES for q in rows):
        raise UserErrors.one(InsuranceErrorCode.QUOTA_EXISTS, "insurerId")
    if rows:
        raise UserErrors.one(
            InsuranceErrorCode.QUOTA_REAPPLY_REQUIRED, "insurerId", number=rows[0].number
        )


async def apply(ctx: RequestContext, form: QuotaForm) -> TariffQuota:
    """额度申请: the quota goes to the insurer."""
    enterprise, columns = await _check_application(ctx, form)
    now = ctx.clock.now()
    quota = TariffQuota(
        number="Q" + now.strftime("%Y%m%d") + f"{secrets.randbelow(10**11):011d}",
        enterprise_id=enterprise.id or 0,
        status=QuotaStatus.SUBMITTED,
        applied_by_account_id=ctx.viewer.account.id or 0,  # type: ignore[union-attr]
        submitted_at=now,
        updated_at=now,
        **columns,
    )
    await _submit(ctx, quota, QuotaEventKind.APPLIED, Decimal("0"), Decimal("0"))
    return quota


async def _submit(
    ctx: RequestContext,
    quota: TariffQuota,
    kind: QuotaEventKind,
    total_before: Decimal,
    used_before: Decimal,
) -> None:
    ctx.db.add(quota)
    try:
        await ctx.db.flush()
    except IntegrityError as error:
        # Another application of the same enterprise won the race (the partial unique index).
        raise UserErrors.one(InsuranceErrorCode.QUOTA_EXISTS, "insurerId") from error
    record(ctx, quota, kind, total_before, used_before, amount=quota.requested_amount)
    send_later(
        ctx,
        quota.institution_id,
        "QUOTA_APPLY",
        quota.number,
        {
            "requestedAmount": str(quota.requested_amount),
            "enterpriseName": quota.enterprise_name,
            "customsCode": quota.customs_code,
            "registeredCustoms": quota.registered_customs,
            "contactName": quota.contact_name,
            "contactPhone": quota.contact_phone,
            "email": quota.email,
            "salespersonNumber": quota.salesperson_number,
        },
    )
    await commit(ctx)
    ctx.services.outbox_signal()


async def quota_of_enterprise(ctx: RequestContext, quota_id: int) -> TariffQuota:
    return await access.own(ctx, TariffQuota, quota_id)


def _persist_expiry(ctx: RequestContext, quota: TariffQuota) -> bool:
    """Write down that an APPROVED quota past its expiry date is EXPIRED (the job, or a
    re-application that comes first); True if it changed."""
    if quota.status == QuotaStatus.APPROVED and (
        states.quota_status(quota, ctx.clock.today()) == QuotaStatus.EXPIRED
    ):
        quota.status = QuotaStatus.EXPIRED
        quota.updated_at = ctx.clock.now()
        ctx.db.add(quota)
        record(ctx, quota, QuotaEventKind.EXPIRED, quota.approved_total, quota.used)
        return True
    return False


async def reapply(ctx: RequestContext, quota_id: int, form: QuotaForm) -> TariffQuota:
    """重新申请 of a FAILED or EXPIRED quota: the same record, a fresh application."""
    quota = await quota_of_enterprise(ctx, quota_id)
    if not states.can_reapply(quota, ctx.clock.today()):
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "id")
    _, columns = await _check_application(ctx, form, reapplying=quota)
    _persist_expiry(ctx, quota)
    total_before, used_before = quota.approved_total, quota.used
    for name, value in columns.items():
        setattr(quota, name, value)
    quota.status = QuotaStatus.SUBMITTED
    quota.approved_total = quota.used = quota.reserved = Decimal("0.00")
    quota.rate = quota.effective_date = quota.expiry_date = quota.approved_at = None
    quota.insurer_reason = quota.pending_increase = None
    quota.applied_by_account_id = ctx.viewer.account.id or 0  # type: ignore[union-attr]
    quota.submitted_at = quota.updated_at = ctx.clock.now()
    await _submit(ctx, quota, QuotaEventKind.REAPPLIED, total_before, used_before)
    return quota


async def increase(ctx: RequestContext, quota_id: int, amount: Decimal) -> TariffQuota:
    """额度追加 of an APPROVED quota: the insurer approves the increase on its own."""
    quota = await quota_of_enterprise(ctx, quota_id)
    problems = Problems()
    increment = fields.money(problems, amount, "amount")
    problems.raise_if_any()
    assert increment is not None
    if not states.is_usable(quota, ctx.clock.today()):
        raise UserErrors.one(InsuranceErrorCode.QUOTA_NOT_APPROVED, "id")
    if quota.pending_increase is not None:
        raise UserErrors.one(InsuranceErrorCode.QUOTA_INCREASE_PENDING, "id")
    quota.pending_increase = increment
    quota.updated_at = ctx.clock.now()
    ctx.db.add(quota)
    record(
        ctx, quota, QuotaEventKind.INCREASE_REQUESTED, quota.approved_total, quota.used, increment
    )
    send_later(
        ctx,
        quota.institution_id,
        "QUOTA_INCREASE",
        quota.number,
        {"currentTotal": str(quota.approved_total), "increase": str(increment)},
    )
    await commit(ctx)
    ctx.services.outbox_signal()
    return quota


# The insurer's answers ---------------------------------------------------------------------


def _approval(event: dict[str, Any]) -> tuple[Decimal, Decimal, date, date]:
    """The approved total, rate and dates of an APPROVED answer; an insurer's mistake (a rate
    of -1 or NaN, an expiry before the effective date) is refused and changes nothing."""
    total = checks.event_amount(event, "approvedTotal")
    rate = checks.event_rate(event)
    try:
        effective = date.fromisoformat(str(event["effectiveDate"]))
        expiry = date.fromisoformat(str(event["expiryDate"]))
    except (KeyError, ValueError) as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "decision") from error
    if expiry <= effective:
        raise UserErrors.one(CommonErrorCode.DATE_RANGE, "expiryDate")
    return total, rate, effective, expiry


async def decide(ctx: RequestContext, insurer_code: str, event: dict[str, Any]) -> None:
    """QUOTA_DECIDED: RECEIVED, APPROVED or FAILED."""
    quota = await scopes.addressed_to(ctx, TariffQuota, insurer_code, str(event.get("reference")))
    decision = str(event.get("decision"))
    open_states = (QuotaStatus.SUBMITTED, QuotaStatus.RECEIVED)
    total_before, used_before = quota.approved_total, quota.used
    reason = str(event.get("reason") or "")[:200] or None
    if decision == "RECEIVED" and quota.status == QuotaStatus.SUBMITTED:
        quota.status, kind = QuotaStatus.RECEIVED, QuotaEventKind.RECEIVED
    elif decision == "APPROVED" and quota.status in open_states:
        total, rate, effective, expiry = _approval(event)
        quota.status, kind = QuotaStatus.APPROVED, QuotaEventKind.APPROVED
        quota.approved_total, quota.rate = total, rate
        quota.effective_date, quota.expiry_date = effective, expiry
        quota.approved_at = ctx.clock.now()
    elif decision == "FAILED" and quota.status in open_states:
        quota.status, kind = QuotaStatus.FAILED, QuotaEventKind.FAILED
    else:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
    quota.insurer_reason = reason
    quota.updated_at = ctx.clock.now()
    ctx.db.add(quota)
    record(ctx, quota, kind, total_before, used_before, reason=reason)
    await commit(ctx)


async def decide_increase(ctx: RequestContext, insurer_code: str, event: dict[str, Any]) -> None:
    """QUOTA_INCREASE_DECIDED: the new total, or the refusal; the quota stays APPROVED."""
    quota = await scopes.addressed_to(ctx, TariffQuota, insurer_code, str(event.get("reference")))
    if quota.pending_increase is None or quota.status != QuotaStatus.APPROVED:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
    total_before, requested = quota.approved_total, quota.pending_increase
    decision = str(event.get("decision"))
    reason = str(event.get("reason") or "")[:200] or None
    if decision == "APPROVED":
        total = checks.event_amount(event, "approvedTotal")
        if not total_before < total:
            raise UserErrors.one(CommonErrorCode.AMOUNT_INVALID, "approvedTotal")
        quota.approved_total = total
        kind, amount = QuotaEventKind.INCREASED, total - total_before
    elif decision == "FAILED":
        kind, amount = QuotaEventKind.INCREASE_FAILED, requested
    else:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
    quota.pending_increase = None
    quota.updated_at = ctx.clock.now()
    ctx.db.add(quota)
    record(ctx, quota, kind, total_before, quota.used, amount, reason=reason)
    await commit(ctx)


async def mark_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up on an application: FAILED, and it may be re-applied for."""
    quota = await _by_number(ctx, number)
    if quota is not None and quota.status == QuotaStatus.SUBMITTED:
        quota.status, quota.insurer_reason = QuotaStatus.FAILED, reason
        ctx.db.add(quota)
        record(ctx, quota, QuotaEventKind.FAILED, quota.approved_total, quota.used, reason=reason)


async def increase_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    quota = await _by_number(ctx, number)
    if quota is not None and quota.pending_increase is not None:
        requested, quota.pending_increase = quota.pending_increase, None
        ctx.db.add(quota)
        total, used = quota.approved_total, quota.used
        record(ctx, quota, QuotaEventKind.INCREASE_FAILED, total, used, requested, reason=reason)


async def _by_number(ctx: RequestContext, number: str) -> TariffQuota | None:
    statement = select(TariffQuota).where(col(TariffQuota.number) == number)
    return (await ctx.db.exec(statement)).first()


# Expiry ------------------------------------------------------------------------------------


async def expire_due(services: Services) -> int:
    """The scheduled job (``quota-expiry``): writes down what the calendar already made true:
    APPROVED quotas past their expiry date, ISSUED policies past their end date and credit-check
    letters past their year become EXPIRED, each with its history entry and event. Safe on
    several replicas (rows locked, skipped if locked); returns how many records changed."""
    async with services.sessionmaker() as db:
        ctx = RequestContext(services, db, Viewer(), "zh-CN", Loaders(db), "quota-expiry")
        due = (
            await db.exec(
                select(TariffQuota)
                .where(col(TariffQuota.status) == QuotaStatus.APPROVED)
                .where(col(TariffQuota.expiry_date) < services.clock.today())
                .with_for_update(skip_locked=True)
            )
        ).all()
        changed = sum(_persist_expiry(ctx, quota) for quota in due)
        changed += await policies.expire_due(ctx)
        changed += await credit_authorisations.expire_due(ctx)
        await commit(ctx)
        return changed


# Reading -----------------------------------------------------------------------------------


@dataclass
class QuotaFilter:
    insurer_id: int | None = None
    status: QuotaStatus | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


def status_condition(status: QuotaStatus, today: date) -> Any:
    """Quotas whose status as of ``today`` is ``status`` (APPROVED past expiry is EXPIRED)."""
    approved = col(TariffQuota.status) == QuotaStatus.APPROVED
    past = col(TariffQuota.expiry_date) < today
    if status == QuotaStatus.EXPIRED:
        return or_(col(TariffQuota.status) == QuotaStatus.EXPIRED, and_(approved, past))
    if status == QuotaStatus.APPROVED:
        return and_(approved, or_(col(TariffQuota.expiry_date).is_(None), ~past))
    return col(TariffQuota.status) == status


async def search(
    ctx: RequestContext, wanted: QuotaFilter, first: int, after: str | None
) -> pagination.Page[TariffQuota]:
    """By insurer, status and application time, newest first (额度申请 list)."""
    await access.require_reader(ctx)
    statement = scopes.newest_first(ctx, TariffQuota, wanted.insurer_id, None)
    if wanted.status is not None:
        statement = statement.where(status_condition(wanted.status, ctx.clock.today()))
    if wanted.submitted_from is not None:
        statement = statement.where(col(TariffQuota.submitted_at) >= wanted.submitted_from)
    if wanted.submitted_to is not None:
        statement = statement.where(col(TariffQuota.submitted_at) < wanted.submitted_to)
    return await pagination.paginate(ctx, statement, first, after)
