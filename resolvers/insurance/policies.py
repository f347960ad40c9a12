"""Tariff guarantee insurance policies (投保, TI-1, TI-6, TI-8): applied for from an APPROVED quota
by an operator with the tariff-insurance permission.

Rules: the registered customs is the quota's; the period lies inside the quota's validity,
starts today or later and lasts at most one year (TI-1: the last day is before the same date a
year later); the coverage is at most the remaining quota, held atomically while the insurer
decides; the premium shown is coverage x rate to the cent, an estimate: the insurer's figure is
final. The invoice fields each type needs are required, phones and bank accounts checked.
Issued policies consume the quota and carry the insurer's signed e-policy; they are EXPIRED once
their end date has passed (at once on read, written down by the expiry job). The premium is
paid online (:mod:`resolvers.insurance.payments`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import and_, or_
from sqlmodel import col, select

from integrations import documents
from integrations.insurers import premium
from models import (
    DocumentKind,
    Enterprise,
    InvoiceType,
    PolicyPurpose,
    PolicyStatus,
    SignedDocument,
    TariffPolicy,
    TariffQuota,
)
from models.insurance import PremiumPaymentStatus
from resolvers.core import fields, pagination, scopes
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit, send_later
from resolvers.insurance import access, checks, customs, payments, reservations, states
from resolvers.insurance.errors import InsuranceErrorCode
from resolvers.insurance.history import POLICY_KIND, policy_entry

KIND = POLICY_KIND
# The fields of the invoice part each type requires (the form's starred fields; a special
# invoice also needs the bank account it is drawn on).
INVOICE_REQUIRES: dict[InvoiceType, tuple[str, ...]] = {
    InvoiceType.ELECTRONIC: ("address", "bank_name", "email", "tax_number", "phone"),
    InvoiceType.PAPER_NORMAL: ("address", "bank_name", "email", "tax_number", "phone"),
    InvoiceType.PAPER_SPECIAL: (
        "address",
        "bank_name",
        "email",
        "tax_number",
        "bank_account",
        "phone",
    ),
    InvoiceType.NONE: (),
}
INVOICE_FIELDS = {
    "address": ("address", 200),
    "bank_name": ("bankName", 100),
    "email": ("email", 100),
    "tax_number": ("taxNumber", 20),
    "bank_account": ("bankAccount", 40),
    "phone": ("phone", 30),
}
INVOICE_NAMES = {
    InvoiceType.ELECTRONIC: "电子发票",
    InvoiceType.PAPER_NORMAL: "纸质普通发票",
    InvoiceType.PAPER_SPECIAL: "纸质专票",
    InvoiceType.NONE: "无需开具发票",
}


@dataclass
class Invoice:
    type: InvoiceType
    address: str | None = None
    bank_name: str | None = None
    email: str | None = None
    tax_number: str | None = None
    bank_account: str | None = None
    phone: str | None = None


@dataclass
class PolicyForm:
    quota_id: int
    purpose: PolicyPurpose
    registered_customs: str
    clearance_customs: str
    start_date: date
    end_date: date
    coverage: Decimal
    invoice: Invoice


one_year_after = states.one_year_after


def _check_period(problems: Problems, form: PolicyForm, today: date) -> None:
    if form.end_date < form.start_date:
        problems.add(InsuranceErrorCode.POLICY_END_BEFORE_START, "endDate")
    elif form.end_date >= one_year_after(form.start_date):
        problems.add(InsuranceErrorCode.POLICY_TOO_LONG, "endDate")
    if form.start_date < today:
        problems.add(InsuranceErrorCode.POLICY_START_IN_PAST, "startDate")


def _check_invoice(problems: Problems, invoice: Invoice) -> dict[str, str | None]:
    cleaned: dict[str, str | None] = {}
    required = INVOICE_REQUIRES[invoice.type]
    for name, (field, limit) in INVOICE_FIELDS.items():
        cleaned[name] = fields.text(
            problems,
            getattr(invoice, name),
            "invoice",
            field,
            max_length=limit,
            required=name in required,
        )
    if cleaned["email"]:
        cleaned["email"] = fields.email(problems, cleaned["email"], "invoice", "email")
    if cleaned["tax_number"]:
        cleaned["tax_number"] = checks.tax_number(
            problems, cleaned["tax_number"], "invoice", "taxNumber"
        )
    if cleaned["bank_account"]:
        cleaned["bank_account"] = checks.bank_account(
            problems, cleaned["bank_account"], "invoice", "bankAccount"
        )
    if cleaned["phone"]:
        cleaned["phone"] = checks.phone(problems, cleaned["phone"], "invoice", "phone")
    return cleaned


def _number(ctx: RequestContext) -> str:
    return "P" + ctx.clock.now().strftime("%Y%m%d") + f"{secrets.randbelow(10**11):011d}"


def _check_quota(ctx: RequestContext, quota: TariffQuota, form: PolicyForm) -> None:
    """The quota is usable, the registered customs is the quota's, the period inside it."""
    if not states.is_usable(quota, ctx.clock.today()):
        raise UserErrors.one(InsuranceErrorCode.QUOTA_NOT_APPROVED, "quotaId")
    if form.registered_customs != quota.registered_customs:
        expected = quota.registered_customs
        raise UserErrors.one(
            InsuranceErrorCode.REGISTERED_CUSTOMS_MISMATCH,
            "registeredCustoms",
            expected=f"{customs.name(expected)}（{expected}）",
        )
    assert quota.effective_date is not None and quota.expiry_date is not None
    if form.start_date < quota.effective_date or form.end_date > quota.expiry_date:
        raise UserErrors.one(
            InsuranceErrorCode.POLICY_OUTSIDE_QUOTA,
            "endDate",
            effective=quota.effective_date.isoformat(),
            expiry=quota.expiry_date.isoformat(),
        )


