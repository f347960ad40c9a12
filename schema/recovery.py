"""Username recovery, password reset and their manual reviews (SW-9, SW-10)."""

from __future__ import annotations

import base64
from collections.abc import AsyncGenerator, Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

import models
from resolvers.core.uploads import UploadedFile
from resolvers.real_name import actions as real_name_cases
from resolvers.recovery import loaders as recovery_loaders
from resolvers.recovery import manual_reviews as review_cases
from resolvers.recovery import password_reset as reset_cases
from resolvers.recovery import tickets as recovery_cases
from resolvers.recovery import username_recovery as username_cases
from schema.accounts.security import CodeChannel
from schema.accounts.types import AccountKind
from schema.base import Connection, Info, UserError, guarded, node_pk, to_domain
from schema.identity import BankCardInput, IdentityInput, bank_card, identity
from schema.real_name import BankKeyBank

RecoveryPurpose = strawberry.enum(models.RecoveryPurpose, name="RecoveryPurpose")
RecoveryStatus = strawberry.enum(
    models.RecoveryStatus,
    name="RecoveryStatus",
    description="OPEN: checks under way; PENDING: a bank or the e-licence service is asked; "
    "VERIFIED: usernames shown, or a new password may be set; COMPLETED; FAILED.",
)
RecoveryFactor = strawberry.enum(recovery_cases.RecoveryFactor, name="RecoveryFactor")
UsernameRecoveryMethod = strawberry.enum(
    username_cases.UsernameRecoveryMethod, name="UsernameRecoveryMethod"
)
RecoveryCheck = strawberry.enum(
    username_cases.RecoveryCheck,
    name="RecoveryCheck",
    description="SELF: whoever fills the form; it counts if that is the legal representative "
    "or the admin.",
)
PasswordResetMethod = strawberry.enum(reset_cases.PasswordResetMethod, name="PasswordResetMethod")
ReviewStatus = strawberry.enum(models.ReviewStatus, name="ReviewStatus")
UploadKind = strawberry.enum(models.UploadKind, name="UploadKind")


@strawberry.type(description="A recovery method and whether the account holds its data.")
class PasswordResetMethodOption:
    method: PasswordResetMethod  # type: ignore[valid-type]
    available: bool
    unavailable_reason: str | None = strawberry.field(
        description="身份信息不完整 (IDENTITY_INCOMPLETE) or why the method does not apply."
    )


