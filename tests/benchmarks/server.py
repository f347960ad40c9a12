"""The gateway plus the hand-written references, in one process (PERFORMANCE-NOTES §3.3).

- ``GET /reference/orders?first=N`` answers W1 (``workloads.ORDER_PAGE``) for the bearer's
  bank: SQLAlchemy Core column selects, dicts, orjson. It authenticates like the gateway does.
- ``GET /reference/orders-with-credit?first=N`` answers W5 (``workloads.CREDIT_ORDER_PAGE``):
  also one ``IN`` load of the credit records, the risk flags computed by the same rules.
- ``WS /reference/orders/live`` is W4's floor: one broker subscription per bank for the whole
  process; per event one Core load of the order, one encoded frame, sent to every socket.

Both return byte for byte what the gateway returns; ``test_references.py`` holds them to it.
Run: ``python -m tests.benchmarks.server`` (PORT, DATABASE_URL, REDIS_URL ... as for ``serve``).
"""

from __future__ import annotations

import asyncio
import base64
import os
import resource
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from gateway.app import create_app
from gateway.context import bearer_token
from gateway.server import uvicorn_options
from gateway.settings import load_settings
from models import Account, CreditRecord, Enterprise, LoanOrder, Session
from resolvers.accounts.sessions import token_hash
from resolvers.core.clock import Clock
from resolvers.core.context import Services
from resolvers.credit import risk

ORDER = LoanOrder.__table__  # type: ignore[attr-defined]
ENTERPRISE = Enterprise.__table__  # type: ignore[attr-defined]
SESSION = Session.__table__  # type: ignore[attr-defined]
ACCOUNT = Account.__table__  # type: ignore[attr-defined]
CREDIT = CreditRecord.__table__  # type: ignore[attr-defined]
GRAPHQL_JSON = "application/graphql-response+json"


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{position}".encode()).decode()


def money(value: Decimal) -> str:
    return str(value)


async def bank_of(engine: AsyncEngine, authorization: str | None) -> int | None:
    """The bearer's bank, if the token is a live session of a portal user."""
    token = bearer_token(authorization)
    if token is None:
        return None
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(SESSION.c.expires_at, SESSION.c.revoked_at, ACCOUNT.c.institution_id)
                .join(ACCOUNT, ACCOUNT.c.id == SESSION.c.account_id)
                .where(SESSION.c.token_hash == token_hash(token))
            )
        ).first()
    if row is None or row.revoked_at is not None or row.expires_at <= datetime.now(UTC):
        return None
    return int(row.institution_id) if row.institution_id is not None else None


async def _page(connection: Any, bank: int, first: int) -> tuple[int, list[Any], dict[int, Any]]:
    """The count, the page of orders and their enterprises: what both order pages start with."""
    mine = ORDER.c.institution_id == bank
    total = (await connection.execute(select(func.count()).where(mine))).scalar_one()
    orders = (
        await connection.execute(
            select(
                ORDER.c.id,
                ORDER.c.number,
                ORDER.c.amount,
                ORDER.c.term_months,
                ORDER.c.status,
                ORDER.c.submitted_at,
                ORDER.c.enterprise_id,
            )
            .where(mine)
            .order_by(ORDER.c.submitted_at.desc(), ORDER.c.id.desc())
            .limit(first)
        )
    ).all()
    wanted = {o.enterprise_id for o in orders}
    enterprises = {
        e.id: {
            "id": global_id("Enterprise", e.id),
            "name": e.name,
            "uscc": e.uscc,
            "legalRepName": e.legal_rep_name,
            "address": e.address,
        }
        for e in (
            await connection.execute(
                select(
                    ENTERPRISE.c.id,
                    ENTERPRISE.c.name,
                    ENTERPRISE.c.uscc,
                    ENTERPRISE.c.legal_rep_name,
                    ENTERPRISE.c.address,
                ).where(ENTERPRISE.c.id.in_(wanted))
            )
        ).all()
    }
    return total, list(orders), enterprises


def _order(o: Any, enterprises: dict[int, Any]) -> dict[str, Any]:
    return {
        "id": global_id("LoanOrder", o.id),
        "number": o.number,
        "amount": money(o.amount),
        "termMonths": o.term_months,
        "status": o.status,
        "submittedAt": o.submitted_at.isoformat(),
        "enterprise": enterprises[o.enterprise_id],
    }


def _body(total: int, orders: list[Any], nodes: list[dict[str, Any]]) -> Response:
    body = {
        "data": {
            "loanOrders": {
                "totalCount": total,
                "pageInfo": {
                    "hasNextPage": len(orders) < total,
                    "endCursor": cursor(len(orders) - 1) if orders else None,
                },
                "nodes": nodes,
            }
        }
    }
    return Response(orjson.dumps(body), media_type=GRAPHQL_JSON)


def order_page_reference(engine: AsyncEngine) -> Any:
    """W1: the orders with their enterprises."""

    async def orders(request: Request) -> Response:
        bank = await bank_of(engine, request.headers.get("authorization"))
        if bank is None:
            return Response(status_code=401)
        first = min(max(int(request.query_params.get("first", "20")), 1), 100)
        async with engine.connect() as connection:
            total, page, enterprises = await _page(connection, bank, first)
        return _body(total, page, [_order(o, enterprises) for o in page])

    return orders


