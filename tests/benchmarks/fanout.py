"""W4 (PERFORMANCE-NOTES §3.2): a bank's webhook to the last of N live subscribers.

N bank-portal subscribers of ``loanOrderStatusChanged`` (graphql-transport-ws, the gateway) and,
in the same run and process, N sockets of the hand-written floor (``/reference/orders/live``).
Each event is a signed ``LOAN_DECIDED`` webhook of the bank; latency is the subscriber's receive
time minus the time just before the webhook was posted. Rounds alternate which path goes first.

    python -m tests.benchmarks.fanout --subscribers 1000 --rounds 3
    python -m tests.benchmarks.fanout --postgres postgresql+asyncpg://... --redis redis://...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import websockets

from gateway.app import simulated_institutions
from integrations.institutions import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from tests.benchmarks import dataset
from tests.benchmarks.workloads import ORDER_STATUS
from tests.integration.servers import Server, migrate
from tests.support import Gateway

SECRET = "benchmark-secret-key-0123456789abcdef0123"
ACCEPTED = "query { loanOrders(first: 100, filter: {status: ACCEPTED}) { nodes { number } } }"


@dataclass
class Run:
    """One path's N subscribers over a few events."""

    latencies: list[float] = field(default_factory=list)  # ms, every (subscriber, event)
    last: list[float] = field(default_factory=list)  # ms to the last subscriber, per event
    setup_seconds: float = 0.0
    frames: list[str] = field(default_factory=list)
    redis_pubsub: int | None = None

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class BenchServer(Server):
    """The gateway with its references (``tests.benchmarks.server``), one uvicorn process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        super().__init__(env, log, module=("tests.benchmarks.server",))

    def wait_ready(self, timeout: float = 60) -> None:
        super().wait_ready(timeout)


def environment(data_dir: Path, postgres: str | None, redis: str | None) -> dict[str, str]:
    env = {
        "GATEWAY_SECRET_KEY": SECRET,
        "GATEWAY_DATA_DIR": str(data_dir),
        "GATEWAY_LOG_LEVEL": "WARNING",
        "GATEWAY_PASSWORD_TIME_COST": "1",
        "GATEWAY_PASSWORD_MEMORY_KIB": "1024",
    }
    if postgres:
        env["DATABASE_URL"] = postgres
    if redis:
        env["REDIS_URL"] = redis
        env["GATEWAY_REDIS_PREFIX"] = f"bench:{os.getpid()}:"
    return env


@contextlib.contextmanager
def scratch_database(postgres: str | None) -> Iterator[str | None]:
    """A throwaway database on the given PostgreSQL server (its URL names any database)."""
    if not postgres:
        yield None
        return
    import asyncpg

    name = f"gateway_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    base = postgres.rsplit("/", 1)[0]
    admin = postgres.replace("postgresql+asyncpg://", "postgresql://")

    async def run(statement: str) -> None:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    blocking(run(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{base}/{name}"
    finally:
        blocking(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def prepare(env: dict[str, str], size: dataset.Size) -> None:
    """A migrated, seeded database."""
    migrate(env)
    from gateway.settings import load_settings

    blocking(dataset.seed(load_settings({**os.environ, **env}), size))


def blocking(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` to completion on a loop of its own, from sync or async code alike."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, work).result()


class Webhooks:
    """Signs and posts the bank's decisions, as the bank would."""

    def __init__(self, url: str, code: str, numbers: list[str]) -> None:
        self.url = f"{url}/webhooks/banks/{code}"
        self.secret = simulated_institutions(SECRET.encode(), True).secret(code)
        self.numbers = numbers
        self.sent = 0

    async def approve_next(self, http: httpx.AsyncClient) -> None:
        number = self.numbers[self.sent]
        self.sent += 1
        body = orjson.dumps(
            {
                "eventId": f"bench-{os.getpid()}-{number}",
                "type": "LOAN_DECIDED",
                "reference": number,
                "decision": "APPROVED",
            }
        )
        stamp = str(int(time.time()))
        assert self.secret is not None
        headers = {
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(self.secret, stamp, body),
            "content-type": "application/json",
        }
        response = await http.post(self.url, content=body, headers=headers)
        assert response.status_code == 200, response.text


async def subscribe_gateway(
    url: str, token: str, query: str = ORDER_STATUS, operation_id: str = "1", timeout: float = 10
) -> Any:
    """A graphql-transport-ws socket, after connection_init and subscribe."""
    socket = await websockets.connect(
        url.replace("http", "ws") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        max_queue=None,
        open_timeout=timeout,
    )
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    ack = json.loads(await socket.recv())
    assert ack["type"] == "connection_ack", ack
    await socket.send(
        json.dumps({"id": operation_id, "type": "subscribe", "payload": {"query": query}})
    )
    return socket


async def subscribe(url: str, token: str, path: str, timeout: float = 10) -> Any:
    """One subscriber socket of the gateway or of the floor."""
    if path == "gateway":
        return await subscribe_gateway(url, token, timeout=timeout)
    return await websockets.connect(
        url.replace("http", "ws") + "/reference/orders/live",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers={"authorization": f"Bearer {token}"},
        max_queue=None,
        open_timeout=timeout,
    )


async def metrics(url: str) -> dict[str, int]:
    """The server's ``/metrics``, by name."""
    async with httpx.AsyncClient() as http:
        text = (await http.get(url + "/metrics")).text
    return {name: int(value) for name, value in re.findall(r"^(\w+) (\d+)$", text, re.MULTILINE)}


