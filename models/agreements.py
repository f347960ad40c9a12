"""Three-party agreements, signed documents, two-step signing sessions (LN-2..LN-4, TI-3)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, LargeBinary, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class AgreementFunction(StrEnum):
    USER_BINDING = "USER_BINDING"
    ACCOUNT_OPENING = "ACCOUNT_OPENING"
    INWARD_REMITTANCE = "INWARD_REMITTANCE"
    OUTWARD_REMITTANCE = "OUTWARD_REMITTANCE"
    FINANCING = "FINANCING"
    GUARANTEE = "GUARANTEE"


class AgreementStatus(StrEnum):
    SUBMITTED = "SUBMITTED"  # signed by the enterprise, with the bank
    SIGNED = "SIGNED"  # 签约成功
    FAILED = "FAILED"  # 签约失败: may be signed again
    TERMINATION_REQUESTED = "TERMINATION_REQUESTED"
    TERMINATED = "TERMINATED"


class DocumentKind(StrEnum):
    AGREEMENT = "AGREEMENT"
    LOAN_AUTHORISATION = "LOAN_AUTHORISATION"
    CREDIT_AUTHORISATION = "CREDIT_AUTHORISATION"
    E_POLICY = "E_POLICY"


class SignedDocument(SQLModel, table=True):
    """An immutable signed PDF; a counter-signature adds a new revision, never an edit."""

    __tablename__ = "signed_document"

    id: int | None = Field(default=None, primary_key=True)
    kind: DocumentKind = Field(sa_column=Column(String(24), nullable=False))
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    institution_id: int = Field(foreign_key="institution.id", index=True)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    signer_card_number: str = Field(max_length=32)
    signed_at: datetime = Field(sa_type=UTCDateTime)
    counter_signed_pdf: bytes | None = Field(
        default=None, sa_column=Column(LargeBinary, nullable=True)
    )
    counter_signed_sha256: str | None = Field(default=None, max_length=64)
    counter_signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SigningSession(SQLModel, table=True):
    """Step one of a card signature, waiting for step two: the prepared PDF and what to sign."""

    __tablename__ = "signing_session"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    account_id: int = Field(foreign_key="account.id")
    purpose: DocumentKind = Field(sa_column=Column(String(24), nullable=False))
    certificate: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    card_number: str = Field(max_length=32)
    prepared_pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    document_digest: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    reserved_start: int
    reserved_end: int
    signed_attributes: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    field_name: str = Field(max_length=32)
    # What the document is about (the agreement's bank, functions, seal, number), as JSON.
    subject: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Agreement(SQLModel, table=True):
    __tablename__ = "agreement"
    __table_args__ = (Index("ix_agreement_enterprise_bank", "enterprise_id", "institution_id"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(24), unique=True, nullable=False))
    enterprise_id: int = Field(foreign_key="enterprise.id")
    institution_id: int = Field(foreign_key="institution.id")
    functions: list[str] = Field(sa_column=Column(JSON, nullable=False))
    status: AgreementStatus = Field(sa_column=Column(String(24), nullable=False))
    seal_id: int = Field(foreign_key="seal.id")
    document_id: int = Field(foreign_key="signed_document.id")
    signed_by_account_id: int = Field(foreign_key="account.id")
    bank_reason: str | None = Field(default=None, max_length=200)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AgreementEvent(SQLModel, table=True):
    """The agreement's history: every status change with the bank's reason."""

    __tablename__ = "agreement_event"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    status: AgreementStatus = Field(sa_column=Column(String(24), nullable=False))
    reason: str | None = Field(default=None, max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutboxStatus(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    DEAD = "DEAD"


class OutboxMessage(SQLModel, table=True):
    """An outgoing call, written in the same transaction as the state change it announces."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=48)
    institution_id: int = Field(foreign_key="institution.id")
    idempotency_key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    payload: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING, sa_column=Column(String(16), nullable=False)
    )
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookReceipt(SQLModel, table=True):
    """Callbacks already applied, so that a replayed one changes nothing."""

    __tablename__ = "webhook_receipt"

    id: int | None = Field(default=None, primary_key=True)
    institution_code: str = Field(max_length=32)
    event_id: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
