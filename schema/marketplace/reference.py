"""Regions and financial institutions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers.marketplace import reference as cases
from schema.base import Connection, Info

InstitutionKind = strawberry.enum(models.InstitutionKind, name="InstitutionKind")


@strawberry.type(description="An administrative region (Liaoning, Hunan, Xuchang ...).")
class Region:
    code: str
    name: str

    @classmethod
    def from_model(cls, row: models.Region) -> Region:
        return cls(code=row.code, name=row.name)


@strawberry.type(description="A bank, insurer or other financial institution.")
class Institution(relay.Node):
    pk: relay.NodeID[int]
    code: str
    name: str
    kind: models.InstitutionKind

    @classmethod
    def from_model(cls, row: models.Institution) -> Institution:
        assert row.id is not None
        return cls(pk=row.id, code=row.code, name=row.name, kind=row.kind)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await info.context.loaders.institution.load_many([int(i) for i in node_ids])
        return [cls.from_model(row) if row is not None else None for row in rows]


@strawberry.type
class ReferenceQuery:
    @strawberry.field(description="Top-level regions, or the children of `parentCode`.")
    async def regions(self, info: Info, parent_code: str | None = None) -> list[Region]:
        return [Region.from_model(r) for r in await cases.regions(info.context, parent_code)]

    @strawberry.field(description="Banks, insurers and other institutions on the platforms.")
    async def institutions(
        self,
        info: Info,
        kind: models.InstitutionKind | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Institution]:
        page = await cases.institutions(info.context, kind, first, after)
        return Connection.from_page(page, Institution.from_model)