@strawberry.type(description="One username recovery or password reset in progress.")
class AccountRecovery:
    id: str = strawberry.field(description="The recovery's handle for the next steps.")
    purpose: RecoveryPurpose  # type: ignore[valid-type]
    account_kind: AccountKind  # type: ignore[valid-type]
    status: RecoveryStatus  # type: ignore[valid-type]
    factors_passed: list[RecoveryFactor]  # type: ignore[valid-type]
    failure_reason: str | None
    expires_at: datetime
    row: strawberry.Private[models.RecoveryTicket]

    @strawberry.field(description="Admin account-info check: the mobile is the bound one.")
    def mobile_is_bound(self) -> bool | None:
        if self.row.method != username_cases.UsernameRecoveryMethod.ACCOUNT_INFO:
            return None
        return recovery_cases.RecoveryFactor.BOUND_MOBILE in self.row.factors

    @strawberry.field(
        description="Admin account-info check: how many more of the four checks must pass."
    )
    def checks_needed(self) -> int | None:
        if self.row.method != username_cases.UsernameRecoveryMethod.ACCOUNT_INFO:
            return None
        passed = recovery_cases.ADMIN_FACTORS & set(self.row.factors)
        return max(0, 2 - len(passed))

    @strawberry.field(
        description="The two operators whose mobiles the check asks for, masked (**某)."
    )
    async def operators_for_check(self, info: Info) -> list[str]:
        if (
            self.row.method != username_cases.UsernameRecoveryMethod.ACCOUNT_INFO
            or self.row.enterprise_id is None
        ):
            return []
        operators = await username_cases.operators_for_check(info.context, self.row.enterprise_id)
        return [recovery_cases.mask_name(o.name) for o in operators]

    @strawberry.field(description="Shown once the recovery is VERIFIED (username recovery).")
    async def usernames(self, info: Info) -> list[str]:
        return await recovery_cases.usernames_of(info.context, self.row)

    @strawberry.field(description="Password reset: the methods of this account kind.")
    async def methods(self, info: Info) -> list[PasswordResetMethodOption]:
        if self.row.purpose != models.RecoveryPurpose.PASSWORD:
            return []
        return [
            PasswordResetMethodOption(
                method=o.method,
                available=o.available,
                unavailable_reason=o.unavailable_reason.value if o.unavailable_reason else None,
            )
            for o in await reset_cases.methods_of(info.context, self.row)
        ]

    @strawberry.field(description="Password reset: the bound mobile, masked (138****0001).")
    async def masked_mobile(self, info: Info) -> str | None:
        return recovery_cases.mask_mobile(await self._account_field(info, "mobile"))

    @strawberry.field(description="Password reset: the bound email, masked (lo*****ng@126.com).")
    async def masked_email(self, info: Info) -> str | None:
        return recovery_cases.mask_email(await self._account_field(info, "email"))

    async def _account_field(self, info: Info, name: str) -> str | None:
        if self.row.purpose != models.RecoveryPurpose.PASSWORD or self.row.account_id is None:
            return None
        account = await info.context.loaders.account.load(self.row.account_id)
        return getattr(account, name)

    @classmethod
    def from_model(cls, row: models.RecoveryTicket) -> AccountRecovery:
        return cls(
            id=row.public_id,
            purpose=row.purpose,
            account_kind=models.AccountKind(row.account_kind),
            status=row.status,
            factors_passed=[recovery_cases.RecoveryFactor(f) for f in row.factors],
            failure_reason=row.failure_reason,
            expires_at=row.expires_at,
            row=row,
        )


@strawberry.type
class AccountRecoveryPayload:
    recovery: AccountRecovery | None
    user_errors: list[UserError]
    manual_review_available: bool = strawberry.field(
        default=False,
        description="The legal-representative check failed: the details may be submitted "
        "for manual review (manualReviewSubmit).",
    )

    @classmethod
    def build(
        cls, row: models.RecoveryTicket | None, errors: list[UserError]
    ) -> AccountRecoveryPayload:
        return cls(
            recovery=AccountRecovery.from_model(row) if row is not None else None,
            user_errors=errors,
            manual_review_available=any(e.code == "LEGAL_REP_MISMATCH" for e in errors),
        )


@strawberry.input(description="Step one of a username recovery (SW-9).")
class UsernameRecoveryStartInput:
    account_kind: AccountKind  # type: ignore[valid-type]
    mobile: str = strawberry.field(
        description="Admin: the bound mobile or another; operator / individual: the bound one."
    )
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY to mobile.")
    enterprise_name: str | None = strawberry.field(
        default=None, description="Admins and operators."
    )
    org_code: str | None = strawberry.field(
        default=None, description="9-character organisation code ('-' optional) or the USCC."
    )


@strawberry.input
class OperatorMobileInput:
    mobile: str
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY to mobile.")


@strawberry.input(description="One later check of a username recovery.")
class UsernameRecoveryVerifyInput:
    recovery_id: str
    check: RecoveryCheck  # type: ignore[valid-type]
    identity: IdentityInput | None = None
    operator_mobiles: list[OperatorMobileInput] | None = strawberry.field(
        default=None, description="OPERATOR_MOBILES: the two operators' mobiles, in order."
    )


@strawberry.input(description="Operators and individuals: identity and bank card in one step.")
class UsernameRecoveryBankCardInput:
    account_kind: AccountKind  # type: ignore[valid-type]
    identity: IdentityInput
    bank_card: BankCardInput
    enterprise_name: str | None = None
    org_code: str | None = None


@strawberry.input(description="Admins: the enterprise verified by its bank key (企业实名认证).")
class UsernameRecoveryBankKeyInput:
    mobile: str
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY to mobile.")
    enterprise_name: str
    code: str = strawberry.field(description="USCC or organisation code.")
    bank: BankKeyBank  # type: ignore[valid-type]


