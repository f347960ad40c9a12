"""What the parts of tariff insurance share: customs offices, the insurer of a record, page
sizes, money and rates as shown, who may read (TI-2), and TI-1's eligibility of the viewer's
enterprise."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers.core.fields import CENT
from resolvers.insurance import access, customs, eligibility
from schema.base import Info, node_pk, scoped_nodes
from schema.marketplace.reference import Institution

CustomsCreditRating = strawberry.enum(models.CustomsCreditRating, name="CustomsCreditRating")

PageSize = Annotated[int, strawberry.argument(description="1 to 100")]


@strawberry.type(description="A customs district (关区) by its four-digit code.")
class CustomsOffice:
    code: str
    name: str

    @classmethod
    def of(cls, code: str) -> CustomsOffice:
        return cls(code=code, name=customs.name(code))


async def load_insurer(info: Info, pk: int) -> Institution:
    """The insurer of a record, through the batched loader."""
    return Institution.from_model(await info.context.loaders.institution.load(pk))


def money(amount: Decimal) -> Decimal:
    """Yuan as the manual shows them: two places, 0.00 rather than 0 (and never -0.00)."""
    return (amount + 0).quantize(CENT)


def money_or_none(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else money(amount)


def percent(rate: Decimal | None) -> Decimal | None:
    """A rate as the manual shows it: 1.80 (at least two places, more only if it has them)."""
    if rate is None:
        return None
    exact = rate.normalize()
    exponent = exact.as_tuple().exponent
    return exact if isinstance(exponent, int) and exponent < -2 else exact.quantize(CENT)


async def insurance_nodes(cls: Any, model: Any, info: Info, node_ids: Iterable[str]) -> list[Any]:
    """``node(id)`` of a tariff insurance record: null for a viewer who may not read tariff
    insurance (TI-2), as for another enterprise's record."""
    ids = list(node_ids)
    if not await access.may_read(info.context):
        return [None for _ in ids]
    return await scoped_nodes(cls, model, info, ids)


def insurer_pk(info: Info, id: relay.GlobalID | None) -> int | None:
    """A filter's optional insurer."""
    return node_pk(info, id, "Institution") if id else None


@strawberry.type(description="May the viewer's enterprise take out tariff insurance (TI-1)?")
class TariffInsuranceEligibility:
    customs_credit_rating: models.CustomsCreditRating | None
    eligible: bool = strawberry.field(description="Customs credit GENERAL or better.")


@strawberry.type
class InsuranceReferenceQuery:
    @strawberry.field(description="The customs districts a policy may name.")
    def customs_offices(self) -> list[CustomsOffice]:
        return [CustomsOffice(code=c, name=n) for c, n in customs.OFFICES.items()]

    @strawberry.field(description="TI-1: the viewer's enterprise's customs credit rating.")
    async def tariff_insurance_eligibility(self, info: Info) -> TariffInsuranceEligibility:
        found = await eligibility.of_viewer(info.context)
        return TariffInsuranceEligibility(
            customs_credit_rating=found.customs_credit_rating, eligible=found.eligible
        )
