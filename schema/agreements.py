"""Three-party agreements (LN-2, LN-3, LN-4, TI-3, GW-2)."""

from __future__ import annotations

import base64
from collections.abc import AsyncGenerator, Callable, Iterable
from datetime import datetime
from typing import Annotated, Any, Protocol

import strawberry
from strawberry import relay

import models
from resolvers.agreements import actions as cases
from resolvers.agreements import loaders as agreement_loaders
from resolvers.agreements import signing
from resolvers.core import scopes
from schema.accounts.types import Enterprise, load_enterprise
from schema.base import Connection, Info, UserError, node_pk, perform, scoped_nodes
from schema.marketplace.reference import Institution

AgreementFunction = strawberry.enum(models.AgreementFunction, name="AgreementFunction")
AgreementStatus = strawberry.enum(models.AgreementStatus, name="AgreementStatus")


@strawberry.type(description="A status the agreement went through, with the bank's reason.")
class AgreementHistoryEntry:
    status: models.AgreementStatus
    reason: str | None
    at: datetime


@strawberry.type(description="The signed PDF: valid PAdES signatures, immutable (LN-3).")
class SignedDocument:
    sha256: str
    signed_at: datetime
    signer_card_number: str
    pdf: strawberry.Private[bytes]

    @strawberry.field(description="The PDF as a data: URL, for preview and download.")
    def data_url(self) -> str:
        return _pdf_data_url(self.pdf)


def _pdf_data_url(pdf: bytes) -> str:
    return "data:application/pdf;base64," + base64.b64encode(pdf).decode()


async def signed_document(
    info: Info, pk: int | None, *, counter_signed: bool = False
) -> SignedDocument | None:
    """A signed document through the batched loader; ``counter_signed`` shows the version the
    bank counter-signed, when there is one (agreements)."""
    row = await info.context.loaders.signed_document.load(pk) if pk is not None else None
    if row is None:
        return None
    sha256, pdf = cases.shown_revision(row) if counter_signed else (row.sha256, row.pdf)
    return SignedDocument(
        sha256=sha256,
        signed_at=row.signed_at,
        signer_card_number=row.signer_card_number,
        pdf=pdf,
    )


@strawberry.type(description="A three-party agreement: enterprise, bank, data center (LN-2).")
class Agreement(relay.Node):
    pk: relay.NodeID[int]
    number: str
    functions: list[models.AgreementFunction]
    status: models.AgreementStatus
    bank_reason: str | None
    submitted_at: datetime = strawberry.field(description="Application time (申请时间).")
    decided_at: datetime | None = strawberry.field(
        description="Signing date (签约日期) once decided."
    )
    institution_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int]
    document_pk: strawberry.Private[int]

    @strawberry.field(description="The applicant; a bank portal sees its details (GW-4).")
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_pk)

    @strawberry.field
    async def bank(self, info: Info) -> Institution:
        row = await info.context.loaders.institution.load(self.institution_pk)
        return Institution.from_model(row)

    @strawberry.field(description="Every status with its time and reason.")
    async def history(self, info: Info) -> list[AgreementHistoryEntry]:
        rows = await info.context.loaders.of(agreement_loaders.history).load(self.pk)
        return [AgreementHistoryEntry(status=r.status, reason=r.reason, at=r.at) for r in rows]

    @strawberry.field(description="The signed agreement (LN-3): the enterprise only.")
    async def document(self, info: Info) -> SignedDocument | None:
        return await signed_document(info, self.document_pk, counter_signed=True)

    @strawberry.field(description="Only SIGNED agreements can be terminated (LN-4).")
    def viewer_can_terminate(self) -> bool:
        return cases.can_terminate(self.status)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        """Visible to its enterprise and to its bank's portal users, to nobody else."""
        return await scoped_nodes(cls, models.Agreement, info, node_ids)

    @classmethod
    def from_model(cls, row: models.Agreement) -> Agreement:
        assert row.id is not None
        return cls(
            pk=row.id,
            number=row.number,
            functions=[models.AgreementFunction(f) for f in row.functions],
            status=row.status,
            bank_reason=row.bank_reason,
            submitted_at=row.submitted_at,
            decided_at=row.decided_at,
            institution_pk=row.institution_id,
            enterprise_pk=row.enterprise_id,
            document_pk=row.document_id,
        )


