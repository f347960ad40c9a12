"""Financial products and the marketplace (XC-4, XC-5, HN-4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers.marketplace import loaders as marketplace_loaders
from resolvers.marketplace import products as cases
from schema.base import Connection, Info, UserError, node_pk, perform, to_domain
from schema.marketplace.reference import Institution, Region

ProductStatus = strawberry.enum(models.ProductStatus, name="ProductStatus")
GuaranteeMethod = strawberry.enum(
    models.GuaranteeMethod,
    name="GuaranteeMethod",
    description="担保方式: CREDIT 信用, MORTGAGE 抵押, PLEDGE 质押, GUARANTEE 保证.",
)


@strawberry.type(description="A financial product an institution publishes (XC-4).")
class Product(relay.Node):
    pk: relay.NodeID[int]
    name: str
    min_amount: Decimal = strawberry.field(description="Yuan.")
    max_amount: Decimal
    min_rate: Decimal = strawberry.field(description="Annual rate in percent: 3.65 is 3.65 %.")
    max_rate: Decimal
    min_term_months: int
    max_term_months: int
    guarantee_methods: list[models.GuaranteeMethod]
    industries: list[str] = strawberry.field(description="Eligible industries; empty: any.")
    description: str
    featured: bool = strawberry.field(description="特色产品.")
    status: models.ProductStatus
    created_at: datetime
    updated_at: datetime
    institution_id: strawberry.Private[int]

    @strawberry.field
    async def institution(self, info: Info) -> Institution:
        return Institution.from_model(
            await info.context.loaders.institution.load(self.institution_id)
        )

    @strawberry.field(description="The regions it serves (and the regions below them).")
    async def regions(self, info: Info) -> list[Region]:
        rows = await info.context.loaders.of(marketplace_loaders.ProductRegions).load(self.pk)
        return [Region.from_model(r) for r in rows]

    @strawberry.field(description="Whether the viewer's institution may edit it (XC-5).")
    def viewer_can_edit(self, info: Info) -> bool:
        return cases.can_edit(info.context, self.institution_id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await cases.visible_products(info.context, [int(i) for i in node_ids])
        return [cls.from_model(row) if row is not None else None for row in rows]

    @classmethod
    def from_model(cls, row: models.Product) -> Product:
        assert row.id is not None
        return cls(
            pk=row.id,
            name=row.name,
            min_amount=row.min_amount,
            max_amount=row.max_amount,
            min_rate=row.min_rate,
            max_rate=row.max_rate,
            min_term_months=row.min_term_months,
            max_term_months=row.max_term_months,
            guarantee_methods=[models.GuaranteeMethod(m) for m in row.guarantee_methods],
            industries=list(row.industries),
            description=row.description,
            featured=row.featured,
            status=row.status,
            created_at=row.created_at,
            updated_at=row.updated_at,
            institution_id=row.institution_id,
        )


@strawberry.input(description="A product's conditions, featured flag and service regions.")
class ProductInput:
    name: str
    min_amount: Decimal
    max_amount: Decimal
    min_rate: Decimal = strawberry.field(description="Annual rate in percent, above 0, at most 36.")
    max_rate: Decimal
    min_term_months: int
    max_term_months: int
    guarantee_methods: list[models.GuaranteeMethod]
    region_codes: list[str] = strawberry.field(description="Codes of the regions it serves.")
    description: str
    featured: bool = False
    industries: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="融资超市 search: by product or institution name, and filters.")
class MarketplaceFilter:
    query: str | None = strawberry.field(
        default=None, description="Part of the product's or the institution's name."
    )
    region_code: str | None = strawberry.field(
        default=None, description="Products serving this region or a region above it."
    )
    featured: bool | None = None
    amount: Decimal | None = strawberry.field(default=None, description="An amount it covers.")
    term_months: int | None = strawberry.field(default=None, description="A term it covers.")


@strawberry.type
class ProductPayload:
    product: Product | None
    user_errors: list[UserError]


@strawberry.type
class ProductQuery:
    @strawberry.field(description="融资超市 (public): enabled products, featured first (HN-4).")
    async def marketplace_products(
        self,
        info: Info,
        filter: MarketplaceFilter | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Product]:
        wanted = to_domain(cases.MarketplaceFilter, filter or MarketplaceFilter())
        page = await cases.marketplace(info.context, wanted, first, after)
        return Connection.from_page(page, Product.from_model)

    @strawberry.field(description="产品管理: the viewer's institution's products (XC-5).")
    async def institution_products(
        self,
        info: Info,
        status: models.ProductStatus | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Product]:
        page = await cases.institution_products(info.context, status, first, after)
        return Connection.from_page(page, Product.from_model)


@strawberry.type
class ProductMutation:
    @strawberry.mutation(description="上传产品: publish a product to the marketplace (XC-4).")
    async def product_publish(self, info: Info, input: ProductInput) -> ProductPayload:
        data = to_domain(cases.ProductInput, input)
        return await perform(
            info,
            ProductPayload,
            lambda: cases.publish(info.context, data),
            product=Product.from_model,
        )

    @strawberry.mutation(description="修改: change a product of the viewer's institution (XC-5).")
    async def product_update(
        self, info: Info, id: relay.GlobalID, input: ProductInput
    ) -> ProductPayload:
        pk, data = node_pk(info, id, "Product"), to_domain(cases.ProductInput, input)
        return await perform(
            info,
            ProductPayload,
            lambda: cases.update(info.context, pk, data),
            product=Product.from_model,
        )

    @strawberry.mutation(description="禁用: take a product out of the marketplace (XC-5).")
    async def product_disable(self, info: Info, id: relay.GlobalID) -> ProductPayload:
        pk = node_pk(info, id, "Product")
        return await perform(
            info,
            ProductPayload,
            lambda: cases.set_status(info.context, pk, models.ProductStatus.DISABLED),
            product=Product.from_model,
        )

    @strawberry.mutation(description="启用: put a disabled product back (XC-5).")
    async def product_enable(self, info: Info, id: relay.GlobalID) -> ProductPayload:
        pk = node_pk(info, id, "Product")
        return await perform(
            info,
            ProductPayload,
            lambda: cases.set_status(info.context, pk, models.ProductStatus.ENABLED),
            product=Product.from_model,
        )
