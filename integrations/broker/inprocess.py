"""The embedded broker: events stay in this process."""

from __future__ import annotations

from integrations.broker.base import Event, LocalFanout, Subscription


class InProcessBroker:
    def __init__(self) -> None:
        self._fanout = LocalFanout()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, topic: str, event: Event) -> None:
        self._fanout.deliver(topic, event)

    def subscribe(self, topic: str) -> Subscription:
        return self._fanout.add(topic)

    @property
    def local_subscriptions(self) -> int:
        return self._fanout.subscriber_count

    async def ping(self) -> bool:
        return True