def credit_order_page_reference(engine: AsyncEngine, clock: Clock) -> Any:
    """W5: also each enterprise's credit records and the order's risk flags and level."""

    async def orders(request: Request) -> Response:
        bank = await bank_of(engine, request.headers.get("authorization"))
        if bank is None:
            return Response(status_code=401)
        first = min(max(int(request.query_params.get("first", "20")), 1), 100)
        async with engine.connect() as connection:
            total, page, enterprises = await _page(connection, bank, first)
            rows = (
                await connection.execute(
                    select(
                        CREDIT.c.enterprise_id,
                        CREDIT.c.kind,
                        CREDIT.c.value,
                        CREDIT.c.source,
                        CREDIT.c.record_date,
                        CREDIT.c.active_until,
                    )
                    .where(CREDIT.c.enterprise_id.in_({o.enterprise_id for o in page}))
                    .order_by(CREDIT.c.id)
                )
            ).all()
        records: dict[int, list[Any]] = {}
        for row in rows:
            records.setdefault(row.enterprise_id, []).append(row)
        today = clock.today()
        credit: dict[int, tuple[list[dict[str, Any]], Any, list[dict[str, Any]]]] = {}
        for enterprise_id, found in records.items():
            flags = risk.flags(found, today)  # type: ignore[arg-type]
            level = risk.level(flags)
            credit[enterprise_id] = (
                [
                    {
                        "kind": r.kind,
                        "value": r.value,
                        "source": r.source,
                        "recordDate": r.record_date.isoformat(),
                        "activeUntil": r.active_until.isoformat() if r.active_until else None,
                    }
                    for r in found
                ],
                level.name if level else None,
                [
                    {
                        "code": f.code.value,
                        "severity": f.severity.name,
                        "record": {
                            "kind": f.record.kind,
                            "value": f.record.value,
                            "recordDate": f.record.record_date.isoformat(),
                        },
                    }
                    for f in flags
                ],
            )
        nodes = []
        for o in page:
            node = _order(o, enterprises)
            listed, level, flags = credit.get(o.enterprise_id, ([], None, []))
            node["creditRecords"] = listed
            node["riskLevel"] = level
            node["riskFlags"] = flags
            nodes.append(node)
        return _body(total, page, nodes)

    return orders


class RawFanout:
    """The floor for W4: what a hand-written push server does for one bank's live orders."""

    def __init__(self, services: Services, engine: AsyncEngine) -> None:
        self.services = services
        self.engine = engine
        self.sockets: dict[int, set[WebSocket]] = {}
        self.tasks: dict[int, asyncio.Task[None]] = {}

    async def endpoint(self, websocket: WebSocket) -> None:
        bank = await bank_of(self.engine, websocket.headers.get("authorization"))
        await websocket.accept(subprotocol="graphql-transport-ws")
        if bank is None:
            await websocket.close(4403)
            return
        self.sockets.setdefault(bank, set()).add(websocket)
        if bank not in self.tasks:
            self.tasks[bank] = asyncio.create_task(self.relay(bank))
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            self.sockets[bank].discard(websocket)

    async def relay(self, bank: int) -> None:
        subscription = self.services.broker.subscribe(f"institution:{bank}:loans")
        try:
            async for event in subscription:
                async with self.engine.connect() as connection:
                    o = (
                        await connection.execute(
                            select(
                                ORDER.c.id,
                                ORDER.c.number,
                                ORDER.c.status,
                                ORDER.c.amount,
                                ORDER.c.term_months,
                                ORDER.c.bank_reason,
                            ).where(ORDER.c.id == event["orderId"])
                        )
                    ).one()
                payload = orjson.dumps(
                    {
                        "data": {
                            "loanOrderStatusChanged": {
                                "id": global_id("LoanOrder", o.id),
                                "number": o.number,
                                "status": o.status,
                                "amount": money(o.amount),
                                "termMonths": o.term_months,
                                "bankReason": o.bank_reason,
                            }
                        }
                    }
                )
                frame = (b'{"id":"1","type":"next","payload":' + payload + b"}").decode()
                for websocket in tuple(self.sockets.get(bank, ())):
                    try:
                        await websocket.send_text(frame)
                    except (WebSocketDisconnect, RuntimeError):
                        self.sockets[bank].discard(websocket)
        finally:
            subscription.close()


def add_references(app: Starlette) -> Starlette:
    """The gateway ``app`` with the hand-written references mounted beside it."""
    services: Services = app.state.services
    engine = services.sessionmaker.kw["bind"]
    raw = RawFanout(services, engine)
    app.router.routes.insert(0, Route("/reference/orders", order_page_reference(engine)))
    app.router.routes.insert(
        0,
        Route("/reference/orders-with-credit", credit_order_page_reference(engine, services.clock)),
    )
    app.router.routes.insert(0, WebSocketRoute("/reference/orders/live", raw.endpoint))
    return app


def create_benchmark_app() -> Starlette:
    return add_references(create_app())


def main() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # As ``gateway serve`` runs it: uvloop, httptools with the head limits, websockets-sansio.
    uvicorn.run(
        create_benchmark_app(),
        host="127.0.0.1",
        port=int(os.environ.get("PORT", "8000")),
        log_level="warning",
        **uvicorn_options(load_settings()),
    )


if __name__ == "__main__":
    main()
