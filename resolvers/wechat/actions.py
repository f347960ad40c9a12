"""The WeChat mini-program (HN-5): consent to the personal-information protection notice, then
login with the ``wx.login()`` code. A WeChat user bound to an account gets a session at once; an
unbound one gets a short-lived binding ticket, which ``bind`` turns into a binding and a session
once the account's own credentials (account + password + SMS code) are given.

The ticket is an HMAC over the openid and an expiry: the openid never travels in the clear and
a ticket cannot be made up; binding still needs the account's credentials.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from sqlmodel import col, select

from integrations.wechat import SimulatedWeChatLogin, WeChatError, WeChatRejected
from models import AccountKind, AccountStatus, ConsentRecord, SessionMethod, WeChatBinding
from resolvers.accounts import sessions
from resolvers.core import events
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, UserErrors
from resolvers.core.uow import commit
from resolvers.wechat.errors import WeChatErrorCode

NOTICE = "PERSONAL_INFORMATION"
NOTICE_VERSION = "2026.1"  # a new text needs a new version: consents name the one they saw
NOTICE_TEXT = (
    "湘企融将收集您的账号、手机号码、企业及法定代表人信息，仅用于企业认证、融资撮合与审批；"
    "人脸识别由腾讯云E证通提供，仅用于核验法定代表人本人身份。"
)
TICKET_SECONDS = 600


@dataclass(frozen=True)
class WeChatLogin:
    """A session, or (for a WeChat user not bound yet) the ticket to bind an account first."""

    opened: sessions.OpenedSession | None
    binding_ticket: str | None


def _mac(ctx: RequestContext, payload: str) -> str:
    key = ctx.services.secret_key + b":wechat-binding"
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:32]


def _ticket(ctx: RequestContext, openid: str) -> str:
    expires = int(ctx.clock.now().timestamp()) + TICKET_SECONDS
    payload = f"{openid}.{expires}"
    return base64.urlsafe_b64encode(f"{payload}.{_mac(ctx, payload)}".encode()).decode()


def _openid_of(ctx: RequestContext, ticket: str) -> str:
    try:
        openid, expires, mac = base64.urlsafe_b64decode(ticket.encode()).decode().rsplit(".", 2)
        valid = hmac.compare_digest(mac, _mac(ctx, f"{openid}.{expires}")) and int(expires) > int(
            ctx.clock.now().timestamp()
        )
    except (ValueError, UnicodeDecodeError):
        valid = False
    if not valid:
        raise UserErrors.one(WeChatErrorCode.BINDING_TICKET_INVALID, "ticket")
    return openid


def _consent(ctx: RequestContext, openid: str, account_id: int | None) -> None:
    ctx.db.add(
        ConsentRecord(
            openid=openid,
            account_id=account_id,
            notice=NOTICE,
            version=NOTICE_VERSION,
            consented_at=ctx.clock.now(),
            client_ip=ctx.client_ip,
        )
    )


async def login(ctx: RequestContext, code: str, consent_version: str) -> WeChatLogin:
    if consent_version != NOTICE_VERSION:
        raise UserErrors.one(CommonErrorCode.CONSENT_REQUIRED, "consentVersion")
    try:
        wechat = await ctx.services.wechat.code_to_session(code.strip()[:128])
    except WeChatRejected as error:
        raise UserErrors.one(WeChatErrorCode.WECHAT_CODE_INVALID, "code") from error
    except WeChatError as error:
        raise UserErrors.one(WeChatErrorCode.WECHAT_UNAVAILABLE, "code") from error
    binding = await ctx.db.get(WeChatBinding, wechat.openid)
    account = await ctx.loaders.account.load(binding.account_id) if binding else None
    _consent(ctx, wechat.openid, account.id if account else None)
    if account is None or account.status != AccountStatus.ENABLED:
        await commit(ctx)
        return WeChatLogin(None, _ticket(ctx, wechat.openid))
    opened = await sessions.open_session(ctx, account, SessionMethod.WECHAT)
    events.account_event(ctx, account, events.AccountEventKind.LOGGED_IN)
    await commit(ctx)
    return WeChatLogin(opened, None)


async def bind(
    ctx: RequestContext, ticket: str, login_name: str, password: str, sms_code: str
) -> WeChatLogin:
    """Bind the ticket's WeChat user to the account these credentials prove, and log in."""
    openid = _openid_of(ctx, ticket)
    if await ctx.db.get(WeChatBinding, openid) is not None:
        raise UserErrors.one(WeChatErrorCode.WECHAT_ALREADY_BOUND, "ticket")
    account = await sessions.verify_password_and_code(ctx, login_name, password, sms_code)
    if account.kind != AccountKind.ENTERPRISE_USER:
        raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE, "login")
    taken = (
        await ctx.db.exec(select(WeChatBinding).where(col(WeChatBinding.account_id) == account.id))
    ).first()
    if taken is not None:
        raise UserErrors.one(WeChatErrorCode.WECHAT_ALREADY_BOUND, "login")
    assert account.id is not None
    ctx.db.add(WeChatBinding(openid=openid, account_id=account.id, bound_at=ctx.clock.now()))
    _consent(ctx, openid, account.id)
    opened = await sessions.open_session(ctx, account, SessionMethod.WECHAT)
    events.account_event(ctx, account, events.AccountEventKind.LOGGED_IN)
    await commit(ctx)
    return WeChatLogin(opened, None)


def simulated_login_code(ctx: RequestContext, user: str) -> str | None:
    """The development view's wx.login(): a code for a simulated WeChat user (embedded only)."""
    simulator = ctx.services.wechat
    if not isinstance(simulator, SimulatedWeChatLogin):
        return None
    return simulator.login_code(user[:64])
