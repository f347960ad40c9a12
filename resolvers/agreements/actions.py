"""Three-party agreements (LN-2, LN-3, LN-4, TI-3): signed with the legal-person card in two
steps, sent to the bank through the outbox, decided by the bank's signed webhook.

Rules (TI-3): one bank cannot be signed twice for a function while an agreement covering it is
SUBMITTED, SIGNED or being terminated; remittances need a SIGNED USER_BINDING with that bank
first; FINANCING does not (its drawdown does). FAILED agreements may be signed again. Only
SIGNED agreements may be terminated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from sqlmodel import col, select

from integrations import documents
from models import (
    Agreement,
    AgreementEvent,
    AgreementFunction,
    AgreementStatus,
    DocumentKind,
    Enterprise,
    Institution,
    InstitutionKind,
    Seal,
    SignedDocument,
    SigningSession,
)
from resolvers.agreements import signing
from resolvers.agreements.errors import AgreementErrorCode
from resolvers.cards import actions as cards
from resolvers.core import events, pagination, scopes
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit, send_later

DATA_CENTER = "中国电子口岸数据中心"
REMITTANCES = {AgreementFunction.INWARD_REMITTANCE, AgreementFunction.OUTWARD_REMITTANCE}
BLOCKING = (
    AgreementStatus.SUBMITTED,
    AgreementStatus.SIGNED,
    AgreementStatus.TERMINATION_REQUESTED,
)
FUNCTION_NAMES = {
    AgreementFunction.USER_BINDING: "用户绑定",
    AgreementFunction.ACCOUNT_OPENING: "开户预约",
    AgreementFunction.INWARD_REMITTANCE: "汇入汇款",
    AgreementFunction.OUTWARD_REMITTANCE: "汇出汇款",
    AgreementFunction.FINANCING: "融资申请",
    AgreementFunction.GUARANTEE: "保函开立",
}
TERMS = (
    "甲方授权丙方将甲方在海关的报关、纳税、信用等数据提供给乙方，用于乙方为甲方办理上述签约功能对应的业务。",
    "乙方承诺仅将上述数据用于约定业务，依法保护甲方的商业秘密和个人信息。",
    "丙方负责数据的安全传输，不对乙方的业务决定承担责任。",
    "本协议自乙方确认签约成功之日起生效；甲方可申请解约，解约经乙方处理后生效。",
)


@dataclass
class AgreementDraft:
    bank_id: int
    functions: list[AgreementFunction]
    seal_id: int
    certificate: str  # base64 DER of the card's signing certificate (slot 9C)
    accept_terms: bool


@dataclass(frozen=True)
class PreparedAgreement:
    session: SigningSession
    preview_pdf: bytes


async def _check_draft(
    ctx: RequestContext, draft: AgreementDraft, enterprise_id: int
) -> tuple[Institution, Seal]:
    problems = Problems()
    bank = await ctx.loaders.institution.load(draft.bank_id)
    if bank is None or bank.kind != InstitutionKind.BANK:
        problems.add(CommonErrorCode.NOT_FOUND, "bankId")
    if not draft.functions:
        problems.add(CommonErrorCode.REQUIRED, "functions")
    if not draft.accept_terms:
        problems.add(CommonErrorCode.CONSENT_REQUIRED, "acceptTerms")
    signer = ctx.viewer.account
    assert signer is not None
    seal = await signing.signer_seal(ctx, problems, draft.seal_id, signer)
    problems.raise_if_any()
    assert bank is not None and seal is not None
    await _check_functions(ctx, enterprise_id, bank.id or 0, set(draft.functions))
    return bank, seal


async def _check_functions(
    ctx: RequestContext, enterprise_id: int, bank_id: int, wanted: set[AgreementFunction]
) -> None:
    rows = await ctx.db.exec(
        select(Agreement)
        .where(col(Agreement.enterprise_id) == enterprise_id)
        .where(col(Agreement.institution_id) == bank_id)
        .where(col(Agreement.status).in_(BLOCKING))
    )
    existing = list(rows.all())
    taken = {AgreementFunction(f) for a in existing for f in a.functions}
    if wanted & taken:
        raise UserErrors.one(
            AgreementErrorCode.FUNCTION_ALREADY_SIGNED,
            "functions",
            functions="、".join(FUNCTION_NAMES[f] for f in sorted(wanted & taken)),
        )
    bound = any(
        a.status == AgreementStatus.SIGNED and AgreementFunction.USER_BINDING in a.functions
        for a in existing
    )
    if wanted & REMITTANCES and not bound:
        raise UserErrors.one(CommonErrorCode.USER_BINDING_REQUIRED, "functions")


def _number(ctx: RequestContext) -> str:
    return ctx.clock.now().strftime("%Y%m%d") + f"{secrets.randbelow(10**12):012d}"


async def prepare(ctx: RequestContext, draft: AgreementDraft) -> PreparedAgreement:
    """Step one (LN-2): render the agreement with the seal and say what the card must sign."""
    signer = cards.require_legal_person_card(ctx)
    enterprise: Enterprise = await ctx.loaders.enterprise.load(signer.enterprise_id or 0)
    bank, seal = await _check_draft(ctx, draft, enterprise.id or 0)
    number = _number(ctx)
    functions = sorted(set(draft.functions))
    document = documents.Document(
        title="三方协议",
        number=number,
        date=ctx.clock.today().isoformat(),
        parties=(
            documents.Party(
                "甲方",
                enterprise.name,
                (
                    f"统一社会信用代码：{enterprise.uscc}",
                    f"法定代表人：{enterprise.legal_rep_name}",
                ),
            ),
            documents.Party("乙方", bank.name),
            documents.Party("丙方", DATA_CENTER),
        ),
        sections=(
            ("签约功能", ("、".join(FUNCTION_NAMES[f] for f in functions),)),
            ("协议条款", TERMS),
        ),
        seal_png=seal.image_png,
        seal_size_mm=min(42.0, seal.width_mm or 40.0),
    )
    subject = {"number": number, "bankId": bank.id, "functions": list(functions), "sealId": seal.id}
    session, pdf = await signing.start(
        ctx, signer, DocumentKind.AGREEMENT, document, draft.certificate, subject
    )
    await commit(ctx)
    return PreparedAgreement(session, pdf)


async def complete(ctx: RequestContext, session_id: str, signature: str) -> Agreement:
    """Step two (LN-2): embed the card's signature; the agreement goes to the bank."""
    signer = cards.require_legal_person_card(ctx)
    session = await signing.open_session(ctx, signer, session_id, DocumentKind.AGREEMENT)
    subject = session.subject
    functions = {AgreementFunction(str(f)) for f in subject["functions"]}  # type: ignore[attr-defined]
    bank_id = int(str(subject["bankId"]))
    # The world may have moved between the steps: check the rules again.
    await _check_functions(ctx, signer.enterprise_id or 0, bank_id, functions)
    document = await signing.finish(ctx, session, signature, signer.enterprise_id or 0, bank_id)
    now = ctx.clock.now()
    agreement = Agreement(
        number=str(subject["number"]),
        enterprise_id=signer.enterprise_id or 0,
        institution_id=bank_id,
        functions=sorted(f.value for f in functions),
        status=AgreementStatus.SUBMITTED,
        seal_id=int(str(subject["sealId"])),
        document_id=document.id or 0,
        signed_by_account_id=signer.id or 0,
        submitted_at=now,
        updated_at=now,
    )
    ctx.db.add(agreement)
    await ctx.db.flush()
    _history(ctx, agreement, None)
    _to_bank(ctx, agreement, "AGREEMENT_SUBMIT", document)
    await commit(ctx)
    ctx.services.outbox_signal()
    return agreement


