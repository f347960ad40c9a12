"""企业认证 (HN-3, HN-5): an enterprise user completes what the register lacks, uploads the
stamped business licence and authorisation letter (replaceable until submitted), and submits;
a platform reviewer approves or rejects with a reason, which reaches the user's messages. After a
rejection the user edits and submits again. Only a certified user acts for the enterprise
(applies for products, sees its orders): :func:`require_certified`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select

from integrations.documents.render import Document, Party, render
from integrations.identity import IdentityError
from integrations.registry import EnterpriseRecord
from models import (
    Account,
    AccountKind,
    Certification,
    CertificationDocument,
    CertificationDocumentKind,
    CertificationStatus,
    SessionMethod,
)
from resolvers.core import audit, fields, pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.identifiers import IdentifierError, validate_resident_id
from resolvers.core.uow import commit
from resolvers.core.uploads import UploadedFile, check_file
from resolvers.identity.checks import registry_record
from resolvers.marketplace import messages
from resolvers.marketplace.errors import MarketplaceErrorCode
from resolvers.recovery.manual_reviews import decide_once, require_reviewer

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
EDITABLE = (CertificationStatus.DRAFT, CertificationStatus.REJECTED)
REQUIRED_FIELDS = (
    "legal_rep_name",
    "legal_rep_id_number",
    "legal_rep_phone",
    "contact_name",
    "contact_phone",
    "contact_email",
)
# The mobile form's starred fields (manual 002, mobile figure 6).
MOBILE_REQUIRED_FIELDS = (
    *REQUIRED_FIELDS,
    "registration_status",
    "region_code",
    "address",
    "enterprise_type",
    "established_on",
    "registered_capital",
    "authority",
    "industry",
    "business_scope",
)


def _on_mobile(ctx: RequestContext) -> bool:
    session = ctx.viewer.session
    return session is not None and session.method == SessionMethod.WECHAT


@dataclass(frozen=True)
class FaceStart:
    certification: Certification
    url: str


async def start_face_verification(ctx: RequestContext) -> FaceStart:
    """快速人脸认证: the legal representative named in the form verifies in person (eID)."""
    certification = await _editable(ctx)
    if not certification.legal_rep_name or not certification.legal_rep_id_number:
        raise UserErrors.one(MarketplaceErrorCode.CERTIFICATION_INCOMPLETE, "legalRepIdNumber")
    try:
        session = await ctx.services.face.start(
            certification.legal_rep_name,
            certification.legal_rep_id_number,
            f"certification:{certification.id}",
        )
    except IdentityError as error:
        raise UserErrors.one(CommonErrorCode.IDENTITY_SERVICE_UNAVAILABLE) from error
    certification.face_token = session.token
    certification.face_verified_at = None
    certification.face_failure = None
    ctx.db.add(certification)
    await commit(ctx)
    return FaceStart(certification, session.url)


async def face_decided(ctx: RequestContext, event: dict[str, Any]) -> None:
    """The eID service's signed result for the token it issued."""
    token = str(event.get("token", ""))[:64]
    certification = (
        await ctx.db.exec(select(Certification).where(col(Certification.face_token) == token))
    ).first()
    if certification is None or certification.status not in EDITABLE:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND)
    if event.get("errCode") == 0:
        certification.face_verified_at = ctx.clock.now()
        certification.face_failure = None
    else:
        certification.face_failure = str(event.get("errMsg") or event.get("errCode"))[:100]
    certification.face_token = None
    ctx.db.add(certification)
    await commit(ctx)


def require_enterprise_user(ctx: RequestContext) -> Account:
    account = permissions.require_account(ctx)
    if account.kind != AccountKind.ENTERPRISE_USER or account.enterprise_id is None:
        raise Forbidden("ENTERPRISE_USERS_ONLY", ctx.locale)
    return account


def require_certified(ctx: RequestContext) -> Account:
    """What a user needs before applying for a product or seeing the enterprise's orders."""
    account = require_enterprise_user(ctx)
    if account.certified_at is None:
        raise UserErrors.one(MarketplaceErrorCode.NOT_CERTIFIED)
    return account


async def current(ctx: RequestContext) -> Certification | None:
    account = require_enterprise_user(ctx)
    return (
        await ctx.db.exec(select(Certification).where(col(Certification.account_id) == account.id))
    ).first()


