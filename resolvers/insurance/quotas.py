"""Tariff insurance quotas (额度, TI-1, TI-5): applied for by an operator with the tariff-insurance
permission, once the enterprise is insurable (customs credit GENERAL or better) and has a
SUCCEEDED credit-check authorisation with the insurer; one valid quota per enterprise.

Life: SUBMITTED -> RECEIVED (接收成功) -> APPROVED (total, rate, effective and expiry dates) or
FAILED; APPROVED -> EXPIRED when the expiry date has passed (:func:`expire_due`, a scheduled job).
FAILED and EXPIRED quotas may be re-applied for; APPROVED ones increased, each increase approved
by the insurer on its own. Every event is kept with the amounts before and after.

Policies (TI-6) hold coverage of a quota and then use it or give it back
(:mod:`resolvers.insurance.reservations`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models import (
    VALID_QUOTA_STATES,
    BusinessPermission,
    Enterprise,
    QuotaEventKind,
    QuotaStatus,
    TariffQuota,
    TariffQuotaEvent,
)
from resolvers.cards import actions as cards
from resolvers.core import fields, pagination, scopes
from resolvers.core.context import RequestContext, Services, Viewer
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.fields import CENT, MAX_AMOUNT
from resolvers.core.loaders import Loaders
from resolvers.core.uow import commit, send_later
from resolvers.credit import records as credit
from resolvers.insurance import credit_authorisations, customs
from resolvers.insurance.errors import InsuranceErrorCode

KIND = "tariff-quotas"
CUSTOMS_CODE = re.compile(r"^[0-9A-Z]{10}$")
REAPPLICABLE = (QuotaStatus.FAILED, QuotaStatus.EXPIRED)


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


def office(problems: Problems, code: str, *field: str) -> str | None:
    if code not in customs.OFFICES:
        problems.add(CommonErrorCode.CUSTOMS_UNKNOWN, *field)
        return None
    return code


def _check_form(problems: Problems, form: QuotaForm) -> Decimal | None:
    amount = fields.money(problems, form.requested_amount, "requestedAmount")
    fields.text(problems, form.contact_name, "contactName", max_length=50)
    fields.text(problems, form.legal_rep_name, "legalRepName", max_length=50)
    fields.text(problems, form.address, "address", max_length=200)
    fields.text(problems, form.insurer_branch, "insurerBranch", max_length=100, required=False)
    fields.text(
        problems, form.salesperson_number, "salespersonNumber", max_length=32, required=False
    )
    if not CUSTOMS_CODE.match((form.customs_code or "").strip().upper()):
        problems.add(InsuranceErrorCode.CUSTOMS_CODE_FORMAT, "customsCode")
    office(problems, form.registered_customs, "registeredCustoms")
    fields.email(problems, form.email, "email")
    fields.mobile(problems, form.contact_phone, "contactPhone")
    fields.mobile(problems, form.legal_rep_phone, "legalRepPhone")
    return amount


def _columns(form: QuotaForm, enterprise: Enterprise, amount: Decimal) -> dict[str, Any]:
    """What the form sets on the quota, cleaned."""
    return {
        "institution_id": form.insurer_id,
        "requested_amount": amount,
        "enterprise_name": enterprise.name,
        "contact_name": form.contact_name.strip(),
        "legal_rep_name": form.legal_rep_name.strip(),
        "insurer_branch": (form.insurer_branch or "").strip() or None,
        "address": form.address.strip(),
        "customs_code": form.customs_code.strip().upper(),
        "registered_customs": form.registered_customs,
        "email": form.email.strip(),
        "contact_phone": form.contact_phone.strip(),
        "legal_rep_phone": form.legal_rep_phone.strip(),
        "salesperson_number": (form.salesperson_number or "").strip() or None,
    }


async def _check_application(ctx: RequestContext, form: QuotaForm) -> tuple[Enterprise, Decimal]:
    """Everything an application or a re-application needs, in the order the user can fix it."""
    applicant = await cards.require_permission(ctx, BusinessPermission.TARIFF_INSURANCE)
    enterprise: Enterprise = await ctx.loaders.enterprise.load(applicant.enterprise_id or 0)
    problems = Problems()
    amount = _check_form(problems, form)
    await credit_authorisations.insurer(ctx, problems, form.insurer_id)
    problems.raise_if_any()
    assert amount is not None
    await credit.require_insurable(ctx, enterprise)
    if not await credit_authorisations.has_succeeded(ctx, enterprise.id or 0, form.insurer_id):
        raise UserErrors.one(InsuranceErrorCode.CREDIT_AUTHORISATION_REQUIRED, "insurerId")
    await _check_no_valid_quota(ctx, enterprise.id or 0)
    return enterprise, amount


async def _check_no_valid_quota(ctx: RequestContext, enterprise_id: int) -> None:
    existing = (
        await ctx.db.exec(
            select(TariffQuota.id)
            .where(col(TariffQuota.enterprise_id) == enterprise_id)
            .where(col(TariffQuota.status).in_(VALID_QUOTA_STATES))
        )
    ).first()
    if existing is not None:
        raise UserErrors.one(InsuranceErrorCode.QUOTA_EXISTS, "insurerId")


async def apply(ctx: RequestContext, form: QuotaForm) -> TariffQuota:
    """额度申请: the quota goes to the insurer."""
    enterprise, amount = await _check_application(ctx, form)
    now = ctx.clock.now()
    quota = TariffQuota(
        number="Q" + now.strftime("%Y%m%d") + f"{secrets.randbelow(10**11):011d}",
        enterprise_id=enterprise.id or 0,
        status=QuotaStatus.SUBMITTED,
        applied_by_account_id=ctx.viewer.account.id or 0,  # type: ignore[union-attr]
        submitted_at=now,
        updated_at=now,
        **_columns(form, enterprise, amount),
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
    applicant = await cards.require_permission(ctx, BusinessPermission.TARIFF_INSURANCE)
    row = (await ctx.db.exec(select(TariffQuota).where(col(TariffQuota.id) == quota_id))).first()
    if row is None or row.enterprise_id != applicant.enterprise_id:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    return row


async def reapply(ctx: RequestContext, quota_id: int, form: QuotaForm) -> TariffQuota:
    """重新申请 of a FAILED or EXPIRED quota: the same record, a fresh application."""
    quota = await quota_of_enterprise(ctx, quota_id)
    if not can_reapply(quota):
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "id")
    enterprise, amount = await _check_application(ctx, form)
    total_before, used_before = quota.approved_total, quota.used
    for name, value in _columns(form, enterprise, amount).items():
        setattr(quota, name, value)
    quota.status = QuotaStatus.SUBMITTED
    quota.approved_total = quota.used = quota.reserved = Decimal("0")
    quota.rate = quota.effective_date = quota.expiry_date = quota.approved_at = None
    quota.insurer_reason = None
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
    if not is_usable(quota, ctx.clock.today()):
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


class QuotaState(Protocol):
    """What the rules below read of a quota: a row, or the API's view of one."""

    @property
    def status(self) -> QuotaStatus: ...
    @property
    def approved_total(self) -> Decimal: ...
    @property
    def used(self) -> Decimal: ...
    @property
    def reserved(self) -> Decimal: ...
    @property
    def expiry_date(self) -> date | None: ...
    @property
    def pending_increase(self) -> Decimal | None: ...


