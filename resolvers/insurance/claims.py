"""Claims insurers share with the platform (理赔信息共享, TI-7).

Every connected insurer reports its claims through its webhook (``CLAIM_REPORTED``); a report
already stored (same insurer, same report number) is updated, not duplicated. The enterprise
sees its own claims, found by USCC or name; every insurer's portal sees all claims on the
platform: sharing them is the point of the screen. On the enterprise's side only the legal
person's card session and operators with the tariff-insurance permission read them (TI-2).
Searching by policy number finds every claim whose policy number contains what is typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from models import AccountKind, Enterprise, Institution, InstitutionKind, InsuranceClaim
from resolvers.core import pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, UserErrors
from resolvers.core.uow import commit
from resolvers.insurance import access, checks


def _parse(event: dict[str, Any]) -> dict[str, Any]:
    # A payout that is not a finite amount (NaN, Infinity) is refused with a 422 the insurer does
    # not retry, never a 500 it retries forever.
    payout = checks.event_amount(event, "payoutAmount", allow_zero=True)
    try:
        return {
            "payout_amount": payout,
            "report_number": str(event["reportNumber"])[:32],
            "policy_number": str(event["policyNumber"])[:32],
            "enterprise_name": str(event["enterpriseName"])[:100],
            "enterprise_uscc": (str(event.get("enterpriseUscc") or "")[:18] or None),
            "insured_name": (str(event.get("insuredName") or "")[:100] or None),
            "insurance_type": str(event.get("insuranceType") or "关税保证保险")[:32],
            "currency": str(event.get("currency") or "CNY")[:3],
            "incident_at": datetime.fromisoformat(str(event["incidentAt"])),
            "paid_at": datetime.fromisoformat(str(event["paidAt"])),
        }
    except (KeyError, ValueError) as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "claim") from error


async def report(ctx: RequestContext, insurer_code: str, event: dict[str, Any]) -> None:
    """CLAIM_REPORTED: store (or update) the claim, matched to the enterprise if it is ours."""
    insurer = (
        await ctx.db.exec(select(Institution).where(col(Institution.code) == insurer_code))
    ).first()
    if insurer is None or insurer.kind != InstitutionKind.INSURER:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "insurer")
    values = _parse(event)
    if values["incident_at"].tzinfo is None or values["paid_at"].tzinfo is None:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "claim")
    values["paid_at"] = values["paid_at"].astimezone(values["incident_at"].tzinfo)
    match = select(Enterprise.id).where(
        col(Enterprise.uscc) == values["enterprise_uscc"]
        if values["enterprise_uscc"]
        else col(Enterprise.name) == values["enterprise_name"]
    )
    values["enterprise_id"] = (await ctx.db.exec(match)).first()
    claim = (
        await ctx.db.exec(
            select(InsuranceClaim)
            .where(col(InsuranceClaim.institution_id) == insurer.id)
            .where(col(InsuranceClaim.report_number) == values["report_number"])
        )
    ).first() or InsuranceClaim(institution_id=insurer.id or 0, **values)
    for name, value in values.items():
        setattr(claim, name, value)
    claim.received_at = ctx.clock.now()
    ctx.db.add(claim)
    await commit(ctx)


@dataclass
class ClaimFilter:
    insurer_id: int | None = None
    policy_number: str | None = None


async def search(
    ctx: RequestContext, wanted: ClaimFilter, first: int, after: str | None
) -> pagination.Page[InsuranceClaim]:
    """理赔信息: by insurer and policy number, newest payout first."""
    account = await access.require_reader(ctx)
    statement = select(InsuranceClaim).order_by(
        col(InsuranceClaim.paid_at).desc(), col(InsuranceClaim.id).desc()
    )
    if account.kind == AccountKind.INSTITUTION_USER:
        insurer = await ctx.loaders.institution.load(account.institution_id or 0)
        if insurer is None or insurer.kind != InstitutionKind.INSURER:
            raise Forbidden("NO_SCOPE", ctx.locale)
    elif permissions.acting_enterprise_id(account) is not None:
        statement = statement.where(col(InsuranceClaim.enterprise_id) == account.enterprise_id)
    else:
        raise Forbidden("NO_SCOPE", ctx.locale)
    if wanted.insurer_id is not None:
        statement = statement.where(col(InsuranceClaim.institution_id) == wanted.insurer_id)
    if wanted.policy_number:
        statement = statement.where(
            col(InsuranceClaim.policy_number).icontains(
                wanted.policy_number.strip(), autoescape=True
            )
        )
    return await pagination.paginate(ctx, statement, first, after)
