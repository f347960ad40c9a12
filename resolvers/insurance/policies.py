"""Tariff guarantee insurance policies (投保, TI-1, TI-6): applied for from an APPROVED quota by an
operator with the tariff-insurance permission.

Rules: the period lies inside the quota's validity, starts today or later and lasts at most one
year (TI-1: the last day is before the same date a year later); the coverage is at most the
remaining quota, held atomically while the insurer decides; the premium shown is coverage x rate
to the cent, an estimate: the insurer's figure is final. The invoice fields each type needs are
required. Issued policies consume the quota and carry the insurer's signed e-policy.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
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
    TariffPolicyEvent,
)
from resolvers.core import fields, pagination, scopes
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit, send_later
from resolvers.insurance import customs, reservations
from resolvers.insurance import quotas as tariff_quotas
from resolvers.insurance.errors import InsuranceErrorCode

KIND = "tariff-policies"
TAX_NUMBER = re.compile(r"^(?:[0-9A-Z]{15}|[0-9A-Z]{18}|[0-9A-Z]{20})$")
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
    "bank_account": ("bankAccount", 32),
    "phone": ("phone", 20),
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


def one_year_after(start: date) -> date:
    """The same calendar date a year later (29 February becomes 28 February)."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


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
        value = fields.text(
            problems,
            getattr(invoice, name),
            "invoice",
            field,
            max_length=limit,
            required=name in required,
        )
        cleaned[name] = value
    if cleaned["email"]:
        cleaned["email"] = fields.email(problems, cleaned["email"], "invoice", "email")
    if cleaned["tax_number"] and not TAX_NUMBER.match(cleaned["tax_number"]):
        problems.add(InsuranceErrorCode.TAX_NUMBER_FORMAT, "invoice", "taxNumber")
    return cleaned


def _number(ctx: RequestContext) -> str:
    return "P" + ctx.clock.now().strftime("%Y%m%d") + f"{secrets.randbelow(10**11):011d}"


async def apply(ctx: RequestContext, form: PolicyForm) -> TariffPolicy:
    """投保: check everything, hold the coverage, send the application to the insurer."""
    quota = await tariff_quotas.quota_of_enterprise(ctx, form.quota_id)
    today = ctx.clock.today()
    problems = Problems()
    coverage = fields.money(problems, form.coverage, "coverage")
    tariff_quotas.office(problems, form.registered_customs, "registeredCustoms")
    tariff_quotas.office(problems, form.clearance_customs, "clearanceCustoms")
    _check_period(problems, form, today)
    invoice = _check_invoice(problems, form.invoice)
    problems.raise_if_any()
    assert coverage is not None
    if not tariff_quotas.is_usable(quota, today):
        raise UserErrors.one(InsuranceErrorCode.QUOTA_NOT_APPROVED, "quotaId")
    assert quota.effective_date is not None and quota.expiry_date is not None
    if form.start_date < quota.effective_date or form.end_date > quota.expiry_date:
        raise UserErrors.one(
            InsuranceErrorCode.POLICY_OUTSIDE_QUOTA,
            "endDate",
            effective=quota.effective_date.isoformat(),
            expiry=quota.expiry_date.isoformat(),
        )
    number = _number(ctx)
    if coverage > tariff_quotas.remaining(quota) or not await reservations.reserve(
        ctx, quota, coverage, number
    ):
        left = tariff_quotas.remaining(quota)
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
    _history(ctx, policy, None)
    insurer = await ctx.loaders.institution.load(quota.institution_id)
    send_later(
        ctx,
        policy.institution_id,
        "POLICY_APPLY",
        policy.number,
        {
            "insurerName": insurer.name if insurer else "",
            "enterpriseName": enterprise.name,
            "enterpriseUscc": enterprise.uscc,
            "purpose": str(policy.purpose),
            "registeredCustoms": policy.registered_customs,
            "registeredCustomsName": customs.name(policy.registered_customs),
            "clearanceCustoms": policy.clearance_customs,
            "startDate": policy.start_date.isoformat(),
            "endDate": policy.end_date.isoformat(),
            "coverage": str(policy.coverage),
            "rate": str(policy.rate),
            "invoiceType": str(policy.invoice_type),
            "taxNumber": policy.tax_number,
        },
    )
    await commit(ctx)
    ctx.services.outbox_signal()
    return policy


