"""Manual review (人工资料审核, SW-9, SW-10): the applicant's submission with its images, and the
platform reviewers' queue and decisions."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

import models
from resolvers.core.uploads import UploadedFile
from resolvers.recovery import loaders as recovery_loaders
from resolvers.recovery import manual_reviews as review_cases
from schema.base import Connection, Info, UserError, node_pk, perform, read_upload
from schema.identity import IdentityInput, identity

ReviewStatus = strawberry.enum(models.ReviewStatus, name="ReviewStatus")
UploadKind = strawberry.enum(models.UploadKind, name="UploadKind")


@strawberry.input(description="人工资料审核: the forms; images travel as uploads beside it.")
class ManualReviewSubmitInput:
    purpose: models.RecoveryPurpose
    account_kind: models.AccountKind
    contact_mobile: str = strawberry.field(
        description="Any mobile the applicant holds; the result is sent there by SMS."
    )
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY.")
    applicant: IdentityInput
    enterprise_name: str | None = None
    org_code: str | None = None
    legal_rep: IdentityInput | None = None
    username: str | None = strawberry.field(default=None, description="PASSWORD only.")
    password: str | None = strawberry.field(
        default=None, description="PASSWORD only: the new password, set if approved."
    )
    password_confirmation: str | None = None


@strawberry.type(description="An image of a manual review (reviewers only).")
class ReviewUpload:
    kind: models.UploadKind
    file_name: str
    content_type: str
    size: int
    sha256: str
    row: strawberry.Private[models.ReviewUpload]

    @strawberry.field(description="The image as a data: URL.")
    def data_url(self) -> str:
        return f"data:{self.content_type};base64," + base64.b64encode(self.row.content).decode()


@strawberry.type(description="An account the form describes, for the reviewer to choose.")
class ReviewCandidate:
    username: str
    name: str
    kind: models.AccountKind


@strawberry.type(description="A manual review (人工资料审核) in the reviewers' queue.")
class ManualReview(relay.Node):
    pk: relay.NodeID[int]
    purpose: models.RecoveryPurpose
    account_kind: models.AccountKind
    status: models.ReviewStatus
    contact_mobile: str
    form: strawberry.scalars.JSON = strawberry.field(
        description="Enterprise, legal representative and applicant as submitted."
    )
    reason: str | None
    created_at: datetime
    decided_at: datetime | None
    row: strawberry.Private[models.ManualReview]

    @strawberry.field
    async def uploads(self, info: Info) -> list[ReviewUpload]:
        rows = await info.context.loaders.of(recovery_loaders.review_uploads).load(self.pk)
        return [
            ReviewUpload(
                kind=r.kind,
                file_name=r.file_name,
                content_type=r.content_type,
                size=r.size,
                sha256=r.sha256,
                row=r,
            )
            for r in rows
        ]

    @strawberry.field(description="Accounts matching the form; approve names one of them.")
    async def candidates(self, info: Info) -> list[ReviewCandidate]:
        return [
            ReviewCandidate(username=a.username, name=a.name, kind=a.kind)
            for a in await info.context.loaders.of(recovery_loaders.ReviewCandidates).load(self.pk)
        ]

    @strawberry.field
    async def reviewer_username(self, info: Info) -> str | None:
        if self.row.reviewer_id is None:
            return None
        return (await info.context.loaders.account.load(self.row.reviewer_id)).username

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await review_cases.by_ids(info.context, [int(i) for i in node_ids])
        return [cls.from_model(r) if r is not None else None for r in rows]

    @classmethod
    def from_model(cls, row: models.ManualReview) -> ManualReview:
        assert row.id is not None
        return cls(
            pk=row.id,
            purpose=row.purpose,
            account_kind=models.AccountKind(row.account_kind),
            status=row.status,
            contact_mobile=row.contact_mobile,
            form=row.form,  # type: ignore[arg-type]
            reason=row.reason,
            created_at=row.created_at,
            decided_at=row.decided_at,
            row=row,
        )


@strawberry.type
class ManualReviewPayload:
    review: ManualReview | None
    user_errors: list[UserError]


@strawberry.type(description="What a submitted manual review shows the applicant.")
class ManualReviewSubmitPayload:
    submitted: bool
    status: models.ReviewStatus | None
    user_errors: list[UserError]

    @classmethod
    def build(
        cls, *, user_errors: list[UserError], status: models.ReviewStatus | None = None
    ) -> ManualReviewSubmitPayload:
        """For ``perform``: submitted unless refused."""
        return cls(submitted=not user_errors, status=status, user_errors=user_errors)


@strawberry.input
class ManualReviewApproveInput:
    id: relay.GlobalID
    username: str | None = strawberry.field(
        default=None, description="The candidate account; needed when several match."
    )


@strawberry.input
class ManualReviewRejectInput:
    id: relay.GlobalID
    reason: str


async def _file(info: Info, kind: models.UploadKind, upload: Upload | None) -> list[UploadedFile]:
    if upload is None:
        return []
    name, content = await read_upload(info, upload)
    return [UploadedFile(kind, name, content)]


@strawberry.type
class ManualReviewQuery:
    @strawberry.field(description="Reviewers: the manual-review queue, oldest first.")
    async def manual_reviews(
        self,
        info: Info,
        status: models.ReviewStatus | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[ManualReview]:
        page = await review_cases.search(info.context, status, first, after)
        return Connection.from_page(page, ManualReview.from_model)


@strawberry.type
class ManualReviewMutation:
    @strawberry.mutation(
        description="人工资料审核: forms and images (jpg/jpeg/png/bmp, at most 4 MB each); "
        "the result arrives by SMS after a reviewer decides."
    )
    async def manual_review_submit(
        self,
        info: Info,
        input: ManualReviewSubmitInput,
        identity_image: Upload,
        identity_image_back: Upload | None = None,
        licence_image: Upload | None = None,
    ) -> ManualReviewSubmitPayload:
        uploads = [
            *await _file(info, models.UploadKind.ID_FRONT, identity_image),
            *await _file(info, models.UploadKind.ID_BACK, identity_image_back),
            *await _file(info, models.UploadKind.BUSINESS_LICENCE, licence_image),
        ]
        data = review_cases.SubmitInput(
            purpose=input.purpose,
            account_kind=input.account_kind,
            contact_mobile=input.contact_mobile,
            sms_code=input.sms_code,
            applicant=identity(input.applicant),
            enterprise_name=input.enterprise_name,
            org_code=input.org_code,
            legal_rep=identity(input.legal_rep),
            username=input.username,
            password=input.password,
            password_confirmation=input.password_confirmation,
        )
        return await perform(
            info,
            ManualReviewSubmitPayload.build,
            lambda: review_cases.submit(info.context, data, uploads),
            status=lambda row: row.status,
        )

    @strawberry.mutation(description="Reviewers: approve; the user learns the outcome by SMS.")
    async def manual_review_approve(
        self, info: Info, input: ManualReviewApproveInput
    ) -> ManualReviewPayload:
        review_id = node_pk(info, input.id, "ManualReview")
        return await perform(
            info,
            ManualReviewPayload,
            lambda: review_cases.approve(info.context, review_id, input.username),
            review=ManualReview.from_model,
        )

    @strawberry.mutation(description="Reviewers: reject with a reason, sent to the user by SMS.")
    async def manual_review_reject(
        self, info: Info, input: ManualReviewRejectInput
    ) -> ManualReviewPayload:
        review_id = node_pk(info, input.id, "ManualReview")
        return await perform(
            info,
            ManualReviewPayload,
            lambda: review_cases.reject(info.context, review_id, input.reason),
            review=ManualReview.from_model,
        )
