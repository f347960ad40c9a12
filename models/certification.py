"""Hunan enterprise certification (HN-3, HN-5) and the enterprise users' messages."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, LargeBinary, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class CertificationStatus(StrEnum):
    DRAFT = "DRAFT"  # being filled; documents replaceable
    SUBMITTED = "SUBMITTED"  # waiting for a platform reviewer
    APPROVED = "APPROVED"  # certified: the account acts for the enterprise
    REJECTED = "REJECTED"  # reason in the messages; may be edited and submitted again


class CertificationDocumentKind(StrEnum):
    BUSINESS_LICENCE = "BUSINESS_LICENCE"  # 营业执照 (stamped)
    AUTHORISATION_LETTER = "AUTHORISATION_LETTER"  # 企业授权书 (stamped)


class Certification(SQLModel, table=True):
    """One account's certification of its enterprise: the registry's data completed by hand."""

    __tablename__ = "certification"
    __table_args__ = (Index("ix_certification_status", "status", "submitted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", unique=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    status: CertificationStatus = Field(
        default=CertificationStatus.DRAFT, sa_column=Column(String(16), nullable=False)
    )
    legal_rep_name: str | None = Field(default=None, max_length=50)
    legal_rep_id_number: str | None = Field(default=None, max_length=18)
    legal_rep_phone: str | None = Field(default=None, max_length=11)
    contact_name: str | None = Field(default=None, max_length=50)
    contact_phone: str | None = Field(default=None, max_length=11)
    contact_title: str | None = Field(default=None, max_length=50)
    contact_email: str | None = Field(default=None, max_length=100)
    # From the registry (the mobile form shows and lets the user complete them, HN-5).
    registration_status: str | None = Field(default=None, max_length=20)
    region_code: str | None = Field(default=None, max_length=6)
    address: str | None = Field(default=None, max_length=200)
    enterprise_type: str | None = Field(default=None, max_length=60)
    established_on: date | None = None
    registered_capital: str | None = Field(default=None, max_length=40)
    authority: str | None = Field(default=None, max_length=60)
    industry: str | None = Field(default=None, max_length=60)
    business_scope: str | None = Field(default=None, max_length=1000)
    reason: str | None = Field(default=None, max_length=200)
    # HN-5: the legal representative's face verification (eID) of a mobile certification.
    face_token: str | None = Field(default=None, max_length=64, index=True)
    face_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    face_failure: str | None = Field(default=None, max_length=100)
    reviewer_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CertificationDocument(SQLModel, table=True):
    """The stamped licence or authorisation letter; one per kind, replaceable until submitted."""

    __tablename__ = "certification_document"

    certification_id: int = Field(foreign_key="certification.id", primary_key=True)
    kind: CertificationDocumentKind = Field(
        sa_column=Column(String(24), primary_key=True, nullable=False)
    )
    file_name: str = Field(max_length=200)
    content_type: str = Field(max_length=32)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Message(SQLModel, table=True):
    """我的消息: what the platform tells an account (a certification's outcome, an order's)."""

    __tablename__ = "message"
    __table_args__ = (Index("ix_message_account_read", "account_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    title: str = Field(max_length=100)
    body: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WeChatBinding(SQLModel, table=True):
    """A mini-program user (openid) bound to one account, and an account to one openid."""

    __tablename__ = "wechat_binding"

    openid: str = Field(sa_column=Column(String(64), primary_key=True))
    account_id: int = Field(foreign_key="account.id", unique=True)
    unionid: str | None = Field(default=None, max_length=64)
    bound_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ConsentRecord(SQLModel, table=True):
    """Consent to the personal-information protection notice (个人信息保护指引): who (the WeChat
    user, and the account once known), which version, when, from where."""

    __tablename__ = "consent_record"

    id: int | None = Field(default=None, primary_key=True)
    openid: str | None = Field(default=None, max_length=64, index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    notice: str = Field(max_length=32)
    version: str = Field(max_length=16)
    consented_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    client_ip: str | None = Field(default=None, max_length=64)
