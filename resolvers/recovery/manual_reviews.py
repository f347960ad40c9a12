"""Manual review (人工资料审核, SW-9 and SW-10): the fallback when no automatic check can prove
who the user is, and the queue platform reviewers work through.

The user proves a current mobile by SMS, fills the enterprise's and their own identity, uploads
an ID image (and, for enterprise accounts, the business licence) and, for a password reset, the
new password, which is kept hashed until a reviewer decides. The reviewer sees the form, the
images and the accounts the form matches; approving sends the username(s) or sets the password
(ending the account's sessions); rejecting sends the reason. Either way an SMS tells the user and
the decision is audited. A request is decided once: a second decision is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import (
    Account,
    AccountKind,
    CodeChannel,
    CodePurpose,
    Enterprise,
    ManualReview,
    RecoveryPurpose,
    ReviewStatus,
    ReviewUpload,
    UploadKind,
)
from resolvers.core import audit, codes, fields, pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, ErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.uow import commit, transition
from resolvers.core.uploads import UploadedFile, check_file
from resolvers.identity.checks import IdentityInput, checked_person
from resolvers.recovery import password_reset
from resolvers.recovery import tickets as recovery
from resolvers.recovery.errors import RecoveryErrorCode

ENTERPRISE_KINDS = (AccountKind.ENTERPRISE_ADMIN, AccountKind.OPERATOR)
SMS_APPROVED_USERNAME = "【单一窗口】您的找回用户名申请已通过人工审核，用户名为：{usernames}。"
SMS_APPROVED_PASSWORD = (
    "【单一窗口】您的重置密码申请已通过人工审核，请使用提交的新密码登录账号{username}。"
)
SMS_REJECTED = "【单一窗口】您的{what}申请未通过人工审核，原因：{reason}。"
WHAT = {RecoveryPurpose.USERNAME: "找回用户名", RecoveryPurpose.PASSWORD: "重置密码"}
# The refusals of a recovery step after which the user may submit the details for manual
# review instead (SW-10: the enterprise or its legal representative does not match the register).
REVIEWABLE_REFUSALS = frozenset({CommonErrorCode.LEGAL_REP_MISMATCH})


def offered_after(refusals: Iterable[ErrorCode]) -> bool:
    """Whether a refused recovery step offers the manual review (``manualReviewSubmit``)."""
    return any(code in REVIEWABLE_REFUSALS for code in refusals)


@dataclass
class SubmitInput:
    purpose: RecoveryPurpose
    account_kind: AccountKind
    contact_mobile: str
    sms_code: str
    applicant: IdentityInput
    enterprise_name: str | None = None
    org_code: str | None = None
    legal_rep: IdentityInput | None = None
    username: str | None = None
    password: str | None = None
    password_confirmation: str | None = None


def _check_form(ctx: RequestContext, data: SubmitInput, problems: Problems) -> dict[str, str]:
    form: dict[str, str] = {}
    for prefix, person_input in (("applicant", data.applicant), ("legalRep", data.legal_rep)):
        if prefix == "legalRep" and data.account_kind not in ENTERPRISE_KINDS:
            continue
        person = checked_person(ctx, person_input, problems, prefix)
        if person is not None:
            form |= {
                f"{prefix}Name": person.name,
                f"{prefix}IdType": person.id_type,
                f"{prefix}IdNumber": person.id_number,
                f"{prefix}IdValidFrom": person.valid_from or "",
                f"{prefix}IdValidTo": person.valid_to or "",
            }
    if data.account_kind in ENTERPRISE_KINDS:
        name = fields.text(problems, data.enterprise_name, "enterpriseName", max_length=100)
        code = fields.text(problems, data.org_code, "orgCode", max_length=18)
        form |= {"enterpriseName": name or "", "orgCode": (code or "").replace("-", "").upper()}
    return form


def _check_uploads(
    data: SubmitInput, uploads: list[UploadedFile], problems: Problems
) -> list[ReviewUpload]:
    needed = {UploadKind.ID_FRONT}
    if data.account_kind in ENTERPRISE_KINDS:
        needed.add(UploadKind.BUSINESS_LICENCE)
    for kind in needed - {u.kind for u in uploads}:
        problems.add(CommonErrorCode.REQUIRED, _upload_field(kind))
    kept = []
    for upload in uploads:
        image = check_file(upload, problems, _upload_field(upload.kind))
        if image is not None:
            kept.append(
                ReviewUpload(
                    review_id=0,
                    kind=image.kind,
                    content_type=image.content_type,
                    file_name=image.file_name,
                    size=len(image.content),
                    sha256=image.sha256,
                    content=image.content,
                )
            )
    return kept


def _upload_field(kind: UploadKind) -> str:
    return {
        UploadKind.ID_FRONT: "identityImage",
        UploadKind.ID_BACK: "identityImageBack",
        UploadKind.BUSINESS_LICENCE: "licenceImage",
    }[kind]


async def submit(
    ctx: RequestContext, data: SubmitInput, uploads: list[UploadedFile]
) -> ManualReview:
    allowed = (
        (AccountKind.ENTERPRISE_ADMIN, AccountKind.OPERATOR, AccountKind.INDIVIDUAL)
        if data.purpose == RecoveryPurpose.USERNAME
        else (AccountKind.ENTERPRISE_ADMIN,)
    )
    if data.account_kind not in allowed:
        raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE, "accountKind")
    problems = Problems()
    mobile = fields.mobile(problems, data.contact_mobile, "contactMobile")
    if not (data.sms_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "smsCode")
    form = _check_form(ctx, data, problems)
    password = None
    if data.purpose == RecoveryPurpose.PASSWORD:
        if fields.text(problems, data.username, "username", max_length=40):
            form["username"] = (data.username or "").strip()
        password = fields.new_password(problems, data.password, data.password_confirmation)
    kept = _check_uploads(data, uploads, problems)
    problems.raise_if_any()
    assert mobile is not None
    account = None
    if data.purpose == RecoveryPurpose.PASSWORD:
        account = await _named_account(ctx, form["username"])
    await recovery.count_attempt(ctx, data.purpose, account.id if account else None)
    await codes.consume(
        ctx, CodeChannel.SMS, CodePurpose.ACCOUNT_RECOVERY, mobile, data.sms_code, "smsCode"
    )
    review = ManualReview(
        purpose=data.purpose,
        account_kind=data.account_kind,
        contact_mobile=mobile,
        form=form,
        account_id=account.id if account else None,
        new_password_hash=await ctx.services.passwords.hash(password) if password else None,
        client_ip=ctx.client_ip,
        created_at=ctx.clock.now(),
    )
    ctx.db.add(review)
    await ctx.db.flush()
    assert review.id is not None
    for upload in kept:
        upload.review_id = review.id
        ctx.db.add(upload)
    await commit(ctx)
    return review


async def _named_account(ctx: RequestContext, username: str) -> Account:
    account = (
        await ctx.db.exec(select(Account).where(col(Account.username_key) == username.lower()))
    ).first()
    if account is None or account.kind != AccountKind.ENTERPRISE_ADMIN:
        raise UserErrors.one(RecoveryErrorCode.ACCOUNT_NOT_FOUND, "username")
    return account


def require_reviewer(ctx: RequestContext) -> Account:
    account = permissions.require_account(ctx)
    if account.kind != AccountKind.PLATFORM_REVIEWER:
        raise Forbidden("REVIEWERS_ONLY", ctx.locale)
    return account


async def search(
    ctx: RequestContext, status: ReviewStatus | None, first: int, after: str | None
) -> pagination.Page[ManualReview]:
    """The queue, oldest first (first come, first served)."""
    require_reviewer(ctx)
    statement = select(ManualReview).order_by(col(ManualReview.id))
    if status is not None:
        statement = statement.where(col(ManualReview.status) == status)
    return await pagination.paginate(ctx, statement, first, after)


async def by_ids(ctx: RequestContext, ids: list[int]) -> list[ManualReview | None]:
    """node(id): reviewers only."""
    require_reviewer(ctx)
    rows = (await ctx.db.exec(select(ManualReview).where(col(ManualReview.id).in_(ids)))).all()
    by_id = {r.id: r for r in rows}
    return [by_id.get(i) for i in ids]


async def candidates(ctx: RequestContext, review: ManualReview) -> list[Account]:
    """The accounts the form describes: what the reviewer chooses from."""
    assert review.id is not None
    return (await candidates_for(ctx.db, [review]))[review.id]


async def candidates_for(db: AsyncSession, reviews: list[ManualReview]) -> dict[int, list[Account]]:
    """Candidates of many reviews in two statements (the queue page asks for all of them)."""
    found: dict[int, list[Account]] = {r.id: [] for r in reviews if r.id is not None}
    named = {r.account_id for r in reviews if r.account_id is not None}
    by_form = [r for r in reviews if r.account_id is None]
    names = {
        r.form.get("enterpriseName", "") for r in by_form if r.account_kind in ENTERPRISE_KINDS
    }
    enterprises = (
        list((await db.exec(select(Enterprise).where(col(Enterprise.name).in_(names)))).all())
        if names
        else []
    )
    numbers = {r.form.get("applicantIdNumber", "") for r in by_form}
    conditions = [col(Account.id).in_(named), col(Account.id_number).in_(numbers)]
    if enterprises:
        conditions.append(col(Account.enterprise_id).in_([e.id for e in enterprises]))
    accounts = list(
        (await db.exec(select(Account).where(or_(*conditions)).order_by(col(Account.id)))).all()
    )
    for review in reviews:
        assert review.id is not None
        found[review.id] = [a for a in accounts if _describes(review, a, enterprises)]
    return found


def _describes(review: ManualReview, account: Account, enterprises: list[Enterprise]) -> bool:
    if review.account_id is not None:
        return account.id == review.account_id
    form = review.form
    if account.kind != review.account_kind:
        return False
    if review.account_kind in ENTERPRISE_KINDS:
        code = form.get("orgCode", "")
        enterprise = next(
            (
                e
                for e in enterprises
                if e.name == form.get("enterpriseName") and code in (e.org_code, e.uscc)
            ),
            None,
        )
        if enterprise is None or account.enterprise_id != enterprise.id:
            return False
        if review.account_kind == AccountKind.ENTERPRISE_ADMIN:
            return True
    return (account.id_type, account.id_number) == (
        form.get("applicantIdType"),
        form.get("applicantIdNumber"),
    )


async def decide_once(
    ctx: RequestContext, model: type[Any], pk: int, waiting: str, outcome: str, **values: object
) -> Any:
    """A reviewer's decision on a request still ``waiting``: made once, by one reviewer (manual
    reviews here, certifications too)."""
    reviewer = require_reviewer(ctx)
    row = await ctx.db.get(model, pk)
    if row is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    decided = await transition(
        ctx,
        row,
        (waiting,),
        status=outcome,
        reviewer_id=reviewer.id,
        decided_at=ctx.clock.now(),
        **values,
    )
    if not decided:
        raise UserErrors.one(RecoveryErrorCode.REVIEW_ALREADY_DECIDED, "id")
    return row


async def _claim(
    ctx: RequestContext, review_id: int, outcome: ReviewStatus, **values: object
) -> ManualReview:
    review: ManualReview = await decide_once(
        ctx, ManualReview, review_id, ReviewStatus.PENDING, outcome, **values
    )
    return review


async def approve(ctx: RequestContext, review_id: int, username: str | None) -> ManualReview:
    review = await ctx.db.get(ManualReview, review_id)
    if review is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    require_reviewer(ctx)
    if review.status != ReviewStatus.PENDING:
        raise UserErrors.one(RecoveryErrorCode.REVIEW_ALREADY_DECIDED, "id")
    matches = await candidates(ctx, review)
    wanted = (username or "").strip().lower()
    chosen = [a for a in matches if not wanted or a.username_key == wanted]
    if len(chosen) != 1:
        raise UserErrors.one(RecoveryErrorCode.REVIEW_ACCOUNT_REQUIRED, "username")
    account = chosen[0]
    review = await _claim(ctx, review_id, ReviewStatus.APPROVED, account_id=account.id)
    if review.purpose == RecoveryPurpose.PASSWORD:
        assert review.new_password_hash is not None
        await password_reset.set_password(ctx, account, "", hashed=review.new_password_hash)
        text = SMS_APPROVED_PASSWORD.format(username=account.username)
    else:
        text = SMS_APPROVED_USERNAME.format(usernames=account.username)
    assert review.id is not None
    audit.record(
        ctx,
        review.reviewer_id,
        "MANUAL_REVIEW_APPROVED",
        "manual_review",
        review.id,
        account=account.username,
    )
    await ctx.services.sender.send_sms(review.contact_mobile, text)
    await commit(ctx)
    return review


async def reject(ctx: RequestContext, review_id: int, reason: str) -> ManualReview:
    problems = Problems()
    checked = fields.text(problems, reason, "reason", max_length=200)
    problems.raise_if_any()
    assert checked is not None
    review = await _claim(ctx, review_id, ReviewStatus.REJECTED, reason=checked)
    assert review.id is not None
    audit.record(
        ctx,
        review.reviewer_id,
        "MANUAL_REVIEW_REJECTED",
        "manual_review",
        review.id,
        reason=checked,
    )
    text = SMS_REJECTED.format(what=WHAT[RecoveryPurpose(review.purpose)], reason=checked)
    await ctx.services.sender.send_sms(review.contact_mobile, text)
    await commit(ctx)
    return review
