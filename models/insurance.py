"""Tariff guarantee insurance (TI-1, TI-4..TI-7): credit-check authorisations, quotas with their
change history, policies and the claims insurers share."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Date, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal kept exactly on both databases: ``NUMERIC(precision, scale)`` on PostgreSQL, and
    on SQLite (whose NUMERIC columns hold binary floats, so that 24533052.23 came back as
    24533052.230000004) an integer count of the smallest unit (fen for money, 1/10,000 of a
    percent for rates). Values come back as Decimals with exactly ``scale`` places.

    Comparisons and arithmetic with plain values in SQL (``used + :coverage``,
    ``total - used - reserved >= :coverage``) bind those values through this type too, so they are
    in the same unit as the column on either database.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision, scale)
        self.precision, self.scale = precision, scale
        self.unit = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = Decimal(value) if not isinstance(value, Decimal) else value
        if not exact.is_finite():
            raise ValueError(f"not a finite amount: {value!r}")
        exact = exact.quantize(self.unit, rounding=ROUND_HALF_UP)
        if dialect.name == "sqlite":
            return int(exact.scaleb(self.scale))
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale)
        return Decimal(value).quantize(self.unit)


MONEY = ExactDecimal(18, 2)
RATE = ExactDecimal(7, 4)  # a percentage: 1.8000 means 1.8 %


class CreditAuthorisationStatus(StrEnum):
    SUBMITTED = "SUBMITTED"  # signed, on its way to the insurer
    SUCCEEDED = "SUCCEEDED"  # 成功: valid for a year from signing
    FAILED = "FAILED"  # 失败: sign again
    EXPIRED = "EXPIRED"  # its year is over: sign again


class CreditAuthorisation(SQLModel, table=True):
    """企业征信授权书: lets one insurer check the enterprise's credit (TI-4)."""

    __tablename__ = "credit_authorisation"
    __table_args__ = (
        Index("ix_credit_authorisation_enterprise_submitted", "enterprise_id", "submitted_at"),
        Index("ix_credit_authorisation_institution_submitted", "institution_id", "submitted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(24), unique=True, nullable=False))
    enterprise_id: int = Field(foreign_key="enterprise.id")
    institution_id: int = Field(foreign_key="institution.id")
    seal_id: int = Field(foreign_key="seal.id")
    document_id: int = Field(foreign_key="signed_document.id")
    signed_by_account_id: int = Field(foreign_key="account.id")
    status: CreditAuthorisationStatus = Field(sa_column=Column(String(16), nullable=False))
    insurer_reason: str | None = Field(default=None, max_length=200)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # 有效期一年: from the signing date (China Standard Time) to the day before its anniversary.
    valid_from: date = Field(sa_column=Column(Date, nullable=False))
    valid_to: date = Field(sa_column=Column(Date, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QuotaStatus(StrEnum):
    SUBMITTED = "SUBMITTED"  # on its way to the insurer
    RECEIVED = "RECEIVED"  # 接收成功
    APPROVED = "APPROVED"  # 成功
    FAILED = "FAILED"  # 失败: may be re-applied for
    EXPIRED = "EXPIRED"  # 已过期: may be re-applied for


# A quota in one of these states is the enterprise's one valid quota (TI-5).
VALID_QUOTA_STATES = (QuotaStatus.SUBMITTED, QuotaStatus.RECEIVED, QuotaStatus.APPROVED)


class TariffQuota(SQLModel, table=True):
    """额度: what an insurer will cover for the enterprise; policies consume it (TI-5, TI-6).

    ``remaining = approved_total - used - reserved``: ``reserved`` holds the coverage of policy
    applications the insurer has not answered yet, so two applications can never together
    exceed the quota.
    """

    __tablename__ = "tariff_quota"
    __table_args__ = (
        Index(
            "uq_tariff_quota_one_valid_per_enterprise",
            "enterprise_id",
            unique=True,
            sqlite_where=text("status IN ('SUBMITTED', 'RECEIVED', 'APPROVED')"),
            postgresql_where=text("status IN ('SUBMITTED', 'RECEIVED', 'APPROVED')"),
        ),
        Index("ix_tariff_quota_enterprise_submitted", "enterprise_id", "submitted_at"),
        Index("ix_tariff_quota_institution_submitted", "institution_id", "submitted_at"),
        Index("ix_tariff_quota_status_expiry", "status", "expiry_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column=Column(String(24), unique=True, nullable=False))
    enterprise_id: int = Field(foreign_key="enterprise.id")
    institution_id: int = Field(foreign_key="institution.id")
    status: QuotaStatus = Field(sa_column=Column(String(16), nullable=False))
    requested_amount: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    approved_total: Decimal = Field(default=Decimal("0"), sa_column=Column(MONEY, nullable=False))
    used: Decimal = Field(default=Decimal("0"), sa_column=Column(MONEY, nullable=False))
    reserved: Decimal = Field(default=Decimal("0"), sa_column=Column(MONEY, nullable=False))
    rate: Decimal | None = Field(default=None, sa_column=Column(RATE, nullable=True))
    effective_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    expiry_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # An increase waiting for the insurer's answer (额度追加).
    pending_increase: Decimal | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    enterprise_name: str = Field(max_length=100)
    contact_name: str = Field(max_length=50)
    legal_rep_name: str = Field(max_length=50)
    insurer_branch: str | None = Field(default=None, max_length=100)
    address: str = Field(max_length=200)
    customs_code: str = Field(max_length=10)
    registered_customs: str = Field(max_length=4)
    email: str = Field(max_length=100)
    contact_phone: str = Field(max_length=20)  # 联系人电话: a mobile or a landline
    legal_rep_phone: str = Field(max_length=20)  # 法人电话
    salesperson_number: str | None = Field(default=None, max_length=32)
    insurer_reason: str | None = Field(default=None, max_length=200)
    applied_by_account_id: int = Field(foreign_key="account.id")
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QuotaEventKind(StrEnum):
    APPLIED = "APPLIED"
    REAPPLIED = "REAPPLIED"
    RECEIVED = "RECEIVED"
    APPROVED = "APPROVED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    INCREASE_REQUESTED = "INCREASE_REQUESTED"
    INCREASED = "INCREASED"  # 追加
    INCREASE_FAILED = "INCREASE_FAILED"
    RESERVED = "RESERVED"  # a policy application holds coverage
    RELEASED = "RELEASED"  # the application was refused or never delivered
    CONSUMED = "CONSUMED"  # the policy was issued


class TariffQuotaEvent(SQLModel, table=True):
    """额度变更记录: every event of a quota with the amounts before and after it."""

    __tablename__ = "tariff_quota_event"

    id: int | None = Field(default=None, primary_key=True)
    quota_id: int = Field(foreign_key="tariff_quota.id", index=True)
    kind: QuotaEventKind = Field(sa_column=Column(String(24), nullable=False))
    status: QuotaStatus = Field(sa_column=Column(String(16), nullable=False))
    amount: Decimal | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    total_before: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    total_after: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    used_before: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    used_after: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    remaining_after: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    rate: Decimal | None = Field(default=None, sa_column=Column(RATE, nullable=True))
    reference: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PolicyPurpose(StrEnum):
    CONSOLIDATED_TAXATION = "CONSOLIDATED_TAXATION"  # 汇总征税
    TAX_DEADLINE_GUARANTEE = "TAX_DEADLINE_GUARANTEE"  # 纳税期限担保
    TAX_ELEMENT_GUARANTEE = "TAX_ELEMENT_GUARANTEE"  # 征税要素担保


class InvoiceType(StrEnum):
    ELECTRONIC = "ELECTRONIC"  # 电子发票
    PAPER_NORMAL = "PAPER_NORMAL"  # 纸质普通发票
    PAPER_SPECIAL = "PAPER_SPECIAL"  # 纸质专票
    NONE = "NONE"  # 无需开具发票


class PolicyStatus(StrEnum):
    SUBMITTED = "SUBMITTED"  # coverage reserved, with the insurer
    ISSUED = "ISSUED"  # coverage consumed, e-policy signed by the insurer
    REJECTED = "REJECTED"  # reservation released
    SEND_FAILED = "SEND_FAILED"  # never reached the insurer; reservation released
    EXPIRED = "EXPIRED"  # issued, and its end date has passed


class PremiumPaymentStatus(StrEnum):
    """在线交费 of an issued policy's premium (TI-8)."""

    UNPAID = "UNPAID"  # due
    PROCESSING = "PROCESSING"  # sent to the insurer, waiting for its answer
    PAID = "PAID"  # the insurer confirmed the payment
    REFUSED = "REFUSED"  # the insurer refused it (reason given); may be paid again


class TariffPolicy(SQLModel, table=True):
    """投保单 and, once issued, 保单 (TI-6)."""

    __tablename__ = "tariff_policy"
    __table_args__ = (
        Index("ix_tariff_policy_enterprise_submitted", "enterprise_id", "submitted_at"),
        Index("ix_tariff_policy_institution_submitted", "institution_id", "submitted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # 投保单编号: the application number, ours.
    number: str = Field(sa_column=Column(String(24), unique=True, nullable=False))
    # 保单编号: the insurer's, once issued.
    policy_number: str | None = Field(default=None, max_length=32, index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id")
    institution_id: int = Field(foreign_key="institution.id")
    quota_id: int = Field(foreign_key="tariff_quota.id", index=True)
    purpose: PolicyPurpose = Field(sa_column=Column(String(32), nullable=False))
    registered_customs: str = Field(max_length=4)
    clearance_customs: str = Field(max_length=4)
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date = Field(sa_column=Column(Date, nullable=False))
    coverage: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    rate: Decimal = Field(sa_column=Column(RATE, nullable=False))
    premium_estimate: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    premium: Decimal | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    invoice_type: InvoiceType = Field(sa_column=Column(String(16), nullable=False))
    invoice_title: str = Field(max_length=100)
    address: str | None = Field(default=None, max_length=200)
    bank_name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=100)
    tax_number: str | None = Field(default=None, max_length=20)
    bank_account: str | None = Field(default=None, max_length=32)
    phone: str | None = Field(default=None, max_length=20)
    collection_account: str | None = Field(default=None, max_length=32)
    collection_account_name: str | None = Field(default=None, max_length=100)
    e_policy_document_id: int | None = Field(default=None, foreign_key="signed_document.id")
    # The serial number (hex) of the certificate the insurer signed the e-policy with.
    e_policy_signer: str | None = Field(default=None, max_length=64)
    # 在线交费 (TI-8): None until issued.
    payment_status: PremiumPaymentStatus | None = Field(
        default=None, sa_column=Column(String(16), nullable=True)
    )
    payment_id: str | None = Field(default=None, max_length=32)  # the attempt under way or done
    payment_amount: Decimal | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    payment_receipt: str | None = Field(default=None, max_length=64)  # the insurer's receipt
    payment_reason: str | None = Field(default=None, max_length=200)
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: PolicyStatus = Field(sa_column=Column(String(16), nullable=False))
    insurer_reason: str | None = Field(default=None, max_length=200)
    applied_by_account_id: int = Field(foreign_key="account.id")
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TariffPolicyEvent(SQLModel, table=True):
    __tablename__ = "tariff_policy_event"

    id: int | None = Field(default=None, primary_key=True)
    policy_id: int = Field(foreign_key="tariff_policy.id", index=True)
    status: PolicyStatus = Field(sa_column=Column(String(16), nullable=False))
    # Set on the entries of the premium payment (TI-8).
    payment_status: PremiumPaymentStatus | None = Field(
        default=None, sa_column=Column(String(16), nullable=True)
    )
    reason: str | None = Field(default=None, max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InsuranceClaim(SQLModel, table=True):
    """理赔信息 an insurer shared with the platform (TI-7): visible to the enterprise concerned
    and, as shared information, to every connected insurer."""

    __tablename__ = "insurance_claim"
    __table_args__ = (
        UniqueConstraint("institution_id", "report_number", name="uq_insurance_claim_report"),
        Index("ix_insurance_claim_enterprise_paid", "enterprise_id", "paid_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True)
    report_number: str = Field(max_length=32)
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    enterprise_name: str = Field(max_length=100)
    enterprise_uscc: str | None = Field(default=None, max_length=18)
    insured_name: str | None = Field(default=None, max_length=100)
    policy_number: str = Field(max_length=32, index=True)
    insurance_type: str = Field(max_length=32)
    payout_amount: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    currency: str = Field(default="CNY", max_length=3)
    incident_at: datetime = Field(sa_type=UTCDateTime)
    paid_at: datetime = Field(sa_type=UTCDateTime)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
