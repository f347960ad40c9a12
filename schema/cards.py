"""Cards: login, activation, binding, business permissions (SW-7, SW-8, SW-14, LN-1, TI-2)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

import models
from resolvers.cards import actions as cases
from schema.accounts.sessions import AccountPayload
from schema.accounts.types import (
    Account,
    BusinessPermission,
    Operator,
    account_from_model,
    operator_from_model,
)
from schema.base import Info, UserError, guarded, node_pk

CardKind = strawberry.enum(models.CardKind, name="CardKind")
ChallengePurpose = strawberry.enum(models.ChallengePurpose, name="CardChallengePurpose")


@strawberry.type(description="An IC card or IKey bound to an account (SW-14).")
class Card(relay.Node):
    pk: relay.NodeID[int]
    card_number: str
    kind: CardKind  # type: ignore[valid-type]
    holder_name: str
    holder_id_type: str
    not_before: datetime
    not_after: datetime
    bound_at: datetime | None
    fingerprint: str = strawberry.field(description="SHA-256 of the certificate.")

    @classmethod
    def from_model(cls, row: models.Card) -> Card:
        assert row.id is not None
        return cls(
            pk=row.id,
            card_number=row.card_number,
            kind=row.kind,
            holder_name=row.holder_name,
            holder_id_type=row.holder_id_type,
            not_before=row.not_before,
            not_after=row.not_after,
            bound_at=row.bound_at,
            fingerprint=row.fingerprint,
        )


@strawberry.type(description="A nonce for the card to sign; single use, valid two minutes.")
class CardChallenge:
    id: str
    nonce: str
    expires_at: datetime


@strawberry.input(description="What the card agent returned: both base64.")
class CardSignatureInput:
    challenge_id: str
    certificate: str = strawberry.field(description="The card's certificate, DER in base64.")
    signature: str = strawberry.field(
        description="ECDSA signature of the login digest, DER in base64."
    )


@strawberry.type
class CardSessionPayload:
    token: str | None
    account: Account | None
    card: Card | None
    created_usernames: list[str] = strawberry.field(
        description="Accounts this login created (SW-7: <cardno>_ADMIN, <cardno>), inactive until "
        "activated (SW-8)."
    )
    replaced_card_number: str | None = strawberry.field(
        description="Warning: this binding replaced the account's previous card (SW-7)."
    )
    user_errors: list[UserError]


@strawberry.type
class CardPayload:
    card: Card | None
    replaced_card_number: str | None
    user_errors: list[UserError]


@strawberry.input
class AccountActivateInput:
    password: str
    password_confirmation: str


@strawberry.type(description="The session the request came with.")
class ViewerSession:
    method: str
    card_kind: CardKind | None  # type: ignore[valid-type]
    expires_at: datetime

    @strawberry.field(description="What this session may do (TI-2).")
    async def business_permissions(self, info: Info) -> list[BusinessPermission]:  # type: ignore[valid-type]
        return sorted(await cases.viewer_permissions(info.context))


@strawberry.type
class CardQuery:
    @strawberry.field(description="The viewer's session: method, card kind, permissions (LN-1).")
    def viewer_session(self, info: Info) -> ViewerSession | None:
        session = info.context.viewer.session
        if session is None:
            return None
        kind = models.CardKind(session.card_kind) if session.card_kind else None
        return ViewerSession(method=session.method, card_kind=kind, expires_at=session.expires_at)

    @strawberry.field(description="Cards bound to the viewer (SW-14).")
    async def viewer_cards(self, info: Info) -> list[Card]:
        account = info.context.viewer.account
        if account is None:
            return []
        return [Card.from_model(row) for row in await cases.cards_of(info.context, account)]


@strawberry.type
class CardMutation:
    @strawberry.mutation(
        description="A nonce for the card agent to sign (LOGIN, or BIND while logged in)."
    )
    async def card_challenge_create(
        self,
        info: Info,
        purpose: ChallengePurpose = models.ChallengePurpose.LOGIN,  # type: ignore[valid-type]
    ) -> CardChallenge:
        row = await cases.issue_challenge(info.context, models.ChallengePurpose(purpose))
        return CardChallenge(id=row.public_id, nonce=row.nonce, expires_at=row.expires_at)

    @strawberry.mutation(
        description="Log in with a card (SW-7, LN-1): the agent signed the challenge."
    )
    async def session_create_with_card(
        self, info: Info, input: CardSignatureInput
    ) -> CardSessionPayload:
        result, errors = await guarded(
            info,
            lambda: cases.login(
                info.context, input.challenge_id, input.certificate, input.signature
            ),
        )
        if result is None:
            return CardSessionPayload(
                token=None,
                account=None,
                card=None,
                created_usernames=[],
                replaced_card_number=None,
                user_errors=errors,
            )
        return CardSessionPayload(
            token=result.opened.token,
            account=account_from_model(result.opened.account),
            card=Card.from_model(result.card),
            created_usernames=result.created_usernames,
            replaced_card_number=result.replaced_card_number,
            user_errors=[],
        )

    @strawberry.mutation(description="Set the password of an account created by card login (SW-8).")
    async def account_activate(self, info: Info, input: AccountActivateInput) -> AccountPayload:
        account, errors = await guarded(
            info, lambda: cases.activate(info.context, input.password, input.password_confirmation)
        )
        return AccountPayload(
            account=account_from_model(account) if account else None, user_errors=errors
        )

    @strawberry.mutation(description="Bind a card to your account (SW-14); sign a BIND challenge.")
    async def card_bind(self, info: Info, input: CardSignatureInput) -> CardPayload:
        result, errors = await guarded(
            info,
            lambda: cases.bind_to_viewer(
                info.context, input.challenge_id, input.certificate, input.signature
            ),
        )
        if result is None:
            return CardPayload(card=None, replaced_card_number=None, user_errors=errors)
        return CardPayload(
            card=Card.from_model(result.card),
            replaced_card_number=result.replaced_card_number,
            user_errors=[],
        )

    @strawberry.mutation(description="Unbind one of your cards (SW-14).")
    async def card_unbind(self, info: Info, id: relay.GlobalID) -> CardPayload:
        pk = node_pk(info, id, "Card")
        row, errors = await guarded(info, lambda: cases.unbind(info.context, pk))
        return CardPayload(
            card=Card.from_model(row) if row else None,
            replaced_card_number=None,
            user_errors=errors,
        )

    @strawberry.mutation(
        description="Grant or revoke an operator's business permissions (TI-2); only in a "
        "legal-person card session."
    )
    async def operator_permissions_set(
        self,
        info: Info,
        id: relay.GlobalID,
        permissions: list[BusinessPermission],  # type: ignore[valid-type]
    ) -> OperatorPermissionsPayload:
        pk = node_pk(info, id, "Operator")
        wanted = [models.BusinessPermission(p) for p in permissions]
        row, errors = await guarded(info, lambda: cases.set_permissions(info.context, pk, wanted))
        return OperatorPermissionsPayload(
            operator=operator_from_model(row) if row else None, user_errors=errors
        )


@strawberry.type
class OperatorPermissionsPayload:
    operator: Operator | None
    user_errors: list[UserError]