def is_usable(quota: QuotaState, today: date) -> bool:
    """APPROVED and not past its expiry date (even before the expiry job has run)."""
    return quota.status == QuotaStatus.APPROVED and (
        quota.expiry_date is None or quota.expiry_date >= today
    )


def remaining(quota: QuotaState) -> Decimal:
    return quota.approved_total - quota.used - quota.reserved


def can_reapply(quota: QuotaState) -> bool:
    """重新申请: FAILED or EXPIRED, with no coverage still held by an application."""
    return quota.status in REAPPLICABLE and quota.reserved <= 0


def can_increase(quota: QuotaState, today: date) -> bool:
    """额度追加: usable, with no increase under review."""
    return is_usable(quota, today) and quota.pending_increase is None


def can_cover(quota: QuotaState, today: date) -> bool:
    """申请投保: usable, with quota remaining."""
    return is_usable(quota, today) and remaining(quota) > 0


def record(
    ctx: RequestContext,
    quota: TariffQuota,
    kind: QuotaEventKind,
    total_before: Decimal,
    used_before: Decimal,
    amount: Decimal | None = None,
    reference: str | None = None,
    reason: str | None = None,
) -> None:
    """One line of the change history, and the status event for subscribers."""
    ctx.db.add(
        TariffQuotaEvent(
            quota_id=quota.id or 0,
            kind=kind,
            status=quota.status,
            amount=amount,
            total_before=total_before,
            total_after=quota.approved_total,
            used_before=used_before,
            used_after=quota.used,
            remaining_after=remaining(quota),
            rate=quota.rate,
            reference=reference,
            reason=reason,
            at=ctx.clock.now(),
        )
    )
    event = {"type": "TARIFF_QUOTA_CHANGED", "id": quota.id, "status": str(quota.status)}
    scopes.announce(ctx, KIND, quota, event)