def _history(ctx: RequestContext, agreement: Agreement, reason: str | None) -> None:
    ctx.db.add(
        AgreementEvent(
            agreement_id=agreement.id or 0,
            status=agreement.status,
            reason=reason,
            at=ctx.clock.now(),
        )
    )
    events.agreement_event(ctx, agreement)


def _to_bank(
    ctx: RequestContext, agreement: Agreement, kind: str, document: SignedDocument | None
) -> None:
    """The outgoing call, in the same transaction as the state change (at-least-once delivery)."""
    payload: dict[str, object] = {
        "functions": agreement.functions,
        "enterpriseId": agreement.enterprise_id,
    }
    if document is not None:
        payload["documentSha256"] = document.sha256
        payload["document"] = base64.b64encode(document.pdf).decode()
    send_later(ctx, agreement.institution_id, kind, agreement.number, payload)


async def terminate(ctx: RequestContext, agreement_id: int, confirmed: bool) -> Agreement:
    """LN-4: only SIGNED agreements, after confirmation; the bank processes it."""
    signer = cards.require_legal_person_card(ctx)
    agreement = await agreement_of_enterprise(ctx, agreement_id, signer.enterprise_id or 0)
    if not confirmed:
        raise UserErrors.one(CommonErrorCode.CONFIRMATION_REQUIRED, "confirm")
    if not can_terminate(agreement.status):
        raise UserErrors.one(AgreementErrorCode.AGREEMENT_NOT_SIGNED, "id")
    agreement.status = AgreementStatus.TERMINATION_REQUESTED
    agreement.updated_at = ctx.clock.now()
    ctx.db.add(agreement)
    _history(ctx, agreement, None)
    _to_bank(ctx, agreement, "AGREEMENT_TERMINATE", None)
    await commit(ctx)
    ctx.services.outbox_signal()
    return agreement


def can_terminate(status: AgreementStatus) -> bool:
    """LN-4: only SIGNED agreements may be terminated."""
    return status == AgreementStatus.SIGNED


