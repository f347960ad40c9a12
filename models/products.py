"""Financial products institutions publish to the marketplace (XC-4, XC-5, HN-4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Column, Index, Numeric, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class ProductStatus(StrEnum):
    ENABLED = "ENABLED"  # shown in the marketplace of its regions
    DISABLED = "DISABLED"  # 禁用: hidden, refuses applications


class GuaranteeMethod(StrEnum):
    CREDIT = "CREDIT"  # 信用
    MORTGAGE = "MORTGAGE"  # 抵押
    PLEDGE = "PLEDGE"  # 质押
    GUARANTEE = "GUARANTEE"  # 保证 / 担保


class Product(SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (Index("ix_product_status_featured", "status", "featured"),)

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True)
    name: str = Field(max_length=50)
    min_amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    max_amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    # Annual rates in percent: 3.6500 means 3.65 %.
    min_rate: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    max_rate: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    min_term_months: int
    max_term_months: int
    guarantee_methods: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # Industry names of the national classification (GB/T 4754 sections); empty means any.
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str = Field(max_length=2000)
    featured: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    status: ProductStatus = Field(
        default=ProductStatus.ENABLED, sa_column=Column(String(16), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProductRegion(SQLModel, table=True):
    """A region a product serves (服务区域); it appears in the marketplace there and below."""

    __tablename__ = "product_region"

    product_id: int = Field(foreign_key="product.id", primary_key=True)
    region_id: int = Field(foreign_key="region.id", primary_key=True, index=True)
