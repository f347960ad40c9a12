"""Financial products (XC-4, XC-5) and the marketplace that lists them (HN-4).

An institution's users publish products with their conditions (amount, rate and term ranges,
guarantee methods, eligible industries), a featured flag and the regions they serve; they view,
edit, disable and enable only their own institution's products. The marketplace is public: it
lists ENABLED products serving a region or any region above it, searched by product or
institution name and filtered by featured, an amount and a term the product covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import col, select

from models import (
    Account,
    AccountKind,
    GuaranteeMethod,
    Institution,
    Product,
    ProductRegion,
    ProductStatus,
    Region,
)
from resolvers.core import fields, pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import BadUserInput, CommonErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.uow import commit
from resolvers.marketplace import government
from resolvers.marketplace.errors import MarketplaceErrorCode

MAX_RATE = Decimal("36")  # the judicial ceiling on private lending rates, in percent
MAX_TERM_MONTHS = 360
RATE_STEP = Decimal("0.0001")


@dataclass
class ProductInput:
    name: str
    min_amount: Decimal
    max_amount: Decimal
    min_rate: Decimal
    max_rate: Decimal
    min_term_months: int
    max_term_months: int
    guarantee_methods: list[GuaranteeMethod]
    region_codes: list[str]
    description: str
    featured: bool = False
    industries: list[str] = field(default_factory=list)


@dataclass
class MarketplaceFilter:
    query: str | None = None
    region_code: str | None = None
    featured: bool | None = None
    amount: Decimal | None = None
    term_months: int | None = None


def require_institution_user(ctx: RequestContext) -> Account:
    account = permissions.require_account(ctx)
    if account.kind != AccountKind.INSTITUTION_USER or account.institution_id is None:
        raise Forbidden("INSTITUTION_USERS_ONLY", ctx.locale)
    return account


def _rate(problems: Problems, value: Decimal, *field: str) -> Decimal | None:
    rate = fields.quantized(value, RATE_STEP, MAX_RATE)
    if rate is None or not Decimal("0") < rate <= MAX_RATE:
        problems.add(MarketplaceErrorCode.RATE_RANGE_INVALID, *field)
        return None
    return rate


async def _checked(ctx: RequestContext, data: ProductInput) -> tuple[dict[str, Any], list[int]]:
    problems = Problems()
    name = fields.text(problems, data.name, "name", max_length=50)
    description = fields.text(problems, data.description, "description", max_length=2000)
    low = fields.money(problems, data.min_amount, "minAmount")
    high = fields.money(problems, data.max_amount, "maxAmount")
    if low is not None and high is not None and low > high:
        problems.add(MarketplaceErrorCode.AMOUNT_RANGE_INVALID, "minAmount")
    low_rate = _rate(problems, data.min_rate, "minRate")
    high_rate = _rate(problems, data.max_rate, "maxRate")
    if low_rate is not None and high_rate is not None and low_rate > high_rate:
        problems.add(MarketplaceErrorCode.RATE_RANGE_INVALID, "minRate")
    terms = (data.min_term_months, data.max_term_months)
    if not (1 <= terms[0] <= terms[1] <= MAX_TERM_MONTHS):
        problems.add(MarketplaceErrorCode.TERM_RANGE_INVALID, "minTermMonths")
    if not data.guarantee_methods:
        problems.add(MarketplaceErrorCode.GUARANTEE_REQUIRED, "guaranteeMethods")
    industries = sorted({i.strip() for i in data.industries if i.strip()})
    if any(len(i) > 40 for i in industries) or len(industries) > 30:
        problems.add(CommonErrorCode.TOO_LONG, "industries", max=40)
    codes = {c.strip() for c in data.region_codes}
    region_ids: list[int] = []
    if not codes:
        problems.add(MarketplaceErrorCode.REGIONS_REQUIRED, "regionCodes")
    else:
        found = (await ctx.db.exec(select(Region.id).where(col(Region.code).in_(codes)))).all()
        region_ids = sorted(i for i in found if i is not None)
        if len(region_ids) != len(codes):
            problems.add(CommonErrorCode.NOT_FOUND, "regionCodes")
    problems.raise_if_any()
    values: dict[str, Any] = {
        "name": name,
        "description": description,
        "min_amount": low,
        "max_amount": high,
        "min_rate": low_rate,
        "max_rate": high_rate,
        "min_term_months": terms[0],
        "max_term_months": terms[1],
        "guarantee_methods": sorted({m.value for m in data.guarantee_methods}),
        "industries": industries,
        "featured": data.featured,
    }
    return values, region_ids


async def publish(ctx: RequestContext, data: ProductInput) -> Product:
    """上传产品: enabled at once, so it shows in the marketplace of its regions."""
    account = require_institution_user(ctx)
    values, region_ids = await _checked(ctx, data)
    assert account.institution_id is not None
    now = ctx.clock.now()
    product = Product(
        institution_id=account.institution_id, created_at=now, updated_at=now, **values
    )
    ctx.db.add(product)
    await ctx.db.flush()
    _serve(ctx, product, region_ids)
    await commit(ctx)
    return product


def _apply(product: Product, values: dict[str, Any], now: datetime) -> None:
    for name, value in values.items():
        setattr(product, name, value)
    product.updated_at = now


def _serve(ctx: RequestContext, product: Product, region_ids: list[int]) -> None:
    assert product.id is not None
    for region_id in region_ids:
        ctx.db.add(ProductRegion(product_id=product.id, region_id=region_id))


async def own_product(ctx: RequestContext, product_id: int) -> Product:
    """One of the viewer's institution's products; another institution's reads as absent."""
    account = require_institution_user(ctx)
    product = await ctx.db.get(Product, product_id)
    if product is None or product.institution_id != account.institution_id:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    return product


