"""企业认证 (HN-3, HN-5): the form, its documents, the legal representative's face verification
on mobile, and the platform's review."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

import models
from resolvers.core.uploads import UploadedFile
from resolvers.marketplace import certification as cases
from resolvers.marketplace import loaders as marketplace_loaders
from schema.base import Connection, Info, UserError, node_pk, perform, read_upload, to_domain

CertificationStatus = strawberry.enum(models.CertificationStatus, name="CertificationStatus")
CertificationDocumentKind = strawberry.enum(
    models.CertificationDocumentKind, name="CertificationDocumentKind"
)


@strawberry.type(description="An uploaded certification document.")
class CertificationDocument:
    kind: models.CertificationDocumentKind
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


@strawberry.type(description="企业认证 (HN-3): the form, its documents and the review.")
class Certification(relay.Node):
    pk: relay.NodeID[int]
    status: models.CertificationStatus
    legal_rep_name: str | None
    legal_rep_id_number: str | None
    legal_rep_phone: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_title: str | None
    contact_email: str | None
    registration_status: str | None
    region_code: str | None
    address: str | None
    enterprise_type: str | None
    established_on: date | None
    registered_capital: str | None
    authority: str | None
    industry: str | None
    business_scope: str | None
    reason: str | None = strawberry.field(description="Why it was rejected.")
    face_verified_at: datetime | None = strawberry.field(
        description="When the legal representative passed face verification (mobile, HN-5)."
    )
    face_failure: str | None = strawberry.field(description="Why the last attempt failed.")
    submitted_at: datetime | None
    decided_at: datetime | None
    enterprise_id: strawberry.Private[int]

    @strawberry.field
    async def enterprise_name(self, info: Info) -> str:
        return (await info.context.loaders.enterprise.load(self.enterprise_id)).name

    @strawberry.field
    async def documents(self, info: Info) -> list[CertificationDocument]:
        documents = info.context.loaders.of(marketplace_loaders.certification_documents)
        return [
            CertificationDocument(
                kind=d.kind,
                file_name=d.file_name,
                content_type=d.content_type,
                size=d.size,
                uploaded_at=d.uploaded_at,
            )
            for d in await documents.load(self.pk)
        ]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await cases.visible(info.context, [int(i) for i in node_ids])
        return [cls.from_model(row) if row is not None else None for row in rows]

    @classmethod
    def from_model(cls, row: models.Certification) -> Certification:
        assert row.id is not None
        return cls(
            pk=row.id,
            status=row.status,
            legal_rep_name=row.legal_rep_name,
            legal_rep_id_number=row.legal_rep_id_number,
            legal_rep_phone=row.legal_rep_phone,
            contact_name=row.contact_name,
            contact_phone=row.contact_phone,
            contact_title=row.contact_title,
            contact_email=row.contact_email,
            registration_status=row.registration_status,
            region_code=row.region_code,
            address=row.address,
            enterprise_type=row.enterprise_type,
            established_on=row.established_on,
            registered_capital=row.registered_capital,
            authority=row.authority,
            industry=row.industry,
            business_scope=row.business_scope,
            reason=row.reason,
            face_verified_at=row.face_verified_at,
            face_failure=row.face_failure,
            submitted_at=row.submitted_at,
            decided_at=row.decided_at,
            enterprise_id=row.enterprise_id,
        )


@strawberry.input(description="The form's fields; those left out stay as they are.")
class CertificationInput:
    legal_rep_name: str | None = None
    legal_rep_id_number: str | None = None
    legal_rep_phone: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_title: str | None = None
    contact_email: str | None = None
    address: str | None = None
    industry: str | None = None
    business_scope: str | None = None
    established_on: date | None = None
    registered_capital: str | None = None


@strawberry.type
class CertificationPayload:
    certification: Certification | None
    user_errors: list[UserError]


@strawberry.type
class FaceVerificationPayload:
    certification: Certification | None
    url: str | None = strawberry.field(
        description="Open in the eID (E证通) mini-program; the result arrives by itself."
    )
    user_errors: list[UserError]


async def _file(info: Info, upload: Upload, kind: models.CertificationDocumentKind) -> UploadedFile:
    """The document as uploaded (a string or number instead is bad input)."""
    name, content = await read_upload(info, upload)
    return UploadedFile(kind, name, content)


@strawberry.type
class CertificationQuery:
    @strawberry.field(description="The viewer's certification (enterprise users).")
    async def viewer_certification(self, info: Info) -> Certification | None:
        row = await cases.current(info.context)
        return Certification.from_model(row) if row else None

    @strawberry.field(description="企业授权书 template as a PDF data: URL (HN-3).")
    async def certification_letter_template(self, info: Info) -> str:
        pdf = await cases.viewer_letter(info.context)
        return "data:application/pdf;base64," + base64.b64encode(pdf).decode()

    @strawberry.field(description="Reviewers: certifications to decide, oldest first.")
    async def certification_reviews(
        self,
        info: Info,
        status: models.CertificationStatus | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Certification]:
        page = await cases.queue(info.context, status, first, after)
        return Connection.from_page(page, Certification.from_model)


@strawberry.type
class FaceVerificationMutation:
    @strawberry.mutation(
        description="快速人脸认证: the legal representative named in the form verifies in "
        "person with eID; required before a mobile certification is submitted (HN-5)."
    )
    async def certification_face_verification_start(self, info: Info) -> FaceVerificationPayload:
        return await perform(
            info,
            FaceVerificationPayload,
            lambda: cases.start_face_verification(info.context),
            certification=lambda started: Certification.from_model(started.certification),
            url=lambda started: started.url,
        )


@strawberry.type
class CertificationMutation:
    @strawberry.mutation(description="Fill or change the certification form (HN-3).")
    async def certification_save(
        self, info: Info, input: CertificationInput
    ) -> CertificationPayload:
        data = to_domain(cases.CertificationInput, input)
        return await perform(
            info,
            CertificationPayload,
            lambda: cases.save(info.context, data),
            certification=Certification.from_model,
        )

    @strawberry.mutation(
        description="Upload or replace the licence or the authorisation letter "
        "(jpg/jpeg/png/bmp/pdf, at most 10 MB)."
    )
    async def certification_document_upload(
        self, info: Info, kind: models.CertificationDocumentKind, file: Upload
    ) -> CertificationPayload:
        uploaded = await _file(info, file, kind)
        return await perform(
            info,
            CertificationPayload,
            lambda: cases.upload(info.context, kind, uploaded),
            certification=Certification.from_model,
        )

    @strawberry.mutation(description="Remove an uploaded document before submitting.")
    async def certification_document_delete(
        self, info: Info, kind: models.CertificationDocumentKind
    ) -> CertificationPayload:
        return await perform(
            info,
            CertificationPayload,
            lambda: cases.remove(info.context, kind),
            certification=Certification.from_model,
        )

    @strawberry.mutation(description="Submit for review (HN-3).")
    async def certification_submit(self, info: Info) -> CertificationPayload:
        return await perform(
            info,
            CertificationPayload,
            lambda: cases.submit(info.context),
            certification=Certification.from_model,
        )

    @strawberry.mutation(description="Reviewers: certify the enterprise (HN-3).")
    async def certification_approve(self, info: Info, id: relay.GlobalID) -> CertificationPayload:
        pk = node_pk(info, id, "Certification")
        return await perform(
            info,
            CertificationPayload,
            lambda: cases.approve(info.context, pk),
            certification=Certification.from_model,
        )

    @strawberry.mutation(description="Reviewers: reject with the reason the user reads (HN-3).")
    async def certification_reject(
        self, info: Info, id: relay.GlobalID, reason: str
    ) -> CertificationPayload:
        pk = node_pk(info, id, "Certification")
        return await perform(
            info,
            CertificationPayload,
            lambda: cases.reject(info.context, pk, reason),
            certification=Certification.from_model,
        )
