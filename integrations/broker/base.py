"""The broker interface and the local fan-out both implementations share."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

Event = dict[str, Any]


class BrokerError(Exception):
    """Publishing or subscribing failed."""


class Subscription:
    """A local queue of events for one topic; iterate it, close it when done."""

    def __init__(self, fanout: LocalFanout, topic: str, maxsize: int = 256) -> None:
        self._fanout = fanout
        self.topic = topic
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=maxsize)

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._events()

    async def _events(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()

    def close(self) -> None:
        self._fanout.remove(self)


class LocalFanout:
    """Delivers an event to every local subscription of its topic without blocking."""

    def __init__(self) -> None:
        self._subscriptions: dict[str, set[Subscription]] = defaultdict(set)

    def add(self, topic: str) -> Subscription:
        subscription = Subscription(self, topic)
        self._subscriptions[topic].add(subscription)
        return subscription

    def remove(self, subscription: Subscription) -> None:
        subscribers = self._subscriptions.get(subscription.topic)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._subscriptions[subscription.topic]

    def deliver(self, topic: str, event: Event) -> None:
        for subscription in tuple(self._subscriptions.get(topic, ())):
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                # A subscriber that stopped reading loses old events, never blocks others.
                subscription.queue.get_nowait()
                subscription.queue.put_nowait(event)

    @property
    def subscriber_count(self) -> int:
        return sum(len(s) for s in self._subscriptions.values())


class EventBroker(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, topic: str, event: Event) -> None: ...

    def subscribe(self, topic: str) -> Subscription: ...

    @property
    def local_subscriptions(self) -> int:
        """Subscriptions of this process (the shared groups count once each)."""
        ...

    async def ping(self) -> bool: ...
