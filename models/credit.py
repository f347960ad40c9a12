"""Credit records of enterprises (TI-1, XC-8): customs and tax ratings, penalties, court and
market-regulator listings, as the credit sources reported them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class CreditRecordKind(StrEnum):
    CUSTOMS_CREDIT_RATING = "CUSTOMS_CREDIT_RATING"  # 海关信用等级
    TAX_CREDIT_RATING = "TAX_CREDIT_RATING"  # 纳税信用等级
    ADMINISTRATIVE_PENALTY = "ADMINISTRATIVE_PENALTY"  # 行政处罚
    DISHONEST_JUDGMENT_DEBTOR = "DISHONEST_JUDGMENT_DEBTOR"  # 失信被执行人
    COURT_ENFORCEMENT = "COURT_ENFORCEMENT"  # 被执行人
    ABNORMAL_OPERATIONS = "ABNORMAL_OPERATIONS"  # 经营异常名录


class CustomsCreditRating(StrEnum):
    ADVANCED_CERTIFIED = "ADVANCED_CERTIFIED"  # 高级认证企业
    GENERAL_CERTIFIED = "GENERAL_CERTIFIED"  # 一般认证企业 (before 2021)
    GENERAL = "GENERAL"  # 一般信用企业
    DISHONEST = "DISHONEST"  # 失信企业


class CreditRecord(SQLModel, table=True):
    __tablename__ = "credit_record"

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    kind: CreditRecordKind = Field(sa_column=Column(String(32), nullable=False))
    # The rating (a CustomsCreditRating, a tax grade A/B/M/C/D) or the listing's summary.
    value: str = Field(max_length=200)
    source: str = Field(max_length=50)
    external_id: str | None = Field(default=None, max_length=64)
    record_date: date = Field(sa_column=Column(Date, nullable=False))
    active_until: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
