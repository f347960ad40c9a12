"""The scale-out broker: Redis pub/sub with one shared pattern subscription per process.

Every replica publishes to ``<prefix><topic>`` and listens on ``<prefix>*`` through a single
connection, then fans events out to its local subscribers. One Redis subscription per
replica, not one per WebSocket, is what keeps 1,000 subscribers cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import orjson
import redis.asyncio as redis
from redis.exceptions import RedisError

from integrations.broker.base import BrokerError, Event, LocalFanout, Subscription

log = logging.getLogger(__name__)


class RedisBroker:
    def __init__(self, url: str, prefix: str = "gateway:events:") -> None:
        self._client = redis.Redis.from_url(url)
        self._prefix = prefix
        self._fanout = LocalFanout()
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        if self._reader is None:
            self._reader = asyncio.create_task(self._read_forever(), name="redis-broker-reader")
            await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        await self._client.aclose()

    async def publish(self, topic: str, event: Event) -> None:
        try:
            await self._client.publish(self._prefix + topic, orjson.dumps(event))
        except RedisError as error:
            raise BrokerError(str(error)) from error

    def subscribe(self, topic: str) -> Subscription:
        return self._fanout.add(topic)

    @property
    def local_subscriptions(self) -> int:
        return self._fanout.subscriber_count

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except RedisError:
            return False

    async def _read_forever(self) -> None:
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except RedisError as error:
                log.warning(
                    "redis broker connection lost, reconnecting", extra={"error": str(error)}
                )
                await asyncio.sleep(0.5)

    async def _listen(self) -> None:
        pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.psubscribe(self._prefix + "*")
            self._ready.set()
            prefix_length = len(self._prefix)
            async for message in pubsub.listen():
                if message.get("type") != "pmessage":
                    continue
                channel = message["channel"].decode()
                self._fanout.deliver(channel[prefix_length:], orjson.loads(message["data"]))
        finally:
            await pubsub.aclose()
