"""GraphQL over graphql-transport-ws against real servers (GW-1, SW-19).

Two tests run two gateway instances sharing PostgreSQL and Redis: an event published
through one reaches a subscriber connected to the other, and a logout on one closes the
session's sockets on the other. The socket gets what the HTTP path has: the document limits
with the same errors, the write intent of mutations, masked errors, a session checked again on
every operation.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import asyncpg
import httpx
import pytest
import websockets

from gateway.app import create_app
from tests.conftest import POSTGRES_ADMIN_DSN, TABLES, TEST_SECRET, base_settings
from tests.integration.servers import Server, migrate
from tests.support import PASSWORD, Gateway

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


# The socket gets what the HTTP path has: limits with the same errors, the write intent of
# mutations, masking, and a session checked on every operation whose end closes the socket.

GQL = "application/graphql-response+json"
VIEWER = "{ viewer { username } }"


class Socket:
    """A graphql-transport-ws client speaking frame by frame."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.ids = 0

    @classmethod
    async def open(cls, url: str, token: str | None = None) -> Socket:
        socket = await websockets.connect(
            url.replace("http", "ws") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            max_size=None,
        )
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        return cls(socket)

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self.ids += 1
        payload = {"query": query, "variables": variables or {}}
        await self.socket.send(
            json.dumps({"id": str(self.ids), "type": "subscribe", "payload": payload})
        )
        return str(self.ids)

    async def recv(self, timeout: float = 5) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout))  # type: ignore[no-any-return]

    async def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """One query or mutation: its ``next`` (then ``complete``) or its ``error``."""
        operation = await self.subscribe(query, variables)
        message = await self.recv()
        assert message["id"] == operation, message
        if message["type"] == "next":
            assert (await self.recv()) == {"id": operation, "type": "complete"}
        return message

    async def closed(self, timeout: float = 5) -> int:
        """Read until the server closes the socket; its close code (0: none received)."""
        try:
            while True:
                await asyncio.wait_for(self.socket.recv(), timeout)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else 0

    async def close(self) -> None:
        await self.socket.close()


async def http_errors(url: str, query: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=url) as http:
        response = await http.post("/graphql", json={"query": query}, headers={"accept": GQL})
    assert response.status_code in (400, 413), response.text
    return response.json()["errors"]  # type: ignore[no-any-return]


def nest(levels: int, first: int) -> str:
    inner = "username"
    for _ in range(levels):
        inner = f"enterprise {{ operators(first: {first}) {{ nodes {{ {inner} }} }} }}"
    return "{ viewer { ... on EnterpriseAdmin { " + inner + " } } }"


async def test_the_socket_refuses_documents_as_http_does(embedded_server: Server) -> None:
    refused = {
        "DOCUMENT_TOO_LARGE": "{ " + " ".join(f"a{i}: __typename" for i in range(3000)) + " }",
        "GRAPHQL_PARSE_FAILED": "{" + " a" * 5001 + " }",  # 10 kB, over 5,000 tokens
        "QUERY_TOO_DEEP": nest(5, 1),
        "QUERY_TOO_COSTLY": nest(3, 100),
        "TOO_MANY_ALIASES": "{ " + " ".join(f"r{i}: regions {{ code }}" for i in range(31)) + " }",
        "TOO_MANY_OVERLAPPING_FIELDS": "{" + " regions { code }" * 300 + "}",
        "GRAPHQL_VALIDATION_FAILED": "{ nope }",
    }
    socket = await Socket.open(embedded_server.url)
    try:
        for code, query in refused.items():
            message = await socket.run(query)
            assert message["type"] == "error", (code, message)
            assert message["payload"] == await http_errors(embedded_server.url, query), code
            assert code in [e["extensions"]["code"] for e in message["payload"]]
        # A 2 MB document is bigger than a request may be: the socket closes (1009, too big).
        answer = await socket.run("{ __typename }")
        assert answer["payload"] == {"data": {"__typename": "Query"}}
        await socket.subscribe("{ __typename " + " " * 2_000_000 + "}")
        assert await socket.closed() == 1009
    finally:
        await socket.close()


async def test_racing_mutations_over_sockets_all_commit_on_sqlite(
    embedded_server: Server, remote: Gateway
) -> None:
    """Every mutation reads the account and then writes it: without BEGIN IMMEDIATE, SQLite
    refuses all but one of the racing transactions (``database is locked``)."""
    token = (await remote.register_enterprise(41))["token"]
    sockets = [await Socket.open(embedded_server.url, token) for _ in range(20)]
    try:
        results = await asyncio.gather(
            *(s.run(PHONE_LOGIN, {"on": i % 2 == 0}) for i, s in enumerate(sockets))
        )
    finally:
        for socket in sockets:
            await socket.close()
    for result in results:
        assert result["type"] == "next", result
        assert "errors" not in result["payload"], result
        assert result["payload"]["data"]["accountSettingsUpdate"]["userErrors"] == []