async def apply(ctx: RequestContext, form: PolicyForm) -> TariffPolicy:
    """投保: check everything, hold the coverage, send the application to the insurer."""
    quota = await access.own(ctx, TariffQuota, form.quota_id)
    problems = Problems()
    coverage = fields.money(problems, form.coverage, "coverage")
    checks.office(problems, form.registered_customs, "registeredCustoms")
    checks.office(problems, form.clearance_customs, "clearanceCustoms")
    _check_period(problems, form, ctx.clock.today())
    invoice = _check_invoice(problems, form.invoice)
    problems.raise_if_any()
    assert coverage is not None
    _check_quota(ctx, quota, form)
    number = _number(ctx)
    if coverage > states.remaining(quota) or not await reservations.reserve(
        ctx, quota, coverage, number
    ):
        left = states.remaining(quota)
        raise UserErrors.one(
            InsuranceErrorCode.COVERAGE_EXCEEDS_QUOTA, "coverage", remaining=f"{left:,.2f}"
        )
    enterprise: Enterprise = await ctx.loaders.enterprise.load(quota.enterprise_id)
    assert quota.rate is not None
    now = ctx.clock.now()
    policy = TariffPolicy(
        number=number,
        enterprise_id=quota.enterprise_id,
        institution_id=quota.institution_id,
        quota_id=quota.id or 0,
        purpose=form.purpose,
        registered_customs=form.registered_customs,
        clearance_customs=form.clearance_customs,
        start_date=form.start_date,
        end_date=form.end_date,
        coverage=coverage,
        rate=quota.rate,
        premium_estimate=premium(coverage, quota.rate),
        invoice_type=form.invoice.type,
        invoice_title=enterprise.name,
        status=PolicyStatus.SUBMITTED,
        applied_by_account_id=ctx.viewer.account.id or 0,  # type: ignore[union-attr]
        submitted_at=now,
        updated_at=now,
        address=invoice["address"],
        bank_name=invoice["bank_name"],
        email=invoice["email"],
        tax_number=invoice["tax_number"],
        bank_account=invoice["bank_account"],
        phone=invoice["phone"],
    )
    ctx.db.add(policy)
    await ctx.db.flush()
    policy_entry(ctx, policy, None)
    insurer = await ctx.loaders.institution.load(quota.institution_id)
    send_later(
        ctx,
        policy.institution_id,
        "POLICY_APPLY",
        policy.number,
        _application(policy, enterprise, insurer.name if insurer else ""),
    )
    await commit(ctx)
    ctx.services.outbox_signal()
    return policy


