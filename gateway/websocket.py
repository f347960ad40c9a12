"""GraphQL over graphql-transport-ws, served by strawberry's ASGI view, on the request path of
HTTP (gateway/operations.py).

The token travels in ``connection_init`` (browsers cannot set WebSocket headers): either
``{"authorization": "Bearer <token>"}`` or ``{"token": "<token>"}``. A dead token closes
the socket with 4403.

Every ``subscribe`` goes through what an HTTP request goes through: the document's size, token,
depth, cost, alias and overlap limits and the shared parse and validation caches (a refused
document is an ``error`` message with the same codes and messages as over HTTP); then the
session is checked again, as each HTTP request checks its bearer token, in a context of the
operation's own (its own database session and loaders); queries and mutations then execute as
over HTTP (a mutation takes the write intent, errors are masked with ``extensions.code`` and
the request ID) and answer with ``next`` and ``complete``; subscriptions run in strawberry (or in
a shared group, gateway/fanout.py) with the same masking.

A socket opened with a session also listens for that session's end (:class:`SessionWatch`:
logout, a password change or reset, the operator disabled or deleted all publish
``SESSION_ENDED`` on the account's topic, on whichever replica they happen) and for its expiry:
each live operation then gets ``UNAUTHENTICATED``/``SESSION_ENDED`` and the socket is closed
with 4403.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextlib import suppress
from datetime import timedelta
from typing import Any, cast

import strawberry
from starlette.requests import Request
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
    _OperationStreamClosed,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
)
from strawberry.types.unset import UnsetType
from strawberry.utils.aio import aclosing

from gateway.context import bearer_token, build_context
from gateway.fanout import SharedSubscriptions
from gateway.operations import (
    DocumentRefused,
    Documents,
    Prepared,
    execute_operation,
    intent,
    is_request_error,
    result_body,
)
from integrations.broker import EventBroker, Subscription
from resolvers.accounts import sessions
from resolvers.core import events
from resolvers.core.context import RequestContext, Services
from resolvers.core.errors import ClientFault, Unauthenticated
from schema import SCOPE_SHARED_SUBSCRIPTIONS

log = logging.getLogger("gateway.websocket")

_CONTEXT_KEY = "gateway_context"
SESSION_ENDED_CLOSE = 4403


def connection_token(params: dict[str, Any] | None) -> str | None:
    params = params or {}
    token = params.get("token") or bearer_token(
        params.get("authorization") or params.get("Authorization")
    )
    return str(token) if token else None


class _Background:
    """Tasks started from callbacks, kept referenced until they finish."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class _AccountWatch:
    """One account's broker subscription and the sessions of this replica's sockets on it."""

    def __init__(self, broker: EventBroker, account_id: int, background: _Background) -> None:
        self.subscription: Subscription = broker.subscribe(events.topic_for(account_id))
        self.watchers: dict[object, tuple[int, Callable[[], Coroutine[Any, Any, None]]]] = {}
        self.background = background
        self.task = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async for raw in self.subscription:
            try:
                event = events.parse(raw)
            except (KeyError, TypeError, ValueError):
                continue
            for session_id, end in tuple(self.watchers.values()):
                if events.ends_session(event, raw, session_id):
                    self.background.spawn(end())

    def stop(self) -> None:
        self.task.cancel()
        self.subscription.close()


class SessionWatch:
    """Ends sockets whose session ends: one broker subscription per account that has an open
    socket on this replica, however many sockets it has."""

    def __init__(self, broker: EventBroker) -> None:
        self.broker = broker
        self.accounts: dict[int, _AccountWatch] = {}
        self.background = _Background()

    def watch(
        self, account_id: int, session_id: int, end: Callable[[], Coroutine[Any, Any, None]]
    ) -> Callable[[], None]:
        """Call ``end`` when the session ends; returns the function that stops watching."""
        account = self.accounts.get(account_id)
        if account is None:
            account = self.accounts[account_id] = _AccountWatch(
                self.broker, account_id, self.background
            )
        key = object()
        account.watchers[key] = (session_id, end)

        def unwatch() -> None:
            account.watchers.pop(key, None)
            if not account.watchers and self.accounts.get(account_id) is account:
                del self.accounts[account_id]
                account.stop()

        return unwatch

    @property
    def sockets(self) -> int:
        return sum(len(a.watchers) for a in self.accounts.values())


