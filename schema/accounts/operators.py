"""An admin's operators (SW-13)."""

from __future__ import annotations

import strawberry
from strawberry import relay

import models
from resolvers.accounts import operators as cases
from resolvers.core.fields import IdType as DomainIdType
from schema.accounts.types import AccountStatus, IdType, Operator, operator_from_model
from schema.base import Info, UserError, guarded, node_pk


@strawberry.input
class OperatorCreateInput:
    username: str = strawberry.field(
        description="6-18 letters, or letters and digits; fixed for ever."
    )
    name: str
    mobile: str = strawberry.field(description="Receives the SMS code of the first login.")
    id_type: IdType  # type: ignore[valid-type]
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
    id_type: IdType  # type: ignore[valid-type]
    id_number: str
    status: AccountStatus  # type: ignore[valid-type]
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
        data = cases.OperatorCreateInput(
            username=input.username,
            name=input.name,
            mobile=input.mobile,
            id_type=DomainIdType(input.id_type),
            id_number=input.id_number,
            id_valid_from=input.id_valid_from,
            id_valid_to=input.id_valid_to,
            email=input.email,
        )
        row, errors = await guarded(info, lambda: cases.create(info.context, data))
        return OperatorPayload(
            operator=operator_from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Admin only: edit everything but the username (SW-13).")
    async def operator_update(
        self, info: Info, id: relay.GlobalID, input: OperatorUpdateInput
    ) -> OperatorPayload:
        pk = node_pk(info, id, "Operator")
        data = cases.OperatorUpdateInput(
            name=input.name,
            mobile=input.mobile,
            id_type=DomainIdType(input.id_type),
            id_number=input.id_number,
            id_valid_from=input.id_valid_from,
            id_valid_to=input.id_valid_to,
            email=input.email,
            status=models.AccountStatus(input.status),
        )
        row, errors = await guarded(info, lambda: cases.update(info.context, pk, data))
        return OperatorPayload(
            operator=operator_from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Admin only: delete an operator after confirmation (SW-13).")
    async def operator_delete(
        self, info: Info, id: relay.GlobalID, confirm: bool
    ) -> OperatorDeletePayload:
        pk = node_pk(info, id, "Operator")
        deleted, errors = await guarded(info, lambda: cases.remove(info.context, pk, confirm))
        return OperatorDeletePayload(
            deleted_operator_id=strawberry.ID(str(id)) if deleted else None, user_errors=errors
        )