async def until(url: str, name: str, value: int, timeout: float = 60) -> None:
    """Poll ``/metrics`` until ``name`` reads ``value``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (await metrics(url)).get(name) == value:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{name} never reached {value}: {await metrics(url)}")


async def wait_for_subscribers(url: str, path: str, count: int) -> None:
    """The gateway reports its shared subscribers; the floor is given a fixed beat."""
    if path != "gateway":
        await asyncio.sleep(1.0)
        return
    await until(url, "gateway_shared_subscribers", count)


async def measure(
    url: str, token: str, path: str, count: int, events: int, hooks: Webhooks, redis: str | None
) -> Run:
    run = Run()
    started = time.perf_counter()
    sockets = []
    for batch in range(0, count, 50):
        sockets += await asyncio.gather(
            *(subscribe(url, token, path) for _ in range(min(50, count - batch)))
        )
    await wait_for_subscribers(url, path, count)
    run.setup_seconds = time.perf_counter() - started
    if redis:
        run.redis_pubsub = redis_subscriptions(redis)
    received: list[list[float]] = [[] for _ in sockets]
    arrived = [0]
    all_in = asyncio.Event()

    async def listen(index: int, socket: Any) -> None:
        async for frame in socket:
            received[index].append(time.perf_counter())
            if index == 0:
                run.frames.append(frame)
            arrived[0] += 1
            if arrived[0] == count:
                all_in.set()

    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets)]
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(events):
            arrived[0] = 0
            all_in.clear()
            sent = time.perf_counter()
            await hooks.approve_next(http)
            await asyncio.wait_for(all_in.wait(), 30)
            times = [(r[-1] - sent) * 1000 for r in received]
            run.latencies += times
            run.last.append(max(times))
            await asyncio.sleep(0.3)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    await asyncio.sleep(1.0)
    return run


async def one_event_both_paths(url: str, token: str, hooks: Webhooks) -> list[str]:
    """The frame of one event as the gateway and as the floor send it."""
    gateway = await subscribe(url, token, "gateway")
    raw = await subscribe(url, token, "raw")
    try:
        await wait_for_subscribers(url, "gateway", 1)
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(timeout=30) as http:
            await hooks.approve_next(http)
        return [str(await asyncio.wait_for(socket.recv(), 10)) for socket in (gateway, raw)]
    finally:
        await gateway.close()
        await raw.close()


async def benchmark(
    url: str, count: int, rounds: int, events: int, redis: str | None = None
) -> dict[str, Any]:
    async with Gateway(base_url=url) as client:
        token = await client.token_for(dataset.portal_username(1), dataset.PASSWORD)
        numbers = [
            n["number"] for n in (await client.gql(ACCEPTED, token=token))["loanOrders"]["nodes"]
        ]
    needed = rounds * 2 * events + 1
    assert len(numbers) >= needed, f"{len(numbers)} ACCEPTED orders, {needed} needed"
    hooks = Webhooks(url, dataset.bank_code(1), numbers)
    frames = await one_event_both_paths(url, token, hooks)
    results: dict[str, list[Run]] = {"gateway": [], "raw": []}
    for round_number in range(rounds):
        order = ["gateway", "raw"] if round_number % 2 == 0 else ["raw", "gateway"]
        for path in order:
            results[path].append(await measure(url, token, path, count, events, hooks, redis))
    ratios = [
        statistics.median(g.last) / statistics.median(r.last)
        for g, r in zip(results["gateway"], results["raw"], strict=True)
    ]
    same_frame = frames[0] == frames[1]
    return {
        "subscribers": count,
        "rounds": rounds,
        "events": events,
        "ratio_last": statistics.median(ratios),
        "same_frame": same_frame,
        "frames": frames,
        "redis_pubsub": max((r.redis_pubsub or 0) for r in results["gateway"]) if redis else None,
        "paths": {
            path: {
                "p50": statistics.median(r.p50 for r in runs),
                "p99": statistics.median(r.p99 for r in runs),
                "max": max(max(r.latencies) for r in runs),
                "last": statistics.median(statistics.median(r.last) for r in runs),
                "setup_s": statistics.median(r.setup_seconds for r in runs),
            }
            for path, runs in results.items()
        },
    }


def redis_subscriptions(redis_url: str) -> int:
    """Pub/sub connections the server holds in Redis (one expected per replica)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return len(client.client_list(_type="pubsub"))
    finally:
        client.close()


def report(result: dict[str, Any], mode: str) -> str:
    lines = [
        f"W4 fan-out, {mode}, N={result['subscribers']}, {result['rounds']} rounds x "
        f"{result['events']} events ({platform.python_version()}, {os.cpu_count()} cores)",
        "| path | p50 ms | p99 ms | max ms | time to last subscriber ms | setup s |",
        "|---|---|---|---|---|---|",
    ]
    for path, figures in result["paths"].items():
        lines.append(
            f"| {path} | {figures['p50']:.1f} | {figures['p99']:.1f} | {figures['max']:.1f} | "
            f"{figures['last']:.1f} | {figures['setup_s']:.2f} |"
        )
    lines.append(
        f"gateway / raw, time to last subscriber (median of rounds): {result['ratio_last']:.2f}"
    )
    lines.append(f"identical frames: {result['same_frame']}")
    if not result["same_frame"]:
        lines += result["frames"]
    if result["redis_pubsub"] is not None:
        lines.append(
            f"Redis pub/sub connections with every subscriber on: {result['redis_pubsub']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--postgres")
    parser.add_argument("--redis")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres) as postgres:
        env = environment(Path(tmp), postgres, args.redis)
        prepare(env, dataset.Size())
        server = BenchServer(env, Path(tmp) / "server.log")
        try:
            server.wait_ready()
            result = asyncio.run(
                benchmark(server.url, args.subscribers, args.rounds, args.events, args.redis)
            )
        finally:
            server.stop()
    mode = "PostgreSQL + Redis" if args.postgres else "SQLite + in-process broker"
    print(report(result, mode))


if __name__ == "__main__":
    main()
