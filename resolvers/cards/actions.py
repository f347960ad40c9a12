"""Cards: challenge-response login (SW-7, LN-1), activation (SW-8), binding (SW-14), and the
business permissions a legal-person card grants operators (TI-2).

The gateway never sees a PIN or a key: it issues a nonce, the card agent has the card sign
``login_digest(nonce)`` after the PIN, and the gateway checks the certificate against the
card CA and the signature against the certificate.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from cryptography.hazmat.primitives.serialization import Encoding
from sqlmodel import col, delete, select

from integrations.card import CardIdentity, CertificateRejected, SignatureInvalid, login_digest
from models import (
    Account,
    AccountKind,
    BusinessPermission,
    Card,
    CardChallenge,
    CardKind,
    ChallengePurpose,
    Enterprise,
    EnterpriseKind,
    OperatorPermission,
    SessionMethod,
)
from resolvers.accounts import sessions
from resolvers.accounts.registration import UNKNOWN_LEGAL_REP_ID_TYPE
from resolvers.cards import loaders as card_loaders
from resolvers.cards.errors import CardErrorCode
from resolvers.core import events, fields, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.passwords import DEFAULT_OPERATOR_PASSWORD
from resolvers.core.uow import commit
from resolvers.real_name import levels as real_name_levels

CHALLENGE_TTL = timedelta(minutes=2)
ADMIN_SUFFIX = "_ADMIN"


@dataclass
class CardLogin:
    opened: sessions.OpenedSession
    card: Card
    created_usernames: list[str] = field(default_factory=list)
    replaced_card_number: str | None = None


@dataclass
class CardBinding:
    card: Card
    replaced_card_number: str | None = None


async def issue_challenge(ctx: RequestContext, purpose: ChallengePurpose) -> CardChallenge:
    account_id = None
    if purpose in (ChallengePurpose.BIND, ChallengePurpose.REAL_NAME):
        account_id = permissions.require_account(ctx).id
    now = ctx.clock.now()
    challenge = CardChallenge(
        public_id=secrets.token_urlsafe(16),
        # Hex, so that a nonce never starts with "-" (pasted on a command line).
        nonce=secrets.token_hex(32),
        purpose=purpose,
        account_id=account_id,
        created_at=now,
        expires_at=now + CHALLENGE_TTL,
    )
    ctx.db.add(challenge)
    await commit(ctx)
    return challenge


def _decode(value: str, name: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, name) from error


async def verified_card(
    ctx: RequestContext,
    challenge_id: str,
    certificate: str,
    signature: str,
    purpose: ChallengePurpose,
) -> CardIdentity:
    """Use up the challenge, then check the certificate and the signature over its nonce."""
    certificate_der = _decode(certificate, "certificate")
    signature_der = _decode(signature, "signature")
    now = ctx.clock.now()
    challenge = (
        await ctx.db.exec(
            select(CardChallenge).where(col(CardChallenge.public_id) == challenge_id[:32])
        )
    ).first()
    usable = (
        challenge is not None
        and challenge.used_at is None
        and challenge.expires_at > now
        and challenge.purpose == purpose
        and (
            purpose not in (ChallengePurpose.BIND, ChallengePurpose.REAL_NAME)
            or challenge.account_id == ctx.viewer.account.id  # type: ignore[union-attr]
        )
    )
    if not usable:
        raise UserErrors.one(CardErrorCode.CHALLENGE_INVALID, "challengeId")
    assert challenge is not None
    # Single use whatever the outcome: a nonce is never signed twice.
    challenge.used_at = now
    ctx.db.add(challenge)
    await commit(ctx)
    verifier = ctx.services.card_verifier
    try:
        identity = verifier.verify(certificate_der, now)
    except CertificateRejected as error:
        raise UserErrors.one(
            CommonErrorCode.CARD_CERTIFICATE_REJECTED, "certificate", reason=error.reason
        ) from error
    try:
        verifier.verify_signature(identity, login_digest(challenge.nonce), signature_der)
    except SignatureInvalid as error:
        raise UserErrors.one(CommonErrorCode.CARD_SIGNATURE_INVALID, "signature") from error
    return identity


async def _enterprise_of(ctx: RequestContext, identity: CardIdentity) -> Enterprise:
    """The card's enterprise; a card is the first the gateway hears of some enterprises."""
    holder = identity.holder
    enterprise = (
        await ctx.db.exec(select(Enterprise).where(col(Enterprise.uscc) == holder.uscc))
    ).first()
    if enterprise is not None:
        return enterprise
    is_legal_person = holder.kind == CardKind.LEGAL_PERSON
    enterprise = Enterprise(
        kind=EnterpriseKind.ENTERPRISE,
        uscc=holder.uscc,
        org_code=holder.uscc[8:17],
        name=holder.enterprise_name,
        # An operator card does not name the legal representative: left blank until registered,
        # with a document type the API can show (UNKNOWN_LEGAL_REP_ID_TYPE).
        legal_rep_name=holder.holder_name if is_legal_person else "",
        legal_rep_id_type=holder.holder_id_type if is_legal_person else UNKNOWN_LEGAL_REP_ID_TYPE,
        legal_rep_id_number=holder.holder_id_number if is_legal_person else "",
        legal_rep_id_valid_from="",
        legal_rep_id_valid_to="",
    )
    ctx.db.add(enterprise)
    await ctx.db.flush()
    return enterprise


