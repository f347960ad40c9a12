"""Credit-check authorisations (企业征信授权书, TI-4): signed with the card in two steps, answered
by the insurer, watched by the enterprise and the insurer."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers.core import scopes
from resolvers.insurance import access, states
from resolvers.insurance import credit_authorisations as cases
from schema.accounts.types import Enterprise, load_enterprise
from schema.agreements import SIGNING_STEP_ONE, SignedDocument, signed_document
from schema.base import Connection, Info, UserError, node_pk, perform
from schema.insurance.reference import PageSize, insurance_nodes, insurer_pk, load_insurer
from schema.marketplace.reference import Institution

CreditAuthorisationStatus = strawberry.enum(
    models.CreditAuthorisationStatus,
    name="CreditAuthorisationStatus",
    description="SUCCEEDED: 成功, valid for a year from signing; EXPIRED: the year is over.",
)


def _authorisation_status(
    root: CreditAuthorisation, info: Info
) -> models.CreditAuthorisationStatus:
    return states.authorisation_status(root.row, info.context.clock.today())


@strawberry.type(
    description="企业征信授权书: lets an insurer check the enterprise's credit (TI-4)."
)
class CreditAuthorisation(relay.Node):
    pk: relay.NodeID[int]
    number: str = strawberry.field(description="企业征信编号")
    status: models.CreditAuthorisationStatus = strawberry.field(
        resolver=_authorisation_status,
        description="As of now: a SUCCEEDED letter past its year is EXPIRED.",
    )
    insurer_reason: str | None
    signed_at: datetime = strawberry.field(description="签署时间")
    decided_at: datetime | None
    valid_from: date = strawberry.field(description="有效期一年: from the signing date.")
    valid_to: date = strawberry.field(description="The last valid day (China Standard Time).")
    institution_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int]
    document_pk: strawberry.Private[int]
    row: strawberry.Private[models.CreditAuthorisation]

    @strawberry.field
    async def insurer(self, info: Info) -> Institution:
        return await load_insurer(info, self.institution_pk)

    @strawberry.field
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_pk)

    @strawberry.field(description="The signed e-authorisation (电子授权书), to preview.")
    async def document(self, info: Info) -> SignedDocument | None:
        return await signed_document(info, self.document_pk)

    @classmethod
    def from_model(cls, row: models.CreditAuthorisation) -> CreditAuthorisation:
        assert row.id is not None
        return cls(
            pk=row.id,
            number=row.number,
            insurer_reason=row.insurer_reason,
            signed_at=row.submitted_at,
            decided_at=row.decided_at,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            institution_pk=row.institution_id,
            enterprise_pk=row.enterprise_id,
            document_pk=row.document_id,
            row=row,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await insurance_nodes(cls, models.CreditAuthorisation, info, node_ids)


@strawberry.input
class CreditAuthorisationSignPrepareInput:
    insurer_id: relay.GlobalID
    seal_id: relay.GlobalID = strawberry.field(description="An ENABLED seal held by the signer.")
    certificate: str = strawberry.field(description="The card's signing certificate, DER base64.")


@strawberry.type
class CreditAuthorisationSignPreparePayload:
    signing_session_id: str | None
    digest_to_sign: str | None
    preview_data_url: str | None = strawberry.field(description="The letter with the seal.")
    user_errors: list[UserError]


@strawberry.input
class SigningCompleteInput:
    signing_session_id: str
    signature: str = strawberry.field(description="The card's ECDSA signature, DER base64.")


@strawberry.type
class CreditAuthorisationPayload:
    credit_authorisation: CreditAuthorisation | None
    user_errors: list[UserError]


@strawberry.input
class CreditAuthorisationFilter:
    insurer_id: relay.GlobalID | None = None
    status: models.CreditAuthorisationStatus | None = None
    signed_from: datetime | None = None
    signed_to: datetime | None = None


@strawberry.type
class CreditAuthorisationQuery:
    @strawberry.field(description="企业征信信息: credit-check authorisations, newest first.")
    async def credit_authorisations(
        self,
        info: Info,
        filter: CreditAuthorisationFilter | None = None,
        first: PageSize = 20,
        after: str | None = None,
    ) -> Connection[CreditAuthorisation]:
        wanted = filter or CreditAuthorisationFilter()
        page = await cases.search(
            info.context,
            cases.AuthorisationFilter(
                insurer_id=insurer_pk(info, wanted.insurer_id),
                status=wanted.status,
                signed_from=wanted.signed_from,
                signed_to=wanted.signed_to,
            ),
            first,
            after,
        )
        return Connection.from_page(page, CreditAuthorisation.from_model)


@strawberry.type
class CreditAuthorisationMutation:
    @strawberry.mutation(description="Step one of signing a credit-check authorisation (TI-4).")
    async def credit_authorisation_sign_prepare(
        self, info: Info, input: CreditAuthorisationSignPrepareInput
    ) -> CreditAuthorisationSignPreparePayload:
        draft = cases.AuthorisationDraft(
            insurer_id=node_pk(info, input.insurer_id, "Institution"),
            seal_id=node_pk(info, input.seal_id, "Seal"),
            certificate=input.certificate,
        )
        return await perform(
            info,
            CreditAuthorisationSignPreparePayload,
            lambda: cases.prepare(info.context, draft),
            **SIGNING_STEP_ONE,
        )

    @strawberry.mutation(description="Step two (TI-4): the signed letter goes to the insurer.")
    async def credit_authorisation_sign_complete(
        self, info: Info, input: SigningCompleteInput
    ) -> CreditAuthorisationPayload:
        return await perform(
            info,
            CreditAuthorisationPayload,
            lambda: cases.complete(info.context, input.signing_session_id, input.signature),
            credit_authorisation=CreditAuthorisation.from_model,
        )


@strawberry.type
class CreditAuthorisationSubscription:
    @strawberry.subscription(
        description="Credit-check authorisations as insurers answer (enterprise or insurer)."
    )
    async def credit_authorisation_status_changed(
        self, info: Info
    ) -> AsyncGenerator[CreditAuthorisation, None]:
        await access.require_reader(info.context)
        async for row in scopes.watch(info.context, cases.KIND, models.CreditAuthorisation, "id"):
            yield CreditAuthorisation.from_model(row)