class TransportHandler(BaseGraphQLTransportWSHandler[RequestContext, None]):
    """strawberry's graphql-transport-ws handler on the gateway's request path; scope-shared
    subscriptions join the process's groups (gateway/fanout.py)."""

    view: SubscriptionView

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_over = False
        self._unwatch: Callable[[], None] | None = None
        self._expiry: asyncio.TimerHandle | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        session = self.context.viewer.session
        if not self.connection_acknowledged or session is None or session.id is None:
            return
        self._unwatch = self.view.session_watch.watch(
            session.account_id, session.id, self.end_session
        )
        remaining = (session.expires_at - self.context.clock.now()).total_seconds()
        background = self.view.session_watch.background
        self._expiry = asyncio.get_running_loop().call_later(
            max(remaining, 0.0), lambda: background.spawn(self.end_session())
        )

    async def shutdown(self) -> None:
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        if self._expiry is not None:
            self._expiry.cancel()
        await super().shutdown()

    async def end_session(self, reason: str = "SESSION_ENDED") -> None:
        """The session is over: every live operation hears why, then the socket closes."""
        if self.session_over:
            return
        self.session_over = True
        fault = Unauthenticated(reason, self.context.locale)
        payload = [{"message": str(fault), "extensions": fault.extensions}]
        current = asyncio.current_task()
        for operation in tuple(self.operations.values()):
            with suppress(Exception):
                await operation.send_operation_message(
                    cast("Message", {"id": operation.id, "type": "error", "payload": payload})
                )
            if operation.task is not None and operation.task is not current:
                operation.task.cancel()
        with suppress(Exception):
            await self.websocket.close(code=SESSION_ENDED_CLOSE, reason="Session ended")

    async def run_operation(self, operation: Operation[RequestContext, None]) -> None:
        try:
            try:
                prepared = self.view.documents.prepare(operation.query, operation.operation_name)
            except DocumentRefused as refused:
                await self._send(operation, "error", refused.errors)
                return
            with intent(prepared):
                ctx = await self._operation_context()
                if ctx is None:
                    return
                try:
                    if prepared.is_subscription:
                        await self._subscribe(operation, prepared, ctx)
                    else:
                        await self._execute(operation, prepared, ctx)
                finally:
                    await ctx.close()
        except _OperationStreamClosed:
            return
        except Exception as error:
            await self.handle_task_exception(error)
            with suppress(Exception):
                await self._send(operation, "complete")
            self.operations.pop(operation.id, None)
            raise

    async def _operation_context(self) -> RequestContext | None:
        """A context of the operation's own, its viewer checked again; None (and the socket
        closing) when the connection's session is over."""
        if self.session_over:
            return None
        base = self.context
        ctx = base.fork()
        ctx.connection_params = base.connection_params
        token = connection_token(base.connection_params)
        if token is None:
            return ctx
        try:
            ctx.viewer = await sessions.authenticate(ctx, token)
        except ClientFault as fault:
            await ctx.close()
            await self.end_session(str(fault.extensions.get("reason") or "SESSION_ENDED"))
            return None
        except BaseException:
            await ctx.close()
            raise
        return ctx

    async def _execute(
        self, operation: Operation[RequestContext, None], prepared: Prepared, ctx: RequestContext
    ) -> None:
        view = self.view
        result = await execute_operation(
            view.graphql_schema,
            view.executor_class,
            ctx,
            prepared,
            operation.variables,
            operation.operation_name,
        )
        body = result_body(result, ctx.request_id)
        if is_request_error(result):
            await self._send(operation, "error", body["errors"])
            return
        await self._send(operation, "next", body)
        await self._send(operation, "complete")

    async def _subscribe(
        self, operation: Operation[RequestContext, None], prepared: Prepared, ctx: RequestContext
    ) -> None:
        # A subscription holds no database connection while it waits for events (each event
        # gets a fresh session: ctx.refresh()); the check of the session is done with it.
        await ctx.close()
        shared = self.view.shared
        key = shared.key_for(operation, ctx, prepared.operation)
        if key is not None:
            await shared.serve(key, operation, ctx)
            return
        source = await self.schema.stream(
            operation.query,
            variable_values=operation.variables,
            context_value=ctx,
            root_value=self.root_value,
            operation_name=operation.operation_name,
        )
        async with aclosing(source):
            await self._send_result_stream(operation, source)
        await self._send(operation, "complete")

    @staticmethod
    async def _send(
        operation: Operation[RequestContext, None], kind: str, payload: Any = None
    ) -> None:
        message: dict[str, Any] = {"id": operation.id, "type": kind}
        if payload is not None:
            message["payload"] = payload
        await operation.send_operation_message(cast("Message", message))


class SubscriptionView(GraphQL[RequestContext, None]):
    graphql_transport_ws_handler_class = TransportHandler

    def __init__(self, schema: strawberry.Schema, services: Services, documents: Documents) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=20,
        )
        self.services = services
        self.documents = documents
        self.graphql_schema = schema._schema
        self.executor_class = schema.execution_context_class
        self.shared = SharedSubscriptions(schema, SCOPE_SHARED_SUBSCRIPTIONS)
        self.session_watch = SessionWatch(services.broker)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            ctx = scope.get("state", {}).pop(_CONTEXT_KEY, None)
            if ctx is not None:
                await ctx.close()

    async def get_context(self, request: Request | WebSocket, response: Any) -> RequestContext:
        request_id = request.scope.get("state", {}).get("request_id", "-")
        ctx = await build_context(
            self.services,
            {"accept-language": request.headers.get("accept-language", "")},
            request.client.host if request.client else None,
            request_id,
        )
        request.scope.setdefault("state", {})[_CONTEXT_KEY] = ctx
        return ctx

    async def on_ws_connect(self, context: RequestContext) -> UnsetType | dict[str, object] | None:
        token = connection_token(context.connection_params)
        if token:
            try:
                context.viewer = await sessions.authenticate(context, token)
            except ClientFault as error:
                raise ConnectionRejectionError({"code": error.code}) from error
            finally:
                await context.close()
        return await super().on_ws_connect(context)
