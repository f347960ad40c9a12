"""Real-name verifications (SW-18): each attempt, its method, level and outcome."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class RealNameMethod(StrEnum):
    CARD = "CARD"
    LEGAL_REP_IDENTITY = "LEGAL_REP_IDENTITY"
    BANK_KEY = "BANK_KEY"
    ID_DOCUMENT = "ID_DOCUMENT"
    BANK_CARD = "BANK_CARD"


class RealNameStep(StrEnum):
    """Where a legal-representative identity verification stands (three steps)."""

    ENTERPRISE = "ENTERPRISE"
    LEGAL_REP = "LEGAL_REP"
    ADMIN = "ADMIN"
    DONE = "DONE"


class VerificationStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class RealNameVerification(SQLModel, table=True):
    """One verification of an account. The level it grants lasts while the account keeps the
    name, ID type and ID number it was verified with (and, for admins, the legal
    representative's)."""

    __tablename__ = "real_name_verification"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    # An account's verification, or (username recovery by bank key) an enterprise's.
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    recovery_ticket_id: int | None = Field(default=None, foreign_key="recovery_ticket.id")
    method: RealNameMethod = Field(sa_column=Column(String(24), nullable=False))
    level: str = Field(max_length=8)
    status: VerificationStatus = Field(sa_column=Column(String(16), nullable=False))
    step: RealNameStep | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    bank_code: str | None = Field(default=None, max_length=32)
    # The identity it was made with (name, ID type, number), to tell when it is void.
    name: str | None = Field(default=None, max_length=50)
    id_type: str | None = Field(default=None, max_length=24)
    id_number: str | None = Field(default=None, max_length=32)
    failure_reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
