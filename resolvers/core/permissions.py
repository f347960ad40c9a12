"""Who may call a use case: an account, an account past its first-login steps, an admin, and
the enterprise an account acts for. Every domain asks these; none of them opens a session."""

from __future__ import annotations

from enum import StrEnum

from models import Account, AccountKind, SessionMethod
from resolvers.core.context import RequestContext
from resolvers.core.errors import Forbidden, PasswordChangeRequired, Unauthenticated


class NextStep(StrEnum):
    """What the client must do before the session may do business (SW-6)."""

    NONE = "NONE"
    VERIFY_MOBILE = "VERIFY_MOBILE"
    CHANGE_PASSWORD = "CHANGE_PASSWORD"


def next_step(account: Account) -> NextStep:
    if account.must_verify_mobile:
        return NextStep.VERIFY_MOBILE
    if account.must_change_password:
        return NextStep.CHANGE_PASSWORD
    return NextStep.NONE


def require_account(ctx: RequestContext, *, allow_restricted: bool = False) -> Account:
    """The viewer's account; refused while an operator still owes the first-login steps."""
    account = ctx.viewer.account
    if account is None:
        raise Unauthenticated(locale=ctx.locale)
    # SW-6 concerns the first username + password login; a card session never used the
    # initial password, so it is not held to those steps.
    session = ctx.viewer.session
    by_card = session is not None and session.method == SessionMethod.CARD
    if not allow_restricted and not by_card and next_step(account) != NextStep.NONE:
        raise PasswordChangeRequired(next_step(account).value, ctx.locale)
    return account


def acting_enterprise_id(account: Account | None) -> int | None:
    """The enterprise an account acts for: admins' and operators' always; a Hunan enterprise
    user's only once a reviewer certified it (HN-3); nobody else's."""
    if account is None or account.enterprise_id is None:
        return None
    if account.kind in (AccountKind.ENTERPRISE_ADMIN, AccountKind.OPERATOR):
        return account.enterprise_id
    if account.kind == AccountKind.ENTERPRISE_USER and account.certified_at is not None:
        return account.enterprise_id
    return None


def require_admin(ctx: RequestContext) -> Account:
    account = require_account(ctx)
    if account.kind != AccountKind.ENTERPRISE_ADMIN or account.enterprise_id is None:
        raise Forbidden("ADMIN_ONLY", ctx.locale)
    return account
