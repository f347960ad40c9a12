"""An enterprise admin's operators (SW-13): list, search, create, edit, delete.

Scoping: every operator is looked up through the admin's own enterprise, so another
enterprise's operator is simply "not found" — its existence is never revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models import Account, AccountKind, AccountStatus, OperatorPermission, Session
from resolvers.accounts import sessions
from resolvers.accounts.errors import AccountErrorCode
from resolvers.accounts.registration import check_username_free
from resolvers.accounts.settings import (
    IdentityInput,
    apply_identity,
    check_identity,
    check_operator_identity_free,
)
from resolvers.cards import actions as cards
from resolvers.core import events, fields, pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.fields import IdType
from resolvers.core.passwords import DEFAULT_OPERATOR_PASSWORD
from resolvers.core.uow import commit, rollback


@dataclass
class OperatorInput:
    name: str
    mobile: str
    id_type: IdType
    id_number: str
    id_valid_from: str | None = None
    id_valid_to: str | None = None
    email: str | None = None


@dataclass
class OperatorCreateInput(OperatorInput):
    username: str = ""


@dataclass
class OperatorUpdateInput(OperatorInput):
    status: AccountStatus = AccountStatus.ENABLED


async def list_operators(
    ctx: RequestContext, enterprise_id: int, query: str | None, first: int, after: str | None
) -> pagination.Page[Account]:
    admin = permissions.require_admin(ctx)
    if admin.enterprise_id != enterprise_id:
        # A read, not a mutation: another enterprise's list is forbidden, not a userError.
        raise Forbidden("OTHER_ENTERPRISE", ctx.locale)
    statement = (
        select(Account)
        .where(col(Account.enterprise_id) == enterprise_id)
        .where(col(Account.kind) == AccountKind.OPERATOR)
        .order_by(col(Account.id).desc())
    )
    if query and query.strip():
        pattern = f"%{query.strip()[:50]}%"
        statement = statement.where(
            or_(col(Account.username).ilike(pattern), col(Account.name).ilike(pattern))
        )
    return await pagination.paginate(ctx, statement, first, after)


def can_manage(ctx: RequestContext, enterprise_id: int) -> bool:
    """SW-13: whether the viewer may edit and delete the operators of ``enterprise_id``: its
    admin only."""
    viewer = ctx.viewer.account
    return (
        viewer is not None
        and viewer.kind == AccountKind.ENTERPRISE_ADMIN
        and viewer.enterprise_id == enterprise_id
    )


async def check_card_rule(ctx: RequestContext, admin: Account, operator: Account) -> None:
    """SW-13: an admin without a bound card may not change an operator whose card is bound."""
    if await cards.bound_card(ctx, operator.id or 0) and not await cards.bound_card(
        ctx, admin.id or 0
    ):
        raise UserErrors.one(AccountErrorCode.OPERATOR_CARD_BOUND, "id")


async def operator_of_admin(ctx: RequestContext, operator_id: int) -> tuple[Account, Account]:
    admin = permissions.require_admin(ctx)
    operator = await ctx.loaders.account.load(operator_id)
    if (
        operator is None
        or operator.kind != AccountKind.OPERATOR
        or operator.enterprise_id != admin.enterprise_id
    ):
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    return admin, operator


def _check_contact(problems: Problems, data: OperatorInput) -> tuple[str | None, str | None]:
    mobile = fields.mobile(problems, data.mobile, "mobile")
    email = fields.email(problems, data.email, "email", required=False)
    return mobile, email


async def create(ctx: RequestContext, data: OperatorCreateInput) -> Account:
    """A cardless operator with the default password, forced through SW-6 at first login."""
    admin = permissions.require_admin(ctx)
    problems = Problems()
    username = fields.username(problems, data.username, "username")
    identity = IdentityInput(
        data.name, data.id_type, data.id_number, data.id_valid_from, data.id_valid_to
    )
    checked = check_identity(ctx, identity, problems)
    mobile, email = _check_contact(problems, data)
    operator = Account(
        kind=AccountKind.OPERATOR,
        username=username or "",
        username_key=(username or "").lower(),
        enterprise_id=admin.enterprise_id,
        name="",
        mobile=mobile,
        email=email,
        must_verify_mobile=True,
        must_change_password=True,
    )
    if username is not None:
        await check_username_free(ctx, username, problems, "username")
    if checked is not None:
        await check_operator_identity_free(ctx, operator, data.id_type, checked[1], problems)
    problems.raise_if_any()
    assert checked is not None
    apply_identity(operator, identity, checked)
    operator.password_hash = await ctx.services.passwords.hash(DEFAULT_OPERATOR_PASSWORD)
    ctx.db.add(operator)
    await _flush_or_duplicate(ctx)
    events.account_event(ctx, admin, events.AccountEventKind.OPERATOR_CREATED, subject=operator)
    await commit(ctx)
    return operator


async def update(ctx: RequestContext, operator_id: int, data: OperatorUpdateInput) -> Account:
    """Everything but the username, including the account status (SW-13)."""
    admin, operator = await operator_of_admin(ctx, operator_id)
    await check_card_rule(ctx, admin, operator)
    problems = Problems()
    identity = IdentityInput(
        data.name, data.id_type, data.id_number, data.id_valid_from, data.id_valid_to
    )
    checked = check_identity(ctx, identity, problems)
    mobile, email = _check_contact(problems, data)
    if checked is not None:
        await check_operator_identity_free(ctx, operator, data.id_type, checked[1], problems)
    problems.raise_if_any()
    assert checked is not None
    if apply_identity(operator, identity, checked):
        await cards.unbind_account(ctx, operator)
    operator.mobile = mobile
    operator.email = email
    disabling = data.status == AccountStatus.DISABLED and operator.status == AccountStatus.ENABLED
    operator.status = data.status
    operator.updated_at = ctx.clock.now()
    ctx.db.add(operator)
    await _flush_or_duplicate(ctx)
    if disabling:
        await sessions.revoke_all(ctx, operator)
    events.account_event(ctx, admin, events.AccountEventKind.OPERATOR_UPDATED, subject=operator)
    events.account_event(ctx, operator, events.AccountEventKind.PROFILE_UPDATED)
    await commit(ctx)
    return operator


async def remove(ctx: RequestContext, operator_id: int, confirmed: bool) -> int:
    """Delete after confirmation; the operator's sessions end with it."""
    admin, operator = await operator_of_admin(ctx, operator_id)
    await check_card_rule(ctx, admin, operator)
    if not confirmed:
        raise UserErrors.one(CommonErrorCode.CONFIRMATION_REQUIRED, "confirm")
    assert operator.id is not None
    await sessions.revoke_all(ctx, operator)
    await cards.unbind_account(ctx, operator)
    await ctx.db.exec(
        delete(OperatorPermission).where(col(OperatorPermission.account_id) == operator.id)
    )
    await ctx.db.exec(delete(Session).where(col(Session.account_id) == operator.id))
    await ctx.db.delete(operator)
    events.account_event(ctx, admin, events.AccountEventKind.OPERATOR_DELETED, subject=operator)
    await commit(ctx)
    return operator.id


async def _flush_or_duplicate(ctx: RequestContext) -> None:
    try:
        await ctx.db.flush()
    except IntegrityError as error:
        await rollback(ctx)
        text = str(error.orig).lower()
        if "operator_identity" in text or "id_number" in text:
            raise UserErrors.one(AccountErrorCode.OPERATOR_IDENTITY_TAKEN, "idNumber") from error
        raise UserErrors.one(CommonErrorCode.USERNAME_TAKEN, "username") from error