# The insurer's answers ---------------------------------------------------------------------


def _approval(event: dict[str, Any]) -> tuple[Decimal, Decimal, date, date]:
    """The approved total, rate and dates of an APPROVED answer; an insurer's mistake (a rate
    of -1, an expiry before the effective date) is refused and changes nothing."""
    try:
        total = Decimal(str(event["approvedTotal"])).quantize(CENT)
        rate = Decimal(str(event["rate"]))
        effective = date.fromisoformat(str(event["effectiveDate"]))
        expiry = date.fromisoformat(str(event["expiryDate"]))
    except (KeyError, InvalidOperation, ValueError) as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "decision") from error
    if not Decimal("0") < total <= MAX_AMOUNT:
        raise UserErrors.one(CommonErrorCode.AMOUNT_INVALID, "approvedTotal")
    if not Decimal("0") < rate <= Decimal("100"):
        raise UserErrors.one(InsuranceErrorCode.RATE_INVALID, "rate")
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
        try:
            total = Decimal(str(event["approvedTotal"])).quantize(CENT)
        except (KeyError, InvalidOperation) as error:
            raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "approvedTotal") from error
        if not total_before < total <= MAX_AMOUNT:
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
    """已过期: APPROVED quotas whose expiry date has passed (China Standard Time)."""
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
        for quota in due:
            quota.status = QuotaStatus.EXPIRED
            quota.updated_at = services.clock.now()
            db.add(quota)
            record(ctx, quota, QuotaEventKind.EXPIRED, quota.approved_total, quota.used)
        await commit(ctx)
        return len(due)


# Reading -----------------------------------------------------------------------------------


@dataclass
class QuotaFilter:
    insurer_id: int | None = None
    status: QuotaStatus | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


async def search(
    ctx: RequestContext, wanted: QuotaFilter, first: int, after: str | None
) -> pagination.Page[TariffQuota]:
    """By insurer and application time, newest first (额度申请 list)."""
    statement = scopes.newest_first(ctx, TariffQuota, wanted.insurer_id, wanted.status)
    if wanted.submitted_from is not None:
        statement = statement.where(col(TariffQuota.submitted_at) >= wanted.submitted_from)
    if wanted.submitted_to is not None:
        statement = statement.where(col(TariffQuota.submitted_at) < wanted.submitted_to)
    return await pagination.paginate(ctx, statement, first, after)
