"""Subscriptions over graphql-transport-ws, served by strawberry's ASGI view.

The token travels in ``connection_init`` (browsers cannot set WebSocket headers): either
``{"authorization": "Bearer <token>"}`` or ``{"token": "<token>"}``. A dead token closes
the socket with 4403.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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
)
from strawberry.types.unset import UnsetType

from gateway.context import bearer_token, build_context
from gateway.fanout import SharedSubscriptions
from resolvers.accounts import sessions
from resolvers.core.context import RequestContext, Services
from resolvers.core.errors import ClientFault
from schema import SCOPE_SHARED_SUBSCRIPTIONS

_CONTEXT_KEY = "gateway_context"


class TransportHandler(BaseGraphQLTransportWSHandler[RequestContext, None]):
    """strawberry's graphql-transport-ws handler, except that scope-shared subscriptions join
    the process's groups (gateway/fanout.py) instead of executing once per subscriber."""

    view: SubscriptionView

    async def run_operation(self, operation: Operation[RequestContext, None]) -> None:
        shared = self.view.shared
        key = shared.key_for(operation, self.context)
        if key is None:
            await super().run_operation(operation)
        else:
            await shared.serve(key, operation)


class SubscriptionView(GraphQL[RequestContext, None]):
    graphql_transport_ws_handler_class = TransportHandler

    def __init__(self, schema: strawberry.Schema, services: Services) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=20,
        )
        self.services = services
        self.shared = SharedSubscriptions(schema, SCOPE_SHARED_SUBSCRIPTIONS)

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
        params = context.connection_params or {}
        token = params.get("token") or bearer_token(
            params.get("authorization") or params.get("Authorization")
        )
        if token:
            try:
                context.viewer = await sessions.authenticate(context, str(token))
            except ClientFault as error:
                raise ConnectionRejectionError({"code": error.code}) from error
            finally:
                await context.close()
        return await super().on_ws_connect(context)