async def visible(ctx: RequestContext, ids: list[int]) -> list[Certification | None]:
    """node(id): reviewers see every certification, an enterprise user only its own."""
    viewer = permissions.require_account(ctx)
    rows = {
        c.id: c
        for c in (
            await ctx.db.exec(select(Certification).where(col(Certification.id).in_(ids)))
        ).all()
    }
    reviewer = viewer.kind == AccountKind.PLATFORM_REVIEWER
    return [
        row if row is not None and (reviewer or row.account_id == viewer.id) else None
        for row in (rows.get(i) for i in ids)
    ]


def from_record(record: EnterpriseRecord, account_id: int, enterprise_id: int) -> Certification:
    """A new certification, its form filled with what the register knows (the legal
    representative's ID stays for the user to enter: the register's is never shown)."""
    return Certification(
        account_id=account_id,
        enterprise_id=enterprise_id,
        legal_rep_name=record.legal_rep_name,
        registration_status=record.status,
        region_code=record.region_code,
        address=record.address,
        enterprise_type=record.enterprise_type,
        established_on=record.established_on,
        registered_capital=record.registered_capital,
        authority=record.authority,
        industry=record.industry,
        business_scope=record.business_scope,
    )


async def _editable(ctx: RequestContext) -> Certification:
    """The viewer's certification to edit, started from the register's record if new."""
    account = require_enterprise_user(ctx)
    certification = await current(ctx)
    if certification is None:
        assert account.enterprise_id is not None and account.id is not None
        enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
        record = await registry_record(ctx, enterprise.uscc, "uscc")
        certification = from_record(record, account.id, account.enterprise_id)
        certification.created_at = ctx.clock.now()
        ctx.db.add(certification)
        await ctx.db.flush()
    elif certification.status == CertificationStatus.APPROVED:
        raise UserErrors.one(MarketplaceErrorCode.ALREADY_CERTIFIED)
    elif certification.status not in EDITABLE:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION)
    return certification


@dataclass
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


async def save(ctx: RequestContext, data: CertificationInput) -> Certification:
    """Fill or change the form (fields left out stay as they are)."""
    certification = await _editable(ctx)
    problems = Problems()
    values: dict[str, object] = {}
    for name, limit in (
        ("legal_rep_name", 50),
        ("contact_name", 50),
        ("contact_title", 50),
        ("address", 200),
        ("industry", 60),
        ("business_scope", 1000),
        ("registered_capital", 40),
    ):
        given = getattr(data, name)
        if given is not None:
            values[name] = fields.text(problems, given, _camel(name), max_length=limit)
    if data.legal_rep_id_number is not None:
        try:
            values["legal_rep_id_number"] = validate_resident_id(
                data.legal_rep_id_number, ctx.clock.today()
            )
        except IdentifierError as error:
            problems.add(error.code, "legalRepIdNumber")
    for name in ("legal_rep_phone", "contact_phone"):
        if getattr(data, name) is not None:
            values[name] = fields.mobile(problems, getattr(data, name), _camel(name))
    if data.contact_email is not None:
        values["contact_email"] = fields.email(problems, data.contact_email, "contactEmail")
    if data.established_on is not None:
        values["established_on"] = data.established_on
    problems.raise_if_any()
    for name, value in values.items():
        setattr(certification, name, value)
    certification.status = CertificationStatus.DRAFT
    certification.updated_at = ctx.clock.now()
    ctx.db.add(certification)
    await commit(ctx)
    return certification


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def upload(
    ctx: RequestContext, kind: CertificationDocumentKind, file: UploadedFile
) -> Certification:
    """Add or replace one document (jpg/jpeg/png/bmp/pdf by content, at most 10 MB)."""
    problems = Problems()
    checked = check_file(file, problems, "file", max_bytes=MAX_DOCUMENT_BYTES, allow_pdf=True)
    problems.raise_if_any()
    assert checked is not None
    certification = await _editable(ctx)
    assert certification.id is not None
    existing = await ctx.db.get(CertificationDocument, (certification.id, kind))
    if existing is not None:
        await ctx.db.delete(existing)
        await ctx.db.flush()
    ctx.db.add(
        CertificationDocument(
            certification_id=certification.id,
            kind=kind,
            file_name=checked.file_name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            content=checked.content,
            uploaded_at=ctx.clock.now(),
        )
    )
    certification.updated_at = ctx.clock.now()
    ctx.db.add(certification)
    await commit(ctx)
    return certification


async def remove(ctx: RequestContext, kind: CertificationDocumentKind) -> Certification:
    certification = await _editable(ctx)
    assert certification.id is not None
    document = await ctx.db.get(CertificationDocument, (certification.id, kind))
    if document is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "kind")
    await ctx.db.delete(document)
    await commit(ctx)
    return certification


