"""Loan applications (LN-5, LN-6, TI-3): the form, the authorisation letter signed with the card,
sent to the bank through the outbox; ACCEPTED (申请成功 银行已受理) when the bank takes it,
SEND_FAILED (申请发送失败) when it cannot be delivered, then the bank's decisions.

Who: the legal person (card session) or an operator granted FINANCING (TI-2). What first: a
SIGNED agreement covering FINANCING with that bank. A drawdown after approval needs a SIGNED
USER_BINDING with the bank (TI-3).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import col, select

from integrations import documents
from models import (
    Agreement,
    AgreementFunction,
    AgreementStatus,
    BusinessPermission,
    DocumentKind,
    Enterprise,
    Institution,
    InstitutionKind,
    LoanOrder,
    LoanOrderEvent,
    LoanOrderStatus,
    SigningSession,
)
from resolvers.agreements import signing
from resolvers.cards import actions as cards
from resolvers.core import fields, pagination, scopes
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit, send_later
from resolvers.credit import risk
from resolvers.loans.errors import LoanErrorCode

MAX_AMOUNT = Decimal("10000000000")
MAX_TERM_MONTHS = 360


@dataclass
class LoanDraft:
    bank_id: int
    amount: Decimal
    term_months: int
    purpose: str
    contact_name: str
    contact_phone: str
    certificate: str
    remark: str | None = None


@dataclass(frozen=True)
class PreparedLoan:
    session: SigningSession
    preview_pdf: bytes


async def _signed_functions(ctx: RequestContext, enterprise_id: int, bank_id: int) -> set[str]:
    rows = await ctx.db.exec(
        select(Agreement.functions)
        .where(col(Agreement.enterprise_id) == enterprise_id)
        .where(col(Agreement.institution_id) == bank_id)
        .where(col(Agreement.status) == AgreementStatus.SIGNED)
    )
    return {f for functions in rows.all() for f in functions}


def _check_form(problems: Problems, draft: LoanDraft) -> tuple[Decimal | None, str | None]:
    amount = None
    try:
        amount = Decimal(draft.amount).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems.add(CommonErrorCode.AMOUNT_INVALID, "amount")
    if amount is not None and not Decimal("0") < amount <= MAX_AMOUNT:
        problems.add(CommonErrorCode.AMOUNT_INVALID, "amount")
        amount = None
    if not 1 <= draft.term_months <= MAX_TERM_MONTHS:
        problems.add(LoanErrorCode.TERM_INVALID, "termMonths", max=MAX_TERM_MONTHS)
    fields.text(problems, draft.purpose, "purpose", max_length=200)
    fields.text(problems, draft.contact_name, "contactName", max_length=50)
    phone = fields.mobile(problems, draft.contact_phone, "contactPhone")
    fields.text(problems, draft.remark, "remark", max_length=500, required=False)
    return amount, phone


def new_number(ctx: RequestContext) -> str:
    return "L" + ctx.clock.now().strftime("%Y%m%d") + f"{secrets.randbelow(10**11):011d}"


async def prepare(ctx: RequestContext, draft: LoanDraft) -> PreparedLoan:
    """Step one (LN-5): the form and the authorisation letter the card will sign."""
    applicant = await cards.require_permission(ctx, BusinessPermission.FINANCING)
    enterprise: Enterprise = await ctx.loaders.enterprise.load(applicant.enterprise_id or 0)
    problems = Problems()
    amount, phone = _check_form(problems, draft)
    bank: Institution | None = await ctx.loaders.institution.load(draft.bank_id)
    if bank is None or bank.kind != InstitutionKind.BANK:
        problems.add(CommonErrorCode.NOT_FOUND, "bankId")
    problems.raise_if_any()
    assert bank is not None and amount is not None and phone is not None
    if AgreementFunction.FINANCING not in await _signed_functions(
        ctx, enterprise.id or 0, bank.id or 0
    ):
        raise UserErrors.one(LoanErrorCode.FINANCING_AGREEMENT_REQUIRED, "bankId")
    number = new_number(ctx)
    document = documents.Document(
        title="融资申请授权书",
        number=number,
        date=ctx.clock.today().isoformat(),
        parties=(
            documents.Party("授权人", enterprise.name, (f"统一社会信用代码：{enterprise.uscc}",)),
            documents.Party("被授权人", bank.name),
        ),
        sections=(
            (
                "申请信息",
                (
                    f"申请金额：人民币{amount:,.2f}元",
                    f"期限：{draft.term_months}个月",
                    f"用途：{draft.purpose.strip()}",
                    f"联系人：{draft.contact_name.strip()}",
                ),
            ),
            (
                "授权事项",
                (
                    "授权人同意被授权人通过单一窗口查询、使用授权人的海关数据，用于审查本次融资申请。",
                ),
            ),
        ),
        signer_label="授权人（签章）",
    )
    subject = {
        "number": number,
        "bankId": bank.id,
        "amount": str(amount),
        "termMonths": draft.term_months,
        "purpose": draft.purpose.strip(),
        "contactName": draft.contact_name.strip(),
        "contactPhone": phone,
        "remark": (draft.remark or "").strip() or None,
    }
    session, pdf = await signing.start(
        ctx, applicant, DocumentKind.LOAN_AUTHORISATION, document, draft.certificate, subject
    )
    await commit(ctx)
    return PreparedLoan(session, pdf)


async def complete(ctx: RequestContext, session_id: str, signature: str) -> LoanOrder:
    """Step two (LN-5): the signed letter; the application goes to the bank."""
    applicant = await cards.require_permission(ctx, BusinessPermission.FINANCING)
    session = await signing.open_session(
        ctx, applicant, session_id, DocumentKind.LOAN_AUTHORISATION
    )
    subject = session.subject
    bank_id = int(str(subject["bankId"]))
    document = await signing.finish(ctx, session, signature, applicant.enterprise_id or 0, bank_id)
    now = ctx.clock.now()
    order = LoanOrder(
        number=str(subject["number"]),
        enterprise_id=applicant.enterprise_id or 0,
        institution_id=bank_id,
        amount=Decimal(str(subject["amount"])),
        term_months=int(str(subject["termMonths"])),
        purpose=str(subject["purpose"]),
        contact_name=str(subject["contactName"]),
        contact_phone=str(subject["contactPhone"]),
        remark=subject.get("remark"),  # type: ignore[arg-type]
        status=LoanOrderStatus.SUBMITTED,
        document_id=document.id,
        applied_by_account_id=applicant.id or 0,
        submitted_at=now,
        updated_at=now,
    )
    ctx.db.add(order)
    await ctx.db.flush()
    record_change(ctx, order, None)
    _to_bank(
        ctx,
        order,
        "LOAN_SUBMIT",
        {"document": base64.b64encode(document.pdf).decode(), "documentSha256": document.sha256},
    )
    await commit(ctx)
    ctx.services.outbox_signal()
    return order


def record_change(ctx: RequestContext, order: LoanOrder, reason: str | None) -> None:
    """The order's history entry and its status event (to the enterprise and the institution)."""
    ctx.db.add(
        LoanOrderEvent(
            order_id=order.id or 0, status=order.status, reason=reason, at=ctx.clock.now()
        )
    )
    event = {
        "type": "LOAN_ORDER_STATUS_CHANGED",
        "orderId": order.id,
        "status": str(order.status),
        "at": ctx.clock.now().isoformat(),
    }
    scopes.announce(ctx, "loans", order, event)


