"""The histories of quotas (额度变更记录) and policies, each entry announced to the record's
enterprise and insurer (GW-2) when the transaction commits."""

from __future__ import annotations

from decimal import Decimal

from models import (
    QuotaEventKind,
    TariffPolicy,
    TariffPolicyEvent,
    TariffQuota,
    TariffQuotaEvent,
)
from models.insurance import PremiumPaymentStatus
from resolvers.core import scopes
from resolvers.core.context import RequestContext
from resolvers.insurance.states import remaining

QUOTA_KIND = "tariff-quotas"
POLICY_KIND = "tariff-policies"


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
    """One line of the quota's change history, and the status event for subscribers."""
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
    scopes.announce(ctx, QUOTA_KIND, quota, event)


def policy_entry(
    ctx: RequestContext,
    policy: TariffPolicy,
    reason: str | None,
    payment: PremiumPaymentStatus | None = None,
) -> None:
    """One line of the policy's history (a status, or a step of its premium payment), and the
    event ``tariffPolicyStatusChanged`` pushes."""
    ctx.db.add(
        TariffPolicyEvent(
            policy_id=policy.id or 0,
            status=policy.status,
            payment_status=payment,
            reason=reason,
            at=ctx.clock.now(),
        )
    )
    event = {
        "type": "TARIFF_POLICY_CHANGED",
        "id": policy.id,
        "status": str(policy.status),
        "paymentStatus": str(policy.payment_status) if policy.payment_status else None,
    }
    scopes.announce(ctx, POLICY_KIND, policy, event)