def _application(policy: TariffPolicy, enterprise: Enterprise, insurer: str) -> dict[str, Any]:
    """What the insurer needs to issue the policy and its e-policy."""
    return {
        "insurerName": insurer,
        "enterpriseName": enterprise.name,
        "enterpriseUscc": enterprise.uscc,
        "purpose": str(policy.purpose),
        "registeredCustoms": policy.registered_customs,
        "registeredCustomsName": customs.name(policy.registered_customs),
        "clearanceCustoms": policy.clearance_customs,
        "clearanceCustomsName": customs.name(policy.clearance_customs),
        "startDate": policy.start_date.isoformat(),
        "endDate": policy.end_date.isoformat(),
        "coverage": str(policy.coverage),
        "rate": str(policy.rate),
        "premiumEstimate": str(policy.premium_estimate),
        "invoiceType": str(policy.invoice_type),
        "invoiceTypeName": INVOICE_NAMES[policy.invoice_type],
        "invoiceTitle": policy.invoice_title,
        "taxNumber": policy.tax_number,
        "address": policy.address,
        "bankName": policy.bank_name,
        "bankAccount": policy.bank_account,
        "email": policy.email,
        "phone": policy.phone,
    }


async def decide(ctx: RequestContext, insurer_code: str, event: dict[str, Any]) -> None:
    """POLICY_DECIDED: ISSUED (policy number, premium, collection account, signed e-policy) or
    REJECTED, the held coverage consumed or released with it; PREMIUM_PAID or PREMIUM_REFUSED,
    the insurer's answer to a premium payment (TI-8)."""
    policy = await scopes.addressed_to(ctx, TariffPolicy, insurer_code, str(event.get("reference")))
    decision = str(event.get("decision"))
    if decision in payments.DECISIONS:
        await payments.decide(ctx, policy, event)
        return
    if policy.status != PolicyStatus.SUBMITTED or decision not in ("ISSUED", "REJECTED"):
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
    reason = str(event.get("reason") or "")[:200] or None
    if decision == "ISSUED":
        await _issue(ctx, policy, event)
    else:
        policy.status = PolicyStatus.REJECTED
    policy.insurer_reason = reason
    policy.updated_at = ctx.clock.now()
    ctx.db.add(policy)
    await reservations.settle(
        ctx, policy.quota_id, policy.coverage, policy.number, decision == "ISSUED"
    )
    policy_entry(ctx, policy, reason)
    await commit(ctx)


async def _issue(ctx: RequestContext, policy: TariffPolicy, event: dict[str, Any]) -> None:
    final_premium = checks.event_amount(event, "premium")
    try:
        policy_number = str(event["policyNumber"])[:32]
        account = str(event["collectionAccount"])[:32]
        account_name = str(event["collectionAccountName"])[:100]
    except KeyError as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "decision") from error
    document, signer = await _e_policy(ctx, policy, str(event.get("ePolicy") or ""))
    policy.status = PolicyStatus.ISSUED
    policy.policy_number, policy.premium = policy_number, final_premium
    policy.collection_account, policy.collection_account_name = account, account_name
    policy.e_policy_document_id, policy.e_policy_signer = document.id, signer
    policy.payment_status = PremiumPaymentStatus.UNPAID
    policy.issued_at = ctx.clock.now()


