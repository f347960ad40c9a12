"""Signed callbacks: ``POST /webhooks/banks/{code}`` and ``/webhooks/insurers/{code}`` with the
institution's secret, ``POST /webhooks/e-licence`` with the e-licence service's.

A forged (bad signature or stale timestamp) or replayed (event already applied) callback changes
nothing and is logged; a valid one is applied once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.bodies import CLOSE, BodyTooLarge, read_body
from gateway.context import build_context
from integrations.institutions import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from models import WebhookReceipt
from resolvers.agreements import actions as agreements
from resolvers.core.context import RequestContext, Services
from resolvers.core.errors import UserErrors
from resolvers.core.uow import rollback
from resolvers.insurance import claims, credit_authorisations
from resolvers.insurance import policies as tariff_policies
from resolvers.insurance import quotas as tariff_quotas
from resolvers.loans import actions as loans
from resolvers.recovery import bank_key, password_reset

log = logging.getLogger("gateway.webhooks")
# Read while it streams in: a longer body (declared or chunked) is refused with 413 unread.
MAX_BODY = 1_000_000
# The longest event id a receipt keeps (webhook_receipt.event_id). A longer one is refused with
# 400, which senders treat as final (integrations.institutions.simulator.post_signed retries only
# 5xx): cutting it would make two events sharing a prefix one event.
MAX_EVENT_ID = 64
Handler = Callable[[RequestContext, str, dict[str, Any]], Awaitable[None]]
# What each kind of event decides, by the kind of institution that may send it.
HANDLERS: dict[str, dict[str, Handler]] = {
    "BANK": {
        "AGREEMENT_DECIDED": agreements.decide,
        "LOAN_DECIDED": loans.decide,
        "ENTERPRISE_VERIFIED": bank_key.decided,
    },
    "INSURER": {
        "CREDIT_AUTHORISATION_DECIDED": credit_authorisations.decide,
        "QUOTA_DECIDED": tariff_quotas.decide,
        "QUOTA_INCREASE_DECIDED": tariff_quotas.decide_increase,
        "POLICY_DECIDED": tariff_policies.decide,
        "CLAIM_REPORTED": claims.report,
    },
}


class UnknownEvent(Exception):
    """The event's type is not one this endpoint applies."""


async def apply_signed(
    services: Services,
    request: Request,
    source: str,
    secret: bytes | None,
    apply: Callable[[RequestContext, dict[str, Any]], Awaitable[None]],
) -> JSONResponse:
    """Verify a signed callback, record its event id (a replay is ignored), apply it once."""
    try:
        body = await read_body(request, MAX_BODY)
    except BodyTooLarge:
        log.warning("oversized webhook refused", extra={"institution": source})
        return JSONResponse(
            {"error": "REQUEST_TOO_LARGE", "message": f"The body exceeds {MAX_BODY} bytes."},
            status_code=413,
            headers=CLOSE,
        )
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    given = request.headers.get(SIGNATURE_HEADER, "")
    if secret is None or not verify(secret, timestamp, body, given, time.time()):
        log.warning("forged or stale webhook refused", extra={"institution": source})
        return JSONResponse({"error": "INVALID_SIGNATURE"}, status_code=401)
    try:
        event = orjson.loads(body)
        event_id = event["eventId"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return JSONResponse({"error": "BAD_REQUEST"}, status_code=400)
    if isinstance(event_id, int) and not isinstance(event_id, bool):
        event_id = str(event_id)
    if not isinstance(event_id, str) or not event_id:
        return JSONResponse(
            {"error": "BAD_REQUEST", "message": "eventId must be a non-empty string."},
            status_code=400,
        )
    if len(event_id) > MAX_EVENT_ID:
        log.warning("webhook with an over-long event id refused", extra={"institution": source})
        return JSONResponse(
            {
                "error": "EVENT_ID_TOO_LONG",
                "message": f"eventId must be at most {MAX_EVENT_ID} characters.",
            },
            status_code=400,
        )
    ctx = await build_context(
        services, {}, None, request.scope.get("state", {}).get("request_id", "-")
    )
    try:
        ctx.db.add(
            WebhookReceipt(institution_code=source, event_id=event_id, received_at=ctx.clock.now())
        )
        try:
            await ctx.db.flush()
        except IntegrityError:
            await rollback(ctx)
            log.warning(
                "replayed webhook ignored", extra={"institution": source, "eventId": event_id}
            )
            return JSONResponse({"status": "duplicate"})
        await apply(ctx, event)
    except UnknownEvent:
        await rollback(ctx)
        return JSONResponse({"error": "UNKNOWN_EVENT"}, status_code=400)
    except UserErrors as failure:
        await rollback(ctx)
        log.warning("webhook not applicable", extra={"institution": source, "codes": str(failure)})
        return JSONResponse({"error": str(failure)}, status_code=422)
    finally:
        await ctx.close()
    return JSONResponse({"status": "applied"})


def institution_webhook(
    services: Services, kind: str
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The endpoint of one kind of institution (BANK, INSURER) for one process's services."""
    handlers = HANDLERS[kind]

    async def receive(request: Request) -> JSONResponse:
        code = request.path_params["code"]

        async def apply(ctx: RequestContext, event: dict[str, Any]) -> None:
            handler = handlers.get(str(event.get("type")))
            if handler is None:
                raise UnknownEvent
            await handler(ctx, code, event)

        return await apply_signed(
            services, request, code, services.institutions.secret(code), apply
        )

    return receive


def signed_webhook(
    services: Services,
    source: str,
    secret: bytes,
    apply: Callable[[RequestContext, dict[str, Any]], Awaitable[None]],
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """A service's signed callback endpoint (the eID service's face verification results)."""

    async def receive(request: Request) -> JSONResponse:
        return await apply_signed(services, request, source, secret, apply)

    return receive


def licence_webhook(
    services: Services, secret: bytes
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """``POST /webhooks/e-licence``: the e-licence service says which enterprise's licence
    authorised a password-reset session (SW-10)."""
    return signed_webhook(services, "E-LICENCE", secret, password_reset.licence_decided)
