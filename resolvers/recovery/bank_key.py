"""Username recovery by the enterprise's bank key (SW-9, "企业实名认证"), and the banks' answers.

An admin proves a mobile by SMS and names the enterprise and a bank (CCB, ABC or CMBC); the bank
is asked through the outbox, as for an admin's real-name verification
(:mod:`resolvers.real_name.bank_keys`), and the ticket waits (PENDING). The bank's signed answer
(``ENTERPRISE_VERIFIED``) makes the ticket VERIFIED, and then every username of the enterprise is
shown, or FAILED with the bank's reason.

Banks answer real-name verifications and recoveries alike, so the webhook and the outbox's
give-up both come here: an answer about a recovery's verification is decided here, any other is
handed to :func:`resolvers.real_name.actions.bank_key_answered`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models import (
    AccountKind,
    CodeChannel,
    CodePurpose,
    RealNameLevel,
    RealNameMethod,
    RealNameVerification,
    RecoveryPurpose,
    RecoveryStatus,
    RecoveryTicket,
)
from resolvers.core import codes, fields
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit
from resolvers.real_name import actions as real_name
from resolvers.real_name import bank_keys
from resolvers.real_name.levels import new_verification
from resolvers.recovery import tickets as recovery
from resolvers.recovery.tickets import RecoveryFactor
from resolvers.recovery.username_recovery import UsernameRecoveryMethod


@dataclass
class BankKeyRecoveryInput:
    mobile: str
    sms_code: str
    enterprise_name: str
    code: str
    bank: str


async def start(ctx: RequestContext, data: BankKeyRecoveryInput) -> RecoveryTicket:
    """The bank is asked to confirm the enterprise; then every username of the enterprise may
    be shown."""
    problems = Problems()
    mobile = fields.mobile(problems, data.mobile, "mobile")
    name = fields.text(problems, data.enterprise_name, "enterpriseName", max_length=100)
    code = fields.text(problems, data.code, "code", max_length=18)
    if not (data.sms_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "smsCode")
    problems.raise_if_any()
    assert mobile and name and code
    await recovery.count_attempt(ctx, RecoveryPurpose.USERNAME, None)
    await codes.consume(
        ctx, CodeChannel.SMS, CodePurpose.ACCOUNT_RECOVERY, mobile, data.sms_code, "smsCode"
    )
    await ctx.db.commit()
    enterprise = await recovery.enterprise_by_name_and_code(ctx, name, code)
    if enterprise is None:
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED)
    bank = await bank_keys.bank(ctx, data.bank)
    ticket = recovery.open_ticket(
        ctx,
        RecoveryPurpose.USERNAME,
        AccountKind.ENTERPRISE_ADMIN,
        UsernameRecoveryMethod.ENTERPRISE_REAL_NAME,
        enterprise_id=enterprise.id,
        verified_mobile=mobile,
    )
    ticket.status = RecoveryStatus.PENDING
    await ctx.db.flush()
    verification = new_verification(ctx, None, RealNameMethod.BANK_KEY, RealNameLevel.HIGH)
    verification.enterprise_id = enterprise.id
    verification.recovery_ticket_id = ticket.id
    bank_keys.ask(ctx, bank, verification, enterprise.uscc, enterprise.name)
    await commit(ctx)
    return ticket


async def decided(ctx: RequestContext, bank_code: str, event: dict[str, Any]) -> None:
    """A bank's signed answer (``ENTERPRISE_VERIFIED``): the enterprise holds an account there
    (VERIFIED) or not."""
    verification = await bank_keys.answered(ctx, bank_code, str(event.get("reference")))
    await _answer(ctx, verification, event.get("decision") == "VERIFIED", event.get("reason"))
    await commit(ctx)


async def send_failed(ctx: RequestContext, reference: str, reason: str) -> None:
    """The outbox gave up on the bank: the verification failed without an answer."""
    verification = await bank_keys.waiting(ctx, reference)
    if verification is None:
        return
    await _answer(ctx, verification, False, reason)
    await commit(ctx)


async def _answer(
    ctx: RequestContext, verification: RealNameVerification, passed: bool, reason: object
) -> None:
    if verification.recovery_ticket_id is None:
        await real_name.bank_key_answered(ctx, verification, passed, reason)
        return
    ticket = await ctx.db.get(RecoveryTicket, verification.recovery_ticket_id)
    assert ticket is not None
    if passed:
        bank_keys.succeed(ctx, verification)
        recovery.add_factor(ticket, RecoveryFactor.BANK_KEY)
        ticket.status = RecoveryStatus.VERIFIED
    else:
        bank_keys.fail(ctx, verification, reason)
        ticket.status = RecoveryStatus.FAILED
        ticket.failure_reason = verification.failure_reason
    ctx.db.add(ticket)
    recovery.announce(ctx, ticket)
