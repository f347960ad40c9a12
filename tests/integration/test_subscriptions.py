"""Subscriptions over graphql-transport-ws against real servers (GW-1, SW-19).

One test runs two gateway instances sharing PostgreSQL and Redis: an event published
through one reaches a subscriber connected to the other.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import websockets

from tests.conftest import POSTGRES_ADMIN_DSN, TABLES, TEST_SECRET
from tests.integration.servers import Server, migrate
from tests.support import Gateway

pytestmark = [pytest.mark.req("GW-1", "SW-19"), pytest.mark.slow]

ACCOUNT_EVENTS = "subscription { accountEvents { kind account { username } } }"
PHONE_LOGIN = "mutation($on: Boolean!) { accountSettingsUpdate(input: {phoneLoginEnabled: $on}) { userErrors { code } } }"


def server_env(tmp: Path, **extra: str) -> dict[str, str]:
    return {
        "GATEWAY_SECRET_KEY": TEST_SECRET,
        "GATEWAY_PASSWORD_TIME_COST": "1",
        "GATEWAY_PASSWORD_MEMORY_KIB": "1024",
        "GATEWAY_DATA_DIR": str(tmp),
        "GATEWAY_LOG_LEVEL": "WARNING",
        **extra,
    }


class Subscriber:
    """A graphql-transport-ws client with one subscription."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket

    @classmethod
    async def open(
        cls,
        url: str,
        token: str | None,
        query: str = ACCOUNT_EVENTS,
        variables: dict[str, Any] | None = None,
    ) -> Subscriber:
        socket = await websockets.connect(
            url.replace("http", "ws") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        )
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        payload = {"query": query, "variables": variables or {}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        # The subscription is registered with the broker once the resolver starts; give it a beat.
        await asyncio.sleep(0.3)
        return cls(socket)

    async def next(self, timeout: float = 5) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout))  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.socket.close()


@pytest.fixture
def embedded_server(tmp_path: Path) -> Iterator[Server]:
    env = server_env(tmp_path)
    migrate(env)
    server = Server(env, tmp_path / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
async def remote(embedded_server: Server) -> AsyncIterator[Gateway]:
    async with Gateway(base_url=embedded_server.url) as gateway:
        yield gateway


async def test_account_events_arrive_and_logout_ends_the_subscription(
    embedded_server: Server, remote: Gateway
) -> None:
    token = (await remote.register_enterprise(1))["token"]
    subscriber = await Subscriber.open(embedded_server.url, token)
    try:
        await remote.gql(PHONE_LOGIN, {"on": True}, token=token)
        message = await subscriber.next()
        assert message["type"] == "next"
        assert message["payload"]["data"]["accountEvents"] == {
            "kind": "SETTINGS_CHANGED",
            "account": {"username": "admin0001"},
        }
        await remote.gql("mutation { sessionRevoke { revoked } }", token=token)
        ended = await subscriber.next()
        assert ended["type"] in ("error", "next")
        errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await subscriber.close()


async def test_a_dead_token_is_refused_at_connection_init(embedded_server: Server) -> None:
    socket = await websockets.connect(
        embedded_server.url.replace("http", "ws") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer nope"}})
    )
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_subscribing_without_a_session_is_unauthenticated(embedded_server: Server) -> None:
    subscriber = await Subscriber.open(embedded_server.url, None)
    try:
        message = await subscriber.next()
        assert message["type"] in ("error", "next")
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await subscriber.close()


@pytest.fixture
def shared_postgres(postgres_url: str) -> str:
    async def truncate() -> None:
        dsn = postgres_url.replace("postgresql+asyncpg://", "postgresql://")
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        finally:
            await connection.close()

    asyncio.run(truncate())
    assert POSTGRES_ADMIN_DSN
    return postgres_url


@pytest.fixture
def two_replicas(
    tmp_path: Path, shared_postgres: str, redis_url: str
) -> Iterator[tuple[Server, Server]]:
    env = server_env(
        tmp_path,
        DATABASE_URL=shared_postgres,
        REDIS_URL=redis_url,
        GATEWAY_REDIS_PREFIX=f"gateway-test-{uuid.uuid4().hex[:8]}:",
    )
    first = Server(env, tmp_path / "first.log")
    second = Server(env, tmp_path / "second.log")
    try:
        first.wait_ready()
        second.wait_ready()
        yield first, second
    finally:
        first.stop()
        second.stop()


async def test_an_event_published_on_one_replica_reaches_a_subscriber_on_another(
    two_replicas: tuple[Server, Server],
) -> None:
    first, second = two_replicas
    async with Gateway(base_url=first.url) as via_first, Gateway(base_url=second.url) as via_second:
        token = (await via_first.register_enterprise(2))["token"]
        subscriber = await Subscriber.open(second.url, token)
        try:
            await via_first.gql(PHONE_LOGIN, {"on": True}, token=token)
            message = await subscriber.next()
            assert message["payload"]["data"]["accountEvents"]["kind"] == "SETTINGS_CHANGED"
            # Logging out on the first replica ends the subscription on the second (SW-19).
            await via_first.gql("mutation { sessionRevoke { revoked } }", token=token)
            ended = await subscriber.next()
            errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
            assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert (
                await via_second.post("{ viewer { username } }", token=token)
            ).status_code == 401
        finally:
            await subscriber.close()