@strawberry.input(description="Step one of a password reset (SW-10).")
class PasswordResetStartInput:
    username: str
    captcha_id: str
    captcha_answer: str


@strawberry.input
class PasswordResetCodeSendInput:
    recovery_id: str
    channel: CodeChannel  # type: ignore[valid-type]
    captcha_id: str
    captcha_answer: str


@strawberry.input(description="Overseas accounts: the organisation as registered.")
class OrganisationInput:
    organisation_name: str
    contact_name: str
    country_code: str


@strawberry.input(description="法定代表人信息验证: checked against the market regulator.")
class LegalRepresentativeCheckInput:
    enterprise_name: str
    uscc: str
    legal_rep: IdentityInput
    operator_mobile: str = strawberry.field(description="The mobile of whoever fills the form.")
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY.")


@strawberry.input(description="Step two of a password reset: one method.")
class PasswordResetVerifyInput:
    recovery_id: str
    method: PasswordResetMethod  # type: ignore[valid-type]
    code: str | None = strawberry.field(default=None, description="MOBILE or EMAIL.")
    identity: IdentityInput | None = strawberry.field(default=None, description="ACCOUNT_INFO.")
    organisation: OrganisationInput | None = strawberry.field(
        default=None, description="ACCOUNT_INFO of overseas accounts."
    )
    legal_rep: LegalRepresentativeCheckInput | None = strawberry.field(
        default=None, description="LEGAL_REP."
    )


@strawberry.input
class PasswordResetCompleteInput:
    recovery_id: str
    password: str
    password_confirmation: str


@strawberry.type
class PasswordResetLicencePayload:
    recovery: AccountRecovery | None
    qr_content: str | None = strawberry.field(
        description="Show as a QR code; scanned with the e-licence mini-program."
    )
    user_errors: list[UserError]


@strawberry.type
class PasswordResetCompletePayload:
    username: str | None
    user_errors: list[UserError]


@strawberry.input(description="人工资料审核: the forms; images travel as uploads beside it.")
class ManualReviewSubmitInput:
    purpose: RecoveryPurpose  # type: ignore[valid-type]
    account_kind: AccountKind  # type: ignore[valid-type]
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
    kind: UploadKind  # type: ignore[valid-type]
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
    kind: AccountKind  # type: ignore[valid-type]


@strawberry.type(description="A manual review (人工资料审核) in the reviewers' queue.")
class ManualReview(relay.Node):
    pk: relay.NodeID[int]
    purpose: RecoveryPurpose  # type: ignore[valid-type]
    account_kind: AccountKind  # type: ignore[valid-type]
    status: ReviewStatus  # type: ignore[valid-type]
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

    @classmethod
    def build(cls, row: models.ManualReview | None, errors: list[UserError]) -> ManualReviewPayload:
        return cls(review=ManualReview.from_model(row) if row else None, user_errors=errors)


@strawberry.type(description="What a submitted manual review shows the applicant.")
class ManualReviewSubmitPayload:
    submitted: bool
    status: ReviewStatus | None  # type: ignore[valid-type]
    user_errors: list[UserError]


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


async def _file(kind: models.UploadKind, upload: Upload | None) -> list[UploadedFile]:
    if upload is None:
        return []
    content = await upload.read()  # type: ignore[attr-defined]
    name = str(getattr(upload, "filename", "") or "")
    return [UploadedFile(kind, name, content)]


