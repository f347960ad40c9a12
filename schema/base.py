"""Building blocks every domain module of the schema uses."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay

from integrations.messaging import MessagingError
from resolvers import errors as domain_errors
from resolvers import scopes
from resolvers.context import RequestContext
from resolvers.pagination import Page
from resolvers.uow import rollback

T = TypeVar("T")
N = TypeVar("N")

Info = strawberry.Info[RequestContext, None]

UserErrorCode = strawberry.enum(
    domain_errors.UserErrorCode,
    name="UserErrorCode",
    description="Stable codes of the business-rule failures mutations report in `userErrors`.",
)


@strawberry.type(description="A business-rule failure of a mutation; nothing was written.")
class UserError:
    code: UserErrorCode  # type: ignore[valid-type]
    field: list[str] | None = strawberry.field(
        description="Path of the offending input field, relative to the mutation's `input`."
    )
    message: str = strawberry.field(
        description="zh-CN by default; English with Accept-Language: en."
    )

    @classmethod
    def from_problem(
        cls, problem: domain_errors.Problem, locale: domain_errors.Locale
    ) -> UserError:
        return cls(
            code=problem.code, field=list(problem.field) or None, message=problem.message(locale)
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    nodes: list[N]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_page(cls, page: Page[Any], convert: Callable[[Any], N]) -> Connection[N]:
        nodes = [convert(item) for item in page.items]
        edges = [Edge(cursor=page.cursor(i), node=node) for i, node in enumerate(nodes)]
        return cls(
            edges=edges,
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total_count,
        )


async def guarded(
    info: Info, action: Callable[[], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run a use case: user errors become payload errors after a rollback; faults propagate."""
    ctx = info.context
    try:
        return await action(), []
    except domain_errors.UserErrors as failure:
        await rollback(ctx)
        return None, [UserError.from_problem(p, ctx.locale) for p in failure.problems]
    except MessagingError:
        await rollback(ctx)
        problem = domain_errors.Problem(
            domain_errors.UserErrorCode.MESSAGE_NOT_DELIVERED, ("target",)
        )
        return None, [UserError.from_problem(problem, ctx.locale)]
    except BaseException:
        await rollback(ctx)
        raise


async def scoped_nodes(cls: Any, model: Any, info: Info, node_ids: Iterable[str]) -> list[Any]:
    """``node(id)`` of a record visible to its enterprise and its institution, nobody else."""
    ids = [int(i) for i in node_ids]
    found = await scopes.visible(info.context, model, ids)
    return [cls.from_model(found[i]) if i in found else None for i in ids]


def node_pk(info: Info, id: relay.GlobalID, *type_names: str) -> int:
    """The database key behind a global ID of one of ``type_names``; anything else is bad input."""
    if id.type_name not in type_names or not id.node_id.isdigit():
        raise domain_errors.BadUserInput("INVALID_ID", info.context.locale)
    return int(id.node_id)


def to_domain(cls: type[T], value: object) -> T:
    """Turn a strawberry input (a dataclass) into the use case's input dataclass."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in vars(value).items() if k in names})
