"""湘企融: registration by company name, enterprise certification, messages (HN-1..HN-3)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

import models
from resolvers.accounts import hunan_registration as registration
from resolvers.core.uploads import UploadedFile
from resolvers.marketplace import certification as cases
from resolvers.marketplace import loaders as marketplace_loaders
from resolvers.marketplace import messages as message_cases
from resolvers.wechat import actions as wechat
from schema.accounts.types import Account, account_from_model
from schema.base import Connection, Info, UserError, guarded, node_pk, to_domain

CertificationStatus = strawberry.enum(models.CertificationStatus, name="CertificationStatus")
CertificationDocumentKind = strawberry.enum(
    models.CertificationDocumentKind, name="CertificationDocumentKind"
)


@strawberry.type(description="A company in the market regulator's register.")
class RegistryEnterprise:
    name: str
    uscc: str
    address: str
    status: str = strawberry.field(description="登记状态, e.g. 存续.")
    region_code: str
    enterprise_type: str
    established_on: date
    registered_capital: str
    authority: str
    industry: str
    legal_rep_name: str
    business_scope: str


@strawberry.input(description="湘企融 registration (HN-1).")
class HunanRegisterInput:
    company_name: str = strawberry.field(description="As chosen from registrySuggestions.")
    uscc: str
    account: str = strawberry.field(description="Starts with a letter; 4-20 characters.")
    mobile: str
    password: str = strawberry.field(description="8-20 characters with letters and digits.")
    password_confirmation: str
    sms_code: str = strawberry.field(description="Code of purpose REGISTRATION to mobile.")
    accept_terms: bool


@strawberry.type
class HunanRegisterPayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.type(description="An uploaded certification document.")
class CertificationDocument:
    kind: CertificationDocumentKind  # type: ignore[valid-type]
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


@strawberry.type(description="企业认证 (HN-3): the form, its documents and the review.")
class Certification(relay.Node):
    pk: relay.NodeID[int]
    status: CertificationStatus  # type: ignore[valid-type]
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

    @classmethod
    def build(
        cls, row: models.Certification | None, errors: list[UserError]
    ) -> CertificationPayload:
        return cls(certification=Certification.from_model(row) if row else None, user_errors=errors)


@strawberry.type(description="我的消息.")
class Message:
    id: int
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


@strawberry.type
class MessagesMarkReadPayload:
    marked: int
    unread_count: int
    user_errors: list[UserError]


@strawberry.type(description="个人信息保护指引: what the mini-program shows before anything else.")
class PersonalInformationNotice:
    notice: str
    version: str = strawberry.field(description="Send back as consentVersion.")
    text: str


@strawberry.type(description="A WeChat login: a session, or a ticket to bind an account first.")
class WeChatSessionPayload:
    token: str | None
    account: Account | None
    binding_ticket: str | None = strawberry.field(
        description="The WeChat user is not bound yet: bind with wechatBind (10 minutes)."
    )
    user_errors: list[UserError]


@strawberry.input
class WeChatBindInput:
    ticket: str
    login: str
    password: str
    sms_code: str = strawberry.field(description="Code of purpose LOGIN to the account's mobile.")


@strawberry.type
class FaceVerificationPayload:
    certification: Certification | None
    url: str | None = strawberry.field(
        description="Open in the eID (E证通) mini-program; the result arrives by itself."
    )
    user_errors: list[UserError]


NOTICE_TEXT = (
    "湘企融将收集您的账号、手机号码、企业及法定代表人信息，仅用于企业认证、融资撮合与审批；"
    "人脸识别由腾讯云E证通提供，仅用于核验法定代表人本人身份。"
)


@strawberry.type
class HunanQuery:
    @strawberry.field(description="The personal-information protection notice (HN-5).")
    def personal_information_notice(self) -> PersonalInformationNotice:
        return PersonalInformationNotice(
            notice=wechat.NOTICE, version=wechat.NOTICE_VERSION, text=NOTICE_TEXT
        )

    @strawberry.field(description="Companies whose name matches, for the registration form.")
    async def registry_suggestions(self, info: Info, name: str) -> list[RegistryEnterprise]:
        rows = await registration.suggestions(info.context, name)
        return [
            RegistryEnterprise(
                name=r.name,
                uscc=r.uscc,
                address=r.address,
                status=r.status,
                region_code=r.region_code,
                enterprise_type=r.enterprise_type,
                established_on=r.established_on,
                registered_capital=r.registered_capital,
                authority=r.authority,
                industry=r.industry,
                legal_rep_name=r.legal_rep_name,
                business_scope=r.business_scope,
            )
            for r in rows
        ]

    @strawberry.field(description="The viewer's certification (enterprise users).")
    async def viewer_certification(self, info: Info) -> Certification | None:
        row = await cases.current(info.context)
        return Certification.from_model(row) if row else None

    @strawberry.field(description="企业授权书 template as a PDF data: URL (HN-3).")
    async def certification_letter_template(self, info: Info) -> str:
        account = cases.require_enterprise_user(info.context)
        assert account.enterprise_id is not None
        enterprise = await info.context.loaders.enterprise.load(account.enterprise_id)
        pdf = cases.letter_template(enterprise.name, info.context.clock.today())
        return "data:application/pdf;base64," + base64.b64encode(pdf).decode()

    @strawberry.field(description="Reviewers: certifications to decide, oldest first.")
    async def certification_reviews(
        self,
        info: Info,
        status: CertificationStatus | None = None,  # type: ignore[valid-type]
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Certification]:
        page = await cases.queue(
            info.context, models.CertificationStatus(status) if status else None, first, after
        )
        return Connection.from_page(page, Certification.from_model)

    @strawberry.field(description="我的消息, newest first.")
    async def messages(
        self,
        info: Info,
        unread_only: bool = False,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Message]:
        page = await message_cases.search(info.context, unread_only, first, after)
        return Connection.from_page(
            page,
            lambda m: Message(
                id=m.id, title=m.title, body=m.body, created_at=m.created_at, read_at=m.read_at
            ),
        )

    @strawberry.field
    async def unread_message_count(self, info: Info) -> int:
        return await message_cases.unread_count(info.context)


async def _file(upload: Upload, kind: models.CertificationDocumentKind) -> UploadedFile:
    content = await upload.read()  # type: ignore[attr-defined]
    return UploadedFile(kind, str(getattr(upload, "filename", "") or ""), content)


def _session_payload(
    login: wechat.WeChatLogin | None, errors: list[UserError]
) -> WeChatSessionPayload:
    opened = login.opened if login else None
    return WeChatSessionPayload(
        token=opened.token if opened else None,
        account=account_from_model(opened.account) if opened else None,
        binding_ticket=login.binding_ticket if login else None,
        user_errors=errors,
    )


@strawberry.type
class HunanMutation:
    @strawberry.mutation(
        description="Mini-program login with the wx.login() code, after consenting to the "
        "personal-information notice (HN-5)."
    )
    async def wechat_session_create(
        self, info: Info, code: str, consent_version: str
    ) -> WeChatSessionPayload:
        result, errors = await guarded(
            info, lambda: wechat.login(info.context, code, consent_version)
        )
        return _session_payload(result, errors)

    @strawberry.mutation(description="Bind the WeChat user to a 湘企融 account and log in (HN-5).")
    async def wechat_bind(self, info: Info, input: WeChatBindInput) -> WeChatSessionPayload:
        opened, errors = await guarded(
            info,
            lambda: wechat.bind(
                info.context, input.ticket, input.login, input.password, input.sms_code
            ),
        )
        login = wechat.WeChatLogin(opened, None) if opened else None
        return _session_payload(login, errors)

    @strawberry.mutation(
        description="快速人脸认证: the legal representative named in the form verifies in "
        "person with eID; required before a mobile certification is submitted (HN-5)."
    )
    async def certification_face_verification_start(self, info: Info) -> FaceVerificationPayload:
        started, errors = await guarded(info, lambda: cases.start_face_verification(info.context))
        return FaceVerificationPayload(
            certification=Certification.from_model(started.certification) if started else None,
            url=started.url if started else None,
            user_errors=errors,
        )

    @strawberry.mutation(
        description="湘企融 registration; then log in with sessionCreateWithSmsCode."
    )
    async def hunan_register(self, info: Info, input: HunanRegisterInput) -> HunanRegisterPayload:
        data = to_domain(registration.RegistrationInput, input)
        row, errors = await guarded(info, lambda: registration.register(info.context, data))
        return HunanRegisterPayload(
            account=account_from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Fill or change the certification form (HN-3).")
    async def certification_save(
        self, info: Info, input: CertificationInput
    ) -> CertificationPayload:
        data = to_domain(cases.CertificationInput, input)
        row, errors = await guarded(info, lambda: cases.save(info.context, data))
        return CertificationPayload.build(row, errors)

    @strawberry.mutation(
        description="Upload or replace the licence or the authorisation letter "
        "(jpg/jpeg/png/bmp/pdf, at most 10 MB)."
    )
    async def certification_document_upload(
        self,
        info: Info,
        kind: CertificationDocumentKind,  # type: ignore[valid-type]
        file: Upload,
    ) -> CertificationPayload:
        uploaded = await _file(file, models.CertificationDocumentKind(kind))
        row, errors = await guarded(
            info, lambda: cases.upload(info.context, uploaded.kind, uploaded)
        )
        return CertificationPayload.build(row, errors)

    @strawberry.mutation(description="Remove an uploaded document before submitting.")
    async def certification_document_delete(
        self,
        info: Info,
        kind: CertificationDocumentKind,  # type: ignore[valid-type]
    ) -> CertificationPayload:
        row, errors = await guarded(
            info, lambda: cases.remove(info.context, models.CertificationDocumentKind(kind))
        )
        return CertificationPayload.build(row, errors)

    @strawberry.mutation(description="Submit for review (HN-3).")
    async def certification_submit(self, info: Info) -> CertificationPayload:
        row, errors = await guarded(info, lambda: cases.submit(info.context))
        return CertificationPayload.build(row, errors)

    @strawberry.mutation(description="Reviewers: certify the enterprise (HN-3).")
    async def certification_approve(self, info: Info, id: relay.GlobalID) -> CertificationPayload:
        pk = node_pk(info, id, "Certification")
        row, errors = await guarded(info, lambda: cases.approve(info.context, pk))
        return CertificationPayload.build(row, errors)

    @strawberry.mutation(description="Reviewers: reject with the reason the user reads (HN-3).")
    async def certification_reject(
        self, info: Info, id: relay.GlobalID, reason: str
    ) -> CertificationPayload:
        pk = node_pk(info, id, "Certification")
        row, errors = await guarded(info, lambda: cases.reject(info.context, pk, reason))
        return CertificationPayload.build(row, errors)

    @strawberry.mutation(description="Mark one message read, or all of them without an id.")
    async def messages_mark_read(
        self, info: Info, id: int | None = None
    ) -> MessagesMarkReadPayload:
        marked, errors = await guarded(info, lambda: message_cases.mark_read(info.context, id))
        return MessagesMarkReadPayload(
            marked=marked or 0,
            unread_count=await message_cases.unread_count(info.context),
            user_errors=errors,
        )
