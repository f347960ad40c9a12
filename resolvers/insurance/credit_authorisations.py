"""Credit-check authorisations (企业征信授权书, TI-4): an operator with the tariff-insurance
permission (TI-2) chooses an insurer and their own enabled seal and signs the letter with the card
in two steps; it goes to the insurer through the outbox and the insurer answers SUCCEEDED or
FAILED through its webhook. A quota application needs a valid SUCCEEDED one with that insurer
(TI-5).

The letter says "有效期一年": it is valid from its signing date to the day before the same date a
year later (China Standard Time), then EXPIRED (at once on read, written down by the expiry job);
an expired letter no longer counts and may be signed again.

Before any of it, the enterprise has signed the three-party agreement
("使用'单一窗口'关税保证保险服务首先需要企业签署此文书，协议签署一次即可。
如果企业已经完成签约则跳过此步骤"): a SIGNED agreement (enterprise, bank, data center),
whatever its bank and functions, since the guide asks for it once and skips the step for an
enterprise that has signed one.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select

from integrations import documents
from models import (
    Agreement,
    AgreementStatus,
    CreditAuthorisation,
    CreditAuthorisationStatus,
    DocumentKind,
    Enterprise,
    Institution,
    InstitutionKind,
    SigningSession,
)
from resolvers.agreements import signing
from resolvers.core import pagination, scopes
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit, send_later
from resolvers.insurance import access, states
from resolvers.insurance.errors import InsuranceErrorCode

KIND = "credit-authorisations"
TERMS = (
    "本企业授权被授权人通过中国（辽宁）国际贸易单一窗口查询、使用本企业的海关进出口、纳税及信用数据，"
    "用于关税保证保险的额度审批、承保及风险管理。",
    "被授权人承诺仅将上述数据用于约定用途，依法保护本企业的商业秘密。",
    "本授权书自签署之日起生效，有效期一年。",
)


@dataclass
class AuthorisationDraft:
    insurer_id: int
    seal_id: int
    certificate: str


@dataclass(frozen=True)
class PreparedAuthorisation:
    session: SigningSession
    preview_pdf: bytes


async def insurer(ctx: RequestContext, problems: Problems, insurer_id: int) -> Institution | None:
    found: Institution | None = await ctx.loaders.institution.load(insurer_id)
    if found is None or found.kind != InstitutionKind.INSURER:
        problems.add(CommonErrorCode.NOT_FOUND, "insurerId")
        return None
    return found


async def require_agreement(ctx: RequestContext, enterprise_id: int) -> None:
    """The three-party agreement the guide has the legal person sign first (TI-3, TI-4, TI-5):
    one SIGNED agreement of the enterprise (签约成功), with any bank, for any function."""
    signed = (
        await ctx.db.exec(
            select(Agreement.id)
            .where(col(Agreement.enterprise_id) == enterprise_id)
            .where(col(Agreement.status) == AgreementStatus.SIGNED)
            .limit(1)
        )
    ).first()
    if signed is None:
        raise UserErrors.one(InsuranceErrorCode.THREE_PARTY_AGREEMENT_REQUIRED, "insurerId")


async def _letters(
    ctx: RequestContext, enterprise_id: int, insurer_id: int
) -> list[CreditAuthorisation]:
    """The enterprise's letters with one insurer, the newest first."""
    rows = await ctx.db.exec(
        select(CreditAuthorisation)
        .where(col(CreditAuthorisation.enterprise_id) == enterprise_id)
        .where(col(CreditAuthorisation.institution_id) == insurer_id)
        .order_by(col(CreditAuthorisation.submitted_at).desc(), col(CreditAuthorisation.id).desc())
    )
    return list(rows.all())


async def _check_not_blocked(ctx: RequestContext, enterprise_id: int, insurer_id: int) -> None:
    """A letter under way, or accepted and still valid, makes a second one pointless."""
    today = ctx.clock.today()
    blocking = (CreditAuthorisationStatus.SUBMITTED, CreditAuthorisationStatus.SUCCEEDED)
    if any(
        states.authorisation_status(letter, today) in blocking
        for letter in await _letters(ctx, enterprise_id, insurer_id)
    ):
        raise UserErrors.one(InsuranceErrorCode.CREDIT_AUTHORISATION_EXISTS, "insurerId")


def _number(ctx: RequestContext) -> str:
    return ctx.clock.now().strftime("%Y%m%d") + f"{secrets.randbelow(10**12):012d}"


