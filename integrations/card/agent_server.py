"""The card agent's local HTTP endpoint, which a browser front-end calls.

It listens on 127.0.0.1 only and answers only the configured front-end origins (a page from
any other site gets 403, and browsers see no CORS grant). The PIN travels from the page to the
agent and on to the card; it is never logged and never leaves the machine.

    GET  /cards                      the cards in the readers
    POST /sign  {"challenge": nonce, "pin": "..."}          login (slot 9A)
    POST /sign  {"digest": "<64 hex>", "pin": "..."}         a document digest (slot 9C)
                 optional "cardNumber" picks the card
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from integrations.card.agent import CardAgent
from integrations.card.errors import CardBlocked, CardError, CardNotPresent, WrongPin

Handler = Callable[[Request], Awaitable[Response]]


def create_agent_app(agent: CardAgent, allowed_origins: tuple[str, ...]) -> Starlette:
    def cors(request: Request, response: Response) -> Response:
        origin = request.headers.get("origin")
        if origin and origin in allowed_origins:
            response.headers["access-control-allow-origin"] = origin
            response.headers["access-control-allow-methods"] = "GET, POST"
            response.headers["access-control-allow-headers"] = "content-type"
            response.headers["vary"] = "Origin"
        return response

    def guarded(handler: Handler) -> Handler:
        async def wrapper(request: Request) -> Response:
            origin = request.headers.get("origin")
            if origin is not None and origin not in allowed_origins:
                return JSONResponse({"error": "ORIGIN_NOT_ALLOWED"}, status_code=403)
            if request.method == "OPTIONS":
                return cors(request, Response(status_code=204))
            return cors(request, await handler(request))

        return wrapper

    async def cards(_: Request) -> Response:
        found = await run_in_threadpool(agent.list_cards)
        return JSONResponse(
            [
                {
                    "reader": c.reader,
                    "cardNumber": c.holder.card_number,
                    "kind": c.holder.kind,
                    "holderName": c.holder.holder_name,
                    "enterpriseName": c.holder.enterprise_name,
                    "notAfter": c.not_after,
                    "signingCertificate": await run_in_threadpool(
                        agent.signing_certificate, c.holder.card_number
                    ),
                }
                for c in found
            ]
        )

    async def sign(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "BAD_REQUEST"}, status_code=400)
        pin, card = str(body.get("pin", "")), body.get("cardNumber")
        try:
            if "challenge" in body:
                signed = await run_in_threadpool(
                    agent.sign_login, str(body["challenge"]), pin, card
                )
            elif "digest" in body:
                digest = bytes.fromhex(str(body["digest"]))
                signed = await run_in_threadpool(agent.sign_digest, digest, pin, card)
            else:
                return JSONResponse({"error": "BAD_REQUEST"}, status_code=400)
        except WrongPin as error:
            return JSONResponse(
                {"error": "WRONG_PIN", "triesLeft": error.tries_left}, status_code=401
            )
        except CardBlocked:
            return JSONResponse({"error": "CARD_BLOCKED"}, status_code=423)
        except CardNotPresent:
            return JSONResponse({"error": "CARD_NOT_PRESENT"}, status_code=404)
        except (CardError, ValueError):
            return JSONResponse({"error": "CARD_ERROR"}, status_code=400)
        return JSONResponse(signed.as_json())

    return Starlette(
        routes=[
            Route("/cards", guarded(cards), methods=["GET", "OPTIONS"]),
            Route("/sign", guarded(sign), methods=["POST", "OPTIONS"]),
        ]
    )
