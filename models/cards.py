"""IC cards (legal-person and operator), login challenges, and business permissions (TI-2)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, LargeBinary, String, text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class CardKind(StrEnum):
    LEGAL_PERSON = "LEGAL_PERSON"
    OPERATOR = "OPERATOR"


class ChallengePurpose(StrEnum):
    LOGIN = "LOGIN"
    BIND = "BIND"
    REAL_NAME = "REAL_NAME"


class BusinessPermission(StrEnum):
    """What a legal person may grant an operator (TI-2)."""

    INTERNATIONAL_SETTLEMENT = "INTERNATIONAL_SETTLEMENT"
    FINANCING = "FINANCING"
    ACCOUNT_OPENING = "ACCOUNT_OPENING"
    TARIFF_INSURANCE = "TARIFF_INSURANCE"


class Card(SQLModel, table=True):
    """A card seen by the gateway, with the certificate it last presented."""

    __tablename__ = "card"
    __table_args__ = (
        # One bound card per account; binding another replaces it (SW-7, SW-14).
        Index(
            "uq_card_account",
            "account_id",
            unique=True,
            sqlite_where=text("account_id IS NOT NULL"),
            postgresql_where=text("account_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    card_number: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    kind: CardKind = Field(sa_column=Column(String(16), nullable=False))
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    holder_name: str = Field(max_length=50)
    holder_id_type: str = Field(max_length=32)
    holder_id_number: str = Field(max_length=32)
    certificate: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    fingerprint: str = Field(max_length=64)
    not_before: datetime = Field(sa_type=UTCDateTime)
    not_after: datetime = Field(sa_type=UTCDateTime)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    bound_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CardChallenge(SQLModel, table=True):
    """A single-use nonce for the card to sign; short-lived."""

    __tablename__ = "card_challenge"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    nonce: str = Field(max_length=64)
    purpose: ChallengePurpose = Field(sa_column=Column(String(16), nullable=False))
    account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OperatorPermission(SQLModel, table=True):
    __tablename__ = "operator_permission"

    account_id: int = Field(foreign_key="account.id", primary_key=True)
    permission: BusinessPermission = Field(sa_column=Column(String(32), primary_key=True))
    granted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    granted_with_card: str = Field(max_length=32)
