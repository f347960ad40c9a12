"""Identical subscriptions executed once per event, their frame sent to every subscriber (GW-2).

A status event of a loan order or an agreement reads the same for everybody who shares the
viewer's scope (an enterprise, or a bank's portal), the document, the variables and the locale.
Running graphql-core once per subscriber per event would cost a database load, an execution and
a JSON encoding each; 1,000 bank-portal tabs would make that 1,000 of each. Here such
subscriptions join a *group*: the group runs the operation once with a context of its own and
sends the encoded ``next`` frame to every member, splicing in the member's operation id.

Only root fields listed as scope-shared are grouped (:data:`schema.SCOPE_SHARED_SUBSCRIPTIONS`);
every other operation runs per subscriber, as strawberry does it.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import orjson
from graphql import FieldNode, OperationDefinitionNode, OperationType
from starlette.websockets import WebSocketDisconnect
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

from models import Account, AccountKind
from resolvers.core import permissions, scopes
from resolvers.core.context import RequestContext
from resolvers.core.errors import ClientFault, Unauthenticated

if TYPE_CHECKING:
    from strawberry.schema import BaseSchema
    from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import Operation
    from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message

log = logging.getLogger("gateway.fanout")

GroupKey = tuple[str, str | None, bytes, str, str]
# A member that cannot take a frame within this time is dropped rather than hold up the rest.
SEND_TIMEOUT_SECONDS = 2.0


@dataclass(eq=False, slots=True)
class Member:
    """One subscriber's operation inside a group."""

    operation: Operation[RequestContext, None]
    context: RequestContext
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def frame_prefix(self) -> bytes:
        return b'{"id":' + orjson.dumps(self.operation.id) + b',"type":"next","payload":'

    def session_alive(self, now: Any) -> bool:
        session = self.context.viewer.session
        return session is None or session.expires_at > now


class Group:
    """The members of one key, and the one execution that feeds them."""

    def __init__(self, shared: SharedSubscriptions, key: GroupKey, first: Member) -> None:
        self.shared = shared
        self.key = key
        self.members: dict[Member, bytes] = {}
        self.context = first.context.fork()
        # The group sees as any account of this kind in this scope would, none in particular:
        # a field only an account itself may see resolves as for a colleague.
        account = first.context.viewer.account
        assert account is not None
        self.context.viewer.account = Account.model_validate({**account.model_dump(), "id": None})
        self.task: asyncio.Task[None] | None = None

    def add(self, member: Member) -> None:
        self.members[member] = member.frame_prefix

    def remove(self, member: Member) -> None:
        self.members.pop(member, None)
        if not self.members and self.task is not None:
            self.task.cancel()

    async def run(self) -> None:
        query, operation_name, variables, _, _ = self.key
        ending: dict[str, Any] | None = {"type": "complete"}
        try:
            source = await self.shared.schema.stream(
                query,
                variable_values=orjson.loads(variables),
                context_value=self.context,
                operation_name=operation_name,
            )
            async with aclosing(source):
                async for result in source:
                    if isinstance(result, ExecutionResult) and not isinstance(
                        result, PreExecutionError
                    ):
                        await self.broadcast(_payload(result))
                        continue
                    errors = getattr(result, "errors", None) or []
                    ending = {"type": "error", "payload": [e.formatted for e in errors]}
                    return
        except asyncio.CancelledError:
            ending = None  # the last member left
            raise
        except Exception:  # a fault: every member hears the end, as strawberry would tell one
            log.exception("shared subscription failed")
        finally:
            # Leave the registry first, so that nobody joins a group that is ending.
            self.shared.discard(self)
            if ending is not None:
                for member in tuple(self.members):
                    await self._end(member, ending)
            await self.context.close()

    async def broadcast(self, payload: bytes) -> None:
        """One encoded payload, every member's frame; expired sessions and dead sockets leave."""
        now = self.context.clock.now()
        for member, prefix in tuple(self.members.items()):
            if not member.session_alive(now):
                await self._end(member, _session_ended(member))
                continue
            try:
                async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                    await member.operation.handler.websocket.ws.send_text(  # type: ignore[attr-defined]
                        (prefix + payload + b"}").decode()
                    )
            except (TimeoutError, WebSocketDisconnect, RuntimeError, OSError):
                self.members.pop(member, None)
                member.done.set()

    async def _end(self, member: Member, message: dict[str, Any]) -> None:
        self.members.pop(member, None)
        # The socket may already be gone; the member ends either way.
        with suppress(Exception):
            await member.operation.send_operation_message(
                cast("Message", {"id": member.operation.id, **message})
            )
        member.done.set()


class SharedSubscriptions:
    """The process's groups, by key; a group lives while it has members."""

    def __init__(self, schema: BaseSchema, shared_fields: frozenset[str]) -> None:
        self.schema = schema
        self.shared_fields = shared_fields
        self.groups: dict[GroupKey, Group] = {}

    def key_for(
        self,
        operation: Operation[RequestContext, None],
        context: RequestContext,
        definition: OperationDefinitionNode,
    ) -> GroupKey | None:
        """The group this operation (``definition``, parsed and validated) may join, or None
        when it must run on its own."""
        try:
            permissions.require_account(context)
        except ClientFault:
            return None  # refused: let it run on its own and hear why
        audience = scopes.audience(context)
        if audience is None or not self.is_shareable(definition):
            return None
        try:
            variables = orjson.dumps(operation.variables or {}, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            return None
        account, session = context.viewer.account, context.viewer.session
        assert account is not None
        # What a member may see depends on more than its scope: the session's method and card
        # (a legal-person card signs, a password session does not), and an operator's own
        # business permissions (TI-2). Operators therefore share only with themselves.
        how = f"{session.method}:{session.card_kind}" if session is not None else "-"
        who = (
            f"{account.kind}:{account.id}" if account.kind == AccountKind.OPERATOR else account.kind
        )
        audience = f"{audience}/{who}/{how}"
        return (operation.query, operation.operation_name, variables, audience, context.locale)

    async def serve(
        self, key: GroupKey, operation: Operation[RequestContext, None], context: RequestContext
    ) -> None:
        """The member's operation task: join, wait until the group or the client ends it."""
        member = Member(operation, context)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group(self, key, member)
            group.add(member)
            group.task = asyncio.create_task(group.run())
        else:
            group.add(member)
        try:
            await member.done.wait()
        finally:
            group.remove(member)

    def discard(self, group: Group) -> None:
        if self.groups.get(group.key) is group:
            del self.groups[group.key]

    @property
    def subscriber_count(self) -> int:
        return sum(len(group.members) for group in self.groups.values())

    def is_shareable(self, definition: OperationDefinitionNode) -> bool:
        """A subscription whose every root selection is a scope-shared field."""
        if definition.operation != OperationType.SUBSCRIPTION:
            return False
        return all(
            isinstance(s, FieldNode) and s.name.value in self.shared_fields
            for s in definition.selection_set.selections
        )


def _payload(result: ExecutionResult) -> bytes:
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return orjson.dumps(payload)


def _session_ended(member: Member) -> dict[str, Any]:
    fault = Unauthenticated("SESSION_ENDED", member.context.locale)
    return {"type": "error", "payload": [{"message": str(fault), "extensions": fault.extensions}]}