def _history(ctx: RequestContext, policy: TariffPolicy, reason: str | None) -> None:
    ctx.db.add(
        TariffPolicyEvent(
            policy_id=policy.id or 0, status=policy.status, reason=reason, at=ctx.clock.now()
        )
    )
    event = {"type": "TARIFF_POLICY_CHANGED", "id": policy.id, "status": str(policy.status)}
    scopes.announce(ctx, KIND, policy, event)


async def decide(ctx: RequestContext, insurer_code: str, event: dict[str, Any]) -> None:
    """POLICY_DECIDED: ISSUED (policy number, premium, collection account, signed e-policy) or
    REJECTED; the held coverage is consumed or released with it."""
    policy = await scopes.addressed_to(ctx, TariffPolicy, insurer_code, str(event.get("reference")))
    decision = str(event.get("decision"))
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
    _history(ctx, policy, reason)
    await commit(ctx)


async def _issue(ctx: RequestContext, policy: TariffPolicy, event: dict[str, Any]) -> None:
    try:
        final_premium = Decimal(str(event["premium"])).quantize(tariff_quotas.CENT)
        policy_number = str(event["policyNumber"])[:32]
        account = str(event["collectionAccount"])[:32]
        account_name = str(event["collectionAccountName"])[:100]
    except (KeyError, InvalidOperation) as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "decision") from error
    if final_premium <= 0:
        raise UserErrors.one(CommonErrorCode.AMOUNT_INVALID, "premium")
    document = await _e_policy(ctx, policy, str(event.get("ePolicy") or ""), event)
    policy.status = PolicyStatus.ISSUED
    policy.policy_number, policy.premium = policy_number, final_premium
    policy.collection_account, policy.collection_account_name = account, account_name
    policy.e_policy_document_id = document.id
    policy.issued_at = ctx.clock.now()


async def _e_policy(
    ctx: RequestContext, policy: TariffPolicy, encoded: str, event: dict[str, Any]
) -> SignedDocument:
    """Keep the e-policy only if it is a PDF whose every signature is intact, valid and trusted."""
    try:
        pdf = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error) as error:
        raise UserErrors.one(InsuranceErrorCode.E_POLICY_INVALID, "ePolicy") from error
    roots = [root.public_bytes(Encoding.DER) for root in ctx.services.card_verifier.roots]
    reports = await documents.validate(pdf, roots) if pdf.startswith(b"%PDF") else []
    if not reports or not all(r.intact and r.valid and r.trusted for r in reports):
        raise UserErrors.one(InsuranceErrorCode.E_POLICY_INVALID, "ePolicy")
    now = ctx.clock.now()
    document = SignedDocument(
        kind=DocumentKind.E_POLICY,
        enterprise_id=policy.enterprise_id,
        institution_id=policy.institution_id,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        signer_card_number=str(event.get("policyNumber", ""))[:32],
        signed_at=now,
    )
    ctx.db.add(document)
    await ctx.db.flush()
    return document


async def mark_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up: the application never reached the insurer; the coverage is free."""
    statement = select(TariffPolicy).where(col(TariffPolicy.number) == number)
    policy = (await ctx.db.exec(statement)).first()
    if policy is None or policy.status != PolicyStatus.SUBMITTED:
        return
    policy.status, policy.insurer_reason = PolicyStatus.SEND_FAILED, reason
    ctx.db.add(policy)
    await reservations.settle(ctx, policy.quota_id, policy.coverage, policy.number, False)
    _history(ctx, policy, reason)


@dataclass
class PolicyFilter:
    insurer_id: int | None = None
    status: PolicyStatus | None = None
    policy_number: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


async def search(
    ctx: RequestContext, wanted: PolicyFilter, first: int, after: str | None
) -> pagination.Page[TariffPolicy]:
    """关税险投保 list: by insurer, status, policy number and application time, newest first."""
    statement = scopes.newest_first(ctx, TariffPolicy, wanted.insurer_id, wanted.status)
    if wanted.policy_number:
        statement = statement.where(col(TariffPolicy.policy_number) == wanted.policy_number.strip())
    if wanted.submitted_from is not None:
        statement = statement.where(col(TariffPolicy.submitted_at) >= wanted.submitted_from)
    if wanted.submitted_to is not None:
        statement = statement.where(col(TariffPolicy.submitted_at) < wanted.submitted_to)
    return await pagination.paginate(ctx, statement, first, after)
