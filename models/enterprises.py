"""Enterprises (also public institutions), regions and financial institutions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class EnterpriseKind(StrEnum):
    ENTERPRISE = "ENTERPRISE"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"


class InstitutionKind(StrEnum):
    BANK = "BANK"
    INSURER = "INSURER"
    GUARANTEE = "GUARANTEE"
    OTHER = "OTHER"


class Region(SQLModel, table=True):
    __tablename__ = "region"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    name: str = Field(max_length=100)
    parent_id: int | None = Field(default=None, foreign_key="region.id", index=True)


class Institution(SQLModel, table=True):
    """A bank, insurer or other financial institution the platforms work with."""

    __tablename__ = "institution"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    name: str = Field(max_length=100)
    kind: InstitutionKind = Field(sa_column=Column(String(16), nullable=False, index=True))
    uscc: str | None = Field(default=None, max_length=18)
    region_id: int | None = Field(default=None, foreign_key="region.id")


class Enterprise(SQLModel, table=True):
    __tablename__ = "enterprise"

    id: int | None = Field(default=None, primary_key=True)
    kind: EnterpriseKind = Field(sa_column=Column(String(24), nullable=False))
    uscc: str = Field(sa_column=Column(String(18), unique=True, nullable=False))
    org_code: str = Field(max_length=9)
    name: str = Field(max_length=100)
    legal_rep_name: str = Field(max_length=50)
    legal_rep_id_type: str = Field(max_length=24)
    legal_rep_id_number: str = Field(max_length=32)
    legal_rep_id_valid_from: str = Field(max_length=8)
    legal_rep_id_valid_to: str = Field(max_length=8)
    address: str | None = Field(default=None, max_length=200)
    region_id: int | None = Field(default=None, foreign_key="region.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