async def _card_record(ctx: RequestContext, identity: CardIdentity, enterprise: Enterprise) -> Card:
    holder = identity.holder
    card = (
        await ctx.db.exec(select(Card).where(col(Card.card_number) == holder.card_number))
    ).first()
    if card is None:
        assert enterprise.id is not None
        card = Card(
            card_number=holder.card_number,
            kind=CardKind(holder.kind),
            enterprise_id=enterprise.id,
            holder_name=holder.holder_name,
            holder_id_type=holder.holder_id_type,
            holder_id_number=holder.holder_id_number,
            certificate=b"",
            fingerprint="",
            not_before=identity.not_before,
            not_after=identity.not_after,
        )
    elif card.enterprise_id != enterprise.id:
        raise UserErrors.one(CommonErrorCode.CARD_ENTERPRISE_MISMATCH, "certificate")
    # A renewed certificate replaces the one on file.
    card.certificate = identity.certificate.public_bytes(Encoding.DER)
    card.fingerprint = identity.fingerprint
    card.not_before, card.not_after = identity.not_before, identity.not_after
    ctx.db.add(card)
    await ctx.db.flush()
    return card


async def _admin_of(ctx: RequestContext, enterprise_id: int) -> Account | None:
    statement = (
        select(Account)
        .where(col(Account.enterprise_id) == enterprise_id)
        .where(col(Account.kind) == AccountKind.ENTERPRISE_ADMIN)
    )
    return (await ctx.db.exec(statement)).first()


async def _new_card_account(
    ctx: RequestContext,
    kind: AccountKind,
    username: str,
    enterprise_id: int,
    identity: CardIdentity,
) -> Account:
    """SW-7 / SW-8: created by card login, inactive for password login until activated."""
    holder = identity.holder
    account = Account(
        kind=kind,
        username=username,
        username_key=username.lower(),
        password_hash=await ctx.services.passwords.hash(DEFAULT_OPERATOR_PASSWORD),
        activated=False,
        enterprise_id=enterprise_id,
        name=holder.holder_name,
        id_type=holder.holder_id_type,
        id_number=holder.holder_id_number,
    )
    ctx.db.add(account)
    await ctx.db.flush()
    return account


async def _bind(ctx: RequestContext, card: Card, account: Account) -> str | None:
    """Bind ``card`` to ``account``; returns the number of a card this binding replaced."""
    replaced = None
    current = (await ctx.db.exec(select(Card).where(col(Card.account_id) == account.id))).first()
    if current is not None and current.id != card.id:
        current.account_id = None
        current.bound_at = None
        ctx.db.add(current)
        await ctx.db.flush()
        replaced = current.card_number
    if card.account_id != account.id:
        card.account_id = account.id
        card.bound_at = ctx.clock.now()
        ctx.db.add(card)
        await ctx.db.flush()
    return replaced


async def login(
    ctx: RequestContext, challenge_id: str, certificate: str, signature: str
) -> CardLogin:
    """SW-7's four rules, then a session that carries the card kind."""
    identity = await verified_card(
        ctx, challenge_id, certificate, signature, ChallengePurpose.LOGIN
    )
    enterprise = await _enterprise_of(ctx, identity)
    assert enterprise.id is not None
    card = await _card_record(ctx, identity, enterprise)
    number = identity.card_number
    created: list[str] = []
    admin = await _admin_of(ctx, enterprise.id)
    if admin is None:
        admin = await _new_card_account(
            ctx, AccountKind.ENTERPRISE_ADMIN, number + ADMIN_SUFFIX, enterprise.id, identity
        )
        created.append(admin.username)
    if card.kind == CardKind.LEGAL_PERSON:
        target = admin
    else:
        target = await _operator_for(ctx, enterprise.id, identity, created)
    replaced = await _bind(ctx, card, target)
    opened = await sessions.open_session(ctx, target, SessionMethod.CARD, card_kind=card.kind)
    events.account_event(ctx, target, events.AccountEventKind.LOGGED_IN)
    await commit(ctx)
    return CardLogin(opened, card, created, replaced)