def _to_bank(ctx: RequestContext, order: LoanOrder, kind: str, extra: dict[str, object]) -> None:
    payload: dict[str, object] = {
        "amount": str(order.amount),
        "termMonths": order.term_months,
        "enterpriseId": order.enterprise_id,
        **extra,
    }
    send_later(ctx, order.institution_id, kind, order.number, payload)


def can_apply_again(status: LoanOrderStatus) -> bool:
    """LN-5: after 申请发送失败 the enterprise may apply again."""
    return status == LoanOrderStatus.SEND_FAILED


# XC-6: what the product's institution may do with a marketplace order, by the order's status
# (resolvers.marketplace.orders moves the order atomically from these states).
ACCEPTABLE = (LoanOrderStatus.SUBMITTED,)
TERMINABLE = (LoanOrderStatus.SUBMITTED, LoanOrderStatus.ACCEPTED)


def viewer_decides(ctx: RequestContext, institution_id: int, product_id: int | None) -> bool:
    """A marketplace order (one naming a product) is decided by its institution's portal users;
    Liaoning bank applications are decided by the bank's webhook, never in the portal."""
    viewer = ctx.viewer.account
    return product_id is not None and viewer is not None and viewer.institution_id == institution_id


def can_accept(
    ctx: RequestContext, status: LoanOrderStatus, institution_id: int, product_id: int | None
) -> bool:
    return status in ACCEPTABLE and viewer_decides(ctx, institution_id, product_id)


def can_terminate(
    ctx: RequestContext, status: LoanOrderStatus, institution_id: int, product_id: int | None
) -> bool:
    return status in TERMINABLE and viewer_decides(ctx, institution_id, product_id)