@strawberry.input
class AgreementSignPrepareInput:
    bank_id: relay.GlobalID
    functions: list[models.AgreementFunction]
    seal_id: relay.GlobalID = strawberry.field(description="An ENABLED seal held by the signer.")
    certificate: str = strawberry.field(
        description="The card's signing certificate (slot 9C), DER base64."
    )
    accept_terms: bool = strawberry.field(description="我确认协议条款")


@strawberry.type
class AgreementSignPreparePayload:
    signing_session_id: str | None
    digest_to_sign: str | None = strawberry.field(description="Hex SHA-256 for the card (slot 9C).")
    preview_data_url: str | None = strawberry.field(
        description="The agreement with the seal, to review."
    )
    user_errors: list[UserError]


class PreparedDocument(Protocol):
    """What step one of any card signing returns (resolvers' PreparedAgreement, PreparedLoan)."""

    @property
    def session(self) -> models.SigningSession: ...

    @property
    def preview_pdf(self) -> bytes: ...


# The converters of a step-one payload's fields (``perform(..., **SIGNING_STEP_ONE)``): the
# session to complete, what the card signs and the document to review.
SIGNING_STEP_ONE: dict[str, Callable[[PreparedDocument], str]] = {
    "signing_session_id": lambda prepared: prepared.session.public_id,
    "digest_to_sign": lambda prepared: signing.digest_to_sign(prepared.session).hex(),
    "preview_data_url": lambda prepared: _pdf_data_url(prepared.preview_pdf),
}


@strawberry.input
class AgreementSignCompleteInput:
    signing_session_id: str
    signature: str = strawberry.field(
        description="The card's ECDSA signature of the digest, DER base64."
    )


@strawberry.type
class AgreementPayload:
    agreement: Agreement | None
    user_errors: list[UserError]


@strawberry.input
class AgreementFilter:
    bank_id: relay.GlobalID | None = None
    status: models.AgreementStatus | None = None


@strawberry.type
class AgreementQuery:
    @strawberry.field(description="The enterprise's agreements, newest first (LN-2).")
    async def agreements(
        self,
        info: Info,
        filter: AgreementFilter | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Agreement]:
        wanted = filter or AgreementFilter()
        page = await cases.search(
            info.context,
            cases.AgreementFilter(
                bank_id=node_pk(info, wanted.bank_id, "Institution") if wanted.bank_id else None,
                status=wanted.status,
            ),
            first,
            after,
        )
        return Connection.from_page(page, Agreement.from_model)


@strawberry.type
class AgreementMutation:
    @strawberry.mutation(description="Step one of signing (LN-2): legal-person card session only.")
    async def agreement_sign_prepare(
        self, info: Info, input: AgreementSignPrepareInput
    ) -> AgreementSignPreparePayload:
        draft = cases.AgreementDraft(
            bank_id=node_pk(info, input.bank_id, "Institution"),
            functions=list(input.functions),
            seal_id=node_pk(info, input.seal_id, "Seal"),
            certificate=input.certificate,
            accept_terms=input.accept_terms,
        )
        return await perform(
            info,
            AgreementSignPreparePayload,
            lambda: cases.prepare(info.context, draft),
            **SIGNING_STEP_ONE,
        )

    @strawberry.mutation(
        description="Step two (LN-2): the card's signature; the agreement goes to the bank."
    )
    async def agreement_sign_complete(
        self, info: Info, input: AgreementSignCompleteInput
    ) -> AgreementPayload:
        return await perform(
            info,
            AgreementPayload,
            lambda: cases.complete(info.context, input.signing_session_id, input.signature),
            agreement=Agreement.from_model,
        )

    @strawberry.mutation(description="Ask the bank to terminate a SIGNED agreement (LN-4).")
    async def agreement_terminate(
        self, info: Info, id: relay.GlobalID, confirm: bool
    ) -> AgreementPayload:
        pk = node_pk(info, id, "Agreement")
        return await perform(
            info,
            AgreementPayload,
            lambda: cases.terminate(info.context, pk, confirm),
            agreement=Agreement.from_model,
        )


@strawberry.type
class AgreementSubscription:
    @strawberry.subscription(
        description="Status changes of the viewer's enterprise's agreements (GW-2)."
    )
    async def agreement_status_changed(self, info: Info) -> AsyncGenerator[Agreement, None]:
        async for row in scopes.watch(info.context, "agreements", models.Agreement, "agreementId"):
            yield Agreement.from_model(row)
