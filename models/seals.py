"""Electronic seals and declarant signatures (SW-16, SW-17, LN-7)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, LargeBinary, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class SealType(StrEnum):
    COMPANY = "COMPANY"
    CONTRACT = "CONTRACT"
    FINANCE = "FINANCE"


class SealMethod(StrEnum):
    STANDARD = "STANDARD"
    IMAGE = "IMAGE"


class SealStatus(StrEnum):
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"


class Seal(SQLModel, table=True):
    __tablename__ = "seal"
    __table_args__ = (Index("ix_seal_enterprise_created", "enterprise_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id")
    holder_account_id: int = Field(foreign_key="account.id")
    name: str = Field(max_length=25)
    seal_type: SealType = Field(sa_column=Column(String(16), nullable=False))
    method: SealMethod = Field(sa_column=Column(String(16), nullable=False))
    status: SealStatus = Field(
        default=SealStatus.DISABLED, sa_column=Column(String(16), nullable=False)
    )
    valid_from: date
    valid_to: date
    unit_text: str | None = Field(default=None, max_length=14)
    english_text: str | None = Field(default=None, max_length=60)
    shape: str | None = Field(default=None, max_length=8)
    colour: str | None = Field(default=None, max_length=8)
    width_mm: float | None = None
    height_mm: float | None = None
    inner_margin_mm: float | None = None
    remark: str | None = Field(default=None, max_length=200)
    image_png: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    image_width: int
    image_height: int
    created_with_card: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Deleted by its enterprise (SW-16): gone from every list, look-up and use, but kept for
    # the agreements and letters it signed, whose documents and history refer to it.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Signature(SQLModel, table=True):
    """A declarant's handwritten signature, extracted from a scan (SW-17)."""

    __tablename__ = "signature"

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    declarant_account_id: int = Field(foreign_key="account.id")
    name: str = Field(max_length=25)
    status: SealStatus = Field(
        default=SealStatus.DISABLED, sa_column=Column(String(16), nullable=False)
    )
    remark: str | None = Field(default=None, max_length=200)
    image_png: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    image_width: int
    image_height: int
    created_with_card: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