async def test_a_query_sent_after_logout_is_refused(
    embedded_server: Server, remote: Gateway
) -> None:
    token = (await remote.register_enterprise(42))["token"]
    socket = await Socket.open(embedded_server.url, token)
    try:
        before = await socket.run(VIEWER)
        assert before["payload"] == {"data": {"viewer": {"username": "admin0042"}}}
        await remote.gql("mutation { sessionRevoke { revoked } }", token=token)
        # Whichever comes first, the operation's own check or the session's end heard through
        # the broker: the query is refused (never answered) and the socket closes with 4403.
        frames: list[dict[str, Any]] = []
        try:
            await socket.subscribe(VIEWER)
            while True:
                frames.append(await socket.recv())
        except websockets.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd is not None else 0
        assert code == 4403
        assert all(f["type"] == "error" for f in frames), frames
        for frame in frames:
            assert frame["payload"][0]["extensions"] == {
                "code": "UNAUTHENTICATED",
                "reason": "SESSION_ENDED",
            }
    finally:
        await socket.close()


async def test_a_password_change_in_another_session_closes_the_socket(
    embedded_server: Server, remote: Gateway
) -> None:
    token = (await remote.register_enterprise(43))["token"]
    other = await remote.token_for("admin0043")
    socket = await Socket.open(embedded_server.url, token)
    kept = await Socket.open(embedded_server.url, other)
    try:
        assert (await socket.run(VIEWER))["type"] == "next"
        change = """mutation($input: AccountPasswordChangeInput!) {
          accountPasswordChange(input: $input) { userErrors { code } } }"""
        new = "N3w-Passw0rd!"
        data = {"oldPassword": PASSWORD, "password": new, "passwordConfirmation": new}
        await remote.gql(change, {"input": data}, token=other)
        assert await socket.closed(timeout=2) == 4403
        # The session that changed the password goes on.
        assert (await kept.run(VIEWER))["payload"]["data"]["viewer"]["username"] == "admin0043"
    finally:
        await socket.close()
        await kept.close()


async def test_logout_on_one_replica_closes_the_socket_on_another_within_a_second(
    two_replicas: tuple[Server, Server],
) -> None:
    first, second = two_replicas
    async with Gateway(base_url=first.url) as via_first:
        token = (await via_first.register_enterprise(44))["token"]
        idle = await Socket.open(second.url, token)
        subscribed = await Socket.open(second.url, token)
        try:
            assert (await idle.run(VIEWER))["type"] == "next"
            events = await subscribed.subscribe(ACCOUNT_EVENTS)
            await asyncio.sleep(0.3)  # the subscription reaches the broker
            started = time.perf_counter()
            await via_first.gql("mutation { sessionRevoke { revoked } }", token=token)
            assert await idle.closed(timeout=1) == 4403
            elapsed = time.perf_counter() - started
            ended = await subscribed.recv(timeout=1)
            assert ended["id"] == events
            errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
            assert errors[0]["extensions"]["reason"] == "SESSION_ENDED"
            assert await subscribed.closed(timeout=1) == 4403
        finally:
            await idle.close()
            await subscribed.close()
    assert elapsed < 1.0, elapsed
    logging.getLogger(__name__).warning("logout to 4403 across replicas: %.3f s", elapsed)


# In-process (the test can replace a resolver): errors are masked as over HTTP.


@pytest.fixture
def local(tmp_path: Path, sqlite_template: Path) -> Iterator[Any]:
    with warnings.catch_warnings():  # "use httpx2": not installed; httpx works
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    shutil.copy(sqlite_template, tmp_path / "gateway.sqlite3")
    with TestClient(create_app(base_settings(data_dir=tmp_path))) as client:
        yield client


def test_unexpected_errors_on_the_socket_are_masked_with_code_and_request_id(
    local: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from resolvers.marketplace import reference
    from schema import subscriptions

    async def broken(*_: object) -> list[object]:
        raise RuntimeError("database password is hunter2")

    def refuse(*_: object, **__: object) -> object:
        raise RuntimeError("the session table says hunter2")

    monkeypatch.setattr(reference, "regions", broken)
    monkeypatch.setattr(subscriptions, "permissions", SimpleNamespace(require_account=refuse))
    masked = {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-87654321"}
    with (
        caplog.at_level(logging.ERROR, logger="gateway.graphql"),
        local.websocket_connect(
            "/graphql",
            subprotocols=["graphql-transport-ws"],
            headers={"x-request-id": "req-87654321"},
        ) as socket,
    ):
        socket.send_json({"type": "connection_init", "payload": {}})
        assert socket.receive_json()["type"] == "connection_ack"
        socket.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": "{ regions { code } }"}}
        )
        message = socket.receive_json()
        assert message["type"] == "next"
        [error] = message["payload"]["errors"]
        assert error["message"] == "Internal server error"
        assert error["extensions"] == masked
        assert error["path"] == ["regions"]
        assert socket.receive_json() == {"id": "1", "type": "complete"}
        assert "hunter2" not in json.dumps(message)
        socket.send_json({"id": "2", "type": "subscribe", "payload": {"query": ACCOUNT_EVENTS}})
        message = socket.receive_json()
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["message"] == "Internal server error"
        assert errors[0]["extensions"] == masked
    assert "hunter2" not in json.dumps(message)
    assert any(r.exc_info for r in caplog.records)
