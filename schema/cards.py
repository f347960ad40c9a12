"""Cards: login, activation, binding, business permissions (SW-7, SW-8, SW-14, LN-1, TI-2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers.cards import actions as cases
from schema.accounts.sessions import AccountPayload
from schema.accounts.types import Account, Operator, account_from_model, operator_from_model
from schema.base import Info, UserError, node_pk, perform

CardKind = strawberry.enum(models.CardKind, name="CardKind")
ChallengePurpose = strawberry.enum(models.ChallengePurpose, name="CardChallengePurpose")


@strawberry.type(description="An IC card or IKey bound to an account (SW-14).")
class Card(relay.Node):
    pk: relay.NodeID[int]
    card_number: str
    kind: models.CardKind
    holder_name: str
    holder_id_type: str
    not_before: datetime
    not_after: datetime
    bound_at: datetime | None
    fingerprint: str = strawberry.field(description="SHA-256 of the certificate.")

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await cases.visible_cards(info.context, [int(i) for i in node_ids])
        return [cls.from_model(row) if row is not None else None for row in rows]

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

    @classmethod
    def build(
        cls,
        *,
        user_errors: list[UserError],
        token: str | None = None,
        account: Account | None = None,
        card: Card | None = None,
        created_usernames: list[str] | None = None,
        replaced_card_number: str | None = None,
    ) -> CardSessionPayload:
        """For ``perform``: a refused login created no account (an empty list, not null)."""
        return cls(
            token=token,
            account=account,
            card=card,
            created_usernames=created_usernames or [],
            replaced_card_number=replaced_card_number,
            user_errors=user_errors,
        )


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
    card_kind: models.CardKind | None
    expires_at: datetime

    @strawberry.field(description="What this session may do (TI-2).")
    async def business_permissions(self, info: Info) -> list[models.BusinessPermission]:
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
        return [Card.from_model(row) for row in await cases.viewer_cards(info.context)]


@strawberry.type
class CardMutation:
    @strawberry.mutation(
        description="A nonce for the card agent to sign (LOGIN, or BIND while logged in)."
    )
    async def card_challenge_create(
        self,
        info: Info,
        purpose: models.ChallengePurpose = models.ChallengePurpose.LOGIN,
    ) -> CardChallenge:
        row = await cases.issue_challenge(info.context, purpose)
        return CardChallenge(id=row.public_id, nonce=row.nonce, expires_at=row.expires_at)

    @strawberry.mutation(
        description="Log in with a card (SW-7, LN-1): the agent signed the challenge."
    )
    async def session_create_with_card(
        self, info: Info, input: CardSignatureInput
    ) -> CardSessionPayload:
        return await perform(
            info,
            CardSessionPayload.build,
            lambda: cases.login(
                info.context, input.challenge_id, input.certificate, input.signature
            ),
            token=lambda login: login.opened.token,
            account=lambda login: account_from_model(login.opened.account),
            card=lambda login: Card.from_model(login.card),
            created_usernames=lambda login: login.created_usernames,
            replaced_card_number=lambda login: login.replaced_card_number,
        )

    @strawberry.mutation(description="Set the password of an account created by card login (SW-8).")
    async def account_activate(self, info: Info, input: AccountActivateInput) -> AccountPayload:
        return await perform(
            info,
            AccountPayload,
            lambda: cases.activate(info.context, input.password, input.password_confirmation),
            account=account_from_model,
        )

    @strawberry.mutation(description="Bind a card to your account (SW-14); sign a BIND challenge.")
    async def card_bind(self, info: Info, input: CardSignatureInput) -> CardPayload:
        return await perform(
            info,
            CardPayload,
            lambda: cases.bind_to_viewer(
                info.context, input.challenge_id, input.certificate, input.signature
            ),
            card=lambda binding: Card.from_model(binding.card),
            replaced_card_number=lambda binding: binding.replaced_card_number,
        )

    @strawberry.mutation(description="Unbind one of your cards (SW-14).")
    async def card_unbind(self, info: Info, id: relay.GlobalID) -> CardPayload:
        pk = node_pk(info, id, "Card")
        return await perform(
            info,
            CardPayload,
            lambda: cases.unbind(info.context, pk),
            card=Card.from_model,
            replaced_card_number=lambda _: None,
        )

    @strawberry.mutation(
        description="Grant or revoke an operator's business permissions (TI-2); only in a "
        "legal-person card session."
    )
    async def operator_permissions_set(
        self,
        info: Info,
        id: relay.GlobalID,
        permissions: list[models.BusinessPermission],
    ) -> OperatorPermissionsPayload:
        pk = node_pk(info, id, "Operator")
        wanted = list(permissions)
        return await perform(
            info,
            OperatorPermissionsPayload,
            lambda: cases.set_permissions(info.context, pk, wanted),
            operator=operator_from_model,
        )


@strawberry.type
class OperatorPermissionsPayload:
    operator: Operator | None
    user_errors: list[UserError]
