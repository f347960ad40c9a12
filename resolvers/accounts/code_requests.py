"""Requesting a verification code: who may ask for which purpose, and where it goes.

Registration, account-recovery and bank-card codes go to a target the client
names, so an image captcha must be
solved first (one captcha, one code). Codes for a logged-in account go to its own mobile
or to the new mobile / email it wants to bind.
"""

from __future__ import annotations

from models import CodeChannel, CodePurpose
from resolvers.accounts import sessions
from resolvers.accounts import settings as accounts
from resolvers.core import captcha, codes, fields
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit

# Codes to a target the anonymous client names: an image captcha guards each one.
OPEN_TARGET_PURPOSES = frozenset(
    {CodePurpose.REGISTRATION, CodePurpose.ACCOUNT_RECOVERY, CodePurpose.BANK_CARD}
)


async def request_code(
    ctx: RequestContext,
    channel: CodeChannel,
    purpose: CodePurpose,
    target: str | None,
    captcha_id: str | None,
    captcha_answer: str | None,
) -> None:
    if purpose in OPEN_TARGET_PURPOSES:
        await _registration_code(ctx, channel, purpose, target, captcha_id, captcha_answer)
    elif purpose == CodePurpose.LOGIN:
        await _login_code(ctx, target, captcha_id, captcha_answer)
    elif purpose == CodePurpose.PASSWORD_RESET:
        # Goes to the account's own mobile or email: see passwordResetCodeSend.
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED, "purpose")
    elif purpose == CodePurpose.FIRST_LOGIN:
        await sessions.send_first_login_code(ctx)
    elif purpose == CodePurpose.CHANGE_MOBILE_OLD:
        await accounts.send_mobile_change_code(ctx, None)
    elif purpose == CodePurpose.CHANGE_MOBILE_NEW:
        await accounts.send_mobile_change_code(ctx, target)
    else:
        await accounts.send_email_change_code(ctx, target or "")


async def _login_code(
    ctx: RequestContext, login: str | None, captcha_id: str | None, captcha_answer: str | None
) -> None:
    """HN-2, XC-3: ``target`` is the login; the code goes to that account's own mobile."""
    problems = Problems()
    if not (login or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "target")
    if not captcha_id or not captcha_answer:
        problems.add(CommonErrorCode.REQUIRED, "captcha")
    problems.raise_if_any()
    assert login and captcha_id and captcha_answer
    await captcha.consume(ctx, captcha_id, captcha_answer, "captcha")
    await sessions.send_login_code(ctx, login)
    await commit(ctx)


async def _registration_code(
    ctx: RequestContext,
    channel: CodeChannel,
    purpose: CodePurpose,
    target: str | None,
    captcha_id: str | None,
    captcha_answer: str | None,
) -> None:
    problems = Problems()
    if channel == CodeChannel.SMS:
        checked = fields.mobile(problems, target, "target")
    else:
        checked = fields.email(problems, target, "target")
    if not captcha_id or not captcha_answer:
        problems.add(CommonErrorCode.REQUIRED, "captcha")
    problems.raise_if_any()
    assert checked is not None and captcha_id and captcha_answer
    await captcha.consume(ctx, captcha_id, captcha_answer, "captcha")
    if purpose != CodePurpose.REGISTRATION and channel != CodeChannel.SMS:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED, "channel")
    await codes.send(ctx, channel, purpose, checked)
    await commit(ctx)
