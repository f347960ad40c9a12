"""Marketplace orders (HN-4, XC-6): a certified enterprise user applies for a product; the
product's institution sees the order in its portal, accepts it or terminates it with a reason.
Every change is in the order's history, reaches the applicant's messages, and is announced to
the enterprise's and the institution's ``loanOrderStatusChanged`` subscribers.

Marketplace orders share ``LoanOrder`` with the Liaoning bank applications (they name a
product, and the institution decides in the portal rather than by webhook).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import col, select

from models import CreditRecord, LoanOrder, LoanOrderStatus, Product, ProductStatus
from resolvers.core import fields
from resolvers.core.context import RequestContext, Services, Viewer
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.loaders import Loaders
from resolvers.core.uow import commit, transition
from resolvers.credit import records as credit
from resolvers.loans import actions as loans
from resolvers.marketplace import certification, messages, products
from resolvers.marketplace.errors import MarketplaceErrorCode

# An order is open while its institution may still end it: its applicant's credit is watched.
OPEN = loans.TERMINABLE
MONITOR_BATCH = 200
STATUS_TEXT = {
    LoanOrderStatus.ACCEPTED: "已受理",
    LoanOrderStatus.TERMINATED: "已终止",
}


@dataclass
class ApplicationInput:
    product_id: int
    amount: Decimal
    term_months: int
    purpose: str
    contact_name: str
    contact_phone: str
    remark: str | None = None


async def apply(ctx: RequestContext, data: ApplicationInput) -> LoanOrder:
    """立即申请: within the product's amount and term; uncertified users are refused."""
    applicant = certification.require_certified(ctx)
    problems = Problems()
    amount = fields.money(problems, data.amount, "amount")
    purpose = fields.text(problems, data.purpose, "purpose", max_length=200)
    contact = fields.text(problems, data.contact_name, "contactName", max_length=50)
    phone = fields.mobile(problems, data.contact_phone, "contactPhone")
    remark = fields.text(problems, data.remark, "remark", max_length=500, required=False)
    problems.raise_if_any()
    assert amount and purpose and contact and phone and applicant.enterprise_id and applicant.id
    product = await ctx.db.get(Product, data.product_id)
    if product is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "productId")
    if product.status != ProductStatus.ENABLED:
        raise UserErrors.one(MarketplaceErrorCode.PRODUCT_DISABLED, "productId")
    if not product.min_amount <= amount <= product.max_amount:
        raise UserErrors.one(
            MarketplaceErrorCode.OUTSIDE_PRODUCT_RANGE,
            "amount",
            low=product.min_amount,
            high=product.max_amount,
        )
    if not product.min_term_months <= data.term_months <= product.max_term_months:
        raise UserErrors.one(
            MarketplaceErrorCode.OUTSIDE_PRODUCT_RANGE,
            "termMonths",
            low=product.min_term_months,
            high=product.max_term_months,
        )
    now = ctx.clock.now()
    order = LoanOrder(
        number=loans.new_number(ctx),
        enterprise_id=applicant.enterprise_id,
        institution_id=product.institution_id,
        product_id=product.id,
        amount=amount,
        term_months=data.term_months,
        purpose=purpose,
        contact_name=contact,
        contact_phone=phone,
        remark=remark,
        status=LoanOrderStatus.SUBMITTED,
        applied_by_account_id=applicant.id,
        submitted_at=now,
        updated_at=now,
    )
    ctx.db.add(order)
    await ctx.db.flush()
    loans.record_change(ctx, order, None)
    await _read_credit(ctx, applicant.enterprise_id)
    await commit(ctx)
    return order


async def _read_credit(ctx: RequestContext, enterprise_id: int) -> None:
    """The applicant's credit records, for the institution's view of the order (XC-8). An
    outage does not hold the application up: the monitoring job reads them later."""
    enterprise = await ctx.loaders.enterprise.load(enterprise_id)
    with contextlib.suppress(UserErrors):
        await credit.records(ctx, enterprise)


async def monitor(services: Services) -> int:
    """风险监控 (XC-9): refresh the credit records of the applicants of open marketplace orders
    once they are a day old, so their flags follow penalties and listings as they come and go.
    Returns how many enterprises were read."""
    async with services.sessionmaker() as db:
        ctx = RequestContext(services, db, Viewer(), "zh-CN", Loaders(db), "credit-monitoring")
        stale_before = services.clock.now() - credit.FRESH_FOR
        fresh = select(CreditRecord.enterprise_id).where(
            col(CreditRecord.fetched_at) > stale_before
        )
        due = (
            await db.exec(
                select(LoanOrder.enterprise_id)
                .where(col(LoanOrder.product_id).is_not(None))
                .where(col(LoanOrder.status).in_(OPEN))
                .where(col(LoanOrder.enterprise_id).not_in(fresh))
                .distinct()
                .limit(MONITOR_BATCH)
            )
        ).all()
        for enterprise_id in due:
            await _read_credit(ctx, enterprise_id)
        await commit(ctx)
        return len(due)


async def _decide(
    ctx: RequestContext,
    order_id: int,
    allowed: tuple[LoanOrderStatus, ...],
    target: LoanOrderStatus,
    reason: str | None,
) -> LoanOrder:
    """An order of the viewer's institution's products, moved atomically from an allowed state."""
    account = products.require_institution_user(ctx)
    order = await ctx.db.get(LoanOrder, order_id)
    if order is None or order.institution_id != account.institution_id or order.product_id is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    moved = await transition(
        ctx, order, allowed, status=target, bank_reason=reason, updated_at=ctx.clock.now()
    )
    if not moved:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "id")
    loans.record_change(ctx, order, reason)
    text = f"您的订单{order.number}{STATUS_TEXT[target]}" + (f"，原因：{reason}" if reason else "")
    messages.send(ctx, order.applied_by_account_id, f"订单{STATUS_TEXT[target]}", text)
    await commit(ctx)
    return order


async def accept(ctx: RequestContext, order_id: int) -> LoanOrder:
    """受理: only an order still waiting for the institution."""
    return await _decide(ctx, order_id, loans.ACCEPTABLE, LoanOrderStatus.ACCEPTED, None)


async def terminate(ctx: RequestContext, order_id: int, reason: str) -> LoanOrder:
    """终止: a waiting or accepted order, with the reason the enterprise reads."""
    problems = Problems()
    checked = fields.text(problems, reason, "reason", max_length=200)
    problems.raise_if_any()
    return await _decide(ctx, order_id, loans.TERMINABLE, LoanOrderStatus.TERMINATED, checked)