async def prepare(ctx: RequestContext, draft: AuthorisationDraft) -> PreparedAuthorisation:
    """Step one: the letter with the seal, and what the card must sign."""
    signer = await access.require_actor(ctx)
    enterprise: Enterprise = await ctx.loaders.enterprise.load(signer.enterprise_id or 0)
    problems = Problems()
    chosen = await insurer(ctx, problems, draft.insurer_id)
    seal = await signing.signer_seal(ctx, problems, draft.seal_id, signer)
    problems.raise_if_any()
    assert chosen is not None and seal is not None
    await require_agreement(ctx, enterprise.id or 0)
    await _check_not_blocked(ctx, enterprise.id or 0, chosen.id or 0)
    number = _number(ctx)
    today = ctx.clock.today()
    document = documents.Document(
        title="企业征信授权书",
        number=number,
        number_label="授权书编号",
        date=today.isoformat(),
        parties=(
            documents.Party(
                "授权人",
                enterprise.name,
                (
                    f"统一社会信用代码：{enterprise.uscc}",
                    f"法定代表人：{enterprise.legal_rep_name}",
                ),
            ),
            documents.Party("被授权人", chosen.name),
        ),
        sections=(
            ("授权事项", TERMS),
            (
                "有效期",
                (
                    f"自{today.isoformat()}起至{states.last_day_of_a_year(today).isoformat()}止"
                    "（以签署日期起算一年）。",
                ),
            ),
        ),
        seal_png=seal.image_png,
        seal_size_mm=min(42.0, seal.width_mm or 40.0),
        signer_label="授权人（签章）",
    )
    subject = {"number": number, "insurerId": chosen.id, "sealId": seal.id}
    session, pdf = await signing.start(
        ctx, signer, DocumentKind.CREDIT_AUTHORISATION, document, draft.certificate, subject
    )
    await commit(ctx)
    return PreparedAuthorisation(session, pdf)


async def complete(ctx: RequestContext, session_id: str, signature: str) -> CreditAuthorisation:
    """Step two: the signed letter goes to the insurer; it is valid for a year from today."""
    signer = await access.require_actor(ctx)
    session = await signing.open_session(ctx, signer, session_id, DocumentKind.CREDIT_AUTHORISATION)
    subject = session.subject
    insurer_id = int(str(subject["insurerId"]))
    enterprise_id = signer.enterprise_id or 0
    await require_agreement(ctx, enterprise_id)
    await _check_not_blocked(ctx, enterprise_id, insurer_id)
    document = await signing.finish(ctx, session, signature, enterprise_id, insurer_id)
    enterprise: Enterprise = await ctx.loaders.enterprise.load(enterprise_id)
    now = ctx.clock.now()
    authorisation = CreditAuthorisation(
        number=str(subject["number"]),
        enterprise_id=enterprise_id,
        institution_id=insurer_id,
        seal_id=int(str(subject["sealId"])),
        document_id=document.id or 0,
        signed_by_account_id=signer.id or 0,
        status=CreditAuthorisationStatus.SUBMITTED,
        submitted_at=now,
        updated_at=now,
        valid_from=ctx.clock.today(),
        valid_to=states.last_day_of_a_year(ctx.clock.today()),
    )
    ctx.db.add(authorisation)
    await ctx.db.flush()
    send_later(
        ctx,
        insurer_id,
        "CREDIT_AUTHORISATION_SUBMIT",
        authorisation.number,
        {
            "enterpriseUscc": enterprise.uscc,
            "enterpriseName": enterprise.name,
            "documentSha256": document.sha256,
            "validFrom": authorisation.valid_from.isoformat(),
            "validTo": authorisation.valid_to.isoformat(),
            "document": base64.b64encode(document.pdf).decode(),
        },
    )
    _announce(ctx, authorisation)
    await commit(ctx)
    ctx.services.outbox_signal()
    return authorisation


def _announce(ctx: RequestContext, row: CreditAuthorisation) -> None:
    event = {"type": "CREDIT_AUTHORISATION_STATUS_CHANGED", "id": row.id, "status": str(row.status)}
    scopes.announce(ctx, KIND, row, event)