async def order_of_enterprise(ctx: RequestContext, order_id: int, enterprise_id: int) -> LoanOrder:
    row = (await ctx.db.exec(select(LoanOrder).where(col(LoanOrder.id) == order_id))).first()
    if row is None or row.enterprise_id != enterprise_id:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    return row


async def request_drawdown(ctx: RequestContext, order_id: int) -> LoanOrder:
    """TI-3: after approval, a drawdown needs a SIGNED user binding with the bank."""
    applicant = await cards.require_permission(ctx, BusinessPermission.FINANCING)
    order = await order_of_enterprise(ctx, order_id, applicant.enterprise_id or 0)
    if order.status != LoanOrderStatus.APPROVED:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "id")
    signed = await _signed_functions(ctx, order.enterprise_id, order.institution_id)
    if AgreementFunction.USER_BINDING not in signed:
        raise UserErrors.one(CommonErrorCode.USER_BINDING_REQUIRED, "id")
    order.status = LoanOrderStatus.DRAWDOWN_REQUESTED
    order.updated_at = ctx.clock.now()
    ctx.db.add(order)
    record_change(ctx, order, None)
    _to_bank(ctx, order, "LOAN_DRAWDOWN", {})
    await commit(ctx)
    ctx.services.outbox_signal()
    return order


@dataclass
class LoanOrderFilter:
    bank_id: int | None = None
    status: LoanOrderStatus | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    min_risk_level: risk.RiskSeverity | None = None


async def search(
    ctx: RequestContext, wanted: LoanOrderFilter, first: int, after: str | None
) -> pagination.Page[LoanOrder]:
    """LN-6: by bank, status and application time range, newest first."""
    statement = scopes.newest_first(ctx, LoanOrder, wanted.bank_id, wanted.status)
    if wanted.submitted_from is not None:
        statement = statement.where(col(LoanOrder.submitted_at) >= wanted.submitted_from)
    if wanted.submitted_to is not None:
        statement = statement.where(col(LoanOrder.submitted_at) < wanted.submitted_to)
    if wanted.min_risk_level is not None:
        statement = statement.where(
            risk.at_least(col(LoanOrder.enterprise_id), wanted.min_risk_level, ctx.clock.today())
        )
    return await pagination.paginate(ctx, statement, first, after)


# The bank's answers in the order they happen; an answer may arrive before an earlier one (two
# webhooks racing), so a later stage implies the ones before it and an earlier stage arriving
# late changes nothing: an order never moves backwards (issue 16).
STAGES: dict[str, int] = {"ACCEPTED": 1, "APPROVED": 2, "REJECTED": 2}
STAGE_OF: dict[LoanOrderStatus, int] = {
    LoanOrderStatus.SUBMITTED: 0,
    # The outbox gave up, yet the bank answers: it did receive the application.
    LoanOrderStatus.SEND_FAILED: 0,
    LoanOrderStatus.ACCEPTED: 1,
    LoanOrderStatus.APPROVED: 2,
    LoanOrderStatus.REJECTED: 2,
}


async def decide(ctx: RequestContext, bank_code: str, event: dict[str, Any]) -> None:
    """The bank's answers from its webhook continue the order's history."""
    number, decision, reason = (
        str(event.get("reference")),
        str(event.get("decision")),
        event.get("reason"),
    )
    order = await scopes.addressed_to(ctx, LoanOrder, bank_code, number)
    current = STAGE_OF.get(LoanOrderStatus(order.status))
    stage = STAGES.get(decision)
    if current is None or stage is None:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
    if stage <= current:
        if stage == current and order.status != decision:
            raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
        return  # a late or repeated answer: the order already went past it
    now = ctx.clock.now()
    if stage == 2 and current == 0:
        # APPROVED or REJECTED before ACCEPTED: the bank accepted it first.
        order.status = LoanOrderStatus.ACCEPTED
        order.updated_at = now
        record_change(ctx, order, None)
    order.status = LoanOrderStatus(decision)
    order.bank_reason = (reason or "")[:200] or None
    order.updated_at = now
    ctx.db.add(order)
    record_change(ctx, order, order.bank_reason)
    await commit(ctx)


async def mark_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up: 申请发送失败, and the enterprise may apply again."""
    order = (await ctx.db.exec(select(LoanOrder).where(col(LoanOrder.number) == number))).first()
    if order is None or order.status != LoanOrderStatus.SUBMITTED:
        return
    order.status = LoanOrderStatus.SEND_FAILED
    order.bank_reason = reason[:200]
    order.updated_at = ctx.clock.now()
    ctx.db.add(order)
    record_change(ctx, order, order.bank_reason)