@strawberry.type
class RecoveryQuery:
    @strawberry.field(description="A recovery by its handle; null once expired or unknown.")
    async def account_recovery(self, info: Info, id: str) -> AccountRecovery | None:
        row = await recovery_cases.lookup_ticket(info.context, id)
        return AccountRecovery.from_model(row) if row is not None else None

    @strawberry.field(description="Reviewers: the manual-review queue, oldest first.")
    async def manual_reviews(
        self,
        info: Info,
        status: ReviewStatus | None = None,  # type: ignore[valid-type]
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[ManualReview]:
        page = await review_cases.search(
            info.context, models.ReviewStatus(status) if status else None, first, after
        )
        return Connection.from_page(page, ManualReview.from_model)


@strawberry.type
class RecoverySubscription:
    @strawberry.subscription(
        description="A recovery as it is now, then as a bank (bank key) or the e-licence "
        "service answers; ends once VERIFIED, COMPLETED or FAILED. No login needed."
    )
    async def account_recovery_status_changed(
        self, info: Info, id: str
    ) -> AsyncGenerator[AccountRecovery, None]:
        async for row in recovery_cases.watch(info.context, id):
            yield AccountRecovery.from_model(row)


@strawberry.type
class RecoveryMutation:
    @strawberry.mutation(description="Username recovery, step one (SW-9).")
    async def username_recovery_start(
        self, info: Info, input: UsernameRecoveryStartInput
    ) -> AccountRecoveryPayload:
        data = username_cases.StartInput(
            account_kind=models.AccountKind(input.account_kind),
            mobile=input.mobile,
            sms_code=input.sms_code,
            enterprise_name=input.enterprise_name,
            org_code=input.org_code,
        )
        row, errors = await guarded(info, lambda: username_cases.start(info.context, data))
        return AccountRecoveryPayload.build(row, errors)

    @strawberry.mutation(description="Username recovery: one more check (SW-9).")
    async def username_recovery_verify(
        self, info: Info, input: UsernameRecoveryVerifyInput
    ) -> AccountRecoveryPayload:
        data = username_cases.VerifyInput(
            recovery_id=input.recovery_id,
            check=username_cases.RecoveryCheck(input.check),
            identity=identity(input.identity),
            operator_mobiles=[
                username_cases.OperatorMobileInput(m.mobile, m.sms_code)
                for m in input.operator_mobiles or []
            ],
        )
        row, errors = await guarded(info, lambda: username_cases.verify(info.context, data))
        return AccountRecoveryPayload.build(row, errors)

    @strawberry.mutation(description="Username recovery by identity and bank card (SW-9).")
    async def username_recovery_by_bank_card(
        self, info: Info, input: UsernameRecoveryBankCardInput
    ) -> AccountRecoveryPayload:
        data = username_cases.BankCardRecoveryInput(
            account_kind=models.AccountKind(input.account_kind),
            identity=identity(input.identity),  # type: ignore[arg-type]
            bank_card=bank_card(input.bank_card),  # type: ignore[arg-type]
            enterprise_name=input.enterprise_name,
            org_code=input.org_code,
        )
        row, errors = await guarded(info, lambda: username_cases.by_bank_card(info.context, data))
        return AccountRecoveryPayload.build(row, errors)

    @strawberry.mutation(
        description="Username recovery by the enterprise's bank key; poll accountRecovery "
        "until VERIFIED, then every username of the enterprise is shown (SW-9)."
    )
    async def username_recovery_by_bank_key(
        self, info: Info, input: UsernameRecoveryBankKeyInput
    ) -> AccountRecoveryPayload:
        data = real_name_cases.BankKeyRecoveryInput(
            mobile=input.mobile,
            sms_code=input.sms_code,
            enterprise_name=input.enterprise_name,
            code=input.code,
            bank=real_name_cases.BankKeyBank(input.bank).value,
        )
        row, errors = await guarded(
            info, lambda: real_name_cases.bank_key_recovery(info.context, data)
        )
        return AccountRecoveryPayload.build(row, errors)

    @strawberry.mutation(description="Password reset, step one: username and captcha (SW-10).")
    async def password_reset_start(
        self, info: Info, input: PasswordResetStartInput
    ) -> AccountRecoveryPayload:
        data = to_domain(reset_cases.StartInput, input)
        row, errors = await guarded(info, lambda: reset_cases.start(info.context, data))
        return AccountRecoveryPayload.build(row, errors)

    @strawberry.mutation(
        description="Password reset: a code to the account's bound mobile (SMS) or email."
    )
    async def password_reset_code_send(
        self, info: Info, input: PasswordResetCodeSendInput
    ) -> AccountRecoveryPayload:
        row, errors = await guarded(
            info,
            lambda: reset_cases.send_code(
                info.context,
                input.recovery_id,
                models.CodeChannel(input.channel),
                input.captcha_id,
                input.captcha_answer,
            ),
        )
        return AccountRecoveryPayload.build(row, errors)

    @strawberry.mutation(description="Password reset, step two: one method (SW-10).")
    async def password_reset_verify(
        self, info: Info, input: PasswordResetVerifyInput
    ) -> AccountRecoveryPayload:
        legal = input.legal_rep
        data = reset_cases.VerifyInput(
            recovery_id=input.recovery_id,
            method=reset_cases.PasswordResetMethod(input.method),
            code=input.code,
            identity=identity(input.identity),
            organisation=to_domain(reset_cases.OrganisationInput, input.organisation)
            if input.organisation
            else None,
            legal_rep=reset_cases.LegalRepInput(
                enterprise_name=legal.enterprise_name,
                uscc=legal.uscc,
                legal_rep=identity(legal.legal_rep),  # type: ignore[arg-type]
                operator_mobile=legal.operator_mobile,
                sms_code=legal.sms_code,
            )
            if legal
            else None,
        )
        row, errors = await guarded(info, lambda: reset_cases.verify(info.context, data))
        return AccountRecoveryPayload.build(row, errors)

    @strawberry.mutation(
        description="Password reset by electronic business licence: a QR code to scan; poll "
        "accountRecovery until VERIFIED (USCCs starting with 9 only)."
    )
    async def password_reset_licence_start(
        self, info: Info, recovery_id: str
    ) -> PasswordResetLicencePayload:
        session, errors = await guarded(
            info, lambda: reset_cases.start_licence(info.context, recovery_id)
        )
        return PasswordResetLicencePayload(
            recovery=AccountRecovery.from_model(session.ticket) if session else None,
            qr_content=session.qr_content if session else None,
            user_errors=errors,
        )

    @strawberry.mutation(
        description="Password reset, last step: the new password; every session of the "
        "account ends."
    )
    async def password_reset_complete(
        self, info: Info, input: PasswordResetCompleteInput
    ) -> PasswordResetCompletePayload:
        data = to_domain(reset_cases.CompleteInput, input)
        account, errors = await guarded(info, lambda: reset_cases.complete(info.context, data))
        return PasswordResetCompletePayload(
            username=account.username if account else None, user_errors=errors
        )

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
            *await _file(models.UploadKind.ID_FRONT, identity_image),
            *await _file(models.UploadKind.ID_BACK, identity_image_back),
            *await _file(models.UploadKind.BUSINESS_LICENCE, licence_image),
        ]
        data = review_cases.SubmitInput(
            purpose=models.RecoveryPurpose(input.purpose),
            account_kind=models.AccountKind(input.account_kind),
            contact_mobile=input.contact_mobile,
            sms_code=input.sms_code,
            applicant=identity(input.applicant),  # type: ignore[arg-type]
            enterprise_name=input.enterprise_name,
            org_code=input.org_code,
            legal_rep=identity(input.legal_rep),
            username=input.username,
            password=input.password,
            password_confirmation=input.password_confirmation,
        )
        row, errors = await guarded(info, lambda: review_cases.submit(info.context, data, uploads))
        return ManualReviewSubmitPayload(
            submitted=row is not None, status=row.status if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Reviewers: approve; the user learns the outcome by SMS.")
    async def manual_review_approve(
        self, info: Info, input: ManualReviewApproveInput
    ) -> ManualReviewPayload:
        review_id = node_pk(info, input.id, "ManualReview")
        row, errors = await guarded(
            info, lambda: review_cases.approve(info.context, review_id, input.username)
        )
        return ManualReviewPayload.build(row, errors)

    @strawberry.mutation(description="Reviewers: reject with a reason, sent to the user by SMS.")
    async def manual_review_reject(
        self, info: Info, input: ManualReviewRejectInput
    ) -> ManualReviewPayload:
        review_id = node_pk(info, input.id, "ManualReview")
        row, errors = await guarded(
            info, lambda: review_cases.reject(info.context, review_id, input.reason)
        )
        return ManualReviewPayload.build(row, errors)
