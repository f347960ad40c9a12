"""An enterprise's registrations and filings with customs and other departments (SW-15)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Qualification(SQLModel, table=True):
    """One row per enterprise. Fields marked *synced* come only from the departments' records;
    the rest the admin maintains (no declaration or approval is involved)."""

    __tablename__ = "qualification"

    enterprise_id: int = Field(foreign_key="enterprise.id", primary_key=True)
    # Market regulator (synced).
    registration_status: str | None = Field(default=None, max_length=20)
    enterprise_type: str | None = Field(default=None, max_length=60)
    established_on: date | None = None
    registered_capital: str | None = Field(default=None, max_length=40)
    registration_authority: str | None = Field(default=None, max_length=60)
    business_scope: str | None = Field(default=None, max_length=1000)
    # Customs registration.
    customs_code: str | None = Field(default=None, max_length=10)  # synced
    customs_office: str | None = Field(default=None, max_length=4)
    customs_business_type: str | None = Field(default=None, max_length=24)
    customs_registered_on: date | None = None
    # Inspection (报检) filing.
    inspection_number: str | None = Field(default=None, max_length=10)
    inspection_office: str | None = Field(default=None, max_length=60)
    inspection_filed_on: date | None = None
    inspection_contact: str | None = Field(default=None, max_length=50)
    inspection_phone: str | None = Field(default=None, max_length=20)
    # Foreign-trade operator filing (对外贸易经营者备案; commerce ministry, synced).
    foreign_trade_number: str | None = Field(default=None, max_length=20)
    foreign_trade_filed_on: date | None = None
    english_name: str | None = Field(default=None, max_length=200)
    english_address: str | None = Field(default=None, max_length=300)
    operator_type: str | None = Field(default=None, max_length=40)
    market_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    commerce_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