async def _operator_for(
    ctx: RequestContext, enterprise_id: int, identity: CardIdentity, created: list[str]
) -> Account:
    """Rule 4: the operator with the card holder's ID type and number, else a new ``<cardno>``."""
    holder = identity.holder
    operator = (
        await ctx.db.exec(
            select(Account)
            .where(col(Account.enterprise_id) == enterprise_id)
            .where(col(Account.kind) == AccountKind.OPERATOR)
            .where(col(Account.id_type) == holder.holder_id_type)
            .where(col(Account.id_number) == holder.holder_id_number)
        )
    ).first()
    if operator is None:
        operator = await _new_card_account(
            ctx, AccountKind.OPERATOR, holder.card_number, enterprise_id, identity
        )
        created.append(operator.username)
    return operator


async def activate(ctx: RequestContext, password: str, confirmation: str) -> Account:
    """SW-8: in a card session, set the password of an account created by card login."""
    account = permissions.require_account(ctx)
    session = ctx.viewer.session
    if session is None or session.method != SessionMethod.CARD:
        raise Forbidden("CARD_SESSION_REQUIRED", ctx.locale)
    if account.activated:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    problems = Problems()
    checked = fields.new_password(problems, password, confirmation)
    if checked is not None and checked == DEFAULT_OPERATOR_PASSWORD:
        problems.add(CommonErrorCode.PASSWORD_POLICY, "password")
    problems.raise_if_any()
    assert checked is not None
    account.password_hash = await ctx.services.passwords.hash(checked)
    account.activated = True
    ctx.db.add(account)
    events.account_event(ctx, account, events.AccountEventKind.PASSWORD_CHANGED)
    await commit(ctx)
    return account


async def bind_to_viewer(
    ctx: RequestContext, challenge_id: str, certificate: str, signature: str
) -> CardBinding:
    """SW-14: bind a card of the viewer's own enterprise, held by the viewer."""
    account = permissions.require_account(ctx)
    if (
        account.kind not in (AccountKind.ENTERPRISE_ADMIN, AccountKind.OPERATOR)
        or account.enterprise_id is None
    ):
        raise Forbidden("ENTERPRISE_ACCOUNTS_ONLY", ctx.locale)
    identity = await verified_card(ctx, challenge_id, certificate, signature, ChallengePurpose.BIND)
    enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
    if identity.holder.uscc != enterprise.uscc:
        raise UserErrors.one(CommonErrorCode.CARD_ENTERPRISE_MISMATCH, "certificate")
    wanted = (
        CardKind.LEGAL_PERSON if account.kind == AccountKind.ENTERPRISE_ADMIN else CardKind.OPERATOR
    )
    if identity.holder.kind != wanted:
        raise UserErrors.one(CardErrorCode.CARD_KIND_MISMATCH, "certificate")
    holder = identity.holder
    if wanted == CardKind.OPERATOR and (holder.holder_id_type, holder.holder_id_number) != (
        account.id_type,
        account.id_number,
    ):
        raise UserErrors.one(CommonErrorCode.IDENTITY_MISMATCH, "certificate")
    card = await _card_record(ctx, identity, enterprise)
    if card.account_id is not None and card.account_id != account.id:
        raise UserErrors.one(CardErrorCode.CARD_ALREADY_BOUND, "certificate")
    replaced = await _bind(ctx, card, account)
    real_name_levels.card_bound(ctx, account)
    await commit(ctx)
    return CardBinding(card, replaced)


async def bind_legal_person_card_if_none(
    ctx: RequestContext, identity: CardIdentity, enterprise: Enterprise, admin: Account
) -> None:
    """SW-18: real-name verification with a legal-person card also binds it to an admin who
    has no card yet (an operator's card verifies but does not bind)."""
    if identity.holder.kind != CardKind.LEGAL_PERSON or await bound_card(ctx, admin.id or 0):
        return
    card = await _card_record(ctx, identity, enterprise)
    if card.account_id is None:
        await _bind(ctx, card, admin)


