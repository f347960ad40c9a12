"""Loan orders: applications to a bank, with or without a marketplace product (LN-5, LN-6)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, Index, Numeric, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class LoanOrderStatus(StrEnum):
    SUBMITTED = "SUBMITTED"  # signed, on its way to the bank
    ACCEPTED = "ACCEPTED"  # 申请成功 银行已受理
    SEND_FAILED = "SEND_FAILED"  # 申请发送失败: the enterprise may apply again
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    DRAWDOWN_REQUESTED = "DRAWDOWN_REQUESTED"
    # Marketplace orders (XC-6): the institution ends the order with a reason.
    TERMINATED = "TERMINATED"


class LoanOrder(SQLModel, table=True):
    __tablename__ = "loan_order"
    __table_args__ = (
        Index("ix_loan_order_enterprise_submitted", "enterprise_id", "submitted_at"),
        Index("ix_loan_order_institution_submitted", "institution_id", "submitted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(24), unique=True, nullable=False))
    enterprise_id: int = Field(foreign_key="enterprise.id")
    institution_id: int = Field(foreign_key="institution.id")
    # Marketplace orders (Hunan, Xuchang) name a product; Liaoning applications do not.
    product_id: int | None = Field(default=None)
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    currency: str = Field(default="CNY", max_length=3)
    term_months: int
    purpose: str = Field(max_length=200)
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=11)
    remark: str | None = Field(default=None, max_length=500)
    status: LoanOrderStatus = Field(sa_column=Column(String(24), nullable=False))
    bank_reason: str | None = Field(default=None, max_length=200)
    document_id: int | None = Field(default=None, foreign_key="signed_document.id")
    applied_by_account_id: int = Field(foreign_key="account.id")
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LoanOrderEvent(SQLModel, table=True):
    """Every status of an order, with the bank's reason: the review progress."""

    __tablename__ = "loan_order_event"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="loan_order.id", index=True)
    status: LoanOrderStatus = Field(sa_column=Column(String(24), nullable=False))
    reason: str | None = Field(default=None, max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
