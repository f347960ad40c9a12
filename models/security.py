"""Sessions, captchas and one-time verification codes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class SessionMethod(StrEnum):
    PASSWORD = "PASSWORD"
    PHONE_PASSWORD = "PHONE_PASSWORD"
    CARD = "CARD"
    SMS_CODE = "SMS_CODE"
    PASSWORD_SMS = "PASSWORD_SMS"
    WECHAT = "WECHAT"


class Session(SQLModel, table=True):
    """A revocable bearer session; only a hash of the token is stored."""

    __tablename__ = "session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    account_id: int = Field(foreign_key="account.id", index=True)
    method: SessionMethod = Field(sa_column=Column(String(16), nullable=False))
    card_kind: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    client_ip: str | None = Field(default=None, max_length=64)


class Captcha(SQLModel, table=True):
    """An image captcha: single use, short-lived. The answer is what the image shows."""

    __tablename__ = "captcha"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    answer: str = Field(max_length=8)
    client_ip: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CodeChannel(StrEnum):
    SMS = "SMS"
    EMAIL = "EMAIL"


class CodePurpose(StrEnum):
    REGISTRATION = "REGISTRATION"
    FIRST_LOGIN = "FIRST_LOGIN"
    CHANGE_MOBILE_OLD = "CHANGE_MOBILE_OLD"
    CHANGE_MOBILE_NEW = "CHANGE_MOBILE_NEW"
    CHANGE_EMAIL = "CHANGE_EMAIL"
    # A mobile proved at the start of a username recovery or in a manual review (SW-9, SW-10).
    ACCOUNT_RECOVERY = "ACCOUNT_RECOVERY"
    # Sent to the account's bound mobile or email during a password reset (SW-10).
    PASSWORD_RESET = "PASSWORD_RESET"
    # Sent to the mobile a bank card is registered with (bank-card checks, SW-9, SW-18).
    BANK_CARD = "BANK_CARD"
    # The second factor of account + password + SMS code logins (HN-2, XC-3).
    LOGIN = "LOGIN"


class VerificationCode(SQLModel, table=True):
    """An SMS or email code; only an HMAC of the code is stored."""

    __tablename__ = "verification_code"
    __table_args__ = (Index("ix_verification_code_target", "channel", "target", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: CodeChannel = Field(sa_column=Column(String(8), nullable=False))
    purpose: CodePurpose = Field(sa_column=Column(String(24), nullable=False))
    target: str = Field(max_length=100)
    code_hash: str = Field(max_length=64)
    client_ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    consumed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed_attempts: int = Field(default=0)
