"""Building blocks every domain module of the schema uses."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import importlib.util
import pkgutil
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar, cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition

import resolvers
from integrations.messaging import MessagingError
from resolvers.core import errors as domain_errors
from resolvers.core import scopes
from resolvers.core.context import RequestContext
from resolvers.core.pagination import Page
from resolvers.core.uow import rollback

T = TypeVar("T")
N = TypeVar("N")

Info = strawberry.Info[RequestContext, None]


def _load_domain_errors() -> dict[str, type[domain_errors.ErrorCode]]:
    """Every domain's ``errors`` module, imported so that its codes are registered."""
    for module in pkgutil.iter_modules(resolvers.__path__):
        if module.ispkg and importlib.util.find_spec(f"resolvers.{module.name}.errors"):
            importlib.import_module(f"resolvers.{module.name}.errors")
    return domain_errors.registered()


# One enum in the SDL, assembled from the codes each domain registers (sorted by name).
_CODES: type[enum.Enum] = enum.Enum(  # type: ignore[misc]
    "UserErrorCode", {code: code for code in sorted(_load_domain_errors())}
)
UserErrorCode = strawberry.enum(
    _CODES,
    name="UserErrorCode",
    description="Stable codes of the business-rule failures mutations report in `userErrors`.",
)


@strawberry.type(description="A business-rule failure of a mutation; nothing was written.")
class UserError:
    code: domain_errors.ErrorCode = strawberry.field(graphql_type=UserErrorCode)
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
            domain_errors.CommonErrorCode.MESSAGE_NOT_DELIVERED, ("target",)
        )
        return None, [UserError.from_problem(problem, ctx.locale)]
    except BaseException:
        await rollback(ctx)
        raise


P = TypeVar("P")


async def perform(
    info: Info,
    payload: Callable[..., P],
    action: Callable[[], Awaitable[T]],
    **present: Callable[[T], Any],
) -> P:
    """A mutation's glue, written once (Saleor's BaseMutation): the use case loads, authorises,
    validates and performs; its result fills the payload's fields through ``present`` (one
    converter per field), or its user errors become ``userErrors`` after a rollback, with the
    payload's other fields null.

    ``return await perform(info, SealPayload, lambda: seals.enable(ctx, pk), seal=Seal.from_model)``
    """
    result, errors = await guarded(info, action)
    if errors:
        return payload(user_errors=errors, **dict.fromkeys(_required_fields(payload, present)))
    done = cast(T, result)
    return payload(user_errors=[], **{name: convert(done) for name, convert in present.items()})


def _required_fields(payload: Callable[..., Any], present: dict[str, Any]) -> list[str]:
    """The payload's fields without a default: null when the mutation was refused."""
    names = set(present)
    if dataclasses.is_dataclass(payload):
        names |= {
            f.name
            for f in dataclasses.fields(payload)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
    names.discard("user_errors")
    return sorted(names)


async def scoped_nodes(cls: Any, model: Any, info: Info, node_ids: Iterable[str]) -> list[Any]:
    """``node(id)`` of a record visible to its enterprise and its institution, nobody else."""
    ids = [int(i) for i in node_ids]
    found = await scopes.visible(info.context, model, ids)
    return [cls.from_model(found[i]) if i in found else None for i in ids]


def node_pk(info: Info, id: relay.GlobalID, *type_names: str) -> int:
    """The database key behind a global ID of one of ``type_names``; anything else is bad input."""
    key = _database_key(id.node_id)
    if id.type_name not in type_names or key is None:
        raise domain_errors.BadUserInput("INVALID_ID", info.context.locale)
    return key


def _database_key(local: str) -> int | None:
    """A global ID's local part as a database key: ASCII digits, 1 .. 2**63 - 1, else None
    (``"１"``, ``"1e3"``, 400 digits, which SQLite and int() refuse)."""
    if not (local.isascii() and local.isdigit()) or len(local) > len(str(MAX_PK)):
        return None
    key = int(local)
    return key if 0 < key <= MAX_PK else None


def to_domain(cls: type[T], value: object) -> T:
    """Turn a strawberry input (a dataclass) into the use case's input dataclass."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in vars(value).items() if k in names})


MAX_PK = 2**63 - 1


async def refetch(info: Info, id: relay.GlobalID) -> relay.Node | None:
    """``node(id)``: the object behind a global ID if the viewer may see it, else null.

    A local ID that is not a database key (empty, not decimal digits, beyond 64 bits) is bad
    input; a type that is not a concrete node type, or an object of another type than the ID
    names (``Operator:1`` for an enterprise admin), is null, as for an object of another tenant.
    """
    if _database_key(id.node_id) is None:
        raise domain_errors.BadUserInput("INVALID_ID", info.context.locale)
    definition = info.schema.get_type_by_name(id.type_name)
    origin = getattr(definition, "origin", None)
    if (
        not isinstance(definition, StrawberryObjectDefinition)
        or definition.is_interface
        or origin is None
        or not issubclass(origin, relay.Node)
    ):
        return None
    found = await id.resolve_node(info, required=False)
    if found is None or type(found).__strawberry_definition__.name != id.type_name:  # type: ignore[attr-defined]
        return None
    return found


async def read_upload(info: Info, upload: object) -> tuple[str, bytes]:
    """A file of the multipart request: its name and content. The ``Upload`` scalar lets any
    variable value through, so anything else (a string, a number) is the client's fault."""
    if not isinstance(upload, UploadFile):
        raise domain_errors.BadUserInput("UPLOAD_EXPECTED", info.context.locale)
    return upload.filename or "", await upload.read()
