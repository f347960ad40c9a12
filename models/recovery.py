"""Username recovery and password reset (SW-9, SW-10), their manual reviews, and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, LargeBinary, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class RecoveryPurpose(StrEnum):
    USERNAME = "USERNAME"
    PASSWORD = "PASSWORD"


class RecoveryStatus(StrEnum):
    # Checks are being made; nothing is revealed yet.
    OPEN = "OPEN"
    # A bank or the e-licence service has been asked and has not answered yet.
    PENDING = "PENDING"
    # Enough checks passed: the usernames may be shown, or a new password set.
    VERIFIED = "VERIFIED"
    # The new password is set (password reset only); the ticket is spent.
    COMPLETED = "COMPLETED"
    # The bank or the e-licence service said no.
    FAILED = "FAILED"


class RecoveryTicket(SQLModel, table=True):
    """One recovery attempt from the login page. Its public id is the client's only handle."""

    __tablename__ = "recovery_ticket"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(sa_column=Column(String(43), unique=True, nullable=False))
    purpose: RecoveryPurpose = Field(sa_column=Column(String(16), nullable=False))
    account_kind: str = Field(max_length=24)
    method: str = Field(max_length=32)
    status: RecoveryStatus = Field(
        default=RecoveryStatus.OPEN, sa_column=Column(String(16), nullable=False)
    )
    # The account being recovered, once known (always, for a password reset).
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    # The mobile the client proved it holds (by SMS code) when the ticket was opened.
    verified_mobile: str | None = Field(default=None, max_length=11)
    # Names of the checks passed so far (RecoveryFactor values).
    factors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Why a bank or the e-licence service refused, as it said it.
    failure_reason: str | None = Field(default=None, max_length=200)
    licence_session: str | None = Field(default=None, max_length=64, index=True)
    client_ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RecoveryAttempt(SQLModel, table=True):
    """One try (a start or a check), counted per account and per client address for throttling."""

    __tablename__ = "recovery_attempt"
    __table_args__ = (
        Index("ix_recovery_attempt_account", "account_id", "created_at"),
        Index("ix_recovery_attempt_client", "client_ip", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    client_ip: str | None = Field(default=None, max_length=64)
    purpose: RecoveryPurpose = Field(sa_column=Column(String(16), nullable=False))
    succeeded: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class ManualReview(SQLModel, table=True):
    """A request decided by a platform reviewer: the user's forms, images and contact mobile."""

    __tablename__ = "manual_review"
    __table_args__ = (Index("ix_manual_review_status", "status", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    purpose: RecoveryPurpose = Field(sa_column=Column(String(16), nullable=False))
    account_kind: str = Field(max_length=24)
    status: ReviewStatus = Field(
        default=ReviewStatus.PENDING, sa_column=Column(String(16), nullable=False)
    )
    contact_mobile: str = Field(max_length=11)
    # The form as submitted: enterprise, legal representative and the applicant's identity.
    form: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    # The account the request names (password reset) or the reviewer chose (username recovery).
    account_id: int | None = Field(default=None, foreign_key="account.id")
    # Password reset: the new password, hashed, set only if a reviewer approves.
    new_password_hash: str | None = Field(default=None, max_length=200)
    reviewer_id: int | None = Field(default=None, foreign_key="account.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str | None = Field(default=None, max_length=200)
    client_ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UploadKind(StrEnum):
    ID_FRONT = "ID_FRONT"
    ID_BACK = "ID_BACK"
    BUSINESS_LICENCE = "BUSINESS_LICENCE"


class ReviewUpload(SQLModel, table=True):
    """An image attached to a manual review, checked by content before it is kept."""

    __tablename__ = "review_upload"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="manual_review.id", index=True)
    kind: UploadKind = Field(sa_column=Column(String(24), nullable=False))
    content_type: str = Field(max_length=32)
    file_name: str = Field(max_length=200)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class AuditEntry(SQLModel, table=True):
    """Who did what to which record, and when: kept for every reviewer decision and reset."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    action: str = Field(max_length=48)
    subject_type: str = Field(max_length=32)
    subject_id: int
    detail: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    client_ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