async def viewer_cards(ctx: RequestContext) -> list[Card]:
    """The cards bound to the viewer; none without a session."""
    account = ctx.viewer.account
    return await cards_of(ctx, account) if account is not None else []


async def visible_cards(ctx: RequestContext, ids: list[int]) -> list[Card | None]:
    """``node(id)``: a card is seen by the accounts acting for its enterprise, by nobody else."""
    enterprise_id = permissions.acting_enterprise_id(ctx.viewer.account)
    rows: list[Card | None] = await ctx.loaders.of(card_loaders.cards).load_many(ids)
    return [
        row
        if row is not None and enterprise_id is not None and row.enterprise_id == enterprise_id
        else None
        for row in rows
    ]


async def cards_of(ctx: RequestContext, account: Account) -> list[Card]:
    statement = select(Card).where(col(Card.account_id) == account.id).order_by(col(Card.id))
    return list((await ctx.db.exec(statement)).all())


async def bound_card(ctx: RequestContext, account_id: int) -> Card | None:
    return (await ctx.db.exec(select(Card).where(col(Card.account_id) == account_id))).first()


async def unbind(ctx: RequestContext, card_id: int) -> Card:
    account = permissions.require_account(ctx)
    card = (await ctx.db.exec(select(Card).where(col(Card.id) == card_id))).first()
    if card is None or card.account_id != account.id:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    card.account_id = None
    card.bound_at = None
    ctx.db.add(card)
    await commit(ctx)
    return card


async def unbind_account(ctx: RequestContext, account: Account) -> None:
    """SW-11: an operator whose name or ID changed no longer matches its card."""
    card = await bound_card(ctx, account.id or 0)
    if card is not None:
        card.account_id = None
        card.bound_at = None
        ctx.db.add(card)
        await ctx.db.flush()


def is_legal_person_session(ctx: RequestContext) -> bool:
    session = ctx.viewer.session
    return session is not None and session.card_kind == CardKind.LEGAL_PERSON


def require_legal_person_card(ctx: RequestContext) -> Account:
    account = permissions.require_account(ctx)
    if not is_legal_person_session(ctx):
        raise Forbidden("LEGAL_PERSON_CARD_REQUIRED", ctx.locale)
    return account


async def permissions_of(ctx: RequestContext, account_id: int) -> set[BusinessPermission]:
    rows = await ctx.db.exec(
        select(OperatorPermission.permission).where(
            col(OperatorPermission.account_id) == account_id
        )
    )
    return {BusinessPermission(p) for p in rows.all()}


async def viewer_permissions(ctx: RequestContext) -> set[BusinessPermission]:
    """TI-2: the legal person may do every business; an operator only what was granted."""
    account = ctx.viewer.account
    if account is None:
        return set()
    if is_legal_person_session(ctx):
        return set(BusinessPermission)
    if account.kind != AccountKind.OPERATOR:
        return set()
    return await permissions_of(ctx, account.id or 0)


async def require_permission(ctx: RequestContext, permission: BusinessPermission) -> Account:
    """Every business resolver (financing, settlement, account opening, insurance) calls this."""
    account = permissions.require_account(ctx)
    if permission not in await viewer_permissions(ctx):
        raise Forbidden(f"PERMISSION_REQUIRED:{permission.value}", ctx.locale)
    return account


async def set_permissions(
    ctx: RequestContext, operator_id: int, permissions: list[BusinessPermission]
) -> Account:
    """TI-2: only a legal-person card session of the operator's enterprise grants or revokes."""
    legal_person = require_legal_person_card(ctx)
    operator = await ctx.loaders.account.load(operator_id)
    if (
        operator is None
        or operator.kind != AccountKind.OPERATOR
        or operator.enterprise_id != legal_person.enterprise_id
    ):
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    card = await bound_card(ctx, legal_person.id or 0)
    assert card is not None
    await ctx.db.exec(
        delete(OperatorPermission).where(col(OperatorPermission.account_id) == operator_id)
    )
    for permission in sorted(set(permissions)):
        ctx.db.add(
            OperatorPermission(
                account_id=operator_id, permission=permission, granted_with_card=card.card_number
            )
        )
    events.account_event(ctx, operator, events.AccountEventKind.PERMISSIONS_CHANGED)
    await commit(ctx)
    return operator
