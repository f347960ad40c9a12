"""SMS and email verification codes (SW-2, SW-3, SW-5, SW-6, SW-11).

A code is 6 digits from a CSPRNG, valid 5 minutes, single use, bound to its purpose and
target. Only an HMAC is stored. Sending is throttled per target (a resend interval, an
hourly and a daily cap) and per client address; five wrong entries void a code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from integrations.messaging import MessagingError
from models import CodeChannel, CodePurpose, VerificationCode
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, TooManyRequests, UserErrors

SMS_TEMPLATE = "【单一窗口】您的验证码为：{code}，{minutes}分钟内有效，请勿泄露于他人。"
EMAIL_SUBJECT = "单一窗口邮箱验证码 / Single Window verification code"
EMAIL_TEMPLATE = (
    "您的验证码为：{code}，{minutes}分钟内有效。\n"
    "Your verification code is {code}. It is valid for {minutes} minutes."
)


def _digest(
    ctx: RequestContext, channel: CodeChannel, purpose: CodePurpose, target: str, code: str
) -> str:
    message = f"{channel}:{purpose}:{target}:{code}".encode()
    return hmac.new(ctx.services.secret_key, message, hashlib.sha256).hexdigest()


async def _count_since(ctx: RequestContext, *conditions: object, since_seconds: int) -> int:
    since = ctx.clock.now() - timedelta(seconds=since_seconds)
    statement = (
        select(func.count())
        .select_from(VerificationCode)
        .where(
            col(VerificationCode.created_at) > since,
            *conditions,  # type: ignore[arg-type]
        )
    )
    return (await ctx.db.exec(statement)).one()


async def _check_throttles(ctx: RequestContext, channel: CodeChannel, target: str) -> None:
    policy = ctx.policy
    same_target = (
        col(VerificationCode.channel) == channel,
        col(VerificationCode.target) == target,
    )
    latest = (
        await ctx.db.exec(select(func.max(VerificationCode.created_at)).where(*same_target))
    ).one()
    if latest is not None:
        waited = (ctx.clock.now() - latest).total_seconds()
        if waited < policy.code_resend_seconds:
            raise UserErrors.one(
                CommonErrorCode.CODE_RESEND_TOO_SOON,
                "target",
                seconds=int(policy.code_resend_seconds - waited) + 1,
            )
    if await _count_since(ctx, *same_target, since_seconds=3600) >= policy.code_max_per_hour:
        raise UserErrors.one(CommonErrorCode.CODE_LIMIT_REACHED, "target")
    if await _count_since(ctx, *same_target, since_seconds=86400) >= policy.code_max_per_day:
        raise UserErrors.one(CommonErrorCode.CODE_LIMIT_REACHED, "target")
    if ctx.client_ip is not None:
        by_client = col(VerificationCode.client_ip) == ctx.client_ip
        if (
            await _count_since(ctx, by_client, since_seconds=3600)
            >= policy.code_max_per_client_hour
        ):
            raise TooManyRequests(locale=ctx.locale)


async def send(
    ctx: RequestContext, channel: CodeChannel, purpose: CodePurpose, target: str
) -> None:
    """Create and deliver a code; the record is committed only if delivery succeeded."""
    await _check_throttles(ctx, channel, target)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = ctx.clock.now()
    minutes = ctx.policy.code_ttl_seconds // 60
    ctx.db.add(
        VerificationCode(
            channel=channel,
            purpose=purpose,
            target=target,
            code_hash=_digest(ctx, channel, purpose, target, code),
            client_ip=ctx.client_ip,
            created_at=now,
            expires_at=now + timedelta(seconds=ctx.policy.code_ttl_seconds),
        )
    )
    try:
        if channel == CodeChannel.SMS:
            await ctx.services.sender.send_sms(
                target, SMS_TEMPLATE.format(code=code, minutes=minutes)
            )
        else:
            text = EMAIL_TEMPLATE.format(code=code, minutes=minutes)
            await ctx.services.sender.send_email(target, EMAIL_SUBJECT, text)
    except MessagingError:
        await ctx.db.rollback()
        raise


async def consume(
    ctx: RequestContext,
    channel: CodeChannel,
    purpose: CodePurpose,
    target: str,
    code: str,
    *field: str,
) -> None:
    """Check a code and use it up. Wrong entries count against the newest open code."""
    now = ctx.clock.now()
    result = await ctx.db.exec(
        select(VerificationCode)
        .where(col(VerificationCode.channel) == channel)
        .where(col(VerificationCode.purpose) == purpose)
        .where(col(VerificationCode.target) == target)
        .where(col(VerificationCode.consumed_at).is_(None))
        .order_by(col(VerificationCode.id).desc())
        .limit(1)
    )
    record = result.first()
    if record is None or record.expires_at <= now:
        raise UserErrors.one(CommonErrorCode.CODE_EXPIRED, *field)
    expected = _digest(ctx, channel, purpose, target, code.strip())
    if not hmac.compare_digest(expected, record.code_hash):
        record.failed_attempts += 1
        if record.failed_attempts >= ctx.policy.code_max_wrong_attempts:
            record.consumed_at = now
        ctx.db.add(record)
        # The attempt counts even though the mutation fails: commit it on its own.
        await ctx.db.commit()
        raise UserErrors.one(CommonErrorCode.CODE_INVALID, *field)
    record.consumed_at = now
    ctx.db.add(record)