async def documents_of(ctx: RequestContext, certification_id: int) -> list[CertificationDocument]:
    rows = await ctx.db.exec(
        select(CertificationDocument)
        .where(col(CertificationDocument.certification_id) == certification_id)
        .order_by(col(CertificationDocument.kind))
    )
    return list(rows.all())


async def submit(ctx: RequestContext) -> Certification:
    """PC: the form and both documents. Mobile (a WeChat session, HN-5): the extended form and
    the legal representative's face verification instead of the uploads."""
    certification = await _editable(ctx)
    assert certification.id is not None
    mobile = _on_mobile(ctx)
    required = MOBILE_REQUIRED_FIELDS if mobile else REQUIRED_FIELDS
    missing = [_camel(n) for n in required if not getattr(certification, n)]
    if not mobile:
        kinds = {d.kind for d in await documents_of(ctx, certification.id)}
        missing += [k.value for k in CertificationDocumentKind if k not in kinds]
    if missing:
        raise UserErrors.one(MarketplaceErrorCode.CERTIFICATION_INCOMPLETE, *missing[:1])
    if mobile and certification.face_verified_at is None:
        raise UserErrors.one(MarketplaceErrorCode.FACE_VERIFICATION_REQUIRED)
    certification.status = CertificationStatus.SUBMITTED
    certification.submitted_at = ctx.clock.now()
    certification.reason = None
    ctx.db.add(certification)
    await commit(ctx)
    return certification


async def queue(
    ctx: RequestContext, status: CertificationStatus | None, first: int, after: str | None
) -> pagination.Page[Certification]:
    """Reviewers: certifications, the oldest submission first."""
    require_reviewer(ctx)
    statement = select(Certification).order_by(
        col(Certification.submitted_at), col(Certification.id)
    )
    if status is not None:
        statement = statement.where(col(Certification.status) == status)
    return await pagination.paginate(ctx, statement, first, after)


async def _decide(
    ctx: RequestContext, certification_id: int, outcome: CertificationStatus, reason: str | None
) -> Certification:
    certification: Certification = await decide_once(
        ctx, Certification, certification_id, CertificationStatus.SUBMITTED, outcome, reason=reason
    )
    audit.record(
        ctx,
        certification.reviewer_id,
        f"CERTIFICATION_{outcome.value}",
        "certification",
        certification_id,
        reason=reason or "",
    )
    return certification


async def approve(ctx: RequestContext, certification_id: int) -> Certification:
    certification = await _decide(ctx, certification_id, CertificationStatus.APPROVED, None)
    applicant = await ctx.db.get(Account, certification.account_id)
    assert applicant is not None
    applicant.certified_at = ctx.clock.now()
    ctx.db.add(applicant)
    messages.send(
        ctx,
        certification.account_id,
        "企业认证审核通过",
        "您的企业认证已审核通过，现在可以在融资超市申请金融产品。",
    )
    await commit(ctx)
    return certification


async def reject(ctx: RequestContext, certification_id: int, reason: str) -> Certification:
    problems = Problems()
    checked = fields.text(problems, reason, "reason", max_length=200)
    problems.raise_if_any()
    certification = await _decide(ctx, certification_id, CertificationStatus.REJECTED, checked)
    messages.send(
        ctx,
        certification.account_id,
        "企业认证审核未通过",
        f"您的企业认证未通过审核，原因：{checked}。请在认证页面修改信息后再次提交。",
    )
    await commit(ctx)
    return certification


async def viewer_letter(ctx: RequestContext) -> bytes:
    """企业授权书 of the viewer's enterprise, dated today (enterprise users)."""
    account = require_enterprise_user(ctx)
    assert account.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
    return letter_template(enterprise.name, ctx.clock.today())


def letter_template(enterprise_name: str, today: date) -> bytes:
    """企业授权书: the template to fill, print, stamp and upload."""
    return render(
        Document(
            title="湖南省中小企业融资服务平台企业授权书",
            number="XQR-AUTH",
            date=today.isoformat(),
            parties=(
                Party("授权人", enterprise_name or "（企业名称）"),
                Party("被授权人", "湖南省中小企业融资服务平台"),
            ),
            sections=(
                (
                    "一、授权事项",
                    (
                        "本企业授权平台及合作金融机构查询、使用本企业的工商、税务、海关、"
                        "司法等公共信用信息，用于融资需求的撮合与审批。",
                    ),
                ),
                ("二、授权期限", ("自本授权书签署之日起至融资业务终结之日止。",)),
                ("三、其他", ("本授权书经加盖企业公章后生效。",)),
            ),
            signer_label="授权人（盖章）",
        )
    )
