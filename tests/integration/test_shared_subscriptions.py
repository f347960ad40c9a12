"""Scope-shared subscriptions against a real server (GW-2, GW-3): identical subscriptions of one
bank execute once per event; different scopes, documents or expired sessions do not mix; the frame
is byte-identical to the hand-written floor; one Redis subscription serves a whole replica."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.benchmarks import dataset
from tests.benchmarks.fanout import (
    ACCEPTED,
    BenchServer,
    Webhooks,
    benchmark,
    environment,
    metrics,
    one_event_both_paths,
    prepare,
    subscribe_gateway,
)
from tests.benchmarks.fanout import until as wait_until
from tests.support import Gateway

pytestmark = [pytest.mark.req("GW-2", "GW-3"), pytest.mark.slow]
SMALL = dataset.Size(banks=3, enterprises=60, orders=900)
NUMBERS_ONLY = "subscription { loanOrderStatusChanged { number status } }"
FULL = "subscription { loanOrderStatusChanged { id number status bankReason } }"


@contextmanager
def running(tmp: Path, **extra: str) -> Iterator[BenchServer]:
    env = {**environment(tmp, extra.pop("postgres", None), extra.pop("redis", None)), **extra}
    prepare(env, SMALL)
    server = BenchServer(env, tmp / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


async def until(url: str, name: str, value: int) -> None:
    await wait_until(url, name, value, timeout=5)


async def open_subscriber(url: str, token: str, query: str) -> Any:
    return await subscribe_gateway(url, token, query, operation_id="7")


async def portal(url: str, bank: int) -> tuple[str, list[str]]:
    async with Gateway(base_url=url) as client:
        token = await client.token_for(dataset.portal_username(bank), dataset.PASSWORD)
        nodes = (await client.gql(ACCEPTED, token=token))["loanOrders"]["nodes"]
    return token, [n["number"] for n in nodes]


async def test_subscribers_of_one_bank_share_an_execution_and_others_do_not_mix(
    tmp_path: Path,
) -> None:
    with running(tmp_path) as server:
        token_a, numbers = await portal(server.url, 1)
        token_b, _ = await portal(server.url, 1)  # a second session of the bank's portal
        other_bank, _ = await portal(server.url, 2)
        sockets = [
            await open_subscriber(server.url, token_a, FULL),
            await open_subscriber(server.url, token_b, FULL),
            await open_subscriber(server.url, token_a, NUMBERS_ONLY),
            await open_subscriber(server.url, other_bank, FULL),
        ]
        try:
            await until(server.url, "gateway_shared_subscribers", 4)
            figures = await metrics(server.url)
            # Bank 1 with FULL, bank 1 with NUMBERS_ONLY, bank 2 with FULL.
            assert figures["gateway_shared_subscription_groups"] == 3
            # And one per account whose sockets listen for their sessions' end (two banks' users).
            assert figures["gateway_session_watched_accounts"] == 2
            assert figures["gateway_session_watched_sockets"] == 4
            assert figures["gateway_broker_local_subscriptions"] == 3 + 2
            hooks = Webhooks(server.url, dataset.bank_code(1), numbers)
            async with httpx.AsyncClient() as http:
                await hooks.approve_next(http)
            first, second, narrow = [
                json.loads(await asyncio.wait_for(s.recv(), 10)) for s in sockets[:3]
            ]
            assert first == second
            assert first["id"] == "7"
            assert first["type"] == "next"
            changed = first["payload"]["data"]["loanOrderStatusChanged"]
            assert changed["number"] == numbers[0]
            assert changed["status"] == "APPROVED"
            assert narrow["payload"]["data"]["loanOrderStatusChanged"] == {
                "number": numbers[0],
                "status": "APPROVED",
            }
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(sockets[3].recv(), 1.0)
            # A member leaving keeps the group; the last member leaving ends it.
            await sockets[2].close()
            await until(server.url, "gateway_shared_subscription_groups", 2)
            await sockets[1].close()
            await until(server.url, "gateway_shared_subscribers", 2)
            assert (await metrics(server.url))["gateway_shared_subscription_groups"] == 2
        finally:
            for socket in sockets:
                await socket.close()


async def test_the_gateway_frame_is_byte_identical_to_the_hand_written_floor(
    tmp_path: Path,
) -> None:
    with running(tmp_path) as server:
        token, numbers = await portal(server.url, 1)
        hooks = Webhooks(server.url, dataset.bank_code(1), numbers)
        gateway_frame, raw_frame = await one_event_both_paths(server.url, token, hooks)
        assert gateway_frame == raw_frame


async def test_a_member_whose_session_expired_is_ended_while_the_group_goes_on(
    tmp_path: Path,
) -> None:
    with running(tmp_path, GATEWAY_SESSION_TTL="6") as server:
        old_token, numbers = await portal(server.url, 1)
        old = await open_subscriber(server.url, old_token, FULL)
        await asyncio.sleep(3.5)
        fresh_token, _ = await portal(server.url, 1)
        fresh = await open_subscriber(server.url, fresh_token, FULL)
        try:
            await until(server.url, "gateway_shared_subscribers", 2)
            await asyncio.sleep(3.0)  # the first session has expired, the second has not
            hooks = Webhooks(server.url, dataset.bank_code(1), numbers)
            async with httpx.AsyncClient() as http:
                await hooks.approve_next(http)
            ended = json.loads(await asyncio.wait_for(old.recv(), 10))
            assert ended["type"] == "error"
            assert ended["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert ended["payload"][0]["extensions"]["reason"] == "SESSION_ENDED"
            delivered = json.loads(await asyncio.wait_for(fresh.recv(), 10))
            assert delivered["type"] == "next"
            await until(server.url, "gateway_shared_subscribers", 1)
        finally:
            await old.close()
            await fresh.close()


async def test_w4_fan_out_stays_within_three_times_the_raw_floor(tmp_path: Path) -> None:
    """A small run of the W4 benchmark as a guard; docs/benchmarks.md has the N=1,000 figures."""
    with running(tmp_path) as server:
        result = await benchmark(server.url, count=200, rounds=1, events=3)
    assert result["same_frame"]
    assert result["ratio_last"] <= 3.0, result
    assert result["paths"]["gateway"]["p99"] < 250, result


async def test_one_redis_subscription_serves_every_subscriber_of_a_replica(
    tmp_path: Path, postgres_url: str, redis_url: str
) -> None:
    base = postgres_url.rsplit("/", 1)[0] + "/postgres"
    from tests.benchmarks.fanout import scratch_database

    with scratch_database(base) as database:
        assert database is not None
        with running(tmp_path, postgres=database, redis=redis_url) as server:
            result = await benchmark(server.url, count=100, rounds=1, events=2, redis=redis_url)
    assert result["same_frame"]
    assert result["redis_pubsub"] == 1, result