def shown_revision(document: SignedDocument) -> tuple[str, bytes]:
    """The agreement as its parties see it (LN-3): the bank's counter-signed revision once there
    is one, the enterprise's signed PDF before; its SHA-256 and its bytes."""
    return (
        document.counter_signed_sha256 or document.sha256,
        document.counter_signed_pdf or document.pdf,
    )


async def agreement_of_enterprise(
    ctx: RequestContext, agreement_id: int, enterprise_id: int
) -> Agreement:
    row = (await ctx.db.exec(select(Agreement).where(col(Agreement.id) == agreement_id))).first()
    if row is None or row.enterprise_id != enterprise_id:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    return row


@dataclass
class AgreementFilter:
    bank_id: int | None = None
    status: AgreementStatus | None = None


async def search(
    ctx: RequestContext, wanted: AgreementFilter, first: int, after: str | None
) -> pagination.Page[Agreement]:
    statement = scopes.newest_first(ctx, Agreement, wanted.bank_id, wanted.status)
    return await pagination.paginate(ctx, statement, first, after)


async def decide(ctx: RequestContext, bank_code: str, event: dict[str, Any]) -> None:
    """The bank's answer, from its webhook: SIGNED (with its counter-signature) or FAILED,
    TERMINATED or back to SIGNED."""
    number, decision, reason = (
        str(event.get("reference")),
        str(event.get("decision")),
        event.get("reason"),
    )
    agreement = await scopes.addressed_to(ctx, Agreement, bank_code, number)
    transitions = {
        (AgreementStatus.SUBMITTED, "SIGNED"): AgreementStatus.SIGNED,
        (AgreementStatus.SUBMITTED, "FAILED"): AgreementStatus.FAILED,
        (AgreementStatus.TERMINATION_REQUESTED, "TERMINATED"): AgreementStatus.TERMINATED,
        (AgreementStatus.TERMINATION_REQUESTED, "TERMINATION_REFUSED"): AgreementStatus.SIGNED,
    }
    target = transitions.get((agreement.status, decision))
    if target is None:
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "decision")
    if target == AgreementStatus.SIGNED and event.get("counterSignedDocument"):
        await _store_counter_signature(ctx, agreement, str(event["counterSignedDocument"]))
    agreement.status = target
    agreement.bank_reason = (reason or "")[:200] or None
    agreement.decided_at = agreement.updated_at = ctx.clock.now()
    ctx.db.add(agreement)
    _history(ctx, agreement, agreement.bank_reason)
    await commit(ctx)


async def submit_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up on the signed agreement: 签约失败 with the reason, so the enterprise
    sees it and may sign the functions again (a SUBMITTED agreement would block them forever)."""
    await _gave_up(ctx, number, AgreementStatus.SUBMITTED, AgreementStatus.FAILED, reason)


async def terminate_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up on the termination: the agreement is SIGNED again, with the reason in
    its history, and the termination may be requested again."""
    await _gave_up(
        ctx, number, AgreementStatus.TERMINATION_REQUESTED, AgreementStatus.SIGNED, reason
    )


async def _gave_up(
    ctx: RequestContext,
    number: str,
    waiting: AgreementStatus,
    target: AgreementStatus,
    reason: str,
) -> None:
    statement = select(Agreement).where(col(Agreement.number) == number)
    agreement = (await ctx.db.exec(statement)).first()
    if agreement is None or agreement.status != waiting:
        return  # the bank answered after all, or the record is gone
    agreement.status = target
    agreement.bank_reason = reason[:200]
    agreement.updated_at = ctx.clock.now()
    ctx.db.add(agreement)
    _history(ctx, agreement, agreement.bank_reason)


async def _store_counter_signature(ctx: RequestContext, agreement: Agreement, encoded: str) -> None:
    """Keep the bank's counter-signed PDF only if it is the enterprise's document, untouched, with
    a second valid signature (an incremental update: both signatures validate)."""
    statement = select(SignedDocument).where(col(SignedDocument.id) == agreement.document_id)
    document = (await ctx.db.exec(statement)).one()
    try:
        pdf = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error) as error:
        raise UserErrors.one(
            AgreementErrorCode.COUNTER_SIGNATURE_INVALID, "counterSignedDocument"
        ) from error
    roots = [root.public_bytes(Encoding.DER) for root in ctx.services.card_verifier.roots]
    reports = await documents.validate(pdf, roots) if pdf.startswith(document.pdf) else []
    if len(reports) != 2 or not all(r.intact and r.valid and r.trusted for r in reports):
        raise UserErrors.one(AgreementErrorCode.COUNTER_SIGNATURE_INVALID, "counterSignedDocument")
    document.counter_signed_pdf = pdf
    document.counter_signed_sha256 = hashlib.sha256(pdf).hexdigest()
    document.counter_signed_at = ctx.clock.now()
    ctx.db.add(document)
