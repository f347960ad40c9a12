"""Tiny documents that stand for huge ones, against a real server (GW-1): fragments spread twice
per level, fields repeated under one response name. Each is answered or refused at once, and
the event loop keeps serving others meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.servers import Server, migrate
from tests.integration.test_subscriptions import server_env

pytestmark = [pytest.mark.req("GW-1", "GW-6"), pytest.mark.slow]

GQL = "application/graphql-response+json"


def doubling(levels: int, leaf: str = "__typename") -> str:
    """``query { ...F0 }``, each fragment spreading the next one twice: 2^(levels-1) leaves."""
    parts = ["query { ...F0 }"]
    parts += [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    parts.append(f"fragment F{levels - 1} on Query {{ {leaf} }}")
    return "\n".join(parts)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    env = server_env(tmp_path)
    migrate(env)
    running = Server(env, tmp_path / "server.log")
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


async def timed_post(http: httpx.AsyncClient, query: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = await http.post("/graphql", json={"query": query}, headers={"accept": GQL})
    return time.perf_counter() - started, response


async def test_fragment_bombs_and_repeated_fields_are_answered_at_once_while_healthz_answers(
    server: Server,
) -> None:
    cases = [
        # 22 levels (860 bytes) blocked the event loop for 18 s; each level doubled that.
        (doubling(22), None),
        (doubling(40), None),
        (doubling(40, "viewer { username }"), "QUERY_TOO_COSTLY"),
        # graphql-core compares every pair of fields sharing a response name: 4 kB, seconds.
        ("{" + " regions { code }" * 300 + "}", "TOO_MANY_OVERLAPPING_FIELDS"),
        (
            "query { ...F0 }"
            + "".join(f"fragment F{i} on Query {{ __typename ...F{i + 1} }}" for i in range(50))
            + "fragment F50 on Query { __typename }",
            "TOO_MANY_OVERLAPPING_FIELDS",
        ),
        # graphql-core's variable rules visit each fragment: 200 of them cost it 100+ ms.
        (doubling(199), "TOO_MANY_DEFINITIONS"),
    ]
    health: list[float] = []
    done = asyncio.Event()

    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        assert len(doubling(22).encode()) < 900

        async def ping() -> None:
            while not done.is_set():
                started = time.perf_counter()
                assert (await http.get("/healthz")).status_code == 200
                health.append(time.perf_counter() - started)
                await asyncio.sleep(0.01)

        pinger = asyncio.create_task(ping())
        try:
            await asyncio.sleep(0.05)
            for query, code in cases:
                for _ in range(2):  # the second time from the cache
                    elapsed, response = await timed_post(http, query)
                    assert elapsed < 0.5, (elapsed, query[:60])
                    body = response.json()
                    if code is None:
                        assert response.status_code == 200, body
                        assert body == {"data": {"__typename": "Query"}}
                    else:
                        assert response.status_code == 400, body
                        assert code in [e["extensions"]["code"] for e in body["errors"]]
        finally:
            done.set()
            await pinger
    assert health
    assert max(health) < 0.25, health
