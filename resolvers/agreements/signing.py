"""Two-step card signing of a document, shared by every signed business (agreements LN-2, loan
authorisation letters LN-5, credit-check authorisations TI-4).

Step one stores a :class:`SigningSession` (the prepared PDF and what the card must sign); step two
checks the card's signature, completes the PAdES signature and stores the immutable
:class:`SignedDocument` with its SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from integrations import documents
from integrations.card import CertificateRejected
from models import Account, DocumentKind, Seal, SealStatus, SignedDocument, SigningSession
from resolvers.agreements.errors import AgreementErrorCode
from resolvers.cards import actions as cards
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors

SESSION_TTL = timedelta(minutes=10)


def signer_certificate(ctx: RequestContext, value: str, signer: Account) -> tuple[bytes, str]:
    """The card's signing certificate: valid for the card CA, of a card the signer holds."""
    try:
        der = base64.b64decode(value.strip(), validate=True)
        identity = ctx.services.card_verifier.verify(der, ctx.clock.now())
    except (binascii.Error, ValueError) as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "certificate") from error
    except CertificateRejected as error:
        raise UserErrors.one(
            CommonErrorCode.CARD_CERTIFICATE_REJECTED, "certificate", reason=error.reason
        ) from error
    return der, identity.card_number


async def start(
    ctx: RequestContext,
    signer: Account,
    kind: DocumentKind,
    document: documents.Document,
    certificate: str,
    subject: dict[str, Any],
) -> tuple[SigningSession, bytes]:
    """Render and prepare; returns the stored session and the unsigned PDF to preview."""
    der, card_number = signer_certificate(ctx, certificate, signer)
    bound = await cards.bound_card(ctx, signer.id or 0)
    if bound is None or bound.card_number != card_number:
        raise UserErrors.one(CommonErrorCode.CARD_ENTERPRISE_MISMATCH, "certificate")
    pdf = documents.render(document)
    prepared = await documents.prepare(pdf, der, "Signer", ctx.clock.now(), reason=document.title)
    now = ctx.clock.now()
    session = SigningSession(
        public_id=secrets.token_hex(16),
        account_id=signer.id or 0,
        purpose=kind,
        certificate=der,
        card_number=card_number,
        prepared_pdf=prepared.pdf,
        document_digest=prepared.document_digest,
        reserved_start=prepared.reserved_start,
        reserved_end=prepared.reserved_end,
        signed_attributes=prepared.signed_attributes,
        field_name=prepared.field_name,
        subject=subject,
        created_at=now,
        expires_at=now + SESSION_TTL,
    )
    ctx.db.add(session)
    return session, pdf


async def signer_seal(
    ctx: RequestContext, problems: Problems, seal_id: int, signer: Account
) -> Seal | None:
    """The seal stamped on the document: the signer's enterprise's, ENABLED, and held by the
    signer (the legal person and each operator use their own seal, TI-3)."""
    seal = (await ctx.db.exec(select(Seal).where(col(Seal.id) == seal_id))).first()
    if seal is None or seal.enterprise_id != signer.enterprise_id:
        problems.add(CommonErrorCode.NOT_FOUND, "sealId")
    elif seal.status != SealStatus.ENABLED:
        problems.add(AgreementErrorCode.SEAL_NOT_ENABLED, "sealId")
    elif seal.holder_account_id != signer.id:
        problems.add(AgreementErrorCode.SEAL_NOT_SIGNERS, "sealId")
    else:
        return seal
    return None


def digest_to_sign(session: SigningSession) -> bytes:
    return hashlib.sha256(session.signed_attributes).digest()


async def open_session(
    ctx: RequestContext, signer: Account, session_id: str, kind: DocumentKind
) -> SigningSession:
    session = (
        await ctx.db.exec(
            select(SigningSession).where(col(SigningSession.public_id) == session_id[:32])
        )
    ).first()
    usable = (
        session is not None
        and session.account_id == signer.id
        and session.purpose == kind
        and session.used_at is None
        and session.expires_at > ctx.clock.now()
    )
    if not usable:
        raise UserErrors.one(AgreementErrorCode.SIGNING_SESSION_INVALID, "signingSessionId")
    assert session is not None
    return session


async def finish(
    ctx: RequestContext,
    session: SigningSession,
    signature: str,
    enterprise_id: int,
    institution_id: int,
) -> SignedDocument:
    """Embed the card's signature and store the document; the session is used up."""
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "signature") from error
    prepared = documents.Prepared(
        pdf=session.prepared_pdf,
        document_digest=session.document_digest,
        reserved_start=session.reserved_start,
        reserved_end=session.reserved_end,
        signed_attributes=session.signed_attributes,
        field_name=session.field_name,
    )
    try:
        signed_pdf = await documents.complete(prepared, session.certificate, raw)
    except documents.DocumentSignatureInvalid as error:
        raise UserErrors.one(CommonErrorCode.CARD_SIGNATURE_INVALID, "signature") from error
    now = ctx.clock.now()
    session.used_at = now
    ctx.db.add(session)
    document = SignedDocument(
        kind=session.purpose,
        enterprise_id=enterprise_id,
        institution_id=institution_id,
        pdf=signed_pdf,
        sha256=hashlib.sha256(signed_pdf).hexdigest(),
        signer_card_number=session.card_number,
        signed_at=now,
    )
    ctx.db.add(document)
    await ctx.db.flush()
    return document
