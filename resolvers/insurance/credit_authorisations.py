"""Credit-check authorisations (企业征信授权书, TI-4): an operator with the tariff-insurance
permission (TI-2) chooses an insurer and their own enabled seal and signs the letter with the card
in two steps; it goes to the insurer through the outbox and the insurer answers SUCCEEDED or
FAILED through its webhook. A quota application needs a SUCCEEDED one with that insurer (TI-5).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from integrations import documents
from models import (
    BusinessPermission,
    CreditAuthorisation,
    CreditAuthorisationStatus,
    DocumentKind,
    Enterprise,
    Institution,
    InstitutionKind,
    SigningSession,
)
from resolvers.agreements import signing
from resolvers.cards import actions as cards
from resolvers.core import pagination, scopes
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit, send_later
from resolvers.insurance.errors import InsuranceErrorCode

KIND = "credit-authorisations"
# A letter under way or accepted makes a second one with the same insurer pointless.
BLOCKING = (CreditAuthorisationStatus.SUBMITTED, CreditAuthorisationStatus.SUCCEEDED)
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


async def _check_not_blocked(ctx: RequestContext, enterprise_id: int, insurer_id: int) -> None:
    existing = (
        await ctx.db.exec(
            select(CreditAuthorisation.id)
            .where(col(CreditAuthorisation.enterprise_id) == enterprise_id)
            .where(col(CreditAuthorisation.institution_id) == insurer_id)
            .where(col(CreditAuthorisation.status).in_(BLOCKING))
        )
    ).first()
    if existing is not None:
        raise UserErrors.one(InsuranceErrorCode.CREDIT_AUTHORISATION_EXISTS, "insurerId")


def _number(ctx: RequestContext) -> str:
    return ctx.clock.now().strftime("%Y%m%d") + f"{secrets.randbelow(10**12):012d}"


async def prepare(ctx: RequestContext, draft: AuthorisationDraft) -> PreparedAuthorisation:
    """Step one: the letter with the seal, and what the card must sign."""
    signer = await cards.require_permission(ctx, BusinessPermission.TARIFF_INSURANCE)
    enterprise: Enterprise = await ctx.loaders.enterprise.load(signer.enterprise_id or 0)
    problems = Problems()
    chosen = await insurer(ctx, problems, draft.insurer_id)
    seal = await signing.signer_seal(ctx, problems, draft.seal_id, signer)
    problems.raise_if_any()
    assert chosen is not None and seal is not None
    await _check_not_blocked(ctx, enterprise.id or 0, chosen.id or 0)
    number = _number(ctx)
    document = documents.Document(
        title="企业征信授权书",
        number=number,
        date=ctx.clock.today().isoformat(),
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
        sections=(("授权事项", TERMS),),
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
    """Step two: the signed letter goes to the insurer."""
    signer = await cards.require_permission(ctx, BusinessPermission.TARIFF_INSURANCE)
    session = await signing.open_session(ctx, signer, session_id, DocumentKind.CREDIT_AUTHORISATION)
    subject = session.subject
    insurer_id = int(str(subject["insurerId"]))
    enterprise_id = signer.enterprise_id or 0
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


async def has_succeeded(ctx: RequestContext, enterprise_id: int, insurer_id: int) -> bool:
    found = (
        await ctx.db.exec(
            select(CreditAuthorisation.id)
            .where(col(CreditAuthorisation.enterprise_id) == enterprise_id)
            .where(col(CreditAuthorisation.institution_id) == insurer_id)
            .where(col(CreditAuthorisation.status) == CreditAuthorisationStatus.SUCCEEDED)
        )
    ).first()
    return found is not None


@dataclass
class AuthorisationFilter:
    insurer_id: int | None = None
    status: CreditAuthorisationStatus | None = None
    signed_from: datetime | None = None
    signed_to: datetime | None = None


async def search(
    ctx: RequestContext, wanted: AuthorisationFilter, first: int, after: str | None
) -> pagination.Page[CreditAuthorisation]:
    """By insurer and signing time, newest first (企业征信信息)."""
    statement = scopes.newest_first(ctx, CreditAuthorisation, wanted.insurer_id, wanted.status)
    if wanted.signed_from is not None:
        statement = statement.where(col(CreditAuthorisation.submitted_at) >= wanted.signed_from)
    if wanted.signed_to is not None:
        statement = statement.where(col(CreditAuthorisation.submitted_at) < wanted.signed_to)
    return await pagination.paginate(ctx, statement, first, after)