async def _e_policy(
    ctx: RequestContext, policy: TariffPolicy, encoded: str
) -> tuple[SignedDocument, str]:
    """Keep the e-policy only if it is a PDF whose every signature is intact, valid and trusted;
    returns it with the serial number of the insurer's signing certificate."""
    try:
        pdf = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error) as error:
        raise UserErrors.one(InsuranceErrorCode.E_POLICY_INVALID, "ePolicy") from error
    roots = [root.public_bytes(Encoding.DER) for root in ctx.services.card_verifier.roots]
    reports = await documents.validate(pdf, roots) if pdf.startswith(b"%PDF") else []
    if not reports or not all(r.intact and r.valid and r.trusted for r in reports):
        raise UserErrors.one(InsuranceErrorCode.E_POLICY_INVALID, "ePolicy")
    serial = reports[-1].signer_serial
    insurer = await ctx.loaders.institution.load(policy.institution_id)
    document = SignedDocument(
        kind=DocumentKind.E_POLICY,
        enterprise_id=policy.enterprise_id,
        institution_id=policy.institution_id,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        # No card signed it: the row names the insurer; the API shows the certificate's serial
        # (longer than a card number, kept on the policy).
        signer_card_number=(insurer.code if insurer else serial)[:32],
        signed_at=ctx.clock.now(),
    )
    ctx.db.add(document)
    await ctx.db.flush()
    return document, serial


async def mark_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up: the application never reached the insurer; the coverage is free."""
    statement = select(TariffPolicy).where(col(TariffPolicy.number) == number)
    policy = (await ctx.db.exec(statement)).first()
    if policy is None or policy.status != PolicyStatus.SUBMITTED:
        return
    policy.status, policy.insurer_reason = PolicyStatus.SEND_FAILED, reason
    ctx.db.add(policy)
    await reservations.settle(ctx, policy.quota_id, policy.coverage, policy.number, False)
    policy_entry(ctx, policy, reason)


async def expire_due(ctx: RequestContext) -> int:
    """Part of the expiry job: ISSUED policies past their end date become EXPIRED."""
    due = (
        await ctx.db.exec(
            select(TariffPolicy)
            .where(col(TariffPolicy.status) == PolicyStatus.ISSUED)
            .where(col(TariffPolicy.end_date) < ctx.clock.today())
            .with_for_update(skip_locked=True)
        )
    ).all()
    for policy in due:
        policy.status = PolicyStatus.EXPIRED
        policy.updated_at = ctx.clock.now()
        ctx.db.add(policy)
        policy_entry(ctx, policy, None)
    return len(due)


@dataclass
class PolicyFilter:
    insurer_id: int | None = None
    status: PolicyStatus | None = None
    policy_number: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    payment_status: PremiumPaymentStatus | None = None


def status_condition(status: PolicyStatus, today: date) -> Any:
    """Policies whose status as of ``today`` is ``status`` (ISSUED past its end is EXPIRED)."""
    issued = col(TariffPolicy.status) == PolicyStatus.ISSUED
    ended = col(TariffPolicy.end_date) < today
    if status == PolicyStatus.EXPIRED:
        return or_(col(TariffPolicy.status) == PolicyStatus.EXPIRED, and_(issued, ended))
    if status == PolicyStatus.ISSUED:
        return and_(issued, ~ended)
    return col(TariffPolicy.status) == status


async def search(
    ctx: RequestContext, wanted: PolicyFilter, first: int, after: str | None
) -> pagination.Page[TariffPolicy]:
    """关税险投保 list: by insurer, status, payment, policy number and application time."""
    await access.require_reader(ctx)
    statement = scopes.newest_first(ctx, TariffPolicy, wanted.insurer_id, None)
    if wanted.status is not None:
        statement = statement.where(status_condition(wanted.status, ctx.clock.today()))
    if wanted.payment_status is not None:
        statement = statement.where(col(TariffPolicy.payment_status) == wanted.payment_status)
    if wanted.policy_number:
        statement = statement.where(col(TariffPolicy.policy_number) == wanted.policy_number.strip())
    if wanted.submitted_from is not None:
        statement = statement.where(col(TariffPolicy.submitted_at) >= wanted.submitted_from)
    if wanted.submitted_to is not None:
        statement = statement.where(col(TariffPolicy.submitted_at) < wanted.submitted_to)
    return await pagination.paginate(ctx, statement, first, after)