async def decide(ctx: RequestContext, insurer_code: str, event: dict[str, Any]) -> None:
    """The insurer's answer: SUCCEEDED (成功) or FAILED with its reason."""
    row = await scopes.addressed_to(
        ctx, CreditAuthorisation, insurer_code, str(event.get("reference"))
    )
    decision = str(event.get("decision"))
    if row.status != CreditAuthorisationStatus.SUBMITTED or decision not in ("SUCCEEDED", "FAILED"):
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
    _settle(ctx, row, CreditAuthorisationStatus(decision), event.get("reason"))
    await commit(ctx)


def _settle(
    ctx: RequestContext, row: CreditAuthorisation, status: CreditAuthorisationStatus, reason: Any
) -> None:
    row.status = status
    row.insurer_reason = str(reason or "")[:200] or None
    row.decided_at = row.updated_at = ctx.clock.now()
    ctx.db.add(row)
    _announce(ctx, row)


async def mark_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up: the letter never reached the insurer, and may be signed again."""
    row = (
        await ctx.db.exec(
            select(CreditAuthorisation).where(col(CreditAuthorisation.number) == number)
        )
    ).first()
    if row is not None and row.status == CreditAuthorisationStatus.SUBMITTED:
        _settle(ctx, row, CreditAuthorisationStatus.FAILED, reason)


async def require_valid(ctx: RequestContext, enterprise_id: int, insurer_id: int) -> None:
    """A quota (re-)application needs a SUCCEEDED letter with the insurer, still in its year."""
    today = ctx.clock.today()
    letters = await _letters(ctx, enterprise_id, insurer_id)
    if any(
        states.authorisation_status(letter, today) == CreditAuthorisationStatus.SUCCEEDED
        for letter in letters
    ):
        return
    expired = [
        letter.valid_to
        for letter in letters
        if states.authorisation_status(letter, today) == CreditAuthorisationStatus.EXPIRED
    ]
    if expired:
        raise UserErrors.one(
            InsuranceErrorCode.CREDIT_AUTHORISATION_EXPIRED,
            "insurerId",
            expired=max(expired).isoformat(),
        )
    raise UserErrors.one(InsuranceErrorCode.CREDIT_AUTHORISATION_REQUIRED, "insurerId")


async def expire_due(ctx: RequestContext) -> int:
    """Part of the expiry job: SUCCEEDED letters past their year become EXPIRED."""
    due = (
        await ctx.db.exec(
            select(CreditAuthorisation)
            .where(col(CreditAuthorisation.status) == CreditAuthorisationStatus.SUCCEEDED)
            .where(col(CreditAuthorisation.valid_to) < ctx.clock.today())
            .with_for_update(skip_locked=True)
        )
    ).all()
    for letter in due:
        letter.status = CreditAuthorisationStatus.EXPIRED
        letter.updated_at = ctx.clock.now()
        ctx.db.add(letter)
        _announce(ctx, letter)
    return len(due)


def status_condition(status: CreditAuthorisationStatus, today: date) -> Any:
    """Letters whose status as of ``today`` is ``status``."""
    succeeded = col(CreditAuthorisation.status) == CreditAuthorisationStatus.SUCCEEDED
    past = col(CreditAuthorisation.valid_to) < today
    if status == CreditAuthorisationStatus.EXPIRED:
        expired = col(CreditAuthorisation.status) == CreditAuthorisationStatus.EXPIRED
        return or_(expired, and_(succeeded, past))
    if status == CreditAuthorisationStatus.SUCCEEDED:
        return and_(succeeded, ~past)
    return col(CreditAuthorisation.status) == status


@dataclass
class AuthorisationFilter:
    insurer_id: int | None = None
    status: CreditAuthorisationStatus | None = None
    signed_from: datetime | None = None
    signed_to: datetime | None = None


async def search(
    ctx: RequestContext, wanted: AuthorisationFilter, first: int, after: str | None
) -> pagination.Page[CreditAuthorisation]:
    """By insurer, status and signing time, newest first (企业征信信息)."""
    await access.require_reader(ctx)
    statement = scopes.newest_first(ctx, CreditAuthorisation, wanted.insurer_id, None)
    if wanted.status is not None:
        statement = statement.where(status_condition(wanted.status, ctx.clock.today()))
    if wanted.signed_from is not None:
        statement = statement.where(col(CreditAuthorisation.submitted_at) >= wanted.signed_from)
    if wanted.signed_to is not None:
        statement = statement.where(col(CreditAuthorisation.submitted_at) < wanted.signed_to)
    return await pagination.paginate(ctx, statement, first, after)