async def update(ctx: RequestContext, product_id: int, data: ProductInput) -> Product:
    product = await own_product(ctx, product_id)
    values, region_ids = await _checked(ctx, data)
    _apply(product, values, ctx.clock.now())
    ctx.db.add(product)
    await ctx.db.exec(delete(ProductRegion).where(col(ProductRegion.product_id) == product.id))
    _serve(ctx, product, region_ids)
    await commit(ctx)
    return product


async def set_status(ctx: RequestContext, product_id: int, status: ProductStatus) -> Product:
    """禁用 / 启用: a disabled product leaves the marketplace and takes no applications."""
    product = await own_product(ctx, product_id)
    if product.status == status:
        raise UserErrors.one(CommonErrorCode.NO_CHANGE, "id")
    product.status = status
    product.updated_at = ctx.clock.now()
    ctx.db.add(product)
    await commit(ctx)
    return product


async def institution_products(
    ctx: RequestContext, status: ProductStatus | None, first: int, after: str | None
) -> pagination.Page[Product]:
    """产品管理: the viewer's institution's products, newest first."""
    account = require_institution_user(ctx)
    statement = (
        select(Product)
        .where(col(Product.institution_id) == account.institution_id)
        .order_by(col(Product.id).desc())
    )
    if status is not None:
        statement = statement.where(col(Product.status) == status)
    return await pagination.paginate(ctx, statement, first, after)


async def marketplace(
    ctx: RequestContext, wanted: MarketplaceFilter, first: int, after: str | None
) -> pagination.Page[Product]:
    """融资超市 (public): enabled products, featured first, then the newest."""
    statement = (
        select(Product)
        .where(col(Product.status) == ProductStatus.ENABLED)
        .order_by(col(Product.featured).desc(), col(Product.id).desc())
    )
    text = (wanted.query or "").strip()[:50]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        by_institution = select(Institution.id).where(
            col(Institution.name).like(pattern, escape="\\")
        )
        statement = statement.where(
            or_(
                col(Product.name).like(pattern, escape="\\"),
                col(Product.institution_id).in_(by_institution),
            )
        )
    if wanted.region_code:
        region = await government.region_by_code(ctx, wanted.region_code)
        if region is None or region.id is None:
            raise BadUserInput("UNKNOWN_REGION", ctx.locale)
        serving = select(ProductRegion.product_id).where(
            col(ProductRegion.region_id).in_(await government.ancestors(ctx, region.id))
        )
        statement = statement.where(col(Product.id).in_(serving))
    if wanted.featured is not None:
        statement = statement.where(col(Product.featured) == wanted.featured)
    if wanted.amount is not None:
        statement = statement.where(
            col(Product.min_amount) <= wanted.amount, col(Product.max_amount) >= wanted.amount
        )
    if wanted.term_months is not None:
        statement = statement.where(
            col(Product.min_term_months) <= wanted.term_months,
            col(Product.max_term_months) >= wanted.term_months,
        )
    return await pagination.paginate(ctx, statement, first, after)


def can_edit(ctx: RequestContext, institution_id: int) -> bool:
    """Whether the viewer may edit a product of this institution: its own users only (XC-5)."""
    viewer = ctx.viewer.account
    return viewer is not None and viewer.institution_id == institution_id


async def visible_products(ctx: RequestContext, ids: list[int]) -> list[Product | None]:
    """node(id): enabled products are public; a disabled one only to its institution."""
    rows = {
        p.id: p for p in (await ctx.db.exec(select(Product).where(col(Product.id).in_(ids)))).all()
    }
    viewer = ctx.viewer.account
    mine = viewer.institution_id if viewer is not None else None
    return [
        p
        if p is not None and (p.status == ProductStatus.ENABLED or p.institution_id == mine)
        else None
        for p in (rows.get(i) for i in ids)
    ]
