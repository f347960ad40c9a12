"""Bank webhooks: ``POST /webhooks/banks/{code}``, signed with the bank's secret.

A forged (bad signature or stale timestamp) or replayed (event already applied) callback changes
nothing and is logged; a valid one is applied once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import orjson
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.context import build_context
from integrations.banks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from models import WebhookReceipt
from resolvers import agreements, loans
from resolvers.context import Services
from resolvers.errors import UserErrors
from resolvers.uow import rollback

log = logging.getLogger("gateway.webhooks")
MAX_BODY = 1_000_000
# What each kind of bank event decides.
HANDLERS = {"AGREEMENT_DECIDED": agreements.decide, "LOAN_DECIDED": loans.decide}


def bank_webhook(services: Services) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The endpoint for one process's services."""

    async def receive(request: Request) -> JSONResponse:
        code = request.path_params["code"]
        body = await request.body()
        secret = services.banks.secret(code)
        timestamp = request.headers.get(TIMESTAMP_HEADER, "")
        given = request.headers.get(SIGNATURE_HEADER, "")
        if (
            len(body) > MAX_BODY
            or secret is None
            or not verify(secret, timestamp, body, given, time.time())
        ):
            log.warning("forged or stale bank webhook refused", extra={"bank": code})
            return JSONResponse({"error": "INVALID_SIGNATURE"}, status_code=401)
        try:
            event = orjson.loads(body)
            event_id = str(event["eventId"])[:64]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return JSONResponse({"error": "BAD_REQUEST"}, status_code=400)
        ctx = await build_context(
            services, {}, None, request.scope.get("state", {}).get("request_id", "-")
        )
        try:
            ctx.db.add(
                WebhookReceipt(
                    institution_code=code, event_id=event_id, received_at=ctx.clock.now()
                )
            )
            try:
                await ctx.db.flush()
            except IntegrityError:
                await rollback(ctx)
                log.warning(
                    "replayed bank webhook ignored", extra={"bank": code, "eventId": event_id}
                )
                return JSONResponse({"status": "duplicate"})
            handler = HANDLERS.get(str(event.get("type")))
            if handler is None:
                await rollback(ctx)
                return JSONResponse({"error": "UNKNOWN_EVENT"}, status_code=400)
            await handler(ctx, code, event)
        except UserErrors as failure:
            await rollback(ctx)
            log.warning("bank webhook not applicable", extra={"bank": code, "codes": str(failure)})
            return JSONResponse({"error": str(failure)}, status_code=422)
        finally:
            await ctx.close()
        return JSONResponse({"status": "applied"})

    return receive
