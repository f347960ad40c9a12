"""An admin's operators (SW-13)."""

from __future__ import annotations

import strawberry
from strawberry import relay

import models
from resolvers.accounts import operators as cases
from resolvers.core.fields import IdType as DomainIdType
from schema.accounts.types import Operator, operator_from_model
from schema.base import Info, UserError, node_pk, perform, to_domain


@strawberry.input
class OperatorCreateInput:
    username: str = strawberry.field(
        description="6-18 letters, or letters and digits; fixed for ever."
    )
    name: str
    mobile: str = strawberry.field(description="Receives the SMS code of the first login.")
    id_type: DomainIdType
    id_number: str
    id_valid_from: str | None = None
    id_valid_to: str | None = strawberry.field(
        default=None, description="00000000 means long-term."
    )
    email: str | None = None


@strawberry.input
class OperatorUpdateInput:
    name: str
    mobile: str
    id_type: DomainIdType
    id_number: str
    status: models.AccountStatus
    id_valid_from: str | None = None
    id_valid_to: str | None = None
    email: str | None = None


@strawberry.type
class OperatorPayload:
    operator: Operator | None
    user_errors: list[UserError]


@strawberry.type
class OperatorDeletePayload:
    deleted_operator_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class OperatorMutation:
    @strawberry.mutation(
        description="Admin only: a cardless operator with the initial password 88888888 (SW-13)."
    )
    async def operator_create(self, info: Info, input: OperatorCreateInput) -> OperatorPayload:
        data = to_domain(cases.OperatorCreateInput, input)
        return await perform(
            info,
            OperatorPayload,
            lambda: cases.create(info.context, data),
            operator=operator_from_model,
        )

    @strawberry.mutation(description="Admin only: edit everything but the username (SW-13).")
    async def operator_update(
        self, info: Info, id: relay.GlobalID, input: OperatorUpdateInput
    ) -> OperatorPayload:
        pk = node_pk(info, id, "Operator")
        data = to_domain(cases.OperatorUpdateInput, input)
        return await perform(
            info,
            OperatorPayload,
            lambda: cases.update(info.context, pk, data),
            operator=operator_from_model,
        )

    @strawberry.mutation(description="Admin only: delete an operator after confirmation (SW-13).")
    async def operator_delete(
        self, info: Info, id: relay.GlobalID, confirm: bool
    ) -> OperatorDeletePayload:
        pk = node_pk(info, id, "Operator")
        return await perform(
            info,
            OperatorDeletePayload,
            lambda: cases.remove(info.context, pk, confirm),
            deleted_operator_id=lambda _: strawberry.ID(str(id)),
        )
